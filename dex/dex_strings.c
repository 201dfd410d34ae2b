/* dex: string_ids and string_data_item. MUTF-8 to UTF-8: C0 80 becomes a NUL byte (the length
 * keeps it), a surrogate pair becomes one 4-byte sequence, a lone surrogate stays 3 bytes. Pure
 * ASCII strings (almost all of them) are borrowed from the file without a copy. */
#include "dex_internal.h"

#include "ap_buf.h"

#include <stdlib.h>
#include <string.h>

/* Decodes n bytes of MUTF-8 at p into dst (room for 2*n bytes: 3-byte surrogates pair into 4
 * bytes, never more), returns the UTF-8 length; *bad set on malformed input. */
static size_t mutf8_decode(const uint8_t *p, size_t n, char *dst, bool *bad)
{
	size_t o = 0, i = 0;
	while (i < n) {
		uint8_t b = p[i];
		if (b < 0x80) {
			dst[o++] = (char)b;
			i++;
			continue;
		}
		if ((b & 0xe0) == 0xc0 && i + 1 < n && (p[i + 1] & 0xc0) == 0x80) {
			uint32_t cp = ((uint32_t)(b & 0x1f) << 6) | (p[i + 1] & 0x3f);
			if (cp < 0x80) /* C0 80 is U+0000; other overlongs are just decoded too */
				dst[o++] = (char)cp;
			else {
				dst[o++] = (char)(0xc0 | (cp >> 6));
				dst[o++] = (char)(0x80 | (cp & 0x3f));
			}
			i += 2;
			continue;
		}
		if ((b & 0xf0) == 0xe0 && i + 2 < n && (p[i + 1] & 0xc0) == 0x80 &&
		    (p[i + 2] & 0xc0) == 0x80) {
			uint32_t cp = ((uint32_t)(b & 0x0f) << 12) | ((uint32_t)(p[i + 1] & 0x3f) << 6) |
				      (p[i + 2] & 0x3f);
			i += 3;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 2 < n && p[i] == 0xed &&
			    (p[i + 1] & 0xf0) == 0xb0 && (p[i + 2] & 0xc0) == 0x80) {
				uint32_t lo = 0xd000u | ((uint32_t)(p[i + 1] & 0x3f) << 6) | (p[i + 2] & 0x3f);
				uint32_t sup = 0x10000u + ((cp - 0xd800u) << 10) + (lo - 0xdc00u);
				dst[o++] = (char)(0xf0 | (sup >> 18));
				dst[o++] = (char)(0x80 | ((sup >> 12) & 0x3f));
				dst[o++] = (char)(0x80 | ((sup >> 6) & 0x3f));
				dst[o++] = (char)(0x80 | (sup & 0x3f));
				i += 3;
				continue;
			}
			dst[o++] = (char)(0xe0 | (cp >> 12));
			dst[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			dst[o++] = (char)(0x80 | (cp & 0x3f));
			continue;
		}
		*bad = true; /* copied as is; the escaper shows it as \xNN */
		dst[o++] = (char)b;
		i++;
	}
	return o;
}

/* String i as (pointer, length), or NULL when unreadable. */
static const char *str_at(const struct ap_dex *dex, uint32_t i, uint32_t *len)
{
	const struct dex_str *e = &dex->strings[i];
	if (e->len == DEX_STR_BAD)
		return NULL;
	*len = e->len & ~DEX_STR_DECODED;
	if (e->len & DEX_STR_DECODED)
		return (const char *)dex->decoded.p + e->off;
	return (const char *)dex->buf + e->off;
}

static int mem_cmp(const char *a, uint32_t na, const char *b, uint32_t nb)
{
	int r = memcmp(a, b, na < nb ? na : nb);
	if (r)
		return r;
	return na < nb ? -1 : na > nb;
}

/* Compares strings i and j; unreadable ones are never compared (callers skip them). */
static int str_cmp(const struct ap_dex *dex, uint32_t i, uint32_t j)
{
	uint32_t na = 0, nb = 0;
	const char *a = str_at(dex, i, &na), *b = str_at(dex, j, &nb);
	return mem_cmp(a, na, b, nb);
}

static const struct ap_dex *g_sort_dex; /* qsort has no context argument in C11 */

static int idx_cmp(const void *x, const void *y)
{
	return str_cmp(g_sort_dex, *(const uint32_t *)x, *(const uint32_t *)y);
}

/* The general path: up to the NUL terminator (bounded by 3 bytes per UTF-16 unit), decoded into
 * dex->decoded. Returns how many problems it has (no terminator, malformed MUTF-8); it is kept
 * all the same unless the cap is hit. */
