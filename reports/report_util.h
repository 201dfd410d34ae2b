/* Helpers shared by the renderers (internal to reports/): the one escaping rule for strings from
 * the APK, HTML escaping on top of it, number formatting and the order findings are shown in. */
#ifndef AP_REPORT_UTIL_H
#define AP_REPORT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/report_model.h"
#include "ap_buf.h"
#include "ap_limits.h"

/* Cap for one attacker string (package, label, class, URL, ...); 0 = no cap (knowledge text). */
#define AP_REP_CAP AP_MAX_STRING_REPORT
#define AP_REP_NOCAP 0u

/* Appends s (NULL appends nothing) escaped so that the result is valid UTF-8, one line, and
 * carries no terminal or bidi control: backslash -> \\, \n \r \t as such, C0/DEL/invalid bytes ->
 * \xNN, C1 controls, LRM/RLM, bidi embeddings/overrides/isolates, U+2028/9 -> \uXXXX. At most cap
 * input bytes (cut on a character boundary) followed by "...". */
void ap_rep_esc(struct ap_buf *b, const char *s, size_t cap);
/* Length of the leading run of s[0..n) that ap_rep_esc copies unchanged: printable ASCII other
 * than the backslash. */
size_t ap_rep_plain_len(const char *s, size_t n);
/* ap_rep_esc into tmp (reset first); returns tmp's NUL-terminated text ("" when s is NULL). */
const char *ap_rep_escd(struct ap_buf *tmp, const char *s, size_t cap);
/* ap_rep_esc, then HTML-escapes & < > " ' for text and attribute values. */
void ap_rep_html(struct ap_buf *b, const char *s, size_t cap);
/* Escapes already-clean text (no ap_rep_esc pass) for HTML. */
void ap_rep_html_raw(struct ap_buf *b, const char *s);

/* A score or points value: at most two decimals, trailing zeros dropped ("12.5", "10"). */
void ap_rep_num(char *dst, size_t n, double v);

/* Indices of r->findings ordered by severity (high first), points (most first), rule, then
 * position: deterministic. malloc'd; NULL when there are no findings or on OOM. */
size_t *ap_rep_finding_order(const struct ap_report *r);

/* "startup,background,ui" style names of enum ap_entry_bits; i in 0..2. */
const char *ap_rep_entry_name(unsigned i);

/* FNV-1a 64 over a run of fields, each followed by a 0 byte (NULL counts as empty). */
uint64_t ap_rep_fnv(uint64_t h, const char *s);
#define AP_REP_FNV_INIT 0xcbf29ce484222325ull

/* AP_OK, or AP_ERR_LIMIT when out failed (its cap or OOM). */
int ap_rep_result(const struct ap_buf *out);

#endif
