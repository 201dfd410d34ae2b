/* Hidden code in the scan (dexsrc.h, docs/reachability.md): the DEX inside assets/dynamic.jar of
 * DroidBench's DynamicLoading apps calls TelephonyManager.getDeviceId (`apkpriv dex --calls`
 * lists it under assets/dynamic.jar!classes.dex; the root classes.dex never calls it). Its
 * evidence must name that dexfile, be flagged hidden, carry the "loaded at run time" verdict
 * (medium confidence: the root code calls DexClassLoader; low without a loader call) and never
 * borrow a call path from the root DEX that defines classes of the same names. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../limits/limits_util.h"
#include "analyzer/apk.h"
#include "analyzer/rules/kb.h"
#include "analyzer/scan.h"
#include "ap_err.h"
#include "ap_test.h"

static struct ap_kb *kb;

static void setup(void)
{
	cr_assert_eq(ap_kb_load(NULL, NULL, &kb), AP_OK);
}

static void teardown(void)
{
	ap_kb_free(kb);
}

#define JAR_DEX "assets/dynamic.jar!classes.dex"
#define GET_DEVICE_ID "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"
#define CHILD_SOURCE "Ledu/wayne/cs/ChildClass;->source(Landroid/content/Context;)Ljava/lang/String;"

static struct ap_report *scan_path(const char *path)
{
	struct ap_scan_opts o = {.deterministic = true};
	struct ap_report *r = NULL;
	cr_assert_eq(ap_scan_file(path, kb, &o, &r), AP_OK, "%s", path);
	cr_assert_not_null(r);
	return r;
}

static char *corpus(const char *rel)
{
	return ap_t_path(ap_t_corpus_dir(), rel);
}

/* The getDeviceId evidence of category device_id.imei in dexfile; fails unless exactly one. */
static const struct ap_evidence *imei_call(const struct ap_report *r, const char *dexfile)
{
	const struct ap_evidence *hit = NULL;
	size_t n = 0;
	for (size_t i = 0; i < r->n_pi; i++)
		for (size_t j = 0; j < r->pi[i].n_evidence; j++) {
			const struct ap_evidence *e = &r->pi[i].evidence[j];
			if (strcmp(r->pi[i].category, "device_id.imei") == 0 &&
			    e->via == AP_VIA_DEX_API && e->api && strcmp(e->api, GET_DEVICE_ID) == 0 &&
			    e->dexfile && strcmp(e->dexfile, dexfile) == 0) {
				hit = e;
				n++;
			}
		}
	cr_assert_eq(n, 1, "one getDeviceId call site in %s", dexfile);
	return hit;
}

static const struct ap_finding *finding(const struct ap_report *r, const char *rule,
					const char *cat)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (strcmp(r->findings[i].rule, rule) == 0 && r->findings[i].category &&
		    strcmp(r->findings[i].category, cat) == 0)
			return &r->findings[i];
	return NULL;
}

/* The hidden call's evidence; `confidence` is the verdict's, and R06's when the root code does
 * not read the IMEI itself (NULL: it does, and R06 keeps its own confidence). */
static void expect_hidden_imei(const struct ap_report *r, const char *confidence,
			       const char *r06_confidence)
{
	const struct ap_evidence *e = imei_call(r, JAR_DEX);
	cr_expect_str_eq(e->method, CHILD_SOURCE);
	cr_expect(e->hidden);
	cr_expect_eq(e->reachable, 0, "hidden code is not reachable from the manifest's entries");
	cr_expect_eq(e->n_path, 0);
	cr_assert_not_null(e->path_owners_note);
	cr_expect(strstr(e->path_owners_note, "hidden code in " JAR_DEX), "%s", e->path_owners_note);
	char want[64];
	snprintf(want, sizeof want, "%s confidence", confidence);
	cr_expect(strstr(e->path_owners_note, want), "%s", e->path_owners_note);
	const struct ap_finding *f = finding(r, "R06", "device_id.imei");
	cr_assert_not_null(f, "the IMEI read in hidden code still makes R06");
	if (r06_confidence) {
		cr_expect_str_eq(f->confidence, r06_confidence);
		cr_expect(strstr(f->message, "seen only in hidden code"), "%s", f->message);
	} else {
		cr_expect_str_eq(f->confidence, "high");
		cr_expect_not(strstr(f->message, "hidden"), "%s", f->message);
	}
	cr_expect_eq(r->n_dex, 1, "n_dex counts the root DEX files ART loads");
}

TestSuite(hidden, .init = setup, .fini = teardown);

