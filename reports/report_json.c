/* The JSON report, schema "apkpriv-report/1" (docs/report-schema.md). Field names are fixed by
 * issue 4 because other tools read them; add fields, never rename. */
#include <stdlib.h>
#include <string.h>

#include "ap_err.h"
#include "ap_limits.h"
#include "reports/report.h"
#include "reports/report_json.h"

void ap_rj_begin(struct ap_rj *j, struct ap_buf *out, unsigned flags)
{
	ap_jw_init(&j->w, out, flags, 0);
	ap_buf_init(&j->tmp, 0);
	j->start = out->len;
	j->oom = false;
}

int ap_rj_end(struct ap_rj *j)
{
	struct ap_buf *out = j->w.out;
	ap_buf_addc(out, '\n');
	bool oom = j->oom || j->tmp.failed;
	ap_buf_free(&j->tmp);
	if (oom && !out->failed) {
		out->len = j->start;
		if (out->data)
			out->data[out->len] = '\0';
	}
	return oom ? AP_ERR_NOMEM : ap_rep_result(out);
}

void ap_rj_str(struct ap_rj *j, const char *s, size_t cap)
{
	if (!s) {
		ap_jw_null(&j->w);
		return;
	}
	size_t n = strlen(s);
	if ((!cap || n <= cap) && ap_rep_plain_len(s, n) == n) {
		ap_jw_strn(&j->w, s, n); /* ap_rep_esc would copy it unchanged */
		return;
	}
	ap_buf_reset(&j->tmp);
	ap_rep_esc(&j->tmp, s, cap);
	if (j->tmp.failed || !j->tmp.data) {
		j->oom |= j->tmp.failed;
		ap_jw_strn(&j->w, "", 0);
		return;
	}
	ap_jw_strn(&j->w, j->tmp.data, j->tmp.len);
}

void ap_rj_kstr(struct ap_rj *j, const char *k, const char *s, size_t cap)
{
	ap_jw_key(&j->w, k);
	ap_rj_str(j, s, cap);
}

void ap_rj_num(struct ap_rj *j, const char *k, double v)
{
	char b[64];
	ap_rep_num(b, sizeof b, v);
	ap_jw_key(&j->w, k);
	ap_jw_raw(&j->w, b, strlen(b));
}

void ap_rj_strs(struct ap_rj *j, const char *k, const char *const *v, size_t n, size_t cap)
{
	ap_jw_key(&j->w, k);
	ap_jw_arr(&j->w);
	for (size_t i = 0; i < n && v; i++)
		ap_rj_str(j, v[i], cap);
	ap_jw_arr_end(&j->w);
}

static bool is_code(enum ap_via v)
{
	return v == AP_VIA_DEX_API || v == AP_VIA_DEX_STRING || v == AP_VIA_REFLECTION;
}

/* An int64 member that is null when negative (pc, offset: -1 = unknown). */
static void opt_i64(struct ap_jw *w, const char *k, int64_t v)
{
	ap_jw_key(w, k);
	if (v >= 0)
		ap_jw_i64(w, v);
	else
		ap_jw_null(w);
}

void ap_rj_evidence(struct ap_rj *j, const struct ap_evidence *e)
{
	struct ap_jw *w = &j->w;
	ap_jw_obj(w);
	ap_jw_kstr(w, "via", ap_via_name(e->via));
	ap_rj_kstr(j, "owner", e->owner ? e->owner : "first_party", AP_REP_CAP);
	ap_rj_kstr(j, "api", e->api, AP_REP_CAP);
	if (e->category)
		ap_rj_kstr(j, "category", e->category, AP_REP_CAP);
	if (is_code(e->via) || e->dexfile || e->method) {
		ap_rj_kstr(j, "dexfile", e->dexfile, AP_REP_CAP);
		ap_rj_kstr(j, "method", e->method, AP_REP_CAP);
		opt_i64(w, "pc", e->pc);
		if (e->hidden)
			ap_jw_kbool(w, "hidden", true);
	}
	if (e->via == AP_VIA_NATIVE || e->library) {
		ap_rj_kstr(j, "library", e->library, AP_REP_CAP);
		ap_rj_kstr(j, "abi", e->abi, AP_REP_CAP);
		opt_i64(w, "offset", e->offset);
	}
	if (e->detail)
		ap_rj_kstr(j, "detail", e->detail, AP_REP_CAP);
	if (e->reachable != -1) {
		ap_jw_kbool(w, "reachable", e->reachable != 0);
		ap_jw_key(w, "entries");
		ap_jw_arr(w);
		for (unsigned i = 0; i < 3; i++)
			if (e->entries & (1u << i))
				ap_jw_str(w, ap_rep_entry_name(i));
		ap_jw_arr_end(w);
		ap_rj_strs(j, "path", e->path, e->n_path, AP_REP_CAP);
		if (e->path_owners_note)
			ap_rj_kstr(j, "path_note", e->path_owners_note, AP_REP_CAP);
	}
	ap_jw_obj_end(w);
}

