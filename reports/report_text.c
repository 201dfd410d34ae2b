/* The terminal report: header, score, findings by severity with the points each cost, their
 * evidence, SDKs, permissions, network, anomalies. Strings from the APK go through ap_rep_esc
 * so a label cannot move the cursor or recolour the terminal. */
#include <stdlib.h>
#include <string.h>

#include "ap_err.h"
#include "reports/report.h"
#include "reports/report_util.h"

#define TEXT_MAX_EVIDENCE 6u /* evidence lines per finding; the JSON has them all */

struct txt {
	struct ap_buf *out;
	struct ap_buf tmp;
	bool color;
};

static void sgr(struct txt *t, const char *code)
{
	if (t->color)
		ap_buf_addf(t->out, "\x1b[%sm", code);
}

static const char *sev_color(enum ap_severity s)
{
	switch (s) {
	case AP_SEV_HIGH: return "1;31";
	case AP_SEV_MEDIUM: return "33";
	case AP_SEV_LOW: return "36";
	default: return "2";
	}
}

static const char *grade_color(const char *g)
{
	if (!g || !*g)
		return "0";
	switch (g[0]) {
	case 'A': return "1;32";
	case 'B': return "32";
	case 'C': return "33";
	case 'D': return "31";
	default: return "1;31";
	}
}

/* Terminal columns of clean UTF-8 text: East Asian wide ranges count 2. */
static size_t cols(const char *s)
{
	size_t w = 0;
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		unsigned cp;
		size_t l;
		if (*u < 0x80) { cp = *u; l = 1; }
		else if ((*u & 0xe0) == 0xc0) { cp = *u & 0x1fu; l = 2; }
		else if ((*u & 0xf0) == 0xe0) { cp = *u & 0x0fu; l = 3; }
		else { cp = *u & 0x07u; l = 4; }
		for (size_t i = 1; i < l; i++) {
			if (!u[i]) { l = i; break; }
			cp = (cp << 6) | (u[i] & 0x3fu);
		}
		bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
			    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
			    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
			    (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000;
		w += wide ? 2 : 1;
		u += l;
	}
	return w;
}

/* Escaped s, padded to width columns (no padding when width is 0). */
static void cell(struct txt *t, const char *s, size_t cap, size_t width)
{
	const char *e = ap_rep_escd(&t->tmp, s ? s : "-", cap);
	ap_buf_adds(t->out, e);
	for (size_t w = cols(e); w < width; w++)
		ap_buf_addc(t->out, ' ');
}

static size_t esc_cols(struct txt *t, const char *s, size_t cap)
{
	return cols(ap_rep_escd(&t->tmp, s ? s : "-", cap));
}

static void heading(struct txt *t, const char *title, size_t n)
{
	ap_buf_addc(t->out, '\n');
	sgr(t, "1;4");
	ap_buf_addf(t->out, "%s (%zu)", title, n);
	sgr(t, "0");
	ap_buf_addc(t->out, '\n');
}

