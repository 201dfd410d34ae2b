/* Private to the APK container (analyzer/apk*.c): the input buffer it owns and the helpers the
 * files share. Nothing outside analyzer/apk*.c includes this. */
#ifndef AP_APK_INT_H
#define AP_APK_INT_H

#include "apk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct apk_impl {
	const uint8_t *buf; /* the whole input, owned: mapped read-only (ap_map_file) or malloc'd */
	size_t len;
	bool mapped;
	/* per-check anomaly counters, so that 65536 hostile entries give a summary, not 65536 lines */
	unsigned counts[32];
};

#define APK_ANOM_PER_CHECK 16u /* anomalies of one kind recorded per archive before summarising */

/* zip: what the Android-style reader found (apk_zipcd.c). */
/* True when an end-of-central-directory record lies where Android looks for it. */
bool apk_zip_has_eocd(const uint8_t *buf, size_t len);
/* Reads the central directory into apk->entries (Android semantics, bounded), checking every
 * local header against it. AP_OK, or AP_ERR_FORMAT when there is no usable EOCD at all. */
int apk_zip_read_cd(struct ap_apk *apk);
/* Records an anomaly of check `check` (0..31), or only counts it past APK_ANOM_PER_CHECK. */
void apk_anom(struct ap_apk *apk, unsigned check, const char *where, uint64_t offset, int code,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Adds the "N more like this" summaries; called once at the end of open. */
void apk_anom_summary(struct ap_apk *apk);

/* libzip's second opinion (apk_libzip.c): opens the same bytes, compares the listing, sets
 * apk->used_fallback and records an anomaly when libzip refuses the archive. */
void apk_libzip_check(struct ap_apk *apk);

/* Up to n of the first uncompressed bytes of entry i, without counting against the caps
 * (classification peeks at magic). Returns how many bytes were written. */
size_t apk_peek(struct ap_apk *apk, size_t i, uint8_t *out, size_t n);

/* sha256 of buf into apk->sha256 and apk->sha256_hex (apk_hash.c, nettle). */
void apk_sha256(struct ap_apk *apk, const uint8_t *buf, size_t len);

#endif
