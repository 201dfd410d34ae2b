/* The input file's sha256 (nettle), the identity of the APK in every report: of a buffer (the
 * scan) or of a file read in chunks (batch, to find a report to reuse before scanning). The one
 * place apkpriv includes nettle. */
#include "apk_int.h"

#include "ap_err.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

static const char hex[] = "0123456789abcdef";

static void to_hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[65])
{
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

int ap_apk_sha256_file(const char *path, char out[65])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return AP_ERR_IO;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return AP_ERR_IO;
	}
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	uint8_t buf[1 << 16];
	for (;;) {
		ssize_t got = read(fd, buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			close(fd);
			return AP_ERR_IO;
		}
		if (got == 0)
			break;
		sha256_update(&ctx, (size_t)got, buf);
	}
	close(fd);
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof d, d);
	to_hex(d, out);
	return AP_OK;
}

void apk_sha256(struct ap_apk *apk, const uint8_t *buf, size_t len)
{
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
	to_hex(apk->sha256, apk->sha256_hex);
}
