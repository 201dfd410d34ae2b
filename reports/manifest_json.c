/* The manifest model as JSON. Every string from the APK goes through ap_rep_esc (one line, valid
 * UTF-8, capped) before the writer adds JSON's own escaping. */
#include "manifest_json.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "manifest/manifest.h"
#include "report_json.h"
#include "report_util.h"

#include <string.h>

static void put_str(struct ap_rj *j, const char *k, const char *v)
{
	ap_rj_kstr(j, k, v, AP_REP_CAP);
}

/* NULL elements are left out (unlike the report's arrays, which say null). */
static void str_array(struct ap_rj *j, const char *k, char *const *v, size_t n)
{
	ap_jw_key(&j->w, k);
	ap_jw_arr(&j->w);
	for (size_t i = 0; i < n; i++)
		if (v[i])
			ap_rj_str(j, v[i], AP_REP_CAP);
	ap_jw_arr_end(&j->w);
}

static void filter_json(struct ap_rj *j, const struct ap_mf_intent_filter *f)
{
	ap_jw_obj(&j->w);
	str_array(j, "actions", f->actions, f->n_actions);
	str_array(j, "categories", f->categories, f->n_categories);
	str_array(j, "schemes", f->schemes, f->n_schemes);
	str_array(j, "hosts", f->hosts, f->n_hosts);
	ap_jw_ki64(&j->w, "priority", f->priority);
	ap_jw_obj_end(&j->w);
}

static void filters_json(struct ap_rj *j, const char *k, const struct ap_mf_intent_filter *f,
			 size_t n)
{
	ap_jw_key(&j->w, k);
	ap_jw_arr(&j->w);
	for (size_t i = 0; i < n; i++)
		filter_json(j, &f[i]);
	ap_jw_arr_end(&j->w);
}

static void meta_json(struct ap_rj *j, const struct ap_mf_meta *m, size_t n)
{
	ap_jw_key(&j->w, "meta_data");
	ap_jw_arr(&j->w);
	for (size_t i = 0; i < n; i++) {
		ap_jw_obj(&j->w);
		put_str(j, "name", m[i].name);
		put_str(j, "value", m[i].value);
		put_str(j, "resource", m[i].resource);
		ap_jw_obj_end(&j->w);
	}
	ap_jw_arr_end(&j->w);
}

static void component_json(struct ap_rj *j, const struct ap_mf_component *k)
{
	struct ap_jw *w = &j->w;
	ap_jw_obj(w);
	ap_jw_kstr(w, "kind", ap_comp_kind_name(k->kind));
	put_str(j, "name", k->name);
	if (k->target)
		put_str(j, "target", k->target);
	ap_jw_kbool(w, "exported", k->exported);
	ap_jw_kbool(w, "exported_explicit", k->exported_explicit);
	ap_jw_kbool(w, "enabled", k->enabled);
	put_str(j, "permission", k->permission);
	put_str(j, "process", k->process);
	if (k->kind == AP_COMP_PROVIDER)
		put_str(j, "authorities", k->authorities);
	ap_jw_kbool(w, "direct_boot_aware", k->direct_boot_aware);
	filters_json(j, "intent_filters", k->filters, k->n_filters);
	meta_json(j, k->meta, k->n_meta);
	ap_jw_ki64(w, "line", (int)k->line);
	ap_jw_obj_end(w);
}

static void app_json(struct ap_rj *j, const struct ap_manifest *m)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "application");
	ap_jw_obj(w);
	put_str(j, "name", m->app_name);
	ap_jw_kbool(w, "debuggable", m->debuggable);
	ap_jw_kbool(w, "allow_backup", m->allow_backup);
	ap_jw_kbool(w, "uses_cleartext_traffic", m->uses_cleartext);
	ap_jw_kbool(w, "uses_cleartext_traffic_explicit", m->uses_cleartext_explicit);
	ap_jw_kbool(w, "has_code", m->has_code);
	put_str(j, "network_security_config", m->network_security_config);
	put_str(j, "app_component_factory", m->app_component_factory);
	meta_json(j, m->app_meta, m->n_app_meta);
	ap_jw_obj_end(w);
}

