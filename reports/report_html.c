/* The HTML report for reviewers: one self-contained page (inline CSS and SVG, one hashed inline
 * script, a CSP that forbids everything else). Every APK-derived string goes through
 * ap_rep_html: control-byte escaping first, then & < > " '. */
#include <stdlib.h>
#include <string.h>

#include "ap_err.h"
#include "reports/report.h"
#include "reports/report_html_style.h"
#include "reports/report_util.h"

#define HTML_MAX_EVIDENCE 50u   /* evidence rows per finding; the JSON report has them all */
#define HTML_MAX_OWNERS 32u     /* matrix columns (first party + SDKs); the rest are "other" */

static const char *const dim_names[3] = {"Permission invocation", "PI upload", "Network upload"};

static void h(struct ap_buf *o, const char *s)
{
	ap_rep_html(o, s ? s : "-", AP_REP_CAP);
}

static void ht(struct ap_buf *o, const char *s)
{
	ap_rep_html(o, s ? s : "-", AP_REP_NOCAP);
}

static const char *bar_color(double v)
{
	return v >= 80 ? "#2e7d32" : v >= 60 ? "#f9a825" : v >= 40 ? "#ef6c00" : "#c62828";
}

static void grade_class(struct ap_buf *o, const char *g)
{
	char c = (g && g[0] >= 'A' && g[0] <= 'F' && !g[1]) ? g[0] : 'x';
	ap_buf_addf(o, "g-%c", c);
}

/* The three CSAC/CNCERT dimensions as a horizontal bar chart. */
static void dim_chart(struct ap_buf *o, const struct ap_report *r)
{
	char num[64];
	ap_buf_adds(o, "<svg role=\"img\" aria-label=\"Dimension sub-scores\" width=\"100%\" "
		       "viewBox=\"0 0 460 130\" xmlns=\"http://www.w3.org/2000/svg\" "
		       "font-family=\"system-ui,sans-serif\" font-size=\"12\">");
	for (int d = 0; d < 3; d++) {
		double v = r->score_dim[d];
		if (!(v >= 0))
			v = 0;
		if (v > 100)
			v = 100;
		int y = 8 + d * 40;
		ap_rep_num(num, sizeof num, r->score_dim[d]);
		ap_buf_addf(o, "<text x=\"0\" y=\"%d\" fill=\"#334e68\">%d. %s</text>", y + 10, d + 1,
			    dim_names[d]);
		ap_buf_addf(o, "<rect x=\"0\" y=\"%d\" width=\"400\" height=\"14\" rx=\"3\" "
			       "fill=\"#e4e7eb\"/>", y + 16);
		ap_buf_addf(o, "<rect x=\"0\" y=\"%d\" width=\"%.1f\" height=\"14\" rx=\"3\" "
			       "fill=\"%s\"/>", y + 16, v * 4.0, bar_color(v));
		ap_buf_addf(o, "<text x=\"408\" y=\"%d\" font-weight=\"600\">%s</text>", y + 28, num);
	}
	ap_buf_adds(o, "</svg>");
}

