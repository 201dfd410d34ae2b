/* `apkpriv native [--json] FILE...`: per native library (a bare .so, or every lib/<abi>/NAME.so of
 * an APK) the ABI, imports, JNI bindings and the sensitive call sites with constant arguments. */
#include "cli.h"

#include "analyzer/native/native.h"
#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"
#include "apk.h"
#include "reports/native_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct loaded {
	struct ap_native_lib **libs;
	uint8_t **bufs;
	size_t n, cap;
	bool partial;
};

static void out_esc(struct ap_buf *b, const char *s)
{
	ap_buf_add_escaped(b, s ? s : "", s ? strlen(s) : 0, AP_MAX_STRING_REPORT);
}

static bool keep(struct loaded *L, struct ap_native_lib *lib, uint8_t *buf)
{
	if (L->n == L->cap) {
		size_t nc = L->cap ? L->cap * 2 : 8;
		struct ap_native_lib **l = realloc(L->libs, nc * sizeof(*l));
		if (!l)
			return false;
		L->libs = l;
		uint8_t **b = realloc(L->bufs, nc * sizeof(*b));
		if (!b)
			return false;
		L->bufs = b;
		L->cap = nc;
	}
	L->libs[L->n] = lib;
	L->bufs[L->n] = buf;
	L->n++;
	return true;
}

/* Takes ownership of buf. */
static int open_one(struct loaded *L, uint8_t *buf, size_t len, const char *name,
		    struct ap_anomalies *an)
{
	struct ap_native_lib *lib = NULL;
	int rc = ap_native_open(buf, len, name, an, &lib);
	if (rc != AP_OK) {
		ap_anom_add(an, "native", name, AP_OFFSET_NONE, rc, "not analysed: %s",
			    ap_strerror(rc));
		free(buf);
		return rc;
	}
	if (lib->partial)
		L->partial = true;
	if (!keep(L, lib, buf)) {
		ap_native_close(lib);
		free(buf);
		return AP_ERR_NOMEM;
	}
	return AP_OK;
}

static int load_path(struct loaded *L, const char *path, struct ap_anomalies *an)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = ap_read_file(path, AP_MAX_INPUT_FILE, &buf, &len);
	if (rc != AP_OK) {
		fprintf(stderr, "apkpriv: native: cannot read %s: %s\n", path, ap_strerror(rc));
		return rc;
	}
	if (len >= 4 && memcmp(buf, "\177ELF", 4) == 0)
		return open_one(L, buf, len, path, an);
	free(buf);
	struct ap_apk *apk = NULL;
	rc = ap_apk_open(path, an, &apk);
	if (rc != AP_OK) {
		fprintf(stderr, "apkpriv: native: %s is neither an ELF library nor an APK: %s\n", path,
			ap_strerror(rc));
		return rc;
	}
	size_t seen = 0;
	for (size_t i = 0; i < apk->n_entries; i++) {
		const struct ap_apk_entry *en = &apk->entries[i];
		if (en->kind != AP_ENTRY_NATIVE)
			continue;
		if (++seen > AP_MAX_NATIVE_LIBS) {
			ap_anom_add(an, "native", path, AP_OFFSET_NONE, AP_ERR_LIMIT,
				    "more than %u native libraries; rest not analysed",
				    AP_MAX_NATIVE_LIBS);
			L->partial = true;
			break;
		}
		uint8_t *lb = NULL;
		size_t ll = 0;
		int r = ap_apk_read(apk, i, &lb, &ll);
		if (r != AP_OK)
			L->partial = true;
		if (!lb)
			continue;
		int o = open_one(L, lb, ll, en->name, an);
		if (o == AP_ERR_NOMEM) {
			ap_apk_close(apk);
			return o;
		}
	}
	ap_apk_close(apk);
	return AP_OK;
}

static void print_arg(struct ap_buf *b, const struct ap_native_arg *a)
{
	if (a->kind == AP_NARG_STR) {
		ap_buf_addc(b, '"');
		out_esc(b, a->str);
		ap_buf_addc(b, '"');
	} else if (a->kind == AP_NARG_INT) {
		ap_buf_addf(b, "0x%llx", (unsigned long long)a->val);
	} else {
		ap_buf_addc(b, '?');
	}
}

static void print_calls(struct ap_buf *b, const struct ap_native_lib *l, enum ap_native_call_kind k)
{
	for (size_t i = 0; i < l->n_calls; i++) {
		const struct ap_native_call *c = &l->calls[i];
		if (c->kind != k)
			continue;
		ap_buf_addf(b, "    0x%08llx  %s%s(", (unsigned long long)c->offset,
			    k == AP_NCALL_JNIENV ? "env->" : "", c->symbol);
		for (unsigned j = 0; j < c->n_args; j++) {
			if (j)
				ap_buf_adds(b, ", ");
			print_arg(b, &c->args[j]);
		}
		ap_buf_adds(b, ")");
		if (c->func_name) {
			ap_buf_adds(b, "  in ");
			out_esc(b, c->func_name);
		}
		ap_buf_addc(b, '\n');
	}
}