static uint32_t decode_string(struct ap_dex *dex, uint32_t i, size_t start, uint32_t utf16_size)
{
	uint64_t maxb = (uint64_t)utf16_size * 3 + 1;
	size_t avail = dex->len - start;
	size_t scan = maxb < avail ? (size_t)maxb : avail;
	const uint8_t *z = memchr(dex->buf + start, 0, scan);
	size_t nb = z ? (size_t)(z - (dex->buf + start)) : scan;
	uint32_t problems = z ? 0 : 1;
	struct dex_vec *v = &dex->decoded;
	if (v->n > UINT32_MAX || !dex_vec_reserve(dex, v, 2 * nb + 1))
		return problems;
	bool bad = false;
	char *dst = (char *)v->p + v->n;
	size_t o = mutf8_decode(dex->buf + start, nb, dst, &bad);
	dst[o] = 0;
	dex->strings[i].off = (uint32_t)v->n;
	dex->strings[i].len = (uint32_t)o | DEX_STR_DECODED;
	v->n += o + 1;
	return problems + bad;
}

void dex_read_strings(struct ap_dex *dex)
{
	const struct ap_dex_header *h = &dex->hdr;
	uint32_t n = dex_table_fit(dex, "string_ids", h->string_ids_off, h->string_ids_size, 4);
	dex->strings = dex_alloc(dex, n ? n : 1, sizeof(*dex->strings));
	if (!dex->strings)
		return;
	const uint8_t *buf = dex->buf;
	size_t len = dex->len;
	uint32_t bad_off = 0, n_bad = 0;
	bool sorted = true, prev_ok = false;
	for (uint32_t i = 0; i < n; i++) {
		bool ok = true;
		uint32_t off = ap_rd_u32le(buf, len, h->string_ids_off + (size_t)i * 4, &ok);
		struct ap_cur c = ap_cur_make(buf, len);
		ap_cur_seek(&c, off);
		uint32_t utf16_size = ap_cur_uleb128(&c);
		size_t start = c.off;
		dex->strings[i].len = DEX_STR_BAD;
		if (!c.ok || start > UINT32_MAX) {
			if (!n_bad++)
				bad_off = off;
			prev_ok = false;
			continue;
		}
		/* ASCII fast path: utf16_size bytes of 01..7f followed by the NUL terminator */
		size_t j = start;
		if (utf16_size < len - start) {
			size_t lim = start + utf16_size;
			while (j < lim && buf[j] - 1u < 0x7fu)
				j++;
		}
		if (utf16_size < len - start && j == start + utf16_size && buf[j] == 0) {
			dex->strings[i].off = (uint32_t)start;
			dex->strings[i].len = utf16_size;
		} else {
			uint32_t p = decode_string(dex, i, start, utf16_size);
			if (p && !n_bad)
				bad_off = off;
			n_bad += p;
		}
		if (dex->strings[i].len == DEX_STR_BAD) {
			prev_ok = false;
			continue;
		}
		if (sorted && prev_ok && str_cmp(dex, i - 1, i) >= 0)
			sorted = false;
		prev_ok = true;
	}
	dex_vec_shrink(dex, &dex->decoded);
	dex->cnt.strings = n;
	if (n_bad)
		dex_anom(dex, bad_off, AP_ERR_FORMAT,
			 "%u strings unreadable or malformed MUTF-8 (first here)", n_bad);
	if (!sorted && n) {
		/* hostile or legacy ordering: binary search through a sorted copy of the indices */
		dex->sorted_strings = dex_alloc(dex, n, sizeof(uint32_t));
		if (dex->sorted_strings) {
			uint32_t k = 0;
			for (uint32_t i = 0; i < n; i++)
				if (dex->strings[i].len != DEX_STR_BAD)
					dex->sorted_strings[k++] = i;
			g_sort_dex = dex;
			qsort(dex->sorted_strings, k, sizeof(uint32_t), idx_cmp);
			for (uint32_t i = k; i < n; i++)
				dex->sorted_strings[i] = AP_DEX_NO_INDEX;
		}
	}
}

const char *ap_dex_string(const struct ap_dex *dex, uint32_t idx)
{
	uint32_t n;
	if (!dex->strings || idx >= dex->cnt.strings)
		return NULL;
	return str_at(dex, idx, &n);
}

size_t ap_dex_string_len(const struct ap_dex *dex, uint32_t idx)
{
	uint32_t n = 0;
	if (!dex->strings || idx >= dex->cnt.strings || !str_at(dex, idx, &n))
		return 0;
	return n;
}

int64_t ap_dex_find_string(const struct ap_dex *dex, const char *s)
{
	size_t slen = strlen(s);
	uint32_t n = dex->cnt.strings;
	if (!dex->strings || !n || slen > UINT32_MAX)
		return -1;
	if (dex->sorted_strings) {
		while (n && dex->sorted_strings[n - 1] == AP_DEX_NO_INDEX)
			n--;
	}
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t idx = dex->sorted_strings ? dex->sorted_strings[mid] : mid;
		uint32_t elen = 0;
		const char *e = str_at(dex, idx, &elen);
		int r = e ? mem_cmp(e, elen, s, (uint32_t)slen) : -1;
		if (r == 0)
			return idx;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void ap_dex_add_string_escaped(const struct ap_dex *dex, uint32_t idx, struct ap_buf *b)
{
	const char *s = ap_dex_string(dex, idx);
	if (!s)
		ap_buf_addf(b, "<bad string %u>", idx);
	else
		ap_buf_add_escaped(b, s, ap_dex_string_len(dex, idx), 0);
}
