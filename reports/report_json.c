/* The JSON report, schema "apkpriv-report/1" (docs/report-schema.md). Field names are fixed by
 * issue 4 because other tools read them; add fields, never rename. */
#include <stdlib.h>
#include <string.h>

#include "ap_err.h"
#include "ap_limits.h"
#include "reports/report.h"
#include "reports/report_json.h"

json_object *ap_rj_str(struct ap_buf *tmp, const char *s, size_t cap)
{
	if (!s)
		return NULL;
	return json_object_new_string(ap_rep_escd(tmp, s, cap));
}

json_object *ap_rj_num(double v)
{
	char b[64];
	ap_rep_num(b, sizeof b, v);
	return json_object_new_double_s(strtod(b, NULL), b);
}

json_object *ap_rj_strs(struct ap_buf *tmp, const char *const *v, size_t n, size_t cap)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n && v; i++)
		json_object_array_add(a, ap_rj_str(tmp, v[i], cap));
	return a;
}

static void add(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static bool is_code(enum ap_via v)
{
	return v == AP_VIA_DEX_API || v == AP_VIA_DEX_STRING || v == AP_VIA_REFLECTION;
}

json_object *ap_rj_evidence(struct ap_buf *tmp, const struct ap_evidence *e)
{
	json_object *o = json_object_new_object();
	add(o, "via", json_object_new_string(ap_via_name(e->via)));
	add(o, "owner", ap_rj_str(tmp, e->owner ? e->owner : "first_party", AP_REP_CAP));
	add(o, "api", ap_rj_str(tmp, e->api, AP_REP_CAP));
	if (e->category)
		add(o, "category", ap_rj_str(tmp, e->category, AP_REP_CAP));
	if (is_code(e->via) || e->dexfile || e->method) {
		add(o, "dexfile", ap_rj_str(tmp, e->dexfile, AP_REP_CAP));
		add(o, "method", ap_rj_str(tmp, e->method, AP_REP_CAP));
		add(o, "pc", e->pc >= 0 ? json_object_new_int64(e->pc) : NULL);
	}
	if (e->via == AP_VIA_NATIVE || e->library) {
		add(o, "library", ap_rj_str(tmp, e->library, AP_REP_CAP));
		add(o, "abi", ap_rj_str(tmp, e->abi, AP_REP_CAP));
		add(o, "offset", e->offset >= 0 ? json_object_new_int64(e->offset) : NULL);
	}
	if (e->detail)
		add(o, "detail", ap_rj_str(tmp, e->detail, AP_REP_CAP));
	if (e->reachable != -1) {
		add(o, "reachable", json_object_new_boolean(e->reachable != 0));
		json_object *en = json_object_new_array();
		for (unsigned i = 0; i < 3; i++)
			if (e->entries & (1u << i))
				json_object_array_add(en, json_object_new_string(ap_rep_entry_name(i)));
		add(o, "entries", en);
		add(o, "path", ap_rj_strs(tmp, e->path, e->n_path, AP_REP_CAP));
		if (e->path_owners_note)
			add(o, "path_note", ap_rj_str(tmp, e->path_owners_note, AP_REP_CAP));
	}
	return o;
}

int ap_rj_emit(json_object *root, bool pretty, struct ap_buf *out)
{
	if (!root)
		return AP_ERR_NOMEM;
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
	size_t len = 0;
	const char *s = json_object_to_json_string_length(root, flags, &len);
	int rc = AP_OK;
	if (!s)
		rc = AP_ERR_DEP;
	else if (!ap_buf_add(out, s, len) || !ap_buf_addc(out, '\n'))
		rc = ap_rep_result(out);
	json_object_put(root);
	return rc;
}

static json_object *j_tool(struct ap_buf *t, const struct ap_report *r)
{
	json_object *o = json_object_new_object();
	add(o, "name", json_object_new_string(AP_REPORT_TOOL_NAME));
	add(o, "version", ap_rj_str(t, r->tool_version, AP_REP_NOCAP));
	add(o, "rules_version", ap_rj_str(t, r->rules_version, AP_REP_NOCAP));
	return o;
}

static json_object *j_input(struct ap_buf *t, const struct ap_report *r)
{
	json_object *o = json_object_new_object();
	add(o, "path", ap_rj_str(t, r->path, AP_REP_NOCAP));
	add(o, "sha256", ap_rj_str(t, r->sha256, AP_REP_CAP));
	add(o, "size", json_object_new_uint64(r->size));
	add(o, "kind", ap_rj_str(t, r->input_kind, AP_REP_CAP));
	return o;
}

static json_object *j_app(struct ap_buf *t, const struct ap_report *r)
{
	json_object *o = json_object_new_object();
	add(o, "package", ap_rj_str(t, r->package, AP_REP_CAP));
	add(o, "version_code", json_object_new_int64(r->version_code));
	add(o, "version_name", ap_rj_str(t, r->version_name, AP_REP_CAP));
	add(o, "label", ap_rj_str(t, r->label, AP_REP_CAP));
	add(o, "label_zh", ap_rj_str(t, r->label_zh, AP_REP_CAP));
	add(o, "min_sdk", json_object_new_int(r->min_sdk));
	add(o, "target_sdk", json_object_new_int(r->target_sdk));
	add(o, "debuggable", json_object_new_boolean(r->debuggable));
	add(o, "allow_backup", json_object_new_boolean(r->allow_backup));
	add(o, "uses_cleartext_traffic", json_object_new_boolean(r->uses_cleartext));
	add(o, "application_class", ap_rj_str(t, r->app_class, AP_REP_CAP));
	add(o, "launcher", ap_rj_str(t, r->launcher, AP_REP_CAP));
	json_object *cs = json_object_new_array();
	for (size_t i = 0; i < r->n_components; i++) {
		const struct ap_rep_component *c = &r->components[i];
		json_object *co = json_object_new_object();
		add(co, "kind", ap_rj_str(t, c->kind, AP_REP_CAP));
		add(co, "name", ap_rj_str(t, c->name, AP_REP_CAP));
		add(co, "exported", json_object_new_boolean(c->exported));
		add(co, "actions", ap_rj_strs(t, c->actions, c->n_actions, AP_REP_CAP));
		json_object_array_add(cs, co);
	}
	add(o, "components", cs);
	add(o, "dex_files", json_object_new_uint64(r->n_dex));
	add(o, "classes", json_object_new_uint64(r->n_classes));
	add(o, "methods", json_object_new_uint64(r->n_methods));
	add(o, "native_libs", json_object_new_uint64(r->n_native_libs));
	return o;
}

static json_object *j_app_type(struct ap_buf *t, const struct ap_report *r)
{
	json_object *o = json_object_new_object();
	add(o, "id", ap_rj_str(t, r->app_type, AP_REP_CAP));
	add(o, "name", ap_rj_str(t, r->app_type_name, AP_REP_NOCAP));
	add(o, "source", ap_rj_str(t, r->app_type_source, AP_REP_CAP));
	add(o, "confidence", ap_rj_num(r->app_type_confidence));
	add(o, "reasons", ap_rj_strs(t, r->app_type_reasons, r->n_app_type_reasons, AP_REP_CAP));
	return o;
}

static json_object *j_permissions(struct ap_buf *t, const struct ap_report *r)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < r->n_permissions; i++) {
		const struct ap_rep_permission *p = &r->permissions[i];
		json_object *o = json_object_new_object();
		add(o, "name", ap_rj_str(t, p->name, AP_REP_CAP));
		add(o, "declared", json_object_new_boolean(p->declared));
		add(o, "used", p->used < 0 ? NULL : json_object_new_boolean(p->used != 0));
		add(o, "dangerous", json_object_new_boolean(p->dangerous));
		add(o, "pi", ap_rj_strs(t, p->pi, p->n_pi, AP_REP_CAP));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *j_sdks(struct ap_buf *t, const struct ap_report *r)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < r->n_sdks; i++) {
		const struct ap_rep_sdk *s = &r->sdks[i];
		json_object *o = json_object_new_object();
		add(o, "id", ap_rj_str(t, s->id, AP_REP_CAP));
		add(o, "name", ap_rj_str(t, s->name, AP_REP_CAP));
		add(o, "name_zh", ap_rj_str(t, s->name_zh, AP_REP_CAP));
		add(o, "vendor", ap_rj_str(t, s->vendor, AP_REP_CAP));
		add(o, "country", ap_rj_str(t, s->country, AP_REP_CAP));
		add(o, "category", ap_rj_str(t, s->category, AP_REP_CAP));
		add(o, "classes", json_object_new_uint64(s->classes));
		add(o, "pi", ap_rj_strs(t, s->pi, s->n_pi, AP_REP_CAP));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *j_pi(struct ap_buf *t, const struct ap_report *r)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < r->n_pi; i++) {
		const struct ap_rep_pi *p = &r->pi[i];
		json_object *o = json_object_new_object();
		add(o, "category", ap_rj_str(t, p->category, AP_REP_CAP));
		add(o, "name", ap_rj_str(t, p->name, AP_REP_NOCAP));
		add(o, "sensitivity", ap_rj_str(t, p->sensitivity, AP_REP_CAP));
		add(o, "immutable_identifier", json_object_new_boolean(p->immutable_id));
		add(o, "necessary", json_object_new_boolean(p->necessary));
		json_object *ev = json_object_new_array();
		for (size_t k = 0; k < p->n_evidence; k++)
			json_object_array_add(ev, ap_rj_evidence(t, &p->evidence[k]));
		add(o, "evidence", ev);
		add(o, "evidence_dropped", json_object_new_uint64(p->n_evidence_dropped));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *j_refs(struct ap_buf *t, const struct ap_ref *refs, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n && refs; i++) {
		json_object *o = json_object_new_object();
		add(o, "id", ap_rj_str(t, refs[i].id, AP_REP_NOCAP));
		add(o, "text", ap_rj_str(t, refs[i].text, AP_REP_NOCAP));
		json_object_array_add(a, o);
	}
	return a;
}