static void perms_json(struct ap_rj *j, const struct ap_manifest *m)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "uses_permissions");
	ap_jw_arr(w);
	for (size_t i = 0; i < m->n_uses_perms; i++) {
		const struct ap_mf_uses_permission *p = &m->uses_perms[i];
		ap_jw_obj(w);
		put_str(j, "name", p->name);
		if (p->max_sdk)
			ap_jw_ki64(w, "max_sdk", p->max_sdk);
		if (p->sdk23)
			ap_jw_kbool(w, "sdk23", true);
		ap_jw_ki64(w, "line", (int)p->line);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
	ap_jw_key(w, "permissions");
	ap_jw_arr(w);
	for (size_t i = 0; i < m->n_perms; i++) {
		ap_jw_obj(w);
		put_str(j, "name", m->perms[i].name);
		put_str(j, "protection_level", m->perms[i].protection);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

static void features_queries_json(struct ap_rj *j, const struct ap_manifest *m)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "uses_features");
	ap_jw_arr(w);
	for (size_t i = 0; i < m->n_features; i++) {
		ap_jw_obj(w);
		put_str(j, "name", m->features[i].name);
		ap_jw_kbool(w, "required", m->features[i].required);
		if (m->features[i].gles_version)
			ap_jw_ki64(w, "gles_version", m->features[i].gles_version);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);

	ap_jw_key(w, "queries");
	ap_jw_obj(w);
	str_array(j, "packages", m->query_packages, m->n_query_packages);
	str_array(j, "providers", m->query_providers, m->n_query_providers);
	filters_json(j, "intents", m->query_intents, m->n_query_intents);
	ap_jw_obj_end(w);
}

static void model_json(struct ap_rj *j, const struct ap_manifest *m)
{
	struct ap_jw *w = &j->w;
	ap_jw_obj(w);
	put_str(j, "package", m->package);
	ap_jw_key(w, "version_code");
	if (m->version_code < 0)
		ap_jw_null(w);
	else
		ap_jw_i64(w, m->version_code);
	put_str(j, "version_name", m->version_name);
	ap_jw_ki64(w, "min_sdk", m->min_sdk);
	ap_jw_ki64(w, "target_sdk", m->target_sdk);
	ap_jw_key(w, "max_sdk");
	if (m->max_sdk)
		ap_jw_i64(w, m->max_sdk);
	else
		ap_jw_null(w);
	put_str(j, "min_sdk_raw", m->min_sdk_str);
	put_str(j, "target_sdk_raw", m->target_sdk_str);
	put_str(j, "label", m->label);
	put_str(j, "label_zh", m->label_zh);
	put_str(j, "label_ref", m->label_ref);
	ap_jw_kstr(w, "format", m->from_text_xml ? "text-xml" : "axml");
	app_json(j, m);
	perms_json(j, m);
	ap_jw_key(w, "components");
	ap_jw_arr(w);
	for (size_t i = 0; i < m->n_comps; i++)
		component_json(j, &m->comps[i]);
	ap_jw_arr_end(w);
	put_str(j, "launcher_activity",
		m->launcher >= 0 && (size_t)m->launcher < m->n_comps ? m->comps[m->launcher].name
								      : NULL);
	features_queries_json(j, m);
	ap_jw_obj_end(w);
}

int ap_report_manifest_json(const struct ap_manifest *m, const struct ap_anomalies *an,
			    struct ap_buf *out)
{
	struct ap_rj j;
	ap_rj_begin(&j, out, AP_RJ_PRETTY);
	ap_jw_obj(&j.w);
	ap_jw_key(&j.w, "manifest");
	if (m)
		model_json(&j, m);
	else
		ap_jw_null(&j.w);
	ap_rj_anomalies(&j, an);
	ap_jw_ki64(&j.w, "anomalies_dropped", an ? (int64_t)an->dropped : 0);
	ap_jw_obj_end(&j.w);
	return ap_rj_end(&j);
}
