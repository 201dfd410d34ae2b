/* Reading apkpriv's own JSON reports back: batch's resume (is the report for this file, these
 * rules and this tool version?) and `scan --baseline` (which findings are old). The file is our
 * own output but still untrusted (it may have been edited): anything unexpected is skipped. */
#ifndef AP_REPORT_READ_H
#define AP_REPORT_READ_H

#include <stddef.h>

#include "report_model.h"

/* Reads the JSON report(s) in path: one report object, or an array of them (scan's JSON output
 * for several APKs). Fills, per report: tool and rules versions, input path/sha256/kind, package,
 * version, app type, score total and grade, partial and its reason, the PI categories and SDK ids,
 * and each finding's severity, rule, category, owner and the method of its first evidence (as
 * one evidence item). Strings are unescaped to the bytes a fresh scan holds. *reps is a malloc'd
 * array of n reports (free each with ap_report_free, then the array). AP_ERR_IO, AP_ERR_LIMIT
 * (past AP_MAX_REPORT_READ), AP_ERR_FORMAT (not JSON, or no object of our schema), AP_ERR_NOMEM. */
int ap_report_read_all(const char *path, struct ap_report ***reps, size_t *n);
void ap_report_read_free(struct ap_report **reps, size_t n); /* NULL is a no-op */

/* The same for a file that holds exactly one report object. */
int ap_report_read(const char *path, struct ap_report **out);

#endif
