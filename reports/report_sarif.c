/* SARIF 2.1.0 for CI (GitHub code scanning and friends): one run, the rules as tool.driver.rules,
 * one result per finding, locations a developer can open (the dex/manifest/library inside the APK
 * as nested artifacts, the method as a logical location), anomalies as tool notifications. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "ap_vec.h"
#include <string.h>

#include "ap_err.h"
#include "reports/report.h"
#include "reports/report_json.h"

#define SARIF_SCHEMA_URI \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define SARIF_MAX_RELATED 20u /* relatedLocations per result; the JSON report has all evidence */

struct rule_ref {
	const char *id;
	const struct ap_rep_rule *rule;  /* metadata, or NULL: built from the first finding */
	const struct ap_finding *f;
};

struct art {
	const char *uri;   /* raw (unescaped) relative path or the APK path */
	size_t report;     /* which input it belongs to */
	long parent;       /* artifact index of the APK, -1 for the APK itself */
};

/* results[] names artifacts as it goes, but run.artifacts comes first in the log: results are
 * rendered into a buffer of their own (nested as deep as they end up) and spliced in after. */

struct sarif {
	struct ap_buf tmp;
	struct rule_ref *rules;
	size_t n_rules, cap_rules;
	struct art *arts;
	size_t n_arts, cap_arts;
	struct ap_rj *j; /* the writer in use: the log, or the results buffer */
	bool oom;
};

static const char *level_of(enum ap_severity s)
{
	return s == AP_SEV_HIGH ? "error" : s == AP_SEV_MEDIUM ? "warning" : "note";
}

static long rule_index(struct sarif *s, const char *id)
{
	for (size_t i = 0; i < s->n_rules; i++)
		if (strcmp(s->rules[i].id, id) == 0)
			return (long)i;
	return -1;
}

static void rule_add(struct sarif *s, const char *id, const struct ap_rep_rule *rule,
		     const struct ap_finding *f)
{
	if (!id || rule_index(s, id) >= 0)
		return;
	if (!ap_grow((void **)&s->rules, &s->cap_rules, s->n_rules + 1, sizeof *s->rules)) {
		s->oom = true;
		return;
	}
	s->rules[s->n_rules++] = (struct rule_ref){id, rule, f};
}

/* A URI reference for a path: unreserved characters and '/' stay, the rest is %XX (so an
 * entry name with spaces, '#', '?' or bytes from the APK is still a valid relative URI). */
static void uri_enc(struct ap_buf *b, const char *s)
{
	ap_buf_reset(b);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/')
			ap_buf_addc(b, (char)*p);
		else
			ap_buf_addf(b, "%%%02X", *p);
	}
	if (!b->len)
		ap_buf_adds(b, "unknown");
}

/* key: {"text": the (already escaped) text in s->tmp}. */
static void text_msg(struct sarif *s, const char *key)
{
	ap_jw_key(&s->j->w, key);
	ap_jw_obj(&s->j->w);
	ap_jw_kstr(&s->j->w, "text", s->tmp.data ? s->tmp.data : "");
	ap_jw_obj_end(&s->j->w);
}

static void art_loc(struct sarif *s, const char *key, const char *uri, long index)
{
	struct ap_jw *w = &s->j->w;
	ap_jw_key(w, key);
	ap_jw_obj(w);
	uri_enc(&s->tmp, uri);
	ap_jw_kstr(w, "uri", s->tmp.data ? s->tmp.data : "");
	if (index >= 0)
		ap_jw_ki64(w, "index", index);
	ap_jw_obj_end(w);
}

/* Index of the artifact (report k, uri), adding it (with its APK parent) when new. */
static long art_index(struct sarif *s, size_t k, const char *uri, long parent)
{
	for (size_t i = 0; i < s->n_arts; i++)
		if (s->arts[i].report == k && s->arts[i].parent == parent &&
		    strcmp(s->arts[i].uri, uri) == 0)
			return (long)i;
	if (!ap_grow((void **)&s->arts, &s->cap_arts, s->n_arts + 1, sizeof *s->arts)) {
		s->oom = true;
		return -1;
	}
	s->arts[s->n_arts++] = (struct art){uri, k, parent};
	return (long)s->n_arts - 1;
}

/* run.artifacts: the APK of each report (with its size, hash and role) and the files inside
 * it that results point at, in the order results named them. */
