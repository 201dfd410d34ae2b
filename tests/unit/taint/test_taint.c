/* The intra-procedural taint pass (analyzer/taint.c) against DroidBench's ground truth: the apps
 * whose truth is a direct source -> SMS flow inside one method must yield a flow, the apps with
 * no leak must yield none, and app-level precision/recall over every app is printed. */
#include <criterion/criterion.h>

#include "analyzer/rules/kb.h"
#include "analyzer/taint.h"
#include "ap_err.h"
#include "ap_test.h"
#include "dex/dex.h"

#include <ctype.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reach tests' APK loader (the project's own readers), shared rather than copied. */
#include "reach_load.h"

static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; (p = strstr(p, w)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* A middle step of a truth dataflow that stays in one method's registers: a bare local name
 * ("imei", "message"), not a call, a field, an exception, an intent or a file. */
static bool local_step(const char *s, size_t n)
{
	static const char *const not_local[] = {"exception", "intent", "file", "nothing"};
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]))
			return false;
	for (size_t i = 0; i < sizeof not_local / sizeof not_local[0]; i++)
		if (strlen(not_local[i]) == n && memcmp(not_local[i], s, n) == 0)
			return false;
	return true;
}

/* Truth says: a source API called directly (no reflection) whose value reaches SMS inside one
 * method: "[onCreate:] source|imei [-> local]* -> sink|SMS[ & Log]", one callback only. */
static bool truth_direct_sms(const char *flow, const char *apis)
{
	if (!has_word(apis, "sendTextMessage") || has_word(apis, "forName") ||
	    has_word(apis, "invoke") || has_word(apis, "loadClass") || strchr(flow, ';'))
		return false;
	const char *colon = strchr(flow, ':');
	if (colon) {
		if (strncmp(flow, "onCreate:", 9) != 0)
			return false;
		flow = colon + 1;
	}
	size_t steps = 0;
	bool last_sink = false;
	for (const char *p = flow; *p;) {
		while (*p == ' ')
			p++;
		const char *e = strstr(p, "->");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && p[n - 1] == ' ')
			n--;
		bool first = steps == 0;
		last_sink = !e;
		if (first && !((n == 6 && !memcmp(p, "source", 6)) || (n == 4 && !memcmp(p, "imei", 4))))
			return false;
		if (last_sink && !((n == 4 && !memcmp(p, "sink", 4)) || (n >= 3 && !memcmp(p, "SMS", 3))))
			return false;
		if (!first && !last_sink && !local_step(p, n))
			return false;
		steps++;
		p = e ? e + 2 : p + strlen(p);
	}
	return steps >= 2 && last_sink;
}

Test(taint, truth_pattern_selector)
{
	cr_assert(truth_direct_sms("onCreate: imei -> SMS", "getDeviceId,sendTextMessage"));
	cr_assert(truth_direct_sms("source -> imei -> obfuscated -> sink", "getDeviceId,sendTextMessage"));
	cr_assert(!truth_direct_sms("source -> imei -> exception handler -> sink", "sendTextMessage"));
	cr_assert(!truth_direct_sms("onStart: source -> onResume: sink", "sendTextMessage"));
	cr_assert(!truth_direct_sms("source -> bc.imei -> sink", "sendTextMessage"));
	cr_assert(!truth_direct_sms("source -> sink", "Log.i,getDeviceId"));
	cr_assert(!truth_direct_sms("-", "getDeviceId,sendTextMessage"));
}

static bool callee_named(struct ap_dex *dex, uint32_t midx, const char *list, const char *only)
{
	const struct ap_dex_method_id *mid = ap_dex_method_id(dex, midx);
	const char *name = mid ? ap_dex_string(dex, mid->name_idx) : NULL;
	if (!name)
		return false;
	return only ? strcmp(name, only) == 0 : strcmp(name, "sendTextMessage") != 0 &&
							has_word(list, name);
}

/* The code itself has one method that calls a truth source API and sendTextMessage: without
 * that the flow is inter-procedural whatever the truth's wording ("source -> sink" through a
 * private helper). Read from the call index, independently of the taint pass. */
