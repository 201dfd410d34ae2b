/* Renderer tests on the hand-built fixture (fixture.c): JSON fields and golden file, SARIF
 * against the official schema, HTML/text/CSV escaping of hostile strings, the batch summary. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ap_buf.h"
#include "ap_err.h"
#include "ap_test.h"
#include "fixture.h"
#include "reports/report.h"
#include "reports/report_html_style.h"
#include "reports/report_util.h"

static char *render(int (*fn)(const struct ap_report *, struct ap_buf *), struct ap_report *r,
		    size_t *len)
{
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 0);
	cr_assert_eq(fn(r, &b), 0);
	if (len)
		*len = b.len;
	return ap_buf_take(&b);
}

/* Strict UTF-8 validity (no overlongs, no surrogates). */
static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t l;
		unsigned cp;
		if (c < 0x80) { i++; continue; }
		if (c >= 0xc2 && c <= 0xdf) { l = 2; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { l = 3; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { l = 4; cp = c & 0x07; }
		else return false;
		if (l > n - i) return false;
		for (size_t k = 1; k < l; k++) {
			if ((s[i + k] & 0xc0) != 0x80) return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((l == 3 && cp < 0x800) || (l == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += l;
	}
	return true;
}

static char *write_tmp(const char *text, const char *suffix)
{
	char *path = malloc(4096);
	cr_assert_not_null(path);
	snprintf(path, 4096, "%s/ap_reports_%ld%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid(), suffix);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static json_object *get(json_object *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *k = strtok(buf, "."); k; k = strtok(NULL, ".")) {
		json_object *n = NULL;
		if (json_object_is_type(o, json_type_array))
			n = json_object_array_get_idx(o, (size_t)strtoul(k, NULL, 10));
		else if (!json_object_object_get_ex(o, k, &n))
			cr_assert_fail("JSON path %s: no %s", path, k);
		o = n;
	}
	return o;
}

Test(json, has_every_fixed_field)
{
	struct ap_report *r = fx_report_new();
	char *s = render(ap_report_json, r, NULL);
	json_object *root = json_tokener_parse(s);
	cr_assert_not_null(root, "JSON does not parse");
	static const char *const fields[] = {
		"schema", "tool.name", "tool.version", "tool.rules_version", "input.path",
		"input.sha256", "input.size", "input.kind", "app.package", "app.version_code",
		"app.version_name", "app.label", "app.label_zh", "app.min_sdk", "app.target_sdk",
		"app.debuggable", "app.allow_backup", "app.uses_cleartext_traffic",
		"app.application_class", "app.launcher", "app.components", "app.dex_files",
		"app.classes", "app.methods", "app.native_libs", "app_type.id", "app_type.name",
		"app_type.source", "app_type.confidence", "app_type.reasons", "permissions.0.name",
		"permissions.0.declared", "permissions.0.used", "permissions.0.dangerous",
		"permissions.0.pi", "sdks.0.id", "sdks.0.name", "sdks.0.name_zh", "sdks.0.vendor",
		"sdks.0.country", "sdks.0.category", "sdks.0.classes", "sdks.0.pi", "pi.0.category",
		"pi.0.name", "pi.0.sensitivity", "pi.0.immutable_identifier", "pi.0.necessary",
		"pi.0.evidence", "pi.0.evidence_dropped", "pi.0.evidence.1.via", "pi.0.evidence.1.owner",
		"pi.0.evidence.1.api", "pi.0.evidence.1.dexfile", "pi.0.evidence.1.method",
		"pi.0.evidence.1.pc", "pi.0.evidence.1.reachable", "pi.0.evidence.1.entries",
		"pi.0.evidence.1.path", "pi.0.evidence.3.library", "pi.0.evidence.3.abi",
		"pi.0.evidence.3.offset", "pi.0.evidence.3.detail", "findings.0.rule", "findings.0.title",
		"findings.0.severity", "findings.0.dimension", "findings.0.points", "findings.0.message",
		"findings.0.category", "findings.0.owner", "findings.0.confidence",
		"findings.0.evidence", "findings.0.refs.0.id", "findings.0.refs.0.text",
		"findings.0.remediation", "network.urls.0.url", "network.urls.0.owner",
		"network.urls.0.where", "network.urls.0.cleartext", "network.apis", "score.total",
		"score.grade", "score.dimensions.1", "score.dimensions.2", "score.dimensions.3",
		"anomalies.0.module", "anomalies.0.where", "anomalies.0.offset", "anomalies.0.code",
		"anomalies.0.message", "anomalies_dropped", "partial", "partial_reason"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		get(root, fields[i]);
	cr_expect_str_eq(json_object_get_string(get(root, "schema")), "apkpriv-report/1");
	cr_expect_str_eq(json_object_get_string(get(root, "tool.name")), "apkpriv");
	/* used = -1 is null, not false */
	cr_expect(json_object_is_type(get(root, "permissions.1.used"), json_type_null));
	cr_expect(json_object_get_boolean(get(root, "permissions.0.used")));
	cr_expect_eq(json_object_get_int(get(root, "pi.0.evidence.1.pc")), 42);
	cr_expect_eq(json_object_get_int(get(root, "pi.0.evidence.3.offset")), 0x1a2c);
	cr_expect_str_eq(json_object_get_string(get(root, "pi.0.evidence.1.entries.0")), "startup");
	cr_expect_str_eq(json_object_get_string(get(root, "pi.0.evidence.1.entries.1")), "ui");
	cr_expect_str_eq(json_object_get_string(get(root, "anomalies.0.code")), "tamper");
	cr_expect(json_object_is_type(get(root, "anomalies.1.offset"), json_type_null));
	cr_expect_eq(json_object_get_int(get(root, "findings.1.dimension")), 2);
	cr_expect_float_eq(json_object_get_double(get(root, "findings.1.points")), 12.5, 1e-9);
	cr_expect_float_eq(json_object_get_double(get(root, "score.dimensions.2")), 52.25, 1e-9);
	cr_expect_str_eq(json_object_get_string(get(root, "findings.1.severity")), "high");
	/* code-only fields stay off permission evidence */
	json_object *tmp;
	cr_expect_not(json_object_object_get_ex(get(root, "pi.0.evidence.0"), "pc", &tmp));
	cr_expect_not(json_object_object_get_ex(get(root, "pi.0.evidence.0"), "reachable", &tmp));
	/* deterministic: no elapsed_ms */
	cr_expect_not(json_object_object_get_ex(root, "elapsed_ms", &tmp));
	json_object_put(root);
	free(s);

	r->deterministic = false;
	s = render(ap_report_json, r, NULL);
	root = json_tokener_parse(s);
	cr_expect_float_eq(json_object_get_double(get(root, "elapsed_ms")), 1234.5, 1e-9);
	json_object_put(root);
	free(s);
	fx_report_free(r);
}

Test(json, hostile_strings_are_valid_utf8_and_escaped)
{
	struct ap_report *r = fx_report_new();
	size_t len;
	char *s = render(ap_report_json, r, &len);
	cr_assert(valid_utf8((const unsigned char *)s, len), "JSON output is not valid UTF-8");
	for (size_t i = 0; i < len; i++)
		cr_assert(s[i] == '\n' || (unsigned char)s[i] >= 0x20, "raw control byte at %zu", i);
	json_object *root = json_tokener_parse(s);
	/* invalid bytes of the method become \xNN text; the terminal escape in the package too */
	cr_expect_str_eq(json_object_get_string(get(root, "pi.0.evidence.1.method")),
			 "Lcom/example/video/\\xff\\xfeMain;->onCreate(Landroid/os/Bundle;)V");
	cr_expect_str_eq(json_object_get_string(get(root, "app.package")),
			 "com.example.video\\x1b[2J\\x1b]0;pwned\\x07");
	/* bidi override is neutralized, Chinese passes through unchanged */
	cr_expect_str_eq(json_object_get_string(get(root, "sdks.1.vendor")), "Tencent \\u202eevil");
	cr_expect_str_eq(json_object_get_string(get(root, "app.label_zh")), FX_LABEL_ZH);
	cr_expect_str_eq(json_object_get_string(get(root, "app.label")), FX_LABEL);
	json_object_put(root);
	free(s);
	fx_report_free(r);
}

/* The golden file pins the whole schema and every escaping rule. AP_UPDATE_GOLDEN=1 rewrites
 * it and still fails, so a regeneration is always a deliberate, reviewed diff. */
Test(json, golden)
{
	struct ap_report *r = fx_report_new();
	size_t len;
	char *s = render(ap_report_json, r, &len);
	char *path = ap_t_path(AP_SOURCE_DIR, "tests/unit/reports/golden/fixture.json");
	if (getenv("AP_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");
		cr_assert_not_null(f);
		fwrite(s, 1, len, f);
		fclose(f);
		cr_assert_fail("golden rewritten: %s (review the diff, then rerun without AP_UPDATE_GOLDEN)",
			       path);
	}
	size_t glen = 0;
	uint8_t *g = ap_t_slurp(path, &glen);
	cr_assert_not_null(g, "missing %s (run with AP_UPDATE_GOLDEN=1)", path);
	cr_expect(glen == len && memcmp(g, s, len) == 0,
		  "JSON differs from %s; if intended, rerun with AP_UPDATE_GOLDEN=1 and review", path);
	free(g);
	free(path);
	free(s);
	fx_report_free(r);
}

static bool have_jsonschema(void)
{
	char *const argv[] = {"/usr/bin/python3", "-c", "import jsonschema", NULL};
	int st = -1;
	free(ap_t_run(argv, 1024, &st));
	return st == 0;
}

Test(sarif, validates_against_schema)
{
	char *schema = ap_t_path(AP_SHARED_DIR, "knowledge/sarif-2.1.0.schema.json");
	if (access(schema, R_OK) != 0 || !have_jsonschema()) {
		if (getenv("CI"))
			cr_assert_fail("CI=true but the SARIF schema or python3-jsonschema is missing");
		cr_skip_test("skipped: %s or python3 jsonschema is missing", schema);
	}
	struct ap_report *r = fx_report_new(), *r2 = fx_report_new();
	r2->path = "other dir/b#1.apk";
	r2->partial = true;
	r2->partial_reason = "dex limit";
	const struct ap_report *v[2] = {r, r2};
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 0);
	cr_assert_eq(ap_report_sarif(v, 2, &b), 0);
	char *path = write_tmp(b.data, ".sarif");
	char *const argv[] = {"/usr/bin/python3", "-c",
			      "import json,sys,jsonschema\n"
			      "s=json.load(open(sys.argv[1]));d=json.load(open(sys.argv[2]))\n"
			      "errs=list(jsonschema.Draft4Validator(s).iter_errors(d))\n"
			      "[print(e.message, list(e.path)) for e in errs[:5]]\n"
			      "sys.exit(1 if errs else 0)\n",
			      schema, path, NULL};
	int st = -1;
	char *o = ap_t_run(argv, 1 << 16, &st);
	cr_expect_eq(st, 0, "SARIF does not validate: %s", o ? o : "");
	free(o);
	/* a deliberately broken document must fail the same check (the test can fail) */
	FILE *f = fopen(path, "wb");
	fputs("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{}}]}", f);
	fclose(f);
	o = ap_t_run(argv, 1 << 16, &st);
	cr_expect_neq(st, 0, "the validator accepted a broken SARIF file");
	free(o);
	unlink(path);
	free(path);
	free(schema);
	ap_buf_free(&b);
	fx_report_free(r);
	fx_report_free(r2);
}

Test(sarif, results_rules_and_locations)
{
	struct ap_report *r = fx_report_new();
	const struct ap_report *v[1] = {r};
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 0);
	cr_assert_eq(ap_report_sarif(v, 1, &b), 0);
	json_object *root = json_tokener_parse(b.data);
	cr_assert_not_null(root);
	cr_expect_str_eq(json_object_get_string(get(root, "version")), "2.1.0");
	json_object *run = get(root, "runs.0");
	cr_expect_str_eq(json_object_get_string(get(run, "tool.driver.name")), "apkpriv");
	json_object *rules = get(run, "tool.driver.rules"), *results = get(run, "results");
	cr_assert_eq(json_object_array_length(results), r->n_findings);
	cr_expect_eq(json_object_array_length(rules), 4); /* 2 with metadata + 2 synthesized */
	for (size_t i = 0; i < json_object_array_length(results); i++) {
		json_object *res = json_object_array_get_idx(results, i);
		int ri = json_object_get_int(get(res, "ruleIndex"));
		cr_expect_str_eq(json_object_get_string(get(rules, "0.id")) ? json_object_get_string(
			get(json_object_array_get_idx(rules, (size_t)ri), "id")) : "",
			json_object_get_string(get(res, "ruleId")));
		const char *rid = json_object_get_string(get(res, "ruleId"));
		const char *lvl = json_object_get_string(get(res, "level"));
		if (!strcmp(rid, "R05") || !strcmp(rid, "R07"))
			cr_expect_str_eq(lvl, "error");
		else if (!strcmp(rid, "R02"))
			cr_expect_str_eq(lvl, "warning");
		else
			cr_expect_str_eq(lvl, "note");
		cr_expect_eq(strlen(json_object_get_string(get(res, "partialFingerprints.apkpriv/v1"))), 16);
	}
	/* results are ordered by severity: R05 (12.5 points) first */
	json_object *r05 = json_object_array_get_idx(results, 0);
	cr_expect_str_eq(json_object_get_string(get(r05, "ruleId")), "R05");
	cr_expect_str_eq(json_object_get_string(get(r05, "locations.0.logicalLocations.0.fullyQualifiedName")),
			 "Lcom/example/video/\\xff\\xfeMain;->onCreate(Landroid/os/Bundle;)V");
	cr_expect_str_eq(json_object_get_string(get(r05, "locations.0.logicalLocations.0.kind")), "function");
	cr_expect_str_eq(json_object_get_string(get(r05, "locations.0.physicalLocation.artifactLocation.uri")),
			 "classes.dex");
	cr_expect_eq(json_object_get_int(get(r05, "properties.pc")), 42);
	/* the native evidence points at the library, percent-encoded, with its address */
	cr_expect_str_eq(json_object_get_string(get(r05, "relatedLocations.1.physicalLocation.artifactLocation.uri")),
			 "lib/arm64-v8a/libumeng%20id.so");
	cr_expect_eq(json_object_get_int(get(r05, "relatedLocations.1.physicalLocation.address.absoluteAddress")),
		     0x1a2c);
	/* the R05 rule carries help with remediation and references */
	json_object *rule = json_object_array_get_idx(rules, (size_t)json_object_get_int(get(r05, "ruleIndex")));
	cr_expect(strstr(json_object_get_string(get(rule, "help.markdown")), "PIPL-6") != NULL);
	cr_expect(strstr(json_object_get_string(get(rule, "help.text")), "Remediation:") != NULL);
	cr_expect_str_eq(json_object_get_string(get(rule, "defaultConfiguration.level")), "error");
	cr_expect_eq(json_object_get_int(get(rule, "properties.dimension")), 2);
	/* the nested artifact points to its APK */
	json_object *arts = get(run, "artifacts");
	cr_expect_str_eq(json_object_get_string(get(arts, "0.location.uri")),
			 "samples/apk/video%20over%20collect.apk");
	cr_expect_eq(json_object_get_int(get(arts, "1.parentIndex")), 0);
	/* anomalies become notifications */
	cr_expect_eq(json_object_array_length(get(run, "invocations.0.toolExecutionNotifications")), 2);
	json_object_put(root);
	ap_buf_free(&b);
	fx_report_free(r);
}

Test(sarif, fingerprint_is_stable_across_pc_changes)
{
	struct ap_report *r = fx_report_new();
	const struct ap_report *v[1] = {r};
	struct ap_buf a = AP_BUF_INIT, b = AP_BUF_INIT;
	ap_buf_init(&a, 0);
	ap_buf_init(&b, 0);
	ap_report_sarif(v, 1, &a);
	r->pi[0].evidence[1].pc = 77; /* a rebuild moves code */
	ap_report_sarif(v, 1, &b);
	json_object *ja = json_tokener_parse(a.data), *jb = json_tokener_parse(b.data);
	cr_expect_str_eq(json_object_get_string(get(ja, "runs.0.results.0.partialFingerprints.apkpriv/v1")),
			 json_object_get_string(get(jb, "runs.0.results.0.partialFingerprints.apkpriv/v1")));
	/* another method is another finding */
	r->pi[0].evidence[1].method = "Lcom/x/Other;->m()V";
	ap_buf_reset(&b);
	ap_report_sarif(v, 1, &b);
	json_object_put(jb);
	jb = json_tokener_parse(b.data);
	cr_expect_str_neq(json_object_get_string(get(ja, "runs.0.results.0.partialFingerprints.apkpriv/v1")),
			  json_object_get_string(get(jb, "runs.0.results.0.partialFingerprints.apkpriv/v1")));
	json_object_put(ja);
	json_object_put(jb);
	ap_buf_free(&a);
	ap_buf_free(&b);
	fx_report_free(r);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

Test(html, hostile_strings_render_as_text)
{
	struct ap_report *r = fx_report_new();
	size_t len;
	char *s = render(ap_report_html, r, &len);
	cr_assert(valid_utf8((const unsigned char *)s, len));
	cr_expect(strstr(s, "alert(1)</script>") == NULL, "label injected a script");
	cr_expect(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	cr_expect_eq(count(s, "<script"), 1, "only the page's own script may exist");
	cr_expect(strstr(s, "&lt;b&gt;bold&lt;/b&gt;") != NULL, "anomaly message not escaped");
	cr_expect(strstr(s, "a=1&amp;b=&lt;x&gt;") != NULL, "URL not escaped");
	cr_expect(strstr(s, "&quot;http://evil/&quot;") != NULL, "quotes not escaped");
	cr_expect(strstr(s, "<meta charset=\"utf-8\">") != NULL);
	cr_expect(strstr(s, FX_LABEL_ZH) != NULL, "Chinese label missing");
	for (size_t i = 0; i < len; i++)
		cr_assert(s[i] == '\n' || (unsigned char)s[i] >= 0x20, "raw control byte at %zu", i);
	cr_expect(strstr(s, "\xe2\x80\xae") == NULL, "raw bidi override");
	/* no external resources */
	cr_expect(strstr(s, "src=") == NULL && strstr(s, "href=") == NULL && strstr(s, "@import") == NULL &&
		  strstr(s, "url(") == NULL);
	/* the sections a reviewer needs */
	static const char *const ids[] = {"overview", "findings", "matrix", "sdks", "permissions",
					  "network", "manifest", "anomalies"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		char want[64];
		snprintf(want, sizeof want, "id=\"%s\"", ids[i]);
		cr_expect(strstr(s, want) != NULL, "missing section %s", ids[i]);
	}
	cr_expect(strstr(s, "<svg") != NULL);
	/* matrix: IMEI row has first party 2 (permission + call), umeng 2 (dex + native) */
	cr_expect(strstr(s, "Umeng Analytics</th>") != NULL);
	free(s);
	fx_report_free(r);
}

Test(html, csp_hash_matches_inline_script)
{
	char *const argv[] = {"/usr/bin/python3", "-c",
			      "import hashlib,base64,sys;print(base64.b64encode(hashlib.sha256("
			      "sys.argv[1].encode()).digest()).decode())",
			      AP_HTML_SCRIPT, NULL};
	int st = -1;
	char *o = ap_t_run(argv, 1024, &st);
	if (st != 0)
		cr_skip_test("skipped: python3 not available");
	o[strcspn(o, "\n")] = '\0';
	cr_expect_str_eq(o, AP_HTML_SCRIPT_SHA256, "update AP_HTML_SCRIPT_SHA256 to %s", o);
	free(o);
}

/* Used by tests/e2e/test_html_chromium.sh: writes the fixture's HTML to $AP_HTML_OUT. */
Test(html, write_fixture)
{
	const char *out = getenv("AP_HTML_OUT");
	if (!out)
		cr_skip_test("AP_HTML_OUT not set (the chromium e2e test sets it)");
	struct ap_report *r = fx_report_new();
	size_t len;
	char *s = render(ap_report_html, r, &len);
	FILE *f = fopen(out, "wb");
	cr_assert_not_null(f);
	fwrite(s, 1, len, f);
	fclose(f);
	free(s);
	fx_report_free(r);
}

static char *text(struct ap_report *r, bool color)
{
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 0);
	cr_assert_eq(ap_report_text(r, color, &b), 0);
	return ap_buf_take(&b);
}

Test(text, no_raw_control_bytes)
{
	struct ap_report *r = fx_report_new();
	char *s = text(r, false);
	size_t len = strlen(s);
	cr_assert(valid_utf8((const unsigned char *)s, len));
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		cr_assert(c == '\n' || (c >= 0x20 && c != 0x7f), "raw control byte 0x%02x at %zu", c, i);
		if (c == 0xc2 && i + 1 < len)
			cr_assert((unsigned char)s[i + 1] >= 0xa0, "raw C1 control at %zu", i);
	}
	cr_expect(strstr(s, "\xe2\x80\xae") == NULL, "raw bidi override");
	cr_expect(strstr(s, "com.example.video\\x1b[2J\\x1b]0;pwned\\x07") != NULL);
	cr_expect(strstr(s, FX_LABEL_ZH) != NULL);
	/* findings by severity, each with its points: R05 and R07 (high) before R02 before R12 */
	char *r05 = strstr(s, "R05"), *r07 = strstr(s, "R07"), *r02 = strstr(s, "R02"), *r12 = strstr(s, "R12");
	cr_assert(r05 && r07 && r02 && r12);
	cr_expect(r05 < r07 && r07 < r02 && r02 < r12, "findings not sorted by severity then points");
	cr_expect(strstr(s, "-12.5") != NULL);
	cr_expect(strstr(s, "61.5/100  grade C") != NULL);
	cr_expect(strstr(s, "@42") != NULL, "evidence line lacks the pc");
	free(s);

	/* colour: every ESC the renderer writes is an SGR sequence, nothing else */
	s = text(r, true);
	len = strlen(s);
	size_t sgr = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != 0x1b)
			continue;
		size_t k = i + 1;
		cr_assert(s[k] == '[', "ESC not followed by [ at %zu", i);
		k++;
		while (k < len && ((s[k] >= '0' && s[k] <= '9') || s[k] == ';'))
			k++;
		cr_assert(s[k] == 'm', "non-SGR escape at %zu", i);
		sgr++;
	}
	cr_expect_gt(sgr, 5);
	free(s);
	fx_report_free(r);
}

