/* Builders shared by the limit tests (tests/unit/limits): a zip writer for many entries and big
 * inflation ratios, the kept DEX seed, anomaly counting. Header-only; static functions, so
 * each test file of this binary gets its own copy. */
#ifndef LIMITS_UTIL_H
#define LIMITS_UTIL_H

#include "ap_diag.h"
#include "ap_test.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- a zip writer for many entries and big inflation ratios -------------------------------- */

struct zb {
	uint8_t *b;
	size_t len, cap;
	uint8_t *cd;
	size_t cd_len, cd_cap;
	uint64_t n;
};

static inline void put(uint8_t **b, size_t *len, size_t *cap, const void *p, size_t n)
{
	if (*len + n > *cap) {
		size_t nc = *cap ? *cap : 4096;
		while (nc < *len + n)
			nc *= 2;
		*b = realloc(*b, nc);
		cr_assert(*b);
		*cap = nc;
	}
	memcpy(*b + *len, p, n);
	*len += n;
}

static inline void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* One entry whose data is `raw` (already compressed with method), inflating to usize bytes. */
static inline void zb_add(struct zb *z, const char *name, uint16_t method, const uint8_t *raw,
		   size_t rlen, uint32_t crc, uint32_t usize)
{
	size_t nl = strlen(name);
	uint8_t h[46];
	memset(h, 0, sizeof h);
	le(h, 0x04034b50, 4);
	le(h + 4, 20, 2);
	le(h + 8, method, 2);
	le(h + 14, crc, 4);
	le(h + 18, rlen, 4);
	le(h + 22, usize, 4);
	le(h + 26, nl, 2);
	uint64_t lfh = z->len;
	put(&z->b, &z->len, &z->cap, h, 30);
	put(&z->b, &z->len, &z->cap, name, nl);
	put(&z->b, &z->len, &z->cap, raw, rlen);
	memset(h, 0, sizeof h);
	le(h, 0x02014b50, 4);
	le(h + 4, 20, 2);
	le(h + 6, 20, 2);
	le(h + 10, method, 2);
	le(h + 16, crc, 4);
	le(h + 20, rlen, 4);
	le(h + 24, usize, 4);
	le(h + 28, nl, 2);
	le(h + 42, lfh, 4);
	put(&z->cd, &z->cd_len, &z->cd_cap, h, 46);
	put(&z->cd, &z->cd_len, &z->cd_cap, name, nl);
	z->n++;
}

/* Central directory + EOCD (zip64 records when n does not fit 16 bits). Returns the buffer. */
static inline uint8_t *zb_finish(struct zb *z, size_t *len)
{
	uint64_t cd_off = z->len;
	put(&z->b, &z->len, &z->cap, z->cd, z->cd_len);
	uint8_t e[56];
	if (z->n > 0xffff) {
		uint64_t at = z->len;
		memset(e, 0, sizeof e);
		le(e, 0x06064b50, 4);
		le(e + 4, 44, 8);
		le(e + 12, 45, 2);
		le(e + 14, 45, 2);
		le(e + 24, z->n, 8);
		le(e + 32, z->n, 8);
		le(e + 40, z->cd_len, 8);
		le(e + 48, cd_off, 8);
		put(&z->b, &z->len, &z->cap, e, 56);
		memset(e, 0, 20);
		le(e, 0x07064b50, 4);
		le(e + 8, at, 8);
		le(e + 16, 1, 4);
		put(&z->b, &z->len, &z->cap, e, 20);
	}
	memset(e, 0, 22);
	le(e, 0x06054b50, 4);
	le(e + 8, z->n > 0xffff ? 0xffff : z->n, 2);
	le(e + 10, z->n > 0xffff ? 0xffff : z->n, 2);
	le(e + 12, z->cd_len, 4);
	le(e + 16, z->n > 0xffff ? 0xffffffffu : cd_off, 4);
	put(&z->b, &z->len, &z->cap, e, 22);
	free(z->cd);
	*len = z->len;
	return z->b;
}

/* An entry of n zero bytes, deflated (a zip bomb's building block: ~1000:1). */
static inline void zb_add_zeros(struct zb *z, const char *name, size_t n)
{
	uint8_t *zeros = calloc(1, n ? n : 1);
	uLongf clen = compressBound((uLong)n) + 64;
	uint8_t *raw = malloc(clen);
	z_stream s;
	memset(&s, 0, sizeof s);
	cr_assert(deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK);
	s.next_in = zeros;
	s.avail_in = (uInt)n;
	s.next_out = raw;
	s.avail_out = (uInt)clen;
	cr_assert(deflate(&s, Z_FINISH) == Z_STREAM_END);
	uint32_t crc = (uint32_t)crc32(0, zeros, (uInt)n);
	zb_add(z, name, 8, raw, s.total_out, crc, (uint32_t)n);
	deflateEnd(&s);
	free(raw);
	free(zeros);
}

static inline size_t count_anom(const struct ap_anomalies *an, const char *module, int code)
{
	size_t k = 0;
	for (size_t i = 0; i < an->count; i++)
		if (strcmp(an->items[i].module, module) == 0 && an->items[i].code == code)
			k++;
	return k;
}

static inline uint8_t *seed_dex(size_t *len)
{
	char *p = ap_t_path(AP_SOURCE_DIR, "tests/fuzz/corpus/dex/androguard-Test.dex");
	uint8_t *b = ap_t_slurp(p, len);
	free(p);
	cr_assert(b && *len > 0x70, "kept DEX seed missing");
	return b;
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