static bool same_method_src_sms(const struct rl_app *app, const char *apis)
{
	for (size_t d = 0; d < app->n_dex; d++) {
		struct ap_dex *dex = app->dexes[d];
		size_t n_calls;
		const struct ap_dex_call *calls = ap_dex_calls(dex, &n_calls);
		for (uint32_t i = 0; i < ap_dex_method_def_count(dex); i++) {
			const struct ap_dex_method *m = ap_dex_method_def(dex, i);
			bool src = false, sms = false;
			for (uint32_t k = 0; m && k < m->calls_n && m->calls_first + k < n_calls; k++) {
				uint32_t callee = calls[m->calls_first + k].callee;
				src |= callee_named(dex, callee, apis, NULL);
				sms |= callee_named(dex, callee, apis, "sendTextMessage");
			}
			if (src && sms)
				return true;
		}
	}
	return false;
}

/* Zero-leak apps whose precision rests on what this pass does not model (docs/taint.md):
 * array and container element sensitivity, which exceptions can occur. Matched on the truth's
 * challenge text, so a new app of the same kind is classed the same way. */
static bool unclaimed_precision(const char *challenges)
{
	static const char *const words[] = {"array position", "hash map entries", "exceptions"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(challenges, words[i]))
			return true;
	return false;
}

struct tally {
	unsigned tp, fp, fn, tn, direct, direct_found, zero, zero_clean, zero_unclaimed;
};

static size_t flows_of(const struct ap_kb *kb, const char *path, const char *apis, bool *one_method,
		       size_t *n_sms, FILE *log)
{
	struct rl_app app;
	*n_sms = 0;
	*one_method = false;
	if (!rl_load(path, &app)) {
		rl_free(&app); /* an APK without DEX still had its manifest parsed */
		return 0;
	}
	*one_method = same_method_src_sms(&app, apis);
	struct ap_taint_flow *f = NULL;
	size_t n = 0;
	int rc = ap_taint_flows(app.dexes, app.n_dex, kb, &f, &n);
	cr_assert(rc == AP_OK, "%s: ap_taint_flows: %d", path, rc);
	for (size_t i = 0; i < n; i++) {
		cr_assert(f[i].method && f[i].source_callee && f[i].sink_callee && f[i].owner);
		cr_assert(f[i].source_pc != f[i].sink_pc);
		*n_sms += strcmp(f[i].sink_kind, "sms") == 0;
		if (log)
			fprintf(log, "    %s %s pc %u %s -> pc %u %s (%s, %s)\n", f[i].method,
				f[i].category, f[i].source_pc, f[i].source_callee, f[i].sink_pc,
				f[i].sink_callee, f[i].sink_kind, f[i].owner);
	}
	ap_taint_flows_free(f, n);
	rl_free(&app);
	return n;
}

struct cols {
	int file, leaks, flow, apis, challenges;
};

static void judge(struct tally *t, char **row, const struct cols *k, bool one_method, size_t n,
		  size_t n_sms)
{
	const char *leaks = row[k->leaks], *file = row[k->file];
	bool direct = one_method && truth_direct_sms(row[k->flow], row[k->apis]);
	if (direct) {
		t->direct++;
		t->direct_found += n_sms > 0;
		cr_expect(n_sms > 0, "%s: truth '%s' is a direct flow to SMS, no sms flow found", file,
			  row[k->flow]);
	}
	if (strcmp(leaks, "0") == 0 && unclaimed_precision(row[k->challenges])) {
		t->zero_unclaimed++;
	} else if (strcmp(leaks, "0") == 0) {
		t->zero++;
		t->zero_clean += n == 0;
		cr_expect(n == 0, "%s: truth says no leak ('%s'), %zu flows found", file, row[k->flow],
			  n);
	}
	if (!isdigit((unsigned char)leaks[0]))
		return; /* NA */
	bool pos = strtoul(leaks, NULL, 10) > 0;
	t->tp += pos && n > 0;
	t->fn += pos && n == 0;
	t->fp += !pos && n > 0;
	t->tn += !pos && n == 0;
}