Test(escape, neutralizes_controls_and_caps_length)
{
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 0);
	ap_rep_esc(&b, "a\xc2\x9b" "31mb\xe2\x80\x8f" "c\xe2\x81\xa6" "d\\e\n", AP_REP_NOCAP);
	cr_expect_str_eq(b.data, "a\\u009b31mb\\u200fc\\u2066d\\\\e\\n");
	ap_buf_reset(&b);
	/* a cap inside a multi-byte character cuts before it */
	ap_rep_esc(&b, "ab\xe8\xa7\x86", 3);
	cr_expect_str_eq(b.data, "ab...");
	ap_buf_reset(&b);
	ap_rep_html(&b, "<a href='x'>&\x01", AP_REP_NOCAP);
	cr_expect_str_eq(b.data, "&lt;a href=&#39;x&#39;&gt;&amp;\\x01");
	ap_buf_free(&b);
	char n[32];
	ap_rep_num(n, sizeof n, 12.5);
	cr_expect_str_eq(n, "12.5");
	ap_rep_num(n, sizeof n, 10.0);
	cr_expect_str_eq(n, "10");
	ap_rep_num(n, sizeof n, 52.255);
	cr_expect(strcmp(n, "52.26") == 0 || strcmp(n, "52.25") == 0);
}

