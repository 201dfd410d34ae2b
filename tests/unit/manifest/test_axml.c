/* AXML decoding on fixtures built by axml_builder: the clean manifest, then each tamper trick
 * Android tolerates in a parameterized table, asserting the anomaly and the recovered model. */
#include "axml_builder.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "manifest/manifest.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME 0x01010003u
#define EXPORTED 0x01010010u
#define VCODE 0x0101021bu
#define MINSDK 0x0101020cu
#define TARGETSDK 0x01010270u
#define MAXSDK 0x01010271u

enum tamper {
	T_NONE, T_UTF8, T_FILE_SIZE, T_FILE_TYPE, T_STRING_COUNT, T_STRING_OFFSET, T_UNKNOWN_CHUNK,
	T_ZERO_SIZE, T_OBFUSCATED_NAMES, T_ELEM_HEADER_SIZE, T_DUP_ATTR, T_TRUNCATED,
};

/* A manifest with two permissions, uses-sdk, one launcher activity and a provider. */
static void build(struct axb *b, enum tamper t)
{
	axb_init(b, t == T_UTF8);
	if (t == T_ELEM_HEADER_SIZE)
		b->elem_header_size = 24; /* 8 padding bytes Android skips by headerSize */
	const char *nm = t == T_OBFUSCATED_NAMES ? "" : "name";
	struct axb_attr man[] = {
		{"versionCode", VCODE, true, 0x10, NULL, 42},
		{"package", 0, false, 0x03, "com.example.app", 0},
	};
	struct axb_attr sdk[] = {
		{t == T_OBFUSCATED_NAMES ? "x1" : "minSdkVersion", MINSDK, true, 0x10, NULL, 21},
		{"targetSdkVersion", TARGETSDK, true, 0x10, NULL, 30},
	};
	struct axb_attr p1[] = {{nm, NAME, true, 0x03, "android.permission.CAMERA", 0}};
	struct axb_attr p1dup[] = {{nm, NAME, true, 0x03, "android.permission.CAMERA", 0},
				   {nm, NAME, true, 0x03, "android.permission.SEND_SMS", 0}};
	struct axb_attr p2[] = {{nm, NAME, true, 0x03, "android.permission.INTERNET", 0},
				{"maxSdkVersion", MAXSDK, true, 0x10, NULL, 28}};
	struct axb_attr act[] = {{nm, NAME, true, 0x03, ".Main", 0}};
	struct axb_attr main_[] = {{nm, NAME, true, 0x03, "android.intent.action.MAIN", 0}};
	struct axb_attr launch[] = {{nm, NAME, true, 0x03, "android.intent.category.LAUNCHER", 0}};
	struct axb_attr prov[] = {{nm, NAME, true, 0x03, "Prov", 0},
				  {"exported", EXPORTED, true, 0x12, NULL, 0xffffffff}};
	axb_start_ns(b);
	axb_start(b, "manifest", man, 2);
	axb_start(b, "uses-sdk", sdk, 2);
	axb_end(b, "uses-sdk");
	if (t == T_UNKNOWN_CHUNK) {
		uint8_t junk[16] = {0x77, 0x07, 8, 0, 16, 0, 0, 0, 'j', 'u', 'n', 'k'};
		axb_raw(b, junk, sizeof(junk));
	}
	axb_start(b, "uses-permission", t == T_DUP_ATTR ? p1dup : p1, t == T_DUP_ATTR ? 2 : 1);
	axb_end(b, "uses-permission");
	axb_start(b, "uses-permission", p2, 2);
	axb_end(b, "uses-permission");
	axb_start(b, "application", NULL, 0);
	axb_start(b, "activity", act, 1);
	axb_start(b, "intent-filter", NULL, 0);
	axb_start(b, "action", main_, 1);
	axb_end(b, "action");
	axb_start(b, "category", launch, 1);
	axb_end(b, "category");
	axb_end(b, "intent-filter");
	axb_end(b, "activity");
	axb_start(b, "provider", prov, 2);
	axb_end(b, "provider");
	axb_end(b, "application");
	axb_end(b, "manifest");
	axb_end_ns(b);
	if (t == T_STRING_OFFSET)
		axb_str(b, "an unused string whose offset is tampered");
	if (t == T_ZERO_SIZE) {
		uint8_t zero[16] = {0x02, 0x01, 0x10, 0, 0, 0, 0, 0};
		axb_raw(b, zero, sizeof(zero));
	}
	axb_finish(b);
	switch (t) {
	case T_FILE_SIZE:
		axb_put32(b->out + b->off_file_size, 0x42424242);
		break;
	case T_FILE_TYPE:
		axb_put16(b->out + b->off_file_type, 0x0000);
		break;
	case T_STRING_COUNT:
		axb_put32(b->out + b->off_pool_count, 0x7fffffff);
		break;
	case T_STRING_OFFSET:
		axb_put32(b->out + b->off_pool_offsets + 4 * (b->n_strs - 1), 0x00ffff00);
		break;
	case T_TRUNCATED:
		b->len -= 30; /* cuts the closing chunks: the elements stay open */
		break;
	default:
		break;
	}
}

struct tamper_case {
	char name[32];
	int tamper;
	int code;        /* expected axml anomaly, -1 for none at all */
};

