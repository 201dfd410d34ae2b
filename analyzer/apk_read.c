/* Reading one entry's bytes: the bounded copy and the bounded raw inflater (zlib). The cap of a
 * read depends on the entry's kind (docs/limits.md). The declared uncompressed size can lie, so it
 * is only a first guess for the buffer, which then grows up to the cap; one byte past the cap
 * tells "exactly at the cap" from "a zip bomb". */
#include "apk_int.h"

#include "ap_cursor.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* check ids for apk_anom, after the ones apk_zipcd.c uses */
enum { CK_LIMIT = 24, CK_CRC, CK_SIZE, CK_TRUNC, CK_METHOD, CK_ZERR };

#define CHUNK_MAX (UINT_MAX / 2) /* zlib's avail_in/avail_out are uInt */
#define DEFLATE_MAX_RATIO 1032u  /* deflate cannot expand more than ~1032:1 */
#define FIRST_GUESS_MAX (64u << 20)

static int copy_bounded(const uint8_t *src, size_t n, uint64_t cap, uint8_t **out, size_t *olen)
{
	int err = AP_OK;
	if (n > cap) {
		n = (size_t)cap;
		err = AP_ERR_LIMIT;
	}
	uint8_t *b = malloc(n ? n : 1);
	if (!b)
		return AP_ERR_NOMEM;
	if (n)
		memcpy(b, src, n);
	*out = b;
	*olen = n;
	return err;
}

static int inflate_bounded(const uint8_t *src, size_t n, uint64_t declared, uint64_t cap,
			   uint8_t **out, size_t *olen)
{
	*out = NULL;
	*olen = 0;
	uint64_t lim = cap + 1;
	uint64_t guess = declared;
	uint64_t ratio_max = (uint64_t)n * DEFLATE_MAX_RATIO + 64;
	if (guess > ratio_max)
		guess = ratio_max;
	if (guess > FIRST_GUESS_MAX)
		guess = FIRST_GUESS_MAX;
	if (guess < 256)
		guess = 256;
	if (guess > lim)
		guess = lim;
	size_t size = (size_t)guess;
	uint8_t *b = malloc(size);
	if (!b)
		return AP_ERR_NOMEM;
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
		free(b);
		return AP_ERR_NOMEM;
	}
	size_t in_off = 0, have = 0;
	int err = AP_OK;
	for (;;) {
		if (have == size) {
			if (size >= lim) {
				err = AP_ERR_LIMIT;
				break;
			}
			size_t ns = (uint64_t)size * 2 > lim ? (size_t)lim : size * 2;
			uint8_t *nb = realloc(b, ns);
			if (!nb) {
				err = AP_ERR_NOMEM;
				break;
			}
			b = nb;
			size = ns;
		}
		if (z.avail_in == 0 && in_off < n) {
			size_t k = n - in_off > CHUNK_MAX ? CHUNK_MAX : n - in_off;
			z.next_in = (Bytef *)(uintptr_t)(src + in_off);
			z.avail_in = (uInt)k;
			in_off += k;
		}
		size_t room = size - have > CHUNK_MAX ? CHUNK_MAX : size - have;
		z.next_out = b + have;
		z.avail_out = (uInt)room;
		int zr = inflate(&z, Z_NO_FLUSH);
		have += room - z.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_OK || zr == Z_BUF_ERROR) {
			/* no more input and room left for output: the stream is cut short */
			if (z.avail_in == 0 && in_off >= n && z.avail_out > 0) {
				err = AP_ERR_TRUNCATED;
				break;
			}
			continue;
		}
		err = zr == Z_MEM_ERROR ? AP_ERR_NOMEM : AP_ERR_FORMAT;
		break;
	}
	inflateEnd(&z);
	if (have > cap) {
		/* the buffer holds cap + 1 bytes exactly so that one byte past the cap is seen even
		 * when the stream ends right there */
		have = (size_t)cap;
		if (err == AP_OK)
			err = AP_ERR_LIMIT;
	}
	*out = b;
	*olen = have;
	return err;
}

static uint32_t crc_of(const uint8_t *b, size_t n)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	for (size_t off = 0; off < n;) {
		size_t k = n - off > CHUNK_MAX ? CHUNK_MAX : n - off;
		crc = crc32(crc, b + off, (uInt)k);
		off += k;
	}
	return (uint32_t)crc;
}

/* The compressed bytes of entry e that lie inside the file; *cut when fewer than declared. */
static size_t entry_src(const struct ap_apk *apk, const struct ap_apk_entry *e,
			const uint8_t **src, bool *cut)
{
	const struct apk_impl *im = apk->impl;
	*src = im->buf;
	*cut = false;
	if (e->data_offset >= im->len) {
		*cut = e->comp_size > 0;
		return 0;
	}
	size_t avail = im->len - (size_t)e->data_offset;
	*src = im->buf + e->data_offset;
	if (e->comp_size > avail) {
		*cut = true;
		return avail;
	}
	return (size_t)e->comp_size;
}

/* The cap of one read and its name: what the entry is bounds it first (no parser reads more of
 * a DEX than AP_MAX_DEX_BYTES, so the container never inflates more), then the caller's per-entry
 * cap, then what is left of the per-APK budget. The smallest wins. */
