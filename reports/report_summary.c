/* Batch summary: one row per input as CSV (RFC 4180, spreadsheet formulas defused) and JSONL,
 * and summary.html (totals, a score histogram in inline SVG, a ranking table). The batch parent
 * only sees worker output, so summary.html is rendered from rows read back from summary.jsonl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap_err.h"
#include "reports/report.h"
#include "reports/report_html_style.h"
#include "reports/report_json.h"

#include <json-c/json.h> /* only to read summary.jsonl rows back */

static const char *const csv_cols[] = {"file", "sha256", "package", "version", "app_type", "score",
				       "grade", "high", "medium", "low", "info", "pi_categories",
				       "sdks", "status", "reason"};

/* One CSV field: escaped like every report string, a leading = + - @ (or tab/CR) gets a ' so a
 * spreadsheet shows text instead of evaluating a formula from the APK, then RFC 4180 quoting. */
static void csv_cell(struct ap_buf *out, struct ap_buf *tmp, const char *s, bool raw)
{
	ap_buf_reset(tmp);
	if (raw)
		ap_buf_adds(tmp, s ? s : "");
	else
		ap_rep_esc(tmp, s, AP_REP_CAP);
	const char *v = tmp->data ? tmp->data : "";
	bool defuse = !raw && strchr("=+-@\t\r", v[0]) && v[0];
	bool quote = defuse || strpbrk(v, ",\"\r\n") || v[0] == ' ';
	if (quote)
		ap_buf_addc(out, '"');
	if (defuse)
		ap_buf_addc(out, '\'');
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			ap_buf_addc(out, '"');
		ap_buf_addc(out, *p);
	}
	if (quote)
		ap_buf_addc(out, '"');
}

int ap_summary_csv_header(struct ap_buf *out)
{
	for (size_t i = 0; i < sizeof csv_cols / sizeof csv_cols[0]; i++) {
		if (i)
			ap_buf_addc(out, ',');
		ap_buf_adds(out, csv_cols[i]);
	}
	ap_buf_adds(out, "\r\n");
	return ap_rep_result(out);
}

struct row_facts {
	size_t sev[4];
	bool has_score;
	char version[64];
};

static void facts(const struct ap_report *r, struct row_facts *f)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < r->n_findings; i++)
		if ((unsigned)r->findings[i].severity < 4)
			f->sev[r->findings[i].severity]++;
	f->has_score = r->grade != NULL;
	if (!r->version_name && r->version_code)
		snprintf(f->version, sizeof f->version, "%lld", (long long)r->version_code);
}

/* Joined ";" list of PI categories or SDK ids, each escaped. */
static void joined(struct ap_buf *b, const struct ap_report *r, bool sdk)
{
	ap_buf_reset(b);
	size_t n = sdk ? r->n_sdks : r->n_pi;
	for (size_t i = 0; i < n; i++) {
		if (i)
			ap_buf_addc(b, ';');
		ap_rep_esc(b, sdk ? r->sdks[i].id : r->pi[i].category, AP_REP_CAP);
	}
	if (!b->data)
		ap_buf_adds(b, "");
}

int ap_summary_csv_row(const struct ap_report *r, const char *status, const char *reason,
		       struct ap_buf *out)
{
	struct ap_buf t = AP_BUF_INIT, j = AP_BUF_INIT;
	ap_buf_init(&t, 0);
	ap_buf_init(&j, 0);
	struct row_facts f;
	char num[64] = "";
	facts(r, &f);
	if (f.has_score)
		ap_rep_num(num, sizeof num, r->score_total);
	csv_cell(out, &t, r->path, false);
	ap_buf_addc(out, ',');
	csv_cell(out, &t, r->sha256, false);
	ap_buf_addc(out, ',');
	csv_cell(out, &t, r->package, false);
	ap_buf_addc(out, ',');
	csv_cell(out, &t, r->version_name ? r->version_name : f.version, false);
	ap_buf_addc(out, ',');
	csv_cell(out, &t, r->app_type, false);
	ap_buf_addc(out, ',');
	csv_cell(out, &t, num, true);
	ap_buf_addc(out, ',');
	csv_cell(out, &t, r->grade, false);
	for (int s = 3; s >= 0; s--)
		ap_buf_addf(out, ",%zu", f.has_score ? f.sev[s] : 0);
	ap_buf_addc(out, ',');
	joined(&j, r, false);
	csv_cell(out, &t, j.data, true);
	ap_buf_addc(out, ',');
	joined(&j, r, true);
	csv_cell(out, &t, j.data, true);
	ap_buf_addc(out, ',');
	csv_cell(out, &t, status ? status : "ok", false);
	ap_buf_addc(out, ',');
	csv_cell(out, &t, reason, false);
	ap_buf_adds(out, "\r\n");
	if (t.failed || j.failed)
		out->failed = true;
	ap_buf_free(&t);
	ap_buf_free(&j);
	return ap_rep_result(out);
}