static void overview(struct ap_buf *o, const struct ap_report *r)
{
	char num[64];
	size_t sev[4] = {0};
	for (size_t i = 0; i < r->n_findings; i++)
		if ((unsigned)r->findings[i].severity < 4)
			sev[r->findings[i].severity]++;
	if (r->partial) {
		ap_buf_adds(o, "<div class=\"banner\"><b>Partial analysis:</b> ");
		h(o, r->partial_reason ? r->partial_reason : "a limit or an unreadable part cut the analysis");
		ap_buf_adds(o, "</div>");
	}
	ap_buf_adds(o, "<section class=\"overview\" id=\"overview\"><div class=\"score\">");
	ap_rep_num(num, sizeof num, r->score_total);
	ap_buf_addf(o, "<div class=\"big\">%s</div><div class=\"of\">privacy score / 100</div>", num);
	ap_buf_adds(o, "<div class=\"grade ");
	grade_class(o, r->grade);
	ap_buf_adds(o, "\">Grade ");
	h(o, r->grade);
	ap_buf_adds(o, "</div></div><div>");
	dim_chart(o, r);
	ap_buf_adds(o, "</div><div><div class=\"counts\">");
	static const char *const sn[4] = {"info", "low", "medium", "high"};
	for (int s = 3; s >= 0; s--)
		ap_buf_addf(o, "<span class=\"s-%s\">%zu %s</span>", sn[s], sev[s], sn[s]);
	ap_buf_adds(o, "</div><dl class=\"facts\"><dt>App type</dt><dd>");
	ht(o, r->app_type_name);
	ap_buf_adds(o, " <code>");
	h(o, r->app_type);
	ap_rep_num(num, sizeof num, r->app_type_confidence * 100);
	ap_buf_adds(o, "</code></dd><dt>Type source</dt><dd>");
	h(o, r->app_type_source);
	ap_buf_addf(o, " (confidence %s%%)", num);
	for (size_t i = 0; i < r->n_app_type_reasons; i++) {
		ap_buf_adds(o, i ? "; " : ": ");
		h(o, r->app_type_reasons[i]);
	}
	ap_buf_addf(o, "</dd><dt>PI categories</dt><dd>%zu</dd><dt>Third-party SDKs</dt><dd>%zu</dd>"
		       "<dt>Permissions</dt><dd>%zu</dd></dl></div></section>",
		    r->n_pi, r->n_sdks, r->n_permissions);
}

/* Matrix columns: first party, each SDK in report order, then any other owner seen. */
struct owners {
	const char *v[HTML_MAX_OWNERS];
	size_t n;
	bool other;
};

static long owner_col(const struct owners *ow, const char *o)
{
	for (size_t i = 0; i < ow->n; i++)
		if (strcmp(ow->v[i], o) == 0)
			return (long)i;
	return -1;
}

static void owner_add(struct owners *ow, const char *o)
{
	if (!o || owner_col(ow, o) >= 0)
		return;
	if (ow->n < HTML_MAX_OWNERS)
		ow->v[ow->n++] = o;
	else
		ow->other = true;
}

static const struct ap_rep_sdk *sdk_of(const struct ap_report *r, const char *owner)
{
	if (strncmp(owner, "sdk:", 4) != 0)
		return NULL;
	for (size_t i = 0; i < r->n_sdks; i++)
		if (r->sdks[i].id && strcmp(r->sdks[i].id, owner + 4) == 0)
			return &r->sdks[i];
	return NULL;
}

