/* Entry points: the methods Android itself calls. From the manifest (Application, providers,
 * the launcher activity, other activities, services, receivers with their actions) and from the
 * framework (WorkManager workers, fragments, XML onClick handlers). Each has a kind: startup
 * (before the user can act: Application, providers, the launcher up to onResume), background
 * (services, receivers, workers) or ui (everything the user triggers). */
#include "callgraph_int.h"

#include "manifest/manifest.h"
#include "report_model.h"

#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

static int add_entry(struct ap_cg *cg, uint32_t node, unsigned kind, const char *why,
		     const char *const *actions, size_t n_actions)
{
	if (node == AP_CG_NONE || node >= cg->n_nodes || (cg->entry_bits[node] & kind))
		return AP_OK;
	cg->entry_bits[node] |= (uint8_t)kind;
	if (cg->n_entries == cg->cap_entries) {
		size_t nc = cg->cap_entries ? cg->cap_entries * 2 : 64;
		struct ap_cg_entry *q = realloc(cg->entries, nc * sizeof *q);
		if (!q)
			return AP_ERR_NOMEM;
		cg->entries = q;
		cg->cap_entries = nc;
	}
	cg->entries[cg->n_entries++] = (struct ap_cg_entry){.node = node, .kind = kind, .why = why,
							     .actions = actions,
							     .n_actions = n_actions};
	return AP_OK;
}

static bool name_in(const char *list, const char *sig)
{
	const char *paren = strchr(sig, '(');
	return ap_cg_name_in(list, sig, paren ? (size_t)(paren - sig) : strlen(sig));
}

static bool on_method(const char *sig)
{
	return sig[0] == 'o' && sig[1] == 'n' && sig[2] >= 'A' && sig[2] <= 'Z';
}

enum pick { PICK_LIST, PICK_ON, PICK_VIEW_HANDLER };

/* Adds the methods of class c (and of its app superclasses, unless overridden) that match. */
static int add_methods(struct ap_cg *cg, uint32_t c, enum pick pick, const char *list,
		       unsigned kind, const char *why, const char *const *actions, size_t n_act)
{
	uint32_t seen[256];
	size_t n_seen = 0;
	for (unsigned depth = 0; c != AP_CG_NONE && depth < AP_MAX_DEX_HIER_DEPTH; depth++) {
		const struct ap_cg_class *k = &cg->classes[c];
		for (uint32_t i = 0; i < k->methods_n; i++) {
			uint32_t nd = k->methods_first + i;
			const struct ap_cg_node *n = &cg->nodes[nd];
			const char *s = cg->sigs[n->sig];
			if (n->access & (0x0008 | 0x0400)) /* static, abstract */
				continue;
			bool ok = false;
			if (pick == PICK_LIST)
				ok = name_in(list, s);
			else if (pick == PICK_ON)
				ok = on_method(s) && (!list || !name_in(list, s));
			else /* public void name(View): android:onClick="name" in a layout */
				ok = (n->access & 0x0001) && s[0] != '<' && !on_method(s) &&
				     strstr(s, "(Landroid/view/View;)V") != NULL;
			if (!ok)
				continue;
			bool dup = false;
			for (size_t j = 0; j < n_seen && !dup; j++)
				dup = seen[j] == n->sig;
			if (dup)
				continue;
			if (n_seen < sizeof seen / sizeof *seen)
				seen[n_seen++] = n->sig;
			int err = add_entry(cg, nd, kind, why, actions, n_act);
			if (err)
				return err;
		}
		c = k->super;
	}
	return AP_OK;
}

static uint32_t class_of_dotted(const struct ap_cg *cg, const char *dotted)
{
	if (!dotted)
		return AP_CG_NONE;
	size_t n = strlen(dotted);
	if (n + 3 > 4096)
		return AP_CG_NONE;
	char desc[4096];
	desc[0] = 'L';
	for (size_t i = 0; i < n; i++)
		desc[i + 1] = dotted[i] == '.' ? '/' : dotted[i];
	desc[n + 1] = ';';
	desc[n + 2] = 0;
	uint32_t c = ap_cg_class_id(cg, desc);
	return c != AP_CG_NONE && cg->classes[c].dex != AP_CG_NONE ? c : AP_CG_NONE;
}