int ap_summary_jsonl_row(const struct ap_report *r, const char *status, const char *reason,
			 struct ap_buf *out)
{
	struct row_facts f;
	facts(r, &f);
	struct ap_rj j;
	struct ap_jw *w = &j.w;
	ap_rj_begin(&j, out, AP_RJ_PLAIN);
	ap_jw_obj(w);
	ap_rj_kstr(&j, "file", r->path ? r->path : "", AP_REP_NOCAP);
	ap_rj_kstr(&j, "sha256", r->sha256, AP_REP_CAP);
	ap_rj_kstr(&j, "package", r->package, AP_REP_CAP);
	ap_rj_kstr(&j, "version", r->version_name ? r->version_name : f.version[0] ? f.version : NULL,
		   AP_REP_CAP);
	ap_jw_ki64(w, "version_code", r->version_code);
	ap_rj_kstr(&j, "app_type", r->app_type, AP_REP_CAP);
	if (f.has_score) {
		ap_rj_num(&j, "score", r->score_total);
	} else {
		ap_jw_key(w, "score");
		ap_jw_null(w);
	}
	ap_rj_kstr(&j, "grade", r->grade, AP_REP_CAP);
	for (int s = 3; s >= 0; s--)
		ap_jw_ku64(w, ap_severity_name((enum ap_severity)s), f.sev[s]);
	ap_jw_key(w, "pi");
	ap_jw_arr(w);
	for (size_t i = 0; i < r->n_pi; i++)
		ap_rj_str(&j, r->pi[i].category, AP_REP_CAP);
	ap_jw_arr_end(w);
	ap_jw_key(w, "sdks");
	ap_jw_arr(w);
	for (size_t i = 0; i < r->n_sdks; i++)
		ap_rj_str(&j, r->sdks[i].id, AP_REP_CAP);
	ap_jw_arr_end(w);
	ap_rj_kstr(&j, "status", status ? status : "ok", AP_REP_CAP);
	ap_rj_kstr(&j, "reason", reason, AP_REP_CAP);
	ap_jw_obj_end(w);
	return ap_rj_end(&j);
}

static char *dup_field(json_object *o, const char *k)
{
	json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static char *dup_list(json_object *o, const char *k)
{
	json_object *v;
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 0);
	ap_buf_adds(&b, "");
	if (json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);
			if (!json_object_is_type(e, json_type_string))
				continue;
			if (b.len)
				ap_buf_addc(&b, ';');
			ap_buf_adds(&b, json_object_get_string(e));
		}
	}
	return ap_buf_take(&b);
}

static void row_free(struct ap_summary_row *w)
{
	free(w->file); free(w->sha256); free(w->package); free(w->version); free(w->app_type);
	free(w->grade); free(w->status); free(w->reason); free(w->pi); free(w->sdks);
}

void ap_summary_rows_free(struct ap_summary_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		row_free(&rows[i]);
	free(rows);
}