static void matrix(struct ap_buf *o, const struct ap_report *r)
{
	struct owners ow = {.n = 0};
	ow.v[ow.n++] = "first_party";
	/* columns are the evidence's own owner strings ("sdk:<id>"), titled with the SDK's name */
	for (size_t i = 0; i < r->n_pi; i++)
		for (size_t k = 0; k < r->pi[i].n_evidence; k++)
			owner_add(&ow, r->pi[i].evidence[k].owner);
	ap_buf_addf(o, "<section id=\"matrix\"><h2>Personal information by source <span class=\"n\">"
		       "(%zu categories &times; %zu sources)</span></h2>", r->n_pi, ow.n);
	if (!r->n_pi) {
		ap_buf_adds(o, "<p class=\"no\">No personal-information evidence found.</p></section>");
		return;
	}
	ap_buf_adds(o, "<table class=\"matrix\"><thead><tr><th>PI category</th><th>Sensitivity</th>");
	for (size_t c = 0; c < ow.n; c++) {
		const struct ap_rep_sdk *s = sdk_of(r, ow.v[c]);
		ap_buf_adds(o, "<th class=\"rot\">");
		if (c == 0)
			ap_buf_adds(o, "First party");
		else if (s)
			h(o, s->name ? s->name : s->id);
		else
			h(o, ow.v[c]);
		ap_buf_adds(o, "</th>");
	}
	if (ow.other)
		ap_buf_adds(o, "<th class=\"rot\">Other</th>");
	ap_buf_adds(o, "</tr></thead><tbody>");
	for (size_t i = 0; i < r->n_pi; i++) {
		const struct ap_rep_pi *p = &r->pi[i];
		size_t cnt[HTML_MAX_OWNERS + 1] = {0};
		for (size_t k = 0; k < p->n_evidence; k++) {
			const char *own = p->evidence[k].owner ? p->evidence[k].owner : "first_party";
			long c = owner_col(&ow, own);
			cnt[c >= 0 ? (size_t)c : HTML_MAX_OWNERS]++;
		}
		ap_buf_adds(o, "<tr><td>");
		ht(o, p->name ? p->name : p->category);
		ap_buf_adds(o, "<br><code>");
		h(o, p->category);
		ap_buf_adds(o, "</code></td><td>");
		bool sens = p->sensitivity && strcmp(p->sensitivity, "sensitive") == 0;
		ap_buf_addf(o, "<span class=\"tag%s\">", sens ? " sens" : "");
		h(o, p->sensitivity);
		ap_buf_adds(o, "</span>");
		if (p->immutable_id)
			ap_buf_adds(o, "<span class=\"tag sens\">immutable id</span>");
		if (!p->necessary)
			ap_buf_adds(o, "<span class=\"tag nn\">not necessary</span>");
		ap_buf_adds(o, "</td>");
		size_t ncol = ow.n + (ow.other ? 1 : 0);
		for (size_t c = 0; c < ncol; c++) {
			size_t v = cnt[c < ow.n ? c : HTML_MAX_OWNERS];
			if (!v) {
				ap_buf_adds(o, "<td class=\"c no\">&middot;</td>");
				continue;
			}
			/* heat: more evidence, stronger red */
			double a = 0.15 + (v >= 10 ? 0.6 : (double)v * 0.06);
			ap_buf_addf(o, "<td class=\"c\" style=\"background:rgba(198,40,40,%.2f)\">%zu</td>",
				    a, v);
		}
		ap_buf_adds(o, "</tr>");
	}
	ap_buf_adds(o, "</tbody></table></section>");
}

static void evidence_row(struct ap_buf *o, const struct ap_evidence *e)
{
	ap_buf_adds(o, "<tr><td>");
	h(o, e->owner ? e->owner : "first_party");
	ap_buf_adds(o, "</td><td>");
	ap_buf_adds(o, ap_via_name(e->via));
	ap_buf_adds(o, "</td><td><code>");
	if (e->method) {
		if (e->dexfile) {
			h(o, e->dexfile);
			ap_buf_adds(o, " ");
		}
		h(o, e->method);
		if (e->pc >= 0)
			ap_buf_addf(o, " @%lld", (long long)e->pc);
	} else if (e->library) {
		h(o, e->library);
		if (e->offset >= 0)
			ap_buf_addf(o, " @0x%llx", (unsigned long long)e->offset);
	} else {
		ap_buf_adds(o, e->via == AP_VIA_PERMISSION || e->via == AP_VIA_MANIFEST
				       ? "AndroidManifest.xml" : "&ndash;");
	}
	ap_buf_adds(o, "</code></td><td><code>");
	h(o, e->api);
	ap_buf_adds(o, "</code>");
	if (e->detail) {
		ap_buf_adds(o, "<br>");
		h(o, e->detail);
	}
	ap_buf_adds(o, "</td><td>");
	if (e->reachable == -1)
		ap_buf_adds(o, "<span class=\"no\">n/a</span>");
	else if (!e->reachable)
		ap_buf_adds(o, "<span class=\"no\">not reachable</span>");
	else {
		ap_buf_adds(o, "reachable");
		for (unsigned i = 0; i < 3; i++)
			if (e->entries & (1u << i))
				ap_buf_addf(o, " <span class=\"tag\">%s</span>", ap_rep_entry_name(i));
	}
	ap_buf_adds(o, "</td></tr>");
}