Test(summary, csv_quotes_and_defuses_formulas)
{
	struct ap_report *r = fx_report_new();
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 0);
	ap_summary_csv_header(&b);
	cr_assert_eq(ap_summary_csv_row(r, "ok", NULL, &b), 0);
	struct ap_report stub = {.path = "bad,\"name\".apk", .sha256 = "00ff"};
	cr_assert_eq(ap_summary_csv_row(&stub, "crash", "-signal 11 @SIGSEGV", &b), 0);
	/* version name "=HYPERLINK(...)" is quoted and starts with ' inside the quotes */
	cr_expect(strstr(b.data, ",\"'=HYPERLINK(\"\"http://evil/\"\",\"\"x\"\")\",") != NULL, "%s", b.data);
	cr_expect(strstr(b.data, "\"bad,\"\"name\"\".apk\"") != NULL);
	cr_expect(strstr(b.data, ",\"'-signal 11 @SIGSEGV\"\r\n") != NULL);
	cr_expect(strstr(b.data, ",61.5,C,2,1,1,0,device_id.imei;location.precise;app_list,umeng;gdt,ok,\r\n") != NULL,
		  "%s", b.data);
	/* every record parses back to 15 fields with Python's csv module */
	char *path = write_tmp(b.data, ".csv");
	char *const argv[] = {"/usr/bin/python3", "-c",
			      "import csv,sys\nrows=list(csv.reader(open(sys.argv[1],newline='')))\n"
			      "print(len(rows), sorted(set(len(r) for r in rows)))\n"
			      "bad=[c for r in rows for c in r if c and c[0] in '=+-@']\nprint(bad)\n",
			      path, NULL};
	int st = -1;
	char *o = ap_t_run(argv, 4096, &st);
	if (st == 0)
		cr_expect_str_eq(o, "3 [15]\n[]\n");
	free(o);
	unlink(path);
	free(path);
	ap_buf_free(&b);
	fx_report_free(r);
}

