/* The Android-style zip reader: finds the end-of-central-directory record the way libziparchive
 * does (the last one within 64 KiB + 22 bytes of the end), reads the central directory with the
 * cursor, and checks each local header against it. The central directory is the truth; every
 * disagreement is an anomaly, never a reason to stop. */
#include "apk_int.h"

#include "ap_cursor.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIG_LFH 0x04034b50u
#define SIG_CDR 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_EOCD64_LOC 0x07064b50u
#define EOCD_LEN 22u
#define CDR_LEN 46u
#define LFH_LEN 30u
#define MAX_COMMENT 65535u

#define FLAG_ENCRYPTED 0x0001u
#define FLAG_DATA_DESC 0x0008u

/* check ids for apk_anom (counted separately, see apk_int.h) */
enum {
	CK_EOCD = 0, CK_MULTI_EOCD, CK_CD_GAP, CK_CD_TRUNC, CK_JUNK, CK_COUNT, CK_DISK,
	CK_NAME_TRAV, CK_NAME_CTRL, CK_NAME_UTF8, CK_NAME_LONG, CK_ENCRYPTED, CK_LFH_BAD,
	CK_LFH_METHOD, CK_LFH_NAME, CK_LFH_SIZES, CK_LFH_DD, CK_DATA_RANGE, CK_LFH_OFFSET,
	CK_EMPTY, CK_ZIP64, CK_METHOD = 31,
};

void apk_anom(struct ap_apk *apk, unsigned check, const char *where, uint64_t offset, int code,
	      const char *fmt, ...)
{
	struct apk_impl *im = apk->impl;
	if (check < 32 && im->counts[check]++ >= APK_ANOM_PER_CHECK)
		return;
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ap_anom_add(apk->anomalies, "zip", where, offset, code, "%s", what);
}

void apk_anom_summary(struct ap_apk *apk)
{
	struct apk_impl *im = apk->impl;
	for (unsigned i = 0; i < 32; i++)
		if (im->counts[i] > APK_ANOM_PER_CHECK)
			ap_anom_add(apk->anomalies, "zip", NULL, AP_OFFSET_NONE, AP_ERR_LIMIT,
				    "%u more anomalies of check %u not recorded individually",
				    im->counts[i] - APK_ANOM_PER_CHECK, i);
}

struct eocd {
	size_t off;       /* where the record starts */
	uint64_t n_total; /* records in the central directory */
	uint64_t cd_size;
	uint64_t cd_off;
};

/* libziparchive's MapCentralDirectory: scan backwards from the end over at most
 * 65535 + 22 bytes; the first signature found (the last in the file) wins. Returns the number of
 * plausible EOCD records in that window (0 when none). */
static unsigned scan_eocd(const uint8_t *buf, size_t len, size_t *found)
{
	if (len < EOCD_LEN)
		return 0;
	size_t window = len < MAX_COMMENT + EOCD_LEN ? len : MAX_COMMENT + EOCD_LEN;
	size_t lo = len - window;
	unsigned n = 0;
	bool ok = true;
	for (size_t i = len - EOCD_LEN + 1; i-- > lo;) {
		if (buf[i] != 0x50 || ap_rd_u32le(buf, len, i, &ok) != SIG_EOCD)
			continue;
		uint16_t clen = ap_rd_u16le(buf, len, i + 20, &ok);
		if (!ap_range_ok(len, i + EOCD_LEN, clen))
			continue; /* a signature whose comment runs past EOF is not a record */
		if (n++ == 0)
			*found = i;
	}
	return n;
}

bool apk_zip_has_eocd(const uint8_t *buf, size_t len)
{
	size_t off;
	return scan_eocd(buf, len, &off) > 0;
}

