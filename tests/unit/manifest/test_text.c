/* Plain-text manifests: the model's Android defaults (SDK, exported, providers, cleartext,
 * class names, launcher, protection levels) and XXE safety. */
#include "ap_diag.h"
#include "ap_err.h"
#include "manifest/manifest.h"

#include <criterion/criterion.h>
#include <string.h>

static struct ap_manifest *parse(const char *xml, struct ap_anomalies *an)
{
	struct ap_manifest *m = NULL;
	ap_anom_init(an);
	int rc = ap_mf_parse((const uint8_t *)xml, strlen(xml), NULL, an, &m);
	cr_assert_eq(rc, AP_OK, "rc %d", rc);
	return m;
}

#define NS "xmlns:android=\"http://schemas.android.com/apk/res/android\""

Test(mf_text, android_defaults)
{
	struct ap_anomalies an;
	struct ap_manifest *m = parse(
		"<manifest " NS " package=\"a.b\" android:versionCode=\"7\" "
		"android:versionCodeMajor=\"1\">"
		"<uses-sdk android:minSdkVersion=\"14\"/>"
		"<uses-permission android:name=\"p.ONE\"/><uses-permission android:name=\"p.ONE\"/>"
		"<uses-permission-sdk-23 android:name=\"p.TWO\"/>"
		"<permission android:name=\"a.b.P\" android:protectionLevel=\"0x12\"/>"
		"<application android:name=\"App\"><activity android:name=\"x.Y\"/>"
		"<activity-alias android:name=\".Alias\" android:targetActivity=\"x.Y\">"
		"<intent-filter><action android:name=\"android.intent.action.MAIN\"/>"
		"<category android:name=\"android.intent.category.LAUNCHER\"/></intent-filter>"
		"</activity-alias>"
		"<provider android:name=\".P\" android:authorities=\"a.b.p\"/>"
		"<meta-data android:name=\"k\" android:value=\"v\"/>"
		"</application></manifest>", &an);
	cr_expect_str_eq(m->package, "a.b");
	cr_expect_eq(m->version_code, (1LL << 32) | 7);
	cr_expect_eq(m->min_sdk, 14);
	cr_expect_eq(m->target_sdk, 14, "targetSdk defaults to minSdk");
	cr_expect_eq(m->n_uses_perms, 2, "duplicates kept once");
	cr_expect(m->uses_perms[1].sdk23);
	cr_expect_str_eq(m->perms[0].protection, "signature|privileged");
	cr_expect_str_eq(m->app_name, "a.b.App");
	cr_expect(m->uses_cleartext, "cleartext allowed below API 28");
	cr_assert_eq(m->n_comps, 3);
	cr_expect_str_eq(m->comps[0].name, "x.Y");
	cr_expect(!m->comps[0].exported);
	cr_expect_eq(m->comps[1].kind, AP_COMP_ALIAS);
	cr_expect_str_eq(m->comps[1].target, "x.Y");
	cr_expect_eq(m->launcher, 1, "activity-alias can be the launcher");
	cr_expect(m->comps[2].exported, "providers are exported below API 17");
	cr_expect_str_eq(m->app_meta[0].value, "v");
	ap_mf_free(m);
	ap_anom_free(&an);
}

Test(mf_text, provider_not_exported_from_17_and_codename_sdk)
{
	struct ap_anomalies an;
	struct ap_manifest *m = parse(
		"<manifest " NS " package=\"a.b\"><uses-sdk android:minSdkVersion=\"17\" "
		"android:targetSdkVersion=\"VanillaIceCream\"/><application>"
		"<provider android:name=\".P\"/></application></manifest>", &an);
	cr_expect(!m->comps[0].exported);
	cr_expect_eq(m->target_sdk, 10000);
	cr_expect_str_eq(m->target_sdk_str, "VanillaIceCream");
	cr_expect(!m->uses_cleartext);
	cr_expect_eq(m->version_code, -1);
	ap_mf_free(m);
	ap_anom_free(&an);
}

Test(mf_text, no_uses_sdk_means_api_1)
{
	struct ap_anomalies an;
	struct ap_manifest *m = parse("<manifest package=\"a.b\"/>", &an);
	cr_expect_eq(m->min_sdk, 1);
	cr_expect_eq(m->target_sdk, 1);
	cr_expect_eq(m->launcher, -1);
	ap_mf_free(m);
	ap_anom_free(&an);
}

Test(mf_text, external_entities_are_never_loaded)
{
	struct ap_anomalies an;
	struct ap_manifest *m = parse(
		"<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">"
		"<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
		"<manifest package=\"&x;\" " NS "><uses-permission android:name=\"&b;\"/></manifest>",
		&an);
	cr_expect(!m->package || !strstr(m->package, "root"), "XXE: %s", m->package);
	cr_expect(m->n_uses_perms == 0 || strlen(m->uses_perms[0].name) < 20,
		  "entities are not expanded");
	cr_expect(ap_anom_has(&an, "manifest", AP_ERR_TAMPER));
	ap_mf_free(m);
	ap_anom_free(&an);
}
