/* Container tests on archives built here: a clean APK, then one table of tricks (each a byte
 * mutation of that APK) asserting the anomaly Android-style reading records and that every
 * intact entry is still read byte for byte. */
#include "zipw.h"

#include "analyzer/apk.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <criterion/criterion.h>
#include <stdio.h>

/* one line to stderr (cr_log_* from parallel workers trips a leak inside Criterion) */
#define T_NOTE(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } while (0)
#include <criterion/parameterized.h>
#include <stdio.h>
#include <unistd.h>

#define N_BASE 7

/* The clean APK's entries: name, method, content (built by fill()). */
static const char *base_names[N_BASE] = {
	"AndroidManifest.xml", "classes.dex",	     "classes2.dex",   "res/raw/blob.bin",
	"lib/arm64-v8a/libfoo.so", "assets/payload.jar", "resources.arsc",
};
static const int base_methods[N_BASE] = {8, 8, 0, 0, 0, 8, 0};

struct fixture {
	struct zw z;
	uint8_t *content[ZW_MAX];
	size_t clen[ZW_MAX];
};

static void fill(struct fixture *f, size_t i, const char *name, size_t n)
{
	uint8_t *b = malloc(n);
	for (size_t k = 0; k < n; k++)
		b[k] = (uint8_t)("androidprivacy"[k % 14] + (k / 97) % 5);
	if (strstr(name, ".dex") || strstr(name, "blob"))
		memcpy(b, "dex\n035\0", 8);
	if (strstr(name, ".so"))
		memcpy(b, "\x7f" "ELF", 4);
	f->content[i] = b;
	f->clen[i] = n;
}

enum variant { V_BASE, V_DUP, V_GAP, V_TRAV, V_CR };

static void build(struct fixture *f, enum variant v)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < N_BASE; i++) {
		const char *name = base_names[i];
		if (v == V_GAP && i == 2)
			name = "classes3.dex";
		fill(f, i, name, 1000 + 300 * i);
		zw_add(&f->z, name, f->content[i], f->clen[i], base_methods[i]);
	}
	const char *extra = v == V_DUP ? "classes.dex" : v == V_TRAV ? "../../../data/evil.so"
			    : v == V_CR	 ? "a\rb.txt" : NULL;
	if (extra) {
		fill(f, N_BASE, "x", 777);
		zw_add(&f->z, extra, f->content[N_BASE], f->clen[N_BASE], 8);
	}
}

static void fixture_free(struct fixture *f)
{
	for (size_t i = 0; i < ZW_MAX; i++)
		free(f->content[i]);
	zw_free(&f->z);
}

static const char *anom_with(const struct ap_anomalies *an, int code, const char *needle)
{
	for (size_t i = 0; i < an->count; i++)
		if (an->items[i].code == code && strcmp(an->items[i].module, "zip") == 0 &&
		    strstr(an->items[i].what, needle))
			return an->items[i].what;
	return NULL;
}

static void dump(const struct ap_anomalies *an)
{
	for (size_t i = 0; i < an->count; i++)
		T_NOTE("anomaly %s %s: %s", ap_err_name(an->items[i].code),
			    an->items[i].where ? an->items[i].where : "-", an->items[i].what);
}

Test(apk_synth, clean_archive_lists_classifies_and_reads)
{
	struct fixture f;
	build(&f, V_BASE);
	zw_finish(&f.z, NULL, 0);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk;
	cr_assert_eq(ap_apk_open_mem(f.z.b, f.z.len, "clean.apk", &an, &apk), AP_OK);
	dump(&an);
	cr_expect_eq(an.count, 0, "a clean archive has no anomalies");
	cr_expect_eq(apk->kind, AP_INPUT_ZIP);
	cr_expect(!apk->used_fallback, "libzip accepts a clean archive");
	cr_assert_eq(apk->n_entries, N_BASE);
	cr_expect_eq(apk->manifest, 0);
	cr_expect_eq(apk->arsc, 6);
	cr_assert_eq(apk->n_dex, 2);
	cr_expect_eq(apk->dex[0], 1);
	cr_expect_eq(apk->dex[1], 2);
	cr_expect_eq(apk->entries[2].dex_order, 1);
	cr_expect_eq(apk->entries[3].kind, AP_ENTRY_EMBEDDED, "dex magic under res/ is hidden code");
	cr_expect_eq(apk->entries[4].kind, AP_ENTRY_NATIVE);
	cr_expect_str_eq(apk->entries[4].abi, "arm64-v8a");
	cr_expect_eq(apk->entries[5].kind, AP_ENTRY_EMBEDDED);
	cr_expect_eq(ap_apk_find(apk, "resources.arsc"), 6);
	cr_expect_eq(ap_apk_find(apk, "nope"), -1);
	uint64_t total = 0;
	for (size_t i = 0; i < N_BASE; i++) {
		uint8_t *b;
		size_t n;
		cr_expect_eq(ap_apk_read(apk, i, &b, &n), AP_OK, "entry %zu", i);
		cr_expect(n == f.clen[i] && memcmp(b, f.content[i], n) == 0, "entry %zu bytes", i);
		total += n;
		free(b);
	}
	cr_expect_eq(apk->inflated_total, total);
	uint8_t *b;
	size_t n;
	cr_expect_eq(ap_apk_read(apk, N_BASE, &b, &n), AP_ERR_RANGE);
	cr_expect_eq(an.count, 0);
	/* the hash is of the input bytes: compare with an independent sha256 (coreutils) */
	char tmpl[] = "/tmp/apk_synth_XXXXXX";
	int fd = mkstemp(tmpl);
	cr_assert(fd >= 0);
	FILE *fp = fdopen(fd, "wb");
	fwrite(f.z.b, 1, f.z.len, fp);
	fclose(fp);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "sha256sum %s", tmpl);
	FILE *p = popen(cmd, "r");
	char hex[65] = "";
	if (p && fscanf(p, "%64s", hex) == 1)
		cr_expect_str_eq(apk->sha256_hex, hex);
	if (p)
		pclose(p);
	unlink(tmpl);
	ap_apk_close(apk);
	ap_anom_free(&an);
	fixture_free(&f);
}

