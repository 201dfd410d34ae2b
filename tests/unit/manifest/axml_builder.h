/* A small binary-XML (AXML) writer for the manifest tests: a string pool (UTF-16 or UTF-8), a
 * resource map, namespaces and elements with typed attributes. It records where the fields a
 * tamper test patches live, so fixtures are built, not pasted as hex. */
#ifndef AXML_BUILDER_H
#define AXML_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AXB_MAX 64

struct axb_attr {
	const char *name;    /* pool name ("" for an obfuscated one) */
	uint32_t resid;      /* framework id (0x0101xxxx) for the resource map, or 0 */
	bool android;        /* in the android namespace */
	uint8_t type;        /* Res_value type; 0x03 = string */
	const char *str;     /* for strings */
	uint32_t data;       /* for the other types */
};

struct axb {
	bool utf8;
	uint16_t elem_header_size; /* 16 normally */
	const char *strs[AXB_MAX];
	uint32_t resids[AXB_MAX]; /* resource map: ids of the first strings */
	unsigned n_strs, n_res;
	uint8_t body[16384];      /* node chunks */
	size_t body_len;
	uint8_t out[32768];       /* the whole file after axb_finish */
	size_t len;
	/* offsets in out, for tampering */
	size_t off_file_type, off_file_size, off_pool_count, off_pool_offsets, off_body;
};

void axb_init(struct axb *b, bool utf8);
/* Index of s in the pool (added if new). Attribute names with resids go first, as aapt does. */
uint32_t axb_str(struct axb *b, const char *s);
void axb_start_ns(struct axb *b);
void axb_end_ns(struct axb *b);
void axb_start(struct axb *b, const char *name, const struct axb_attr *attrs, size_t n);
void axb_end(struct axb *b, const char *name);
/* Raw chunk bytes appended to the body (unknown chunk types, zero-size chunks). */
void axb_raw(struct axb *b, const void *p, size_t n);
/* Assembles header + pool + resource map + body into out/len. */
void axb_finish(struct axb *b);

void axb_put16(uint8_t *p, uint16_t v);
void axb_put32(uint8_t *p, uint32_t v);

#endif
