/* The byte cursor: the only way a parser touches untrusted bytes. Offsets, never pointers;
 * failure is sticky (check c->ok once after a run of reads); values are assembled
 * little-endian with shifts. Inline because every parser's hot loop goes through it. */
#ifndef AP_CURSOR_H
#define AP_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_cur {
	const uint8_t *buf; /* borrowed */
	size_t len;
	size_t off;
	bool ok;
};

static inline struct ap_cur ap_cur_make(const uint8_t *buf, size_t len)
{
	struct ap_cur c = {buf, len, 0, true};
	return c;
}

/* A cursor over [off, off+n) of buf, failed if that range is not inside buf. */
static inline struct ap_cur ap_cur_sub(const uint8_t *buf, size_t len, size_t off, size_t n)
{
	struct ap_cur c = {buf, 0, 0, false};
	if (off <= len && n <= len - off) {
		c.buf = buf + off;
		c.len = n;
		c.ok = true;
	}
	return c;
}

/* True when [off, off+n) lies inside a buffer of len bytes, written overflow-free. */
static inline bool ap_range_ok(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= (uint64_t)len - off;
}

static inline size_t ap_cur_avail(const struct ap_cur *c)
{
	return c->ok && c->off <= c->len ? c->len - c->off : 0;
}

static inline bool ap_cur_need(struct ap_cur *c, size_t n)
{
	if (!c->ok || c->off > c->len || n > c->len - c->off) {
		c->ok = false;
		return false;
	}
	return true;
}

static inline void ap_cur_seek(struct ap_cur *c, size_t off)
{
	if (off > c->len)
		c->ok = false;
	else
		c->off = off;
}

static inline void ap_cur_skip(struct ap_cur *c, size_t n)
{
	if (ap_cur_need(c, n))
		c->off += n;
}

static inline uint8_t ap_cur_u8(struct ap_cur *c)
{
	if (!ap_cur_need(c, 1))
		return 0;
	return c->buf[c->off++];
}

static inline uint16_t ap_cur_u16le(struct ap_cur *c)
{
	if (!ap_cur_need(c, 2))
		return 0;
	const uint8_t *p = c->buf + c->off;
	c->off += 2;
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t ap_cur_u32le(struct ap_cur *c)
{
	if (!ap_cur_need(c, 4))
		return 0;
	const uint8_t *p = c->buf + c->off;
	c->off += 4;
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t ap_cur_u64le(struct ap_cur *c)
{
	uint64_t lo = ap_cur_u32le(c);
	uint64_t hi = ap_cur_u32le(c);
	return lo | (hi << 32);
}

static inline uint16_t ap_cur_u16be(struct ap_cur *c)
{
	if (!ap_cur_need(c, 2))
		return 0;
	const uint8_t *p = c->buf + c->off;
	c->off += 2;
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t ap_cur_u32be(struct ap_cur *c)
{
	if (!ap_cur_need(c, 4))
		return 0;
	const uint8_t *p = c->buf + c->off;
	c->off += 4;
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	       (uint32_t)p[3];
}

static inline uint64_t ap_cur_u64be(struct ap_cur *c)
{
	uint64_t hi = ap_cur_u32be(c);
	uint64_t lo = ap_cur_u32be(c);
	return lo | (hi << 32);
}

/* Unsigned LEB128, bounded to 5 bytes (32 bits) as DEX defines it. */
static inline uint32_t ap_cur_uleb128(struct ap_cur *c)
{
	uint32_t v = 0;
	for (int i = 0; i < 5; i++) {
		uint8_t b = ap_cur_u8(c);
		if (!c->ok)
			return 0;
		v |= (uint32_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	c->ok = false; /* a sixth continuation byte: malformed */
	return 0;
}

static inline int32_t ap_cur_sleb128(struct ap_cur *c)
{
	uint32_t v = 0;
	int shift = 0;
	for (int i = 0; i < 5; i++) {
		uint8_t b = ap_cur_u8(c);
		if (!c->ok)
			return 0;
		v |= (uint32_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 32 && (b & 0x40))
				v |= ~(uint32_t)0 << shift;
			return (int32_t)v;
		}
	}
	c->ok = false;
	return 0;
}

/* Returns a pointer to n bytes at the cursor and advances, or NULL (and fails). */
static inline const uint8_t *ap_cur_bytes(struct ap_cur *c, size_t n)
{
	if (!ap_cur_need(c, n))
		return NULL;
	const uint8_t *p = c->buf + c->off;
	c->off += n;
	return p;
}

/* Reads a little-endian u16/u32 at an absolute offset without a cursor; 0 and *ok=false when
 * outside buf. For random access into tables already bounds-checked as a whole. */
static inline uint32_t ap_rd_u32le(const uint8_t *buf, size_t len, size_t off, bool *ok)
{
	if (!ap_range_ok(len, off, 4)) {
		*ok = false;
		return 0;
	}
	const uint8_t *p = buf + off;
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint16_t ap_rd_u16le(const uint8_t *buf, size_t len, size_t off, bool *ok)
{
	if (!ap_range_ok(len, off, 2)) {
		*ok = false;
		return 0;
	}
	return (uint16_t)(buf[off] | (buf[off + 1] << 8));
}

#endif
