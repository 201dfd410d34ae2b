/* kb_gen: a build-time tool. It runs the text loader over the embedded data files and writes the
 * loaded knowledge base as C source (static const tables over one string pool) that apkpriv links
 * as ap_kb_compiled, so a scan starts without parsing JSON or TSV. Any anomaly fails the build. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/rules/kb_fields.h"
#include "analyzer/rules/kb_int.h"
#include "ap_diag.h"
#include "ap_err.h"

/* The tool itself has no compiled kb: ap_kb_load() falls through to the text loader. */
const struct ap_kb *const ap_kb_compiled = NULL;

struct gen {
	FILE *body;                 /* the tables, written after the pools */
	char *body_buf;
	size_t body_len;
	char *pool;                 /* NUL-separated strings, each once */
	size_t pool_len, pool_cap;
	size_t *slots;              /* open addressing over pool offsets + 1 (0 = empty) */
	size_t n_slots, n_strings;
	size_t *lists;              /* string-list items as pool offsets */
	size_t n_lists, lists_cap;
	bool oom;
};

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static bool grow_slots(struct gen *g)
{
	size_t n = g->n_slots ? g->n_slots * 2 : 4096, *v = calloc(n, sizeof *v);
	if (!v)
		return false;
	for (size_t i = 0; i < g->n_slots; i++) {
		size_t j;
		if (!g->slots[i])
			continue;
		for (j = hash_str(g->pool + g->slots[i] - 1) & (n - 1); v[j]; j = (j + 1) & (n - 1))
			;
		v[j] = g->slots[i];
	}
	free(g->slots);
	g->slots = v;
	g->n_slots = n;
	return true;
}

/* Offset of s in the pool, added when new. */
static size_t intern(struct gen *g, const char *s)
{
	size_t len = strlen(s), j;
	if ((g->n_strings + 1) * 2 > g->n_slots && !grow_slots(g))
		goto out_oom;
	for (j = hash_str(s) & (g->n_slots - 1); g->slots[j]; j = (j + 1) & (g->n_slots - 1))
		if (!strcmp(g->pool + g->slots[j] - 1, s))
			return g->slots[j] - 1;
	if (g->pool_len + len + 1 > g->pool_cap) {
		size_t cap = (g->pool_cap + len + 1) * 2;
		char *p = realloc(g->pool, cap);
		if (!p)
			goto out_oom;
		g->pool = p;
		g->pool_cap = cap;
	}
	memcpy(g->pool + g->pool_len, s, len + 1);
	g->slots[j] = g->pool_len + 1;
	g->pool_len += len + 1;
	g->n_strings++;
	return g->slots[j] - 1;
out_oom:
	g->oom = true;
	return 0;
}

/* ---- field writers: ".name = value, " ------------------------------------------------- */

static void put_s(struct gen *g, const char *s)
{
	if (s)
		fprintf(g->body, "S(%zu)", intern(g, s));
	else
		fputs("0", g->body);
}

static void fld_s(struct gen *g, const char *name, const char *s)
{
	fprintf(g->body, ".%s = ", name);
	put_s(g, s);
	fputs(", ", g->body);
}

static void fld_l(struct gen *g, const char *name, struct ap_kb_strs l)
{
	if (!l.n) {
		fprintf(g->body, ".%s = {0, 0}, ", name);
		return;
	}
	if (g->n_lists + l.n > g->lists_cap) {
		size_t cap = (g->lists_cap + l.n) * 2, *v = realloc(g->lists, cap * sizeof *v);
		if (!v) {
			g->oom = true;
			return;
		}
		g->lists = v;
		g->lists_cap = cap;
	}
	fprintf(g->body, ".%s = {kb_lists + %zu, %zu}, ", name, g->n_lists, l.n);
	for (size_t i = 0; i < l.n; i++)
		g->lists[g->n_lists++] = intern(g, l.v[i]);
}

/* Doubles as hexadecimal literals: they read back bit for bit. */
static void put_d(struct gen *g, double v)
{
	fprintf(g->body, "%a", v);
}

/* "static const TYPE NAME[] = {" or false when the table is empty (C has no empty arrays). */
static bool table(struct gen *g, const char *type, const char *name, size_t n)
{
	if (!n)
		return false;
	fprintf(g->body, "\nstatic const %s %s[%zu] = {\n", type, name, n);
	return true;
}

/* ---- the tables --------------------------------------------------------------------------- */

