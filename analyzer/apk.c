/* The APK container: open (sniff the input kind by its magic), list and classify entries the
 * way Android's installer and ART see them, find entries by name. The zip structures are read
 * in apk_zipcd.c, entry bytes in apk_read.c, libzip's cross-check in apk_libzip.c. */
#include "apk_int.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* check ids for apk_anom; CK_DEX_CAP is recorded once, so it is not counted (>= 32) */
enum { CK_DUP = 21, CK_DEX_GAP = 22, CK_NOZIP = 23, CK_DEX_CAP = 32 };

const char *ap_input_kind_name(enum ap_input_kind k)
{
	switch (k) {
	case AP_INPUT_ZIP: return "zip";
	case AP_INPUT_DEX: return "dex";
	case AP_INPUT_AXML: return "axml";
	case AP_INPUT_ELF: return "elf";
	default: return "unknown";
	}
}

const char *ap_entry_kind_name(enum ap_entry_kind k)
{
	switch (k) {
	case AP_ENTRY_MANIFEST: return "manifest";
	case AP_ENTRY_DEX: return "dex";
	case AP_ENTRY_ARSC: return "arsc";
	case AP_ENTRY_NATIVE: return "native";
	case AP_ENTRY_EMBEDDED: return "embedded";
	default: return "other";
	}
}

static bool is_dex_magic(const uint8_t *b, size_t n)
{
	return n >= 8 && memcmp(b, "dex\n", 4) == 0 && isdigit(b[4]) && isdigit(b[5]) &&
	       isdigit(b[6]) && b[7] == 0;
}

static enum ap_input_kind sniff(const uint8_t *b, size_t n)
{
	if (n >= 4 && memcmp(b, "PK\3\4", 4) == 0)
		return AP_INPUT_ZIP;
	if (is_dex_magic(b, n))
		return AP_INPUT_DEX;
	if (n >= 4 && memcmp(b, "\x7f" "ELF", 4) == 0)
		return AP_INPUT_ELF;
	/* binary XML: a ResChunk_header of type RES_XML_TYPE (0x0003) and header size 8. Android
	 * does not check the outer chunk's type (a known anti-analysis trick), so a header of size 8
	 * followed by a string pool chunk (type 0x0001, header size 0x1c) counts too. */
	if (n >= 8 && b[0] == 3 && b[1] == 0 && b[2] == 8 && b[3] == 0)
		return AP_INPUT_AXML;
	if (n >= 12 && b[2] == 8 && b[3] == 0 && b[8] == 1 && b[9] == 0 && b[10] == 0x1c &&
	    b[11] == 0)
		return AP_INPUT_AXML;
	size_t i = n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < n && i < 4096 && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i < n && b[i] == '<')
		return AP_INPUT_AXML;
	if (apk_zip_has_eocd(b, n))
		return AP_INPUT_ZIP; /* junk before the archive (a stub, a polyglot) */
	return AP_INPUT_UNKNOWN;
}

/* classes.dex -> 1, classesN.dex (N >= 2, no leading zero) -> N, anything else -> 0 */
static unsigned long classes_n(const char *name)
{
	if (strncmp(name, "classes", 7) != 0)
		return 0;
	const char *p = name + 7;
	if (strcmp(p, ".dex") == 0)
		return 1;
	/* a leading zero never names a DEX ART loads; classes10.dex and up do */
	if (*p < '1' || *p > '9')
		return 0;
	unsigned long n = 0;
	int digits = 0;
	while (isdigit((unsigned char)*p) && digits < 9) {
		n = n * 10 + (unsigned long)(*p++ - '0');
		digits++;
	}
	return strcmp(p, ".dex") == 0 && n >= 2 ? n : 0;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

/* lib/<abi>/<file>.so, the layout PackageManager extracts native code from */
static bool native_abi(const char *name, char abi[24])
{
	if (strncmp(name, "lib/", 4) != 0)
		return false;
	const char *a = name + 4, *slash = strchr(a, '/');
	if (!slash || slash == a || strchr(slash + 1, '/') || !ends_with_ci(slash + 1, ".so"))
		return false;
	size_t n = (size_t)(slash - a);
	if (n > 23)
		n = 23;
	memcpy(abi, a, n);
	abi[n] = '\0';
	return true;
}

struct ord {
	const char *name;
	unsigned long n;
	size_t i;
};

static int by_name(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

static int by_n(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	if (x->n != y->n)
		return (x->n > y->n) - (x->n < y->n);
	return (x->i > y->i) - (x->i < y->i);
}

static void mark_duplicates(struct ap_apk *apk, struct ord *o)
{
	size_t n = apk->n_entries;
	for (size_t i = 0; i < n; i++)
		o[i] = (struct ord){apk->entries[i].name, 0, i};
	qsort(o, n, sizeof(*o), by_name);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(o[i].name, o[i - 1].name) != 0)
			continue;
		struct ap_apk_entry *e = &apk->entries[o[i].i];
		e->duplicate = true;
		apk_anom(apk, CK_DUP, e->name, e->local_offset, AP_ERR_TAMPER,
			 "duplicate entry name (Android refuses such an archive: kDuplicateEntry); "
			 "apkpriv uses the first and reports this one as hidden");
	}
}