/* Findings keep the analysis order (the text and HTML reports sort by severity). */
static json_object *j_findings(struct ap_buf *t, const struct ap_report *r)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct ap_finding *f = &r->findings[i];
		json_object *o = json_object_new_object();
		add(o, "rule", ap_rj_str(t, f->rule, AP_REP_CAP));
		add(o, "title", ap_rj_str(t, f->title, AP_REP_NOCAP));
		add(o, "severity", json_object_new_string(ap_severity_name(f->severity)));
		add(o, "dimension", json_object_new_int(f->dimension));
		add(o, "points", ap_rj_num(f->points));
		add(o, "message", ap_rj_str(t, f->message, AP_REP_NOCAP));
		add(o, "category", ap_rj_str(t, f->category, AP_REP_CAP));
		add(o, "owner", ap_rj_str(t, f->owner, AP_REP_CAP));
		add(o, "confidence", ap_rj_str(t, f->confidence, AP_REP_CAP));
		json_object *ev = json_object_new_array();
		for (size_t k = 0; k < f->n_evidence; k++)
			json_object_array_add(ev, ap_rj_evidence(t, &f->evidence[k]));
		add(o, "evidence", ev);
		add(o, "refs", j_refs(t, f->refs, f->n_refs));
		add(o, "remediation", ap_rj_str(t, f->remediation, AP_REP_NOCAP));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *j_network(struct ap_buf *t, const struct ap_report *r)
{
	json_object *o = json_object_new_object();
	json_object *urls = json_object_new_array();
	for (size_t i = 0; i < r->n_urls; i++) {
		const struct ap_rep_url *u = &r->urls[i];
		json_object *uo = json_object_new_object();
		add(uo, "url", ap_rj_str(t, u->url, AP_REP_CAP));
		add(uo, "owner", ap_rj_str(t, u->owner, AP_REP_CAP));
		add(uo, "where", ap_rj_str(t, u->where, AP_REP_CAP));
		add(uo, "cleartext", json_object_new_boolean(u->cleartext));
		json_object_array_add(urls, uo);
	}
	add(o, "urls", urls);
	add(o, "apis", ap_rj_strs(t, r->network_apis, r->n_network_apis, AP_REP_CAP));
	return o;
}

