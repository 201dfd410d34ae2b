/* A tiny zip writer for the container tests: stored and deflated entries, a central directory
 * and an EOCD, with every structure's offset remembered so that a test can then mutate the
 * bytes into one specific trick. Header-only; only tests/unit/apk includes it. */
#ifndef ZIPW_H
#define ZIPW_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define ZW_MAX 64

struct zw_ent {
	char name[256];
	uint16_t method, flags;
	uint32_t crc, csize, usize, loff;
	size_t cdoff; /* offset of this entry's central directory record */
};

struct zw {
	uint8_t *b;
	size_t len, cap;
	struct zw_ent e[ZW_MAX];
	size_t n;
	size_t cd_off, cd_size, eocd_off;
};

static inline void zw_put(struct zw *z, const void *p, size_t n)
{
	if (z->len + n > z->cap) {
		size_t nc = z->cap ? z->cap : 4096;
		while (nc < z->len + n)
			nc *= 2;
		z->b = realloc(z->b, nc);
		z->cap = nc;
	}
	memcpy(z->b + z->len, p, n);
	z->len += n;
}

static inline void zw_u16(struct zw *z, uint32_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	zw_put(z, b, 2);
}

static inline void zw_u32(struct zw *z, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	zw_put(z, b, 4);
}

static inline void zw_set16(struct zw *z, size_t off, uint32_t v)
{
	z->b[off] = (uint8_t)v;
	z->b[off + 1] = (uint8_t)(v >> 8);
}

static inline void zw_set32(struct zw *z, size_t off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		z->b[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

/* Raw deflate of data into a malloc'd buffer. */
static inline uint8_t *zw_deflate(const void *data, size_t n, size_t *out_len)
{
	z_stream s;
	memset(&s, 0, sizeof(s));
	deflateInit2(&s, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	size_t cap = deflateBound(&s, (uLong)n) + 16;
	uint8_t *o = malloc(cap);
	s.next_in = (Bytef *)(uintptr_t)data;
	s.avail_in = (uInt)n;
	s.next_out = o;
	s.avail_out = (uInt)cap;
	deflate(&s, Z_FINISH);
	*out_len = cap - s.avail_out;
	deflateEnd(&s);
	return o;
}

/* Adds an entry: method 0 stores, 8 deflates. */
static inline void zw_add(struct zw *z, const char *name, const void *data, size_t n, int method)
{
	struct zw_ent *e = &z->e[z->n++];
	strncpy(e->name, name, sizeof(e->name) - 1);
	e->method = (uint16_t)method;
	e->flags = 0;
	e->crc = (uint32_t)crc32(0, data, (uInt)n);
	e->usize = (uint32_t)n;
	size_t clen = n;
	uint8_t *comp = NULL;
	if (method == 8)
		comp = zw_deflate(data, n, &clen);
	e->csize = (uint32_t)clen;
	e->loff = (uint32_t)z->len;
	size_t nlen = strlen(e->name);
	zw_u32(z, 0x04034b50);
	zw_u16(z, 20);
	zw_u16(z, e->flags);
	zw_u16(z, e->method);
	zw_u32(z, 0);
	zw_u32(z, e->crc);
	zw_u32(z, e->csize);
	zw_u32(z, e->usize);
	zw_u16(z, (uint32_t)nlen);
	zw_u16(z, 0);
	zw_put(z, e->name, nlen);
	zw_put(z, comp ? comp : data, clen);
	free(comp);
}

/* Central directory + EOCD with an optional comment. */
static inline void zw_finish(struct zw *z, const void *comment, size_t clen)
{
	z->cd_off = z->len;
	for (size_t i = 0; i < z->n; i++) {
		struct zw_ent *e = &z->e[i];
		size_t nlen = strlen(e->name);
		e->cdoff = z->len;
		zw_u32(z, 0x02014b50);
		zw_u16(z, 20);
		zw_u16(z, 20);
		zw_u16(z, e->flags);
		zw_u16(z, e->method);
		zw_u32(z, 0);
		zw_u32(z, e->crc);
		zw_u32(z, e->csize);
		zw_u32(z, e->usize);
		zw_u16(z, (uint32_t)nlen);
		zw_u16(z, 0);
		zw_u16(z, 0);
		zw_u16(z, 0);
		zw_u16(z, 0);
		zw_u32(z, 0);
		zw_u32(z, e->loff);
		zw_put(z, e->name, nlen);
	}
	z->cd_size = z->len - z->cd_off;
	z->eocd_off = z->len;
	zw_u32(z, 0x06054b50);
	zw_u16(z, 0);
	zw_u16(z, 0);
	zw_u16(z, (uint32_t)z->n);
	zw_u16(z, (uint32_t)z->n);
	zw_u32(z, (uint32_t)z->cd_size);
	zw_u32(z, (uint32_t)z->cd_off);
	zw_u16(z, (uint32_t)clen);
	if (clen)
		zw_put(z, comment, clen);
}

/* Inserts n bytes of filler at off (offsets recorded in z are NOT adjusted). */
static inline void zw_insert(struct zw *z, size_t off, uint8_t fill, size_t n)
{
	uint8_t *tmp = malloc(n);
	memset(tmp, fill, n);
	zw_put(z, tmp, n); /* grow */
	memmove(z->b + off + n, z->b + off, z->len - n - off);
	memcpy(z->b + off, tmp, n);
	free(tmp);
}

static inline void zw_free(struct zw *z)
{
	free(z->b);
	memset(z, 0, sizeof(*z));
}

#endif
