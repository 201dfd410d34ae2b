/* Fixture builder for tests/unit/reports (see fixture.h). Everything lives in one arena, as in
 * a real report. */
#include <stdlib.h>
#include <string.h>

#include "ap_arena.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "fixture.h"

#define S(x) ap_arena_strdup(a, (x))

static const char **strs(struct ap_arena *a, size_t n, const char *const *v)
{
	const char **p = ap_arena_calloc(a, n, sizeof *p);
	for (size_t i = 0; i < n; i++)
		p[i] = S(v[i]);
	return p;
}

static struct ap_evidence ev_code(struct ap_arena *a, enum ap_via via, const char *owner,
				  const char *api, const char *cat, const char *dex,
				  const char *method, int64_t pc)
{
	struct ap_evidence e = {.via = via, .owner = S(owner), .api = S(api), .category = S(cat),
				.dexfile = S(dex), .method = S(method), .pc = pc, .offset = -1,
				.reachable = -1};
	return e;
}

static struct ap_evidence ev_perm(struct ap_arena *a, const char *perm, const char *cat)
{
	struct ap_evidence e = {.via = AP_VIA_PERMISSION, .owner = S("first_party"), .api = S(perm),
				.category = S(cat), .pc = -1, .offset = -1, .reachable = -1};
	return e;
}

static void build_pi(struct ap_report *r, struct ap_arena *a)
{
	r->n_pi = 3;
	r->pi = ap_arena_calloc(a, r->n_pi, sizeof *r->pi);

	struct ap_rep_pi *imei = &r->pi[0];
	imei->category = S("device_id.imei");
	imei->name = S("IMEI / MEID");
	imei->sensitivity = S("sensitive");
	imei->immutable_id = true;
	imei->necessary = false;
	imei->n_evidence = 4;
	imei->evidence = ap_arena_calloc(a, 4, sizeof *imei->evidence);
	imei->evidence[0] = ev_perm(a, "android.permission.READ_PHONE_STATE", "device_id.imei");
	imei->evidence[1] = ev_code(a, AP_VIA_DEX_API, "first_party",
				    "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;",
				    "device_id.imei", "classes.dex", FX_BAD_METHOD, 42);
	struct ap_evidence *e = &imei->evidence[1];
	e->reachable = 1;
	e->entries = AP_REACH_STARTUP | AP_REACH_UI;
	static const char *const path[] = {"Lcom/example/video/App;->onCreate()V",
					   "Lcom/example/video/Track;->init()V",
					   "Lcom/example/video/Track;->id()Ljava/lang/String;"};
	e->path = strs(a, 3, path);
	e->n_path = 3;
	imei->evidence[2] = ev_code(a, AP_VIA_DEX_API, "sdk:umeng",
				    "Landroid/telephony/TelephonyManager;->getImei()Ljava/lang/String;",
				    "device_id.imei", "classes2.dex",
				    "Lcom/umeng/commonsdk/statistics/common/DeviceConfig;->getImei(Landroid/content/Context;)Ljava/lang/String;",
				    118);
	imei->evidence[2].reachable = 0;
	struct ap_evidence nat = {.via = AP_VIA_NATIVE, .owner = S("sdk:umeng"),
				  .api = S("__system_property_get(\"ro.serialno\")"),
				  .category = S("device_id.imei"), .pc = -1,
				  .library = S("lib/arm64-v8a/libumeng id.so"), .abi = S("arm64-v8a"),
				  .offset = 0x1a2c, .detail = S("constant argument \"ro.serialno\""),
				  .reachable = -1};
	imei->evidence[3] = nat;
	imei->n_evidence_dropped = 7;

	struct ap_rep_pi *loc = &r->pi[1];
	loc->category = S("location.precise");
	loc->name = S("Precise location");
	loc->sensitivity = S("sensitive");
	loc->n_evidence = 2;
	loc->evidence = ap_arena_calloc(a, 2, sizeof *loc->evidence);
	loc->evidence[0] = ev_perm(a, "android.permission.ACCESS_FINE_LOCATION", "location.precise");
	loc->evidence[1] = ev_code(a, AP_VIA_DEX_API, "sdk:gdt",
				   "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;",
				   "location.precise", "classes2.dex",
				   "Lcom/qq/e/comm/managers/status/DeviceStatus;->getLocation()V", 7);

	struct ap_rep_pi *apps = &r->pi[2];
	apps->category = S("app_list");
	apps->name = S("Installed app list");
	apps->sensitivity = S("general");
	apps->n_evidence = 1;
	apps->evidence = ap_arena_calloc(a, 1, sizeof *apps->evidence);
	apps->evidence[0] = ev_code(a, AP_VIA_REFLECTION, "first_party",
				    "Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;",
				    "app_list", "classes.dex",
				    "Lcom/example/video/\xe2\x80\xae" "evil\xe2\x80\xac;->scan()V", 3);
	apps->evidence[0].detail = S("Class.forName(\"android.content.pm.PackageManager\")\n"
				     "line2\x1b[31mred");
}