static json_object *j_score(struct ap_buf *t, const struct ap_report *r)
{
	json_object *o = json_object_new_object();
	add(o, "total", ap_rj_num(r->score_total));
	add(o, "grade", ap_rj_str(t, r->grade, AP_REP_CAP));
	json_object *d = json_object_new_object();
	add(d, "1", ap_rj_num(r->score_dim[0]));
	add(d, "2", ap_rj_num(r->score_dim[1]));
	add(d, "3", ap_rj_num(r->score_dim[2]));
	add(o, "dimensions", d);
	return o;
}

json_object *ap_rj_anomalies(struct ap_buf *t, const struct ap_anomalies *an)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; an && i < an->count; i++) {
		const struct ap_anomaly *x = &an->items[i];
		json_object *o = json_object_new_object();
		add(o, "module", ap_rj_str(t, x->module, AP_REP_CAP));
		add(o, "where", ap_rj_str(t, x->where, AP_REP_CAP));
		add(o, "offset", x->offset == AP_OFFSET_NONE ? NULL : json_object_new_uint64(x->offset));
		add(o, "code", json_object_new_string(ap_err_name(x->code)));
		add(o, "message", ap_rj_str(t, x->what, AP_REP_CAP));
		json_object_array_add(a, o);
	}
	return a;
}

int ap_report_json(const struct ap_report *r, struct ap_buf *out)
{
	struct ap_buf t = AP_BUF_INIT;
	ap_buf_init(&t, 0);
	json_object *root = json_object_new_object();
	if (!root) {
		ap_buf_free(&t);
		return AP_ERR_NOMEM;
	}
	add(root, "schema", json_object_new_string(AP_REPORT_SCHEMA));
	add(root, "tool", j_tool(&t, r));
	add(root, "input", j_input(&t, r));
	add(root, "app", j_app(&t, r));
	add(root, "app_type", j_app_type(&t, r));
	add(root, "permissions", j_permissions(&t, r));
	add(root, "sdks", j_sdks(&t, r));
	add(root, "pi", j_pi(&t, r));
	add(root, "findings", j_findings(&t, r));
	add(root, "network", j_network(&t, r));
	add(root, "score", j_score(&t, r));
	add(root, "anomalies", ap_rj_anomalies(&t, r->anomalies));
	add(root, "anomalies_dropped", json_object_new_uint64(r->anomalies ? r->anomalies->dropped : 0));
	add(root, "partial", json_object_new_boolean(r->partial));
	add(root, "partial_reason", ap_rj_str(&t, r->partial_reason, AP_REP_CAP));
	if (!r->deterministic)
		add(root, "elapsed_ms", ap_rj_num(r->elapsed_ms));
	bool tfail = t.failed;
	ap_buf_free(&t);
	if (tfail) {
		json_object_put(root);
		return AP_ERR_NOMEM;
	}
	return ap_rj_emit(root, true, out);
}
