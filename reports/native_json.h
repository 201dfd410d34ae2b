/* Native library analysis as JSON (`apkpriv native --json`), streamed with json_writer. */
#ifndef AP_NATIVE_JSON_H
#define AP_NATIVE_JSON_H

#include <stddef.h>

struct ap_native_lib;
struct ap_anomalies;
struct ap_buf;

/* Appends {"libraries":[...],"anomalies":[...]} and a newline to out. Each library: path, abi,
 * soname, needed, imports, exports, jni, jni_onload, registered, calls, jni_calls, net_imports,
 * urls, plus section_headers_ok/packed_relocs/partial. an may be NULL. AP_OK, AP_ERR_NOMEM, or
 * AP_ERR_LIMIT when out is full. */
int ap_report_native_json(struct ap_native_lib *const *libs, size_t n,
			  const struct ap_anomalies *an, struct ap_buf *out);

#endif