static const struct ap_ref *refs(struct ap_arena *a, size_t *n)
{
	struct ap_ref *v = ap_arena_calloc(a, 2, sizeof *v);
	v[0].id = S("PIPL-6");
	v[0].text = S("Collection limited to the minimum scope necessary for the purpose.");
	v[1].id = S("NPI-4");
	v[1].text = S("Basic functions must not be refused when non-necessary PI is declined.");
	*n = 2;
	return v;
}

static void build_findings(struct ap_report *r, struct ap_arena *a)
{
	r->n_findings = 4;
	r->findings = ap_arena_calloc(a, r->n_findings, sizeof *r->findings);
	struct ap_finding *f;

	f = &r->findings[0];
	f->rule = S("R02");
	f->title = S("Non-necessary permission");
	f->severity = AP_SEV_MEDIUM;
	f->dimension = 1;
	f->points = 4;
	f->message = S("ACCESS_FINE_LOCATION is not necessary for an online audio/video app");
	f->category = S("location.precise");
	f->owner = S("first_party");
	f->confidence = S("high");
	f->n_evidence = 1;
	f->evidence = &r->pi[1].evidence[0];
	f->refs = refs(a, &f->n_refs);
	f->remediation = S("Remove the permission or request it only for an optional feature.");

	f = &r->findings[1];
	f->rule = S("R05");
	f->title = S("Immutable device identifier");
	f->severity = AP_SEV_HIGH;
	f->dimension = 2;
	f->points = 12.5;
	f->message = S("Reads the IMEI (device_id.imei) from first-party code and the Umeng SDK");
	f->category = S("device_id.imei");
	f->owner = S("first_party");
	f->confidence = S("high");
	f->n_evidence = 3;
	f->evidence = &r->pi[0].evidence[1];
	f->refs = refs(a, &f->n_refs);
	f->remediation = S("Use a resettable identifier (OAID or an app-scoped UUID).");

	f = &r->findings[2];
	f->rule = S("R07");
	f->title = S("App list harvesting");
	f->severity = AP_SEV_HIGH;
	f->dimension = 2;
	f->points = 10;
	f->message = S("Enumerates installed packages via reflection");
	f->category = S("app_list");
	f->owner = S("first_party");
	f->confidence = S("medium");
	f->n_evidence = 1;
	f->evidence = &r->pi[2].evidence[0];
	f->remediation = S("Query only the packages you need (<queries>).");

	f = &r->findings[3];
	f->rule = S("R12");
	f->title = S("Cleartext traffic allowed");
	f->severity = AP_SEV_LOW;
	f->dimension = 3;
	f->points = 2;
	f->message = S("usesCleartextTraffic=true and an http:// endpoint");
	f->owner = S("first_party");
	f->confidence = S("high");
	f->remediation = S("Serve every endpoint over HTTPS.");
}

static void build_rules(struct ap_report *r, struct ap_arena *a)
{
	/* metadata for two rules only: the SARIF renderer must synthesize the rest from findings */
	r->n_rules = 2;
	struct ap_rep_rule *v = ap_arena_calloc(a, 2, sizeof *v);
	v[0].id = S("R05");
	v[0].title = S("Immutable device identifier");
	v[0].help = S("IMEI, MEID, serial number and MAC address cannot be reset by the user; "
		      "collecting them enables lifelong tracking.");
	v[0].severity = AP_SEV_HIGH;
	v[0].dimension = 2;
	v[0].refs = refs(a, &v[0].n_refs);
	v[0].remediation = S("Use a resettable identifier (OAID or an app-scoped UUID).");
	v[1].id = S("R02");
	v[1].title = S("Non-necessary permission");
	v[1].help = S("A dangerous permission that the app type does not need for its basic function.");
	v[1].severity = AP_SEV_MEDIUM;
	v[1].dimension = 1;
	v[1].remediation = S("Remove the permission.");
	r->rules = v;
}

