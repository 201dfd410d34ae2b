/* dex: header_item (magic, adler32 checksum, SHA-1 signature, sizes and offsets of every table)
 * and map_list (where the call_site_ids and method_handles of DEX 038+ live). */
#include "dex_internal.h"

#include <string.h>

uint32_t dex_adler32(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;
	while (n) {
		size_t k = n < 5552 ? n : 5552; /* NMAX: the sums cannot overflow 32 bits */
		n -= k;
		/* 16 lanes: lane i sums the bytes 16c+i (vs) and those sums weighted by how many
		 * chunks follow (vb). No chain from byte to byte, so the compiler vectorises it:
		 * 2.5x the byte loop. The totals are the byte loop's. */
		uint32_t vs[16], vb[16];
		for (int i = 0; i < 16; i++)
			vs[i] = vb[i] = 0;
		size_t m = k / 16;
		for (size_t c = 0; c < m; c++, p += 16)
			for (int i = 0; i < 16; i++) {
				vb[i] += vs[i];
				vs[i] += p[i];
			}
		uint64_t s1 = 0, s2 = 0;
		for (int i = 0; i < 16; i++) {
			s1 += vs[i];
			s2 += 16 * (uint64_t)(vb[i] + vs[i]) - (uint64_t)i * vs[i];
		}
		b = (uint32_t)((b + (uint64_t)(16 * m) * a + s2) % 65521u);
		a = (uint32_t)((a + s1) % 65521u);
		for (k -= 16 * m; k--;) {
			a += *p++;
			b += a;
		}
		a %= 65521u;
		b %= 65521u;
	}
	return (b << 16) | a;
}