static void header(struct txt *t, const struct ap_report *r)
{
	char num[64];
	struct ap_buf *o = t->out;
	sgr(t, "1");
	ap_buf_adds(o, "apkpriv privacy report: ");
	cell(t, r->label ? r->label : r->package, AP_REP_CAP, 0);
	sgr(t, "0");
	if (r->label_zh) {
		ap_buf_adds(o, " / ");
		cell(t, r->label_zh, AP_REP_CAP, 0);
	}
	ap_buf_adds(o, "\n  package  ");
	cell(t, r->package, AP_REP_CAP, 0);
	ap_buf_adds(o, "  version ");
	cell(t, r->version_name, AP_REP_CAP, 0);
	ap_buf_addf(o, " (%lld)  sdk %d..%d\n", (long long)r->version_code, r->min_sdk, r->target_sdk);
	ap_buf_adds(o, "  input    ");
	cell(t, r->path, AP_REP_NOCAP, 0);
	ap_buf_addf(o, "  %llu bytes  sha256 ", (unsigned long long)r->size);
	cell(t, r->sha256, AP_REP_CAP, 0);
	ap_buf_addc(o, '\n');
	ap_buf_adds(o, "  type     ");
	cell(t, r->app_type_name, AP_REP_NOCAP, 0);
	ap_buf_adds(o, " [");
	cell(t, r->app_type, AP_REP_CAP, 0);
	ap_rep_num(num, sizeof num, r->app_type_confidence);
	ap_buf_addf(o, "] %s, confidence %s\n",
		    ap_rep_escd(&t->tmp, r->app_type_source ? r->app_type_source : "-", AP_REP_CAP), num);
	ap_buf_addf(o, "  code     %zu dex, %zu classes, %zu methods, %zu native libs%s%s%s\n", r->n_dex,
		    r->n_classes, r->n_methods, r->n_native_libs, r->debuggable ? ", debuggable" : "",
		    r->allow_backup ? ", allowBackup" : "", r->uses_cleartext ? ", cleartext traffic" : "");

	ap_rep_num(num, sizeof num, r->score_total);
	ap_buf_adds(o, "\n  score    ");
	sgr(t, grade_color(r->grade));
	ap_buf_addf(o, "%s/100  grade %s", num, ap_rep_escd(&t->tmp, r->grade ? r->grade : "-", 8));
	sgr(t, "0");
	static const char *const dims[3] = {"permission invocation", "PI upload", "network upload"};
	for (int d = 0; d < 3; d++) {
		ap_rep_num(num, sizeof num, r->score_dim[d]);
		ap_buf_addf(o, "%s%d %s %s", d ? ",  " : "   [", d + 1, dims[d], num);
	}
	ap_buf_adds(o, "]\n");
	if (r->partial) {
		sgr(t, "1;33");
		ap_buf_adds(o, "  PARTIAL: ");
		cell(t, r->partial_reason ? r->partial_reason : "analysis was cut short", AP_REP_CAP, 0);
		sgr(t, "0");
		ap_buf_addc(o, '\n');
	}
}

static void evidence_line(struct txt *t, const struct ap_evidence *e)
{
	struct ap_buf *o = t->out;
	ap_buf_adds(o, "        ");
	cell(t, e->owner ? e->owner : "first_party", AP_REP_CAP, 14);
	ap_buf_adds(o, "  ");
	if (e->method) {
		cell(t, e->method, AP_REP_CAP, 0);
		if (e->pc >= 0)
			ap_buf_addf(o, " @%lld", (long long)e->pc);
	} else if (e->library) {
		cell(t, e->library, AP_REP_CAP, 0);
		if (e->offset >= 0)
			ap_buf_addf(o, " @0x%llx", (unsigned long long)e->offset);
	} else {
		ap_buf_adds(o, ap_via_name(e->via));
	}
	ap_buf_adds(o, "  ");
	cell(t, e->api, AP_REP_CAP, 0);
	if (e->detail) {
		ap_buf_adds(o, "  (");
		cell(t, e->detail, AP_REP_CAP, 0);
		ap_buf_addc(o, ')');
	}
	if (e->reachable == 1 && e->n_path)
		ap_buf_addf(o, "  [reachable, path of %zu]", e->n_path);
	else if (e->reachable == 0)
		ap_buf_adds(o, "  [not reachable]");
	ap_buf_addc(o, '\n');
}