static void build_lists(struct ap_report *r, struct ap_arena *a)
{
	r->n_permissions = 3;
	r->permissions = ap_arena_calloc(a, 3, sizeof *r->permissions);
	static const char *const imei[] = {"device_id.imei"}, *const loc[] = {"location.precise"};
	r->permissions[0] = (struct ap_rep_permission){S("android.permission.READ_PHONE_STATE"), true, 1,
						       true, strs(a, 1, imei), 1};
	r->permissions[1] = (struct ap_rep_permission){S("android.permission.ACCESS_FINE_LOCATION"), true,
						       -1, true, strs(a, 1, loc), 1};
	r->permissions[2] = (struct ap_rep_permission){S("android.permission.INTERNET"), true, 0, false,
						       NULL, 0};

	r->n_sdks = 2;
	r->sdks = ap_arena_calloc(a, 2, sizeof *r->sdks);
	static const char *const upi[] = {"device_id.imei"}, *const gpi[] = {"location.precise"};
	r->sdks[0] = (struct ap_rep_sdk){S("umeng"), S("Umeng Analytics"), S("\xe5\x8f\x8b\xe7\x9b\x9f"),
					 S("Alibaba"), S("CN"), S("analytics"), 213, strs(a, 1, upi), 1};
	r->sdks[1] = (struct ap_rep_sdk){S("gdt"), S("Tencent GDT"), NULL,
					 S("Tencent \xe2\x80\xae" "evil"), S("CN"), S("ads"), 1480,
					 strs(a, 1, gpi), 1};

	r->n_urls = 2;
	r->urls = ap_arena_calloc(a, 2, sizeof *r->urls);
	r->urls[0] = (struct ap_rep_url){S("http://log.example.com/collect?a=1&b=<x>"), S("first_party"),
					 S("Lcom/example/video/Track;->send()V"), true};
	r->urls[1] = (struct ap_rep_url){S("https://ulogs.umeng.com/unify_logs\r\nX-Injected: 1"),
					 S("sdk:umeng"), S("classes2.dex"), false};
	static const char *const apis[] = {"java.net.HttpURLConnection", "okhttp3.OkHttpClient"};
	r->network_apis = strs(a, 2, apis);
	r->n_network_apis = 2;

	r->n_components = 2;
	r->components = ap_arena_calloc(a, 2, sizeof *r->components);
	static const char *const act[] = {"android.intent.action.MAIN"};
	r->components[0] = (struct ap_rep_component){S("activity"), S("com.example.video.MainActivity"),
						     true, strs(a, 1, act), 1};
	r->components[1] = (struct ap_rep_component){S("service"), S("com.umeng.message.UmengService"),
						     false, NULL, 0};
}

struct ap_report *fx_report_new(void)
{
	struct ap_arena *a = ap_arena_new(4u << 20);
	struct ap_report *r = ap_arena_calloc(a, 1, sizeof *r);
	r->arena = a;
	r->tool_version = S("0.1.0");
	r->rules_version = S("2024.1");
	r->path = S("samples/apk/video over collect.apk");
	r->sha256 = S("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	r->size = 1234567;
	r->input_kind = S("apk");
	r->package = S(FX_PACKAGE);
	r->version_name = S(FX_VERSION);
	r->version_code = 42;
	r->label = S(FX_LABEL);
	r->label_zh = S(FX_LABEL_ZH);
	r->min_sdk = 21;
	r->target_sdk = 33;
	r->allow_backup = true;
	r->uses_cleartext = true;
	r->app_class = S("com.example.video.App");
	r->launcher = S("com.example.video.MainActivity");
	r->n_dex = 2;
	r->n_classes = 3120;
	r->n_methods = 24876;
	r->n_native_libs = 1;
	r->app_type = S("online_audio_video");
	r->app_type_name = S("Online audio/video (\xe7\xbd\x91\xe7\xbb\x9c\xe9\x9f\xb3\xe8\xa7\x86\xe9\xa2\x91)");
	r->app_type_source = S("inferred");
	r->app_type_confidence = 0.75;
	static const char *const reasons[] = {"label contains \"video\"", "ExoPlayer classes present"};
	r->app_type_reasons = strs(a, 2, reasons);
	r->n_app_type_reasons = 2;
	build_pi(r, a);
	build_findings(r, a);
	build_rules(r, a);
	build_lists(r, a);
	r->score_total = 61.5;
	r->grade = S("C");
	r->score_dim[0] = 84;
	r->score_dim[1] = 52.25;
	r->score_dim[2] = 71;

	struct ap_anomalies *an = ap_arena_calloc(a, 1, sizeof *an);
	ap_anom_init(an);
	ap_anom_add(an, "zip", "classes2.dex", 0x1f40, AP_ERR_TAMPER,
		    "local header name differs from central directory");
	ap_anom_add(an, "axml", "AndroidManifest.xml\x1b[1m", AP_OFFSET_NONE, AP_ERR_RANGE,
		    "string index 99999 out of range <b>bold</b>");
	r->anomalies = an;
	r->partial = false;
	r->elapsed_ms = 1234.5;
	r->deterministic = true;
	return r;
}

void fx_report_free(struct ap_report *r)
{
	if (!r)
		return;
	ap_anom_free((struct ap_anomalies *)r->anomalies);
	ap_arena_free(r->arena);
}