static void call_paths(struct ap_buf *o, const struct ap_finding *f)
{
	for (size_t i = 0; i < f->n_evidence && i < HTML_MAX_EVIDENCE; i++) {
		const struct ap_evidence *e = &f->evidence[i];
		if (!e->n_path)
			continue;
		ap_buf_adds(o, "<details><summary>Call path to <code>");
		h(o, e->api);
		ap_buf_addf(o, "</code> (%zu hops)</summary>", e->n_path);
		if (e->path_owners_note) {
			ap_buf_adds(o, "<div class=\"meta\">");
			h(o, e->path_owners_note);
			ap_buf_adds(o, "</div>");
		}
		ap_buf_adds(o, "<ol class=\"path\">");
		for (size_t k = 0; k < e->n_path; k++) {
			ap_buf_adds(o, "<li><code>");
			h(o, e->path[k]);
			ap_buf_adds(o, "</code></li>");
		}
		ap_buf_adds(o, "</ol></details>");
	}
}

static void finding(struct ap_buf *o, const struct ap_finding *f)
{
	char num[64];
	const char *sn = ap_severity_name(f->severity);
	ap_buf_addf(o, "<article class=\"finding sev-%s\"><div class=\"fhead\"><span class=\"sev s-%s\">"
		       "%s</span><span class=\"rule\">", sn, sn, sn);
	h(o, f->rule);
	ap_buf_adds(o, "</span><h3>");
	ht(o, f->title);
	ap_rep_num(num, sizeof num, f->points);
	ap_buf_addf(o, "</h3><span class=\"pts\">&minus;%s pts</span><span class=\"dim\">dimension %d"
		       "</span></div>", num, f->dimension);
	if (f->message) {
		ap_buf_adds(o, "<p class=\"msg\">");
		ht(o, f->message);
		ap_buf_adds(o, "</p>");
	}
	ap_buf_adds(o, "<div class=\"meta\">category <code>");
	h(o, f->category);
	ap_buf_adds(o, "</code> &middot; owner <code>");
	h(o, f->owner);
	ap_buf_adds(o, "</code> &middot; confidence ");
	h(o, f->confidence);
	ap_buf_adds(o, "</div>");
	if (f->n_evidence) {
		ap_buf_addf(o, "<details%s><summary>Evidence (%zu)</summary><table><thead><tr>"
			       "<th>Owner</th><th>Via</th><th>Location</th><th>API / string</th>"
			       "<th>Reachability</th></tr></thead><tbody>",
			    f->severity >= AP_SEV_MEDIUM ? " open" : "", f->n_evidence);
		for (size_t i = 0; i < f->n_evidence && i < HTML_MAX_EVIDENCE; i++)
			evidence_row(o, &f->evidence[i]);
		if (f->n_evidence > HTML_MAX_EVIDENCE)
			ap_buf_addf(o, "<tr><td colspan=\"5\" class=\"no\">&hellip; and %zu more (see the "
				       "JSON report)</td></tr>", f->n_evidence - HTML_MAX_EVIDENCE);
		ap_buf_adds(o, "</tbody></table></details>");
		call_paths(o, f);
	}
	if (f->n_refs) {
		ap_buf_adds(o, "<div class=\"refs\"><b>Regulation references</b><ul>");
		for (size_t i = 0; i < f->n_refs; i++) {
			ap_buf_adds(o, "<li><b>");
			ht(o, f->refs[i].id);
			ap_buf_adds(o, "</b>");
			if (f->refs[i].text) {
				ap_buf_adds(o, ": ");
				ht(o, f->refs[i].text);
			}
			ap_buf_adds(o, "</li>");
		}
		ap_buf_adds(o, "</ul></div>");
	}
	if (f->remediation) {
		ap_buf_adds(o, "<div class=\"fix\"><b>Remediation:</b> ");
		ht(o, f->remediation);
		ap_buf_adds(o, "</div>");
	}
	ap_buf_adds(o, "</article>");
}

