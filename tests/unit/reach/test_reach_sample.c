/* Reachability on samples/apk/reach.apk: every case of samples/EXPECTED.md section 4 gets the
 * verdict, the entry kind and the shortest path the table gives (built with smali from
 * samples/src/reach, so the expected paths are the sources' call chains). */
#include <criterion/criterion.h>

#include "ap_test.h"
#include "reach_load.h"

#include "analyzer/callgraph.h"
#include "analyzer/report_model.h"

#include "ap_buf.h"
#include "dex/dex.h"

#include <dirent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rl_app app;
static struct ap_cg *cg;

#define P "Lcom/apkpriv/sample/reach/"

static void setup(void)
{
	char *path = ap_t_path(AP_SOURCE_DIR, "samples/apk/reach.apk");
	cr_assert(rl_load(path, &app), "cannot load %s", path);
	free(path);
	cr_assert_eq(ap_cg_build(app.dexes, app.n_dex, NULL, &cg), 0);
	cr_assert_eq(ap_cg_add_entries(cg, app.mf), 0);
	cr_assert_eq(ap_cg_solve(cg), 0);
}

static void teardown(void)
{
	ap_cg_free(cg);
	cg = NULL;
	rl_free(&app);
}

/* The path of kind to ref as "A->x(..)V | B->y(..)V", or "" when unreached. */
static char *path_of(const char *ref, unsigned kind)
{
	uint32_t node = ap_cg_find(cg, ref);
	cr_assert_neq(node, AP_CG_NONE, "%s is not a node", ref);
	uint32_t hops[32];
	size_t n = ap_cg_path(cg, node, kind, hops, NULL, 32);
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_adds(&b, "");
	for (size_t i = 0; i < n; i++) {
		if (i)
			ap_buf_adds(&b, " | ");
		ap_cg_format(cg, hops[i], &b);
	}
	return ap_buf_take(&b);
}

static void expect(const char *ref, unsigned kinds, unsigned kind, const char *path)
{
	uint32_t node = ap_cg_find(cg, ref);
	cr_assert_neq(node, AP_CG_NONE, "%s is not a node", ref);
	cr_expect_eq(ap_cg_kinds(cg, node), kinds, "%s: kinds %u, expected %u", ref,
		     ap_cg_kinds(cg, node), kinds);
	if (kind) {
		char *p = path_of(ref, kind);
		cr_expect_str_eq(p, path, "%s", ref);
		free(p);
	}
}

/* The kind of the last edge of the startup path to ref. */
static int last_edge(const char *ref)
{
	uint32_t node = ap_cg_find(cg, ref);
	cr_assert_neq(node, AP_CG_NONE, "%s is not a node", ref);
	return cg->pkind[0][node];
}

TestSuite(reach_sample, .init = setup, .fini = teardown);

Test(reach_sample, a_chain_from_application_oncreate)
{
	expect(P "Collector;->collect(Landroid/content/Context;)Ljava/lang/String;",
	       AP_REACH_STARTUP, AP_REACH_STARTUP,
	       P "App;->onCreate()V | " P "Init;->start(Landroid/content/Context;)V | " P
		 "Collector;->collect(Landroid/content/Context;)Ljava/lang/String;");
}

Test(reach_sample, b_interface_with_one_implementation)
{
	expect(P "ImeiSource;->read(Landroid/content/Context;)Ljava/lang/String;",
	       AP_REACH_STARTUP, AP_REACH_STARTUP,
	       P "MainActivity;->onCreate(Landroid/os/Bundle;)V | " P
		 "ImeiSource;->read(Landroid/content/Context;)Ljava/lang/String;");
	/* CHA over IdSource.read has exactly one target: a plain call edge */
	cr_expect_eq(last_edge(P "ImeiSource;->read(Landroid/content/Context;)Ljava/lang/String;"),
		     AP_CGE_CALL);
}

Test(reach_sample, c_static_initialiser_on_first_use)
{
	expect(P "DeviceSerial;-><clinit>()V", AP_REACH_STARTUP, AP_REACH_STARTUP,
	       P "MainActivity;->onCreate(Landroid/os/Bundle;)V | " P "DeviceSerial;-><clinit>()V");
	cr_expect_eq(last_edge(P "DeviceSerial;-><clinit>()V"), AP_CGE_CLINIT);
}

