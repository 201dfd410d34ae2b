/* The manifest model as JSON with json-c. Every string from the APK goes through ap_rep_esc (one
 * line, valid UTF-8, capped) before json-c adds JSON's own escaping. */
#include "manifest_json.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "manifest/manifest.h"
#include "report_json.h"
#include "report_util.h"

#include <json-c/json.h>
#include <string.h>

static json_object *jstr(const char *s)
{
	if (!s)
		return NULL; /* json-c writes NULL members as null */
	struct ap_buf tmp = AP_BUF_INIT;
	json_object *o = json_object_new_string(ap_rep_escd(&tmp, s, AP_REP_CAP));
	ap_buf_free(&tmp);
	return o;
}

static void put_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, jstr(v));
}

static json_object *str_array(char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		if (v[i])
			json_object_array_add(a, jstr(v[i]));
	return a;
}

static json_object *filter_json(const struct ap_mf_intent_filter *f)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "actions", str_array(f->actions, f->n_actions));
	json_object_object_add(o, "categories", str_array(f->categories, f->n_categories));
	json_object_object_add(o, "schemes", str_array(f->schemes, f->n_schemes));
	json_object_object_add(o, "hosts", str_array(f->hosts, f->n_hosts));
	json_object_object_add(o, "priority", json_object_new_int(f->priority));
	return o;
}

static json_object *meta_json(const struct ap_mf_meta *m, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		put_str(o, "name", m[i].name);
		put_str(o, "value", m[i].value);
		put_str(o, "resource", m[i].resource);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *component_json(const struct ap_mf_component *k)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "kind", json_object_new_string(ap_comp_kind_name(k->kind)));
	put_str(o, "name", k->name);
	if (k->target)
		put_str(o, "target", k->target);
	json_object_object_add(o, "exported", json_object_new_boolean(k->exported));
	json_object_object_add(o, "exported_explicit",
			       json_object_new_boolean(k->exported_explicit));
	json_object_object_add(o, "enabled", json_object_new_boolean(k->enabled));
	put_str(o, "permission", k->permission);
	put_str(o, "process", k->process);
	if (k->kind == AP_COMP_PROVIDER)
		put_str(o, "authorities", k->authorities);
	json_object_object_add(o, "direct_boot_aware",
			       json_object_new_boolean(k->direct_boot_aware));
	json_object *fs = json_object_new_array();
	for (size_t i = 0; i < k->n_filters; i++)
		json_object_array_add(fs, filter_json(&k->filters[i]));
	json_object_object_add(o, "intent_filters", fs);
	json_object_object_add(o, "meta_data", meta_json(k->meta, k->n_meta));
	json_object_object_add(o, "line", json_object_new_int((int)k->line));
	return o;
}

