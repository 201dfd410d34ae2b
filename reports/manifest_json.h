/* The typed manifest model as JSON (`apkpriv manifest --json`), with the anomalies. */
#ifndef AP_MANIFEST_JSON_H
#define AP_MANIFEST_JSON_H

struct ap_manifest;
struct ap_anomalies;
struct ap_buf;

/* Appends one JSON object (and a newline) to out. m may be NULL (then "manifest" is null, the
 * anomalies say why); an may be NULL. AP_OK, AP_ERR_NOMEM, or AP_ERR_LIMIT when out is full. */
int ap_report_manifest_json(const struct ap_manifest *m, const struct ap_anomalies *an,
			    struct ap_buf *out);

#endif