static void j_tool(struct ap_rj *j, const struct ap_report *r)
{
	ap_jw_key(&j->w, "tool");
	ap_jw_obj(&j->w);
	ap_jw_kstr(&j->w, "name", AP_REPORT_TOOL_NAME);
	ap_rj_kstr(j, "version", r->tool_version, AP_REP_NOCAP);
	ap_rj_kstr(j, "rules_version", r->rules_version, AP_REP_NOCAP);
	ap_jw_obj_end(&j->w);
}

static void j_input(struct ap_rj *j, const struct ap_report *r)
{
	ap_jw_key(&j->w, "input");
	ap_jw_obj(&j->w);
	ap_rj_kstr(j, "path", r->path, AP_REP_NOCAP);
	ap_rj_kstr(j, "sha256", r->sha256, AP_REP_CAP);
	ap_jw_ku64(&j->w, "size", r->size);
	ap_rj_kstr(j, "kind", r->input_kind, AP_REP_CAP);
	ap_jw_obj_end(&j->w);
}

static void j_components(struct ap_rj *j, const struct ap_report *r)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "components");
	ap_jw_arr(w);
	for (size_t i = 0; i < r->n_components; i++) {
		const struct ap_rep_component *c = &r->components[i];
		ap_jw_obj(w);
		ap_rj_kstr(j, "kind", c->kind, AP_REP_CAP);
		ap_rj_kstr(j, "name", c->name, AP_REP_CAP);
		ap_jw_kbool(w, "exported", c->exported);
		ap_rj_strs(j, "actions", c->actions, c->n_actions, AP_REP_CAP);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

static void j_app(struct ap_rj *j, const struct ap_report *r)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "app");
	ap_jw_obj(w);
	ap_rj_kstr(j, "package", r->package, AP_REP_CAP);
	ap_jw_ki64(w, "version_code", r->version_code);
	ap_rj_kstr(j, "version_name", r->version_name, AP_REP_CAP);
	ap_rj_kstr(j, "label", r->label, AP_REP_CAP);
	ap_rj_kstr(j, "label_zh", r->label_zh, AP_REP_CAP);
	ap_jw_ki64(w, "min_sdk", r->min_sdk);
	ap_jw_ki64(w, "target_sdk", r->target_sdk);
	ap_jw_kbool(w, "debuggable", r->debuggable);
	ap_jw_kbool(w, "allow_backup", r->allow_backup);
	ap_jw_kbool(w, "uses_cleartext_traffic", r->uses_cleartext);
	ap_rj_kstr(j, "application_class", r->app_class, AP_REP_CAP);
	ap_rj_kstr(j, "launcher", r->launcher, AP_REP_CAP);
	j_components(j, r);
	ap_jw_ku64(w, "dex_files", r->n_dex);
	ap_jw_ku64(w, "classes", r->n_classes);
	ap_jw_ku64(w, "methods", r->n_methods);
	ap_jw_ku64(w, "native_libs", r->n_native_libs);
	ap_jw_obj_end(w);
}

static void j_app_type(struct ap_rj *j, const struct ap_report *r)
{
	ap_jw_key(&j->w, "app_type");
	ap_jw_obj(&j->w);
	ap_rj_kstr(j, "id", r->app_type, AP_REP_CAP);
	ap_rj_kstr(j, "name", r->app_type_name, AP_REP_NOCAP);
	ap_rj_kstr(j, "source", r->app_type_source, AP_REP_CAP);
	ap_rj_num(j, "confidence", r->app_type_confidence);
	ap_rj_strs(j, "reasons", r->app_type_reasons, r->n_app_type_reasons, AP_REP_CAP);
	ap_jw_obj_end(&j->w);
}