static struct tamper_case cases[] = {
	{"clean-utf16", T_NONE, -1},
	{"clean-utf8", T_UTF8, -1},
	{"file-size", T_FILE_SIZE, AP_ERR_TAMPER},
	{"file-chunk-type", T_FILE_TYPE, AP_ERR_TAMPER},
	{"string-count", T_STRING_COUNT, AP_ERR_TAMPER},
	{"string-offset", T_STRING_OFFSET, AP_ERR_RANGE},
	{"unknown-chunk", T_UNKNOWN_CHUNK, AP_ERR_TAMPER},
	{"zero-size-node", T_ZERO_SIZE, AP_ERR_TAMPER},
	{"obfuscated-attr-names", T_OBFUSCATED_NAMES, AP_ERR_TAMPER},
	{"element-header-size", T_ELEM_HEADER_SIZE, AP_ERR_TAMPER},
	{"duplicate-attribute", T_DUP_ATTR, AP_ERR_TAMPER},
	{"truncated", T_TRUNCATED, AP_ERR_TRUNCATED},
};

ParameterizedTestParameters(axml, tamper)
{
	return cr_make_param_array(struct tamper_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct tamper_case *tc, axml, tamper)
{
	static struct axb b;
	build(&b, (enum tamper)tc->tamper);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_manifest *m = NULL;
	int rc = ap_mf_parse(b.out, b.len, NULL, &an, &m);
	cr_assert_eq(rc, AP_OK, "%s: rc %d", tc->name, rc);
	cr_assert_not_null(m);
	if (tc->code < 0)
		cr_expect_eq(an.count, 0, "%s: %zu anomalies, first: %s", tc->name, an.count,
			     an.count ? an.items[0].what : "");
	else
		cr_expect(ap_anom_has(&an, "axml", tc->code), "%s: no axml anomaly %s (%zu seen%s%s)",
			  tc->name, ap_err_name(tc->code), an.count, an.count ? ": " : "",
			  an.count ? an.items[0].what : "");
	cr_expect_str_eq(m->package, "com.example.app", "%s", tc->name);
	cr_expect(ap_mf_declares(m, "android.permission.CAMERA"), "%s", tc->name);
	if (tc->tamper != T_TRUNCATED) {
		cr_expect_eq(m->n_uses_perms, 2, "%s: %zu perms", tc->name, m->n_uses_perms);
		cr_expect(ap_mf_declares(m, "android.permission.INTERNET"), "%s", tc->name);
		cr_expect_eq(m->uses_perms[1].max_sdk, 28, "%s", tc->name);
		cr_expect_eq(m->version_code, 42, "%s", tc->name);
		cr_expect_eq(m->min_sdk, 21, "%s", tc->name);
		cr_expect_eq(m->target_sdk, 30, "%s", tc->name);
		cr_assert_eq(m->n_comps, 2, "%s", tc->name);
		cr_expect_str_eq(m->comps[0].name, "com.example.app.Main", "%s", tc->name);
		cr_expect(m->comps[0].exported, "%s: intent filter implies exported", tc->name);
		cr_expect_eq(m->launcher, 0, "%s", tc->name);
		cr_expect_str_eq(m->comps[1].name, "com.example.app.Prov", "%s", tc->name);
		cr_expect(m->comps[1].exported && m->comps[1].exported_explicit, "%s", tc->name);
	}
	if (tc->tamper == T_DUP_ATTR)
		cr_expect(!ap_mf_declares(m, "android.permission.SEND_SMS"), "first attribute wins");
	struct ap_buf x = AP_BUF_INIT;
	cr_expect_eq(ap_mf_to_xml(m, &x), AP_OK);
	cr_expect(x.data && strstr(x.data, "android:name=\"android.permission.CAMERA\""), "%s: %s",
		  tc->name, x.data ? x.data : "");
	ap_buf_free(&x);
	ap_mf_free(m);
	ap_anom_free(&an);
}

/* Cutting the file anywhere never crashes and never invents a package. */
Test(axml, every_truncation_is_safe)
{
	static struct axb b;
	build(&b, T_NONE);
	for (size_t n = 0; n < b.len; n += 3) {
		struct ap_anomalies an;
		ap_anom_init(&an);
		struct ap_manifest *m = NULL;
		int rc = ap_mf_parse(b.out, n, NULL, &an, &m);
		if (m) {
			cr_expect(rc == AP_OK || rc == AP_ERR_LIMIT);
			cr_expect(!m->package || strcmp(m->package, "com.example.app") == 0);
		}
		ap_mf_free(m);
		ap_anom_free(&an);
	}
}

Test(axml, rejects_what_is_not_a_manifest)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_manifest *m = NULL;
	const uint8_t junk[] = "PK\x03\x04 this is no manifest at all";
	cr_expect_eq(ap_mf_parse(junk, sizeof(junk), NULL, &an, &m), AP_ERR_FORMAT);
	cr_expect_null(m);
	ap_anom_free(&an);
}

/* AP_AXML_DUMP=DIR writes every tamper fixture to DIR (how tests/fuzz/corpus/axml was seeded). */
Test(axml, dump_fixtures)
{
	const char *dir = getenv("AP_AXML_DUMP");
	if (!dir)
		cr_skip_test("set AP_AXML_DUMP=DIR to write the fixtures");
	static struct axb b;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		build(&b, (enum tamper)cases[i].tamper);
		char path[512];
		snprintf(path, sizeof(path), "%s/%s.axml", dir, cases[i].name);
		FILE *f = fopen(path, "wb");
		cr_assert_not_null(f, "%s", path);
		fwrite(b.out, 1, b.len, f);
		fclose(f);
	}
}