Test(summary, jsonl_round_trip_and_html)
{
	struct ap_report *r = fx_report_new();
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 0);
	cr_assert_eq(ap_summary_jsonl_row(r, "ok", NULL, &b), 0);
	struct ap_report stub = {.path = "corpus/<evil>.apk"};
	cr_assert_eq(ap_summary_jsonl_row(&stub, "timeout", "killed after 120 s", &b), 0);
	ap_buf_adds(&b, "not json\n{\"no_file\":1}\n");
	struct ap_summary_row *rows;
	size_t n, bad;
	cr_assert_eq(ap_summary_rows_parse(b.data, b.len, &rows, &n, &bad), 0);
	cr_assert_eq(n, 2);
	cr_expect_eq(bad, 2);
	cr_expect(rows[0].has_score);
	cr_expect_float_eq(rows[0].score, 61.5, 1e-9);
	cr_expect_eq(rows[0].sev[AP_SEV_HIGH], 2);
	cr_expect_str_eq(rows[0].sdks, "umeng;gdt");
	cr_expect_str_eq(rows[0].package, "com.example.video\\x1b[2J\\x1b]0;pwned\\x07");
	cr_expect_not(rows[1].has_score);
	cr_expect_str_eq(rows[1].status, "timeout");

	struct ap_buf h = AP_BUF_INIT;
	ap_buf_init(&h, 0);
	cr_assert_eq(ap_summary_html(rows, n, &h), 0);
	cr_expect(strstr(h.data, "corpus/&lt;evil&gt;.apk") != NULL);
	cr_expect(strstr(h.data, "<evil>") == NULL);
	cr_expect(strstr(h.data, "<title>60-70: 1</title>") != NULL, "histogram bin missing");
	/* ranking: the scored row first, the timeout last */
	cr_expect(strstr(h.data, "video over collect") < strstr(h.data, "&lt;evil&gt;"));
	cr_expect_eq(count(h.data, "<script"), 1);
	ap_buf_free(&h);
	ap_summary_rows_free(rows, n);
	ap_buf_free(&b);
	fx_report_free(r);
}

