/* The compiled knowledge base (kb_gen's static tables) against the text loader: a deep compare
 * of every table, field by field (kb_fields.c, itself checked against the struct layouts), so the
 * two can never drift; and the lookup indexes (string trie, SDK infix filter) against brute-force
 * searches. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/rules/kb_fields.h"
#include "analyzer/rules/kb_int.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_test.h"

#define S_EQ(a, b, ...) cr_expect(!kb_cmp_str((a), (b)), __VA_ARGS__)

static void strs_eq(struct ap_kb_strs a, struct ap_kb_strs b, const char *where)
{
	cr_expect_eq(a.n, b.n, "%s: %zu items, text loader %zu", where, a.n, b.n);
	for (size_t i = 0; i < a.n && i < b.n; i++)
		S_EQ(a.v[i], b.v[i], "%s[%zu]", where, i);
}

/* Every field of every row, as kb_fields.c lists them. */
static void rows_eq(const struct kb_table *c, const struct kb_table *t)
{
	cr_assert_eq(c->n, t->n, "%s: %zu rows, text loader %zu", t->var, c->n, t->n);
	for (size_t r = 0; r < c->n; r++) {
		const char *a = (const char *)c->rows + r * c->d->size;
		const char *b = (const char *)t->rows + r * t->d->size;
		for (size_t i = 0; i < c->d->n; i++) {
			const struct kb_field *f = &c->d->f[i];
			char where[128];
			snprintf(where, sizeof where, "%s[%zu].%s", t->var, r, f->name);
			if (f->type == KB_F_STR) {
				const char *x, *y;
				memcpy(&x, a + f->off, sizeof x);
				memcpy(&y, b + f->off, sizeof y);
				S_EQ(x, y, "%s: '%s', text loader '%s'", where, x ? x : "(null)",
				     y ? y : "(null)");
			} else if (f->type == KB_F_STRS) {
				struct ap_kb_strs x, y;
				memcpy(&x, a + f->off, sizeof x);
				memcpy(&y, b + f->off, sizeof y);
				strs_eq(x, y, where);
			} else {
				cr_expect_eq(kb_field_int(a, f), kb_field_int(b, f), "%s", where);
			}
		}
	}
}

/* The pointers between tables, the filters and the scoring. */
static void links_eq(const struct ap_kb *c, const struct ap_kb *t)
{
	cr_assert_eq(c->n_names, t->n_names);
	for (size_t i = 0; i < c->n_names; i++) {
		S_EQ(c->names[i].name, t->names[i].name, "name %zu", i);
		cr_expect_eq(c->names[i].cat - c->cats, t->names[i].cat - t->cats, "name %zu", i);
	}
	cr_expect_eq(c->n_strs_exact, t->n_strs_exact);
	for (size_t i = 0; i < c->n_sdks; i++)
		cr_expect_eq(c->sdk_by_id[i] - c->sdks, t->sdk_by_id[i] - t->sdks, "sdk_by_id[%zu]", i);
	cr_assert_eq(c->n_infix, t->n_infix);
	for (size_t i = 0; i < c->n_infix; i++) {
		S_EQ(c->infix_str[i], t->infix_str[i], "infix %zu", i);
		cr_expect_eq(c->infix_sdk[i] - c->sdks, t->infix_sdk[i] - t->sdks, "infix %zu", i);
	}
	cr_expect(!memcmp(c->infix_pairs, t->infix_pairs, sizeof c->infix_pairs), "infix filter");
	cr_expect(c->infix_short == t->infix_short && c->infix_first == t->infix_first);
	const struct ap_kb_scoring *a = &c->scoring, *b = &t->scoring;
	cr_expect(!memcmp(a->points, b->points, sizeof a->points) &&
			  !memcmp(a->level_weight, b->level_weight, sizeof a->level_weight) &&
			  a->start == b->start && a->no_pi_multiplier == b->no_pi_multiplier &&
			  a->floor == b->floor, "scoring weights");
	cr_assert_eq(a->n_grades, b->n_grades);
	for (size_t i = 0; i < a->n_grades; i++) {
		cr_expect(a->grades[i].min == b->grades[i].min, "grade %zu", i);
		S_EQ(a->grades[i].grade, b->grades[i].grade, "grade %zu", i);
	}
	for (int i = 0; i < 4; i++)
		S_EQ(a->dimension_name[i], b->dimension_name[i], "dimension %d", i);
}

static void kb_eq(const struct ap_kb *c, const struct ap_kb *t)
{
	struct kb_table tc[KB_N_TABLES], tt[KB_N_TABLES];
	S_EQ(c->version, t->version, "version");
	kb_tables_of(c, tc);
	kb_tables_of(t, tt);
	for (size_t i = 0; i < KB_N_TABLES; i++)
		rows_eq(&tc[i], &tt[i]);
	links_eq(c, t);
}

