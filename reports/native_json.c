/* `apkpriv native --json`: the native library model as JSON. Every string from the
 * file (symbol names, constant arguments, URLs, paths) goes through ap_buf_add_escaped first. */
#include "reports/native_json.h"
#include "reports/report_json.h"

#include "analyzer/native/native.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdio.h>
#include <string.h>

/* Native strings get ap_buf_add_escaped (bytes from the ELF), not the report's ap_rep_esc. */
static void jstr(struct ap_rj *j, const char *s)
{
	if (!s) {
		ap_jw_null(&j->w);
		return;
	}
	ap_buf_reset(&j->tmp);
	ap_buf_add_escaped(&j->tmp, s, strlen(s), AP_MAX_STRING_REPORT);
	j->oom |= j->tmp.failed;
	ap_jw_strn(&j->w, j->tmp.data && !j->tmp.failed ? j->tmp.data : "",
		   j->tmp.failed ? 0 : j->tmp.len);
}

static void kstr(struct ap_rj *j, const char *k, const char *s)
{
	ap_jw_key(&j->w, k);
	jstr(j, s);
}

static void khex(struct ap_jw *w, const char *k, uint64_t v)
{
	char t[24];
	snprintf(t, sizeof(t), "0x%llx", (unsigned long long)v);
	ap_jw_kstr(w, k, t);
}

static void str_array(struct ap_rj *j, const char *k, const char *const *v, size_t n)
{
	ap_jw_key(&j->w, k);
	ap_jw_arr(&j->w);
	for (size_t i = 0; i < n; i++)
		jstr(j, v[i]);
	ap_jw_arr_end(&j->w);
}

static void call_obj(struct ap_rj *j, const struct ap_native_call *c)
{
	struct ap_jw *w = &j->w;
	ap_jw_obj(w);
	kstr(j, "symbol", c->symbol);
	ap_jw_key(w, "args");
	ap_jw_arr(w);
	for (unsigned i = 0; i < c->n_args; i++) {
		const struct ap_native_arg *a = &c->args[i];
		if (a->kind == AP_NARG_STR)
			jstr(j, a->str);
		else if (a->kind == AP_NARG_INT)
			ap_jw_i64(w, (int64_t)a->val);
		else
			ap_jw_null(w);
	}
	ap_jw_arr_end(w);
	ap_jw_ki64(w, "offset", (int64_t)c->offset);
	khex(w, "vaddr", c->vaddr);
	if (c->func_name)
		kstr(j, "function", c->func_name);
	ap_jw_obj_end(w);
}

static void symbols(struct ap_rj *j, const struct ap_native_lib *l)
{
	struct ap_jw *w = &j->w;
	ap_jw_key(w, "exports");
	ap_jw_arr(w);
	for (size_t i = 0; i < l->n_exports; i++)
		jstr(j, l->exports[i].name);
	ap_jw_arr_end(w);
	ap_jw_key(w, "jni");
	ap_jw_arr(w);
	for (size_t i = 0; i < l->n_jni; i++) {
		const struct ap_native_jni *x = &l->jni[i];
		ap_jw_obj(w);
		kstr(j, "symbol", x->symbol);
		kstr(j, "class", x->class_name);
		kstr(j, "method", x->method);
		kstr(j, "signature", x->signature);
		khex(w, "vaddr", x->vaddr);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
	ap_jw_kbool(w, "jni_onload", l->has_jni_onload);
	ap_jw_key(w, "registered");
	ap_jw_arr(w);
	for (size_t i = 0; i < l->n_registered; i++) {
		const struct ap_native_regnative *r = &l->registered[i];
		ap_jw_obj(w);
		kstr(j, "method", r->name);
		kstr(j, "signature", r->signature);
		khex(w, "fn", r->fn);
		khex(w, "call_vaddr", r->call_vaddr);
		ap_jw_obj_end(w);
	}
	ap_jw_arr_end(w);
}

/* calls and jni_calls split one list by kind, each keeping its order. */
static void calls(struct ap_rj *j, const char *k, const struct ap_native_lib *l, bool jnienv)
{
	ap_jw_key(&j->w, k);
	ap_jw_arr(&j->w);
	for (size_t i = 0; i < l->n_calls; i++)
		if ((l->calls[i].kind == AP_NCALL_JNIENV) == jnienv)
			call_obj(j, &l->calls[i]);
	ap_jw_arr_end(&j->w);
}

static void lib_obj(struct ap_rj *j, const struct ap_native_lib *l)
{
	struct ap_jw *w = &j->w;
	ap_jw_obj(w);
	kstr(j, "path", l->path);
	ap_jw_kstr(w, "abi", l->abi);
	kstr(j, "soname", l->soname);
	str_array(j, "needed", l->needed, l->n_needed);
	str_array(j, "imports", l->imports, l->n_imports);
	symbols(j, l);
	calls(j, "calls", l, false);
	calls(j, "jni_calls", l, true);
	str_array(j, "net_imports", l->net_imports, l->n_net_imports);
	str_array(j, "urls", l->urls, l->n_urls);
	ap_jw_kbool(w, "section_headers_ok", l->section_headers_ok);
	ap_jw_kbool(w, "packed_relocs", l->packed_relocs);
	ap_jw_ki64(w, "plt_stubs", (int64_t)l->n_plt);
	ap_jw_ki64(w, "instructions", (int64_t)l->n_insns);
	ap_jw_kbool(w, "partial", l->partial);
	ap_jw_obj_end(w);
}

/* json-c's PRETTY without SPACED: "key":value, as this output has always been. */
int ap_report_native_json(struct ap_native_lib *const *libs, size_t n,
			  const struct ap_anomalies *an, struct ap_buf *out)
{
	struct ap_rj j;
	ap_rj_begin(&j, out, AP_JW_PRETTY);
	ap_jw_obj(&j.w);
	ap_jw_key(&j.w, "libraries");
	ap_jw_arr(&j.w);
	for (size_t i = 0; i < n; i++)
		lib_obj(&j, libs[i]);
	ap_jw_arr_end(&j.w);
	ap_rj_anomalies(&j, an);
	ap_jw_obj_end(&j.w);
	return ap_rj_end(&j);
}