/* ART loads classes.dex, classes2.dex, ... and stops at the first missing N. */
static int order_dex(struct ap_apk *apk, struct ord *o)
{
	size_t k = 0;
	for (size_t i = 0; i < apk->n_entries; i++) {
		unsigned long n = classes_n(apk->entries[i].name);
		if (n)
			o[k++] = (struct ord){apk->entries[i].name, n, i};
	}
	qsort(o, k, sizeof(*o), by_n);
	apk->dex = malloc((k ? k : 1) * sizeof(*apk->dex));
	if (!apk->dex)
		return AP_ERR_NOMEM;
	unsigned long expect = 1;
	size_t over = 0; /* root DEX files ART loads but past AP_MAX_DEX_FILES */
	const struct ap_apk_entry *first_over = NULL;
	for (size_t j = 0; j < k; j++) {
		struct ap_apk_entry *e = &apk->entries[o[j].i];
		if (o[j].n == expect && !e->duplicate) {
			e->kind = AP_ENTRY_DEX;
			expect++;
			if (apk->n_dex < AP_MAX_DEX_FILES) {
				e->dex_order = (int)apk->n_dex;
				apk->dex[apk->n_dex++] = (int)o[j].i;
			} else if (!over++) {
				first_over = e; /* listed as DEX, not analysed */
			}
			continue;
		}
		e->kind = AP_ENTRY_EMBEDDED;
		if (!e->duplicate)
			apk_anom(apk, CK_DEX_GAP, e->name, e->local_offset, AP_ERR_TAMPER,
				 "root DEX that ART does not load (classes%s.dex is missing); reported "
				 "as hidden code", expect == 1 ? "" : "N");
	}
	if (over)
		apk_anom(apk, CK_DEX_CAP, first_over->name, first_over->local_offset, AP_ERR_LIMIT,
			 "%zu root DEX files past the cap of %u (AP_MAX_DEX_FILES), from this one on: "
			 "listed, not analysed", over, AP_MAX_DEX_FILES);
	return AP_OK;
}

