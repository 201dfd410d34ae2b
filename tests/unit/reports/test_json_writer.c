/* reports/json_writer against json-c 0.16, the reference it replaced: random trees (strings of
 * every byte value and UTF-8, nesting, empty containers, int64/uint64, doubles) are built as a
 * json-c tree and written with the writer in the same pass, then both texts must be equal in
 * every layout json-c has (plain, spaced, pretty, pretty+spaced, with and without '/' escaped). */
#include <criterion/criterion.h>
#include <float.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ap_buf.h"
#include "reports/json_writer.h"

struct gen {
	uint64_t s;
	struct ap_jw *w;
};

static uint64_t rnd(struct gen *g)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return g->s;
}

static unsigned below(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

/* One UTF-8 code point (no surrogates) appended to s at *n. */
static void utf8(struct gen *g, char *s, size_t *n)
{
	static const uint32_t top[] = {0x7f, 0x7ff, 0xffff, 0x10ffff};
	uint32_t cp = (uint32_t)(rnd(g) % (top[below(g, 4)] + 1));
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xe000;
	unsigned char *u = (unsigned char *)s + *n;
	if (cp < 0x80) {
		u[0] = (unsigned char)(cp ? cp : 'x');
		*n += 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		*n += 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		*n += 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		*n += 4;
	}
}

/* Random bytes (NUL only when nul is set), or UTF-8 text with some ASCII specials mixed in. */
static size_t rand_text(struct gen *g, char *s, size_t max, bool nul)
{
	size_t want = below(g, 4) == 0 ? 0 : below(g, (unsigned)max - 4), n = 0;
	bool text = below(g, 2);
	while (n < want) {
		if (text && below(g, 3)) {
			utf8(g, s, &n);
		} else {
			unsigned c = below(g, 256);
			s[n++] = (char)(c || nul ? c : 0x01);
		}
	}
	s[n] = '\0';
	return n;
}

static double rand_double(struct gen *g)
{
	static const double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.1, 100.0, 59.2, 1e21, 1e22, 1e-7,
				       0.5, 12.25, 1e15, 1e16, 1e17, 123456789012345678.0, 1e300,
				       -1e-300, DBL_MAX, DBL_MIN, 4.9e-324, -DBL_MAX};
	switch (below(g, 6)) {
	case 0: return fixed[below(g, sizeof fixed / sizeof *fixed)];
	case 1: return below(g, 3) ? NAN : below(g, 2) ? INFINITY : -INFINITY;
	case 2: return (double)(int64_t)rnd(g);
	case 3: return (double)(int)below(g, 20001) / 100.0 - 100.0;
	default: {
		uint64_t bits = rnd(g);
		double d;
		memcpy(&d, &bits, sizeof d);
		return d;
	}
	}
}

static json_object *value(struct gen *g, int depth);

/* A container written half the time by a second writer at the same depth and spliced in with
 * ap_jw_raw, the way the SARIF renderer places results[] after artifacts[]. */
static json_object *container(struct gen *g, int depth, bool obj)
{
	struct ap_jw *outer = g->w, inner;
	struct ap_buf side = AP_BUF_INIT;
	bool splice = below(g, 2);
	if (splice) {
		ap_buf_init(&side, 0);
		ap_jw_init(&inner, &side, outer->flags, outer->level);
		g->w = &inner;
	}
	json_object *o = obj ? json_object_new_object() : json_object_new_array();
	unsigned n = below(g, 5) ? below(g, 6) : 0;
	obj ? ap_jw_obj(g->w) : ap_jw_arr(g->w);
	for (unsigned i = 0; i < n; i++) {
		if (obj) {
			char k[96];
			size_t kl = rand_text(g, k, 80, false);
			snprintf(k + kl, sizeof k - kl, "#%u", i); /* json-c replaces a repeated key */
			ap_jw_key(g->w, k);
			json_object_object_add(o, k, value(g, depth + 1));
		} else {
			json_object_array_add(o, value(g, depth + 1));
		}
	}
	obj ? ap_jw_obj_end(g->w) : ap_jw_arr_end(g->w);
	if (splice) {
		g->w = outer;
		cr_assert(!side.failed);
		ap_jw_raw(outer, side.data, side.len);
		ap_buf_free(&side);
	}
	return o;
}

/* A random value written to g->w and returned as the same json-c value (NULL is null). */
static json_object *value(struct gen *g, int depth)
{
	char s[256];
	unsigned kind = below(g, depth < 5 ? 11 : 9);
	switch (kind) {
	case 0: ap_jw_null(g->w); return NULL;
	case 1: {
		bool b = below(g, 2);
		ap_jw_bool(g->w, b);
		return json_object_new_boolean(b);
	}
	case 2: {
		int64_t v = below(g, 4) == 0 ? (below(g, 2) ? INT64_MIN : INT64_MAX) : (int64_t)rnd(g);
		ap_jw_i64(g->w, v);
		return json_object_new_int64(v);
	}
	case 3: {
		uint64_t v = below(g, 4) == 0 ? UINT64_MAX : rnd(g);
		ap_jw_u64(g->w, v);
		return json_object_new_uint64(v);
	}
	case 4: {
		double d = rand_double(g);
		ap_jw_double(g->w, d);
		return json_object_new_double(d);
	}
	case 5: { /* a preformatted number, as ap_rep_num's "12.5" through json_object_new_double_s */
		snprintf(s, sizeof s, "%d.%d", (int)below(g, 1000), (int)below(g, 100));
		ap_jw_raw(g->w, s, strlen(s));
		return json_object_new_double_s(strtod(s, NULL), s);
	}
	case 6: {
		size_t n = rand_text(g, s, sizeof s, true);
		ap_jw_strn(g->w, s, n);
		return json_object_new_string_len(s, (int)n);
	}
	case 7:
	case 8: {
		rand_text(g, s, sizeof s, false);
		ap_jw_str(g->w, s);
		return json_object_new_string(s);
	}
	default:
		return container(g, depth, kind == 9);
	}
}