static bool read_eocd(struct ap_apk *apk, const uint8_t *buf, size_t len, struct eocd *e)
{
	unsigned n = scan_eocd(buf, len, &e->off);
	if (n == 0)
		return false;
	if (n > 1)
		apk_anom(apk, CK_MULTI_EOCD, NULL, e->off, AP_ERR_TAMPER,
			 "%u end-of-central-directory records in the last 64 KiB; using the last one, "
			 "as Android does", n);
	struct ap_cur c = ap_cur_sub(buf, len, e->off, EOCD_LEN);
	ap_cur_skip(&c, 4);
	uint16_t disk = ap_cur_u16le(&c), cd_disk = ap_cur_u16le(&c);
	uint16_t n_this = ap_cur_u16le(&c), n_total = ap_cur_u16le(&c);
	uint32_t cd_size = ap_cur_u32le(&c), cd_off = ap_cur_u32le(&c);
	e->n_total = n_total;
	e->cd_size = cd_size;
	e->cd_off = cd_off;
	if (disk != 0 || cd_disk != 0)
		apk_anom(apk, CK_DISK, NULL, e->off, AP_ERR_UNSUPPORTED,
			 "multi-disk archive fields (disk %u, cd disk %u); Android refuses it", disk,
			 cd_disk);
	if (n_this != n_total)
		apk_anom(apk, CK_DISK, NULL, e->off, AP_ERR_FORMAT,
			 "EOCD entry counts disagree (%u on this disk, %u in total); Android refuses it",
			 n_this, n_total);
	/* zip64: the 32-bit fields are saturated and a locator sits just before the EOCD */
	if ((n_total == 0xffff || cd_size == 0xffffffffu || cd_off == 0xffffffffu) && e->off >= 20) {
		struct ap_cur l = ap_cur_sub(buf, len, e->off - 20, 20);
		if (ap_cur_u32le(&l) == SIG_EOCD64_LOC) {
			ap_cur_skip(&l, 4);
			uint64_t off64 = ap_cur_u64le(&l);
			struct ap_cur z = ap_cur_sub(buf, len, off64 < len ? (size_t)off64 : len, 56);
			if (l.ok && ap_cur_u32le(&z) == SIG_EOCD64) {
				ap_cur_skip(&z, 20);
				ap_cur_skip(&z, 8);
				uint64_t tot = ap_cur_u64le(&z), sz = ap_cur_u64le(&z);
				uint64_t co = ap_cur_u64le(&z);
				if (z.ok) {
					e->n_total = tot;
					e->cd_size = sz;
					e->cd_off = co;
				}
			}
			if (!z.ok)
				apk_anom(apk, CK_ZIP64, NULL, e->off - 20, AP_ERR_FORMAT,
					 "zip64 locator points to no zip64 EOCD record");
		}
	}
	return true;
}

/* One record of the central directory, with its zip64 extra applied. */
struct cdr {
	uint16_t flags, method;
	uint32_t crc;
	uint64_t csize, usize, loff;
	const uint8_t *name;
	uint16_t nlen;
};

static void apply_zip64_extra(struct cdr *r, const uint8_t *extra, size_t elen)
{
	struct ap_cur x = ap_cur_make(extra, elen);
	while (ap_cur_avail(&x) >= 4) {
		uint16_t id = ap_cur_u16le(&x), sz = ap_cur_u16le(&x);
		struct ap_cur f = ap_cur_sub(extra, elen, x.off, sz);
		ap_cur_skip(&x, sz);
		if (!x.ok || id != 0x0001)
			continue;
		if (r->usize == 0xffffffffu && ap_cur_avail(&f) >= 8)
			r->usize = ap_cur_u64le(&f);
		if (r->csize == 0xffffffffu && ap_cur_avail(&f) >= 8)
			r->csize = ap_cur_u64le(&f);
		if (r->loff == 0xffffffffu && ap_cur_avail(&f) >= 8)
			r->loff = ap_cur_u64le(&f);
		return;
	}
}

