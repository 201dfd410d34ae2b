/* Tests that hit the caps of common/ap_limits.h exactly (issue 8): at the cap the result is whole
 * and quiet; one past it the result is partial but honest (what fits is kept) and an AP_ERR_LIMIT
 * anomaly says so. Fixtures are built here (zip, AXML) or patched from kept DEX seeds. */
#include "analyzer/apk.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"
#include "ap_test.h"
#include "dex/dex.h"
#include "manifest/manifest.h"

/* the manifest tests' AXML writer, reused as is */
#include "../manifest/axml_builder.h"
#include "../manifest/axml_builder.c"
#include "limits_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- inflated bytes (zip bomb) -------------------------------------------------------------- */

#define BOMB_CAP (1u << 20) /* max_entry_inflated lowered as the API allows: same code path */

static void read_bomb(size_t n, int *rc, size_t *got, struct ap_anomalies *an)
{
	struct zb z = {0};
	zb_add_zeros(&z, "classes.dex", n);
	size_t len;
	uint8_t *zip = zb_finish(&z, &len);
	struct ap_apk *apk = NULL;
	cr_assert_eq(ap_apk_open_mem(zip, len, "bomb.apk", an, &apk), AP_OK);
	apk->max_entry_inflated = BOMB_CAP;
	uint8_t *out = NULL;
	*rc = ap_apk_read(apk, 0, &out, got);
	cr_assert(out != NULL, "a limit still returns the bytes inflated so far");
	size_t bad = 0;
	for (size_t i = 0; i < *got; i++)
		bad += out[i] != 0;
	cr_expect_eq(bad, 0, "inflated bytes differ from what was deflated");
	free(out);
	ap_apk_close(apk);
	free(zip);
}

Test(limits, entry_inflated_at_cap_is_whole)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	int rc;
	size_t got;
	read_bomb(BOMB_CAP, &rc, &got, &an);
	cr_expect_eq(rc, AP_OK);
	cr_expect_eq(got, BOMB_CAP);
	cr_expect_eq(count_anom(&an, "zip", AP_ERR_LIMIT), 0);
	ap_anom_free(&an);
}

Test(limits, entry_inflated_past_cap_is_partial)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	int rc;
	size_t got;
	read_bomb(BOMB_CAP + 1, &rc, &got, &an);
	cr_expect_eq(rc, AP_ERR_LIMIT);
	cr_expect_eq(got, BOMB_CAP, "the first %u bytes are kept, got %zu", BOMB_CAP, got);
	cr_expect_eq(count_anom(&an, "zip", AP_ERR_LIMIT), 1);
	ap_anom_free(&an);
}

/* the per-APK total: three entries of 1 MiB against a 2.5 MiB budget */
Test(limits, apk_inflated_total_cap)
{
	struct zb z = {0};
	zb_add_zeros(&z, "a", 1u << 20);
	zb_add_zeros(&z, "b", 1u << 20);
	zb_add_zeros(&z, "c", 1u << 20);
	size_t len;
	uint8_t *zip = zb_finish(&z, &len);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = NULL;
	cr_assert_eq(ap_apk_open_mem(zip, len, "total.apk", &an, &apk), AP_OK);
	apk->max_apk_inflated = (2u << 20) + (1u << 19);
	int rc[3];
	size_t got[3];
	for (size_t i = 0; i < 3; i++) {
		uint8_t *out = NULL;
		rc[i] = ap_apk_read(apk, i, &out, &got[i]);
		free(out);
	}
	cr_expect_eq(rc[0], AP_OK);
	cr_expect_eq(rc[1], AP_OK);
	cr_expect_eq(rc[2], AP_ERR_LIMIT);
	cr_expect_eq(got[2], 1u << 19, "the budget left is returned: %zu", got[2]);
	cr_expect_leq(apk->inflated_total, apk->max_apk_inflated);
	cr_expect_eq(count_anom(&an, "zip", AP_ERR_LIMIT), 1);
	ap_apk_close(apk);
	ap_anom_free(&an);
	free(zip);
}

/* ---- entries ------------------------------------------------------------------------------- */

static void entries_case(uint64_t n, size_t *kept, size_t *limit_anoms)
{
	struct zb z = {0};
	char name[32];
	for (uint64_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "e%llu", (unsigned long long)i);
		zb_add(&z, name, 0, (const uint8_t *)"x", 1, (uint32_t)crc32(0, (const Bytef *)"x", 1), 1);
	}
	size_t len;
	uint8_t *zip = zb_finish(&z, &len);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = NULL;
	cr_assert_eq(ap_apk_open_mem(zip, len, "many.apk", &an, &apk), AP_OK);
	*kept = apk->n_entries;
	*limit_anoms = count_anom(&an, "zip", AP_ERR_LIMIT);
	ap_apk_close(apk);
	ap_anom_free(&an);
	free(zip);
}

Test(limits, zip_entries_at_cap, .timeout = 300)
{
	size_t kept, lim;
	entries_case(AP_MAX_ZIP_ENTRIES, &kept, &lim);
	cr_expect_eq(kept, AP_MAX_ZIP_ENTRIES);
	cr_expect_eq(lim, 0);
}

