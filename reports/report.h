/* Report renderers: one struct ap_report (analyzer/report_model.h) -> JSON, text, SARIF, HTML, and
 * the batch summary (CSV, JSONL, summary.html). Renderers never parse input and never print; they
 * append to an ap_buf. Every APK-derived string is escaped (ap_rep_esc rules, docs/report-schema.md).
 * Each returns AP_OK, AP_ERR_LIMIT when out hit its cap, or AP_ERR_NOMEM. */
#ifndef AP_REPORT_H
#define AP_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/report_model.h"

struct ap_buf;

#define AP_REPORT_TOOL_NAME "apkpriv"

/* The JSON report, schema "apkpriv-report/1", pretty-printed, ending in a newline. */
int ap_report_json(const struct ap_report *r, struct ap_buf *out);
/* The terminal report; ANSI colour only when color is true (the CLI decides: isatty, NO_COLOR). */
int ap_report_text(const struct ap_report *r, bool color, struct ap_buf *out);
/* SARIF 2.1.0: one run holding the findings of every report (n >= 1). */
int ap_report_sarif(const struct ap_report *const *reports, size_t n, struct ap_buf *out);
/* One self-contained HTML page (inline CSS and SVG, a tiny hashed inline script, no network). */
int ap_report_html(const struct ap_report *r, struct ap_buf *out);

/* Batch summary. For an APK whose analysis failed (crash, timeout, cap) pass a report with only
 * path (and sha256 when known) set, and the status/reason of the failure. status is "ok",
 * "partial", "crash", "timeout", "limit", "error", ...; reason may be NULL. */
int ap_summary_csv_header(struct ap_buf *out);
int ap_summary_csv_row(const struct ap_report *r, const char *status, const char *reason,
		       struct ap_buf *out);
int ap_summary_jsonl_row(const struct ap_report *r, const char *status, const char *reason,
			 struct ap_buf *out);

/* One summary row read back from summary.jsonl (the batch parent only has the worker output). */
struct ap_summary_row {
	char *file, *sha256, *package, *version, *app_type, *grade, *status, *reason;
	bool has_score;
	double score;
	size_t sev[4];        /* indexed by enum ap_severity */
	char *pi;             /* category ids joined with ";" */
	char *sdks;           /* SDK ids joined with ";" */
};

/* Parses summary.jsonl text; lines that are not valid rows are skipped and counted in *bad. */
int ap_summary_rows_parse(const char *jsonl, size_t len, struct ap_summary_row **rows, size_t *n,
			  size_t *bad);
void ap_summary_rows_free(struct ap_summary_row *rows, size_t n);
/* summary.html: totals, an inline-SVG score histogram and a ranking table (worst score first). */
int ap_summary_html(const struct ap_summary_row *rows, size_t n, struct ap_buf *out);

#endif