Test(reach_sample, d_thread_runnable_and_handlers)
{
	const char *oc = P "MainActivity;->onCreate(Landroid/os/Bundle;)V | ";
	char want[512];
	snprintf(want, sizeof want, "%s%s", oc, P "LocRunnable;->run()V");
	expect(P "LocRunnable;->run()V", AP_REACH_STARTUP, AP_REACH_STARTUP, want);
	snprintf(want, sizeof want, "%s%s", oc, P "MacTask;->run()V");
	expect(P "MacTask;->run()V", AP_REACH_STARTUP, AP_REACH_STARTUP, want);
	snprintf(want, sizeof want, "%s%s", oc, P "IdHandler;->handleMessage(Landroid/os/Message;)V");
	expect(P "IdHandler;->handleMessage(Landroid/os/Message;)V", AP_REACH_STARTUP,
	       AP_REACH_STARTUP, want);
	/* the edges into run() and handleMessage() are hand-offs, not ordinary calls */
	cr_expect_eq(last_edge(P "LocRunnable;->run()V"), AP_CGE_ASYNC);
	cr_expect_eq(last_edge(P "MacTask;->run()V"), AP_CGE_ASYNC);
	cr_expect_eq(last_edge(P "IdHandler;->handleMessage(Landroid/os/Message;)V"), AP_CGE_ASYNC);
	const struct ap_cg_entry *en = ap_cg_path_entry(cg, ap_cg_find(cg, P "LocRunnable;->run()V"),
							AP_REACH_STARTUP);
	cr_assert_not_null(en);
	cr_expect_str_eq(en->why, "launcher");
}

Test(reach_sample, e_sdk_content_provider_is_startup)
{
	const char *ref = "Lcom/umeng/commonsdk/UMInitProvider;->onCreate()Z";
	expect(ref, AP_REACH_STARTUP, AP_REACH_STARTUP, ref);
	const struct ap_cg_entry *en = ap_cg_path_entry(cg, ap_cg_find(cg, ref), AP_REACH_STARTUP);
	cr_assert_not_null(en);
	cr_expect_str_eq(en->why, "provider");
}

Test(reach_sample, f_clipboard_in_launcher_onresume)
{
	const char *ref = P "MainActivity;->onResume()V";
	expect(ref, AP_REACH_STARTUP, AP_REACH_STARTUP, ref);
}

Test(reach_sample, g_boot_receiver_and_service_are_background)
{
	const char *svc = P "LocService;->onStartCommand(Landroid/content/Intent;II)I";
	uint32_t node = ap_cg_find(cg, svc);
	cr_assert_neq(node, AP_CG_NONE);
	cr_expect_eq(ap_cg_kinds(cg, node) & (AP_REACH_STARTUP | AP_REACH_BACKGROUND),
		     AP_REACH_BACKGROUND);
	char *p = path_of(svc, AP_REACH_BACKGROUND);
	cr_expect(strcmp(p, svc) == 0 ||
			  strcmp(p, P "BootReceiver;->onReceive(Landroid/content/Context;"
				      "Landroid/content/Intent;)V | " P
				      "LocService;->onStartCommand(Landroid/content/Intent;II)I") == 0,
		  "path %s", p);
	free(p);
	/* the explicit Intent(ctx, LocService.class) edge exists too */
	uint32_t recv = ap_cg_find(cg, P "BootReceiver;->onReceive(Landroid/content/Context;"
					 "Landroid/content/Intent;)V");
	cr_assert_neq(recv, AP_CG_NONE);
	bool icc = false;
	const struct ap_cg_node *rn = &cg->nodes[recv];
	for (uint32_t i = 0; i < rn->edges_n; i++) {
		const struct ap_cg_edge *e = &cg->edges[rn->edges_first + i];
		icc |= e->kind == AP_CGE_ICC && !e->is_set && e->to == node;
	}
	cr_expect(icc, "no ICC edge BootReceiver.onReceive -> LocService.onStartCommand");
	/* the receiver entry carries its manifest action */
	const struct ap_cg_entry *en = NULL;
	for (size_t i = 0; i < cg->n_entries; i++)
		if (cg->entries[i].node == recv)
			en = &cg->entries[i];
	cr_assert_not_null(en);
	cr_assert_eq(en->n_actions, 1);
	cr_expect_str_eq(en->actions[0], "android.intent.action.BOOT_COMPLETED");
}

Test(reach_sample, h_dead_code_is_present_but_unreachable)
{
	expect(P "legacy/OldTracker;->report(Landroid/content/Context;)Ljava/lang/String;", 0, 0,
	       NULL);
}

