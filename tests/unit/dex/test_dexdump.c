/* The reference check of issue 3: for every DEX in ../shared/corpus (root classes*.dex of each
 * APK/JAR, extracted with unzip, and standalone .dex files), the multiset of (caller, pc, opcode,
 * callee) call sites and the class/method counts must equal what Debian's `dexdump -d -f` prints.
 * Files dexdump rejects are still parsed (no crash, anomalies recorded) and listed. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_test.h"
#include "dex/dex.h"

struct corpus_file {
	char rel[256]; /* path under the corpus dir; "" when the corpus is absent */
};

static void free_params(struct criterion_test_params *p)
{
	cr_free(p->params);
}

ParameterizedTestParameters(dexdump, call_sites_and_counts)
{
	static struct corpus_file none[1];
	const char *dir = ap_t_corpus_dir();
	if (!dir)
		return cr_make_param_array(struct corpus_file, none, 1);
	char *tsv = ap_t_path(dir, "MANIFEST.tsv");
	struct ap_t_tsv t;
	if (!ap_t_tsv_load(tsv, &t)) {
		free(tsv);
		return cr_make_param_array(struct corpus_file, none, 1);
	}
	free(tsv);
	int col = ap_t_tsv_col(&t, "file");
	struct corpus_file *files = cr_malloc(sizeof(*files) * (t.n_rows + 1));
	size_t n = 0;
	for (size_t i = 1; i < t.n_rows && col >= 0; i++) {
		const char *f = t.rows[i][col];
		size_t l = strlen(f);
		if (l >= sizeof(files[0].rel) || l < 4)
			continue;
		const char *ext = f + l - 4;
		if (strcmp(ext, ".dex") && strcmp(ext, ".apk") && strcmp(ext, ".jar") && strcmp(ext, ".zip"))
			continue;
		memset(&files[n], 0, sizeof(files[n]));
		memcpy(files[n].rel, f, l);
		n++;
	}
	ap_t_tsv_free(&t);
	if (n == 0)
		return cr_make_param_array(struct corpus_file, none, 1);
	return cr_make_param_array(struct corpus_file, files, n, free_params);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct keys {
	char **v;
	size_t n, cap;
};

static void keys_add(struct keys *k, const char *s)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 1024;
		k->v = realloc(k->v, k->cap * sizeof(char *));
	}
	k->v[k->n++] = strdup(s);
}

static void keys_free(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
}

/* What dexdump said about one file. */
struct dd {
	struct keys calls;
	long class_defs_size, method_ids_size;
	long classes, method_defs;
};

/* Value between the first pair of single quotes on the line. */
static void quoted(const char *line, char *out, size_t max)
{
	const char *a = strchr(line, '\'');
	const char *b = a ? strrchr(line, '\'') : NULL;
	out[0] = 0;
	if (a && b > a) {
		size_t n = (size_t)(b - a - 1);
		if (n >= max)
			n = max - 1;
		memcpy(out, a + 1, n);
		out[n] = 0;
	}
}

