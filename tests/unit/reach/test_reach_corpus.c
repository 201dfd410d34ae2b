/* Reachability on real apps: the PI call sites of ICC-Bench and of DroidBench's Lifecycle and
 * Callbacks apps must be reachable from their entry points (these benchmarks exist to exercise
 * exactly the lifecycle, callback and ICC modelling), and the cost on the largest corpus APKs.
 * PI call sites are found with the knowledge base's API list (analyzer/rules/apis.tsv), the same
 * one the scan uses, so nothing here is a hand-picked list of methods. */
#include <criterion/criterion.h>

#include "ap_test.h"
#include "reach_load.h"

#include "analyzer/callgraph.h"
#include "analyzer/report_model.h"
#include "analyzer/rules/kb.h"
#include "dex/dex.h"

#include "ap_buf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Floor for the reachable share of PI call sites in the benchmark apps (see docs/reachability.md:
 * every app of these suites is written so that its source runs; the known misses are sources in
 * code the benchmarks reach only through reflection or layout attributes we do not parse). */
#define RATE_FLOOR 0.90

static struct ap_kb *kb;

static void load_kb(void)
{
	cr_assert_eq(ap_kb_load(NULL, NULL, &kb), 0, "built-in knowledge base");
}

static void free_kb(void)
{
	ap_kb_free(kb);
	kb = NULL;
}

struct tally {
	size_t apps, apps_all, sites, reached;
	size_t by_kind[3];
};

/* Counts the PI call sites (kb API matches in app code) of one APK and how many are reached. */
static void measure(const char *path, struct tally *t, FILE *log)
{
	struct rl_app app;
	if (!rl_load(path, &app)) {
		fprintf(log, "reach-rate: %s: cannot load\n", path);
		return;
	}
	struct ap_cg *cg = NULL;
	cr_assert_eq(ap_cg_build(app.dexes, app.n_dex, NULL, &cg), 0);
	cr_assert_eq(ap_cg_add_entries(cg, app.mf), 0);
	cr_assert_eq(ap_cg_solve(cg), 0);
	size_t sites = 0, reached = 0;
	struct ap_buf cls = AP_BUF_INIT, name = AP_BUF_INIT, ref = AP_BUF_INIT;
	for (size_t d = 0; d < app.n_dex; d++) {
		size_t nc;
		const struct ap_dex_call *calls = ap_dex_calls(app.dexes[d], &nc);
		for (size_t i = 0; i < nc; i++) {
			const struct ap_dex_method_id *mi = ap_dex_method_id(app.dexes[d], calls[i].callee);
			if (!mi)
				continue;
			const char *c = ap_dex_type(app.dexes[d], mi->class_idx);
			const char *n = ap_dex_string(app.dexes[d], mi->name_idx);
			if (!c || !n || ap_kb_match_method(kb, c, n, NULL, NULL, 0) == 0)
				continue;
			ap_buf_reset(&ref);
			ap_dex_format_method(app.dexes[d], calls[i].caller, &ref);
			const char *caller = ref.data ? ref.data : "";
			/* app code only: the benchmarks bundle the support library, whose own PI calls
			 * (e.g. LocationManager in AppCompat's night mode) are not the test case */
			if (strncmp(caller, "Landroid/support/", 17) == 0 ||
			    strncmp(caller, "Landroidx/", 10) == 0)
				continue;
			uint32_t node = ap_cg_find(cg, caller);
			unsigned k = ap_cg_kinds(cg, node);
			sites++;
			if (k) {
				reached++;
				for (int b = 0; b < 3; b++)
					t->by_kind[b] += (k >> b) & 1u;
			} else {
				fprintf(log, "reach-rate: unreached %s: %s -> %s->%s\n", path, caller, c, n);
			}
		}
	}
	ap_buf_free(&cls);
	ap_buf_free(&name);
	ap_buf_free(&ref);
	t->apps++;
	t->apps_all += sites == reached;
	t->sites += sites;
	t->reached += reached;
	ap_cg_free(cg);
	rl_free(&app);
}

static void walk(const char *dir, struct tally *t, FILE *log)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s", dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		names[n++] = ap_t_path(dir, e->d_name);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		DIR *sub = opendir(names[i]);
		if (sub) {
			closedir(sub);
			walk(names[i], t, log);
		} else if (len > 4 && strcmp(names[i] + len - 4, ".apk") == 0) {
			measure(names[i], t, log);
		}
		free(names[i]);
	}
	free(names);
}

static void report(const char *what, const struct tally *t)
{
	double rate = t->sites ? (double)t->reached / (double)t->sites : 0;
	printf("reach-rate: %s: %zu apps, %zu PI call sites, %zu reachable (%.1f%%); apps with every "
	       "PI call reachable: %zu/%zu; by kind startup %zu, background %zu, ui %zu\n",
	       what, t->apps, t->sites, t->reached, 100 * rate, t->apps_all, t->apps, t->by_kind[0],
	       t->by_kind[1], t->by_kind[2]);
	fflush(stdout);
}

TestSuite(reach_corpus, .init = load_kb, .fini = free_kb);

Test(reach_corpus, iccbench_pi_calls_are_reachable)
{
	AP_T_NEED_CORPUS();
	struct tally t = {0};
	char *dir = ap_t_path(ap_t_corpus_dir(), "iccbench");
	walk(dir, &t, stdout);
	free(dir);
	report("iccbench", &t);
	cr_assert_gt(t.apps, 20, "iccbench has 24 apps");
	cr_assert_gt(t.sites, 0);
	cr_expect_geq((double)t.reached / (double)t.sites, RATE_FLOOR);
}

