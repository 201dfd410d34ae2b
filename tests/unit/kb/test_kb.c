/* Unit tests for the knowledge base (analyzer/rules): the built-in data loads cleanly and agrees
 * with the shared sources it was derived from, SDK attribution (longest prefix, infixes, the
 * Chinese SDKs), API/string matching, --rules DIR overrides and hostile override files. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/rules/kb.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_test.h"

static struct ap_kb *load_ok(const char *dir, struct ap_anomalies *an)
{
	struct ap_kb *kb = NULL;
	ap_anom_init(an);
	cr_assert_eq(ap_kb_load(dir, an, &kb), AP_OK);
	cr_assert_not_null(kb);
	return kb;
}

static void dump_anoms(const struct ap_anomalies *an)
{
	for (size_t i = 0; i < an->count; i++)
		cr_log_warn("anomaly: %s %s: %s", an->items[i].module,
			    an->items[i].where ? an->items[i].where : "-", an->items[i].what);
}

/* The knowledge folder of ../shared, or NULL (then the test skips; CI fails instead). */
static const char *knowledge_dir(void)
{
	static char path[4096];
	const char *shared = getenv("AP_SHARED_DIR") ? getenv("AP_SHARED_DIR") : AP_SHARED_DIR;
	struct stat st;
	snprintf(path, sizeof path, "%s/knowledge", shared);
	return stat(path, &st) == 0 ? path : NULL;
}
#define NEED_KNOWLEDGE()                                                                           \
	do {                                                                                       \
		if (!knowledge_dir()) {                                                            \
			if (getenv("CI"))                                                          \
				cr_assert_fail("CI=true but ../shared/knowledge is missing");      \
			cr_skip_test("skipped: ../shared/knowledge is absent (a user's clone); "    \
				     "CI always runs this");                                       \
		}                                                                                  \
	} while (0)

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char *p = ap_t_path(dir, name);
	FILE *f = fopen(p, "wb");
	cr_assert_not_null(f, "cannot write %s", p);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	free(p);
}

static void write_str(const char *dir, const char *name, const char *s)
{
	write_file(dir, name, s, strlen(s));
}