static int classify(struct ap_apk *apk)
{
	size_t n = apk->n_entries;
	struct ord *o = malloc((n ? n : 1) * sizeof(*o));
	if (!o)
		return AP_ERR_NOMEM;
	mark_duplicates(apk, o);
	for (size_t i = 0; i < n; i++) {
		struct ap_apk_entry *e = &apk->entries[i];
		const char *s = e->name;
		size_t len = strlen(s);
		if (strcmp(s, "AndroidManifest.xml") == 0 && !e->duplicate) {
			e->kind = AP_ENTRY_MANIFEST;
			apk->manifest = (int)i;
		} else if (strcmp(s, "resources.arsc") == 0 && !e->duplicate) {
			e->kind = AP_ENTRY_ARSC;
			apk->arsc = (int)i;
		} else if (classes_n(s)) {
			continue; /* order_dex decides */
		} else if (native_abi(s, e->abi)) {
			e->kind = AP_ENTRY_NATIVE;
		} else if (len && s[len - 1] == '/') {
			e->kind = AP_ENTRY_OTHER; /* a directory */
		} else if (ends_with_ci(s, ".dex") || ends_with_ci(s, ".jar") ||
			   ends_with_ci(s, ".apk") || ends_with_ci(s, ".zip") || e->duplicate) {
			e->kind = AP_ENTRY_EMBEDDED;
		} else {
			uint8_t m[8];
			if (is_dex_magic(m, apk_peek(apk, i, m, sizeof(m))))
				e->kind = AP_ENTRY_EMBEDDED;
		}
	}
	int err = order_dex(apk, o);
	free(o);
	return err;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ELF e_machine -> Android ABI directory name */
static const char *elf_abi(const uint8_t *b, size_t n)
{
	if (n < 20)
		return "";
	unsigned m = b[5] == 2 ? (unsigned)(b[18] << 8 | b[19]) : (unsigned)(b[18] | b[19] << 8);
	switch (m) {
	case 3: return "x86";
	case 8: return b[4] == 2 ? "mips64" : "mips";
	case 40: return "armeabi-v7a";
	case 62: return "x86_64";
	case 183: return "arm64-v8a";
	case 243: return "riscv64";
	default: return "";
	}
}

/* A bare DEX, manifest or .so is presented as an archive of one entry. */
static int open_bare(struct ap_apk *apk, const char *name)
{
	struct apk_impl *im = apk->impl;
	apk->entries = calloc(1, sizeof(*apk->entries));
	if (!apk->entries)
		return AP_ERR_NOMEM;
	struct ap_apk_entry *e = &apk->entries[0];
	const char *ename = apk->kind == AP_INPUT_DEX	 ? "classes.dex"
			    : apk->kind == AP_INPUT_AXML ? "AndroidManifest.xml"
			    : name && *base_name(name)	 ? base_name(name)
							 : "lib.so";
	e->name = strdup(ename);
	if (!e->name)
		return AP_ERR_NOMEM;
	apk->n_entries = 1;
	e->size = e->comp_size = im->len;
	uLong crc = crc32(0L, Z_NULL, 0);
	for (size_t off = 0; off < im->len;) {
		size_t k = im->len - off > (1u << 30) ? (1u << 30) : im->len - off;
		crc = crc32(crc, im->buf + off, (uInt)k);
		off += k;
	}
	e->crc = (uint32_t)crc;
	e->dex_order = -1;
	int err = classify(apk);
	if (err == AP_OK && apk->kind == AP_INPUT_ELF) {
		e->kind = AP_ENTRY_NATIVE;
		snprintf(e->abi, sizeof(e->abi), "%s", elf_abi(im->buf, im->len));
	}
	return err;
}

/* Takes ownership of buf (mapped when mapped, else malloc'd) in every case. */
static int open_owned(const uint8_t *buf, size_t len, bool mapped, const char *name,
		      struct ap_anomalies *anomalies, struct ap_apk **out)
{
	*out = NULL;
	struct ap_apk *apk = calloc(1, sizeof(*apk));
	struct apk_impl *im = calloc(1, sizeof(*im));
	if (!apk || !im) {
		free(apk);
		free(im);
		ap_unmap_file(buf, len, mapped);
		return AP_ERR_NOMEM;
	}
	im->buf = buf;
	im->len = len;
	im->mapped = mapped;
	apk->impl = im;
	apk->anomalies = anomalies;
	apk->manifest = apk->arsc = -1;
	apk->max_entry_inflated = AP_MAX_ENTRY_INFLATED;
	apk->max_apk_inflated = AP_MAX_APK_INFLATED;
	apk->file_size = len;
	apk->path = strdup(name ? name : "(memory)");
	if (!apk->path) {
		ap_apk_close(apk);
		return AP_ERR_NOMEM;
	}
	apk_sha256(apk, buf, len);
	apk->kind = sniff(buf, len);
	int err;
	switch (apk->kind) {
	case AP_INPUT_ZIP:
		err = apk_zip_read_cd(apk);
		if (err == AP_ERR_FORMAT)
			apk_anom(apk, CK_NOZIP, NULL, AP_OFFSET_NONE, AP_ERR_FORMAT,
				 "zip local header but no end-of-central-directory record in the "
				 "last 64 KiB; Android cannot open it");
		if (err == AP_OK)
			apk_libzip_check(apk);
		if (err == AP_OK)
			err = classify(apk);
		break;
	case AP_INPUT_DEX:
	case AP_INPUT_AXML:
	case AP_INPUT_ELF:
		err = open_bare(apk, name);
		break;
	default:
		err = AP_ERR_FORMAT;
		break;
	}
	apk_anom_summary(apk);
	if (err != AP_OK) {
		ap_apk_close(apk);
		return err;
	}
	/* hashing and the listing touched every page: hand them back; each entry read maps in
	 * only its own bytes again (apk_read.c) */
	ap_file_drop(buf, len, mapped, 0, len);
	*out = apk;
	return AP_OK;
}

int ap_apk_open(const char *path, struct ap_anomalies *anomalies, struct ap_apk **out)
{
	*out = NULL;
	const uint8_t *buf;
	size_t len;
	bool mapped;
	int err = ap_map_file(path, (size_t)AP_MAX_INPUT_FILE, &buf, &len, &mapped);
	if (err != AP_OK)
		return err;
	return open_owned(buf, len, mapped, path, anomalies, out);
}

int ap_apk_open_mem(const uint8_t *buf, size_t len, const char *name,
		    struct ap_anomalies *anomalies, struct ap_apk **out)
{
	*out = NULL;
	if ((uint64_t)len > AP_MAX_INPUT_FILE)
		return AP_ERR_LIMIT;
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		return AP_ERR_NOMEM;
	if (len)
		memcpy(copy, buf, len);
	return open_owned(copy, len, false, name, anomalies, out);
}

void ap_apk_close(struct ap_apk *apk)
{
	if (!apk)
		return;
	for (size_t i = 0; i < apk->n_entries; i++)
		free(apk->entries[i].name);
	free(apk->entries);
	free(apk->dex);
	free(apk->path);
	struct apk_impl *im = apk->impl;
	if (im)
		ap_unmap_file(im->buf, im->len, im->mapped);
	free(im);
	free(apk);
}

int ap_apk_find(const struct ap_apk *apk, const char *name)
{
	if (!apk || !name)
		return -1;
	for (size_t i = 0; i < apk->n_entries; i++)
		if (strcmp(apk->entries[i].name, name) == 0)
			return (int)i;
	return -1;
}