static const char LAUNCH_STARTUP[] =
	"attachBaseContext|onCreate|onStart|onResume|onPostCreate|onPostResume";
static const char APP_STARTUP[] = "attachBaseContext|onCreate";
static const char PROVIDER_STARTUP[] = "onCreate|attachInfo";

static int activity_entries(struct ap_cg *cg, uint32_t c, bool launcher)
{
	int err = AP_OK;
	if (launcher) {
		err = add_methods(cg, c, PICK_LIST, LAUNCH_STARTUP, AP_REACH_STARTUP, "launcher",
				  NULL, 0);
		if (!err)
			err = add_methods(cg, c, PICK_ON, LAUNCH_STARTUP, AP_REACH_UI, "activity",
					  NULL, 0);
	} else {
		err = add_methods(cg, c, PICK_ON, NULL, AP_REACH_UI, "activity", NULL, 0);
		if (!err)
			err = add_methods(cg, c, PICK_LIST, "attachBaseContext", AP_REACH_UI,
					  "activity", NULL, 0);
	}
	if (!err)
		err = add_methods(cg, c, PICK_VIEW_HANDLER, NULL, AP_REACH_UI, "xml_onclick", NULL, 0);
	return err;
}

static int component_entries(struct ap_cg *cg, uint32_t c, enum ap_comp_kind kind, bool launcher,
			     const struct ap_mf_component *comp)
{
	switch (kind) {
	case AP_COMP_ACTIVITY:
	case AP_COMP_ALIAS:
		return activity_entries(cg, c, launcher);
	case AP_COMP_SERVICE: {
		int err = add_methods(cg, c, PICK_ON, NULL, AP_REACH_BACKGROUND, "service", NULL, 0);
		if (!err)
			err = add_methods(cg, c, PICK_LIST, "attachBaseContext", AP_REACH_BACKGROUND,
					  "service", NULL, 0);
		return err;
	}
	case AP_COMP_RECEIVER: {
		/* every action of every filter, for the report and R16 */
		const char *const *acts = NULL;
		size_t n = 0;
		if (comp && comp->n_filters) {
			acts = (const char *const *)comp->filters[0].actions;
			n = comp->filters[0].n_actions;
		}
		return add_methods(cg, c, PICK_LIST, "onReceive", AP_REACH_BACKGROUND, "receiver",
				   acts, n);
	}
	case AP_COMP_PROVIDER: {
		int err = add_methods(cg, c, PICK_LIST, PROVIDER_STARTUP, AP_REACH_STARTUP,
				      "provider", NULL, 0);
		if (!err)
			err = add_methods(cg, c, PICK_LIST,
					  "query|insert|update|delete|getType|call|openFile|"
					  "openAssetFile|bulkInsert|applyBatch",
					  AP_REACH_BACKGROUND, "provider", NULL, 0);
		return err;
	}
	}
	return AP_OK;
}

static int manifest_entries(struct ap_cg *cg, const struct ap_manifest *mf)
{
	int err = AP_OK;
	uint32_t app = class_of_dotted(cg, mf->app_name);
	if (app != AP_CG_NONE) {
		err = add_methods(cg, app, PICK_LIST, APP_STARTUP, AP_REACH_STARTUP, "application",
				  NULL, 0);
		if (!err)
			err = add_methods(cg, app, PICK_LIST,
					  "onLowMemory|onTrimMemory|onTerminate|onConfigurationChanged",
					  AP_REACH_BACKGROUND, "application", NULL, 0);
	}
	/* the launcher may be an activity-alias: its target is what runs */
	const char *launcher = NULL;
	if (mf->launcher >= 0 && (size_t)mf->launcher < mf->n_comps) {
		const struct ap_mf_component *l = &mf->comps[mf->launcher];
		launcher = l->kind == AP_COMP_ALIAS && l->target ? l->target : l->name;
	}
	for (size_t i = 0; i < mf->n_comps && !err; i++) {
		const struct ap_mf_component *comp = &mf->comps[i];
		const char *name = comp->kind == AP_COMP_ALIAS ? comp->target : comp->name;
		uint32_t c = class_of_dotted(cg, name);
		if (c == AP_CG_NONE)
			continue; /* declared but not in the DEX: nothing of ours runs */
		bool is_launcher = launcher && name && strcmp(name, launcher) == 0;
		err = component_entries(cg, c, comp->kind, is_launcher, comp);
	}
	return err;
}

