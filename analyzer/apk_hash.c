/* The input file's sha256 (nettle), the identity of the APK in every report. */
#include "apk_int.h"

#include <nettle/sha2.h>

void apk_sha256(struct ap_apk *apk, const uint8_t *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	/* nettle takes size_t lengths; feed in chunks anyway so no length is ever narrowed */
	size_t off = 0;
	while (off < len) {
		size_t n = len - off > (1u << 30) ? (1u << 30) : len - off;
		sha256_update(&ctx, n, buf + off);
		off += n;
	}
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, apk->sha256);
	for (size_t i = 0; i < 32; i++) {
		apk->sha256_hex[2 * i] = hex[apk->sha256[i] >> 4];
		apk->sha256_hex[2 * i + 1] = hex[apk->sha256[i] & 15];
	}
	apk->sha256_hex[64] = '\0';
}
