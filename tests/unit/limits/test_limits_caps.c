/* The caps test_limits.c does not reach, hit exactly at their real values (issue 8): DEX size, DEX
 * files per APK, class_defs per DEX, findings per report. At the cap: whole, no `limit` anomaly;
 * one past it: exactly one `limit` anomaly naming the cap, a partial result, the kept part
 * checked. Fixtures are built from the kept DEX seed or written as text; the reachability rules'
 * share of the findings cap runs on samples/apk/reach.apk. */
#include "analyzer/apk.h"
#include "analyzer/rules/kb.h"
#include "analyzer/scan.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"
#include "dex/dex.h"
#include "limits_util.h"
/* the reachability tests' loader (root DEX files and manifest), built into this binary too */
#include "reach_load.h"

#include "analyzer/callgraph.h"
#include "ap_arena.h"

#include <stdio.h>
#include <unistd.h>

static struct ap_kb *kb;

static void kb_setup(void)
{
	cr_assert_eq(ap_kb_load(NULL, NULL, &kb), AP_OK);
}

static void kb_teardown(void)
{
	ap_kb_free(kb);
}

/* anomalies of code `code` (any module) whose sentence contains `needle` */
static size_t count_named(const struct ap_anomalies *an, int code, const char *needle)
{
	size_t k = 0;
	for (size_t i = 0; i < an->count; i++)
		if (an->items[i].code == code && strstr(an->items[i].what, needle))
			k++;
	return k;
}

static size_t count_code(const struct ap_anomalies *an, int code)
{
	return count_named(an, code, "");
}

static char *write_tmp(const char *suffix, const void *b, size_t n)
{
	char *p = malloc(256);
	cr_assert(p);
	snprintf(p, 256, "/tmp/ap-limits-%ld%s", (long)getpid(), suffix);
	FILE *f = fopen(p, "wb");
	cr_assert(f, "cannot write %s", p);
	cr_assert_eq(fwrite(b, 1, n, f), n);
	fclose(f);
	return p;
}

static struct ap_report *scan_tmp(char *path)
{
	struct ap_scan_opts o = {.deterministic = true};
	struct ap_report *r = NULL;
	cr_assert_eq(ap_scan_file(path, kb, &o, &r), AP_OK);
	cr_assert(r);
	unlink(path);
	free(path);
	return r;
}

static uint32_t seed_classes(void)
{
	size_t len;
	uint8_t *b = seed_dex(&len);
	struct ap_dex *dex = NULL;
	cr_assert_eq(ap_dex_open(b, len, "seed.dex", NULL, &dex), AP_OK);
	uint32_t n = ap_dex_class_count(dex);
	ap_dex_close(dex);
	free(b);
	cr_assert_gt(n, 0);
	return n;
}

/* ---- DEX size: a bare DEX of `size` bytes (the seed, then zeros; file_size and checksum say so),
 * scanned whole. The container reads at most AP_MAX_DEX_BYTES of a DEX. ---------------------- */

static struct ap_report *scan_dex_of_size(size_t size)
{
	size_t len;
	uint8_t *seed = seed_dex(&len);
	uint8_t *b = calloc(1, size);
	cr_assert(b);
	memcpy(b, seed, len);
	free(seed);
	le(b + 0x20, size, 4);
	le(b + 0x08, adler32(adler32(0, NULL, 0), b + 12, (uInt)(size - 12)), 4);
	char *path = write_tmp(".dex", b, size);
	free(b);
	return scan_tmp(path);
}

Test(limits_caps, dex_bytes_at_cap, .init = kb_setup, .fini = kb_teardown)
{
	struct ap_report *r = scan_dex_of_size(AP_MAX_DEX_BYTES);
	cr_expect_eq(count_code(r->anomalies, AP_ERR_LIMIT), 0);
	cr_expect_not(r->partial, "partial: %s", r->partial_reason ? r->partial_reason : "");
	cr_expect_eq(r->n_dex, 1);
	cr_expect_eq(r->n_classes, seed_classes());
	ap_report_free(r);
}

Test(limits_caps, dex_bytes_past_cap, .init = kb_setup, .fini = kb_teardown)
{
	struct ap_report *r = scan_dex_of_size(AP_MAX_DEX_BYTES + 1u);
	cr_expect_eq(count_code(r->anomalies, AP_ERR_LIMIT), 1);
	cr_expect_eq(count_named(r->anomalies, AP_ERR_LIMIT, "AP_MAX_DEX_BYTES"), 1);
	cr_expect(r->partial);
	cr_expect_eq(r->n_dex, 1, "the first AP_MAX_DEX_BYTES are still parsed");
	cr_expect_eq(r->n_classes, seed_classes());
	ap_report_free(r);
}

/* ---- DEX files: classes.dex, classes2.dex ... classesN.dex, each the seed ------------------- */

