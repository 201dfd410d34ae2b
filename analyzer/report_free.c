/* Freeing a report made by ap_scan_file: its arena holds every string and array; the anomaly
 * list is the one thing allocated beside it. Also the finding fingerprint used by --baseline. */
#include "scan.h"

#include "ap_arena.h"
#include "ap_diag.h"

#include <stdio.h>
#include <stdlib.h>

void ap_report_free(struct ap_report *r)
{
	if (!r)
		return;
	/* the scan allocated the list and lent it to the report as const */
	struct ap_anomalies *an = (struct ap_anomalies *)r->anomalies;
	if (an) {
		ap_anom_free(an);
		free(an);
	}
	ap_arena_free(r->arena); /* r itself lives in the arena */
}

void ap_finding_fingerprint(const char *rule, const char *category, const char *owner,
			    const char *method, char *out, size_t n)
{
	snprintf(out, n, "%s|%s|%s|%s", rule ? rule : "", category ? category : "",
		 owner ? owner : "", method ? method : "");
}