static char *make_tmpdir(void)
{
	char *d = strdup("/tmp/ap_kb_test_XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

static void rm_tmpdir(char *d)
{
	static const char *const names[] = {"VERSION", "categories.json", "apis.tsv", "sdks.tsv",
					    "strings.tsv", "permissions.tsv", "rules.json",
					    "scoring.json", "app_types.json", "network.tsv", "native.tsv"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *p = ap_t_path(d, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(d);
	free(d);
}

/* ---- the built-in data ----------------------------------------------------------------- */

Test(kb_builtin, loads_without_anomalies_and_carries_the_version)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	char *vpath = ap_t_path(AP_SOURCE_DIR, "analyzer/rules/VERSION");
	size_t vlen = 0;
	char *v = (char *)ap_t_slurp(vpath, &vlen);
	cr_assert_not_null(v);
	while (vlen && (v[vlen - 1] == '\n' || v[vlen - 1] == '\r'))
		v[--vlen] = '\0';
	dump_anoms(&an);
	cr_expect_eq(an.count, 0, "the built-in data has %zu anomalies (referential integrity)", an.count);
	cr_expect_str_eq(ap_kb_version(kb), v);
	cr_expect_str_eq(ap_kb_origin(kb), "builtin");
	cr_expect_eq(ap_kb_rule_count(kb), 20);
	cr_expect_eq(ap_kb_app_type_count(kb), 39);
	cr_expect_geq(ap_kb_sdk_count(kb), 487);
	cr_expect_gt(ap_kb_api_count(kb), 100);
	cr_expect_gt(ap_kb_netapi_count(kb), 10);
	cr_expect_gt(ap_kb_native_count(kb), 5);
	cr_log_info("kb %s: %zu categories, %zu permissions, %zu APIs, %zu strings, %zu network APIs, "
		    "%zu native symbols, %zu SDKs, %zu app types, %zu rules",
		    ap_kb_version(kb), ap_kb_category_count(kb), ap_kb_permission_count(kb),
		    ap_kb_api_count(kb), ap_kb_string_count(kb), ap_kb_netapi_count(kb),
		    ap_kb_native_count(kb), ap_kb_sdk_count(kb), ap_kb_app_type_count(kb),
		    ap_kb_rule_count(kb));
	free(v);
	free(vpath);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* Every category named anywhere exists (the loader canonicalises them; check independently). */
Test(kb_builtin, referential_integrity)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	size_t i, j, checked = 0;
#define EXISTS(id, what)                                                                           \
	do {                                                                                       \
		cr_expect_not_null(ap_kb_category(kb, id), "%s names unknown category %s", what, id); \
		checked++;                                                                         \
	} while (0)
	for (i = 0; i < ap_kb_api_count(kb); i++)
		EXISTS(ap_kb_api_at(kb, i)->category, ap_kb_api_at(kb, i)->name);
	for (i = 0; i < ap_kb_string_count(kb); i++)
		EXISTS(ap_kb_string_at(kb, i)->category, ap_kb_string_at(kb, i)->value);
	for (i = 0; i < ap_kb_permission_count(kb); i++)
		for (j = 0; j < ap_kb_permission_at(kb, i)->pi.n; j++)
			EXISTS(ap_kb_permission_at(kb, i)->pi.v[j], ap_kb_permission_at(kb, i)->name);
	for (i = 0; i < ap_kb_sdk_count(kb); i++)
		for (j = 0; j < ap_kb_sdk_at(kb, i)->known_pi.n; j++)
			EXISTS(ap_kb_sdk_at(kb, i)->known_pi.v[j], ap_kb_sdk_at(kb, i)->id);
	for (i = 0; i < ap_kb_app_type_count(kb); i++) {
		const struct ap_kb_app_type *t = ap_kb_app_type_at(kb, i);
		for (j = 0; j < t->necessary_pi.n; j++)
			EXISTS(t->necessary_pi.v[j], t->id);
		for (j = 0; j < t->local_only.n; j++)
			EXISTS(t->local_only.v[j], t->id);
		for (j = 0; j < t->hint_sdks.n; j++)
			cr_expect_not_null(ap_kb_sdk(kb, t->hint_sdks.v[j]), "%s", t->hint_sdks.v[j]);
	}
	for (i = 0; i < ap_kb_rule_count(kb); i++) {
		const struct ap_kb_rule *r = ap_kb_rule_at(kb, i);
		cr_expect(r->refs.n > 0, "%s has no references", r->id);
		for (j = 0; j < r->refs.n; j++)
			cr_expect_not_null(ap_kb_ref_text(kb, r->refs.v[j]), "%s", r->refs.v[j]);
		cr_expect_not_null(r->remediation, "%s", r->id);
		cr_expect(r->dimensions != 0, "%s has no dimension", r->id);
	}
	for (i = 0; i < ap_kb_native_count(kb); i++)
		if (ap_kb_native_at(kb, i)->category)
			EXISTS(ap_kb_native_at(kb, i)->category, ap_kb_native_at(kb, i)->symbol);
	cr_log_info("%zu category references checked", checked);
	cr_expect_gt(checked, 500);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

Test(kb_builtin, categories_sensitivity_and_aliases)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	const struct ap_kb_category *c = ap_kb_category(kb, "location.precise");
	cr_assert_not_null(c);
	cr_expect(c->sensitive);
	cr_expect(c->device_api);
	cr_expect_str_eq(c->csac_class_zh, "位置");
	cr_expect_str_eq(c->name_zh, "精准定位信息");
	c = ap_kb_category(kb, "device_id.imei");
	cr_assert_not_null(c);
	cr_expect(c->immutable);
	cr_expect_not(c->sensitive);
	cr_expect_not(ap_kb_category(kb, "device_id.android_id")->immutable);
	/* taxonomy ids and SDK vocabulary resolve to the same canonical category */
	cr_expect_eq(ap_kb_category(kb, "microphone"), ap_kb_category(kb, "audio.microphone"));
	cr_expect_eq(ap_kb_category(kb, "phone_number.device"), ap_kb_category(kb, "phone_number"));
	cr_expect_eq(ap_kb_category(kb, "device_id.meid"), ap_kb_category(kb, "device_id.imei"));
	cr_expect_eq(ap_kb_category(kb, "running_processes"), ap_kb_category(kb, "app_list"));
	cr_expect_null(ap_kb_category(kb, "no.such.category"));
	cr_expect(ap_kb_category_within(kb, "location.wifi", "location.device"));
	cr_expect(ap_kb_category_within(kb, "location.background", "location.track"));
	cr_expect_not(ap_kb_category_within(kb, "location.device", "location.wifi"));
	cr_expect_str_eq(ap_kb_category(kb, "contacts")->sensitive ? "s" : "g", "s");
	ap_kb_free(kb);
	ap_anom_free(&an);
}

Test(kb_builtin, method_field_and_string_matching)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	const struct ap_kb_api *m[8];
	const struct ap_kb_string *s[8];
	size_t n;
	n = ap_kb_match_method(kb, "Landroid/telephony/TelephonyManager;", "getDeviceId",
			       "()Ljava/lang/String;", m, 8);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(m[0]->category, "device_id.imei");
	cr_expect_gt(m[0]->permissions.n, 0);
	cr_expect_eq(ap_kb_match_method(kb, "Landroid/telephony/TelephonyManager;", "getDeviceId",
					NULL, m, 8), 2, "getDeviceId() and getDeviceId(I)");
	n = ap_kb_match_method(kb, "Landroid/telephony/TelephonyManager;", "getDeviceId", "(I)Ljava/lang/String;", m, 8);
	cr_assert_eq(n, 1);
	cr_expect_eq(m[0]->min_api, 23);
	/* '(*)' entries match any overload */
	n = ap_kb_match_method(kb, "Landroid/location/LocationManager;", "requestLocationUpdates",
			       "(Ljava/lang/String;JFLandroid/location/LocationListener;)V", m, 8);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(m[0]->category, "location.precise");
	cr_expect_null(m[0]->proto);
	n = ap_kb_match_method(kb, "Landroid/provider/Settings$Secure;", "getString",
			       "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;", m, 8);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(m[0]->requires, "string:android_id");
	cr_expect_eq(ap_kb_match_method(kb, "Landroid/content/ContentResolver;", "query", NULL, m, 8), 5,
		     "contacts, call_log, sms, calendar, media.photos");
	cr_expect_str_eq(m[0]->requires, "uri");
	cr_expect_eq(ap_kb_match_method(kb, "Landroid/telephony/TelephonyManager;", "getDeviceId",
					"(J)V", m, 8), 0);
	cr_expect_eq(ap_kb_match_method(kb, "Landroid/os/Build;", "SERIAL", NULL, m, 8), 0,
		     "a field is not a method");
	n = ap_kb_match_field(kb, "Landroid/os/Build;", "SERIAL", "Ljava/lang/String;", m, 8);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(m[0]->category, "device_id.serial");
	n = ap_kb_match_field(kb, "Landroid/provider/CallLog$Calls;", "CONTENT_URI", NULL, m, 8);
	cr_assert_eq(n, 1);
	cr_expect_eq(m[0]->kind, AP_KB_API_URI_FIELD);
	/* MSA OAID in its three package layouts */
	cr_expect_eq(ap_kb_match_method(kb, "Lcom/bun/miitmdid/interfaces/IdSupplier;", "getOAID", NULL, m, 8), 1);
	cr_expect_eq(ap_kb_match_method(kb, "Lcom/bun/miitmdid/supplier/IdSupplier;", "getOAID", NULL, m, 8), 1);
	cr_expect_eq(ap_kb_match_method(kb, "Lcom/bun/supplier/IdSupplier;", "getOAID", NULL, m, 8), 1);
	/* strings */
	n = ap_kb_match_string(kb, "android_id", AP_KB_WHERE_DEX, s, 8);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(s[0]->category, "device_id.android_id");
	n = ap_kb_match_string(kb, "/sys/class/net/wlan0/address", AP_KB_WHERE_NATIVE, s, 8);
	cr_expect_eq(n, 2, "the exact path and the /sys/class/net/ prefix");
	cr_expect_str_eq(s[0]->category, "device_id.mac");
	n = ap_kb_match_string(kb, "content://sms/inbox", AP_KB_WHERE_DEX, s, 8);
	cr_assert_geq(n, 1);
	cr_expect_str_eq(s[0]->category, "sms");
	n = ap_kb_match_string(kb, "ro.serialno", AP_KB_WHERE_NATIVE, s, 8);
	cr_assert_eq(n, 1);
	cr_expect_eq(s[0]->kind, AP_KB_STR_SYSPROP);
	cr_expect_eq(ap_kb_match_string(kb, "getDeviceId", AP_KB_WHERE_NATIVE, s, 8), 0,
		     "reflection targets are DEX-only");
	cr_expect_eq(ap_kb_match_string(kb, "getDeviceId", AP_KB_WHERE_DEX, s, 8), 1);
	cr_expect_eq(ap_kb_match_string(kb, "android_i", AP_KB_WHERE_DEX, s, 8), 0);
	/* network and native */
	const struct ap_kb_netapi *na = ap_kb_match_netapi(kb, "Lokhttp3/OkHttpClient;", "newCall",
							    "(Lokhttp3/Request;)Lokhttp3/Call;");
	cr_assert_not_null(na);
	cr_expect_str_eq(na->library, "okhttp3");
	cr_expect_not_null(ap_kb_match_netapi(kb, "Ljava/net/Socket;", "<init>", "(Ljava/lang/String;I)V"));
	cr_expect_null(ap_kb_match_netapi(kb, "Ljava/net/Socket;", "close", "()V"));
	cr_expect_str_eq(ap_kb_native_symbol(kb, "__system_property_get")->kind, "sysprop_read");
	cr_expect_null(ap_kb_native_symbol(kb, "printf"));
	/* permissions */
	const struct ap_kb_permission *p = ap_kb_permission(kb, "android.permission.READ_PHONE_STATE");
	cr_assert_not_null(p);
	cr_expect(p->dangerous);
	cr_expect_eq(ap_kb_permission(kb, "READ_PHONE_STATE"), p);
	cr_expect_not(ap_kb_permission(kb, "android.permission.QUERY_ALL_PACKAGES")->dangerous);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* The API list is sorted by (class, name) so the analysis can walk it once per DEX. */
Test(kb_builtin, api_list_is_sorted_and_self_matching)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	for (size_t i = 0; i < ap_kb_api_count(kb); i++) {
		const struct ap_kb_api *a = ap_kb_api_at(kb, i), *m[16];
		if (i) {
			const struct ap_kb_api *b = ap_kb_api_at(kb, i - 1);
			int r = strcmp(b->class_desc, a->class_desc);
			cr_expect(r < 0 || (r == 0 && strcmp(b->name, a->name) <= 0));
		}
		size_t n = a->kind == AP_KB_API_METHOD
				   ? ap_kb_match_method(kb, a->class_desc, a->name, a->proto, m, 16)
				   : ap_kb_match_field(kb, a->class_desc, a->name, a->proto, m, 16);
		bool found = false;
		for (size_t j = 0; j < n && j < 16; j++)
			found = found || m[j] == a;
		cr_expect(found, "%s->%s does not match itself", a->class_desc, a->name);
	}
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* ---- SDK attribution ------------------------------------------------------------------- */

struct sdk_case {
	char cls[96];
	char id[48];
};

ParameterizedTestParameters(kb_sdk, chinese_sdks_found_by_class)
{
	static struct sdk_case cases[] = {
		{"Lcom/umeng/analytics/MobclickAgent;", "umeng_analytics"},
		{"Lcom/umeng/commonsdk/UMConfigure;", "umeng_analytics"},
		{"Lcom/umeng/message/PushAgent;", "umeng_push"},
		{"Lcn/jpush/android/api/JPushInterface;", "jiguang_jpush"},
		{"Lcn/jiguang/api/JCoreInterface;", "jiguang_jcore"},
		{"Lcom/igexin/sdk/PushManager;", "getui_push"},
		{"Lcom/tencent/bugly/crashreport/CrashReport;", "tencent_bugly"},
		{"Lcom/qq/e/ads/banner2/UnifiedBannerView;", "tencent_gdt"},
		{"Lcom/bytedance/sdk/openadsdk/TTAdSdk;", "pangle"},
		{"Lcom/baidu/mapapi/SDKInitializer;", "baidu_map"},
		{"Lcom/baidu/location/LocationClient;", "baidu_location"},
		{"Lcom/baidu/mobstat/StatService;", "baidu_mobstat"},
		{"Lcom/amap/api/location/AMapLocationClient;", "amap"},
		{"Lcom/bun/miitmdid/core/MdidSdkHelper;", "msa_oaid"},
		{"Lcom/huawei/hms/push/HmsMessaging;", "huawei_hms_push"},
		{"Lcom/xiaomi/mipush/sdk/MiPushClient;", "xiaomi_push"},
		{"Lcom/heytap/msp/push/HeytapPushManager;", "oppo_push"},
		{"Lcom/vivo/push/PushClient;", "vivo_push"},
		{"Lcom/sensorsdata/analytics/android/sdk/SensorsDataAPI;", "sensors_analytics"},
		{"Lcom/growingio/android/sdk/collection/GrowingIO;", "growingio"},
		{"Lcom/tendcloud/tenddata/TCAgent;", "talkingdata"},
		{"Lcn/sharesdk/framework/ShareSDK;", "mobtech_sharesdk"},
		{"Lcom/mob/MobSDK;", "mobtech_mobsdk"},
		{"Lcom/alibaba/sdk/android/push/CloudPushService;", "aliyun_emas_push"},
		{"Lcom/taobao/sophix/SophixManager;", "alibaba_sophix"},
		{"Lcom/tencent/beacon/event/UserAction;", "tencent_beacon"},
		{"Lcom/tencent/android/tpush/XGPushManager;", "tencent_tpns"},
		{"Lcom/kwad/sdk/api/KsAdSDK;", "kuaishou_ads"},
		{"Lcom/sina/weibo/sdk/WbSdk;", "weibo_sdk"},
		{"Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;", "wechat_opensdk"},
		{"Lcom/tencent/tauth/Tencent;", "qq_connect"},
		{"Lcom/alipay/sdk/app/PayTask;", "alipay_sdk"},
	};
	return cr_make_param_array(struct sdk_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct sdk_case *c, kb_sdk, chinese_sdks_found_by_class)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	const struct ap_kb_sdk *s = ap_kb_sdk_for_class(kb, c->cls);
	cr_assert_not_null(s, "%s: no SDK", c->cls);
	cr_expect_str_eq(s->id, c->id, "%s", c->cls);
	cr_expect_str_eq(s->country, "CN", "%s", s->id);
	cr_expect((s->name_zh && *s->name_zh) || s->exodus_id, "%s", s->id);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

Test(kb_sdk, longest_prefix_wins)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	static const char *const cases[][2] = {
		{"Lcn/jiguang/ads/Foo;", "jiguang_jad"},
		{"Lcn/jiguang/verifysdk/api/JVerificationInterface;", "jiguang_jverification"},
		{"Lcn/jiguang/Foo;", "jiguang_jcore"},
		{"Lcom/tencent/map/geolocation/TencentLocationManager;", "wechat_location"},
		{"Lcom/tencent/map/sdk/Map;", "tencent_map"},
		{"Lcom/bytedance/applog/AppLog;", "bytedance_datafinder"},
		{"Lcom/bytedance/msdk/api/GMAdSdk;", "bytedance_gromore"},
		{"Lcom/bytedance/other/Thing;", "pangle"},
		{"Lcom/umeng/umzid/ZIDManager;", "umeng_zid"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct ap_kb_sdk *s = ap_kb_sdk_for_class(kb, cases[i][0]);
		cr_assert_not_null(s, "%s", cases[i][0]);
		cr_expect_str_eq(s->id, cases[i][1], "%s", cases[i][0]);
	}
	cr_expect_null(ap_kb_sdk_for_class(kb, "Lcom/example/app/MainActivity;"));
	cr_expect_null(ap_kb_sdk_for_class(kb, "Lcn/jiguan;"), "a shorter name is no match");
	cr_expect_null(ap_kb_sdk_for_class(kb, ""));
	cr_expect_null(ap_kb_sdk_for_class(kb, NULL));
	cr_expect_eq(ap_kb_sdk_for_dotted(kb, "cn.jiguang.ads.Foo"), ap_kb_sdk(kb, "jiguang_jad"));
	ap_kb_free(kb);
	ap_anom_free(&an);
}

Test(kb_sdk, infix_matches_as_substring)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	const struct ap_kb_sdk *s = ap_kb_sdk_for_class(kb, "Lcom/example/sizmek/Tracker;");
	cr_assert_not_null(s);
	cr_expect_str_eq(s->id, "sizmek");
	s = ap_kb_sdk_for_class(kb, "Lde/foo/tealium/Tag;");
	cr_assert_not_null(s);
	cr_expect_str_eq(s->id, "tealium");
	cr_expect_null(ap_kb_sdk_for_class(kb, "Lcom/sizmekfoo/Bar;"), "infix dots are literal");
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* Against an independent brute force over every prefix of every SDK. */
Test(kb_sdk, trie_agrees_with_brute_force_longest_prefix)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	size_t checked = 0;
	for (size_t i = 0; i < ap_kb_sdk_count(kb); i++) {
		const struct ap_kb_sdk *s = ap_kb_sdk_at(kb, i);
		for (size_t j = 0; j < s->prefixes.n; j++) {
			char dotted[512], desc[520];
			const struct ap_kb_sdk *want = NULL;
			size_t best = 0;
			snprintf(dotted, sizeof dotted, "%sZz9", s->prefixes.v[j]);
			for (size_t k = 0; k < ap_kb_sdk_count(kb); k++) {
				const struct ap_kb_sdk *o = ap_kb_sdk_at(kb, k);
				for (size_t l = 0; l < o->prefixes.n; l++) {
					size_t len = strlen(o->prefixes.v[l]);
					if (len > best && !strncmp(dotted, o->prefixes.v[l], len)) {
						best = len;
						want = o;
					}
				}
			}
			snprintf(desc, sizeof desc, "L%s;", dotted);
			for (char *p = desc; *p; p++)
				if (*p == '.')
					*p = '/';
			cr_expect_eq(ap_kb_sdk_for_class(kb, desc), want, "%s", desc);
			cr_expect_eq(ap_kb_sdk_for_dotted(kb, dotted), want, "%s", dotted);
			checked++;
		}
	}
	cr_expect_gt(checked, 600);
	cr_log_info("%zu SDK prefixes checked against brute force", checked);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* ---- app types, rules, scoring --------------------------------------------------------- */

Test(kb_types, necessity_and_hints)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	const struct ap_kb_app_type *map = ap_kb_app_type(kb, "map_navigation");
	const struct ap_kb_app_type *av = ap_kb_app_type(kb, "online_audio_video");
	cr_assert_not_null(map);
	cr_assert_not_null(av);
	cr_expect_eq(map->number, 1);
	cr_expect_eq(ap_kb_app_type_by_number(kb, 28), av);
	cr_expect(av->no_pi_needed);
	cr_expect_eq(av->necessary_pi.n, 0);
	cr_expect(ap_kb_app_type_needs(kb, map, "location.precise"));
	cr_expect(ap_kb_app_type_needs(kb, map, "location.wifi"));
	cr_expect_not(ap_kb_app_type_needs(kb, map, "device_id.imei"));
	cr_expect_not(ap_kb_app_type_needs(kb, av, "location.precise"));
	cr_expect_not(ap_kb_app_type_needs(kb, av, "device_id.imei"));
	cr_expect(ap_kb_app_type_local_only(kb, av, "storage"));
	cr_expect(ap_kb_app_type_local_only(kb, ap_kb_app_type(kb, "instant_messaging"), "microphone"));
	cr_expect_str_eq(ap_kb_app_type_keyword(av, "超清视频播放器"), "视频");
	cr_expect_str_eq(ap_kb_app_type_keyword(av, "com.example.MovieBox"), "movie");
	cr_expect_str_eq(ap_kb_app_type_keyword(map, "Offline Map"), "map");
	cr_expect_null(ap_kb_app_type_keyword(map, "com.example.mapper"), "short keywords match whole words");
	size_t no_pi = 0;
	for (size_t i = 0; i < ap_kb_app_type_count(kb); i++)
		no_pi += ap_kb_app_type_at(kb, i)->no_pi_needed;
	cr_expect_eq(no_pi, 13, "the Provisions name 13 types that need no PI");
	ap_kb_free(kb);
	ap_anom_free(&an);
}

Test(kb_rules, rules_and_scoring)
{
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	char id[8];
	for (int i = 1; i <= 20; i++) {
		snprintf(id, sizeof id, "R%02d", i);
		cr_expect_not_null(ap_kb_rule(kb, id), "%s missing", id);
	}
	const struct ap_kb_rule *r = ap_kb_rule(kb, "R06");
	cr_assert_not_null(r);
	cr_expect_str_eq(r->code, "IMMUTABLE_DEVICE_ID");
	cr_expect_eq(r->severity, AP_KB_SEV_MEDIUM);
	cr_expect_eq(r->severity_escalated, AP_KB_SEV_HIGH);
	cr_expect_eq(r->dimensions, (1u << 1) | (1u << 2));
	cr_expect_not(r->needs_reachability);
	cr_expect(ap_kb_rule(kb, "R01")->needs_reachability);
	const struct ap_kb_scoring *s = ap_kb_scoring(kb);
	cr_expect_eq(s->points[AP_KB_SEV_HIGH], 15);
	cr_expect_eq(s->points[AP_KB_SEV_MEDIUM], 8);
	cr_expect_eq(s->points[AP_KB_SEV_LOW], 3);
	cr_expect_eq(s->level_weight[3], 1.3);
	cr_expect_eq(s->no_pi_multiplier, 1.5);
	cr_expect_str_eq(ap_kb_grade(kb, 100), "A");
	cr_expect_str_eq(ap_kb_grade(kb, 74.9), "C");
	cr_expect_str_eq(ap_kb_grade(kb, 0), "E");
	cr_expect_str_eq(ap_kb_severity_name(AP_KB_SEV_HIGH), "high");
	cr_expect_not_null(s->dimension_name[3]);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* ---- agreement with the shared sources ------------------------------------------------- */

Test(kb_shared, every_shared_sdk_row_is_present_with_its_prefixes)
{
	NEED_KNOWLEDGE();
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	struct ap_t_tsv t;
	char *path = ap_t_path(knowledge_dir(), "sdk-signatures.tsv");
	cr_assert(ap_t_tsv_load(path, &t));
	int c_id = ap_t_tsv_col(&t, "id"), c_pre = ap_t_tsv_col(&t, "code_prefixes"),
	    c_country = ap_t_tsv_col(&t, "vendor_country");
	cr_assert(c_id >= 0 && c_pre >= 0 && c_country >= 0);
	size_t cn = 0;
	cr_expect_eq(t.n_rows - 1, 487, "sdk-signatures.tsv rows");
	for (size_t r = 1; r < t.n_rows; r++) {
		const struct ap_kb_sdk *s = ap_kb_sdk(kb, t.rows[r][c_id]);
		cr_assert_not_null(s, "SDK %s missing", t.rows[r][c_id]);
		cr_expect_str_eq(s->country, t.rows[r][c_country], "%s", s->id);
		cn += !strcmp(s->country, "CN");
		/* each of its prefixes attributes a class under it to this SDK or a nested longer one */
		char *pre = strdup(t.rows[r][c_pre]);
		for (char *sv = NULL, *p = strtok_r(pre, ",", &sv); p; p = strtok_r(NULL, ",", &sv)) {
			char dotted[512];
			snprintf(dotted, sizeof dotted, "%sQq", p);
			const struct ap_kb_sdk *got = ap_kb_sdk_for_dotted(kb, dotted);
			cr_expect_eq(got, s, "%s: prefix %s attributed to %s", s->id, p,
				     got ? got->id : "nothing");
		}
		free(pre);
	}
	cr_log_info("%zu shared SDK rows, %zu Chinese; kb holds %zu", t.n_rows - 1, cn, ap_kb_sdk_count(kb));
	ap_t_tsv_free(&t);
	free(path);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

static struct json_object *read_json(const char *name)
{
	char *p = ap_t_path(knowledge_dir(), name);
	struct json_object *o = json_object_from_file(p);
	cr_assert_not_null(o, "cannot parse %s", p);
	free(p);
	return o;
}

Test(kb_shared, app_types_match_the_provisions_table)
{
	NEED_KNOWLEDGE();
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	struct json_object *root = read_json("app-types.json"), *types;
	cr_assert(json_object_object_get_ex(root, "types", &types));
	cr_expect_eq(json_object_array_length(types), 39);
	for (size_t i = 0; i < json_object_array_length(types); i++) {
		struct json_object *t = json_object_array_get_idx(types, i), *v, *nec;
		json_object_object_get_ex(t, "id", &v);
		const struct ap_kb_app_type *k = ap_kb_app_type(kb, json_object_get_string(v));
		cr_assert_not_null(k, "type %s", json_object_get_string(v));
		json_object_object_get_ex(t, "number", &v);
		cr_expect_eq(k->number, json_object_get_int(v));
		json_object_object_get_ex(t, "no_pi_needed", &v);
		cr_expect_eq(k->no_pi_needed, json_object_get_boolean(v), "%s", k->id);
		json_object_object_get_ex(t, "necessary_pi", &nec);
		cr_expect_eq(k->necessary_pi.n, json_object_array_length(nec), "%s", k->id);
		for (size_t j = 0; j < json_object_array_length(nec) && j < k->necessary_pi.n; j++)
			cr_expect_eq(ap_kb_category(kb, json_object_get_string(json_object_array_get_idx(nec, j))),
				     ap_kb_category(kb, k->necessary_pi.v[j]), "%s", k->id);
	}
	json_object_put(root);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* Every taxonomy category with device_api origin is present (by id or alias) with the same
 * sensitivity and immutability, and every API signature it lists is matchable. */
Test(kb_shared, taxonomy_device_categories_and_apis_present)
{
	NEED_KNOWLEDGE();
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	struct json_object *root = read_json("pi-taxonomy.json"), *cats;
	size_t n_dev = 0, n_api = 0;
	cr_assert(json_object_object_get_ex(root, "categories", &cats));
	for (size_t i = 0; i < json_object_array_length(cats); i++) {
		struct json_object *c = json_object_array_get_idx(cats, i), *v, *android, *apis;
		json_object_object_get_ex(c, "id", &v);
		const char *id = json_object_get_string(v);
		const struct ap_kb_category *k = ap_kb_category(kb, id);
		cr_assert_not_null(k, "taxonomy category %s missing", id);
		json_object_object_get_ex(c, "cn_sensitivity", &v);
		cr_expect_eq(k->sensitive, !strcmp(json_object_get_string(v), "sensitive"), "%s", id);
		if (json_object_object_get_ex(c, "immutable_identifier", &v))
			cr_expect_eq(k->immutable, json_object_get_boolean(v), "%s", id);
		if (!json_object_object_get_ex(c, "origin", &v) ||
		    strcmp(json_object_get_string(v), "device_api"))
			continue;
		n_dev++;
		cr_expect(k->device_api, "%s", id);
		if (!json_object_object_get_ex(c, "android", &android) ||
		    !json_object_object_get_ex(android, "apis", &apis))
			continue;
		for (size_t j = 0; j < json_object_array_length(apis); j++) {
			struct json_object *sig;
			json_object_object_get_ex(json_object_array_get_idx(apis, j), "sig", &sig);
			char buf[512], *arrow, *paren, *colon;
			const struct ap_kb_api *m[8];
			snprintf(buf, sizeof buf, "%s", json_object_get_string(sig));
			arrow = strstr(buf, "->");
			cr_assert_not_null(arrow);
			*arrow = '\0';
			paren = strchr(arrow + 2, '(');
			colon = strchr(arrow + 2, ':');
			size_t n;
			if (paren) {
				bool any = !strcmp(paren, "(*)");
				*paren = '\0';
				char proto[400];
				snprintf(proto, sizeof proto, "(%s", paren + 1);
				n = ap_kb_match_method(kb, buf, arrow + 2, any ? NULL : proto, m, 8);
			} else {
				cr_assert_not_null(colon);
				*colon = '\0';
				n = ap_kb_match_field(kb, buf, arrow + 2, colon + 1, m, 8);
			}
			cr_expect_gt(n, 0, "%s not in apis.tsv", json_object_get_string(sig));
			n_api++;
		}
	}
	cr_log_info("%zu device_api taxonomy categories, %zu taxonomy API signatures matched", n_dev, n_api);
	cr_expect_gt(n_dev, 30);
	json_object_put(root);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* The dangerous flag agrees with Android's own manifest (framework-res.apk, via aapt) for
 * every permission both know. */
Test(kb_shared, permission_protection_matches_framework_res)
{
	const char *fw = "/usr/share/android-framework-res/framework-res.apk";
	/* (ap_test.h's AP_T_NEED_TOOL uses the new-API cr_fail, which Criterion 2.4's classic
	 * assert.h does not accept with a format) */
	if (!ap_t_have_tool("aapt")) {
		if (getenv("CI"))
			cr_assert_fail("CI=true but aapt is not installed");
		cr_skip_test("skipped: aapt is not installed");
	}
	if (access(fw, R_OK) != 0) {
		if (getenv("CI"))
			cr_assert_fail("CI=true but %s is missing", fw);
		cr_skip_test("skipped: %s is absent", fw);
	}
	char *const argv[] = {"aapt", "dump", "xmltree", (char *)fw, "AndroidManifest.xml", NULL};
	int status = -1;
	char *out = ap_t_run(argv, 64u << 20, &status);
	cr_assert_not_null(out);
	cr_assert_eq(status, 0);
	struct ap_anomalies an;
	struct ap_kb *kb = load_ok(NULL, &an);
	size_t compared = 0, dangerous = 0;
	/* element "E: permission", then its A: android:name and android:protectionLevel lines */
	for (char *e = strstr(out, "E: permission "); e; e = strstr(e + 1, "E: permission ")) {
		char *next = strstr(e + 1, "E: ");
		char *nm = strstr(e, "android:name(");
		char *pl = strstr(e, "android:protectionLevel(");
		char name[256];
		unsigned long level;
		if (!nm || (next && nm > next) || !pl || (next && pl > next))
			continue;
		nm = strchr(nm, '"');
		if (!nm || sscanf(nm + 1, "%255[^\"]", name) != 1)
			continue;
		pl = strstr(pl, ")0x");
		if (!pl)
			continue;
		level = strtoul(pl + 1, NULL, 16);
		const struct ap_kb_permission *p = ap_kb_permission(kb, name);
		if (!p)
			continue;
		compared++;
		dangerous += (level & 0xf) == 1;
		cr_expect_eq(p->dangerous, (level & 0xf) == 1, "%s: kb says %s, framework-res 0x%lx",
			     name, p->protection, level);
	}
	cr_log_info("%zu permissions compared with framework-res.apk (API 29), %zu dangerous", compared, dangerous);
	cr_expect_geq(compared, 40);
	free(out);
	ap_kb_free(kb);
	ap_anom_free(&an);
}

/* ---- --rules DIR ----------------------------------------------------------------------- */

Test(kb_dir, override_replaces_only_the_files_present)
{
	struct ap_anomalies an0, an;
	struct ap_kb *base = load_ok(NULL, &an0);
	char *d = make_tmpdir();
	write_str(d, "VERSION", "9999.1.0-test\n");
	write_str(d, "sdks.tsv", "id\tname\tvendor\tcountry\tcategory\tprefixes\tknown_pi\n"
				 "acme\tAcme Track\tAcme\tXX\tanalytics\tcom.acme.\tdevice_id.meid\n");
	struct ap_kb *kb = load_ok(d, &an);
	/* the only complaints: app types hinting at SDKs the one-row table no longer has */
	for (size_t i = 0; i < an.count; i++)
		cr_expect(an.items[i].where && !strcmp(an.items[i].where, "app_types.json") &&
				  strstr(an.items[i].what, "unknown SDK"),
			  "unexpected anomaly: %s", an.items[i].what);
	cr_expect_gt(an.count, 0, "the dangling SDK hints are reported");
	cr_expect_str_eq(ap_kb_version(kb), "9999.1.0-test");
	cr_expect_str_eq(ap_kb_origin(kb), d);
	cr_expect_eq(ap_kb_sdk_count(kb), 1);
	const struct ap_kb_sdk *s = ap_kb_sdk_for_class(kb, "Lcom/acme/X;");
	cr_assert_not_null(s);
	cr_expect_str_eq(s->id, "acme");
	cr_expect_str_eq(s->known_pi.v[0], "device_id.imei", "aliases are canonicalised");
	cr_expect_null(ap_kb_sdk_for_class(kb, "Lcom/umeng/analytics/A;"));
	cr_expect_eq(ap_kb_api_count(kb), ap_kb_api_count(base), "absent files stay built-in");
	cr_expect_eq(ap_kb_category_count(kb), ap_kb_category_count(base));
	ap_kb_free(kb);
	ap_kb_free(base);
	ap_anom_free(&an);
	ap_anom_free(&an0);
	rm_tmpdir(d);
}

Test(kb_dir, missing_dir_is_an_io_error)
{
	struct ap_anomalies an;
	struct ap_kb *kb = (struct ap_kb *)1;
	ap_anom_init(&an);
	cr_expect_eq(ap_kb_load("/nonexistent/apkpriv-rules", &an, &kb), AP_ERR_IO);
	cr_expect_null(kb);
	cr_expect(ap_anom_has(&an, "kb", AP_ERR_IO));
	ap_anom_free(&an);
}

struct bad_case {
	char file[32];
	char body[200];
	size_t len; /* 0 = strlen(body) */
	bool whole_file_rejected; /* falls back to the built-in copy */
};

ParameterizedTestParameters(kb_dir, malformed_file_gives_an_anomaly)
{
	static struct bad_case cases[] = {
		{"categories.json", "{ \"categories\": [ {\"id\": ", 0, true},
		{"categories.json", "[1, 2, 3]", 0, true},
		{"categories.json", "{\"categories\": 5}", 0, true},
		{"categories.json", "{\"categories\": [{\"id\": \"x\", \"parent\": \"nope\", \"sensitivity\": \"very\"}]}", 0, false},
		{"app_types.json", "{\"types\": [{\"id\": \"t\", \"number\": 1, \"necessary_pi\": [\"ghost.cat\"]}]}", 0, false},
		{"rules.json", "{\"rules\": [{\"id\": \"R1\", \"title\": \"t\", \"severity\": \"apocalyptic\"}]}", 0, false},
		{"rules.json", "\x00\x01\x02{", 4, true},
		{"scoring.json", "{\"points\": {}}", 0, true},
		{"sdks.tsv", "", 0, true},
		{"sdks.tsv", "id\tname\n", 0, true},
		{"sdks.tsv", "id\tname\tvendor\tcountry\tcategory\tprefixes\nx\tX\tV\tC\tc\tcom.x.\textra\n", 0, false},
		{"sdks.tsv", "id\tname\tvendor\tcountry\tcategory\tprefixes\na\tA\tV\tC\tc\tcom.dup.\nb\tB\tV\tC\tc\tcom.dup.\n", 0, false},
		{"sdks.tsv", "id\tname\tvendor\tcountry\tcategory\tprefixes\nbad\tB\tV\tC\tc\tcom/bad;\n", 0, false},
		{"apis.tsv", "kind\tclass\tname\tproto\tcategory\nmethod\tnot a class\tf\t()V\tcontacts\n", 0, false},
		{"apis.tsv", "kind\tclass\tname\tproto\tcategory\nteleport\tLa;\tf\t()V\tcontacts\n", 0, false},
		{"apis.tsv", "kind\tclass\tname\tproto\tcategory\nmethod\tLa;\tf\t()V\tghost.category\n", 0, false},
		{"apis.tsv", "kind\tclass\tname\tproto\tcategory\nmethod\tLa;\tf\t(\tcontacts\n", 0, false},
		{"strings.tsv", "kind\tvalue\tmatch\tcategory\twhere\nconst\tx\tfuzzy\tcontacts\tdex\n", 0, false},
		{"permissions.tsv", "name\tprotection\tdangerous\tcategories\nandroid.permission.X\tdangerous\tmaybe\t\n", 0, false},
		{"network.tsv", "class\tname\n", 0, true},
		{"native.tsv", "symbol\tkind\tcategory\n\tnetwork\t\n", 0, false},
		{"apis.tsv", "kind\tclass\tname\tproto\tcategory\nmethod\tLa;\tf\x00g\t()V\tcontacts\n", 59, false},
	};
	return cr_make_param_array(struct bad_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_case *c, kb_dir, malformed_file_gives_an_anomaly)
{
	struct ap_anomalies an0, an;
	struct ap_kb *base = load_ok(NULL, &an0);
	char *d = make_tmpdir();
	write_file(d, c->file, c->body, c->len ? c->len : strlen(c->body));
	struct ap_kb *kb = load_ok(d, &an);
	cr_expect_gt(an.count, 0, "%s: no anomaly for bad content", c->file);
	cr_expect(ap_anom_has(&an, "kb", AP_ERR_FORMAT), "%s", c->file);
	if (c->whole_file_rejected) {
		/* the built-in copy is used instead */
		cr_expect_eq(ap_kb_category_count(kb), ap_kb_category_count(base));
		cr_expect_eq(ap_kb_sdk_count(kb), ap_kb_sdk_count(base));
		cr_expect_eq(ap_kb_rule_count(kb), ap_kb_rule_count(base));
		cr_expect_eq(ap_kb_netapi_count(kb), ap_kb_netapi_count(base));
		cr_expect_not_null(ap_kb_grade(kb, 50));
	}
	/* whatever was loaded still answers queries */
	(void)ap_kb_sdk_for_class(kb, "Lcom/x/Y;");
	(void)ap_kb_match_method(kb, "La;", "f", NULL, NULL, 0);
	(void)ap_kb_category(kb, "x");
	ap_kb_free(kb);
	ap_kb_free(base);
	ap_anom_free(&an);
	ap_anom_free(&an0);
	rm_tmpdir(d);
}