static void findings(struct txt *t, const struct ap_report *r)
{
	struct ap_buf *o = t->out;
	char num[64];
	heading(t, "Findings", r->n_findings);
	size_t *idx = ap_rep_finding_order(r);
	if (r->n_findings && !idx) {
		o->failed = true;
		return;
	}
	for (size_t k = 0; k < r->n_findings; k++) {
		const struct ap_finding *f = &r->findings[idx[k]];
		ap_buf_adds(o, "  ");
		sgr(t, sev_color(f->severity));
		ap_buf_addf(o, "%-6s", ap_severity_name(f->severity));
		sgr(t, "0");
		ap_buf_adds(o, " ");
		cell(t, f->rule, 16, 4);
		ap_rep_num(num, sizeof num, f->points);
		ap_buf_addf(o, " -%-5s d%d  ", num, f->dimension);
		sgr(t, "1");
		cell(t, f->title, AP_REP_NOCAP, 0);
		sgr(t, "0");
		ap_buf_addc(o, '\n');
		if (f->message) {
			ap_buf_adds(o, "        ");
			cell(t, f->message, AP_REP_NOCAP, 0);
			ap_buf_addc(o, '\n');
		}
		for (size_t i = 0; i < f->n_evidence && i < TEXT_MAX_EVIDENCE; i++)
			evidence_line(t, &f->evidence[i]);
		if (f->n_evidence > TEXT_MAX_EVIDENCE)
			ap_buf_addf(o, "        ... and %zu more (see the JSON report)\n",
				    f->n_evidence - TEXT_MAX_EVIDENCE);
		if (f->n_refs) {
			ap_buf_adds(o, "        refs: ");
			for (size_t i = 0; i < f->n_refs; i++) {
				if (i)
					ap_buf_adds(o, "; ");
				cell(t, f->refs[i].id, AP_REP_NOCAP, 0);
			}
			ap_buf_addc(o, '\n');
		}
		if (f->remediation) {
			ap_buf_adds(o, "        fix:  ");
			cell(t, f->remediation, AP_REP_NOCAP, 0);
			ap_buf_addc(o, '\n');
		}
	}
	free(idx);
}

static void join(struct txt *t, const char *const *v, size_t n)
{
	if (!n)
		ap_buf_adds(t->out, "-");
	for (size_t i = 0; i < n; i++) {
		if (i)
			ap_buf_addc(t->out, ',');
		cell(t, v[i], AP_REP_CAP, 0);
	}
}

static void sdks(struct txt *t, const struct ap_report *r)
{
	struct ap_buf *o = t->out;
	heading(t, "Third-party SDKs", r->n_sdks);
	size_t w[4] = {2, 4, 6, 8};
	for (size_t i = 0; i < r->n_sdks; i++) {
		const struct ap_rep_sdk *s = &r->sdks[i];
		const char *v[4] = {s->id, s->name, s->vendor, s->category};
		for (int c = 0; c < 4; c++) {
			size_t x = esc_cols(t, v[c], AP_REP_CAP);
			if (x > w[c])
				w[c] = x < 40 ? x : 40;
		}
	}
	if (!r->n_sdks)
		return;
	sgr(t, "2");
	ap_buf_adds(o, "  ");
	cell(t, "id", 0, w[0] + 2);
	cell(t, "name", 0, w[1] + 2);
	cell(t, "vendor", 0, w[2] + 2);
	cell(t, "country", 0, 9);
	cell(t, "category", 0, w[3] + 2);
	ap_buf_adds(o, "classes  PI\n");
	sgr(t, "0");
	for (size_t i = 0; i < r->n_sdks; i++) {
		const struct ap_rep_sdk *s = &r->sdks[i];
		ap_buf_adds(o, "  ");
		cell(t, s->id, AP_REP_CAP, w[0] + 2);
		cell(t, s->name, AP_REP_CAP, w[1] + 2);
		cell(t, s->vendor, AP_REP_CAP, w[2] + 2);
		cell(t, s->country, AP_REP_CAP, 9);
		cell(t, s->category, AP_REP_CAP, w[3] + 2);
		ap_buf_addf(o, "%7zu  ", s->classes);
		join(t, s->pi, s->n_pi);
		ap_buf_addc(o, '\n');
	}
}

