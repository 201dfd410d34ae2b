/* `apkpriv native --json`: the native library model as JSON via json-c. Every string from the
 * file (symbol names, constant arguments, URLs, paths) goes through ap_buf_add_escaped first. */
#include "reports/native_json.h"
#include "reports/report_json.h"

#include "analyzer/native/native.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static json_object *jstr(const char *s)
{
	if (!s)
		return NULL;
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_add_escaped(&b, s, strlen(s), AP_MAX_STRING_REPORT);
	json_object *o = json_object_new_string_len(b.data ? b.data : "", (int)b.len);
	ap_buf_free(&b);
	return o;
}

static json_object *jhex(uint64_t v)
{
	char t[24];
	snprintf(t, sizeof(t), "0x%llx", (unsigned long long)v);
	return json_object_new_string(t);
}

static json_object *str_array(const char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, jstr(v[i]));
	return a;
}

static json_object *call_obj(const struct ap_native_call *c)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "symbol", jstr(c->symbol));
	json_object *args = json_object_new_array();
	for (unsigned i = 0; i < c->n_args; i++) {
		const struct ap_native_arg *a = &c->args[i];
		if (a->kind == AP_NARG_STR)
			json_object_array_add(args, jstr(a->str));
		else if (a->kind == AP_NARG_INT)
			json_object_array_add(args, json_object_new_int64((int64_t)a->val));
		else
			json_object_array_add(args, NULL);
	}
	json_object_object_add(o, "args", args);
	json_object_object_add(o, "offset", json_object_new_int64((int64_t)c->offset));
	json_object_object_add(o, "vaddr", jhex(c->vaddr));
	if (c->func_name)
		json_object_object_add(o, "function", jstr(c->func_name));
	return o;
}

static json_object *lib_obj(const struct ap_native_lib *l)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "path", jstr(l->path));
	json_object_object_add(o, "abi", json_object_new_string(l->abi));
	json_object_object_add(o, "soname", jstr(l->soname));
	json_object_object_add(o, "needed", str_array(l->needed, l->n_needed));
	json_object_object_add(o, "imports", str_array(l->imports, l->n_imports));
	json_object *ex = json_object_new_array();
	for (size_t i = 0; i < l->n_exports; i++)
		json_object_array_add(ex, jstr(l->exports[i].name));
	json_object_object_add(o, "exports", ex);
	json_object *jni = json_object_new_array();
	for (size_t i = 0; i < l->n_jni; i++) {
		const struct ap_native_jni *j = &l->jni[i];
		json_object *x = json_object_new_object();
		json_object_object_add(x, "symbol", jstr(j->symbol));
		json_object_object_add(x, "class", jstr(j->class_name));
		json_object_object_add(x, "method", jstr(j->method));
		json_object_object_add(x, "signature", jstr(j->signature));
		json_object_object_add(x, "vaddr", jhex(j->vaddr));
		json_object_array_add(jni, x);
	}
	json_object_object_add(o, "jni", jni);
	json_object_object_add(o, "jni_onload", json_object_new_boolean(l->has_jni_onload));
	json_object *reg = json_object_new_array();
	for (size_t i = 0; i < l->n_registered; i++) {
		const struct ap_native_regnative *r = &l->registered[i];
		json_object *x = json_object_new_object();
		json_object_object_add(x, "method", jstr(r->name));
		json_object_object_add(x, "signature", jstr(r->signature));
		json_object_object_add(x, "fn", jhex(r->fn));
		json_object_object_add(x, "call_vaddr", jhex(r->call_vaddr));
		json_object_array_add(reg, x);
	}
	json_object_object_add(o, "registered", reg);
	json_object *calls = json_object_new_array(), *jcalls = json_object_new_array();
	for (size_t i = 0; i < l->n_calls; i++)
		json_object_array_add(l->calls[i].kind == AP_NCALL_JNIENV ? jcalls : calls,
				      call_obj(&l->calls[i]));
	json_object_object_add(o, "calls", calls);
	json_object_object_add(o, "jni_calls", jcalls);
	json_object_object_add(o, "net_imports", str_array(l->net_imports, l->n_net_imports));
	json_object_object_add(o, "urls", str_array(l->urls, l->n_urls));
	json_object_object_add(o, "section_headers_ok", json_object_new_boolean(l->section_headers_ok));
	json_object_object_add(o, "packed_relocs", json_object_new_boolean(l->packed_relocs));
	json_object_object_add(o, "plt_stubs", json_object_new_int64((int64_t)l->n_plt));
	json_object_object_add(o, "instructions", json_object_new_int64((int64_t)l->n_insns));
	json_object_object_add(o, "partial", json_object_new_boolean(l->partial));
	return o;
}

int ap_report_native_json(struct ap_native_lib *const *libs, size_t n,
			  const struct ap_anomalies *an, struct ap_buf *out)
{
	json_object *root = json_object_new_object();
	if (!root)
		return AP_ERR_NOMEM;
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, lib_obj(libs[i]));
	json_object_object_add(root, "libraries", arr);
	struct ap_buf t = AP_BUF_INIT;
	json_object *anoms = ap_rj_anomalies(&t, an);
	ap_buf_free(&t);
	json_object_object_add(root, "anomalies", anoms);
	const char *txt = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = AP_OK;
	if (!txt)
		rc = AP_ERR_NOMEM;
	else if (!ap_buf_adds(out, txt) || !ap_buf_addc(out, '\n'))
		rc = out->failed ? AP_ERR_LIMIT : AP_ERR_NOMEM;
	json_object_put(root);
	return rc;
}