/* SHA-1 (FIPS 180-4): the DEX signature. dex/ depends on common/ only, so it carries its own. */
#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
		       ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		uint32_t t = ROL(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = ROL(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void dex_sha1(const uint8_t *p, size_t n, uint8_t out[20])
{
	uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
	size_t full = n / 64;
	for (size_t i = 0; i < full; i++)
		sha1_block(h, p + 64 * i);
	uint8_t tail[128];
	size_t rem = n % 64;
	memset(tail, 0, sizeof(tail));
	if (rem)
		memcpy(tail, p + 64 * full, rem);
	tail[rem] = 0x80;
	size_t tl = rem < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)n * 8;
	for (int i = 0; i < 8; i++)
		tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha1_block(h, tail);
	if (tl == 128)
		sha1_block(h, tail + 64);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}

uint32_t dex_table_fit(struct ap_dex *dex, const char *what, uint32_t off, uint32_t count,
		       uint32_t size)
{
	if (count == 0)
		return 0;
	if (count > AP_MAX_DEX_IDS) {
		dex_anom(dex, off, AP_ERR_LIMIT, "%s: %u items, more than the cap %u", what, count,
			 AP_MAX_DEX_IDS);
		count = AP_MAX_DEX_IDS;
	}
	if (off >= dex->len) {
		dex_anom(dex, off, AP_ERR_RANGE, "%s: table of %u items starts beyond file size 0x%zx",
			 what, count, dex->len);
		return 0;
	}
	uint64_t fit = (dex->len - off) / size;
	if (fit < count) {
		dex_anom(dex, off, AP_ERR_TRUNCATED,
			 "%s: table of %u items runs past end of file; %llu read", what, count,
			 (unsigned long long)fit);
		return (uint32_t)fit;
	}
	return count;
}

int dex_read_header(struct ap_dex *dex)
{
	struct ap_dex_header *h = &dex->hdr;
	h->real_size = dex->len;
	if (dex->len < 0x70 || memcmp(dex->buf, "dex\n", 4) != 0) {
		ap_anom_add(dex->an, "dex", dex->name, 0, AP_ERR_FORMAT,
			    "not a DEX file (%s)", dex->len < 0x70 ? "shorter than a header" : "bad magic");
		return AP_ERR_FORMAT;
	}
	struct ap_cur c = ap_cur_make(dex->buf, dex->len);
	memcpy(h->magic, ap_cur_bytes(&c, 8), 8);
	if (h->magic[4] == '0' && h->magic[5] == '3' && h->magic[6] >= '5' && h->magic[6] <= '9' &&
	    h->magic[7] == 0)
		h->version = 30u + (unsigned)(h->magic[6] - '0');
	else if (h->magic[4] == '0' && h->magic[5] == '4' && h->magic[6] >= '0' && h->magic[6] <= '1' &&
		 h->magic[7] == 0)
		h->version = 40u + (unsigned)(h->magic[6] - '0');
	if (!h->version)
		dex_anom(dex, 4, AP_ERR_UNSUPPORTED, "unknown DEX version; parsing as 041");
	h->checksum = ap_cur_u32le(&c);
	memcpy(h->signature, ap_cur_bytes(&c, 20), 20);
	h->file_size = ap_cur_u32le(&c);
	h->header_size = ap_cur_u32le(&c);
	h->endian_tag = ap_cur_u32le(&c);
	h->link_size = ap_cur_u32le(&c);
	h->link_off = ap_cur_u32le(&c);
	h->map_off = ap_cur_u32le(&c);
	h->string_ids_size = ap_cur_u32le(&c);
	h->string_ids_off = ap_cur_u32le(&c);
	h->type_ids_size = ap_cur_u32le(&c);
	h->type_ids_off = ap_cur_u32le(&c);
	h->proto_ids_size = ap_cur_u32le(&c);
	h->proto_ids_off = ap_cur_u32le(&c);
	h->field_ids_size = ap_cur_u32le(&c);
	h->field_ids_off = ap_cur_u32le(&c);
	h->method_ids_size = ap_cur_u32le(&c);
	h->method_ids_off = ap_cur_u32le(&c);
	h->class_defs_size = ap_cur_u32le(&c);
	h->class_defs_off = ap_cur_u32le(&c);
	h->data_size = ap_cur_u32le(&c);
	h->data_off = ap_cur_u32le(&c);

	h->checksum_real = dex_adler32(dex->buf + 12, dex->len - 12);
	h->checksum_ok = h->checksum_real == h->checksum;
	if (!h->checksum_ok)
		dex_anom(dex, 8, AP_ERR_CHECKSUM, "adler32 checksum 0x%08x does not match 0x%08x",
			 h->checksum, h->checksum_real);
	if (h->file_size != dex->len)
		dex_anom(dex, 32, AP_ERR_TAMPER, "file_size field %u but the file has %zu bytes",
			 h->file_size, dex->len);
	if (h->header_size != 0x70)
		dex_anom(dex, 36, AP_ERR_FORMAT, "header_size %u, expected 112", h->header_size);
	if (h->endian_tag != 0x12345678)
		dex_anom(dex, 40, h->endian_tag == 0x78563412 ? AP_ERR_UNSUPPORTED : AP_ERR_FORMAT,
			 "endian_tag 0x%08x; reading as little-endian", h->endian_tag);
	return AP_OK;
}

void dex_check_signature(struct ap_dex *dex)
{
	uint8_t sig[20];
	dex_sha1(dex->buf + 32, dex->len - 32, sig);
	dex->hdr.signature_checked = true;
	dex->hdr.signature_ok = memcmp(sig, dex->hdr.signature, 20) == 0;
	if (!dex->hdr.signature_ok)
		dex_anom(dex, 12, AP_ERR_CHECKSUM, "SHA-1 signature does not match the content");
}

/* dex: map_list. Only the item types the header does not locate are taken from it. */
void dex_read_map(struct ap_dex *dex)
{
	uint32_t off = dex->hdr.map_off;
	if (off == 0)
		return;
	struct ap_cur c = ap_cur_make(dex->buf, dex->len);
	ap_cur_seek(&c, off);
	uint32_t n = ap_cur_u32le(&c);
	if (!c.ok || (off & 3)) {
		dex_anom(dex, off, AP_ERR_RANGE, "map_list offset beyond file or misaligned");
		if (!c.ok)
			return;
	}
	if (n > ap_cur_avail(&c) / 12) {
		dex_anom(dex, off, AP_ERR_TRUNCATED, "map_list of %u items runs past end of file", n);
		n = (uint32_t)(ap_cur_avail(&c) / 12);
	}
	for (uint32_t i = 0; i < n; i++) {
		uint16_t type = ap_cur_u16le(&c);
		ap_cur_skip(&c, 2);
		uint32_t size = ap_cur_u32le(&c);
		uint32_t ioff = ap_cur_u32le(&c);
		if (type == 0x0007) {
			dex->cnt.call_site_ids = dex_table_fit(dex, "call_site_ids", ioff, size, 4);
			dex->call_site_ids_off = ioff;
		} else if (type == 0x0008) {
			dex->cnt.method_handles = dex_table_fit(dex, "method_handles", ioff, size, 8);
			dex->method_handles_off = ioff;
		}
	}
}