static uint8_t *multidex_zip(size_t n, size_t *zlen)
{
	size_t len;
	uint8_t *seed = seed_dex(&len);
	uint32_t crc = (uint32_t)crc32(0, seed, (uInt)len);
	struct zb z = {0};
	char name[32];
	for (size_t i = 1; i <= n; i++) {
		if (i == 1)
			snprintf(name, sizeof name, "classes.dex");
		else
			snprintf(name, sizeof name, "classes%zu.dex", i);
		zb_add(&z, name, 0, seed, len, crc, (uint32_t)len);
	}
	free(seed);
	return zb_finish(&z, zlen);
}

static struct ap_apk *open_multidex(size_t n, struct ap_anomalies *an)
{
	size_t zlen;
	uint8_t *zip = multidex_zip(n, &zlen);
	struct ap_apk *apk = NULL;
	cr_assert_eq(ap_apk_open_mem(zip, zlen, "multidex.apk", an, &apk), AP_OK);
	free(zip);
	return apk;
}

Test(limits_caps, dex_files_at_cap)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_multidex(AP_MAX_DEX_FILES, &an);
	cr_expect_eq(apk->n_dex, AP_MAX_DEX_FILES);
	cr_expect_eq(count_code(&an, AP_ERR_LIMIT), 0);
	cr_expect_str_eq(apk->entries[apk->dex[AP_MAX_DEX_FILES - 1]].name, "classes256.dex");
	ap_apk_close(apk);
	ap_anom_free(&an);
}

Test(limits_caps, dex_files_past_cap)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = open_multidex(AP_MAX_DEX_FILES + 1u, &an);
	cr_expect_eq(apk->n_dex, AP_MAX_DEX_FILES, "the first %u are analysed", AP_MAX_DEX_FILES);
	cr_expect_eq(count_code(&an, AP_ERR_LIMIT), 1);
	cr_expect_eq(count_named(&an, AP_ERR_LIMIT, "AP_MAX_DEX_FILES"), 1);
	for (size_t k = 0; k < apk->n_dex; k++)
		cr_expect_eq(apk->entries[apk->dex[k]].dex_order, (int)k, "ART's load order kept");
	int last = ap_apk_find(apk, "classes257.dex");
	cr_assert_geq(last, 0);
	cr_expect_eq(apk->entries[last].kind, AP_ENTRY_DEX, "listed as DEX, not as hidden code");
	cr_expect_eq(apk->entries[last].dex_order, -1, "not analysed");
	ap_apk_close(apk);
	ap_anom_free(&an);
}

/* The same archives scanned: the report says whether the cap cut it (it has no manifest, so it is
 * partial for that reason in both cases) */
static struct ap_report *scan_multidex(size_t n)
{
	size_t zlen;
	uint8_t *zip = multidex_zip(n, &zlen);
	char *path = write_tmp(".apk", zip, zlen);
	free(zip);
	return scan_tmp(path);
}

Test(limits_caps, dex_files_at_cap_scan, .init = kb_setup, .fini = kb_teardown)
{
	struct ap_report *r = scan_multidex(AP_MAX_DEX_FILES);
	cr_expect_eq(r->n_dex, AP_MAX_DEX_FILES);
	cr_expect_eq(count_named(r->anomalies, AP_ERR_LIMIT, "AP_MAX_DEX_FILES"), 0);
	cr_expect(r->partial_reason && !strstr(r->partial_reason, "AP_MAX_DEX_FILES"), "%s",
		  r->partial_reason ? r->partial_reason : "(none)");
	ap_report_free(r);
}

Test(limits_caps, dex_files_past_cap_scan, .init = kb_setup, .fini = kb_teardown)
{
	struct ap_report *r = scan_multidex(AP_MAX_DEX_FILES + 1u);
	cr_expect_eq(r->n_dex, AP_MAX_DEX_FILES, "the first %u are analysed", AP_MAX_DEX_FILES);
	cr_expect_eq(count_named(r->anomalies, AP_ERR_LIMIT, "AP_MAX_DEX_FILES"), 1);
	cr_expect(r->partial);
	cr_expect(r->partial_reason &&
		  strstr(r->partial_reason, "1 root DEX files past AP_MAX_DEX_FILES were not analysed"),
		  "%s", r->partial_reason ? r->partial_reason : "(none)");
	ap_report_free(r);
}

/* ---- class_defs: the seed plus a new class_defs table of n entries at its end: [0] is the seed's
 * first class, the rest copies of it without class_data (so no code is decoded again) -------- */

