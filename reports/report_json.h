/* Building blocks shared by the JSON, SARIF, manifest, native and summary renderers (internal):
 * a json_writer plus the escaping every string from the APK gets first. */
#ifndef AP_REPORT_JSON_H
#define AP_REPORT_JSON_H

#include "reports/json_writer.h"
#include "reports/report_util.h"

/* Layouts the renderers have always used (json-c's flags, always with NOSLASHESCAPE). */
#define AP_RJ_PRETTY (AP_JW_PRETTY | AP_JW_SPACED)
#define AP_RJ_PLAIN 0u

struct ap_rj {
	struct ap_jw w;
	struct ap_buf tmp; /* scratch for ap_rep_esc */
	size_t start;      /* out->len when rendering began, to roll back on OOM */
	bool oom;
};

void ap_rj_begin(struct ap_rj *j, struct ap_buf *out, unsigned flags);
/* Ends the text with a newline and frees the scratch: AP_OK, AP_ERR_LIMIT (out hit its cap) or
 * AP_ERR_NOMEM (scratch failed; out is rolled back to where it was). */
int ap_rj_end(struct ap_rj *j);

/* A string value escaped with ap_rep_esc (NULL -> JSON null). */
void ap_rj_str(struct ap_rj *j, const char *s, size_t cap);
/* The same as an object member. */
void ap_rj_kstr(struct ap_rj *j, const char *k, const char *s, size_t cap);
/* A number written with ap_rep_num (integral values print without decimals). */
void ap_rj_num(struct ap_rj *j, const char *k, double v);
/* A member holding an array of escaped strings (NULL elements -> null). */
void ap_rj_strs(struct ap_rj *j, const char *k, const char *const *v, size_t n, size_t cap);
/* One evidence item as in the JSON report (pi[].evidence[] and findings[].evidence[]). */
void ap_rj_evidence(struct ap_rj *j, const struct ap_evidence *e);
/* An anomaly's "offset" member: null for AP_OFFSET_NONE. */
void ap_rj_offset(struct ap_jw *w, uint64_t offset);
/* The "anomalies" member ({module, where, offset, code, message}) of every JSON output: the scan
 * report, `manifest --json` and `native --json` say it alike. */
void ap_rj_anomalies(struct ap_rj *j, const struct ap_anomalies *an);

#endif