static void parse_dexdump(char *text, struct dd *d)
{
	static char cls[4096], name[4096], type[4096];
	bool in_methods = false;
	cls[0] = name[0] = type[0] = 0;
	d->class_defs_size = d->method_ids_size = -1;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (strncmp(line, "class_defs_size", 15) == 0)
			d->class_defs_size = strtol(strchr(line, ':') + 1, NULL, 10);
		else if (strncmp(line, "method_ids_size", 15) == 0)
			d->method_ids_size = strtol(strchr(line, ':') + 1, NULL, 10);
		else if (strncmp(line, "Class #", 7) == 0) {
			d->classes++;
			in_methods = false;
		} else if (strncmp(line, "  Class descriptor  : ", 22) == 0)
			quoted(line, cls, sizeof(cls));
		else if (strncmp(line, "  Direct methods    -", 21) == 0 ||
			 strncmp(line, "  Virtual methods   -", 21) == 0)
			in_methods = true;
		else if (strncmp(line, "  Static fields     -", 21) == 0 ||
			 strncmp(line, "  Instance fields   -", 21) == 0)
			in_methods = false;
		else if (in_methods && strncmp(line, "    #", 5) == 0 && strstr(line, ": (in "))
			d->method_defs++;
		else if (strncmp(line, "      name          : ", 22) == 0)
			quoted(line, name, sizeof(name));
		else if (strncmp(line, "      type          : ", 22) == 0)
			quoted(line, type, sizeof(type));
		else {
			/* "0001a0: 7010 0500 0000   |0000: invoke-direct {v0}, ... // method@0005" */
			char *bar = strchr(line, '|');
			if (bar && bar[1] != '[' && strncmp(bar + 5, ": invoke-", 9) == 0) {
				char op[64];
				const char *m = bar + 7;
				size_t k = 0;
				while (m[k] && m[k] != ' ' && k < sizeof(op) - 1) {
					op[k] = m[k];
					k++;
				}
				op[k] = 0;
				const char *ref = strstr(line, "// method@");
				const char *cs = strstr(line, "// call_site@");
				char key[16384], pc[8];
				memcpy(pc, bar + 1, 4);
				pc[4] = 0;
				if (ref)
					snprintf(key, sizeof(key), "%s->%s%s\t%s\t%s\tm@%lu", cls, name, type,
						 pc, op, strtoul(ref + 10, NULL, 16));
				else if (cs)
					snprintf(key, sizeof(key), "%s->%s%s\t%s\t%s\tcs@%lu", cls, name, type,
						 pc, op, strtoul(cs + 13, NULL, 16));
				else
					snprintf(key, sizeof(key), "%s->%s%s\t%s\t%s\t?", cls, name, type, pc, op);
				keys_add(&d->calls, key);
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

static void our_keys(const struct ap_dex *dex, struct keys *k)
{
	size_t n;
	const struct ap_dex_call *calls = ap_dex_calls(dex, &n);
	struct ap_buf b = AP_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		ap_buf_reset(&b);
		ap_dex_format_method(dex, calls[i].caller, &b);
		const struct ap_dex_opinfo *oi = ap_dex_opinfo(calls[i].opcode);
		if (oi->ref == AP_REF_CALL_SITE)
			ap_buf_addf(&b, "\t%04x\t%s\tcs@%u", calls[i].pc, oi->name, calls[i].aux);
		else
			ap_buf_addf(&b, "\t%04x\t%s\tm@%u", calls[i].pc, oi->name, calls[i].callee);
		keys_add(k, b.data);
	}
	ap_buf_free(&b);
}

/* Compares one extracted DEX; returns false when dexdump rejected it. */
static bool check_one(const char *label, const char *path)
{
	size_t len;
	uint8_t *buf = ap_t_slurp(path, &len);
	cr_assert(buf, "cannot read %s", path);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_dex *dex = NULL;
	int rc = ap_dex_open(buf, len, label, &an, &dex);

	char *argv[] = {"dexdump", "-d", "-f", (char *)path, NULL};
	int st;
	char *out = ap_t_run(argv, (size_t)2 << 30, &st);
	bool rejected = st != 0 || !out || !strstr(out, "DEX file header:");
	if (rejected) {
		cr_log_warn("dexdump rejects %s (status %d); apkpriv: rc %d, %u anomalies, %u classes, "
			    "%u calls",
			    label, st, rc, (unsigned)an.count, dex ? ap_dex_class_count(dex) : 0,
			    dex ? ap_dex_counts(dex)->calls : 0);
		free(out);
		ap_dex_close(dex);
		ap_anom_free(&an);
		free(buf);
		return false;
	}
	cr_assert(dex, "%s: dexdump reads it but ap_dex_open failed (%d)", label, rc);
	struct dd d;
	memset(&d, 0, sizeof(d));
	parse_dexdump(out, &d);
	free(out);
	const struct ap_dex_counts *c = ap_dex_counts(dex);
	cr_expect_eq(d.class_defs_size, (long)c->class_defs, "%s: class_defs %ld vs ours %u", label,
		     d.class_defs_size, c->class_defs);
	cr_expect_eq(d.method_ids_size, (long)c->methods, "%s: method_ids %ld vs ours %u", label,
		     d.method_ids_size, c->methods);
	cr_expect_eq(d.classes, (long)ap_dex_class_count(dex), "%s: %ld classes listed vs ours %u",
		     label, d.classes, ap_dex_class_count(dex));
	cr_expect_eq(d.method_defs, (long)c->method_defs, "%s: %ld methods listed vs ours %u", label,
		     d.method_defs, c->method_defs);

	struct keys ours = {0};
	our_keys(dex, &ours);
	if (ours.n)
		qsort(ours.v, ours.n, sizeof(char *), cmp_str);
	if (d.calls.n)
		qsort(d.calls.v, d.calls.n, sizeof(char *), cmp_str);
	size_t i = 0, j = 0, shown = 0, diff = 0;
	while (i < ours.n || j < d.calls.n) {
		int r = i == ours.n ? 1 : j == d.calls.n ? -1 : strcmp(ours.v[i], d.calls.v[j]);
		if (r == 0) {
			i++;
			j++;
			continue;
		}
		diff++;
		if (shown++ < 5)
			cr_log_error("%s: %s only: %s", label, r < 0 ? "apkpriv" : "dexdump",
				     r < 0 ? ours.v[i] : d.calls.v[j]);
		if (r < 0)
			i++;
		else
			j++;
	}
	cr_expect_eq(diff, 0, "%s: %zu call sites differ (ours %zu, dexdump %zu)", label, diff,
		     ours.n, d.calls.n);
	if (diff == 0)
		cr_log_info("%s: agree on %zu call sites, %u classes, %u methods", label, ours.n,
			    c->class_defs, c->method_defs);
	keys_free(&ours);
	keys_free(&d.calls);
	ap_dex_close(dex);
	ap_anom_free(&an);
	free(buf);
	return true;
}

ParameterizedTest(struct corpus_file *cf, dexdump, call_sites_and_counts)
{
	AP_T_NEED_CORPUS();
	AP_T_NEED_TOOL("dexdump");
	AP_T_NEED_TOOL("unzip");
	cr_assert(cf->rel[0], "MANIFEST.tsv lists no DEX/APK/JAR");
	char *path = ap_t_path(ap_t_corpus_dir(), cf->rel);
	size_t l = strlen(path);
	if (strcmp(path + l - 4, ".dex") == 0) {
		check_one(cf->rel, path);
		free(path);
		return;
	}
	char tmpl[] = "/tmp/ap_dexdump_XXXXXX";
	char *tmp = mkdtemp(tmpl);
	cr_assert(tmp);
	/* -W: '*' does not cross '/', so only root classes*.dex are extracted */
	char *argv[] = {"unzip", "-qq", "-o", "-W", path, "classes*.dex", "-d", tmp, NULL};
	int st;
	free(ap_t_run(argv, 1 << 20, &st));
	DIR *dir = opendir(tmp);
	cr_assert(dir);
	struct dirent *e;
	unsigned n = 0, rejected = 0;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, "classes", 7) != 0)
			continue;
		char *p = ap_t_path(tmp, e->d_name);
		char label[600];
		snprintf(label, sizeof(label), "%s!%s", cf->rel, e->d_name);
		if (!check_one(label, p))
			rejected++;
		n++;
		unlink(p);
		free(p);
	}
	closedir(dir);
	rmdir(tmp);
	if (n == 0)
		cr_log_info("%s: no root classes*.dex (unzip status %d)", cf->rel, st);
	free(path);
}
