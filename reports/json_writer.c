/* Streaming JSON in json-c 0.16's exact layout (json_object.c: the object/array/string/double
 * serializers), written straight into the output buffer instead of through a tree. */
#include "reports/json_writer.h"
#include "reports/swar.h"

#include "ap_limits.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ap_buf_add without the call when the bytes fit the allocation and the cap (most tokens are a
 * few bytes, and the call was a fifth of the writer's cost); ap_buf_add otherwise. */
static inline void put(struct ap_jw *w, const void *p, size_t n)
{
	struct ap_buf *b = w->out;
	size_t max = b->max ? b->max : AP_MAX_BUF_DEFAULT;
	if (!b->failed && b->data && n < b->cap - b->len && n <= max - b->len) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		ap_buf_add(b, p, n);
	}
}

static inline void putc1(struct ap_jw *w, char c)
{
	put(w, &c, 1);
}

void ap_jw_init(struct ap_jw *w, struct ap_buf *out, unsigned flags, int level)
{
	w->out = out;
	w->flags = flags;
	w->level = level;
	w->had = false;
	w->after_key = level > 0; /* its first value follows the key the other writer wrote */
}

static void indent(struct ap_jw *w, int level)
{
	static const char spaces[] = "                                ";
	if (!(w->flags & AP_JW_PRETTY))
		return;
	size_t n = level > 0 ? (size_t)level * 2 : 0;
	while (n) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		put(w, spaces, k);
		n -= k;
	}
}

/* What json-c writes before a member of a container: ",\n" after the first, " " when spaced
 * but not pretty, then the indent. A value right after its key gets nothing. */
static void sep(struct ap_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->level <= 0)
		return;
	bool pretty = w->flags & AP_JW_PRETTY;
	if (w->had)
		put(w, ",\n", pretty ? 2 : 1);
	w->had = true;
	if ((w->flags & AP_JW_SPACED) && !pretty)
		putc1(w, ' ');
	indent(w, w->level);
}

static void begin(struct ap_jw *w, char c)
{
	sep(w);
	putc1(w, c);
	if (w->flags & AP_JW_PRETTY)
		putc1(w, '\n');
	w->level++;
	w->had = false;
}

/* The container's parent necessarily has a member now (this one), so had is true after. */
static void end(struct ap_jw *w, char c)
{
	bool pretty = w->flags & AP_JW_PRETTY;
	w->level--;
	if (pretty) {
		if (w->had)
			putc1(w, '\n');
		indent(w, w->level);
	}
	if ((w->flags & AP_JW_SPACED) && !pretty)
		putc1(w, ' ');
	putc1(w, c);
	w->had = true;
}

void ap_jw_obj(struct ap_jw *w)
{
	begin(w, '{');
}

void ap_jw_obj_end(struct ap_jw *w)
{
	end(w, '}');
}

void ap_jw_arr(struct ap_jw *w)
{
	begin(w, '[');
}

void ap_jw_arr_end(struct ap_jw *w)
{
	end(w, ']');
}

/* 1: escaped always (C0 controls, '"', '\\'); 2: '/', escaped only with AP_JW_SLASH. */
static const unsigned char special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, /* 0x20: '"' '/' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50: '\\' */
};

/* Any byte below 0x20, '"' or '\\' (or '/' when slash) among eight, without branches. */
static bool special8(uint64_t x, bool slash)
{
	uint64_t q = x ^ (AP_SWAR_ONES * '"'), b = x ^ (AP_SWAR_ONES * '\\');
	uint64_t hit = ((x - AP_SWAR_ONES * 0x20) & ~x) | ((q - AP_SWAR_ONES) & ~q) |
		       ((b - AP_SWAR_ONES) & ~b);
	return (hit & AP_SWAR_HIGH) || (slash && ap_swar_any_eq(x, '/'));
}

/* Index of the first byte at or after i that needs escaping, or n; eight bytes a step. */
static size_t plain_until(const unsigned char *u, size_t i, size_t n, bool slash)
{
	unsigned mask = slash ? 3 : 1;
	for (;;) {
		while (n - i >= 8 && !special8(ap_swar_load(u + i), slash))
			i += 8;
		size_t end = n - i >= 8 ? i + 8 : n;
		for (; i < end; i++)
			if (special[u[i]] & mask)
				return i;
		if (i == n)
			return n;
	}
}