enum mut {
	M_LFH_METHOD, M_LFH_SIZES, M_LFH_NAME, M_JUNK_FIXED, M_JUNK_UNFIXED, M_MULTI_EOCD, M_GAP,
	M_TRUNC_CD, M_ENCRYPTED, M_UNKNOWN_DEFL, M_UNKNOWN_STORED, M_CRC, M_DATA_PAST_EOF,
	M_DD_MISMATCH, M_LFH_MISSING, M_BAD_DEFLATE, M_DUP, M_DEX_GAP, M_TRAV, M_CR,
};

struct tcase {
	char label[24];
	int mut;
	int code;         /* the anomaly's code */
	char needle[48];  /* and a phrase of its message */
	int target;       /* the entry the trick is on, -1 for none */
	int target_err;   /* what reading the target returns */
	int target_same;  /* the target still reads as its original bytes */
};

static void mutate(struct fixture *f, int m)
{
	struct zw *z = &f->z;
	enum variant v = m == M_DUP ? V_DUP : m == M_DEX_GAP ? V_GAP : m == M_TRAV ? V_TRAV
		       : m == M_CR  ? V_CR : V_BASE;
	build(f, v);
	if (m == M_MULTI_EOCD) {
		uint8_t pad[22] = {0};
		zw_finish(z, pad, sizeof(pad));
		memcpy(z->b + z->eocd_off + 22, z->b + z->eocd_off, 20);
		zw_set16(z, z->eocd_off + 22 + 20, 0);
		return;
	}
	zw_finish(z, NULL, 0);
	struct zw_ent *e = z->e;
	switch (m) {
	case M_LFH_METHOD: zw_set16(z, e[3].loff + 8, 8); break;
	case M_LFH_SIZES: zw_set32(z, e[0].loff + 18, e[0].csize + 1); break;
	case M_LFH_NAME: z->b[e[5].loff + 30] ^= 0x20; break;
	case M_JUNK_FIXED:
		zw_insert(z, 0, 0xAA, 100);
		for (size_t i = 0; i < z->n; i++)
			zw_set32(z, e[i].cdoff + 100 + 42, e[i].loff + 100);
		zw_set32(z, z->eocd_off + 100 + 16, (uint32_t)z->cd_off + 100);
		break;
	case M_JUNK_UNFIXED: zw_insert(z, 0, 0xAA, 100); break;
	case M_GAP: zw_insert(z, z->eocd_off, 0x55, 7); break;
	case M_TRUNC_CD:
		zw_set16(z, z->eocd_off + 8, (uint32_t)z->n + 1);
		zw_set16(z, z->eocd_off + 10, (uint32_t)z->n + 1);
		break;
	case M_ENCRYPTED:
		zw_set16(z, e[2].cdoff + 8, 1);
		zw_set16(z, e[2].loff + 6, 1);
		break;
	case M_UNKNOWN_DEFL:
		zw_set16(z, e[5].cdoff + 10, 21);
		zw_set16(z, e[5].loff + 8, 21);
		break;
	case M_UNKNOWN_STORED:
		zw_set16(z, e[3].cdoff + 10, 99);
		zw_set16(z, e[3].loff + 8, 99);
		break;
	case M_CRC:
		zw_set32(z, e[4].cdoff + 16, e[4].crc ^ 1);
		zw_set32(z, e[4].loff + 14, e[4].crc ^ 1);
		break;
	case M_DATA_PAST_EOF:
		zw_set32(z, e[6].cdoff + 20, 1u << 30);
		zw_set32(z, e[6].cdoff + 24, 1u << 30);
		break;
	case M_DD_MISMATCH: zw_set16(z, e[0].loff + 6, 8); break;
	case M_LFH_MISSING: zw_set32(z, e[4].loff, 0); break;
	case M_BAD_DEFLATE: z->b[e[5].loff + 30 + strlen(e[5].name)] = 0xff; break;
	default: break;
	}
}