static void classes_case(uint32_t n, struct ap_anomalies *an)
{
	size_t len;
	uint8_t *seed = seed_dex(&len);
	size_t off = (len + 3) & ~(size_t)3, size = off + (size_t)n * 32;
	uint8_t *b = calloc(1, size);
	cr_assert(b);
	memcpy(b, seed, len);
	uint32_t first = rd32(seed + 0x64);
	for (uint32_t i = 0; i < n; i++) {
		memcpy(b + off + (size_t)i * 32, seed + first, 32);
		if (i)
			memset(b + off + (size_t)i * 32 + 20, 0, 12); /* annotations, data, values */
	}
	free(seed);
	le(b + 0x20, size, 4);
	le(b + 0x60, n, 4);
	le(b + 0x64, off, 4);
	struct ap_dex *dex = NULL;
	ap_dex_open(b, size, "classes.dex", an, &dex);
	cr_assert(dex, "the DEX is still opened");
	uint32_t kept = n < AP_MAX_DEX_CLASSES ? n : AP_MAX_DEX_CLASSES;
	cr_expect_eq(ap_dex_class_count(dex), kept);
	const struct ap_dex_class *c0 = ap_dex_class_def(dex, 0);
	const struct ap_dex_class *cl = ap_dex_class_def(dex, kept - 1);
	cr_assert(c0 && cl);
	cr_expect_gt(c0->n_direct + c0->n_virtual, 0, "the first class keeps its methods");
	cr_expect_eq(cl->class_idx, c0->class_idx);
	cr_expect(cl->duplicate, "the last kept copy is a redefinition");
	cr_expect_null(ap_dex_class_def(dex, kept), "nothing past the kept ones is invented");
	ap_dex_close(dex);
	free(b);
}

Test(limits_caps, dex_classes_at_and_past_cap)
{
	struct ap_anomalies at, past;
	ap_anom_init(&at);
	ap_anom_init(&past);
	classes_case(AP_MAX_DEX_CLASSES, &at);
	classes_case(AP_MAX_DEX_CLASSES + 1u, &past);
	cr_expect_eq(count_anom(&at, "dex", AP_ERR_LIMIT), 0);
	cr_expect_eq(count_anom(&past, "dex", AP_ERR_LIMIT), 1);
	cr_expect_eq(count_named(&past, AP_ERR_LIMIT, "class_defs"), 1);
	ap_anom_free(&at);
	ap_anom_free(&past);
}

/* ---- findings per report: a plain-text manifest whose k receivers start at boot (rule R16,
 * one finding each), scanned as a bare manifest ---------------------------------------------- */

static struct ap_report *scan_receivers(size_t k)
{
	struct {
		char *p;
		size_t n;
	} x;
	size_t cap = 512 + k * 256;
	x.p = malloc(cap);
	cr_assert(x.p);
	x.n = (size_t)snprintf(x.p, cap,
			       "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<manifest xmlns:android="
			       "\"http://schemas.android.com/apk/res/android\" package=\"com.example."
			       "many\">\n<application android:label=\"x\">\n");
	for (size_t i = 0; i < k; i++)
		x.n += (size_t)snprintf(x.p + x.n, cap - x.n,
					"<receiver android:name=\"com.example.R%zu\" android:exported="
					"\"true\"><intent-filter><action android:name=\"android.intent."
					"action.BOOT_COMPLETED\"/></intent-filter></receiver>\n", i);
	x.n += (size_t)snprintf(x.p + x.n, cap - x.n, "</application>\n</manifest>\n");
	cr_assert_lt(x.n, cap);
	char *path = write_tmp(".xml", x.p, x.n);
	free(x.p);
	return scan_tmp(path);
}

static size_t count_rule(const struct ap_report *r, const char *rule)
{
	size_t k = 0;
	for (size_t i = 0; i < r->n_findings; i++)
		k += strcmp(r->findings[i].rule, rule) == 0;
	return k;
}

/* findings a manifest with these receivers gets besides R16 */
static size_t other_findings(void)
{
	struct ap_report *r = scan_receivers(1);
	cr_assert_eq(count_rule(r, "R16"), 1, "one receiver, one R16 finding");
	size_t n = r->n_findings - 1;
	ap_report_free(r);
	cr_assert_lt(n, AP_MAX_FINDINGS);
	return n;
}

Test(limits_caps, findings_at_cap, .init = kb_setup, .fini = kb_teardown)
{
	size_t k = AP_MAX_FINDINGS - other_findings();
	struct ap_report *r = scan_receivers(k);
	cr_expect_eq(r->n_findings, AP_MAX_FINDINGS);
	cr_expect_eq(count_rule(r, "R16"), k, "one per receiver");
	cr_expect_eq(count_named(r->anomalies, AP_ERR_LIMIT, "AP_MAX_FINDINGS"), 0);
	cr_expect_not(r->partial && r->partial_reason && strstr(r->partial_reason, "FINDINGS"));
	ap_report_free(r);
}