/* json_escape_str: \b \n \r \t \f \" \\ (and \/ unless NOSLASHESCAPE), other bytes below 0x20
 * as \u00xx in lowercase hex; DEL and bytes >= 0x80 pass through untouched. */
static void escape(struct ap_jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	bool slash = w->flags & AP_JW_SLASH;
	size_t start = 0;
	for (size_t i = plain_until(u, 0, n, slash); i < n; i = plain_until(u, i + 1, n, slash)) {
		unsigned char c = u[i];
		char e[6] = {'\\', (char)c, 0, 0, 0, 0};
		size_t el = 2;
		switch (c) {
		case '\b': e[1] = 'b'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		case '\f': e[1] = 'f'; break;
		case '"': case '\\': case '/': break;
		default:
			memcpy(e, "\\u00", 4);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 0xf];
			el = 6;
		}
		put(w, s + start, i - start);
		put(w, e, el);
		start = i + 1;
	}
	put(w, s + start, n - start);
}

void ap_jw_key(struct ap_jw *w, const char *k)
{
	sep(w);
	putc1(w, '"');
	escape(w, k, strlen(k));
	put(w, "\": ", (w->flags & AP_JW_SPACED) ? 3 : 2);
	w->after_key = true;
}

void ap_jw_strn(struct ap_jw *w, const char *s, size_t n)
{
	sep(w);
	putc1(w, '"');
	escape(w, s, n);
	putc1(w, '"');
}

void ap_jw_str(struct ap_jw *w, const char *s)
{
	if (!s)
		ap_jw_null(w);
	else
		ap_jw_strn(w, s, strlen(s));
}

void ap_jw_raw(struct ap_jw *w, const char *text, size_t n)
{
	sep(w);
	put(w, text, n);
}

void ap_jw_i64(struct ap_jw *w, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%" PRId64, v);
	ap_jw_raw(w, b, (size_t)n);
}

void ap_jw_u64(struct ap_jw *w, uint64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof b, "%" PRIu64, v);
	ap_jw_raw(w, b, (size_t)n);
}

/* json_object_double_to_json_string_format with the default "%.17g": a value that prints
 * without '.' or exponent gets ".0" so that it still reads back as a double. */
void ap_jw_double(struct ap_jw *w, double v)
{
	char b[64];
	int n;
	if (isnan(v))
		n = snprintf(b, sizeof b, "NaN");
	else if (isinf(v))
		n = snprintf(b, sizeof b, v > 0 ? "Infinity" : "-Infinity");
	else {
		n = snprintf(b, sizeof b, "%.17g", v);
		bool digits = (b[0] >= '0' && b[0] <= '9') ||
			      (b[0] == '-' && b[1] >= '0' && b[1] <= '9');
		if (digits && !strchr(b, '.') && !strchr(b, 'e')) {
			memcpy(b + n, ".0", 3);
			n += 2;
		}
	}
	ap_jw_raw(w, b, (size_t)n);
}

void ap_jw_bool(struct ap_jw *w, bool v)
{
	if (v)
		ap_jw_raw(w, "true", 4);
	else
		ap_jw_raw(w, "false", 5);
}

void ap_jw_null(struct ap_jw *w)
{
	ap_jw_raw(w, "null", 4);
}

void ap_jw_kstr(struct ap_jw *w, const char *k, const char *s)
{
	ap_jw_key(w, k);
	ap_jw_str(w, s);
}

void ap_jw_ki64(struct ap_jw *w, const char *k, int64_t v)
{
	ap_jw_key(w, k);
	ap_jw_i64(w, v);
}

void ap_jw_ku64(struct ap_jw *w, const char *k, uint64_t v)
{
	ap_jw_key(w, k);
	ap_jw_u64(w, v);
}

void ap_jw_kbool(struct ap_jw *w, const char *k, bool v)
{
	ap_jw_key(w, k);
	ap_jw_bool(w, v);
}
