/* ResStringPool (shared by AXML and resources.arsc): the header, the offsets table and the
 * UTF-8 / UTF-16 strings with their length encodings, every length bounded by the pool. */
#include "mf_internal.h"

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <string.h>

/* Appends code point cp as UTF-8 (cp already valid, not a surrogate). */
static void put_utf8(struct ap_buf *b, uint32_t cp)
{
	char o[4];
	size_t n;
	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		o[0] = (char)(0xf0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	ap_buf_add(b, o, n);
}

/* UTF-16LE code units [p, p+2n) -> UTF-8, stopping at a NUL unit. */
static void utf16_to_utf8(const uint8_t *p, size_t n, struct ap_buf *b)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t u = (uint32_t)(p[2 * i] | (p[2 * i + 1] << 8));
		if (u == 0)
			break;
		if (u >= 0xd800 && u <= 0xdbff && i + 1 < n) {
			uint32_t l = (uint32_t)(p[2 * i + 2] | (p[2 * i + 3] << 8));
			if (l >= 0xdc00 && l <= 0xdfff) {
				put_utf8(b, 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00));
				i++;
				continue;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff)
			u = 0xfffd;
		put_utf8(b, u);
	}
}

/* Bytes [p, p+n) claimed UTF-8 (Android's "modified UTF-8" included) -> valid UTF-8, invalid
 * sequences become U+FFFD, stopping at NUL. */
static void utf8_clean(const uint8_t *p, size_t n, struct ap_buf *b)
{
	size_t i = 0;
	while (i < n && p[i]) {
		uint8_t c = p[i];
		uint32_t cp;
		size_t k;
		if (c < 0x80) {
			ap_buf_addc(b, (char)c);
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			put_utf8(b, 0xfffd);
			i++;
			continue;
		}
		bool ok = k < n - i;
		for (size_t j = 1; ok && j <= k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				ok = false;
			else
				cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if (ok && ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
			   (cp >= 0xd800 && cp <= 0xdfff)))
			ok = false;
		if (!ok) {
			put_utf8(b, 0xfffd);
			i++;
			continue;
		}
		put_utf8(b, cp);
		i += k + 1;
	}
}

/* Decodes string at absolute offset off, the pool's data ending at end. NULL when its lengths
 * run past the pool. */
static char *read_string(const uint8_t *buf, size_t end, size_t off, bool utf8,
			 struct ap_arena *arena, struct ap_buf *tmp)
{
	struct ap_cur c = ap_cur_sub(buf, end, 0, end);
	ap_cur_seek(&c, off);
	ap_buf_reset(tmp);
	if (utf8) {
		/* u16 length then u8 length, each 1 byte or 2 with the high bit set */
		uint8_t a = ap_cur_u8(&c);
		if (a & 0x80)
			(void)ap_cur_u8(&c);
		size_t n = ap_cur_u8(&c);
		if (n & 0x80)
			n = ((n & 0x7f) << 8) | ap_cur_u8(&c);
		const uint8_t *p = ap_cur_bytes(&c, n);
		if (!c.ok)
			return NULL;
		utf8_clean(p, n, tmp);
	} else {
		size_t n = ap_cur_u16le(&c);
		if (n & 0x8000)
			n = ((n & 0x7fff) << 16) | ap_cur_u16le(&c);
		if (n > ap_cur_avail(&c) / 2) {
			return NULL;
		}
		const uint8_t *p = ap_cur_bytes(&c, n * 2);
		if (!c.ok)
			return NULL;
		utf16_to_utf8(p, n, tmp);
	}
	if (tmp->failed)
		return NULL;
	return ap_arena_strndup(arena, tmp->data ? tmp->data : "", tmp->len);
}

bool mf_pool_read(const uint8_t *buf, size_t len, const struct mf_chunk *ch, const char *module,
		  const char *where, struct ap_arena *arena, struct ap_anomalies *an,
		  struct mf_pool *pool)
{
	memset(pool, 0, sizeof(*pool));
	/* ResStringPool_header: chunk header, stringCount, styleCount, flags, stringsStart,
	 * stylesStart (28 bytes) */
	struct ap_cur c = ap_cur_sub(buf, len, ch->start, ch->size);
	ap_cur_skip(&c, 8);
	uint32_t count = ap_cur_u32le(&c);
	uint32_t style_count = ap_cur_u32le(&c);
	uint32_t flags = ap_cur_u32le(&c);
	uint32_t strings_start = ap_cur_u32le(&c);
	(void)ap_cur_u32le(&c);
	if (!c.ok || ch->header_size < 28) {
		ap_anom_add(an, module, where, ch->start, AP_ERR_TRUNCATED,
			    "string pool header too short (%u bytes); no strings", ch->header_size);
		return true;
	}
	(void)style_count;
	pool->utf8 = (flags & 0x100) != 0;
	size_t size = ch->size;
	/* the offsets table follows the header; Android locates it by headerSize */
	size_t room = (size - ch->header_size) / 4;
	if (count > room || count > AP_MAX_AXML_STRINGS) {
		uint32_t fit = (uint32_t)(room < AP_MAX_AXML_STRINGS ? room : AP_MAX_AXML_STRINGS);
		ap_anom_add(an, module, where, ch->start + 8, AP_ERR_TAMPER,
			    "string count %u exceeds what the pool can hold; reading %u", count, fit);
		count = fit;
	}
	if (strings_start > size || strings_start < ch->header_size) {
		ap_anom_add(an, module, where, ch->start + 20, AP_ERR_RANGE,
			    "strings start 0x%x outside the pool (size 0x%zx)", strings_start, size);
		strings_start = (uint32_t)(ch->header_size + (size_t)count * 4);
		if (strings_start > size)
			strings_start = (uint32_t)size;
	}
	pool->str = ap_arena_calloc(arena, count ? count : 1, sizeof(char *));
	if (!pool->str)
		return false;
	pool->count = count;
	/* strings are read relative to stringsStart, bounded by the chunk */
	const uint8_t *data = buf + ch->start + strings_start;
	size_t data_len = size - strings_start;
	struct ap_buf tmp;
	ap_buf_init(&tmp, 1u << 24);
	unsigned bad = 0;
	for (uint32_t i = 0; i < count; i++) {
		bool ok = true;
		uint32_t so = ap_rd_u32le(buf, len, ch->start + ch->header_size + (size_t)i * 4, &ok);
		if (!ok || so >= data_len) {
			if (bad++ == 0)
				ap_anom_add(an, module, where,
					    ch->start + ch->header_size + (size_t)i * 4, AP_ERR_RANGE,
					    "string %u offset 0x%x outside the pool", i, so);
			continue;
		}
		pool->str[i] = read_string(data, data_len, so, pool->utf8, arena, &tmp);
		if (!pool->str[i]) {
			if (arena->limit_hit) {
				ap_buf_free(&tmp);
				return false;
			}
			if (bad++ == 0)
				ap_anom_add(an, module, where, ch->start + strings_start + so,
					    AP_ERR_TRUNCATED, "string %u runs past the pool", i);
		}
	}
	if (bad > 1)
		ap_anom_add(an, module, where, ch->start, AP_ERR_RANGE,
			    "%u strings in the pool could not be read", bad);
	ap_buf_free(&tmp);
	return true;
}

const char *mf_pool_get(const struct mf_pool *pool, uint32_t i)
{
	if (!pool || i >= pool->count)
		return NULL;
	return pool->str[i];
}