static void j_permissions(struct ap_rj *j, const struct ap_report *r)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "permissions");
	ap_jw_arr(w);
	for (size_t i = 0; i < r->n_permissions; i++) {
		const struct ap_rep_permission *p = &r->permissions[i];
		ap_jw_obj(w);
		ap_rj_kstr(j, "name", p->name, AP_REP_CAP);
		ap_jw_kbool(w, "declared", p->declared);
		ap_jw_key(w, "used");
		if (p->used < 0)
			ap_jw_null(w);
		else
			ap_jw_bool(w, p->used != 0);
		ap_jw_kbool(w, "dangerous", p->dangerous);
		ap_rj_strs(j, "pi", p->pi, p->n_pi, AP_REP_CAP);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

static void j_sdks(struct ap_rj *j, const struct ap_report *r)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "sdks");
	ap_jw_arr(w);
	for (size_t i = 0; i < r->n_sdks; i++) {
		const struct ap_rep_sdk *s = &r->sdks[i];
		ap_jw_obj(w);
		ap_rj_kstr(j, "id", s->id, AP_REP_CAP);
		ap_rj_kstr(j, "name", s->name, AP_REP_CAP);
		ap_rj_kstr(j, "name_zh", s->name_zh, AP_REP_CAP);
		ap_rj_kstr(j, "vendor", s->vendor, AP_REP_CAP);
		ap_rj_kstr(j, "country", s->country, AP_REP_CAP);
		ap_rj_kstr(j, "category", s->category, AP_REP_CAP);
		ap_jw_ku64(w, "classes", s->classes);
		ap_rj_strs(j, "pi", s->pi, s->n_pi, AP_REP_CAP);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

static void j_evidence(struct ap_rj *j, const struct ap_evidence *ev, size_t n)
{
	ap_jw_key(&j->w, "evidence");
	ap_jw_arr(&j->w);
	for (size_t k = 0; k < n; k++)
		ap_rj_evidence(j, &ev[k]);
	ap_jw_arr_end(&j->w);
}

static void j_pi(struct ap_rj *j, const struct ap_report *r)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "pi");
	ap_jw_arr(w);
	for (size_t i = 0; i < r->n_pi; i++) {
		const struct ap_rep_pi *p = &r->pi[i];
		ap_jw_obj(w);
		ap_rj_kstr(j, "category", p->category, AP_REP_CAP);
		ap_rj_kstr(j, "name", p->name, AP_REP_NOCAP);
		ap_rj_kstr(j, "sensitivity", p->sensitivity, AP_REP_CAP);
		ap_jw_kbool(w, "immutable_identifier", p->immutable_id);
		ap_jw_kbool(w, "necessary", p->necessary);
		j_evidence(j, p->evidence, p->n_evidence);
		ap_jw_ku64(w, "evidence_dropped", p->n_evidence_dropped);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

static void j_refs(struct ap_rj *j, const struct ap_ref *refs, size_t n)
{
	ap_jw_key(&j->w, "refs");
	ap_jw_arr(&j->w);
	for (size_t i = 0; i < n && refs; i++) {
		ap_jw_obj(&j->w);
		ap_rj_kstr(j, "id", refs[i].id, AP_REP_NOCAP);
		ap_rj_kstr(j, "text", refs[i].text, AP_REP_NOCAP);
		ap_jw_obj_end(&j->w);
	}
	ap_jw_arr_end(&j->w);
}

/* Findings keep the analysis order (the text and HTML reports sort by severity). */
static void j_findings(struct ap_rj *j, const struct ap_report *r)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "findings");
	ap_jw_arr(w);
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct ap_finding *f = &r->findings[i];
		ap_jw_obj(w);
		ap_rj_kstr(j, "rule", f->rule, AP_REP_CAP);
		ap_rj_kstr(j, "title", f->title, AP_REP_NOCAP);
		ap_jw_kstr(w, "severity", ap_severity_name(f->severity));
		ap_jw_ki64(w, "dimension", f->dimension);
		ap_rj_num(j, "points", f->points);
		ap_rj_kstr(j, "message", f->message, AP_REP_NOCAP);
		ap_rj_kstr(j, "category", f->category, AP_REP_CAP);
		ap_rj_kstr(j, "owner", f->owner, AP_REP_CAP);
		ap_rj_kstr(j, "confidence", f->confidence, AP_REP_CAP);
		j_evidence(j, f->evidence, f->n_evidence);
		j_refs(j, f->refs, f->n_refs);
		ap_rj_kstr(j, "remediation", f->remediation, AP_REP_NOCAP);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