static void print_list(struct ap_buf *b, const char *title, const char *const *v, size_t n)
{
	ap_buf_addf(b, "  %s (%zu):", title, n);
	for (size_t i = 0; i < n; i++) {
		ap_buf_adds(b, i ? ", " : " ");
		out_esc(b, v[i]);
	}
	ap_buf_addc(b, '\n');
}

static void print_text(struct ap_buf *b, const struct ap_native_lib *l)
{
	out_esc(b, l->path);
	ap_buf_addf(b, "\n  abi: %s%s%s\n", l->abi,
		    l->section_headers_ok ? "" : "  (section headers stripped or garbage)",
		    l->packed_relocs ? "  (packed relocations)" : "");
	if (l->soname) {
		ap_buf_adds(b, "  soname: ");
		out_esc(b, l->soname);
		ap_buf_addc(b, '\n');
	}
	print_list(b, "needed", l->needed, l->n_needed);
	print_list(b, "imports", l->imports, l->n_imports);
	ap_buf_addf(b, "  exports: %zu, JNI_OnLoad: %s\n", l->n_exports,
		    l->has_jni_onload ? "yes" : "no");
	ap_buf_addf(b, "  jni bindings (%zu):\n", l->n_jni + l->n_registered);
	for (size_t i = 0; i < l->n_jni; i++) {
		ap_buf_adds(b, "    ");
		out_esc(b, l->jni[i].class_name);
		ap_buf_addc(b, '.');
		out_esc(b, l->jni[i].method);
		if (l->jni[i].signature)
			out_esc(b, l->jni[i].signature);
		ap_buf_adds(b, "  <- ");
		out_esc(b, l->jni[i].symbol);
		ap_buf_addc(b, '\n');
	}
	for (size_t i = 0; i < l->n_registered; i++) {
		ap_buf_adds(b, "    RegisterNatives: ");
		out_esc(b, l->registered[i].name);
		out_esc(b, l->registered[i].signature);
		ap_buf_addf(b, "  -> 0x%llx\n", (unsigned long long)l->registered[i].fn);
	}
	ap_buf_adds(b, "  sensitive calls:\n");
	print_calls(b, l, AP_NCALL_IMPORT);
	ap_buf_adds(b, "  JNIEnv calls:\n");
	print_calls(b, l, AP_NCALL_JNIENV);
	print_list(b, "network imports", l->net_imports, l->n_net_imports);
	print_list(b, "urls", l->urls, l->n_urls);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: apkpriv native [--json] [-v] FILE...\n"
		   "  FILE is an APK (every lib/<abi>/*.so is analysed) or a bare ELF .so\n"
		   "  --json  {\"libraries\":[{path, abi, imports, exports, jni, calls, ...}]}\n");
}

int ap_cmd_native(int argc, char **argv)
{
	bool json = false;
	int verbose = 0, first = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
			verbose++;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return AP_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "apkpriv: native: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return AP_EXIT_USAGE;
		} else if (!first) {
			first = i;
		}
	}
	if (!first) {
		usage(stderr);
		return AP_EXIT_USAGE;
	}
	ap_cli_log_init(verbose);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct loaded L = {0};
	int exit_code = AP_EXIT_OK;
	for (int i = first; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		int rc = load_path(&L, argv[i], &an);
		if (rc == AP_ERR_NOMEM)
			exit_code = AP_EXIT_INTERNAL;
		else if (rc != AP_OK && exit_code == AP_EXIT_OK)
			exit_code = AP_EXIT_INPUT;
	}
	struct ap_buf b = AP_BUF_INIT;
	if (json) {
		if (ap_report_native_json(L.libs, L.n, &an, &b) != AP_OK)
			exit_code = AP_EXIT_INTERNAL;
	} else {
		for (size_t i = 0; i < L.n; i++)
			print_text(&b, L.libs[i]);
		if (an.count || an.dropped)
			ap_buf_addf(&b, "anomalies: %zu (details on stderr)\n", an.count + an.dropped);
	}
	if (b.data)
		fwrite(b.data, 1, b.len, stdout);
	if (b.failed && exit_code == AP_EXIT_OK)
		exit_code = AP_EXIT_INTERNAL;
	if (exit_code == AP_EXIT_OK && L.partial)
		exit_code = AP_EXIT_PARTIAL;
	ap_buf_free(&b);
	for (size_t i = 0; i < L.n; i++) {
		ap_native_close(L.libs[i]);
		free(L.bufs[i]);
	}
	free(L.libs);
	free(L.bufs);
	ap_anom_free(&an);
	return exit_code;
}
