/* The AXML writer used by the manifest tests (see axml_builder.h). */
#include "axml_builder.h"

#include <string.h>

void axb_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void axb_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void axb_init(struct axb *b, bool utf8)
{
	memset(b, 0, sizeof(*b));
	b->utf8 = utf8;
	b->elem_header_size = 16;
	axb_str(b, "android");
	axb_str(b, "http://schemas.android.com/apk/res/android");
}

uint32_t axb_str(struct axb *b, const char *s)
{
	for (unsigned i = 0; i < b->n_strs; i++)
		if (strcmp(b->strs[i], s) == 0)
			return i;
	b->strs[b->n_strs] = s;
	return b->n_strs++;
}

static uint8_t *grow(struct axb *b, size_t n)
{
	uint8_t *p = b->body + b->body_len;
	memset(p, 0, n);
	b->body_len += n;
	return p;
}

static void node(struct axb *b, uint16_t type, uint16_t hs, uint32_t size)
{
	uint8_t *p = grow(b, hs);
	axb_put16(p, type);
	axb_put16(p + 2, hs);
	axb_put32(p + 4, size);
	axb_put32(p + 8, 1);           /* line */
	axb_put32(p + 12, 0xffffffff); /* comment */
}

void axb_start_ns(struct axb *b)
{
	node(b, 0x0100, 16, 24);
	uint8_t *p = grow(b, 8);
	axb_put32(p, axb_str(b, "android"));
	axb_put32(p + 4, axb_str(b, "http://schemas.android.com/apk/res/android"));
}

void axb_end_ns(struct axb *b)
{
	node(b, 0x0101, 16, 24);
	uint8_t *p = grow(b, 8);
	axb_put32(p, axb_str(b, "android"));
	axb_put32(p + 4, axb_str(b, "http://schemas.android.com/apk/res/android"));
}

/* Attribute names that carry a resource id must sit at the pool index the map gives them. */
static uint32_t attr_name(struct axb *b, const struct axb_attr *a)
{
	if (!a->resid)
		return axb_str(b, a->name);
	for (unsigned i = 0; i < b->n_res; i++)
		if (b->resids[i] == a->resid)
			return i;
	/* the map covers pool indices 0..n_res-1: move a fresh slot to the front by rebuilding
	 * is overkill for tests; instead ids map onto indices appended in order */
	unsigned i = b->n_strs;
	b->strs[b->n_strs++] = a->name;
	while (b->n_res < i)
		b->resids[b->n_res++] = 0;
	b->resids[b->n_res++] = a->resid;
	return i;
}

void axb_start(struct axb *b, const char *name, const struct axb_attr *attrs, size_t n)
{
	uint32_t idx[AXB_MAX];
	for (size_t i = 0; i < n; i++)
		idx[i] = attr_name(b, &attrs[i]);
	uint16_t hs = b->elem_header_size;
	uint32_t size = (uint32_t)(hs + 20 + 20 * n);
	node(b, 0x0102, hs, size);
	uint8_t *p = grow(b, 20);
	axb_put32(p, 0xffffffff);
	axb_put32(p + 4, axb_str(b, name));
	axb_put16(p + 8, 20);          /* attributeStart */
	axb_put16(p + 10, 20);         /* attributeSize */
	axb_put16(p + 12, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		const struct axb_attr *a = &attrs[i];
		uint8_t *q = grow(b, 20);
		axb_put32(q, a->android ? axb_str(b, "http://schemas.android.com/apk/res/android")
					: 0xffffffff);
		axb_put32(q + 4, idx[i]);
		uint32_t sv = a->type == 0x03 ? axb_str(b, a->str) : 0xffffffff;
		axb_put32(q + 8, sv);
		axb_put16(q + 12, 8);
		q[15] = a->type;
		axb_put32(q + 16, a->type == 0x03 ? sv : a->data);
	}
}

void axb_end(struct axb *b, const char *name)
{
	node(b, 0x0103, 16, 24);
	uint8_t *p = grow(b, 8);
	axb_put32(p, 0xffffffff);
	axb_put32(p + 4, axb_str(b, name));
}

void axb_raw(struct axb *b, const void *p, size_t n)
{
	memcpy(grow(b, n), p, n);
}

/* One pool string in its encoding. */
static size_t put_string(const struct axb *b, uint8_t *p, const char *s)
{
	size_t n = strlen(s), k = 0;
	if (b->utf8) {
		p[k++] = (uint8_t)n; /* ASCII test strings: utf16 length == byte length, < 128 */
		p[k++] = (uint8_t)n;
		memcpy(p + k, s, n);
		k += n;
		p[k++] = 0;
	} else {
		axb_put16(p, (uint16_t)n);
		k = 2;
		for (size_t i = 0; i < n; i++, k += 2)
			axb_put16(p + k, (uint8_t)s[i]);
		axb_put16(p + k, 0);
		k += 2;
	}
	return k;
}

void axb_finish(struct axb *b)
{
	uint8_t *o = b->out;
	size_t off = 8;
	/* string pool */
	size_t pool = off, hs = 28;
	size_t strings_start = hs + 4 * b->n_strs;
	size_t data = pool + strings_start, d = 0;
	for (unsigned i = 0; i < b->n_strs; i++) {
		axb_put32(o + pool + hs + 4 * i, (uint32_t)d);
		d += put_string(b, o + data + d, b->strs[i]);
	}
	while (d % 4)
		o[data + d++] = 0;
	size_t pool_size = strings_start + d;
	axb_put16(o + pool, 0x0001);
	axb_put16(o + pool + 2, 28);
	axb_put32(o + pool + 4, (uint32_t)pool_size);
	axb_put32(o + pool + 8, b->n_strs);
	axb_put32(o + pool + 12, 0);
	axb_put32(o + pool + 16, b->utf8 ? 0x100 : 0);
	axb_put32(o + pool + 20, (uint32_t)strings_start);
	axb_put32(o + pool + 24, 0);
	b->off_pool_count = pool + 8;
	b->off_pool_offsets = pool + hs;
	off = pool + pool_size;
	/* resource map */
	axb_put16(o + off, 0x0180);
	axb_put16(o + off + 2, 8);
	axb_put32(o + off + 4, 8 + 4 * b->n_res);
	for (unsigned i = 0; i < b->n_res; i++)
		axb_put32(o + off + 8 + 4 * i, b->resids[i]);
	off += 8 + 4 * b->n_res;
	b->off_body = off;
	memcpy(o + off, b->body, b->body_len);
	off += b->body_len;
	axb_put16(o, 0x0003);
	axb_put16(o + 2, 8);
	axb_put32(o + 4, (uint32_t)off);
	b->off_file_type = 0;
	b->off_file_size = 4;
	b->len = off;
}