Test(taint, droidbench_truth)
{
	AP_T_NEED_CORPUS();
	char *tsv = ap_t_path(ap_t_corpus_dir(), "droidbench-truth.tsv");
	struct ap_t_tsv t;
	cr_assert(ap_t_tsv_load(tsv, &t), "cannot read %s", tsv);
	struct cols k = {ap_t_tsv_col(&t, "file"), ap_t_tsv_col(&t, "expected_leaks"),
			 ap_t_tsv_col(&t, "dataflow"), ap_t_tsv_col(&t, "sensitive_apis_in_source"),
			 ap_t_tsv_col(&t, "challenges")};
	cr_assert(k.file >= 0 && k.leaks >= 0 && k.flow >= 0 && k.apis >= 0 && k.challenges >= 0);
	struct ap_kb *kb = NULL;
	cr_assert(ap_kb_load(NULL, NULL, &kb) == AP_OK);
	struct tally ty = {0};
	FILE *log = getenv("AP_TAINT_VERBOSE") ? stderr : NULL;
	for (size_t r = 1; r < t.n_rows; r++) {
		char **row = t.rows[r];
		char *path = ap_t_path(ap_t_corpus_dir(), row[k.file]);
		size_t n_sms;
		bool one;
		if (log)
			fprintf(log, "%s [%s] %s\n", row[k.file], row[k.leaks], row[k.flow]);
		size_t n = flows_of(kb, path, row[k.apis], &one, &n_sms, log);
		judge(&ty, row, &k, one, n, n_sms);
		free(path);
	}
	double prec = ty.tp + ty.fp ? 100.0 * ty.tp / (ty.tp + ty.fp) : 0;
	double rec = ty.tp + ty.fn ? 100.0 * ty.tp / (ty.tp + ty.fn) : 0;
	fprintf(stderr,
		"taint/droidbench: direct source->SMS apps %u/%u with a flow; no-leak apps %u/%u "
		"clean (%u more not claimed); app-level tp %u fp %u fn %u tn %u: precision %.1f%% "
		"recall %.1f%%\n",
		ty.direct_found, ty.direct, ty.zero_clean, ty.zero, ty.zero_unclaimed, ty.tp, ty.fp,
		ty.fn, ty.tn, prec, rec);
	cr_expect(ty.direct >= 10, "the truth selector found only %u direct apps", ty.direct);
	ap_kb_free(kb);
	ap_t_tsv_free(&t);
	free(tsv);
}

/* Every other APK of the corpus (malformed and tampered ones included) and the samples: the
 * pass returns AP_OK and well-formed flows (checked in flows_of). */
static void run_all(const struct ap_kb *kb, const char *dir, const char *name, size_t *apps,
		    size_t *flows)
{
	char *path = ap_t_path(dir, name);
	size_t n_sms;
	bool one;
	size_t n = flows_of(kb, path, "", &one, &n_sms, getenv("AP_TAINT_VERBOSE") ? stderr : NULL);
	*apps += 1;
	*flows += n;
	free(path);
}

Test(taint, corpus_apps_run_clean)
{
	AP_T_NEED_CORPUS();
	struct ap_kb *kb = NULL;
	cr_assert(ap_kb_load(NULL, NULL, &kb) == AP_OK);
	char *tsv = ap_t_path(ap_t_corpus_dir(), "MANIFEST.tsv");
	struct ap_t_tsv t;
	cr_assert(ap_t_tsv_load(tsv, &t));
	int c_file = ap_t_tsv_col(&t, "file");
	cr_assert(c_file >= 0);
	size_t apps = 0, flows = 0;
	for (size_t r = 1; r < t.n_rows; r++) {
		const char *f = t.rows[r][c_file];
		size_t len = strlen(f);
		if (len > 4 && strcmp(f + len - 4, ".apk") == 0 && strncmp(f, "droidbench/", 11) != 0)
			run_all(kb, ap_t_corpus_dir(), f, &apps, &flows);
	}
	static const char *const samples[] = {"map_legit.apk", "reach.apk", "video_clean.apk",
					      "video_overcollect.apk"};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
		run_all(kb, AP_SOURCE_DIR "/samples/apk", samples[i], &apps, &flows);
	fprintf(stderr, "taint/corpus: %zu apps, %zu flows\n", apps, flows);
	cr_expect(apps > 20);
	ap_t_tsv_free(&t);
	free(tsv);
	ap_kb_free(kb);
}

