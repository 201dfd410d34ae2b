/* apkpriv dex --calls|--strings|--summary FILE: the DEX index as tab-separated lines, one per
 * call site or string load (pc in 16-bit code units, 4+ hex digits), or one row of counts per
 * DEX. FILE is an APK/JAR (its root classes*.dex in ART's load order, then its hidden DEX:
 * bare ones elsewhere and those inside embedded JAR/APK files, dexsrc.h) or a bare .dex. */
#include "cli.h"
#include "dexsrc.h"

#include "apk.h"
#include "dex/dex.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum mode { MODE_NONE, MODE_CALLS, MODE_STRINGS, MODE_SUMMARY };

static void usage(FILE *f)
{
	fprintf(f, "usage: apkpriv dex (--calls | --strings | --summary) FILE\n"
		   "  --calls    dexfile, caller, pc, opcode, callee per call site\n"
		   "  --strings  dexfile, caller, pc, string per string load (escaped)\n"
		   "  --summary  header facts and counts, one row per DEX\n"
		   "FILE is an APK/JAR (root classes*.dex, then hidden DEX: assets/x.dex,\n"
		   "assets/p.jar!classes.dex) or a bare .dex. Tab-separated.\n");
}

static void put_ref(struct ap_buf *line, const struct ap_dex *dex, uint32_t method_idx,
		    struct ap_buf *tmp)
{
	ap_buf_reset(tmp);
	ap_dex_format_method(dex, method_idx, tmp);
	ap_buf_add_escaped(line, tmp->data ? tmp->data : "", tmp->len, 0);
}

static void print_calls(const struct ap_dex *dex, const char *dexname)
{
	struct ap_buf line = AP_BUF_INIT, tmp = AP_BUF_INIT;
	size_t n;
	const struct ap_dex_call *calls = ap_dex_calls(dex, &n);
	for (size_t i = 0; i < n; i++) {
		const struct ap_dex_call *c = &calls[i];
		ap_buf_reset(&line);
		ap_buf_add_escaped(&line, dexname, strlen(dexname), 0);
		ap_buf_addc(&line, '\t');
		put_ref(&line, dex, c->caller, &tmp);
		ap_buf_addf(&line, "\t%04x\t%s\t", c->pc, ap_dex_opinfo(c->opcode)->name);
		if (c->callee == AP_DEX_NO_INDEX)
			ap_buf_addf(&line, "<call_site %u>", c->aux);
		else
			put_ref(&line, dex, c->callee, &tmp);
		fprintf(stdout, "%s\n", line.data);
	}
	ap_buf_free(&line);
	ap_buf_free(&tmp);
}

static void print_strings(const struct ap_dex *dex, const char *dexname)
{
	struct ap_buf line = AP_BUF_INIT, tmp = AP_BUF_INIT;
	size_t n;
	const struct ap_dex_string_load *sl = ap_dex_string_loads(dex, &n);
	for (size_t i = 0; i < n; i++) {
		ap_buf_reset(&line);
		ap_buf_add_escaped(&line, dexname, strlen(dexname), 0);
		ap_buf_addc(&line, '\t');
		put_ref(&line, dex, sl[i].caller, &tmp);
		ap_buf_addf(&line, "\t%04x\t", sl[i].pc);
		ap_dex_add_string_escaped(dex, sl[i].string_idx, &line);
		fprintf(stdout, "%s\n", line.data);
	}
	ap_buf_free(&line);
	ap_buf_free(&tmp);
}

static void print_summary(const struct ap_dex *dex, const char *dexname)
{
	const struct ap_dex_header *h = ap_dex_header(dex);
	const struct ap_dex_counts *c = ap_dex_counts(dex);
	struct ap_buf line = AP_BUF_INIT;
	ap_buf_add_escaped(&line, dexname, strlen(dexname), 0);
	ap_buf_addf(&line,
		    "\t%03u\t%s\t%s\t%u\t%zu\t%u\t%u\t%u\t%u\t%u\t%u\t%u\t%u\t%llu\t%u\t%u\t%u\t%u",
		    h->version, h->checksum_ok ? "ok" : "bad", h->signature_ok ? "ok" : "bad",
		    h->file_size, h->real_size, c->strings, c->types, c->protos, c->fields,
		    c->methods, c->class_defs, c->method_defs, c->code_items,
		    (unsigned long long)c->code_units, c->calls, c->string_loads, c->field_refs,
		    c->type_refs);
	fprintf(stdout, "%s\n", line.data);
	ap_buf_free(&line);
}