static void artifacts(struct sarif *s, const struct ap_report *const *reports)
{
	struct ap_jw *w = &s->j->w;
	ap_jw_key(w, "artifacts");
	ap_jw_arr(w);
	for (size_t i = 0; i < s->n_arts; i++) {
		const struct art *a = &s->arts[i];
		ap_jw_obj(w);
		art_loc(s, "location", a->uri, -1);
		if (a->parent >= 0) {
			ap_jw_ki64(w, "parentIndex", a->parent);
		} else {
			const struct ap_report *r = reports[a->report];
			ap_jw_ki64(w, "length", (int64_t)r->size);
			if (r->sha256) {
				ap_jw_key(w, "hashes");
				ap_jw_obj(w);
				ap_rj_kstr(s->j, "sha-256", r->sha256, AP_REP_CAP);
				ap_jw_obj_end(w);
			}
			ap_jw_key(w, "roles");
			ap_jw_arr(w);
			ap_jw_str(w, "analysisTarget");
			ap_jw_arr_end(w);
		}
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

/* Which file inside the APK a developer opens for this evidence. */
static const char *inner_uri(const struct ap_evidence *e)
{
	if (e->library)
		return e->library;
	if (e->via == AP_VIA_PERMISSION || e->via == AP_VIA_MANIFEST)
		return "AndroidManifest.xml";
	if (e->dexfile)
		return e->dexfile;
	return NULL;
}

/* One location object; id >= 0 for relatedLocations. */
static void location(struct sarif *s, size_t k, long apk, const struct ap_evidence *e,
		     const char *path, int64_t id)
{
	struct ap_jw *w = &s->j->w;
	const char *inner = e ? inner_uri(e) : NULL;
	ap_jw_obj(w);
	ap_jw_key(w, "physicalLocation");
	ap_jw_obj(w);
	if (inner)
		art_loc(s, "artifactLocation", inner, art_index(s, k, inner, apk));
	else
		art_loc(s, "artifactLocation", path, apk);
	if (e && e->library && e->offset >= 0) {
		ap_jw_key(w, "address");
		ap_jw_obj(w);
		ap_jw_ki64(w, "absoluteAddress", e->offset);
		ap_jw_kstr(w, "kind", "instruction");
		ap_jw_obj_end(w);
	}
	ap_jw_obj_end(w);
	if (e && e->method) {
		ap_jw_key(w, "logicalLocations");
		ap_jw_arr(w);
		ap_jw_obj(w);
		ap_rj_kstr(s->j, "fullyQualifiedName", e->method, AP_REP_CAP);
		ap_jw_kstr(w, "kind", "function");
		ap_jw_obj_end(w);
		ap_jw_arr_end(w);
	}
	if (e && e->api) {
		ap_buf_reset(&s->tmp);
		ap_buf_adds(&s->tmp, ap_via_name(e->via));
		ap_buf_adds(&s->tmp, ": ");
		ap_rep_esc(&s->tmp, e->api, AP_REP_CAP);
		text_msg(s, "message");
	}
	if (id >= 0)
		ap_jw_ki64(w, "id", id);
	ap_jw_obj_end(w);
}

/* A stable identity for --baseline: rule, category, owner and calling method, not line-like
 * positions (pc shifts on every rebuild). */
static void fingerprint(struct ap_jw *w, const struct ap_finding *f)
{
	uint64_t h = AP_REP_FNV_INIT;
	h = ap_rep_fnv(h, f->rule);
	h = ap_rep_fnv(h, f->category);
	h = ap_rep_fnv(h, f->owner);
	h = ap_rep_fnv(h, f->n_evidence ? f->evidence[0].method : NULL);
	char hex[17];
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
	ap_jw_key(w, "partialFingerprints");
	ap_jw_obj(w);
	ap_jw_kstr(w, "apkpriv/v1", hex);
	ap_jw_obj_end(w);
}

static void result_props(struct sarif *s, const struct ap_report *r, const struct ap_finding *f)
{
	struct ap_jw *w = &s->j->w;
	ap_jw_key(w, "properties");
	ap_jw_obj(w);
	ap_rj_num(s->j, "points", f->points);
	ap_jw_kstr(w, "severity", ap_severity_name(f->severity));
	ap_jw_ki64(w, "dimension", f->dimension);
	ap_rj_kstr(s->j, "category", f->category, AP_REP_CAP);
	ap_rj_kstr(s->j, "owner", f->owner, AP_REP_CAP);
	if (f->n_evidence) {
		const struct ap_evidence *e = &f->evidence[0];
		if (e->dexfile)
			ap_rj_kstr(s->j, "dexfile", e->dexfile, AP_REP_CAP);
		if (e->pc >= 0)
			ap_jw_ki64(w, "pc", e->pc);
	}
	ap_rj_kstr(s->j, "package", r->package, AP_REP_CAP);
	ap_jw_ku64(w, "evidenceCount", f->n_evidence);
	ap_jw_obj_end(w);
}

static void result(struct sarif *s, size_t k, const struct ap_report *r,
		   const struct ap_finding *f)
{
	struct ap_jw *w = &s->j->w;
	const char *rid = f->rule ? f->rule : "unknown";
	ap_jw_obj(w);
	ap_rj_kstr(s->j, "ruleId", rid, AP_REP_CAP);
	ap_jw_ki64(w, "ruleIndex", rule_index(s, rid));
	ap_jw_kstr(w, "level", level_of(f->severity));
	ap_jw_key(w, "message");
	ap_jw_obj(w);
	ap_rj_kstr(s->j, "text", f->message ? f->message : f->title ? f->title : rid, AP_REP_NOCAP);
	ap_jw_obj_end(w);

	long apk = art_index(s, k, r->path ? r->path : "unknown.apk", -1);
	ap_jw_key(w, "locations");
	ap_jw_arr(w);
	location(s, k, apk, f->n_evidence ? &f->evidence[0] : NULL,
		 r->path ? r->path : "unknown.apk", -1);
	ap_jw_arr_end(w);
	if (f->n_evidence > 1) {
		ap_jw_key(w, "relatedLocations");
		ap_jw_arr(w);
		for (size_t i = 1; i < f->n_evidence && i <= SARIF_MAX_RELATED; i++)
			location(s, k, apk, &f->evidence[i], r->path, (int64_t)i);
		ap_jw_arr_end(w);
	}
	fingerprint(w, f);
	result_props(s, r, f);
	ap_jw_obj_end(w);
}

/* "Non-necessary PI API" -> "NonNecessaryPiApi": SARIF wants an identifier-like name. */
static void rule_name(struct ap_jw *w, const char *title, const char *id)
{
	char buf[128];
	size_t n = 0;
	bool up = true;
	for (const unsigned char *p = (const unsigned char *)(title ? title : ""); *p && n < sizeof buf - 1; p++) {
		if (isalnum(*p) && *p < 0x80) {
			buf[n++] = (char)(up ? toupper(*p) : tolower(*p));
			up = false;
		} else {
			up = true;
		}
	}
	buf[n] = '\0';
	ap_jw_kstr(w, "name", n ? buf : id);
}

/* help.text and help.markdown: the description, remediation and references. */
static void rule_help(struct sarif *s, const char *title, const char *id, const char *help,
		      const char *rem, const struct ap_ref *refs, size_t n_refs)
{
	struct ap_buf txt = AP_BUF_INIT, md = AP_BUF_INIT;
	ap_buf_init(&txt, 0);
	ap_buf_init(&md, 0);
	ap_rep_esc(&txt, help ? help : title, AP_REP_NOCAP);
	ap_buf_adds(&md, "**");
	ap_rep_esc(&md, title ? title : id, AP_REP_NOCAP);
	ap_buf_adds(&md, "**\n\n");
	if (help) {
		ap_rep_esc(&md, help, AP_REP_NOCAP);
		ap_buf_adds(&md, "\n\n");
	}
	if (rem) {
		ap_buf_adds(&txt, "\n\nRemediation: ");
		ap_rep_esc(&txt, rem, AP_REP_NOCAP);
		ap_buf_adds(&md, "**Remediation:** ");
		ap_rep_esc(&md, rem, AP_REP_NOCAP);
		ap_buf_adds(&md, "\n\n");
	}
	if (n_refs) {
		ap_buf_adds(&txt, "\n\nReferences:");
		ap_buf_adds(&md, "**References:**\n\n");
		for (size_t i = 0; i < n_refs; i++) {
			ap_buf_adds(&txt, "\n- ");
			ap_rep_esc(&txt, refs[i].id, AP_REP_NOCAP);
			ap_buf_adds(&md, "- **");
			ap_rep_esc(&md, refs[i].id, AP_REP_NOCAP);
			ap_buf_adds(&md, "**");
			if (refs[i].text) {
				ap_buf_adds(&txt, ": ");
				ap_rep_esc(&txt, refs[i].text, AP_REP_NOCAP);
				ap_buf_adds(&md, ": ");
				ap_rep_esc(&md, refs[i].text, AP_REP_NOCAP);
			}
			ap_buf_adds(&md, "\n");
		}
	}
	struct ap_jw *w = &s->j->w;
	ap_jw_key(w, "help");
	ap_jw_obj(w);
	ap_jw_kstr(w, "text", txt.data && !txt.failed ? txt.data : "");
	ap_jw_kstr(w, "markdown", md.data && !md.failed ? md.data : "");
	ap_jw_obj_end(w);
	if (txt.failed || md.failed)
		s->oom = true;
	ap_buf_free(&txt);
	ap_buf_free(&md);
}

static void text_obj(struct sarif *s, const char *key, const char *text)
{
	ap_jw_key(&s->j->w, key);
	ap_jw_obj(&s->j->w);
	ap_rj_kstr(s->j, "text", text, AP_REP_NOCAP);
	ap_jw_obj_end(&s->j->w);
}

static void rule_obj(struct sarif *s, const struct rule_ref *rr)
{
	const struct ap_rep_rule *ru = rr->rule;
	const struct ap_finding *f = rr->f;
	const char *title = ru ? ru->title : f->title;
	const char *help = ru ? ru->help : NULL;
	enum ap_severity sev = ru ? ru->severity : f->severity;
	int dim = ru ? ru->dimension : f->dimension;
	struct ap_jw *w = &s->j->w;

	ap_jw_obj(w);
	ap_rj_kstr(s->j, "id", rr->id, AP_REP_CAP);
	rule_name(w, title, ap_rep_escd(&s->tmp, rr->id, AP_REP_CAP));
	text_obj(s, "shortDescription", title ? title : rr->id);
	text_obj(s, "fullDescription", help ? help : title ? title : rr->id);
	rule_help(s, title, rr->id, help, ru ? ru->remediation : f->remediation,
		  ru ? ru->refs : f->refs, ru ? ru->n_refs : f->n_refs);
	ap_jw_key(w, "defaultConfiguration");
	ap_jw_obj(w);
	ap_jw_kstr(w, "level", level_of(sev));
	ap_jw_obj_end(w);
	ap_jw_key(w, "properties");
	ap_jw_obj(w);
	ap_jw_ki64(w, "dimension", dim);
	ap_jw_kstr(w, "severity", ap_severity_name(sev));
	ap_jw_key(w, "tags");
	ap_jw_arr(w);
	ap_jw_str(w, "privacy");
	char tag[32];
	snprintf(tag, sizeof tag, "dimension-%d", dim);
	ap_jw_str(w, tag);
	ap_jw_arr_end(w);
	ap_jw_obj_end(w);
	ap_jw_obj_end(w);
}

/* One toolExecutionNotification whose message is the text in s->tmp. */
static void note_begin(struct sarif *s)
{
	ap_jw_obj(&s->j->w);
	text_msg(s, "message");
	ap_jw_kstr(&s->j->w, "level", "warning");
}

static void anomaly_note(struct sarif *s, const struct ap_report *r, const struct ap_anomaly *x)
{
	struct ap_jw *w = &s->j->w;
	ap_buf_reset(&s->tmp);
	ap_rep_esc(&s->tmp, x->module, AP_REP_CAP);
	ap_buf_adds(&s->tmp, ": ");
	if (x->where) {
		ap_rep_esc(&s->tmp, x->where, AP_REP_CAP);
		ap_buf_adds(&s->tmp, ": ");
	}
	ap_rep_esc(&s->tmp, x->what, AP_REP_CAP);
	note_begin(s);
	ap_jw_key(w, "descriptor");
	ap_jw_obj(w);
	ap_jw_kstr(w, "id", ap_err_name(x->code));
	ap_jw_obj_end(w);
	ap_jw_key(w, "properties");
	ap_jw_obj(w);
	ap_rj_kstr(s->j, "input", r->path, AP_REP_NOCAP);
	ap_rj_kstr(s->j, "module", x->module, AP_REP_CAP);
	ap_rj_kstr(s->j, "where", x->where, AP_REP_CAP);
	ap_rj_offset(w, x->offset);
	ap_jw_obj_end(w);
	ap_jw_obj_end(w);
}

static void notifications(struct sarif *s, const struct ap_report *r)
{
	const struct ap_anomalies *an = r->anomalies;
	if (r->partial) {
		ap_buf_reset(&s->tmp);
		ap_buf_adds(&s->tmp, "partial analysis of ");
		ap_rep_esc(&s->tmp, r->path, AP_REP_NOCAP);
		ap_buf_adds(&s->tmp, ": ");
		ap_rep_esc(&s->tmp, r->partial_reason ? r->partial_reason : "cut short", AP_REP_CAP);
		note_begin(s);
		ap_jw_obj_end(&s->j->w);
	}
	for (size_t i = 0; an && i < an->count; i++)
		anomaly_note(s, r, &an->items[i]);
}

/* results[] into their own buffer, at the depth run.results has in the log (root, runs, run). */
static void results(struct sarif *s, const struct ap_report *const *reports, size_t n,
		    struct ap_buf *rbuf)
{
	struct ap_rj *log = s->j, res;
	ap_rj_begin(&res, rbuf, AP_RJ_PRETTY);
	ap_jw_init(&res.w, rbuf, AP_RJ_PRETTY, 3);
	s->j = &res;
	ap_jw_arr(&res.w);
	for (size_t k = 0; k < n; k++) {
		const struct ap_report *r = reports[k];
		art_index(s, k, r->path ? r->path : "unknown.apk", -1);
		size_t *idx = ap_rep_finding_order(r);
		if (r->n_findings && !idx)
			s->oom = true;
		for (size_t i = 0; idx && i < r->n_findings; i++)
			result(s, k, r, &r->findings[idx[i]]);
		free(idx);
	}
	ap_jw_arr_end(&res.w);
	s->oom |= res.oom || res.tmp.failed;
	ap_buf_free(&res.tmp);
	s->j = log;
}

static void driver(struct sarif *s, const struct ap_report *const *reports, size_t n)
{
	struct ap_jw *w = &s->j->w;
	ap_jw_key(w, "tool");
	ap_jw_obj(w);
	ap_jw_key(w, "driver");
	ap_jw_obj(w);
	ap_jw_kstr(w, "name", AP_REPORT_TOOL_NAME);
	const char *ver = n ? reports[0]->tool_version : NULL;
	ap_rj_kstr(s->j, "version", ver ? ver : "0", AP_REP_CAP);
	ap_jw_key(w, "rules");
	ap_jw_arr(w);
	for (size_t i = 0; i < s->n_rules; i++)
		rule_obj(s, &s->rules[i]);
	ap_jw_arr_end(w);
	ap_jw_key(w, "properties");
	ap_jw_obj(w);
	ap_rj_kstr(s->j, "rulesVersion", n ? reports[0]->rules_version : NULL, AP_REP_CAP);
	ap_jw_obj_end(w);
	ap_jw_obj_end(w);
	ap_jw_obj_end(w);
}

static void invocations(struct sarif *s, const struct ap_report *const *reports, size_t n)
{
	struct ap_jw *w = &s->j->w;
	ap_jw_key(w, "invocations");
	ap_jw_arr(w);
	ap_jw_obj(w);
	ap_jw_kbool(w, "executionSuccessful", true);
	ap_jw_key(w, "toolExecutionNotifications");
	ap_jw_arr(w);
	for (size_t k = 0; k < n; k++)
		notifications(s, reports[k]);
	ap_jw_arr_end(w);
	ap_jw_obj_end(w);
	ap_jw_arr_end(w);
}

int ap_report_sarif(const struct ap_report *const *reports, size_t n, struct ap_buf *out)
{
	struct sarif s = {.tmp = AP_BUF_INIT};
	struct ap_rj log;
	struct ap_buf rbuf = AP_BUF_INIT;
	ap_buf_init(&s.tmp, 0);
	ap_buf_init(&rbuf, out->max);
	ap_rj_begin(&log, out, AP_RJ_PRETTY);
	s.j = &log;

	for (size_t k = 0; k < n; k++) {
		const struct ap_report *r = reports[k];
		for (size_t i = 0; i < r->n_rules; i++)
			rule_add(&s, r->rules[i].id, &r->rules[i], NULL);
		for (size_t i = 0; i < r->n_findings; i++)
			rule_add(&s, r->findings[i].rule ? r->findings[i].rule : "unknown", NULL,
				 &r->findings[i]);
	}
	results(&s, reports, n, &rbuf);
	if (rbuf.failed)
		out->failed = true; /* the results alone passed the output's cap */

	struct ap_jw *w = &log.w;
	ap_jw_obj(w);
	ap_jw_kstr(w, "$schema", SARIF_SCHEMA_URI);
	ap_jw_kstr(w, "version", "2.1.0");
	ap_jw_key(w, "runs");
	ap_jw_arr(w);
	ap_jw_obj(w);
	driver(&s, reports, n);
	invocations(&s, reports, n);
	artifacts(&s, reports);
	ap_jw_key(w, "results");
	ap_jw_raw(w, rbuf.data ? rbuf.data : "[]", rbuf.data ? rbuf.len : 2);
	ap_jw_kstr(w, "columnKind", "unicodeCodePoints");
	ap_jw_obj_end(w);
	ap_jw_arr_end(w);
	ap_jw_obj_end(w);

	log.oom |= s.oom || s.tmp.failed;
	free(s.rules);
	free(s.arts);
	ap_buf_free(&s.tmp);
	ap_buf_free(&rbuf);
	return ap_rj_end(&log);
}