static bool parse_row(const char *line, size_t len, struct ap_summary_row *w)
{
	memset(w, 0, sizeof *w);
	json_tokener *tok = json_tokener_new();
	if (!tok)
		return false;
	json_object *o = json_tokener_parse_ex(tok, line, (int)len);
	bool ok = o && json_tokener_get_error(tok) == json_tokener_success &&
		  json_object_is_type(o, json_type_object);
	json_tokener_free(tok);
	if (ok)
		w->file = dup_field(o, "file");
	if (!ok || !w->file) {
		json_object_put(o);
		return false;
	}
	w->sha256 = dup_field(o, "sha256");
	w->package = dup_field(o, "package");
	w->version = dup_field(o, "version");
	w->app_type = dup_field(o, "app_type");
	w->grade = dup_field(o, "grade");
	w->status = dup_field(o, "status");
	w->reason = dup_field(o, "reason");
	w->pi = dup_list(o, "pi");
	w->sdks = dup_list(o, "sdks");
	json_object *v;
	if (json_object_object_get_ex(o, "score", &v) &&
	    (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int))) {
		w->has_score = true;
		w->score = json_object_get_double(v);
	}
	for (int s = 0; s < 4; s++)
		if (json_object_object_get_ex(o, ap_severity_name((enum ap_severity)s), &v) &&
		    json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0)
			w->sev[s] = (size_t)json_object_get_int64(v);
	json_object_put(o);
	return true;
}

int ap_summary_rows_parse(const char *jsonl, size_t len, struct ap_summary_row **rows, size_t *n,
			  size_t *bad)
{
	*rows = NULL;
	*n = 0;
	if (bad)
		*bad = 0;
	size_t cap = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(jsonl + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - jsonl) : len;
		size_t l = e - i;
		if (l && l < (size_t)1 << 30) {
			if (*n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				struct ap_summary_row *q = realloc(*rows, nc * sizeof *q);
				if (!q)
					return AP_ERR_NOMEM;
				*rows = q;
				cap = nc;
			}
			if (parse_row(jsonl + i, l, &(*rows)[*n]))
				(*n)++;
			else if (bad)
				(*bad)++;
		}
		i = e + 1;
	}
	return AP_OK;
}

static int cmp_rank(const void *pa, const void *pb)
{
	const struct ap_summary_row *a = *(const struct ap_summary_row *const *)pa;
	const struct ap_summary_row *b = *(const struct ap_summary_row *const *)pb;
	if (a->has_score != b->has_score)
		return a->has_score ? -1 : 1;
	if (a->has_score && a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return strcmp(a->file, b->file);
}

static void hr(struct ap_buf *o, const char *s)
{
	ap_rep_html_raw(o, s ? s : "");
}

static void histogram(struct ap_buf *o, const struct ap_summary_row *rows, size_t n)
{
	size_t bins[10] = {0}, max = 1;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].has_score)
			continue;
		double s = rows[i].score;
		int b = s >= 100 ? 9 : s <= 0 ? 0 : (int)(s / 10);
		bins[b]++;
	}
	for (int b = 0; b < 10; b++)
		if (bins[b] > max)
			max = bins[b];
	ap_buf_adds(o, "<svg role=\"img\" aria-label=\"Score histogram\" width=\"100%\" "
		       "viewBox=\"0 0 620 240\" xmlns=\"http://www.w3.org/2000/svg\" "
		       "font-family=\"system-ui,sans-serif\" font-size=\"12\">"
		       "<line x1=\"30\" y1=\"200\" x2=\"610\" y2=\"200\" stroke=\"#9aa5b1\"/>");
	for (int b = 0; b < 10; b++) {
		double hgt = 170.0 * (double)bins[b] / (double)max;
		int x = 36 + b * 57;
		const char *col = b >= 8 ? "#2e7d32" : b >= 6 ? "#f9a825" : b >= 4 ? "#ef6c00" : "#c62828";
		ap_buf_addf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"48\" height=\"%.1f\" rx=\"3\" "
			       "fill=\"%s\"><title>%d-%d: %zu</title></rect>",
			    x, 200 - hgt, hgt, col, b * 10, b * 10 + 10, bins[b]);
		if (bins[b])
			ap_buf_addf(o, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" "
				       "font-weight=\"600\">%zu</text>", x + 24, 195 - hgt, bins[b]);
		ap_buf_addf(o, "<text x=\"%d\" y=\"218\" text-anchor=\"middle\" fill=\"#616e7c\">"
			       "%d&ndash;%d</text>", x + 24, b * 10, b * 10 + 10);
	}
	ap_buf_adds(o, "<text x=\"320\" y=\"236\" text-anchor=\"middle\" fill=\"#616e7c\">privacy "
		       "score (higher is better)</text></svg>");
}

