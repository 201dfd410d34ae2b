/* The analysis API on the bundled samples: owners, necessity, permission rows, score order, the
 * app-type option, unusable input; and R17 on a smali fixture. The e2e test checks the same through the CLI's JSON. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ap_err.h"
#include "ap_test.h"
#include "analyzer/scan.h"
#include "analyzer/rules/kb.h"

static struct ap_kb *kb;

static void setup(void)
{
	cr_assert_eq(ap_kb_load(NULL, NULL, &kb), AP_OK);
}

static void teardown(void)
{
	ap_kb_free(kb);
}

static struct ap_report *scan(const char *name, const char *type)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/samples/apk/%s", AP_SOURCE_DIR, name);
	struct ap_scan_opts o = {.app_type = type, .deterministic = true};
	struct ap_report *r = NULL;
	cr_assert_eq(ap_scan_file(path, kb, &o, &r), AP_OK, "%s", name);
	cr_assert_not_null(r);
	return r;
}

static const struct ap_rep_pi *pi(const struct ap_report *r, const char *cat)
{
	for (size_t i = 0; i < r->n_pi; i++)
		if (strcmp(r->pi[i].category, cat) == 0)
			return &r->pi[i];
	return NULL;
}

static bool has_finding(const struct ap_report *r, const char *rule, const char *cat,
			const char *owner)
{
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct ap_finding *f = &r->findings[i];
		if (strcmp(f->rule, rule) == 0 && (!cat || (f->category && !strcmp(f->category, cat))) &&
		    (!owner || (f->owner && !strcmp(f->owner, owner))))
			return true;
	}
	return false;
}

TestSuite(analysis, .init = setup, .fini = teardown);

Test(analysis, imei_owners_in_video_overcollect)
{
	struct ap_report *r = scan("video_overcollect.apk", NULL);
	const struct ap_rep_pi *p = pi(r, "device_id.imei");
	cr_assert_not_null(p);
	cr_assert(!p->necessary);
	size_t fp = 0, umeng = 0, jpush = 0;
	for (size_t i = 0; i < p->n_evidence; i++) {
		const struct ap_evidence *e = &p->evidence[i];
		if (e->via != AP_VIA_DEX_API)
			continue;
		cr_assert_not_null(e->method);
		cr_assert_geq(e->pc, 0);
		fp += !strcmp(e->owner, "first_party");
		umeng += !strcmp(e->owner, "sdk:umeng_analytics");
		jpush += !strcmp(e->owner, "sdk:jiguang_jpush");
	}
	/* samples/EXPECTED.md: 3 first-party, 1 Umeng, 2 JPush IMEI call sites */
	cr_expect_eq(fp, 3);
	cr_expect_eq(umeng, 1);
	cr_expect_eq(jpush, 2);
	cr_expect(has_finding(r, "R06", "device_id.imei", "sdk:umeng_analytics"));
	cr_expect(has_finding(r, "R07", "app_list", NULL));
	cr_expect(!has_finding(r, "R13", NULL, NULL));
	cr_expect_str_eq(r->app_type, "online_audio_video");
	ap_report_free(r);
}

Test(analysis, permission_rows)
{
	struct ap_report *r = scan("video_overcollect.apk", NULL);
	int contacts = -2, phone = -2;
	for (size_t i = 0; i < r->n_permissions; i++) {
		const struct ap_rep_permission *p = &r->permissions[i];
		cr_expect(p->declared, "%s reported as used but undeclared", p->name);
		if (!strcmp(p->name, "android.permission.READ_CONTACTS"))
			contacts = p->used;
		if (!strcmp(p->name, "android.permission.READ_PHONE_STATE"))
			phone = p->used;
	}
	cr_expect_eq(contacts, 0);
	cr_expect_eq(phone, 1);
	ap_report_free(r);
}