static size_t align_of(const struct kb_field *f)
{
	return f->type == KB_F_STRS ? sizeof(void *) : f->size;
}

/* A field missing from kb_fields.c would leave a hole no padding explains: kb_gen would drop it
 * and the compare above would not see it. */
Test(kb_compiled, field_lists_cover_every_struct)
{
	struct kb_table t[KB_N_TABLES];
	kb_tables_of(ap_kb_compiled, t);
	for (size_t i = 0; i < KB_N_TABLES; i++) {
		const struct kb_struct_desc *d = t[i].d;
		size_t end = 0, max_align = 1;
		for (size_t k = 0; k < d->n; k++) {
			const struct kb_field *f = &d->f[k];
			cr_expect(f->off >= end && f->off - end < align_of(f),
				  "%s: a field between the one ending at %zu and .%s", d->type, end, f->name);
			end = f->off + f->size;
			max_align = align_of(f) > max_align ? align_of(f) : max_align;
		}
		cr_expect(d->size >= end && d->size - end < max_align, "%s: fields after .%s",
			  d->type, d->f[d->n - 1].name);
	}
}

static struct ap_kb *load_text_clean(const char *dir)
{
	struct ap_anomalies an;
	struct ap_kb *kb = NULL;
	ap_anom_init(&an);
	cr_assert_eq(kb_load_text(dir, &an, &kb), AP_OK);
	for (size_t i = 0; i < an.count; i++)
		cr_log_error("anomaly: %s: %s", an.items[i].where, an.items[i].what);
	cr_expect_eq(an.count, 0, "the data files load without anomalies");
	ap_anom_free(&an);
	return kb;
}

static const struct ap_kb *compiled(void)
{
	struct ap_anomalies an;
	struct ap_kb *kb = NULL;
	ap_anom_init(&an);
	cr_assert_eq(ap_kb_load(NULL, &an, &kb), AP_OK);
	cr_assert_not_null(ap_kb_compiled, "apkpriv links the compiled kb");
	cr_assert_eq(kb, ap_kb_compiled, "ap_kb_load(NULL) returns it without parsing");
	cr_expect_eq(an.count, 0);
	cr_expect_str_eq(ap_kb_origin(kb), "builtin");
	ap_kb_free(kb); /* a no-op on the static kb */
	ap_anom_free(&an);
	return ap_kb_compiled;
}

Test(kb_compiled, equals_the_text_loader_over_analyzer_rules)
{
	char *dir = ap_t_path(AP_SOURCE_DIR, "analyzer/rules");
	struct ap_kb *from_dir = load_text_clean(dir), *embedded = load_text_clean(NULL);
	kb_eq(compiled(), from_dir);
	kb_eq(compiled(), embedded);
	ap_kb_free(from_dir);
	ap_kb_free(embedded);
	free(dir);
}

/* ---- lookups against brute force ------------------------------------------------------- */

static size_t match_string_ref(const struct ap_kb *kb, const char *s, unsigned where,
			       const struct ap_kb_string **out, size_t cap)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < kb->n_strs; i++) {
			const struct ap_kb_string *e = &kb->strs[i];
			bool exact = e->match == AP_KB_MATCH_EXACT;
			if (exact != (pass == 0) || !(e->where & where))
				continue;
			if (exact ? strcmp(s, e->value) : strncmp(s, e->value, strlen(e->value)))
				continue;
			if (n < cap)
				out[n] = e;
			n++;
		}
	}
	return n;
}

static void check_string(const struct ap_kb *kb, const char *s)
{
	const struct ap_kb_string *got[16], *want[16];
	for (unsigned where = 1; where <= 3; where++) {
		size_t ng = ap_kb_match_string(kb, s, where, got, 16);
		size_t nw = match_string_ref(kb, s, where, want, 16);
		cr_assert_eq(ng, nw, "'%s' (where %u): %zu hits, brute force %zu", s, where, ng, nw);
		for (size_t i = 0; i < ng && i < 16; i++)
			cr_assert_eq(got[i], want[i], "'%s' hit %zu", s, i);
	}
}

Test(kb_compiled, string_trie_agrees_with_a_linear_scan)
{
	const struct ap_kb *kb = compiled();
	char buf[512];
	check_string(kb, "");
	check_string(kb, "content://");
	check_string(kb, "no such string");
	for (size_t i = 0; i < kb->n_strs; i++) {
		const char *v = kb->strs[i].value;
		size_t n = strlen(v);
		check_string(kb, v);
		snprintf(buf, sizeof buf, "%s/x", v);
		check_string(kb, buf);
		snprintf(buf, sizeof buf, "x%s", v);
		check_string(kb, buf);
		snprintf(buf, sizeof buf, "%.*s", (int)(n - 1), v);
		check_string(kb, buf);
	}
}

