/* Container tests: bare inputs (DEX, AXML, ELF) presented as one entry, inputs that are nothing,
 * the inflation caps (zip bombs) and the entry-count cap. */
#include "zipw.h"

#include "analyzer/apk.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <criterion/criterion.h>
#include <stdio.h>

/* one line to stderr (cr_log_* from parallel workers trips a leak inside Criterion) */
#define T_NOTE(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } while (0)
#include <stdio.h>

static struct ap_apk *open_ok(const void *buf, size_t len, const char *name,
			      struct ap_anomalies *an)
{
	struct ap_apk *apk = NULL;
	int err = ap_apk_open_mem(buf, len, name, an, &apk);
	cr_assert_eq(err, AP_OK, "%s: %s", name, ap_err_name(err));
	return apk;
}

static void expect_reads_back(struct ap_apk *apk, size_t i, const void *buf, size_t len)
{
	uint8_t *b;
	size_t n;
	cr_expect_eq(ap_apk_read(apk, i, &b, &n), AP_OK);
	cr_expect(n == len && memcmp(b, buf, len) == 0);
	free(b);
}

Test(apk_inputs, bare_dex_is_classes_dex)
{
	uint8_t dex[112] = "dex\n039";
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_ok(dex, sizeof(dex), "/x/y/whatever.bin", &an);
	cr_expect_eq(apk->kind, AP_INPUT_DEX);
	cr_assert_eq(apk->n_entries, 1);
	cr_expect_str_eq(apk->entries[0].name, "classes.dex");
	cr_assert_eq(apk->n_dex, 1);
	cr_expect_eq(apk->dex[0], 0);
	cr_expect_eq(apk->entries[0].kind, AP_ENTRY_DEX);
	expect_reads_back(apk, 0, dex, sizeof(dex));
	cr_expect_eq(an.count, 0);
	ap_apk_close(apk);
	ap_anom_free(&an);
}

Test(apk_inputs, bare_manifest_binary_and_text)
{
	uint8_t axml[16] = {3, 0, 8, 0, 16, 0, 0, 0};
	const char *text = "\xef\xbb\xbf  <?xml version=\"1.0\"?><manifest/>";
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_ok(axml, sizeof(axml), "m.bin", &an);
	cr_expect_eq(apk->kind, AP_INPUT_AXML);
	cr_expect_eq(apk->manifest, 0);
	cr_expect_str_eq(apk->entries[0].name, "AndroidManifest.xml");
	expect_reads_back(apk, 0, axml, sizeof(axml));
	ap_apk_close(apk);
	apk = open_ok(text, strlen(text), "m.xml", &an);
	cr_expect_eq(apk->kind, AP_INPUT_AXML);
	cr_expect_eq(apk->manifest, 0);
	ap_apk_close(apk);
	ap_anom_free(&an);
}