Test(limits, zip_entries_past_cap, .timeout = 300)
{
	size_t kept, lim;
	entries_case(AP_MAX_ZIP_ENTRIES + 1ull, &kept, &lim);
	cr_expect_eq(kept, AP_MAX_ZIP_ENTRIES, "the first %u entries are kept, got %zu",
		     AP_MAX_ZIP_ENTRIES, kept);
	cr_expect_eq(lim, 1);
}

/* ---- DEX ----------------------------------------------------------------------------------- */

static void dex_ids_case(uint32_t count, struct ap_anomalies *an)
{
	size_t len;
	uint8_t *b = seed_dex(&len);
	le(b + 0x38, count, 4); /* string_ids_size */
	struct ap_dex *dex = NULL;
	ap_dex_open(b, len, "classes.dex", an, &dex);
	ap_dex_close(dex);
	free(b);
}

Test(limits, dex_ids_at_cap)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	dex_ids_case(AP_MAX_DEX_IDS, &an);
	cr_expect_eq(count_anom(&an, "dex", AP_ERR_LIMIT), 0);
	cr_expect_gt(count_anom(&an, "dex", AP_ERR_TRUNCATED), 0, "the table does not fit the file");
	ap_anom_free(&an);
}

Test(limits, dex_ids_past_cap)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	dex_ids_case(AP_MAX_DEX_IDS + 1u, &an);
	cr_expect_eq(count_anom(&an, "dex", AP_ERR_LIMIT), 1);
	ap_anom_free(&an);
}

/* insns_size of the first code_item (map item TYPE_CODE_ITEM 0x2001) set to n */
static void dex_units_case(uint32_t units, struct ap_anomalies *an, size_t *n_classes)
{
	size_t len;
	uint8_t *b = seed_dex(&len);
	uint32_t map = rd32(b + 0x34), n = rd32(b + map), code = 0;
	for (uint32_t i = 0; i < n; i++)
		if ((b[map + 4 + 12 * i] | b[map + 5 + 12 * i] << 8) == 0x2001)
			code = rd32(b + map + 12 + 12 * i);
	cr_assert(code && code + 16 <= len, "seed has no code_item");
	le(b + code + 12, units, 4);
	struct ap_dex *dex = NULL;
	ap_dex_open(b, len, "classes.dex", an, &dex);
	cr_assert(dex, "the DEX is still opened");
	*n_classes = ap_dex_counts(dex)->class_defs;
	ap_dex_close(dex);
	free(b);
}

Test(limits, code_units_at_and_past_cap)
{
	struct ap_anomalies at, past;
	ap_anom_init(&at);
	ap_anom_init(&past);
	size_t c_at, c_past;
	dex_units_case(AP_MAX_CODE_UNITS, &at, &c_at);
	dex_units_case(AP_MAX_CODE_UNITS + 1u, &past, &c_past);
	cr_expect_eq(count_anom(&at, "dex", AP_ERR_LIMIT), 0);
	cr_expect_eq(count_anom(&past, "dex", AP_ERR_LIMIT), 1);
	cr_expect_eq(c_at, c_past, "the other classes are still read");
	cr_expect_gt(c_past, 0);
	ap_anom_free(&at);
	ap_anom_free(&past);
}

/* ---- AXML depth ---------------------------------------------------------------------------- */

static void depth_case(unsigned depth, struct ap_anomalies *an, int *rc, char *pkg, size_t n)
{
	static struct axb b; /* large; one test at a time per process */
	axb_init(&b, true);
	struct axb_attr pa = {.name = "package", .type = 0x03, .str = "com.example.deep"};
	axb_start(&b, "manifest", &pa, 1);
	for (unsigned i = 1; i < depth; i++)
		axb_start(&b, "x", NULL, 0);
	for (unsigned i = 1; i < depth; i++)
		axb_end(&b, "x");
	axb_end(&b, "manifest");
	axb_finish(&b);
	struct ap_manifest *m = NULL;
	*rc = ap_mf_parse(b.out, b.len, NULL, an, &m);
	snprintf(pkg, n, "%s", m && m->package ? m->package : "");
	ap_mf_free(m);
}

Test(limits, axml_depth_at_and_past_cap)
{
	struct ap_anomalies at, past;
	ap_anom_init(&at);
	ap_anom_init(&past);
	int rc_at, rc_past;
	char p_at[64], p_past[64];
	depth_case(AP_MAX_AXML_DEPTH, &at, &rc_at, p_at, sizeof p_at);
	depth_case(AP_MAX_AXML_DEPTH + 1, &past, &rc_past, p_past, sizeof p_past);
	cr_expect_eq(count_anom(&at, "axml", AP_ERR_LIMIT), 0);
	cr_expect_eq(count_anom(&past, "axml", AP_ERR_LIMIT), 1);
	cr_expect_str_eq(p_at, "com.example.deep");
	cr_expect_str_eq(p_past, "com.example.deep", "the shallow part is still read");
	ap_anom_free(&at);
	ap_anom_free(&past);
}
