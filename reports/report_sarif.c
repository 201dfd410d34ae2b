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

struct sarif {
	struct ap_buf tmp;
	struct rule_ref *rules;
	size_t n_rules, cap_rules;
	struct art *arts;
	size_t n_arts, cap_arts;
	json_object *artifacts;
	bool oom;
};

static void add(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

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

static json_object *art_loc(struct sarif *s, const char *uri, long index)
{
	json_object *o = json_object_new_object();
	uri_enc(&s->tmp, uri);
	add(o, "uri", json_object_new_string(s->tmp.data ? s->tmp.data : ""));
	if (index >= 0)
		add(o, "index", json_object_new_int64(index));
	return o;
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
	long idx = (long)s->n_arts;
	s->arts[s->n_arts++] = (struct art){uri, k, parent};
	json_object *a = json_object_new_object();
	add(a, "location", art_loc(s, uri, -1));
	if (parent >= 0)
		add(a, "parentIndex", json_object_new_int64(parent));
	json_object_array_add(s->artifacts, a);
	return idx;
}

static void apk_artifact_facts(struct sarif *s, long idx, const struct ap_report *r)
{
	json_object *a = json_object_array_get_idx(s->artifacts, (size_t)idx);
	add(a, "length", json_object_new_int64((int64_t)r->size));
	if (r->sha256) {
		json_object *h = json_object_new_object();
		add(h, "sha-256", ap_rj_str(&s->tmp, r->sha256, AP_REP_CAP));
		add(a, "hashes", h);
	}
	add(a, "roles", json_object_new_array());
	json_object_array_add(json_object_object_get(a, "roles"),
			      json_object_new_string("analysisTarget"));
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

static json_object *location(struct sarif *s, size_t k, long apk, const struct ap_evidence *e,
			     const char *path)
{
	json_object *loc = json_object_new_object();
	json_object *phys = json_object_new_object();
	const char *inner = e ? inner_uri(e) : NULL;
	if (inner)
		add(phys, "artifactLocation", art_loc(s, inner, art_index(s, k, inner, apk)));
	else
		add(phys, "artifactLocation", art_loc(s, path, apk));
	if (e && e->library && e->offset >= 0) {
		json_object *ad = json_object_new_object();
		add(ad, "absoluteAddress", json_object_new_int64(e->offset));
		add(ad, "kind", json_object_new_string("instruction"));
		add(phys, "address", ad);
	}
	add(loc, "physicalLocation", phys);
	if (e && e->method) {
		json_object *ll = json_object_new_array(), *l = json_object_new_object();
		add(l, "fullyQualifiedName", ap_rj_str(&s->tmp, e->method, AP_REP_CAP));
		add(l, "kind", json_object_new_string("function"));
		json_object_array_add(ll, l);
		add(loc, "logicalLocations", ll);
	}
	if (e && e->api) {
		json_object *m = json_object_new_object();
		ap_buf_reset(&s->tmp);
		ap_buf_adds(&s->tmp, ap_via_name(e->via));
		ap_buf_adds(&s->tmp, ": ");
		ap_rep_esc(&s->tmp, e->api, AP_REP_CAP);
		add(m, "text", json_object_new_string(s->tmp.data ? s->tmp.data : ""));
		add(loc, "message", m);
	}
	return loc;
}

/* A stable identity for --baseline: rule, category, owner and calling method, not line-like
 * positions (pc shifts on every rebuild). */
static json_object *fingerprint(const struct ap_finding *f)
{
	uint64_t h = AP_REP_FNV_INIT;
	h = ap_rep_fnv(h, f->rule);
	h = ap_rep_fnv(h, f->category);
	h = ap_rep_fnv(h, f->owner);
	h = ap_rep_fnv(h, f->n_evidence ? f->evidence[0].method : NULL);
	char hex[17];
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
	json_object *o = json_object_new_object();
	add(o, "apkpriv/v1", json_object_new_string(hex));
	return o;
}

static json_object *result(struct sarif *s, size_t k, const struct ap_report *r,
			   const struct ap_finding *f)
{
	json_object *o = json_object_new_object();
	const char *rid = f->rule ? f->rule : "unknown";
	add(o, "ruleId", ap_rj_str(&s->tmp, rid, AP_REP_CAP));
	add(o, "ruleIndex", json_object_new_int64(rule_index(s, rid)));
	add(o, "level", json_object_new_string(level_of(f->severity)));
	json_object *msg = json_object_new_object();
	add(msg, "text", ap_rj_str(&s->tmp, f->message ? f->message : f->title ? f->title : rid,
				   AP_REP_NOCAP));
	add(o, "message", msg);

	long apk = art_index(s, k, r->path ? r->path : "unknown.apk", -1);
	json_object *locs = json_object_new_array();
	json_object_array_add(locs, location(s, k, apk, f->n_evidence ? &f->evidence[0] : NULL,
					     r->path ? r->path : "unknown.apk"));
	add(o, "locations", locs);
	if (f->n_evidence > 1) {
		json_object *rel = json_object_new_array();
		for (size_t i = 1; i < f->n_evidence && i <= SARIF_MAX_RELATED; i++) {
			json_object *l = location(s, k, apk, &f->evidence[i], r->path);
			add(l, "id", json_object_new_int64((int64_t)i));
			json_object_array_add(rel, l);
		}
		add(o, "relatedLocations", rel);
	}
	add(o, "partialFingerprints", fingerprint(f));

	json_object *p = json_object_new_object();
	add(p, "points", ap_rj_num(f->points));
	add(p, "severity", json_object_new_string(ap_severity_name(f->severity)));
	add(p, "dimension", json_object_new_int(f->dimension));
	add(p, "category", ap_rj_str(&s->tmp, f->category, AP_REP_CAP));
	add(p, "owner", ap_rj_str(&s->tmp, f->owner, AP_REP_CAP));
	if (f->n_evidence) {
		const struct ap_evidence *e = &f->evidence[0];
		if (e->dexfile)
			add(p, "dexfile", ap_rj_str(&s->tmp, e->dexfile, AP_REP_CAP));
		if (e->pc >= 0)
			add(p, "pc", json_object_new_int64(e->pc));
	}
	add(p, "package", ap_rj_str(&s->tmp, r->package, AP_REP_CAP));
	add(p, "evidenceCount", json_object_new_uint64(f->n_evidence));
	add(o, "properties", p);
	return o;
}

/* "Non-necessary PI API" -> "NonNecessaryPiApi": SARIF wants an identifier-like name. */
static json_object *rule_name(const char *title, const char *id)
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
	return json_object_new_string(n ? buf : id);
}

static json_object *rule_obj(struct sarif *s, const struct rule_ref *rr)
{
	const struct ap_rep_rule *ru = rr->rule;
	const struct ap_finding *f = rr->f;
	const char *title = ru ? ru->title : f->title;
	const char *help = ru ? ru->help : NULL;
	const char *rem = ru ? ru->remediation : f->remediation;
	const struct ap_ref *refs = ru ? ru->refs : f->refs;
	size_t n_refs = ru ? ru->n_refs : f->n_refs;
	enum ap_severity sev = ru ? ru->severity : f->severity;
	int dim = ru ? ru->dimension : f->dimension;

	json_object *o = json_object_new_object(), *t;
	add(o, "id", ap_rj_str(&s->tmp, rr->id, AP_REP_CAP));
	add(o, "name", rule_name(title, ap_rep_escd(&s->tmp, rr->id, AP_REP_CAP)));
	add(o, "shortDescription", t = json_object_new_object());
	add(t, "text", ap_rj_str(&s->tmp, title ? title : rr->id, AP_REP_NOCAP));
	add(o, "fullDescription", t = json_object_new_object());
	add(t, "text", ap_rj_str(&s->tmp, help ? help : title ? title : rr->id, AP_REP_NOCAP));

	struct ap_buf txt = AP_BUF_INIT, md = AP_BUF_INIT;
	ap_buf_init(&txt, 0);
	ap_buf_init(&md, 0);
	ap_rep_esc(&txt, help ? help : title, AP_REP_NOCAP);
	ap_buf_adds(&md, "**");
	ap_rep_esc(&md, title ? title : rr->id, AP_REP_NOCAP);
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
	add(o, "help", t = json_object_new_object());
	add(t, "text", json_object_new_string(txt.data && !txt.failed ? txt.data : ""));
	add(t, "markdown", json_object_new_string(md.data && !md.failed ? md.data : ""));
	if (txt.failed || md.failed)
		s->oom = true;
	ap_buf_free(&txt);
	ap_buf_free(&md);

	add(o, "defaultConfiguration", t = json_object_new_object());
	add(t, "level", json_object_new_string(level_of(sev)));
	json_object *p = json_object_new_object(), *tags = json_object_new_array();
	add(p, "dimension", json_object_new_int(dim));
	add(p, "severity", json_object_new_string(ap_severity_name(sev)));
	json_object_array_add(tags, json_object_new_string("privacy"));
	char tag[32];
	snprintf(tag, sizeof tag, "dimension-%d", dim);
	json_object_array_add(tags, json_object_new_string(tag));
	add(p, "tags", tags);
	add(o, "properties", p);
	return o;
}

static void notifications(struct sarif *s, const struct ap_report *r, json_object *arr)
{
	const struct ap_anomalies *an = r->anomalies;
	if (r->partial) {
		json_object *n = json_object_new_object(), *m = json_object_new_object();
		ap_buf_reset(&s->tmp);
		ap_buf_adds(&s->tmp, "partial analysis of ");
		ap_rep_esc(&s->tmp, r->path, AP_REP_NOCAP);
		ap_buf_adds(&s->tmp, ": ");
		ap_rep_esc(&s->tmp, r->partial_reason ? r->partial_reason : "cut short", AP_REP_CAP);
		add(m, "text", json_object_new_string(s->tmp.data ? s->tmp.data : ""));
		add(n, "message", m);
		add(n, "level", json_object_new_string("warning"));
		json_object_array_add(arr, n);
	}
	for (size_t i = 0; an && i < an->count; i++) {
		const struct ap_anomaly *x = &an->items[i];
		json_object *n = json_object_new_object(), *m = json_object_new_object();
		ap_buf_reset(&s->tmp);
		ap_rep_esc(&s->tmp, x->module, AP_REP_CAP);
		ap_buf_adds(&s->tmp, ": ");
		if (x->where) {
			ap_rep_esc(&s->tmp, x->where, AP_REP_CAP);
			ap_buf_adds(&s->tmp, ": ");
		}
		ap_rep_esc(&s->tmp, x->what, AP_REP_CAP);
		add(m, "text", json_object_new_string(s->tmp.data ? s->tmp.data : ""));
		add(n, "message", m);
		add(n, "level", json_object_new_string("warning"));
		json_object *d = json_object_new_object();
		add(d, "id", json_object_new_string(ap_err_name(x->code)));
		add(n, "descriptor", d);
		json_object *p = json_object_new_object();
		add(p, "input", ap_rj_str(&s->tmp, r->path, AP_REP_NOCAP));
		add(p, "module", ap_rj_str(&s->tmp, x->module, AP_REP_CAP));
		add(p, "where", ap_rj_str(&s->tmp, x->where, AP_REP_CAP));
		add(p, "offset", x->offset == AP_OFFSET_NONE ? NULL : json_object_new_uint64(x->offset));
		add(n, "properties", p);
		json_object_array_add(arr, n);
	}
}

int ap_report_sarif(const struct ap_report *const *reports, size_t n, struct ap_buf *out)
{
	struct sarif s = {.tmp = AP_BUF_INIT};
	ap_buf_init(&s.tmp, 0);
	s.artifacts = json_object_new_array();

	for (size_t k = 0; k < n; k++) {
		const struct ap_report *r = reports[k];
		for (size_t i = 0; i < r->n_rules; i++)
			rule_add(&s, r->rules[i].id, &r->rules[i], NULL);
		for (size_t i = 0; i < r->n_findings; i++)
			rule_add(&s, r->findings[i].rule ? r->findings[i].rule : "unknown", NULL,
				 &r->findings[i]);
	}

	json_object *results = json_object_new_array();
	json_object *notes = json_object_new_array();
	for (size_t k = 0; k < n; k++) {
		const struct ap_report *r = reports[k];
		long apk = art_index(&s, k, r->path ? r->path : "unknown.apk", -1);
		if (apk >= 0)
			apk_artifact_facts(&s, apk, r);
		size_t *idx = ap_rep_finding_order(r);
		if (r->n_findings && !idx)
			s.oom = true;
		for (size_t i = 0; idx && i < r->n_findings; i++)
			json_object_array_add(results, result(&s, k, r, &r->findings[idx[i]]));
		free(idx);
		notifications(&s, r, notes);
	}

	json_object *rules = json_object_new_array();
	for (size_t i = 0; i < s.n_rules; i++)
		json_object_array_add(rules, rule_obj(&s, &s.rules[i]));

	json_object *driver = json_object_new_object();
	add(driver, "name", json_object_new_string(AP_REPORT_TOOL_NAME));
	const char *ver = n ? reports[0]->tool_version : NULL;
	add(driver, "version", ap_rj_str(&s.tmp, ver ? ver : "0", AP_REP_CAP));
	add(driver, "rules", rules);
	json_object *dp = json_object_new_object();
	add(dp, "rulesVersion", ap_rj_str(&s.tmp, n ? reports[0]->rules_version : NULL, AP_REP_CAP));
	add(driver, "properties", dp);
	json_object *tool = json_object_new_object();
	add(tool, "driver", driver);

	json_object *inv = json_object_new_object();
	add(inv, "executionSuccessful", json_object_new_boolean(true));
	add(inv, "toolExecutionNotifications", notes);
	json_object *invs = json_object_new_array();
	json_object_array_add(invs, inv);

	json_object *run = json_object_new_object();
	add(run, "tool", tool);
	add(run, "invocations", invs);
	add(run, "artifacts", s.artifacts);
	add(run, "results", results);
	add(run, "columnKind", json_object_new_string("unicodeCodePoints"));
	json_object *runs = json_object_new_array();
	json_object_array_add(runs, run);

	json_object *root = json_object_new_object();
	add(root, "$schema", json_object_new_string(SARIF_SCHEMA_URI));
	add(root, "version", json_object_new_string("2.1.0"));
	add(root, "runs", runs);

	bool oom = s.oom || s.tmp.failed;
	free(s.rules);
	free(s.arts);
	ap_buf_free(&s.tmp);
	if (oom) {
		json_object_put(root);
		return AP_ERR_NOMEM;
	}
	return ap_rj_emit(root, true, out);
}