Test(analysis, location_necessary_for_maps_only)
{
	struct ap_report *map = scan("map_legit.apk", NULL);
	struct ap_report *as_video = scan("map_legit.apk", "online_audio_video");
	cr_assert_str_eq(map->app_type, "map_navigation");
	cr_assert_str_eq(as_video->app_type_source, "option");
	cr_expect(pi(map, "location.precise")->necessary);
	cr_expect(!pi(as_video, "location.precise")->necessary);
	cr_expect(!has_finding(map, "R05", "location.precise", NULL));
	cr_expect(has_finding(as_video, "R05", "location.precise", NULL));
	cr_expect_lt(as_video->score_total, map->score_total);
	ap_report_free(map);
	ap_report_free(as_video);
}

Test(analysis, score_order_and_determinism)
{
	struct ap_report *clean = scan("video_clean.apk", NULL);
	struct ap_report *map = scan("map_legit.apk", NULL);
	struct ap_report *over = scan("video_overcollect.apk", NULL);
	struct ap_report *over2 = scan("video_overcollect.apk", NULL);
	cr_expect_gt(clean->score_total, map->score_total);
	cr_expect_gt(map->score_total, over->score_total);
	cr_expect_eq(over->score_total, over2->score_total);
	cr_expect_eq(over->n_findings, over2->n_findings);
	double sum = 0;
	for (size_t i = 0; i < over->n_findings; i++)
		sum += over->findings[i].points;
	cr_expect_gt(sum, 0);
	cr_expect_eq(clean->n_sdks, 0);
	ap_report_free(clean);
	ap_report_free(map);
	ap_report_free(over);
	ap_report_free(over2);
}

Test(analysis, unusable_input_and_unknown_type)
{
	struct ap_scan_opts o = {0};
	struct ap_report *r = NULL;
	int rc = ap_scan_file("/nonexistent/x.apk", kb, &o, &r);
	cr_expect_neq(rc, AP_OK);
	ap_report_free(r);
	o.app_type = "no_such_type";
	r = NULL;
	char path[1024];
	snprintf(path, sizeof path, "%s/samples/apk/video_clean.apk", AP_SOURCE_DIR);
	cr_expect_eq(ap_scan_file(path, kb, &o, &r), AP_ERR_NOT_FOUND);
	cr_expect_null(r);
}

/* R17 (the smali files in fixtures/shake): the same accelerometer code in an advertising SDK (Tencent GDT),
 * an analytics SDK (Umeng) and first-party code; only the ad SDK's is a shake-to-open finding. */
Test(analysis, r17_motion_sensors_only_in_ad_sdk_code)
{
	AP_T_NEED_TOOL("smali");
	int smali_st;
	char *dex = ap_t_smali("tests/unit/analysis/fixtures/shake", 0, &smali_st);
	cr_assert(dex && smali_st == 0, "smali a failed on tests/unit/analysis/fixtures/shake");
	struct ap_scan_opts o = {.deterministic = true};
	struct ap_report *r = NULL;
	cr_assert_eq(ap_scan_file(dex, kb, &o, &r), AP_OK);
	const struct ap_kb_category *motion = ap_kb_category(kb, "sensors.motion");
	cr_assert(motion);
	size_t n = 0;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct ap_finding *f = &r->findings[i];
		if (strcmp(f->rule, "R17") != 0)
			continue;
		n++;
		cr_expect_str_eq(f->owner, "sdk:tencent_gdt");
		cr_expect_str_eq(f->category, motion->id);
		cr_expect_eq(f->n_evidence, 2, "getDefaultSensor and registerListener");
		for (size_t e = 0; e < f->n_evidence; e++) {
			cr_expect(strstr(f->evidence[e].method, "Lcom/qq/e/ads/ShakeView;->listen"),
				  "%s", f->evidence[e].method);
			cr_expect_geq(f->evidence[e].pc, 0);
		}
	}
	cr_expect_eq(n, 1, "%zu R17 findings", n);
	/* the other two owners still read the sensors: R05 says so, R17 does not */
	cr_expect(has_finding(r, "R05", motion->id, "first_party"));
	cr_expect(has_finding(r, "R05", motion->id, "sdk:umeng_analytics"));
	ap_report_free(r);
	unlink(dex);
	free(dex);
}