static const struct {
	unsigned jw, jc;
} modes[] = {
	{0, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE},
	{AP_JW_SPACED, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE},
	{AP_JW_PRETTY, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE},
	{AP_JW_PRETTY | AP_JW_SPACED,
	 JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE},
	{AP_JW_SLASH, JSON_C_TO_STRING_PLAIN},
	{AP_JW_PRETTY | AP_JW_SPACED | AP_JW_SLASH,
	 JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED},
};

/* Builds tree number seed in the given mode; false on a mismatch (reported when log is set). */
static bool same_as_jsonc(uint64_t seed, size_t m, bool container_root, bool log)
{
	struct ap_buf b = AP_BUF_INIT;
	struct ap_jw w;
	ap_buf_init(&b, 0);
	ap_jw_init(&w, &b, modes[m].jw, 0);
	struct gen g = {seed * 0x9e3779b97f4a7c15ull + 1, &w};
	json_object *root = container_root ? container(&g, 0, below(&g, 2)) : value(&g, 0);
	size_t len = 0;
	const char *ref = json_object_to_json_string_length(root, (int)modes[m].jc, &len);
	if (!root) {
		ref = "null";
		len = 4;
	}
	bool same = !b.failed && ref && len == b.len && memcmp(ref, b.data, len) == 0;
	if (!same && log) {
		size_t i = 0;
		while (i < len && i < b.len && ref[i] == b.data[i])
			i++;
		cr_log_error("seed %llu mode %zu: first difference at byte %zu of %zu/%zu\n"
			     "json-c: ...%.60s\nwriter: ...%.60s",
			     (unsigned long long)seed, m, i, len, b.len, ref + (i > 20 ? i - 20 : 0),
			     b.data + (i > 20 ? i - 20 : 0));
	}
	json_object_put(root);
	ap_buf_free(&b);
	return same;
}

Test(json_writer, random_trees_match_jsonc_in_every_layout)
{
	size_t bad = 0;
	for (uint64_t seed = 1; seed <= 3000; seed++)
		for (size_t m = 0; m < sizeof modes / sizeof *modes; m++)
			bad += !same_as_jsonc(seed, m, seed % 4 != 0, bad < 5);
	cr_expect_eq(bad, 0, "%zu trees differ from json-c", bad);
}

/* Every byte value 0..255 in one string (and each alone), through both. */
Test(json_writer, every_byte_escapes_like_jsonc)
{
	char all[256];
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
		for (int i = -1; i < 256; i++) {
			const char *s = i < 0 ? all : all + i;
			size_t n = i < 0 ? sizeof all : 1;
			struct ap_buf b = AP_BUF_INIT;
			struct ap_jw w;
			ap_buf_init(&b, 0);
			ap_jw_init(&w, &b, modes[m].jw, 0);
			ap_jw_arr(&w);
			ap_jw_strn(&w, s, n);
			ap_jw_arr_end(&w);
			json_object *a = json_object_new_array();
			json_object_array_add(a, json_object_new_string_len(s, (int)n));
			size_t len = 0;
			const char *ref = json_object_to_json_string_length(a, (int)modes[m].jc, &len);
			cr_expect(len == b.len && memcmp(ref, b.data, len) == 0,
				  "mode %zu byte %d: json-c %s, writer %s", m, i, ref, b.data);
			json_object_put(a);
			ap_buf_free(&b);
		}
	}
}

/* The double forms the brief asked about, pinned as text so a json-c upgrade is noticed too. */
Test(json_writer, doubles_print_as_jsonc_016)
{
	static const struct {
		double v;
		const char *text;
	} cases[] = {
		{0.0, "0.0"}, {-0.0, "-0.0"}, {100.0, "100.0"}, {-3.0, "-3.0"},
		{0.1, "0.10000000000000001"}, {59.2, "59.200000000000003"}, {1e21, "1e+21"},
		{1e16, "10000000000000000.0"}, {1e-7, "9.9999999999999995e-08"}, {NAN, "NaN"},
		{INFINITY, "Infinity"}, {-INFINITY, "-Infinity"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct ap_buf b = AP_BUF_INIT;
		struct ap_jw w;
		ap_buf_init(&b, 0);
		ap_jw_init(&w, &b, 0, 0);
		ap_jw_double(&w, cases[i].v);
		json_object *d = json_object_new_double(cases[i].v);
		const char *ref = json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN);
		cr_expect_str_eq(b.data, ref, "%s", cases[i].text);
		cr_expect_str_eq(b.data, cases[i].text);
		json_object_put(d);
		ap_buf_free(&b);
	}
}