ParameterizedTestParameters(apk_synth, tricks)
{
	static struct tcase cases[] = {
		{"lfh_method", M_LFH_METHOD, AP_ERR_TAMPER, "compression method 8", 3, AP_OK, 1},
		{"lfh_sizes", M_LFH_SIZES, AP_ERR_TAMPER, "sizes/CRC", 0, AP_OK, 1},
		{"lfh_name", M_LFH_NAME, AP_ERR_TAMPER, "name differs", 5, AP_OK, 1},
		{"junk_fixed", M_JUNK_FIXED, AP_ERR_TAMPER, "before the first local header", -1, 0, 0},
		{"junk_unfixed", M_JUNK_UNFIXED, AP_ERR_TAMPER, "prepended", -1, 0, 0},
		{"multi_eocd", M_MULTI_EOCD, AP_ERR_TAMPER, "end-of-central-directory records", -1,
		 0, 0},
		{"gap_cd_eocd", M_GAP, AP_ERR_TAMPER, "between the central directory", -1, 0, 0},
		{"truncated_cd", M_TRUNC_CD, AP_ERR_TRUNCATED, "central directory ends after 7", -1,
		 0, 0},
		{"encrypted_flag", M_ENCRYPTED, AP_ERR_TAMPER, "flagged encrypted", 2, AP_OK, 1},
		{"method_21_deflate", M_UNKNOWN_DEFL, AP_ERR_TAMPER, "reads as deflate", 5, AP_OK, 1},
		{"method_99_stored", M_UNKNOWN_STORED, AP_ERR_TAMPER, "reads as stored", 3, AP_OK, 1},
		{"crc_mismatch", M_CRC, AP_ERR_CHECKSUM, "CRC-32", 4, AP_OK, 1},
		{"data_past_eof", M_DATA_PAST_EOF, AP_ERR_TRUNCATED, "cut short", 6,
		 AP_ERR_TRUNCATED, 0},
		{"dd_flag_mismatch", M_DD_MISMATCH, AP_ERR_FORMAT, "data-descriptor flag", 0, AP_OK,
		 1},
		{"lfh_missing", M_LFH_MISSING, AP_ERR_FORMAT, "no local header", 4, -1, 0},
		{"bad_deflate", M_BAD_DEFLATE, AP_ERR_FORMAT, "corrupt deflate", 5, AP_ERR_FORMAT, 0},
		{"duplicate_name", M_DUP, AP_ERR_TAMPER, "duplicate entry name", 7, AP_OK, 1},
		{"dex_gap", M_DEX_GAP, AP_ERR_TAMPER, "ART does not load", 2, AP_OK, 1},
		{"path_traversal", M_TRAV, AP_ERR_TAMPER, "path traversal", 7, AP_OK, 1},
		{"cr_in_name", M_CR, AP_ERR_TAMPER, "CR or LF", 7, AP_OK, 1},
	};
	return cr_make_param_array(struct tcase, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct tcase *tc, apk_synth, tricks)
{
	struct fixture f;
	mutate(&f, tc->mut);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk;
	cr_assert_eq(ap_apk_open_mem(f.z.b, f.z.len, tc->label, &an, &apk), AP_OK, "%s",
		     tc->label);
	size_t n_ent = f.z.n;
	cr_assert_eq(apk->n_entries, n_ent, "%s: all %zu entries listed", tc->label, n_ent);
	for (size_t i = 0; i < n_ent; i++) {
		uint8_t *b;
		size_t n;
		int err = ap_apk_read(apk, i, &b, &n);
		bool same = n == f.clen[i] && memcmp(b, f.content[i], n) == 0;
		if ((int)i == tc->target) {
			if (tc->target_err >= 0)
				cr_expect_eq(err, tc->target_err, "%s: target read %s", tc->label,
					     ap_err_name(err));
			if (tc->target_same)
				cr_expect(same, "%s: target still reads its bytes", tc->label);
		} else {
			cr_expect_eq(err, AP_OK, "%s: intact entry %zu read: %s", tc->label, i,
				     ap_err_name(err));
			cr_expect(same, "%s: intact entry %zu bytes", tc->label, i);
		}
		free(b);
	}
	if (!anom_with(&an, tc->code, tc->needle)) {
		dump(&an);
		cr_expect_fail("%s: no %s anomaly saying '%s'", tc->label, ap_err_name(tc->code),
			       tc->needle);
	}
	if (tc->mut == M_DUP) {
		cr_expect_eq(ap_apk_find(apk, "classes.dex"), 1, "first of the duplicates");
		cr_expect(apk->entries[7].duplicate);
		cr_expect_eq(apk->entries[7].kind, AP_ENTRY_EMBEDDED);
		cr_expect_eq(apk->n_dex, 2);
	}
	if (tc->mut == M_DEX_GAP) {
		cr_expect_eq(apk->n_dex, 1, "ART stops at the missing classes2.dex");
		cr_expect_eq(apk->entries[2].kind, AP_ENTRY_EMBEDDED);
	}
	if (tc->mut == M_TRUNC_CD)
		cr_expect(apk->used_fallback, "libzip refuses a truncated central directory");
	ap_apk_close(apk);
	ap_anom_free(&an);
	fixture_free(&f);
}