static uint64_t read_cap(const struct ap_apk *apk, const struct ap_apk_entry *e, const char **name)
{
	uint64_t cap;
	switch (e->kind) {
	case AP_ENTRY_MANIFEST: *name = "AP_MAX_AXML_BYTES"; cap = AP_MAX_AXML_BYTES; break;
	case AP_ENTRY_ARSC: *name = "AP_MAX_ARSC_BYTES"; cap = AP_MAX_ARSC_BYTES; break;
	case AP_ENTRY_DEX: *name = "AP_MAX_DEX_BYTES"; cap = AP_MAX_DEX_BYTES; break;
	case AP_ENTRY_NATIVE: *name = "AP_MAX_ELF_BYTES"; cap = AP_MAX_ELF_BYTES; break;
	default: *name = "AP_MAX_ENTRY_INFLATED"; cap = AP_MAX_ENTRY_INFLATED; break;
	}
	if (apk->max_entry_inflated < cap) {
		cap = apk->max_entry_inflated;
		*name = "AP_MAX_ENTRY_INFLATED";
	}
	uint64_t left = apk->max_apk_inflated > apk->inflated_total
				? apk->max_apk_inflated - apk->inflated_total
				: 0;
	if (left < cap) {
		cap = left;
		*name = "AP_MAX_APK_INFLATED (what is left of it)";
	}
	return cap;
}

int ap_apk_read(struct ap_apk *apk, size_t i, uint8_t **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (!apk || i >= apk->n_entries)
		return AP_ERR_RANGE;
	const struct ap_apk_entry *e = &apk->entries[i];
	const char *cap_name;
	uint64_t cap = read_cap(apk, e, &cap_name);
	const uint8_t *src;
	bool cut;
	size_t n = entry_src(apk, e, &src, &cut);

	uint8_t *b = NULL;
	size_t blen = 0;
	int err;
	if (e->method == 0) {
		err = copy_bounded(src, n, cap, &b, &blen);
	} else if (e->method == 8) {
		err = inflate_bounded(src, n, e->size, cap, &b, &blen);
	} else {
		/* libziparchive extracts only methods 0 and 8; pre-N java.util.zip inflated every
		 * non-stored method. Read what the bytes are: deflate when they inflate to the
		 * declared CRC, else stored. */
		err = inflate_bounded(src, n, e->size, cap, &b, &blen);
		bool as_deflate = err == AP_ERR_LIMIT || (err == AP_OK && crc_of(b, blen) == e->crc);
		if (!as_deflate && err != AP_ERR_NOMEM) {
			free(b);
			b = NULL;
			err = copy_bounded(src, n, cap, &b, &blen);
		}
		apk_anom(apk, CK_METHOD, e->name, e->local_offset, AP_ERR_TAMPER,
			 "unknown compression method %u; the data reads as %s", e->method,
			 as_deflate ? "deflate" : "stored");
	}
	if (err == AP_ERR_NOMEM) {
		free(b);
		return AP_ERR_NOMEM;
	}
	if (cut && err == AP_OK)
		err = AP_ERR_TRUNCATED;

	if (err == AP_ERR_LIMIT)
		apk_anom(apk, CK_LIMIT, e->name, e->data_offset, AP_ERR_LIMIT,
			 "entry holds more than %s, %llu bytes (declared %llu); kept the first %zu",
			 cap_name, (unsigned long long)cap, (unsigned long long)e->size, blen);
	else if (err == AP_ERR_TRUNCATED)
		apk_anom(apk, CK_TRUNC, e->name, e->data_offset, AP_ERR_TRUNCATED,
			 "entry data cut short by the end of the file; kept %zu bytes", blen);
	else if (err == AP_ERR_FORMAT)
		apk_anom(apk, CK_ZERR, e->name, e->data_offset, AP_ERR_FORMAT,
			 "corrupt deflate stream; kept the %zu bytes before the error", blen);
	else if (err == AP_OK) {
		uint32_t crc = crc_of(b, blen);
		if (crc != e->crc)
			apk_anom(apk, CK_CRC, e->name, e->data_offset, AP_ERR_CHECKSUM,
				 "CRC-32 is %08x, the central directory says %08x", crc, e->crc);
		if (blen != e->size)
			apk_anom(apk, CK_SIZE, e->name, e->data_offset, AP_ERR_FORMAT,
				 "%zu bytes read, the central directory says %llu", blen,
				 (unsigned long long)e->size);
	}
	apk->inflated_total += blen;
	/* the entry's compressed bytes are done with: a mapped input gives their pages back */
	const struct apk_impl *im = apk->impl;
	if (n)
		ap_file_drop(im->buf, im->len, im->mapped, (size_t)(src - im->buf), n);
	*out = b;
	*len = blen;
	return err;
}

size_t apk_peek(struct ap_apk *apk, size_t i, uint8_t *out, size_t n)
{
	if (!apk || i >= apk->n_entries || n == 0)
		return 0;
	const struct ap_apk_entry *e = &apk->entries[i];
	const uint8_t *src;
	bool cut;
	size_t avail = entry_src(apk, e, &src, &cut);
	if (e->method != 0) {
		z_stream z;
		memset(&z, 0, sizeof(z));
		if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
			return 0;
		z.next_in = (Bytef *)(uintptr_t)src;
		z.avail_in = (uInt)(avail > 65536 ? 65536 : avail);
		z.next_out = out;
		z.avail_out = (uInt)n;
		int zr = inflate(&z, Z_SYNC_FLUSH);
		size_t got = n - z.avail_out;
		inflateEnd(&z);
		if (e->method == 8 || zr == Z_OK || zr == Z_STREAM_END)
			return got;
		/* an unknown method whose bytes do not inflate: read as stored */
	}
	size_t k = avail < n ? avail : n;
	if (k)
		memcpy(out, src, k);
	return k;
}