static json_object *model_json(const struct ap_manifest *m)
{
	json_object *o = json_object_new_object();
	put_str(o, "package", m->package);
	json_object_object_add(o, "version_code", m->version_code < 0 ? NULL
					      : json_object_new_int64(m->version_code));
	put_str(o, "version_name", m->version_name);
	json_object_object_add(o, "min_sdk", json_object_new_int(m->min_sdk));
	json_object_object_add(o, "target_sdk", json_object_new_int(m->target_sdk));
	json_object_object_add(o, "max_sdk", m->max_sdk ? json_object_new_int(m->max_sdk) : NULL);
	put_str(o, "min_sdk_raw", m->min_sdk_str);
	put_str(o, "target_sdk_raw", m->target_sdk_str);
	put_str(o, "label", m->label);
	put_str(o, "label_zh", m->label_zh);
	put_str(o, "label_ref", m->label_ref);
	json_object_object_add(o, "format", json_object_new_string(m->from_text_xml ? "text-xml"
										     : "axml"));

	json_object *app = json_object_new_object();
	put_str(app, "name", m->app_name);
	json_object_object_add(app, "debuggable", json_object_new_boolean(m->debuggable));
	json_object_object_add(app, "allow_backup", json_object_new_boolean(m->allow_backup));
	json_object_object_add(app, "uses_cleartext_traffic",
			       json_object_new_boolean(m->uses_cleartext));
	json_object_object_add(app, "uses_cleartext_traffic_explicit",
			       json_object_new_boolean(m->uses_cleartext_explicit));
	json_object_object_add(app, "has_code", json_object_new_boolean(m->has_code));
	put_str(app, "network_security_config", m->network_security_config);
	put_str(app, "app_component_factory", m->app_component_factory);
	json_object_object_add(app, "meta_data", meta_json(m->app_meta, m->n_app_meta));
	json_object_object_add(o, "application", app);

	json_object *up = json_object_new_array();
	for (size_t i = 0; i < m->n_uses_perms; i++) {
		const struct ap_mf_uses_permission *p = &m->uses_perms[i];
		json_object *e = json_object_new_object();
		put_str(e, "name", p->name);
		if (p->max_sdk)
			json_object_object_add(e, "max_sdk", json_object_new_int(p->max_sdk));
		if (p->sdk23)
			json_object_object_add(e, "sdk23", json_object_new_boolean(1));
		json_object_object_add(e, "line", json_object_new_int((int)p->line));
		json_object_array_add(up, e);
	}
	json_object_object_add(o, "uses_permissions", up);

	json_object *pd = json_object_new_array();
	for (size_t i = 0; i < m->n_perms; i++) {
		json_object *e = json_object_new_object();
		put_str(e, "name", m->perms[i].name);
		put_str(e, "protection_level", m->perms[i].protection);
		json_object_array_add(pd, e);
	}
	json_object_object_add(o, "permissions", pd);

	json_object *cs = json_object_new_array();
	for (size_t i = 0; i < m->n_comps; i++)
		json_object_array_add(cs, component_json(&m->comps[i]));
	json_object_object_add(o, "components", cs);
	put_str(o, "launcher_activity",
		m->launcher >= 0 && (size_t)m->launcher < m->n_comps ? m->comps[m->launcher].name
								      : NULL);

	json_object *fe = json_object_new_array();
	for (size_t i = 0; i < m->n_features; i++) {
		json_object *e = json_object_new_object();
		put_str(e, "name", m->features[i].name);
		json_object_object_add(e, "required", json_object_new_boolean(m->features[i].required));
		if (m->features[i].gles_version)
			json_object_object_add(e, "gles_version",
					       json_object_new_int(m->features[i].gles_version));
		json_object_array_add(fe, e);
	}
	json_object_object_add(o, "uses_features", fe);

	json_object *q = json_object_new_object();
	json_object_object_add(q, "packages", str_array(m->query_packages, m->n_query_packages));
	json_object_object_add(q, "providers", str_array(m->query_providers, m->n_query_providers));
	json_object *qi = json_object_new_array();
	for (size_t i = 0; i < m->n_query_intents; i++)
		json_object_array_add(qi, filter_json(&m->query_intents[i]));
	json_object_object_add(q, "intents", qi);
	json_object_object_add(o, "queries", q);
	return o;
}

static json_object *anomalies_json(const struct ap_anomalies *an)
{
	struct ap_buf t = AP_BUF_INIT;
	json_object *a = ap_rj_anomalies(&t, an);
	ap_buf_free(&t);
	return a;
}

int ap_report_manifest_json(const struct ap_manifest *m, const struct ap_anomalies *an,
			    struct ap_buf *out)
{
	json_object *root = json_object_new_object();
	if (!root)
		return AP_ERR_NOMEM;
	json_object_object_add(root, "manifest", m ? model_json(m) : NULL);
	json_object_object_add(root, "anomalies", anomalies_json(an));
	json_object_object_add(root, "anomalies_dropped",
			       json_object_new_int64(an ? (int64_t)an->dropped : 0));
	const char *s = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	bool ok = s && ap_buf_adds(out, s) && ap_buf_addc(out, '\n');
	json_object_put(root);
	return ok ? AP_OK : s ? AP_ERR_LIMIT : AP_ERR_NOMEM;
}
