/* Fuzz target: AndroidManifest.xml bytes (binary AXML or text) -> tree, model, XML and JSON. */
#include "ap_buf.h"
#include "ap_diag.h"
#include "manifest/manifest.h"
#include "reports/manifest_json.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_manifest *m = NULL;
	ap_mf_parse(data, size, NULL, &an, &m);
	if (m) {
		struct ap_buf b = AP_BUF_INIT;
		ap_mf_to_xml(m, &b);
		ap_buf_reset(&b);
		ap_report_manifest_json(m, &an, &b);
		ap_buf_free(&b);
		ap_mf_free(m);
	}
	ap_anom_free(&an);
	return 0;
}