static void findings(struct ap_buf *o, const struct ap_report *r)
{
	ap_buf_addf(o, "<section id=\"findings\"><h2>Findings <span class=\"n\">(%zu)</span></h2>",
		    r->n_findings);
	size_t *idx = ap_rep_finding_order(r);
	if (r->n_findings && !idx)
		o->failed = true;
	for (size_t i = 0; idx && i < r->n_findings; i++)
		finding(o, &r->findings[idx[i]]);
	free(idx);
	if (!r->n_findings)
		ap_buf_adds(o, "<p class=\"no\">No findings.</p>");
	ap_buf_adds(o, "</section>");
}

static void tags(struct ap_buf *o, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ap_buf_adds(o, "<span class=\"tag\">");
		h(o, v[i]);
		ap_buf_adds(o, "</span>");
	}
}

static void sdks(struct ap_buf *o, const struct ap_report *r)
{
	ap_buf_addf(o, "<section id=\"sdks\"><h2>Third-party SDKs <span class=\"n\">(%zu)</span></h2>",
		    r->n_sdks);
	if (!r->n_sdks) {
		ap_buf_adds(o, "<p class=\"no\">No known SDK found.</p></section>");
		return;
	}
	ap_buf_adds(o, "<table><thead><tr><th>SDK</th><th>Vendor</th><th>Country</th><th>Category</th>"
		       "<th class=\"num\">Classes</th><th>PI collected</th></tr></thead><tbody>");
	for (size_t i = 0; i < r->n_sdks; i++) {
		const struct ap_rep_sdk *s = &r->sdks[i];
		ap_buf_adds(o, "<tr><td><b>");
		h(o, s->name ? s->name : s->id);
		ap_buf_adds(o, "</b>");
		if (s->name_zh) {
			ap_buf_adds(o, " ");
			h(o, s->name_zh);
		}
		ap_buf_adds(o, "<br><code>");
		h(o, s->id);
		ap_buf_adds(o, "</code></td><td>");
		h(o, s->vendor);
		ap_buf_adds(o, "</td><td>");
		h(o, s->country);
		ap_buf_adds(o, "</td><td>");
		h(o, s->category);
		ap_buf_addf(o, "</td><td class=\"num\">%zu</td><td>", s->classes);
		tags(o, s->pi, s->n_pi);
		ap_buf_adds(o, "</td></tr>");
	}
	ap_buf_adds(o, "</tbody></table></section>");
}

static void permissions(struct ap_buf *o, const struct ap_report *r)
{
	ap_buf_addf(o, "<section id=\"permissions\"><h2>Permissions <span class=\"n\">(%zu)</span></h2>",
		    r->n_permissions);
	if (!r->n_permissions) {
		ap_buf_adds(o, "<p class=\"no\">None.</p></section>");
		return;
	}
	ap_buf_adds(o, "<table><thead><tr><th>Permission</th><th>Declared</th><th>Used in code</th>"
		       "<th>Dangerous</th><th>PI</th></tr></thead><tbody>");
	for (size_t i = 0; i < r->n_permissions; i++) {
		const struct ap_rep_permission *p = &r->permissions[i];
		ap_buf_adds(o, "<tr><td><code>");
		h(o, p->name);
		ap_buf_addf(o, "</code></td><td>%s</td><td>%s</td><td>%s</td><td>",
			    p->declared ? "yes" : "<span class=\"yes\">no</span>",
			    p->used < 0 ? "<span class=\"no\">unknown</span>" : p->used ? "yes" : "<span class=\"no\">no</span>",
			    p->dangerous ? "<span class=\"yes\">dangerous</span>" : "<span class=\"no\">normal</span>");
		tags(o, p->pi, p->n_pi);
		ap_buf_adds(o, "</td></tr>");
	}
	ap_buf_adds(o, "</tbody></table></section>");
}