Test(apk_inputs, bare_elf_keeps_its_name_and_abi)
{
	uint8_t elf[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	elf[18] = 183; /* EM_AARCH64 */
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_ok(elf, sizeof(elf), "/tmp/libnative-lib.so", &an);
	cr_expect_eq(apk->kind, AP_INPUT_ELF);
	cr_expect_str_eq(apk->entries[0].name, "libnative-lib.so");
	cr_expect_eq(apk->entries[0].kind, AP_ENTRY_NATIVE);
	cr_expect_str_eq(apk->entries[0].abi, "arm64-v8a");
	ap_apk_close(apk);
	ap_anom_free(&an);
}

Test(apk_inputs, garbage_and_empty_are_format_errors)
{
	struct ap_apk *apk = (struct ap_apk *)1;
	cr_expect_eq(ap_apk_open_mem((const uint8_t *)"hello world", 11, "g", NULL, &apk),
		     AP_ERR_FORMAT);
	cr_expect_null(apk);
	cr_expect_eq(ap_apk_open_mem((const uint8_t *)"", 0, "e", NULL, &apk), AP_ERR_FORMAT);
	cr_expect_eq(ap_apk_open("/nonexistent/x.apk", NULL, &apk), AP_ERR_IO);
	cr_expect_null(apk);
	ap_apk_close(NULL);
	/* a local header and nothing else: no EOCD, Android cannot open it */
	uint8_t lfh[40] = "PK\3\4";
	struct ap_anomalies an;
	ap_anom_init(&an);
	cr_expect_eq(ap_apk_open_mem(lfh, sizeof(lfh), "lfh", &an, &apk), AP_ERR_FORMAT);
	cr_expect(ap_anom_has(&an, "zip", AP_ERR_FORMAT));
	ap_anom_free(&an);
}

/* n bytes of zeros deflated, with a central directory that lies about the size */
static void build_bomb(struct zw *z, size_t n, uint32_t declared)
{
	memset(z, 0, sizeof(*z));
	uint8_t *zeros = calloc(1, n);
	zw_add(z, "assets/bomb.bin", zeros, n, 8);
	zw_add(z, "assets/b2.bin", zeros, n, 8);
	free(zeros);
	z->e[0].usize = declared;
	z->e[1].usize = declared;
	zw_finish(z, NULL, 0);
}

Test(apk_inputs, zip_bomb_stops_at_the_entry_cap)
{
	struct zw z;
	build_bomb(&z, 3u << 20, 1000);
	T_NOTE("3 MiB of zeros deflate to %u bytes", z.e[0].csize);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_ok(z.b, z.len, "bomb.apk", &an);
	apk->max_entry_inflated = 1u << 20;
	uint8_t *b;
	size_t n;
	cr_expect_eq(ap_apk_read(apk, 0, &b, &n), AP_ERR_LIMIT);
	cr_expect_eq(n, 1u << 20, "the partial bytes up to the cap");
	cr_expect(b && b[0] == 0 && b[n - 1] == 0);
	free(b);
	cr_expect(ap_anom_has(&an, "zip", AP_ERR_LIMIT));
	cr_expect_eq(apk->inflated_total, 1u << 20);
	/* exactly at the cap is not a bomb */
	apk->max_entry_inflated = 3u << 20;
	cr_expect_eq(ap_apk_read(apk, 1, &b, &n), AP_OK);
	cr_expect_eq(n, 3u << 20);
	free(b);
	ap_apk_close(apk);
	ap_anom_free(&an);
	zw_free(&z);
}

Test(apk_inputs, per_apk_cap_counts_every_read)
{
	struct zw z;
	build_bomb(&z, 600u << 10, 600u << 10);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_ok(z.b, z.len, "bomb2.apk", &an);
	apk->max_apk_inflated = 1u << 20;
	uint8_t *b;
	size_t n;
	cr_expect_eq(ap_apk_read(apk, 0, &b, &n), AP_OK);
	free(b);
	cr_expect_eq(ap_apk_read(apk, 1, &b, &n), AP_ERR_LIMIT);
	cr_expect_eq(n, (1u << 20) - (600u << 10));
	free(b);
	cr_expect_eq(ap_apk_read(apk, 0, &b, &n), AP_ERR_LIMIT, "the APK budget is spent");
	cr_expect_eq(n, 0);
	free(b);
	cr_expect_eq(apk->inflated_total, 1u << 20);
	ap_apk_close(apk);
	ap_anom_free(&an);
	zw_free(&z);
}

/* The real per-entry cap (AP_MAX_ENTRY_INFLATED): a few hundred KiB that inflate past it. */
Test(apk_inputs, zip_bomb_real_cap)
{
	size_t total = (size_t)AP_MAX_ENTRY_INFLATED + (1u << 20);
	z_stream s;
	memset(&s, 0, sizeof(s));
	deflateInit2(&s, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	static uint8_t zeros[1 << 20];
	size_t cap = 4u << 20; /* level 1 deflates 513 MiB of zeros to about 2.3 MiB */
	uint8_t *comp = malloc(cap);
	s.next_out = comp;
	s.avail_out = (uInt)cap;
	for (size_t done = 0; done < total; done += sizeof(zeros)) {
		s.next_in = zeros;
		s.avail_in = sizeof(zeros);
		deflate(&s, done + sizeof(zeros) >= total ? Z_FINISH : Z_NO_FLUSH);
	}
	size_t clen = cap - s.avail_out;
	deflateEnd(&s);
	/* wrap it by hand: the writer deflates itself, so store then patch method and sizes */
	struct zw z;
	memset(&z, 0, sizeof(z));
	zw_add(&z, "assets/big.bin", comp, clen, 0);
	z.e[0].method = 8;
	z.e[0].usize = 4096; /* the lie */
	zw_set16(&z, z.e[0].loff + 8, 8);
	zw_set32(&z, z.e[0].loff + 22, 4096);
	zw_finish(&z, NULL, 0);
	free(comp);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_ok(z.b, z.len, "bigbomb.apk", &an);
	uint8_t *b;
	size_t n;
	cr_expect_eq(ap_apk_read(apk, 0, &b, &n), AP_ERR_LIMIT);
	cr_expect_eq(n, (size_t)AP_MAX_ENTRY_INFLATED);
	free(b);
	cr_expect(ap_anom_has(&an, "zip", AP_ERR_LIMIT));
	ap_apk_close(apk);
	ap_anom_free(&an);
	zw_free(&z);
}

/* More central-directory records than AP_MAX_ZIP_ENTRIES: only a zip64 EOCD can say so. */
Test(apk_inputs, entry_count_cap)
{
	struct zw z;
	memset(&z, 0, sizeof(z));
	zw_add(&z, "a", "", 0, 0);
	uint32_t n = AP_MAX_ZIP_ENTRIES + 5;
	z.cd_off = z.len;
	for (uint32_t i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof(name), "e%06u", i);
		zw_u32(&z, 0x02014b50);
		zw_u16(&z, 20);
		zw_u16(&z, 20);
		zw_u16(&z, 0);
		zw_u16(&z, 0);
		zw_u32(&z, 0);
		zw_u32(&z, 0);
		zw_u32(&z, 0);
		zw_u32(&z, 0);
		zw_u16(&z, 7);
		zw_u16(&z, 0);
		zw_u16(&z, 0);
		zw_u16(&z, 0);
		zw_u16(&z, 0);
		zw_u32(&z, 0);
		zw_u32(&z, 0);
		zw_put(&z, name, 7);
	}
	uint64_t cd_size = z.len - z.cd_off, eocd64 = z.len;
	zw_u32(&z, 0x06064b50);
	zw_u32(&z, 44);
	zw_u32(&z, 0);
	zw_u32(&z, 45 | 45 << 16);
	zw_u32(&z, 0);
	zw_u32(&z, 0);
	zw_u32(&z, n);
	zw_u32(&z, 0);
	zw_u32(&z, n);
	zw_u32(&z, 0);
	zw_u32(&z, (uint32_t)cd_size);
	zw_u32(&z, 0);
	zw_u32(&z, (uint32_t)z.cd_off);
	zw_u32(&z, 0);
	zw_u32(&z, 0x07064b50);
	zw_u32(&z, 0);
	zw_u32(&z, (uint32_t)eocd64);
	zw_u32(&z, 0);
	zw_u32(&z, 1);
	zw_u32(&z, 0x06054b50);
	zw_u32(&z, 0);
	zw_u32(&z, 0xffffffffu);
	zw_u32(&z, 0xffffffffu);
	zw_u32(&z, 0xffffffffu);
	zw_u16(&z, 0);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_ok(z.b, z.len, "many.apk", &an);
	cr_expect_eq(apk->n_entries, AP_MAX_ZIP_ENTRIES);
	cr_expect(ap_anom_has(&an, "zip", AP_ERR_LIMIT));
	cr_expect_str_eq(apk->entries[AP_MAX_ZIP_ENTRIES - 1].name, "e065535");
	cr_expect_lt(an.count, 100, "per-check anomalies are summarised, not repeated 65536 times");
	ap_apk_close(apk);
	ap_anom_free(&an);
	zw_free(&z);
}
