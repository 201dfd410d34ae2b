/* The APK container: the one libzip user. Opens an APK (or a bare DEX, binary manifest or ELF)
 * and lists and reads its entries the way Android's installer does: the central directory is the
 * truth, tampering is tolerated where Android tolerates it and recorded as an anomaly. */
#ifndef AP_APK_H
#define AP_APK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_anomalies;

/* What the path turned out to be, from its magic bytes. */
enum ap_input_kind {
	AP_INPUT_UNKNOWN = 0,
	AP_INPUT_ZIP = 1,  /* APK, JAR or any zip */
	AP_INPUT_DEX = 2,  /* bare classes.dex */
	AP_INPUT_AXML = 3, /* bare binary AndroidManifest.xml (or a plain-text one) */
	AP_INPUT_ELF = 4,  /* bare .so */
};

enum ap_entry_kind {
	AP_ENTRY_OTHER = 0,
	AP_ENTRY_MANIFEST = 1, /* AndroidManifest.xml at the root */
	AP_ENTRY_DEX = 2,      /* root classes.dex, classes2.dex, ... (what ART loads) */
	AP_ENTRY_ARSC = 3,     /* resources.arsc at the root */
	AP_ENTRY_NATIVE = 4,   /* lib/<abi>/<name>.so */
	AP_ENTRY_EMBEDDED = 5, /* .dex/.jar/.apk/.zip elsewhere (assets/, res/raw/...): hidden code */
};

struct ap_apk_entry {
	char *name;           /* as in the central directory (attacker text: escape on output) */
	uint64_t size;        /* uncompressed size per the central directory */
	uint64_t comp_size;
	uint64_t local_offset; /* offset of the local header */
	uint64_t data_offset;  /* local_offset + 30 + local name len + local extra len (as Android) */
	uint32_t crc;
	uint16_t method;      /* compression method per the central directory */
	uint16_t flags;       /* general purpose bit flags */
	enum ap_entry_kind kind;
	int dex_order;        /* AP_ENTRY_DEX: 0 for classes.dex, 1 for classes2.dex, ...; else -1 */
	char abi[24];         /* AP_ENTRY_NATIVE: "arm64-v8a", ...; else "" */
	bool duplicate;       /* an earlier entry has the same name (Android refuses such APKs) */
};

struct ap_apk {
	char *path;
	enum ap_input_kind kind;
	uint64_t file_size;
	uint8_t sha256[32];   /* of the whole input file */
	char sha256_hex[65];
	struct ap_apk_entry *entries; /* central directory order; for a bare file: one entry */
	size_t n_entries;
	/* indices into entries, -1 when absent */
	int manifest;
	int arsc;
	/* root DEX entries in Android's load order (classes.dex, classes2.dex, ... up to the first
	 * gap, as ART does); indices into entries */
	int *dex;
	size_t n_dex;
	uint64_t inflated_total; /* bytes inflated so far, against max_apk_inflated */
	/* caps for ap_apk_read, set by open to AP_MAX_ENTRY_INFLATED / AP_MAX_APK_INFLATED; a
	 * caller (tests, fuzzing, embedded archives) may lower them after open */
	uint64_t max_entry_inflated;
	uint64_t max_apk_inflated;
	/* The entry list always comes from apkpriv's own bounded central-directory reader (Android's
	 * semantics); libzip opens the same bytes as a strict second opinion. used_fallback is true
	 * when libzip refused the archive (its error is an anomaly), i.e. only the Android-style
	 * reader could read it. docs/container.md explains the choice. */
	bool used_fallback;
	struct ap_anomalies *anomalies; /* borrowed; where this APK's anomalies go */
	void *impl;              /* private */
};

/* Opens path. Returns AP_OK and *out even when tampering was tolerated (anomalies say what).
 * AP_ERR_IO when the file cannot be read, AP_ERR_FORMAT when it is none of the input kinds,
 * AP_ERR_LIMIT when it is larger than AP_MAX_INPUT_FILE. anomalies may be NULL. */
int ap_apk_open(const char *path, struct ap_anomalies *anomalies, struct ap_apk **out);
/* The same over a buffer in memory (embedded APK/JAR, fuzzing). Copies what it needs. */
int ap_apk_open_mem(const uint8_t *buf, size_t len, const char *name,
		    struct ap_anomalies *anomalies, struct ap_apk **out);
void ap_apk_close(struct ap_apk *apk); /* NULL is a no-op */

/* Index of the entry with that exact name, or -1. When names repeat (Android's libziparchive
 * refuses such an archive with kDuplicateEntry; the Master Key attack relied on the native side
 * taking the first one) the first one in central-directory order is returned. */
int ap_apk_find(const struct ap_apk *apk, const char *name);

/* Reads and inflates entry i into a malloc'd buffer (*out; free() it). Caps: max_entry_inflated
 * per entry and max_apk_inflated per APK, past which it returns AP_ERR_LIMIT with the bytes
 * inflated so far in *out, *len (a partial but honest result) and an anomaly. Data cut by the end
 * of the file or a corrupt deflate stream: AP_ERR_TRUNCATED / AP_ERR_FORMAT, also with the
 * partial bytes and an anomaly. CRC mismatch is an anomaly, not an error. Method 0 is stored,
 * 8 deflated; any other method is read as deflate when the bytes inflate, else as stored
 * (anomaly either way). AP_ERR_RANGE when i is out of range (*out NULL). */
int ap_apk_read(struct ap_apk *apk, size_t i, uint8_t **out, size_t *len);

/* The sha256 of a file as 64 lowercase hex digits, read in chunks (batch matches a kept report
 * to its input before scanning). AP_ERR_IO when it cannot be read or is not a regular file. */
int ap_apk_sha256_file(const char *path, char out[65]);

const char *ap_input_kind_name(enum ap_input_kind k);
const char *ap_entry_kind_name(enum ap_entry_kind k);

#endif