/* No (readable) manifest: every component class by its framework superclass. */
static int hierarchy_components(struct ap_cg *cg)
{
	int err = AP_OK;
	uint32_t app = ap_cg_class_id(cg, "Landroid/app/Application;");
	uint32_t act = ap_cg_class_id(cg, "Landroid/app/Activity;");
	uint32_t svc = ap_cg_class_id(cg, "Landroid/app/Service;");
	uint32_t rcv = ap_cg_class_id(cg, "Landroid/content/BroadcastReceiver;");
	uint32_t prv = ap_cg_class_id(cg, "Landroid/content/ContentProvider;");
	for (uint32_t c = 0; c < cg->n_classes && !err; c++) {
		if (cg->classes[c].dex == AP_CG_NONE)
			continue;
		if (ap_cg_is_a_id(cg, c, app))
			err = add_methods(cg, c, PICK_LIST, APP_STARTUP, AP_REACH_STARTUP,
					  "application", NULL, 0);
		else if (ap_cg_is_a_id(cg, c, act))
			err = activity_entries(cg, c, false);
		else if (ap_cg_is_a_id(cg, c, svc))
			err = component_entries(cg, c, AP_COMP_SERVICE, false, NULL);
		else if (ap_cg_is_a_id(cg, c, rcv))
			err = component_entries(cg, c, AP_COMP_RECEIVER, false, NULL);
		else if (ap_cg_is_a_id(cg, c, prv))
			err = component_entries(cg, c, AP_COMP_PROVIDER, false, NULL);
	}
	return err;
}

/* Entries Android reaches without the manifest naming them. */
static int framework_entries(struct ap_cg *cg)
{
	static const char *const workers[] = {"Landroidx/work/ListenableWorker;",
					       "Landroidx/work/Worker;"};
	static const char *const fragments[] = {"Landroid/app/Fragment;",
						"Landroidx/fragment/app/Fragment;",
						"Landroid/support/v4/app/Fragment;"};
	int err = AP_OK;
	uint32_t worker_ids[2], frag_ids[3];
	for (size_t i = 0; i < 2; i++)
		worker_ids[i] = ap_cg_class_id(cg, workers[i]);
	for (size_t i = 0; i < 3; i++)
		frag_ids[i] = ap_cg_class_id(cg, fragments[i]);
	uint32_t binder = ap_cg_class_id(cg, "Landroid/os/Binder;");
	for (uint32_t c = 0; c < cg->n_classes && !err; c++) {
		if (cg->classes[c].dex == AP_CG_NONE)
			continue;
		for (size_t i = 0; i < sizeof workers / sizeof *workers && !err; i++)
			if (ap_cg_is_a_id(cg, c, worker_ids[i]))
				err = add_methods(cg, c, PICK_LIST, "doWork|startWork|onStopped",
						  AP_REACH_BACKGROUND, "worker", NULL, 0);
		/* a Binder's onTransact runs when another process (or bindService's client)
		 * calls through an AIDL/Messenger interface */
		if (!err && cg->classes[c].instantiated && ap_cg_is_a_id(cg, c, binder))
			err = add_methods(cg, c, PICK_LIST, "onTransact", AP_REACH_BACKGROUND,
					  "binder", NULL, 0);
		for (size_t i = 0; i < sizeof fragments / sizeof *fragments && !err; i++)
			if (ap_cg_is_a_id(cg, c, frag_ids[i]))
				err = add_methods(cg, c, PICK_ON, NULL, AP_REACH_UI, "fragment", NULL,
						  0);
	}
	return err;
}

int ap_cg_add_entries(struct ap_cg *cg, const struct ap_manifest *mf)
{
	uint8_t *bits = calloc(cg->n_nodes + 1, 1);
	if (!bits)
		return AP_ERR_NOMEM;
	for (size_t i = 0; i < cg->n_entries; i++)
		if (cg->entries[i].node < cg->n_nodes)
			bits[cg->entries[i].node] |= (uint8_t)cg->entries[i].kind;
	cg->entry_bits = bits;
	int err = mf ? manifest_entries(cg, mf) : hierarchy_components(cg);
	if (!err)
		err = framework_entries(cg);
	cg->entry_bits = NULL;
	free(bits);
	return err;
}