Test(reach_corpus, droidbench_lifecycle_and_callbacks_pi_calls_are_reachable)
{
	AP_T_NEED_CORPUS();
	struct tally t = {0};
	const char *subs[] = {"droidbench/Lifecycle", "droidbench/Callbacks"};
	for (size_t i = 0; i < 2; i++) {
		struct tally one = {0};
		char *dir = ap_t_path(ap_t_corpus_dir(), subs[i]);
		walk(dir, &one, stdout);
		free(dir);
		report(subs[i], &one);
		t.apps += one.apps;
		t.apps_all += one.apps_all;
		t.sites += one.sites;
		t.reached += one.reached;
	}
	cr_assert_gt(t.apps, 25, "18 Lifecycle + 11 Callbacks apps");
	cr_assert_gt(t.sites, 0);
	cr_expect_geq((double)t.reached / (double)t.sites, RATE_FLOOR);
}

/* Dead code stays dead on real apps too: a benchmark app's unreferenced class is not reached. */
Test(reach_corpus, unreached_methods_exist_in_a_real_app)
{
	AP_T_NEED_CORPUS();
	char *path = ap_t_path(ap_t_corpus_dir(), "droidbench/Lifecycle/ActivityLifecycle1.apk");
	struct rl_app app;
	cr_assert(rl_load(path, &app));
	free(path);
	struct ap_cg *cg = NULL;
	cr_assert_eq(ap_cg_build(app.dexes, app.n_dex, NULL, &cg), 0);
	cr_assert_eq(ap_cg_add_entries(cg, app.mf), 0);
	cr_assert_eq(ap_cg_solve(cg), 0);
	size_t reached = 0;
	for (uint32_t i = 0; i < cg->n_nodes; i++)
		reached += ap_cg_kinds(cg, i) != 0;
	printf("reach-rate: ActivityLifecycle1: %zu of %zu methods reachable\n", reached,
	       cg->n_nodes);
	cr_expect_gt(reached, 0);
	cr_expect_lt(reached, cg->n_nodes, "CHA must not make everything reachable");
	ap_cg_free(cg);
	rl_free(&app);
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of graph + entries + search, the best of 3 runs (the CI machine is shared: wall time
 * measures the neighbours). */
static double cost_ms(struct ap_dex *const *dexes, size_t n, const struct ap_manifest *mf,
		      size_t *nodes, size_t *edges)
{
	double best = 1e9;
	for (int run = 0; run < 3; run++) {
		double t0 = cpu_ms();
		struct ap_cg *cg = NULL;
		cr_assert_eq(ap_cg_build(dexes, n, NULL, &cg), 0);
		cr_assert_eq(ap_cg_add_entries(cg, mf), 0);
		cr_assert_eq(ap_cg_solve(cg), 0);
		double t = cpu_ms() - t0;
		*nodes = cg->n_nodes;
		*edges = cg->n_edges;
		ap_cg_free(cg);
		if (t < best)
			best = t;
	}
	return best;
}

/* Cost: graph + entries + search on the largest corpus APKs, and on the three loaded as one
 * multidex app (over 10 MB of DEX). DEX parsing is timed separately (the scan does it anyway). */
Test(reach_corpus, cost_on_the_largest_apks)
{
	AP_T_NEED_CORPUS();
	const char *apks[] = {"apktool/issue3533/issue3533.apk", "insecurebankv2/InsecureBankv2.apk",
			      "droidbench/EmulatorDetection/PlayStore2.apk"};
	struct rl_app all = {0};
	struct rl_app one[3];
	double worst = 0;
	size_t nodes, edges;
	for (size_t i = 0; i < 3; i++) {
		char *path = ap_t_path(ap_t_corpus_dir(), apks[i]);
		double t0 = cpu_ms();
		cr_assert(rl_load(path, &one[i]), "%s", path);
		double parse = cpu_ms() - t0;
		free(path);
		double t = cost_ms(one[i].dexes, one[i].n_dex, one[i].mf, &nodes, &edges);
		printf("reach-cost: %s: %.1f MB DEX, %zu methods, %zu edges: parse %.0f ms, "
		       "graph+search %.0f ms (CPU)\n", apks[i], (double)one[i].dex_bytes / 1e6, nodes,
		       edges, parse, t);
		if (t > worst)
			worst = t;
		for (size_t d = 0; d < one[i].n_dex && all.n_dex < 64; d++)
			all.dexes[all.n_dex++] = one[i].dexes[d];
		all.dex_bytes += one[i].dex_bytes;
	}
	double t = cost_ms(all.dexes, all.n_dex, one[0].mf, &nodes, &edges);
	printf("reach-cost: all three as one app: %.1f MB DEX in %zu files, %zu methods, %zu edges: "
	       "graph+search %.0f ms (CPU)\n", (double)all.dex_bytes / 1e6, all.n_dex, nodes, edges, t);
	fflush(stdout);
	if (t > worst)
		worst = t;
	for (size_t i = 0; i < 3; i++)
		rl_free(&one[i]);
#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
	(void)worst; /* sanitizer or -O0 builds: figures printed, no time bound */
#else
	cr_expect_lt(worst, 1000.0, "graph + reachability took %.0f ms of CPU", worst);
#endif
}