int ap_summary_html(const struct ap_summary_row *rows, size_t n, struct ap_buf *out)
{
	struct ap_buf *o = out;
	const struct ap_summary_row **ord = n ? malloc(n * sizeof *ord) : NULL;
	if (n && !ord)
		return AP_ERR_NOMEM;
	size_t scored = 0, failed = 0;
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		ord[i] = &rows[i];
		if (rows[i].has_score) {
			scored++;
			sum += rows[i].score;
		}
		if (rows[i].status && strcmp(rows[i].status, "ok") != 0 &&
		    strcmp(rows[i].status, "partial") != 0)
			failed++;
	}
	if (n)
		qsort(ord, n, sizeof *ord, cmp_rank);
	char mean[64] = "-";
	if (scored)
		ap_rep_num(mean, sizeof mean, sum / (double)scored);

	ap_buf_adds(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"" AP_HTML_CSP "\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<title>apkpriv batch summary</title>\n<style>" AP_HTML_CSS
		       "</style></head>\n<body>\n<header class=\"top\"><div class=\"brand\">apkpriv batch "
		       "summary</div>");
	ap_buf_addf(o, "<h1>%zu inputs</h1><div class=\"sub\">%zu analysed, %zu failed, mean score %s"
		       "</div></header>\n<main>\n", n, scored, failed, mean);
	ap_buf_adds(o, "<section id=\"histogram\"><h2>Score distribution</h2>");
	histogram(o, rows, n);
	ap_buf_adds(o, "</section>\n<section id=\"ranking\"><h2>Ranking <span class=\"n\">(lowest "
		       "score first)</span></h2><table><thead><tr><th class=\"num\">#</th><th>File</th>"
		       "<th>Package</th><th>Version</th><th>App type</th><th class=\"num\">Score</th>"
		       "<th>Grade</th><th class=\"num\">High</th><th class=\"num\">Med</th>"
		       "<th class=\"num\">Low</th><th class=\"num\">Info</th><th>PI categories</th>"
		       "<th>SDKs</th><th>Status</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct ap_summary_row *w = ord[i];
		char sc[64] = "&ndash;";
		if (w->has_score)
			ap_rep_num(sc, sizeof sc, w->score);
		ap_buf_addf(o, "<tr><td class=\"num\">%zu</td><td><code>", i + 1);
		hr(o, w->file);
		ap_buf_adds(o, "</code></td><td><code>");
		hr(o, w->package);
		ap_buf_adds(o, "</code></td><td>");
		hr(o, w->version);
		ap_buf_adds(o, "</td><td>");
		hr(o, w->app_type);
		ap_buf_addf(o, "</td><td class=\"num\"><b>%s</b></td><td>", sc);
		if (w->grade) {
			char c = (w->grade[0] >= 'A' && w->grade[0] <= 'F' && !w->grade[1]) ? w->grade[0] : 'x';
			ap_buf_addf(o, "<span class=\"grade g-%c\" style=\"font-size:12px;margin:0;"
				       "padding:1px 9px\">", c);
			hr(o, w->grade);
			ap_buf_adds(o, "</span>");
		}
		ap_buf_addf(o, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
			       "<td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"mono\">",
			    w->sev[AP_SEV_HIGH], w->sev[AP_SEV_MEDIUM], w->sev[AP_SEV_LOW], w->sev[AP_SEV_INFO]);
		hr(o, w->pi);
		ap_buf_adds(o, "</td><td class=\"mono\">");
		hr(o, w->sdks);
		ap_buf_adds(o, "</td><td>");
		bool bad = w->status && strcmp(w->status, "ok") != 0;
		ap_buf_adds(o, bad ? "<span class=\"yes\">" : "<span>");
		hr(o, w->status ? w->status : "ok");
		ap_buf_adds(o, "</span>");
		if (w->reason) {
			ap_buf_adds(o, "<br><span class=\"no\">");
			hr(o, w->reason);
			ap_buf_adds(o, "</span>");
		}
		ap_buf_adds(o, "</td></tr>");
	}
	ap_buf_adds(o, "</tbody></table></section>\n<footer>Generated by apkpriv</footer>\n</main>\n"
		       "<script>" AP_HTML_SCRIPT "</script>\n</body></html>\n");
	free(ord);
	return ap_rep_result(out);
}