/* DynamicBoth1: only the jar reads the IMEI. DynamicSink1: the root MainActivity.onCreate reads
 * it too, and that call keeps its own path and full confidence. */
Test(hidden, dynamic_jar_call_names_its_dexfile)
{
	AP_T_NEED_CORPUS();
	char *p = corpus("droidbench/DynamicLoading/DynamicBoth1.apk");
	struct ap_report *r = scan_path(p);
	expect_hidden_imei(r, "medium", "medium");
	const struct ap_evidence *e = imei_call(r, JAR_DEX);
	cr_expect(strstr(e->path_owners_note, "Ldalvik/system/DexClassLoader;-><init>"), "%s",
		  e->path_owners_note);
	ap_report_free(r);
	free(p);

	p = corpus("droidbench/DynamicLoading/DynamicSink1.apk");
	r = scan_path(p);
	expect_hidden_imei(r, "medium", NULL);
	e = imei_call(r, "classes.dex");
	cr_expect_not(e->hidden);
	cr_expect_eq(e->reachable, 1, "the root call is reachable from MainActivity");
	cr_expect_gt(e->n_path, 0);
	ap_report_free(r);
	free(p);
}

/* Bare DEX copies of the root classes.dex under assets/ and at the root (apktool's
 * dynamic_dex): their classes do not count twice, and nothing makes the report partial. */
Test(hidden, root_copies_add_no_classes)
{
	AP_T_NEED_CORPUS();
	char *p = corpus("apktool/dynamic_dex/dynamic_dex.apk");
	struct ap_report *r = scan_path(p);
	cr_expect_eq(r->n_dex, 1);
	cr_expect_not(r->partial, "%s", r->partial_reason ? r->partial_reason : "");
	ap_report_free(r);
	free(p);
	p = corpus("droidbench/DynamicLoading/DynamicSink1.apk");
	r = scan_path(p);
	size_t classes = r->n_classes;
	ap_report_free(r);
	free(p);
	cr_expect_eq(classes, 13, "the root classes.dex's 13 classes, not the jar's too");
}

/* The entry `name` of the APK at path, inflated. */
static uint8_t *entry_of(const char *path, const char *name, size_t *len)
{
	struct ap_apk *apk = NULL;
	cr_assert_eq(ap_apk_open(path, NULL, &apk), AP_OK, "%s", path);
	int i = ap_apk_find(apk, name);
	cr_assert_geq(i, 0, "%s in %s", name, path);
	uint8_t *b = NULL;
	cr_assert_eq(ap_apk_read(apk, (size_t)i, &b, len), AP_OK);
	ap_apk_close(apk);
	return b;
}

static void add_stored(struct zb *z, const char *name, const uint8_t *b, size_t n)
{
	zb_add(z, name, 0, b, n, (uint32_t)crc32(0, b, (uInt)n), (uint32_t)n);
}

/* dynamic_dex's manifest and root classes.dex (no class loader anywhere) with DynamicSink1's
 * assets/dynamic.jar: the same hidden call, now at low confidence. */
Test(hidden, no_loader_call_means_low_confidence)
{
	AP_T_NEED_CORPUS();
	char *host = corpus("apktool/dynamic_dex/dynamic_dex.apk");
	char *donor = corpus("droidbench/DynamicLoading/DynamicSink1.apk");
	struct zb z = {0};
	static const char *const from_host[] = {"AndroidManifest.xml", "classes.dex"};
	for (size_t i = 0; i < 2; i++) {
		size_t n;
		uint8_t *b = entry_of(host, from_host[i], &n);
		add_stored(&z, from_host[i], b, n);
		free(b);
	}
	size_t n;
	uint8_t *jar = entry_of(donor, "assets/dynamic.jar", &n);
	add_stored(&z, "assets/dynamic.jar", jar, n);
	free(jar);
	size_t zlen;
	uint8_t *zip = zb_finish(&z, &zlen);
	char path[128];
	snprintf(path, sizeof path, "/tmp/ap-hidden-%ld.apk", (long)getpid());
	FILE *f = fopen(path, "wb");
	cr_assert(f);
	cr_assert_eq(fwrite(zip, 1, zlen, f), zlen);
	fclose(f);
	free(zip);
	struct ap_report *r = scan_path(path);
	unlink(path);
	expect_hidden_imei(r, "low", "low");
	const struct ap_evidence *e = imei_call(r, JAR_DEX);
	cr_expect(strstr(e->path_owners_note, "No DexClassLoader"), "%s", e->path_owners_note);
	ap_report_free(r);
	free(host);
	free(donor);
}
