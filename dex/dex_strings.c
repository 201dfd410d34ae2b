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

static int str_cmp(const struct dex_str *a, const struct dex_str *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->s, b->s, n);
	if (r)
		return r;
	return a->len < b->len ? -1 : a->len > b->len;
}

static const struct dex_str *g_sort_strings; /* qsort has no context argument in C11 */

static int idx_cmp(const void *x, const void *y)
{
	return str_cmp(&g_sort_strings[*(const uint32_t *)x], &g_sort_strings[*(const uint32_t *)y]);
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
	bool sorted = true;
	for (uint32_t i = 0; i < n; i++) {
		bool ok = true;
		uint32_t off = ap_rd_u32le(buf, len, h->string_ids_off + (size_t)i * 4, &ok);
		struct ap_cur c = ap_cur_make(buf, len);
		ap_cur_seek(&c, off);
		uint32_t utf16_size = ap_cur_uleb128(&c);
		if (!c.ok) {
			if (!n_bad++)
				bad_off = off;
			dex->strings[i].s = NULL;
			continue;
		}
		size_t start = c.off;
		/* ASCII fast path: utf16_size bytes of 01..7f followed by the NUL terminator */
		size_t j = start, end = len;
		if (utf16_size <= len - start) {
			size_t lim = start + utf16_size;
			while (j < lim && buf[j] - 1u < 0x7fu)
				j++;
			if (j == lim && j < end && buf[j] == 0) {
				dex->strings[i].s = (const char *)buf + start;
				dex->strings[i].len = utf16_size;
				goto check_order;
			}
		}
		/* general path: up to the NUL terminator (bounded by 3 bytes per UTF-16 unit) */
		{
			uint64_t maxb = (uint64_t)utf16_size * 3 + 1;
			size_t avail = len - start;
			size_t scan = maxb < avail ? (size_t)maxb : avail;
			const uint8_t *z = memchr(buf + start, 0, scan);
			size_t nb = z ? (size_t)(z - (buf + start)) : scan;
			if (!z) {
				if (!n_bad++)
					bad_off = off;
			}
			char *dst = dex_alloc(dex, 2 * nb + 1, 1);
			if (!dst) {
				dex->strings[i].s = NULL;
				continue;
			}
			bool bad = false;
			size_t o = mutf8_decode(buf + start, nb, dst, &bad);
			dst[o] = 0;
			dex->strings[i].s = dst;
			dex->strings[i].len = (uint32_t)o;
			if (bad && !n_bad++)
				bad_off = off;
		}
check_order:
		if (sorted && i > 0 && dex->strings[i - 1].s &&
		    str_cmp(&dex->strings[i - 1], &dex->strings[i]) >= 0)
			sorted = false;
	}
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
				if (dex->strings[i].s)
					dex->sorted_strings[k++] = i;
			g_sort_strings = dex->strings;
			qsort(dex->sorted_strings, k, sizeof(uint32_t), idx_cmp);
			for (uint32_t i = k; i < n; i++)
				dex->sorted_strings[i] = AP_DEX_NO_INDEX;
		}
	}
}

const char *ap_dex_string(const struct ap_dex *dex, uint32_t idx)
{
	if (!dex->strings || idx >= dex->cnt.strings)
		return NULL;
	return dex->strings[idx].s;
}

size_t ap_dex_string_len(const struct ap_dex *dex, uint32_t idx)
{
	if (!dex->strings || idx >= dex->cnt.strings || !dex->strings[idx].s)
		return 0;
	return dex->strings[idx].len;
}

int64_t ap_dex_find_string(const struct ap_dex *dex, const char *s)
{
	struct dex_str key = {s, (uint32_t)strlen(s)};
	uint32_t n = dex->cnt.strings;
	if (!dex->strings || !n)
		return -1;
	if (dex->sorted_strings) {
		while (n && dex->sorted_strings[n - 1] == AP_DEX_NO_INDEX)
			n--;
	}
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t idx = dex->sorted_strings ? dex->sorted_strings[mid] : mid;
		const struct dex_str *e = &dex->strings[idx];
		int r = e->s ? str_cmp(e, &key) : -1;
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
		ap_buf_add_escaped(b, s, dex->strings[idx].len, 0);
}