/* Parses one DEX buffer and prints it; returns the ap_err of ap_dex_open. */
static int do_dex(const uint8_t *buf, size_t len, const char *dexname, enum mode mode,
		  struct ap_anomalies *an)
{
	struct ap_dex *dex = NULL;
	int rc = ap_dex_open(buf, len, dexname, an, &dex);
	if (!dex)
		return rc;
	if (mode == MODE_CALLS)
		print_calls(dex, dexname);
	else if (mode == MODE_STRINGS)
		print_strings(dex, dexname);
	else
		print_summary(dex, dexname);
	ap_dex_close(dex);
	return rc;
}

static bool is_bare_dex(const char *path)
{
	FILE *f = fopen(path, "rb");
	char m[4] = {0};
	if (!f)
		return false;
	size_t n = fread(m, 1, 4, f);
	fclose(f);
	return n == 4 && memcmp(m, "dex\n", 4) == 0;
}

/* One DEX of the APK, root or hidden (dexsrc.h): printed like a bare .dex under its name. */
struct each_ctx {
	enum mode mode;
	struct ap_anomalies *an;
	int exit_code;
};

static int each_dex(void *ctx, struct ap_dexsrc *d)
{
	struct each_ctx *ec = ctx;
	if (d->read_rc != AP_OK && ec->exit_code < AP_EXIT_PARTIAL)
		ec->exit_code = AP_EXIT_PARTIAL;
	if (d->buf && do_dex(d->buf, d->len, d->name, ec->mode, ec->an) != AP_OK &&
	    ec->exit_code < AP_EXIT_PARTIAL)
		ec->exit_code = AP_EXIT_PARTIAL;
	free(d->buf);
	return AP_OK;
}

int ap_cmd_dex(int argc, char **argv)
{
	enum mode mode = MODE_NONE;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--calls") == 0)
			mode = MODE_CALLS;
		else if (strcmp(argv[i], "--strings") == 0)
			mode = MODE_STRINGS;
		else if (strcmp(argv[i], "--summary") == 0)
			mode = MODE_SUMMARY;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return AP_EXIT_OK;
		} else if (argv[i][0] == '-' || path) {
			usage(stderr);
			return AP_EXIT_USAGE;
		} else
			path = argv[i];
	}
	if (mode == MODE_NONE || !path) {
		usage(stderr);
		return AP_EXIT_USAGE;
	}
	struct ap_anomalies an;
	ap_anom_init(&an);
	int exit_code = AP_EXIT_OK;
	if (mode == MODE_SUMMARY)
		printf("dexfile\tversion\tchecksum\tsignature\tfile_size_field\tfile_size\tstrings\t"
		       "types\tprotos\tfields\tmethods\tclass_defs\tmethod_defs\tcode_items\t"
		       "code_units\tcalls\tstring_loads\tfield_refs\ttype_refs\n");
	if (is_bare_dex(path)) {
		uint8_t *buf = NULL;
		size_t len = 0;
		int rc = ap_read_file(path, AP_MAX_DEX_BYTES, &buf, &len);
		if (rc != AP_OK) {
			fprintf(stderr, "apkpriv: cannot read %s: %s\n", path, ap_strerror(rc));
			ap_anom_free(&an);
			return rc == AP_ERR_LIMIT ? AP_EXIT_PARTIAL : AP_EXIT_INPUT;
		}
		const char *base = strrchr(path, '/');
		rc = do_dex(buf, len, base ? base + 1 : path, mode, &an);
		if (rc == AP_ERR_FORMAT)
			exit_code = AP_EXIT_INPUT;
		else if (rc != AP_OK)
			exit_code = AP_EXIT_PARTIAL;
		free(buf);
		fflush(stdout);
		ap_anom_free(&an);
		return exit_code;
	}
	struct ap_apk *apk = NULL;
	int rc = ap_apk_open(path, &an, &apk);
	if (rc != AP_OK || !apk) {
		fprintf(stderr, "apkpriv: cannot open %s: %s\n", path, ap_strerror(rc));
		ap_anom_free(&an);
		return rc == AP_ERR_LIMIT ? AP_EXIT_PARTIAL : AP_EXIT_INPUT;
	}
	if (apk->n_dex > AP_MAX_DEX_FILES) {
		ap_anom_add(&an, "dex", NULL, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "%zu DEX files; reading the first %u", apk->n_dex, AP_MAX_DEX_FILES);
		exit_code = AP_EXIT_PARTIAL;
	}
	struct each_ctx ec = {mode, &an, exit_code};
	if (ap_dexsrc_each(apk, true, each_dex, &ec) != AP_OK)
		ec.exit_code = AP_EXIT_INTERNAL;
	exit_code = ec.exit_code;
	fflush(stdout);
	ap_apk_close(apk);
	ap_anom_free(&an);
	return exit_code;
}