static void network(struct ap_buf *o, const struct ap_report *r)
{
	ap_buf_addf(o, "<section id=\"network\"><h2>Network <span class=\"n\">(%zu endpoints)</span></h2>",
		    r->n_urls);
	if (r->n_network_apis) {
		ap_buf_adds(o, "<p>Network APIs in use: ");
		tags(o, r->network_apis, r->n_network_apis);
		ap_buf_adds(o, "</p>");
	}
	if (r->n_urls) {
		ap_buf_adds(o, "<table><thead><tr><th>URL / host</th><th>Owner</th><th>Where</th>"
			       "<th>Transport</th></tr></thead><tbody>");
		for (size_t i = 0; i < r->n_urls; i++) {
			const struct ap_rep_url *u = &r->urls[i];
			ap_buf_adds(o, "<tr><td><code>");
			h(o, u->url);
			ap_buf_adds(o, "</code></td><td>");
			h(o, u->owner);
			ap_buf_adds(o, "</td><td><code>");
			h(o, u->where);
			ap_buf_addf(o, "</code></td><td>%s</td></tr>",
				    u->cleartext ? "<span class=\"yes\">cleartext</span>" : "TLS");
		}
		ap_buf_adds(o, "</tbody></table>");
	}
	ap_buf_adds(o, "</section>");
}

static void fact(struct ap_buf *o, const char *k, const char *v)
{
	ap_buf_addf(o, "<dt>%s</dt><dd>", k);
	h(o, v);
	ap_buf_adds(o, "</dd>");
}

static void manifest(struct ap_buf *o, const struct ap_report *r)
{
	ap_buf_adds(o, "<section id=\"manifest\"><h2>App and manifest facts</h2><dl class=\"facts\">");
	fact(o, "Package", r->package);
	fact(o, "Label", r->label);
	if (r->label_zh)
		fact(o, "Label (zh)", r->label_zh);
	fact(o, "Version name", r->version_name);
	ap_buf_addf(o, "<dt>Version code</dt><dd>%lld</dd><dt>SDK</dt><dd>min %d, target %d</dd>",
		    (long long)r->version_code, r->min_sdk, r->target_sdk);
	ap_buf_addf(o, "<dt>debuggable</dt><dd>%s</dd><dt>allowBackup</dt><dd>%s</dd>"
		       "<dt>usesCleartextTraffic</dt><dd>%s</dd>",
		    r->debuggable ? "<span class=\"yes\">true</span>" : "false",
		    r->allow_backup ? "<span class=\"yes\">true</span>" : "false",
		    r->uses_cleartext ? "<span class=\"yes\">true</span>" : "false");
	fact(o, "Application class", r->app_class);
	fact(o, "Launcher", r->launcher);
	ap_buf_addf(o, "<dt>Code</dt><dd>%zu dex files, %zu classes, %zu methods, %zu native "
		       "libraries</dd>", r->n_dex, r->n_classes, r->n_methods, r->n_native_libs);
	fact(o, "Input", r->path);
	ap_buf_addf(o, "<dt>Size</dt><dd>%llu bytes</dd>", (unsigned long long)r->size);
	ap_buf_adds(o, "<dt>SHA-256</dt><dd><code>");
	h(o, r->sha256);
	ap_buf_adds(o, "</code></dd></dl>");
	if (r->n_components) {
		ap_buf_addf(o, "<details><summary>Components (%zu)</summary><table><thead><tr><th>Kind</th>"
			       "<th>Name</th><th>Exported</th><th>Actions</th></tr></thead><tbody>",
			    r->n_components);
		for (size_t i = 0; i < r->n_components; i++) {
			const struct ap_rep_component *c = &r->components[i];
			ap_buf_adds(o, "<tr><td>");
			h(o, c->kind);
			ap_buf_adds(o, "</td><td><code>");
			h(o, c->name);
			ap_buf_addf(o, "</code></td><td>%s</td><td>",
				    c->exported ? "<span class=\"yes\">yes</span>" : "no");
			tags(o, c->actions, c->n_actions);
			ap_buf_adds(o, "</td></tr>");
		}
		ap_buf_adds(o, "</tbody></table></details>");
	}
	ap_buf_adds(o, "</section>");
}

