/* json-c building blocks shared by the JSON, SARIF and summary renderers (internal). */
#ifndef AP_REPORT_JSON_H
#define AP_REPORT_JSON_H

#include <json-c/json.h>

#include "reports/report_util.h"

/* A string value escaped with ap_rep_esc (NULL -> JSON null). tmp is scratch. */
json_object *ap_rj_str(struct ap_buf *tmp, const char *s, size_t cap);
/* A number written with ap_rep_num (integral values print without decimals). */
json_object *ap_rj_num(double v);
/* An array of escaped strings. */
json_object *ap_rj_strs(struct ap_buf *tmp, const char *const *v, size_t n, size_t cap);
/* One evidence item as in the JSON report (pi[].evidence[] and findings[].evidence[]). */
json_object *ap_rj_evidence(struct ap_buf *tmp, const struct ap_evidence *e);
/* The anomalies array ({module, where, offset, code, message}) of every JSON output: the scan
 * report, `manifest --json` and `native --json` say it alike. */
json_object *ap_rj_anomalies(struct ap_buf *tmp, const struct ap_anomalies *an);
/* Serializes root (pretty or compact) into out plus a newline; frees root. */
int ap_rj_emit(json_object *root, bool pretty, struct ap_buf *out);

#endif