/* The flows of one fixture method ("Lorg/apkpriv/taint/Flows;->NAME(..."). */
static size_t flows_in(const struct ap_taint_flow *f, size_t n, const char *name,
		       const struct ap_taint_flow **first)
{
	size_t k = 0;
	size_t len = strlen(name);
	*first = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *arrow = strstr(f[i].method, "->");
		if (arrow && strncmp(arrow + 2, name, len) == 0 && arrow[2 + len] == '(') {
			if (!k++)
				*first = &f[i];
		}
	}
	return k;
}

/* tests/unit/taint/fixtures/Flows.smali: each leak<Kind>_<category> method must give a flow of
 * that sink kind and PI category, each clean* method none. */
Test(taint, smali_fixture_flows)
{
	AP_T_NEED_TOOL("smali");
	int smali_st;
	char *dex_path = ap_t_smali("tests/unit/taint/fixtures/Flows.smali", 0, &smali_st);
	cr_assert(dex_path && smali_st == 0, "smali a failed on tests/unit/taint/fixtures/Flows.smali");
	size_t len;
	uint8_t *buf = ap_t_slurp(dex_path, &len);
	cr_assert(buf);
	struct ap_dex *dex = NULL;
	cr_assert(ap_dex_open(buf, len, "flows.dex", NULL, &dex) == AP_OK);
	struct ap_kb *kb = NULL;
	cr_assert(ap_kb_load(NULL, NULL, &kb) == AP_OK);
	struct ap_taint_flow *f = NULL;
	size_t n = 0;
	cr_assert(ap_taint_flows(&dex, 1, kb, &f, &n) == AP_OK);
	for (size_t i = 0; getenv("AP_TAINT_VERBOSE") && i < n; i++)
		fprintf(stderr, "    %s %s pc %u -> pc %u %s (%s)\n", f[i].method, f[i].category,
			f[i].source_pc, f[i].sink_pc, f[i].sink_callee, f[i].sink_kind);
	static const struct {
		const char *method, *kind, *category;
		size_t flows;
	} want[] = {
		{"leakNetworkUrl_imei", "network", "device_id.imei", 2}, /* URL.<init>, openConnection */
		{"leakNetworkStream_imei", "network", "device_id.imei", 1},
		{"leakNetworkOkhttp_android_id", "network", "device_id.android_id", 1},
		{"leakSmsBranch_imei", "sms", "device_id.imei", 1},
		{"leakSmsLoop_imei", "sms", "device_id.imei", 1},
		{"cleanOverwrite", NULL, NULL, 0},
		{"cleanFileStream", NULL, NULL, 0},
		{"cleanOtherSetting", NULL, NULL, 0},
		{"cleanOtherBranch", NULL, NULL, 0},
	};
	size_t total = 0;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct ap_taint_flow *one;
		size_t k = flows_in(f, n, want[i].method, &one);
		total += k;
		cr_expect(k == want[i].flows, "%s: %zu flows, want %zu", want[i].method, k,
			  want[i].flows);
		if (!one || !want[i].kind)
			continue;
		cr_expect_str_eq(one->sink_kind, want[i].kind, "%s", want[i].method);
		cr_expect_str_eq(one->category, want[i].category, "%s", want[i].method);
		cr_expect_str_eq(one->owner, "first_party");
		cr_expect_str_eq(one->dexfile, "flows.dex");
		cr_expect(one->source_pc < one->sink_pc || strstr(want[i].method, "Loop"));
	}
	cr_expect(total == n, "%zu flows outside the fixture's expectations", n - total);
	ap_taint_flows_free(f, n);
	ap_kb_free(kb);
	ap_dex_close(dex);
	free(buf);
	unlink(dex_path);
	free(dex_path);
}