static void anomalies(struct ap_buf *o, const struct ap_report *r)
{
	const struct ap_anomalies *an = r->anomalies;
	size_t n = an ? an->count : 0;
	ap_buf_addf(o, "<section id=\"anomalies\"><h2>Anomalies <span class=\"n\">(%zu)</span></h2>", n);
	if (!n) {
		ap_buf_adds(o, "<p class=\"no\">The input parsed cleanly.</p></section>");
		return;
	}
	ap_buf_adds(o, "<table><thead><tr><th>Module</th><th>Code</th><th>Where</th>"
		       "<th class=\"num\">Offset</th><th>Message</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct ap_anomaly *x = &an->items[i];
		ap_buf_adds(o, "<tr><td>");
		h(o, x->module);
		ap_buf_addf(o, "</td><td>%s</td><td><code>", ap_err_name(x->code));
		h(o, x->where);
		ap_buf_adds(o, "</code></td><td class=\"num\">");
		if (x->offset != AP_OFFSET_NONE)
			ap_buf_addf(o, "0x%llx", (unsigned long long)x->offset);
		ap_buf_adds(o, "</td><td>");
		h(o, x->what);
		ap_buf_adds(o, "</td></tr>");
	}
	ap_buf_adds(o, "</tbody></table>");
	if (an->dropped)
		ap_buf_addf(o, "<p class=\"no\">&hellip; and %zu more not kept.</p>", an->dropped);
	ap_buf_adds(o, "</section>");
}

int ap_report_html(const struct ap_report *r, struct ap_buf *out)
{
	struct ap_buf *o = out;
	ap_buf_adds(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"" AP_HTML_CSP "\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<meta name=\"generator\" content=\"apkpriv\">\n<title>apkpriv report: ");
	h(o, r->label ? r->label : r->package);
	ap_buf_adds(o, "</title>\n<style>" AP_HTML_CSS "</style></head>\n<body>\n");
	ap_buf_adds(o, "<header class=\"top\"><div class=\"brand\">apkpriv privacy report</div><h1>");
	h(o, r->label ? r->label : r->package);
	if (r->label_zh) {
		ap_buf_adds(o, "<small>");
		h(o, r->label_zh);
		ap_buf_adds(o, "</small>");
	}
	ap_buf_adds(o, "</h1><div class=\"sub\">");
	h(o, r->package);
	ap_buf_adds(o, " &middot; version ");
	h(o, r->version_name);
	ap_buf_addf(o, " (%lld) &middot; ", (long long)r->version_code);
	h(o, r->path);
	ap_buf_adds(o, "</div></header>\n<main>\n");
	overview(o, r);
	findings(o, r);
	matrix(o, r);
	sdks(o, r);
	permissions(o, r);
	network(o, r);
	manifest(o, r);
	anomalies(o, r);
	ap_buf_adds(o, "<footer>Generated by apkpriv ");
	h(o, r->tool_version);
	ap_buf_adds(o, " &middot; rules ");
	h(o, r->rules_version);
	if (!r->deterministic)
		ap_buf_addf(o, " &middot; analysed in %.0f ms", r->elapsed_ms);
	ap_buf_adds(o, " &middot; static analysis: findings show what the code can do, not what it "
		       "was seen doing.</footer>\n</main>\n<script>" AP_HTML_SCRIPT "</script>\n"
		       "</body></html>\n");
	return ap_rep_result(out);
}