Test(limits_caps, findings_past_cap, .init = kb_setup, .fini = kb_teardown)
{
	size_t others = other_findings(), k = AP_MAX_FINDINGS - others + 1;
	struct ap_report *r = scan_receivers(k);
	cr_expect_eq(r->n_findings, AP_MAX_FINDINGS, "the first %u are kept", AP_MAX_FINDINGS);
	cr_expect_eq(count_code(r->anomalies, AP_ERR_LIMIT), 1);
	cr_expect_eq(count_named(r->anomalies, AP_ERR_LIMIT, "1 findings past the cap of 2000 "
							       "(AP_MAX_FINDINGS)"), 1);
	cr_expect(r->partial);
	cr_expect(r->partial_reason && strstr(r->partial_reason, "AP_MAX_FINDINGS"));
	/* the kept R16 findings are receivers that exist, each once: nothing invented */
	size_t r16 = count_rule(r, "R16");
	cr_expect_geq(r16, k - 1, "at most one finding was dropped");
	char *seen = calloc(k, 1);
	cr_assert(seen);
	for (size_t i = 0; i < r->n_findings; i++) {
		const char *m = r->findings[i].message, *p;
		size_t id;
		if (strcmp(r->findings[i].rule, "R16") != 0)
			continue;
		p = m ? strstr(m, "com.example.R") : NULL;
		cr_assert(p && sscanf(p, "com.example.R%zu", &id) == 1 && id < k, "%s", m);
		cr_expect_not(seen[id]++, "receiver %zu reported twice", id);
	}
	free(seen);
	ap_report_free(r);
}

/* ---- findings per report, reachability rules (findings_reach.c): samples/apk/reach.apk's
 * reachability findings, after `prior` findings already made (copies of one R04) --------------- */

static struct ap_report *reach_after(size_t prior, size_t *n_anom_before)
{
	char *path = ap_t_path(AP_SOURCE_DIR, "samples/apk/reach.apk");
	struct ap_scan_opts o = {.deterministic = true};
	struct ap_report *r = NULL;
	cr_assert_eq(ap_scan_file(path, kb, &o, &r), AP_OK);
	struct rl_app app;
	cr_assert(rl_load(path, &app), "%s", path);
	free(path);
	struct ap_finding *v = ap_arena_calloc(r->arena, prior + 1, sizeof *v);
	cr_assert(v);
	for (size_t i = 0; i < prior; i++)
		v[i] = (struct ap_finding){.rule = "R04", .title = "filler", .message = "filler",
					   .confidence = "high"};
	r->findings = v;
	r->n_findings = prior;
	r->partial = false;
	r->partial_reason = NULL;
	struct ap_anomalies *an = (struct ap_anomalies *)r->anomalies; /* the scan's own list */
	*n_anom_before = an->count;
	cr_assert_eq(ap_reach_annotate(r, kb, app.mf, app.dexes, app.n_dex, an), AP_OK);
	rl_free(&app);
	return r;
}

/* anomalies naming AP_MAX_FINDINGS added since index `from` */
static size_t findings_cap_anomalies(const struct ap_report *r, size_t from)
{
	size_t k = 0;
	for (size_t i = from; i < r->anomalies->count; i++)
		k += r->anomalies->items[i].code == AP_ERR_LIMIT &&
		     strstr(r->anomalies->items[i].what, "(AP_MAX_FINDINGS)") != NULL;
	return k;
}

static size_t reach_findings(void)
{
	size_t before;
	struct ap_report *r = reach_after(0, &before);
	size_t n = r->n_findings;
	ap_report_free(r);
	cr_assert_gt(n, 1, "reach.apk has several reachability findings");
	return n;
}

Test(limits_caps, reach_findings_at_cap, .init = kb_setup, .fini = kb_teardown)
{
	size_t k = reach_findings(), before;
	struct ap_report *r = reach_after(AP_MAX_FINDINGS - k, &before);
	cr_expect_eq(r->n_findings, AP_MAX_FINDINGS);
	cr_expect_eq(findings_cap_anomalies(r, before), 0);
	cr_expect_not(r->partial, "%s", r->partial_reason ? r->partial_reason : "");
	ap_report_free(r);
}

Test(limits_caps, reach_findings_past_cap, .init = kb_setup, .fini = kb_teardown)
{
	size_t k = reach_findings(), before;
	struct ap_report *r = reach_after(AP_MAX_FINDINGS - k + 1, &before);
	cr_expect_eq(r->n_findings, AP_MAX_FINDINGS, "the first %u are kept", AP_MAX_FINDINGS);
	cr_expect_eq(findings_cap_anomalies(r, before), 1);
	cr_expect_eq(count_named(r->anomalies, AP_ERR_LIMIT, "1 findings past the cap of 2000 "
							       "(AP_MAX_FINDINGS)"), 1);
	cr_expect(r->partial);
	cr_expect(r->partial_reason && strstr(r->partial_reason, "AP_MAX_FINDINGS"));
	ap_report_free(r);
}