Test(summary, empty_batch)
{
	struct ap_buf h = AP_BUF_INIT;
	ap_buf_init(&h, 0);
	cr_assert_eq(ap_summary_html(NULL, 0, &h), 0);
	cr_expect(strstr(h.data, "0 inputs") != NULL);
	ap_buf_free(&h);
}

Test(model, names)
{
	cr_expect_str_eq(ap_via_name(AP_VIA_DEX_STRING), "dex_string");
	cr_expect_str_eq(ap_severity_name(AP_SEV_MEDIUM), "medium");
	cr_expect_eq(ap_severity_parse("high"), AP_SEV_HIGH);
	cr_expect_eq(ap_severity_parse("info"), AP_SEV_INFO);
	cr_expect_eq(ap_severity_parse("critical"), -1);
	cr_expect_eq(ap_severity_parse(NULL), -1);
}

Test(limits, output_cap_is_reported_not_crashed)
{
	struct ap_report *r = fx_report_new();
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_init(&b, 256);
	cr_expect_eq(ap_report_html(r, &b), AP_ERR_LIMIT);
	ap_buf_free(&b);
	ap_buf_init(&b, 256);
	cr_expect_eq(ap_report_text(r, false, &b), AP_ERR_LIMIT);
	ap_buf_free(&b);
	ap_buf_init(&b, 256);
	cr_expect_neq(ap_report_json(r, &b), 0);
	ap_buf_free(&b);
	fx_report_free(r);
}