static void j_network(struct ap_rj *j, const struct ap_report *r)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "network");
	ap_jw_obj(w);
	ap_jw_key(w, "urls");
	ap_jw_arr(w);
	for (size_t i = 0; i < r->n_urls; i++) {
		const struct ap_rep_url *u = &r->urls[i];
		ap_jw_obj(w);
		ap_rj_kstr(j, "url", u->url, AP_REP_CAP);
		ap_rj_kstr(j, "owner", u->owner, AP_REP_CAP);
		ap_rj_kstr(j, "where", u->where, AP_REP_CAP);
		ap_jw_kbool(w, "cleartext", u->cleartext);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
	ap_rj_strs(j, "apis", r->network_apis, r->n_network_apis, AP_REP_CAP);
	ap_jw_obj_end(w);
}

static void j_score(struct ap_rj *j, const struct ap_report *r)
{
	ap_jw_key(&j->w, "score");
	ap_jw_obj(&j->w);
	ap_rj_num(j, "total", r->score_total);
	ap_rj_kstr(j, "grade", r->grade, AP_REP_CAP);
	ap_jw_key(&j->w, "dimensions");
	ap_jw_obj(&j->w);
	ap_rj_num(j, "1", r->score_dim[0]);
	ap_rj_num(j, "2", r->score_dim[1]);
	ap_rj_num(j, "3", r->score_dim[2]);
	ap_jw_obj_end(&j->w);
	ap_jw_obj_end(&j->w);
}

void ap_rj_offset(struct ap_jw *w, uint64_t offset)
{
	ap_jw_key(w, "offset");
	if (offset == AP_OFFSET_NONE)
		ap_jw_null(w);
	else
		ap_jw_u64(w, offset);
}

void ap_rj_anomalies(struct ap_rj *j, const struct ap_anomalies *an)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "anomalies");
	ap_jw_arr(w);
	for (size_t i = 0; an && i < an->count; i++) {
		const struct ap_anomaly *x = &an->items[i];
		ap_jw_obj(w);
		ap_rj_kstr(j, "module", x->module, AP_REP_CAP);
		ap_rj_kstr(j, "where", x->where, AP_REP_CAP);
		ap_rj_offset(w, x->offset);
		ap_jw_kstr(w, "code", ap_err_name(x->code));
		ap_rj_kstr(j, "message", x->what, AP_REP_CAP);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

int ap_report_json(const struct ap_report *r, struct ap_buf *out)
{
	struct ap_rj j;
	ap_rj_begin(&j, out, AP_RJ_PRETTY);
	ap_jw_obj(&j.w);
	ap_jw_kstr(&j.w, "schema", AP_REPORT_SCHEMA);
	j_tool(&j, r);
	j_input(&j, r);
	j_app(&j, r);
	j_app_type(&j, r);
	j_permissions(&j, r);
	j_sdks(&j, r);
	j_pi(&j, r);
	j_findings(&j, r);
	j_network(&j, r);
	j_score(&j, r);
	ap_rj_anomalies(&j, r->anomalies);
	ap_jw_ku64(&j.w, "anomalies_dropped", r->anomalies ? r->anomalies->dropped : 0);
	ap_jw_kbool(&j.w, "partial", r->partial);
	ap_rj_kstr(&j, "partial_reason", r->partial_reason, AP_REP_CAP);
	if (!r->deterministic)
		ap_rj_num(&j, "elapsed_ms", r->elapsed_ms);
	ap_jw_obj_end(&j.w);
	return ap_rj_end(&j);
}