static const struct ap_kb_sdk *sdk_ref(const struct ap_kb *kb, const char *dotted)
{
	const struct ap_kb_sdk *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < kb->n_sdks; i++)
		for (size_t j = 0; j < kb->sdks[i].prefixes.n; j++) {
			size_t n = strlen(kb->sdks[i].prefixes.v[j]);
			/* '>': a prefix listed twice stays with its first row */
			if (n > best_len && !strncmp(dotted, kb->sdks[i].prefixes.v[j], n))
				best = &kb->sdks[i], best_len = n;
		}
	if (best)
		return best;
	for (size_t i = 0; i < kb->n_infix; i++)
		if (strstr(dotted, kb->infix_str[i]))
			return kb->infix_sdk[i];
	return NULL;
}

/* The dotted name, and as a descriptor: all dots as '/', and every other dot only (a '.' in a
 * descriptor reads as itself). */
static void check_name(const struct ap_kb *kb, const char *name)
{
	const struct ap_kb_sdk *want = sdk_ref(kb, name);
	char desc[600];
	cr_expect_eq(ap_kb_sdk_for_dotted(kb, name), want, "'%s'", name);
	for (int every = 1; every <= 2; every++) {
		size_t n = 0, dots = 0;
		desc[n++] = 'L';
		for (const char *p = name; *p && n < sizeof desc - 2; p++)
			desc[n++] = *p == '.' && dots++ % every == 0 ? '/' : *p;
		desc[n++] = ';';
		desc[n] = '\0';
		cr_expect_eq(ap_kb_sdk_for_class(kb, desc), want, "'%s'", desc);
	}
}

static void check_infixes(const struct ap_kb *kb)
{
	char name[512];
	for (size_t i = 0; i < kb->n_infix; i++) {
		const char *inf = kb->infix_str[i], *other = kb->infix_str[(i + 1) % kb->n_infix];
		check_name(kb, inf);
		snprintf(name, sizeof name, "a.b%sC", inf);
		check_name(kb, name);
		snprintf(name, sizeof name, "x%s.y%s", other, inf);
		check_name(kb, name);
		snprintf(name, sizeof name, "org.app%s", inf);
		check_name(kb, name);
		snprintf(name, sizeof name, "%.3s", inf);
		check_name(kb, name);
	}
	for (size_t i = 0; i < kb->n_sdks; i += 7) {
		for (size_t j = 0; j < kb->sdks[i].prefixes.n; j++) {
			snprintf(name, sizeof name, "%sFoo.Bar", kb->sdks[i].prefixes.v[j]);
			check_name(kb, name);
		}
	}
	check_name(kb, "de.ecspride.Merge1");
	check_name(kb, "");
}

Test(kb_compiled, infix_filter_agrees_with_strstr)
{
	check_infixes(compiled());
}

Test(kb_compiled, infix_filter_with_mixed_and_one_byte_infixes)
{
	static const char *const tables[] = {
		/* infixes starting with different bytes: the pair filter without memchr hops */
		"id\tname\tvendor\tcountry\tcategory\tprefixes\tinfixes\n"
		"a\tA\tV\tXX\tads\tcom.a.\t.tracker.,Beacon\n"
		"b\tB\tV\tXX\tads\t\t_pix,.tracker.x\n",
		/* a one-byte infix: the slow path */
		"id\tname\tvendor\tcountry\tcategory\tprefixes\tinfixes\n"
		"a\tA\tV\tXX\tads\t\t.Spy\n"
		"b\tB\tV\tXX\tads\t\t$\n",
	};
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		char d[] = "/tmp/ap_kb_compiled_XXXXXX";
		cr_assert_not_null(mkdtemp(d));
		char *p = ap_t_path(d, "sdks.tsv");
		FILE *f = fopen(p, "w");
		cr_assert_not_null(f);
		fputs(tables[t], f);
		fclose(f);
		struct ap_anomalies an;
		struct ap_kb *kb = NULL;
		ap_anom_init(&an);
		cr_assert_eq(ap_kb_load(d, &an, &kb), AP_OK);
		cr_expect_eq(kb->infix_short, t == 1);
		cr_expect_eq(kb->infix_first, -1);
		check_infixes(kb);
		if (t == 0) /* both infixes occur: the first in file order wins */
			cr_expect_eq(ap_kb_sdk_for_dotted(kb, "org.x.tracker.xy"), &kb->sdks[0]);
		ap_kb_free(kb);
		ap_anom_free(&an);
		remove(p);
		free(p);
		rmdir(d);
	}
}