static void gen_row(struct gen *g, const struct kb_struct_desc *d, const void *row)
{
	fputs("\t{", g->body);
	for (size_t i = 0; i < d->n; i++) {
		const struct kb_field *f = &d->f[i];
		const unsigned char *p = (const unsigned char *)row + f->off;
		if (f->type == KB_F_STR) {
			const char *s;
			memcpy(&s, p, sizeof s);
			fld_s(g, f->name, s);
		} else if (f->type == KB_F_STRS) {
			struct ap_kb_strs l;
			memcpy(&l, p, sizeof l);
			fld_l(g, f->name, l);
		} else {
			fprintf(g->body, ".%s = %ld, ", f->name, kb_field_int(row, f));
		}
	}
	fputs("},\n", g->body);
}

/* Arrays of pointers into kb_sdks, in the given order. */
static void gen_sdk_refs(struct gen *g, const char *name, const struct ap_kb *kb,
			 const struct ap_kb_sdk *const *v, size_t n)
{
	if (!table(g, "struct ap_kb_sdk *const", name, n))
		return;
	for (size_t i = 0; i < n; i++)
		fprintf(g->body, "\t&kb_sdks[%td],\n", v[i] - kb->sdks);
	fputs("};\n", g->body);
}

static void gen_tables(struct gen *g, const struct ap_kb *kb, const struct kb_table *t)
{
	for (size_t i = 0; i < KB_N_TABLES; i++) {
		if (!table(g, t[i].d->type, t[i].var, t[i].n))
			continue;
		for (size_t r = 0; r < t[i].n; r++)
			gen_row(g, t[i].d, (const char *)t[i].rows + r * t[i].d->size);
		fputs("};\n", g->body);
	}
	if (table(g, "struct kb_name", "kb_names", kb->n_names)) {
		for (size_t i = 0; i < kb->n_names; i++) {
			fputs("\t{", g->body);
			fld_s(g, "name", kb->names[i].name);
			fprintf(g->body, ".cat = &kb_cats[%td]},\n", kb->names[i].cat - kb->cats);
		}
		fputs("};\n", g->body);
	}
	gen_sdk_refs(g, "kb_sdk_by_id", kb, kb->sdk_by_id, kb->n_sdks);
	gen_sdk_refs(g, "kb_infix_sdk", kb, kb->infix_sdk, kb->n_infix);
	if (table(g, "char *const", "kb_infix_str", kb->n_infix)) {
		for (size_t i = 0; i < kb->n_infix; i++) {
			fputc('\t', g->body);
			put_s(g, kb->infix_str[i]);
			fputs(",\n", g->body);
		}
		fputs("};\n", g->body);
	}
}

static void gen_scoring(struct gen *g, const struct ap_kb_scoring *s)
{
	fputs("\t.scoring = {.start = ", g->body);
	put_d(g, s->start);
	fputs(", .points = {", g->body);
	for (int i = 0; i < 4; i++)
		put_d(g, s->points[i]), fputs(i < 3 ? ", " : "}, .level_weight = {", g->body);
	for (int i = 0; i < 5; i++)
		put_d(g, s->level_weight[i]), fputs(i < 4 ? ", " : "},\n\t\t.no_pi_multiplier = ", g->body);
	put_d(g, s->no_pi_multiplier);
	fputs(", .floor = ", g->body);
	put_d(g, s->floor);
	fputs(", .grades = {", g->body);
	if (!s->n_grades)
		fputs("{0, 0}", g->body); /* C11 has no empty initializer */
	for (size_t i = 0; i < s->n_grades; i++) {
		fputs("{", g->body);
		put_d(g, s->grades[i].min);
		fputs(", ", g->body);
		put_s(g, s->grades[i].grade);
		fputs("}, ", g->body);
	}
	fprintf(g->body, "},\n\t\t.n_grades = %zu, .dimension_name = {", s->n_grades);
	for (int i = 0; i < 4; i++)
		put_s(g, s->dimension_name[i]), fputs(i < 3 ? ", " : "}},\n", g->body);
}

/* The struct ap_kb itself; tables absent from the kb stay NULL. A table's member is its variable
 * name without "kb_" ("kb_sdks" -> .sdks, .n_sdks). */