static void permissions(struct txt *t, const struct ap_report *r)
{
	struct ap_buf *o = t->out;
	heading(t, "Permissions", r->n_permissions);
	size_t w = 10;
	for (size_t i = 0; i < r->n_permissions; i++) {
		size_t x = esc_cols(t, r->permissions[i].name, AP_REP_CAP);
		if (x > w)
			w = x < 60 ? x : 60;
	}
	if (!r->n_permissions)
		return;
	sgr(t, "2");
	ap_buf_adds(o, "  ");
	cell(t, "permission", 0, w + 2);
	ap_buf_adds(o, "declared  used     dangerous  PI\n");
	sgr(t, "0");
	for (size_t i = 0; i < r->n_permissions; i++) {
		const struct ap_rep_permission *p = &r->permissions[i];
		ap_buf_adds(o, "  ");
		cell(t, p->name, AP_REP_CAP, w + 2);
		ap_buf_addf(o, "%-8s  %-7s  ", p->declared ? "yes" : "no",
			    p->used < 0 ? "unknown" : p->used ? "yes" : "no");
		if (p->dangerous)
			sgr(t, "33");
		ap_buf_addf(o, "%-9s", p->dangerous ? "dangerous" : "-");
		if (p->dangerous)
			sgr(t, "0");
		ap_buf_adds(o, "  ");
		join(t, p->pi, p->n_pi);
		ap_buf_addc(o, '\n');
	}
}

static void network(struct txt *t, const struct ap_report *r)
{
	struct ap_buf *o = t->out;
	heading(t, "Network endpoints", r->n_urls);
	for (size_t i = 0; i < r->n_urls; i++) {
		const struct ap_rep_url *u = &r->urls[i];
		ap_buf_adds(o, "  ");
		if (u->cleartext)
			sgr(t, "33");
		ap_buf_adds(o, u->cleartext ? "http " : "     ");
		if (u->cleartext)
			sgr(t, "0");
		cell(t, u->url, AP_REP_CAP, 0);
		ap_buf_adds(o, "  ");
		cell(t, u->owner, AP_REP_CAP, 0);
		ap_buf_adds(o, "  ");
		cell(t, u->where, AP_REP_CAP, 0);
		ap_buf_addc(o, '\n');
	}
	if (r->n_network_apis) {
		ap_buf_adds(o, "  network APIs: ");
		join(t, r->network_apis, r->n_network_apis);
		ap_buf_addc(o, '\n');
	}
}

static void anomalies(struct txt *t, const struct ap_report *r)
{
	struct ap_buf *o = t->out;
	const struct ap_anomalies *an = r->anomalies;
	size_t n = an ? an->count : 0;
	heading(t, "Anomalies", n);
	for (size_t i = 0; i < n; i++) {
		const struct ap_anomaly *x = &an->items[i];
		ap_buf_adds(o, "  ");
		cell(t, x->module, AP_REP_CAP, 9);
		ap_buf_addf(o, "%-12s ", ap_err_name(x->code));
		cell(t, x->where, AP_REP_CAP, 0);
		if (x->offset != AP_OFFSET_NONE)
			ap_buf_addf(o, " @0x%llx", (unsigned long long)x->offset);
		ap_buf_adds(o, ": ");
		cell(t, x->what, AP_REP_CAP, 0);
		ap_buf_addc(o, '\n');
	}
	if (an && an->dropped)
		ap_buf_addf(o, "  ... and %zu more not kept\n", an->dropped);
}

int ap_report_text(const struct ap_report *r, bool color, struct ap_buf *out)
{
	struct txt t = {.out = out, .tmp = AP_BUF_INIT, .color = color};
	ap_buf_init(&t.tmp, 0);
	header(&t, r);
	findings(&t, r);
	sdks(&t, r);
	permissions(&t, r);
	network(&t, r);
	anomalies(&t, r);
	if (!r->deterministic)
		ap_buf_addf(out, "\n(analysed in %.0f ms)\n", r->elapsed_ms);
	if (t.tmp.failed)
		out->failed = true;
	ap_buf_free(&t.tmp);
	return ap_rep_result(out);
}