/* Valid UTF-8 per libziparchive's IsValidEntryName (which also rejects NUL). */
static bool utf8_ok(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t b = s[i];
		size_t k = b < 0x80 ? 0 : (b & 0xe0) == 0xc0 ? 1 : (b & 0xf0) == 0xe0 ? 2
				 : (b & 0xf8) == 0xf0 ? 3 : 9;
		if (k == 9 || k > n - i - 1)
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

static void check_name(struct ap_apk *apk, const struct cdr *r, const char *name, uint64_t at)
{
	const uint8_t *s = r->name;
	size_t n = r->nlen;
	if (n == 0)
		apk_anom(apk, CK_NAME_CTRL, name, at, AP_ERR_FORMAT, "empty entry name");
	if (memchr(s, 0, n))
		apk_anom(apk, CK_NAME_CTRL, name, at, AP_ERR_TAMPER,
			 "entry name contains a NUL byte (Android refuses it); kept up to the NUL");
	else if (memchr(s, '\r', n) || memchr(s, '\n', n))
		apk_anom(apk, CK_NAME_CTRL, name, at, AP_ERR_TAMPER,
			 "entry name contains CR or LF (breaks JAR manifest parsing)");
	else if (!utf8_ok(s, n))
		apk_anom(apk, CK_NAME_UTF8, name, at, AP_ERR_FORMAT,
			 "entry name is not valid UTF-8 (Android refuses it)");
	bool trav = n > 0 && (s[0] == '/' || s[0] == '\\');
	for (size_t i = 0; !trav && i < n; i++) {
		bool start = i == 0 || s[i - 1] == '/' || s[i - 1] == '\\';
		if (start && n - i >= 2 && s[i] == '.' && s[i + 1] == '.' &&
		    (n - i == 2 || s[i + 2] == '/' || s[i + 2] == '\\'))
			trav = true;
	}
	if (trav)
		apk_anom(apk, CK_NAME_TRAV, name, at, AP_ERR_TAMPER,
			 "path traversal or absolute entry name");
}

/* Compares the local header with the central directory record and sets e->data_offset. */
static void check_local(struct ap_apk *apk, struct ap_apk_entry *e, const struct cdr *r,
			uint64_t lfh, uint64_t cd_start)
{
	struct apk_impl *im = apk->impl;
	const uint8_t *buf = im->buf;
	size_t len = im->len;
	if (lfh >= cd_start)
		apk_anom(apk, CK_LFH_OFFSET, e->name, lfh, AP_ERR_RANGE,
			 "local header offset at or after the central directory (Android refuses it)");
	struct ap_cur c = ap_cur_sub(buf, len, lfh < len ? (size_t)lfh : len, LFH_LEN);
	uint32_t sig = ap_cur_u32le(&c);
	ap_cur_skip(&c, 2);
	uint16_t lflags = ap_cur_u16le(&c), lmethod = ap_cur_u16le(&c);
	ap_cur_skip(&c, 4);
	uint32_t lcrc = ap_cur_u32le(&c), lcsize = ap_cur_u32le(&c), lusize = ap_cur_u32le(&c);
	uint16_t lnlen = ap_cur_u16le(&c), lelen = ap_cur_u16le(&c);
	if (!c.ok || sig != SIG_LFH) {
		apk_anom(apk, CK_LFH_BAD, e->name, lfh, AP_ERR_FORMAT,
			 "no local header where the central directory points; guessing the data "
			 "offset from the central directory's lengths");
		e->data_offset = lfh + LFH_LEN + r->nlen;
		return;
	}
	e->data_offset = lfh + LFH_LEN + lnlen + lelen;
	if (lmethod != r->method)
		apk_anom(apk, CK_LFH_METHOD, e->name, lfh, AP_ERR_TAMPER,
			 "local header says compression method %u, central directory %u; using the "
			 "central directory's, as Android does", lmethod, r->method);
	const uint8_t *lname = ap_range_ok(len, lfh + LFH_LEN, lnlen) ? buf + lfh + LFH_LEN : NULL;
	if (!lname || lnlen != r->nlen || memcmp(lname, r->name, lnlen) != 0)
		apk_anom(apk, CK_LFH_NAME, e->name, lfh, AP_ERR_TAMPER,
			 "local header name differs from the central directory's");
	if ((lflags & FLAG_DATA_DESC) != (r->flags & FLAG_DATA_DESC))
		apk_anom(apk, CK_LFH_DD, e->name, lfh, AP_ERR_FORMAT,
			 "data-descriptor flag differs between local header and central directory");
	/* with a data descriptor the local sizes are zero by design (libziparchive then checks only
	 * the descriptor), so non-zero ones that disagree are the BadPack trick; otherwise they must
	 * agree */
	bool lzero = lcsize == 0 && lusize == 0 && lcrc == 0;
	if (!((lflags & FLAG_DATA_DESC) && lzero) && lcsize != 0xffffffffu &&
	    (lcsize != r->csize || lusize != r->usize || lcrc != r->crc))
		apk_anom(apk, CK_LFH_SIZES, e->name, lfh, AP_ERR_TAMPER,
			 "local header sizes/CRC (%u/%u/%08x) differ from the central directory's "
			 "(%llu/%llu/%08x); using the central directory's", lcsize, lusize, lcrc,
			 (unsigned long long)r->csize, (unsigned long long)r->usize, r->crc);
	if (!ap_range_ok(len, e->data_offset, r->csize))
		apk_anom(apk, CK_DATA_RANGE, e->name, e->data_offset, AP_ERR_TRUNCATED,
			 "entry data (%llu bytes) runs past the end of the file",
			 (unsigned long long)r->csize);
}

static char *dup_name(const uint8_t *s, size_t n)
{
	if (n > AP_MAX_ENTRY_NAME)
		n = AP_MAX_ENTRY_NAME;
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Where the central directory really starts. Offsets in the EOCD are absolute; when the bytes
 * there are not a CD record but the CD does sit right before the EOCD, the archive had junk
 * prepended without fixing its offsets (what `cat stub.bin x.zip` makes); libzip and unzip
 * tolerate that, Android does not. Returns the shift to add to every offset. */
static uint64_t cd_shift(struct ap_apk *apk, const struct eocd *e)
{
	struct apk_impl *im = apk->impl;
	bool ok = true;
	if (e->n_total == 0 || e->cd_size == 0)
		return 0;
	if (e->cd_off < im->len && ap_rd_u32le(im->buf, im->len, e->cd_off, &ok) == SIG_CDR && ok)
		return 0;
	if (e->cd_size <= e->off && e->cd_off < e->off - e->cd_size) {
		uint64_t real = e->off - e->cd_size;
		ok = true;
		if (ap_rd_u32le(im->buf, im->len, real, &ok) == SIG_CDR && ok) {
			uint64_t shift = real - e->cd_off;
			apk_anom(apk, CK_JUNK, NULL, 0, AP_ERR_TAMPER,
				 "%llu bytes prepended to the archive without adjusting its offsets "
				 "(Android refuses this; libzip and unzip accept it)",
				 (unsigned long long)shift);
			return shift;
		}
	}
	return 0;
}

int apk_zip_read_cd(struct ap_apk *apk)
{
	struct apk_impl *im = apk->impl;
	const uint8_t *buf = im->buf;
	size_t len = im->len;
	struct eocd e;
	if (!read_eocd(apk, buf, len, &e))
		return AP_ERR_FORMAT;

	uint64_t shift = cd_shift(apk, &e);
	uint64_t cd_start = e.cd_off + shift;
	uint64_t cd_end;
	if (cd_start > e.off || e.cd_size > e.off - cd_start) {
		apk_anom(apk, CK_CD_TRUNC, NULL, e.off, AP_ERR_TRUNCATED,
			 "central directory (offset %llu, size %llu) overlaps the EOCD at %zu; reading "
			 "the records that fit (Android refuses it)",
			 (unsigned long long)e.cd_off, (unsigned long long)e.cd_size, e.off);
		cd_end = e.off;
		if (cd_start > cd_end)
			cd_start = cd_end;
	} else {
		cd_end = cd_start + e.cd_size;
		if (cd_end < e.off)
			apk_anom(apk, CK_CD_GAP, NULL, cd_end, AP_ERR_TAMPER,
				 "%llu bytes between the central directory and the EOCD (Android "
				 "accepts this; strict zip readers do not)",
				 (unsigned long long)(e.off - cd_end));
	}
	if (e.n_total == 0)
		apk_anom(apk, CK_EMPTY, NULL, e.off, AP_ERR_FORMAT,
			 "the archive has no entries (Android refuses an empty archive)");

	uint64_t want = e.n_total;
	if (want > AP_MAX_ZIP_ENTRIES) {
		apk_anom(apk, CK_COUNT, NULL, e.off, AP_ERR_LIMIT,
			 "%llu entries declared, reading the first %u (AP_MAX_ZIP_ENTRIES)",
			 (unsigned long long)want, AP_MAX_ZIP_ENTRIES);
		want = AP_MAX_ZIP_ENTRIES;
	}
	/* never allocate by the declared count beyond what the CD bytes can hold */
	uint64_t fit = (cd_end - cd_start) / CDR_LEN;
	size_t n_alloc = (size_t)(want < fit ? want : fit);
	apk->entries = calloc(n_alloc ? n_alloc : 1, sizeof(*apk->entries));
	if (!apk->entries)
		return AP_ERR_NOMEM;

	struct ap_cur c = ap_cur_sub(buf, len, (size_t)cd_start, (size_t)(cd_end - cd_start));
	uint64_t min_lfh = UINT64_MAX;
	size_t n = 0;
	for (uint64_t i = 0; i < want; i++) {
		size_t at = c.off;
		struct cdr r;
		uint32_t sig = ap_cur_u32le(&c);
		ap_cur_skip(&c, 4);
		r.flags = ap_cur_u16le(&c);
		r.method = ap_cur_u16le(&c);
		ap_cur_skip(&c, 4);
		r.crc = ap_cur_u32le(&c);
		r.csize = ap_cur_u32le(&c);
		r.usize = ap_cur_u32le(&c);
		r.nlen = ap_cur_u16le(&c);
		uint16_t elen = ap_cur_u16le(&c), clen = ap_cur_u16le(&c);
		ap_cur_skip(&c, 8);
		r.loff = ap_cur_u32le(&c);
		r.name = ap_cur_bytes(&c, r.nlen);
		const uint8_t *extra = ap_cur_bytes(&c, elen);
		ap_cur_skip(&c, clen);
		if (!c.ok || sig != SIG_CDR || n >= n_alloc) {
			apk_anom(apk, CK_CD_TRUNC, NULL, cd_start + at, AP_ERR_TRUNCATED,
				 "central directory ends after %zu of %llu records; keeping those",
				 n, (unsigned long long)e.n_total);
			break;
		}
		apply_zip64_extra(&r, extra, elen);
		struct ap_apk_entry *en = &apk->entries[n];
		en->name = dup_name(r.name, r.nlen);
		if (!en->name)
			return AP_ERR_NOMEM;
		n++;
		apk->n_entries = n;
		en->size = r.usize;
		en->comp_size = r.csize;
		en->local_offset = r.loff + shift;
		en->crc = r.crc;
		en->method = r.method;
		en->flags = r.flags;
		en->dex_order = -1;
		if (r.nlen > AP_MAX_ENTRY_NAME)
			apk_anom(apk, CK_NAME_LONG, en->name, cd_start + at, AP_ERR_LIMIT,
				 "entry name of %u bytes cut to %u", r.nlen, AP_MAX_ENTRY_NAME);
		check_name(apk, &r, en->name, cd_start + at);
		if (r.flags & FLAG_ENCRYPTED)
			apk_anom(apk, CK_ENCRYPTED, en->name, cd_start + at, AP_ERR_TAMPER,
				 "entry flagged encrypted; Android ignores the flag, read as plain");
		if (r.method != 0 && r.method != 8)
			apk_anom(apk, CK_METHOD, en->name, cd_start + at, AP_ERR_TAMPER,
				 "compression method %u (Android extracts only 0 and 8)", r.method);
		check_local(apk, en, &r, en->local_offset, cd_start);
		if (en->local_offset < min_lfh)
			min_lfh = en->local_offset;
	}
	if (n > 0 && shift == 0 && min_lfh > 0 && min_lfh != UINT64_MAX)
		apk_anom(apk, CK_JUNK, NULL, 0, AP_ERR_TAMPER,
			 "%llu bytes of data before the first local header", (unsigned long long)min_lfh);
	return AP_OK;
}