static void gen_kb(struct gen *g, const struct ap_kb *kb, const struct kb_table *t)
{
	fputs("\nstatic const struct ap_kb kb_builtin = {\n\t", g->body);
	fld_s(g, "version", kb->version);
	fputs(".origin = \"builtin\",\n", g->body);
	for (size_t i = 0; i < KB_N_TABLES; i++) {
		const char *m = t[i].var + 3;
		if (t[i].n)
			fprintf(g->body, "\t.%s = (%s *)%s, .n_%s = %zu,\n", m, t[i].d->type, t[i].var, m,
				t[i].n);
	}
	fprintf(g->body, "\t.n_strs_exact = %zu,\n", kb->n_strs_exact);
	if (kb->n_names)
		fprintf(g->body, "\t.names = (struct kb_name *)kb_names, .n_names = %zu,\n", kb->n_names);
	if (kb->n_sdks)
		fputs("\t.sdk_by_id = (const struct ap_kb_sdk **)kb_sdk_by_id,\n", g->body);
	if (kb->n_infix)
		fprintf(g->body, "\t.infix_str = (const char **)kb_infix_str, .n_infix = %zu,\n"
			"\t.infix_sdk = (const struct ap_kb_sdk **)kb_infix_sdk,\n", kb->n_infix);
	fputs("\t.infix_pairs = {", g->body);
	for (size_t i = 0; i < KB_INFIX_PAIR_BITS / 64; i++)
		fprintf(g->body, "%s0x%llxu", i ? ", " : "", (unsigned long long)kb->infix_pairs[i]);
	fprintf(g->body, "},\n\t.infix_short = %d, .infix_first = %d,\n", kb->infix_short,
		kb->infix_first);
	gen_scoring(g, &kb->scoring);
	fputs("};\n\nconst struct ap_kb *const ap_kb_compiled = &kb_builtin;\n", g->body);
}

/* ---- output ------------------------------------------------------------------------------- */

/* One C string literal; octal escapes (always three digits) for everything not plain ASCII, and
 * for '?' so that no trigraph can form under -std=c11. */
static void put_literal(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '?')
			fputc(*p, out);
		else
			fprintf(out, "\\%03o", *p);
	}
	fputs("\\000\"\n", out);
}

static bool write_file(struct gen *g, FILE *out)
{
	fputs("/* Generated by analyzer/rules/gen/kb_gen.c from analyzer/rules/: do not edit. */\n"
	      "#include \"analyzer/rules/kb_int.h\"\n\n", out);
	fputs("static const char kb_pool[] =\n", out);
	for (size_t off = 0; off < g->pool_len; off += strlen(g->pool + off) + 1)
		put_literal(out, g->pool + off);
	fputs("\t\"\";\n#define S(o) (kb_pool + (o))\n", out);
	if (g->n_lists) {
		fprintf(out, "\nstatic const char *const kb_lists[%zu] = {\n", g->n_lists);
		for (size_t i = 0; i < g->n_lists; i++)
			fprintf(out, "\tS(%zu),\n", g->lists[i]);
		fputs("};\n", out);
	}
	fwrite(g->body_buf, 1, g->body_len, out);
	return !ferror(out);
}

static int generate(const struct ap_kb *kb, const char *path)
{
	struct gen g = {0};
	struct kb_table t[KB_N_TABLES];
	char tmp[4096];
	FILE *out;
	bool ok;
	int rc = 1;
	g.body = open_memstream(&g.body_buf, &g.body_len);
	if (!g.body)
		return 1;
	kb_tables_of(kb, t);
	gen_tables(&g, kb, t);
	gen_kb(&g, kb, t);
	if (fclose(g.body) != 0 || g.oom)
		goto out_free;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		goto out_free;
	out = fopen(tmp, "w");
	if (!out)
		goto out_free;
	ok = write_file(&g, out);
	ok = fclose(out) == 0 && ok;
	if (ok && rename(tmp, path) == 0)
		rc = 0;
	else
		remove(tmp);
out_free:
	if (rc)
		fprintf(stderr, "kb_gen: cannot write %s: %s\n", path, strerror(errno));
	free(g.body_buf);
	free(g.pool);
	free(g.slots);
	free(g.lists);
	return rc;
}

int main(int argc, char **argv)
{
	struct ap_anomalies an;
	struct ap_kb *kb = NULL;
	int rc;
	if (argc != 2) {
		fprintf(stderr, "usage: kb_gen OUT.c\n");
		return 2;
	}
	ap_anom_init(&an);
	rc = kb_load_text(NULL, &an, &kb);
	if (rc != AP_OK || an.count || an.dropped) {
		fprintf(stderr, "kb_gen: the built-in knowledge base does not load cleanly (%s)\n",
			ap_strerror(rc));
		for (size_t i = 0; i < an.count; i++)
			fprintf(stderr, "kb_gen: %s: %s\n", an.items[i].where ? an.items[i].where : "-",
				an.items[i].what);
		rc = 1;
	} else {
		rc = generate(kb, argv[1]);
	}
	ap_kb_free(kb);
	ap_anom_free(&an);
	return rc;
}