Test(reach_sample, i_consent_gated_sdk_init)
{
	expect("Lcom/umeng/commonsdk/statistics/common/DeviceConfig;->getImei(Landroid/content/"
	       "Context;)Ljava/lang/String;",
	       AP_REACH_STARTUP, AP_REACH_STARTUP,
	       P "App;->onCreate()V | " P "PrivacyGate;->initSdksIfAgreed(Landroid/content/Context;)V"
		 " | Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/"
		 "String;Ljava/lang/String;ILjava/lang/String;)V | Lcom/umeng/commonsdk/statistics/"
		 "common/DeviceConfig;->getImei(Landroid/content/Context;)Ljava/lang/String;");
}

Test(reach_sample, constant_min_time_of_request_location_updates)
{
	/* LocService.onStartCommand: const-wide/16 v3, 0x3e8 then requestLocationUpdates at 0x000e */
	uint32_t node = ap_cg_find(cg, P "LocService;->onStartCommand(Landroid/content/Intent;II)I");
	int64_t v = -1;
	cr_assert(ap_cg_const_arg(cg, node, 0x0e, 1, &v));
	cr_expect_eq(v, 1000);
	/* argument 0 is the provider string: no integer constant */
	cr_expect_not(ap_cg_const_arg(cg, node, 0x0e, 0, &v));
	/* a pc that is not an invoke */
	cr_expect_not(ap_cg_const_arg(cg, node, 0x00, 1, &v));
}

Test(reach_sample, unknown_and_malformed_references)
{
	cr_expect_eq(ap_cg_find(cg, "Lcom/none/X;->y()V"), AP_CG_NONE);
	cr_expect_eq(ap_cg_find(cg, "no arrow"), AP_CG_NONE);
	cr_expect_eq(ap_cg_find(cg, ""), AP_CG_NONE);
	cr_expect_eq(ap_cg_kinds(cg, AP_CG_NONE), 0);
	uint32_t hops[4];
	cr_expect_eq(ap_cg_path(cg, AP_CG_NONE, AP_REACH_STARTUP, hops, NULL, 4), 0);
}

/* One DEX (possibly hostile): the graph is built, searched and queried without crashing, with no
 * manifest (the hierarchy decides the components); loaded twice, the copy adds no node. */
static size_t graph_one(const uint8_t *buf, size_t len, const char *name)
{
	struct ap_dex *dex = NULL;
	(void)ap_dex_open(buf, len, name, NULL, &dex);
	if (!dex)
		return 0;
	struct ap_dex *both[2] = {dex, dex};
	size_t graphs = 0, nodes1 = 0;
	for (size_t n = 1; n <= 2; n++) {
		struct ap_cg *g = NULL;
		int rc = ap_cg_build(both, n, NULL, &g);
		cr_assert(rc == 0 || rc == 6 /* AP_ERR_LIMIT */, "%s: %d", name, rc);
		cr_assert_not_null(g);
		cr_assert_eq(ap_cg_add_entries(g, NULL), 0);
		cr_assert_eq(ap_cg_solve(g), 0);
		for (uint32_t i = 0; i < g->n_nodes; i++) {
			uint32_t hops[8];
			int64_t v;
			(void)ap_cg_path(g, i, AP_REACH_UI, hops, NULL, 8);
			(void)ap_cg_const_arg(g, i, 0, 0, &v);
		}
		if (n == 1)
			nodes1 = g->n_nodes;
		else
			cr_expect_eq(g->n_nodes, nodes1, "%s: the second copy added nodes", name);
		ap_cg_free(g);
		graphs++;
	}
	ap_dex_close(dex);
	return graphs;
}

/* Hostile DEX files: the DEX fuzzer's kept corpus, each also cut at 3/4 and with every 61st
 * byte inverted past the header. Run under ASan+UBSan in CI. */
Test(reach_robust, dex_fuzz_corpus_builds_and_solves)
{
	char *dir = ap_t_path(AP_SOURCE_DIR, "tests/fuzz/corpus/dex");
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	struct dirent *e;
	size_t files = 0, graphs = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = ap_t_path(dir, e->d_name);
		size_t len = 0;
		uint8_t *buf = ap_t_slurp(path, &len);
		free(path);
		if (!buf)
			continue;
		files++;
		graphs += graph_one(buf, len, e->d_name);
		graphs += graph_one(buf, len * 3 / 4, e->d_name);
		for (size_t i = 0x70; i < len; i += 61)
			buf[i] ^= 0xff;
		graphs += graph_one(buf, len, e->d_name);
		free(buf);
	}
	closedir(d);
	free(dir);
	cr_assert_gt(files, 0);
	cr_assert_gt(graphs, 0);
	cr_log_info("reach: %zu fuzz DEX files, %zu graphs", files, graphs);
}
