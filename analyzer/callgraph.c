/* The call graph over all DEX code of an APK: one node per defined method (first definition wins
 * across classes*.dex, as ART), edges for direct/static/super calls, virtual and interface calls
 * resolved by class hierarchy (CHA), <clinit> on first use, and the framework's asynchronous,
 * inter-component and callback hand-offs. docs/reachability.md says what each edge models. */
#include "callgraph_int.h"

#include "dex/dex.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_vec.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- interning -------------------------------------------------------------------------- */

/* Strings the graph owns (sub-signatures) live in chunks freed together: one malloc per 64 KiB
 * instead of one per string. */
struct cg_chunk {
	struct cg_chunk *prev;
	char data[];
};

static char *pool_alloc(struct cg_pool *p, size_t n)
{
	if (n > p->left) {
		size_t sz = n > 65536 ? n : 65536;
		struct cg_chunk *c = malloc(sizeof *c + sz);
		if (!c)
			return NULL;
		c->prev = p->chunks;
		p->chunks = c;
		p->at = c->data;
		p->left = sz;
	}
	char *s = p->at;
	p->at += n;
	p->left -= n;
	return s;
}

/* n class ids from the same chunks (a class's interfaces): one malloc per 64 KiB again. */
static uint32_t *pool_ids(struct cg_pool *p, size_t n)
{
	size_t mis = (uintptr_t)p->at % sizeof(uint32_t);
	size_t pad = mis ? sizeof(uint32_t) - mis : 0;
	if (pad <= p->left) {
		p->at += pad;
		p->left -= pad;
	} else {
		p->left = 0; /* a new chunk starts aligned */
	}
	if (n > SIZE_MAX / sizeof(uint32_t))
		return NULL;
	return (uint32_t *)(void *)pool_alloc(p, n * sizeof(uint32_t));
}

static void pool_free(struct cg_pool *p)
{
	while (p->chunks) {
		struct cg_chunk *prev = p->chunks->prev;
		free(p->chunks);
		p->chunks = prev;
	}
	p->at = NULL;
	p->left = 0;
}

struct class_key {
	const struct ap_cg *cg;
	const char *desc;
};

static bool class_eq(const void *ctx, uint32_t id)
{
	const struct class_key *k = ctx;
	return strcmp(k->cg->classes[id].desc, k->desc) == 0;
}

uint32_t cg_find_class(const struct ap_cg *cg, const char *desc)
{
	struct class_key k = {cg, desc};
	return cg_map_find(&cg->class_map, cg_hash(desc, strlen(desc)).h, class_eq, &k);
}

uint32_t cg_intern_class(struct ap_cg *cg, const char *desc)
{
	uint64_t h = cg_hash(desc, strlen(desc)).h;
	struct class_key key = {cg, desc};
	uint32_t id = cg_map_find(&cg->class_map, h, class_eq, &key);
	if (id != AP_CG_NONE)
		return id;
	if (!ap_grow((void **)&cg->classes, &cg->cap_classes, cg->n_classes + 1, sizeof *cg->classes))
		return AP_CG_NONE;
	id = (uint32_t)cg->n_classes;
	struct ap_cg_class *c = &cg->classes[cg->n_classes++];
	memset(c, 0, sizeof *c);
	c->desc = desc;
	c->super = c->dex = c->def = c->clinit = AP_CG_NONE;
	if (!cg_map_add(&cg->class_map, h, id)) {
		cg->n_classes--;
		return AP_CG_NONE;
	}
	return id;
}

struct sig_key {
	const struct ap_cg *cg;
	const char *name, *proto; /* proto NULL: name is the whole sub-signature */
	size_t name_len;
};

static bool sig_eq(const void *ctx, uint32_t id)
{
	const struct sig_key *k = ctx;
	const char *s = k->cg->sigs[id];
	if (!k->proto)
		return strcmp(s, k->name) == 0;
	return strncmp(s, k->name, k->name_len) == 0 && strcmp(s + k->name_len, k->proto) == 0;
}

uint32_t cg_find_sig(const struct ap_cg *cg, const char *sig)
{
	struct sig_key k = {cg, sig, NULL, 0};
	return cg_map_find(&cg->sig_map, cg_hash(sig, strlen(sig)).h, sig_eq, &k);
}

uint32_t cg_intern_sig(struct ap_cg *cg, const char *name, size_t name_len, const char *proto,
		       struct cg_hstr proto_h)
{
	uint64_t h = cg_hash_cat(cg_hash(name, name_len), proto_h);
	struct sig_key key = {cg, name, proto, name_len};
	uint32_t id = cg_map_find(&cg->sig_map, h, sig_eq, &key);
	if (id != AP_CG_NONE)
		return id;
	if (!ap_grow((void **)&cg->sigs, &cg->cap_sigs, cg->n_sigs + 1, sizeof *cg->sigs))
		return AP_CG_NONE;
	size_t pl = strlen(proto);
	char *copy = pool_alloc(&cg->pool, name_len + pl + 1);
	if (!copy)
		return AP_CG_NONE;
	memcpy(copy, name, name_len);
	memcpy(copy + name_len, proto, pl + 1);
	id = (uint32_t)cg->n_sigs;
	cg->sigs[cg->n_sigs++] = copy;
	if (!cg_map_add(&cg->sig_map, h, id)) {
		cg->n_sigs--;
		return AP_CG_NONE;
	}
	return id;
}

/* ---- the passes --------------------------------------------------------------------------- */

/* "(ARGS)RET" of a proto, formatted into buf on each use (once per new (name, proto) pair, as
 * the pairs cache in intern_dex goes) and hashed once per DEX: keeping every formatted proto
 * would cost more memory than formatting again costs time. */
struct protos {
	struct cg_hstr *h; /* per proto; pow 0 (never a power of the odd base): not hashed yet */
	struct ap_buf buf;
};

static const char *proto_of(const struct ap_dex *dex, struct protos *p, uint32_t idx)
{
	ap_buf_reset(&p->buf);
	ap_dex_format_proto(dex, idx, &p->buf);
	const char *s = p->buf.data ? p->buf.data : "()V";
	if (p->h[idx].pow == 0)
		p->h[idx] = cg_hash(s, strlen(s));
	return s;
}

/* Per DEX: type index -> class id, method index -> (class id, sub-signature id). */
static int intern_dex(struct ap_cg *cg, size_t d, struct protos *p)
{
	const struct ap_dex *dex = cg->dexes[d];
	const struct ap_dex_counts *cnt = ap_dex_counts(dex);
	cg->type_gid[d] = malloc((cnt->types ? cnt->types : 1) * sizeof **cg->type_gid);
	cg->mid[d] = malloc((cnt->methods ? cnt->methods : 1) * sizeof **cg->mid);
	p->h = calloc(cnt->protos ? cnt->protos : 1, sizeof *p->h);
	/* (name, proto) string indices -> sub-signature: most pairs recur across classes
	 * (<init>()V, run()V, ...), and an integer key skips hashing and comparing strings */
	struct cg_map pairs = {0};
	int err = AP_ERR_NOMEM;
	if (!cg->type_gid[d] || !cg->mid[d] || !p->h ||
	    !cg_map_init(&pairs, cnt->methods / 2))
		goto out_free_protos;
	for (uint32_t t = 0; t < cnt->types; t++) {
		const char *desc = ap_dex_type(dex, t);
		cg->type_gid[d][t] = desc ? cg_intern_class(cg, desc) : AP_CG_NONE;
	}
	for (uint32_t i = 0; i < cnt->methods; i++) {
		const struct ap_dex_method_id *mi = ap_dex_method_id(dex, i);
		cg->mid[d][i] = UINT64_MAX;
		if (!mi || mi->class_idx >= cnt->types || mi->proto_idx >= cnt->protos)
			continue;
		uint32_t cls = cg->type_gid[d][mi->class_idx];
		const char *name = ap_dex_string(dex, mi->name_idx);
		if (cls == AP_CG_NONE || !name)
			continue;
		uint64_t pair = cg_key2(mi->name_idx, mi->proto_idx);
		uint32_t sig = cg_map_get(&pairs, pair);
		if (sig == AP_CG_NONE) {
			const char *proto = proto_of(dex, p, mi->proto_idx);
			size_t nl = strlen(name);
			if (!proto || nl > AP_MAX_BUF_DEFAULT - strlen(proto))
				continue; /* as long as a growing buffer may be */
			sig = cg_intern_sig(cg, name, nl, proto, p->h[mi->proto_idx]);
			if (sig == AP_CG_NONE)
				continue;
			(void)cg_map_put(&pairs, pair, sig); /* a cache: a failed put costs only time */
		}
		cg->mid[d][i] = cg_key2(cls, sig);
	}
	err = AP_OK;
out_free_protos:
	cg_map_fini(&pairs);
	free(p->h);
	p->h = NULL;
	return err;
}

static int intern_types_and_methods(struct ap_cg *cg)
{
	struct protos p = {NULL, AP_BUF_INIT};
	int err = AP_OK;
	cg->type_gid = calloc(cg->n_dex ? cg->n_dex : 1, sizeof *cg->type_gid);
	cg->mid = calloc(cg->n_dex ? cg->n_dex : 1, sizeof *cg->mid);
	if (!cg->type_gid || !cg->mid)
		return AP_ERR_NOMEM;
	for (size_t d = 0; d < cg->n_dex && err == AP_OK; d++)
		err = intern_dex(cg, d, &p);
	ap_buf_free(&p.buf);
	return err;
}

static int define_classes(struct ap_cg *cg)
{
	uint32_t clinit_sig = cg_intern_sig(cg, "<clinit>", 8, "()V", cg_hash("()V", 3));
	for (size_t d = 0; d < cg->n_dex; d++) {
		const struct ap_dex *dex = cg->dexes[d];
		uint32_t n_types = ap_dex_counts(dex)->types;
		uint32_t n_mids = ap_dex_counts(dex)->methods;
		for (uint32_t ci = 0; ci < ap_dex_class_count(dex); ci++) {
			const struct ap_dex_class *cd = ap_dex_class_def(dex, ci);
			if (!cd || cd->duplicate || cd->class_idx >= n_types)
				continue;
			uint32_t gid = cg->type_gid[d][cd->class_idx];
			if (gid == AP_CG_NONE || cg->classes[gid].dex != AP_CG_NONE)
				continue; /* an earlier DEX defines it: ART loads that one */
			struct ap_cg_class *k = &cg->classes[gid];
			k->dex = (uint32_t)d;
			k->def = ci;
			k->super = cd->superclass_idx < n_types ? cg->type_gid[d][cd->superclass_idx]
								: AP_CG_NONE;
			if (k->super == gid)
				k->super = AP_CG_NONE;
			if (cd->n_interfaces) {
				k->ifaces = pool_ids(&cg->pool, cd->n_interfaces);
				if (!k->ifaces)
					return AP_ERR_NOMEM;
				for (uint32_t i = 0; i < cd->n_interfaces; i++) {
					uint32_t t = cd->interfaces[i];
					uint32_t ic = t < n_types ? cg->type_gid[d][t] : AP_CG_NONE;
					if (ic != AP_CG_NONE && ic != gid)
						k->ifaces[k->n_ifaces++] = ic;
				}
			}
			k->methods_first = (uint32_t)cg->n_nodes;
			uint32_t nm = cd->n_direct + cd->n_virtual;
			for (uint32_t j = 0; j < nm; j++) {
				const struct ap_dex_method *m = ap_dex_method_def(dex, cd->methods_first + j);
				if (!m || m->method_idx >= n_mids)
					continue;
				uint64_t key = cg->mid[d][m->method_idx];
				if (key == UINT64_MAX || (uint32_t)(key >> 32) != gid)
					continue;
				if (cg_map_get(&cg->method_map, key) != AP_CG_NONE)
					continue; /* the same method twice in one class: first wins */
				if (!ap_grow((void **)&cg->nodes, &cg->cap_nodes, cg->n_nodes + 1,
					  sizeof *cg->nodes))
					return AP_ERR_NOMEM;
				uint32_t nd = (uint32_t)cg->n_nodes++;
				cg->nodes[nd] = (struct ap_cg_node){.dex = (uint32_t)d,
								    .def = cd->methods_first + j,
								    .cls = gid, .sig = (uint32_t)key,
								    .access = m->access};
				if (!cg_map_put(&cg->method_map, key, nd))
					return AP_ERR_NOMEM;
				if ((uint32_t)key == clinit_sig)
					k->clinit = nd;
			}
			/* k may have moved? no: classes only grow in intern, done before this pass */
			k->methods_n = (uint32_t)cg->n_nodes - k->methods_first;
		}
	}
	return AP_OK;
}

static int link_kids(struct ap_cg *cg)
{
	uint32_t *cnt = calloc(cg->n_classes + 1, sizeof *cnt);
	if (!cnt)
		return AP_ERR_NOMEM;
	size_t total = 0;
	for (size_t c = 0; c < cg->n_classes; c++) {
		const struct ap_cg_class *k = &cg->classes[c];
		if (k->dex == AP_CG_NONE)
			continue;
		if (k->super != AP_CG_NONE) {
			cnt[k->super]++;
			total++;
		}
		for (uint32_t i = 0; i < k->n_ifaces; i++) {
			cnt[k->ifaces[i]]++;
			total++;
		}
	}
	cg->kids = malloc((total ? total : 1) * sizeof *cg->kids);
	if (!cg->kids) {
		free(cnt);
		return AP_ERR_NOMEM;
	}
	uint32_t pos = 0;
	for (size_t c = 0; c < cg->n_classes; c++) {
		cg->classes[c].kids_first = pos;
		pos += cnt[c];
		cnt[c] = 0;
	}
	for (size_t c = 0; c < cg->n_classes; c++) {
		const struct ap_cg_class *k = &cg->classes[c];
		if (k->dex == AP_CG_NONE)
			continue;
		if (k->super != AP_CG_NONE) {
			struct ap_cg_class *p = &cg->classes[k->super];
			cg->kids[p->kids_first + cnt[k->super]++] = (uint32_t)c;
		}
		for (uint32_t i = 0; i < k->n_ifaces; i++) {
			struct ap_cg_class *p = &cg->classes[k->ifaces[i]];
			cg->kids[p->kids_first + cnt[k->ifaces[i]]++] = (uint32_t)c;
		}
	}
	for (size_t c = 0; c < cg->n_classes; c++)
		cg->classes[c].kids_n = cnt[c];
	cg->n_kids = total;
	free(cnt);
	return AP_OK;
}

/* The framework's own hierarchy where the app's code depends on it: a DEX names only the
 * direct superclass (ListFragment), while entries and hand-offs are keyed on the base class
 * (Fragment). {class, superclass, interface or NULL}. */
static const char *const framework_supers[][3] = {
	{"Landroid/app/Activity;", "Landroid/view/ContextThemeWrapper;", NULL},
	{"Landroid/view/ContextThemeWrapper;", "Landroid/content/ContextWrapper;", NULL},
	{"Landroid/content/ContextWrapper;", "Landroid/content/Context;", NULL},
	{"Landroid/app/Service;", "Landroid/content/ContextWrapper;", NULL},
	{"Landroid/app/Application;", "Landroid/content/ContextWrapper;", NULL},
	{"Landroid/app/ListActivity;", "Landroid/app/Activity;", NULL},
	{"Landroid/app/ExpandableListActivity;", "Landroid/app/Activity;", NULL},
	{"Landroid/app/ActivityGroup;", "Landroid/app/Activity;", NULL},
	{"Landroid/app/TabActivity;", "Landroid/app/ActivityGroup;", NULL},
	{"Landroid/app/AliasActivity;", "Landroid/app/Activity;", NULL},
	{"Landroid/app/NativeActivity;", "Landroid/app/Activity;", NULL},
	{"Landroid/app/LauncherActivity;", "Landroid/app/ListActivity;", NULL},
	{"Landroid/preference/PreferenceActivity;", "Landroid/app/ListActivity;", NULL},
	{"Landroid/accounts/AccountAuthenticatorActivity;", "Landroid/app/Activity;", NULL},
	{"Landroid/app/IntentService;", "Landroid/app/Service;", NULL},
	{"Landroid/app/job/JobService;", "Landroid/app/Service;", NULL},
	{"Landroid/service/wallpaper/WallpaperService;", "Landroid/app/Service;", NULL},
	{"Landroid/accessibilityservice/AccessibilityService;", "Landroid/app/Service;", NULL},
	{"Landroid/inputmethodservice/AbstractInputMethodService;", "Landroid/app/Service;", NULL},
	{"Landroid/inputmethodservice/InputMethodService;",
	 "Landroid/inputmethodservice/AbstractInputMethodService;", NULL},
	{"Landroid/service/notification/NotificationListenerService;", "Landroid/app/Service;", NULL},
	{"Landroid/app/ListFragment;", "Landroid/app/Fragment;", NULL},
	{"Landroid/app/DialogFragment;", "Landroid/app/Fragment;", NULL},
	{"Landroid/preference/PreferenceFragment;", "Landroid/app/Fragment;", NULL},
	{"Landroid/appwidget/AppWidgetProvider;", "Landroid/content/BroadcastReceiver;", NULL},
	{"Landroid/app/admin/DeviceAdminReceiver;", "Landroid/content/BroadcastReceiver;", NULL},
	{"Landroid/content/SearchRecentSuggestionsProvider;", "Landroid/content/ContentProvider;", NULL},
	{"Landroid/os/HandlerThread;", "Ljava/lang/Thread;", NULL},
	{"Ljava/lang/Thread;", "Ljava/lang/Object;", "Ljava/lang/Runnable;"},
	{"Ljava/util/TimerTask;", "Ljava/lang/Object;", "Ljava/lang/Runnable;"},
	{"Ljava/util/concurrent/ExecutorService;", NULL, "Ljava/util/concurrent/Executor;"},
	{"Ljava/util/concurrent/ScheduledExecutorService;", NULL,
	 "Ljava/util/concurrent/ExecutorService;"},
	{"Ljava/util/concurrent/AbstractExecutorService;", "Ljava/lang/Object;",
	 "Ljava/util/concurrent/ExecutorService;"},
	{"Ljava/util/concurrent/ThreadPoolExecutor;", "Ljava/util/concurrent/AbstractExecutorService;",
	 NULL},
	{"Ljava/util/concurrent/ScheduledThreadPoolExecutor;",
	 "Ljava/util/concurrent/ThreadPoolExecutor;", "Ljava/util/concurrent/ScheduledExecutorService;"},
	{"Landroid/view/ViewGroup;", "Landroid/view/View;", NULL},
	{"Landroid/widget/TextView;", "Landroid/view/View;", NULL},
	{"Landroid/widget/Button;", "Landroid/widget/TextView;", NULL},
	{"Landroid/widget/EditText;", "Landroid/widget/TextView;", NULL},
	{"Landroid/widget/ImageView;", "Landroid/view/View;", NULL},
	{"Landroid/widget/LinearLayout;", "Landroid/view/ViewGroup;", NULL},
	{"Landroid/widget/FrameLayout;", "Landroid/view/ViewGroup;", NULL},
	{"Landroid/widget/RelativeLayout;", "Landroid/view/ViewGroup;", NULL},
	{"Landroid/widget/AdapterView;", "Landroid/view/ViewGroup;", NULL},
	{"Landroid/widget/AbsListView;", "Landroid/widget/AdapterView;", NULL},
	{"Landroid/widget/ListView;", "Landroid/widget/AbsListView;", NULL},
	{"Landroid/webkit/WebView;", "Landroid/view/ViewGroup;", NULL},
};

/* Links framework classes the app mentions to their framework superclass (never overriding
 * what an app's own DEX says about a class it defines). */
static int link_framework(struct ap_cg *cg)
{
	for (size_t i = 0; i < sizeof framework_supers / sizeof *framework_supers; i++) {
		uint32_t c = ap_cg_class_id(cg, framework_supers[i][0]);
		if (c == AP_CG_NONE || cg->classes[c].dex != AP_CG_NONE)
			continue;
		uint32_t sup = framework_supers[i][1] ? cg_intern_class(cg, framework_supers[i][1])
						      : AP_CG_NONE;
		uint32_t ifc = framework_supers[i][2] ? cg_intern_class(cg, framework_supers[i][2])
						      : AP_CG_NONE;
		if ((framework_supers[i][1] && sup == AP_CG_NONE) ||
		    (framework_supers[i][2] && ifc == AP_CG_NONE))
			return AP_ERR_NOMEM;
		struct ap_cg_class *k = &cg->classes[c]; /* intern may have moved the array */
		if (k->super == AP_CG_NONE)
			k->super = sup;
		if (ifc != AP_CG_NONE && !k->ifaces) {
			k->ifaces = pool_ids(&cg->pool, 1);
			if (!k->ifaces)
				return AP_ERR_NOMEM;
			k->ifaces[k->n_ifaces++] = ifc;
		}
	}
	return AP_OK;
}

static void mark_instantiated(struct ap_cg *cg)
{
	for (size_t d = 0; d < cg->n_dex; d++) {
		size_t nt;
		const struct ap_dex_type_ref *t = ap_dex_type_refs(cg->dexes[d], &nt);
		uint32_t n_types = ap_dex_counts(cg->dexes[d])->types;
		for (size_t i = 0; i < nt; i++) {
			if (t[i].opcode != 0x22 || t[i].type_idx >= n_types)
				continue;
			uint32_t c = cg->type_gid[d][t[i].type_idx];
			if (c != AP_CG_NONE)
				cg->classes[c].instantiated = true;
		}
	}
}

/* What only the edge builder needs, given back before the graph is solved. */
static void release_build_tables(struct ap_cg *cg)
{
	cg_map_fini(&cg->set_map);
	for (size_t d = 0; cg->type_gid && d < cg->n_dex; d++)
		free(cg->type_gid[d]);
	free(cg->type_gid);
	cg->type_gid = NULL;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int ap_cg_build(struct ap_dex *const *dexes, size_t n_dex, struct ap_anomalies *an,
		struct ap_cg **out)
{
	*out = NULL;
	double t0 = now_ms();
	struct ap_cg *cg = calloc(1, sizeof *cg);
	if (!cg)
		return AP_ERR_NOMEM;
	cg->dexes = dexes;
	cg->n_dex = n_dex;
	cg->an = an;
	size_t n_types = 0, n_mids = 0, n_defs = 0, n_calls = 0;
	for (size_t d = 0; d < n_dex; d++) {
		const struct ap_dex_counts *c = ap_dex_counts(dexes[d]);
		n_types += c->types;
		n_mids += c->methods;
		n_defs += c->method_defs;
		n_calls += c->calls;
	}
	/* sized once from the DEX counts: growing big tables is what costs on large apps, in time
	 * and in memory (a doubled array is half empty). Classes: at most one per type, plus the
	 * framework classes link_framework adds; nodes: at most one per method definition. */
	int err = AP_ERR_NOMEM;
	size_t n_fw = 2 * sizeof framework_supers / sizeof *framework_supers;
	cg->cap_classes = n_types + n_fw;
	cg->cap_nodes = n_defs ? n_defs : 1;
	cg->classes = malloc(cg->cap_classes * sizeof *cg->classes);
	cg->nodes = malloc(cg->cap_nodes * sizeof *cg->nodes);
	/* first guesses that rarely need to grow (ap_grow takes over past them): about one edge
	 * per call site, a sub-signature per two method ids */
	cg->cap_edges = n_calls + n_calls / 8 + 16;
	cg->cap_sigs = n_mids / 2 + 16;
	cg->edges = malloc(cg->cap_edges * sizeof *cg->edges);
	cg->sigs = malloc(cg->cap_sigs * sizeof *cg->sigs);
	if (!cg->classes || !cg->nodes || !cg->edges || !cg->sigs || !cg_map_init_hashed(&cg->class_map, n_types + n_fw) ||
	    !cg_map_init_hashed(&cg->sig_map, n_mids / 2) ||
	    !cg_map_init_nodes(&cg->method_map, n_defs,
			       (const struct ap_cg_node *const *)&cg->nodes) ||
	    !cg_map_init(&cg->set_map, n_defs / 4))
		goto out_fail;
	if ((err = intern_types_and_methods(cg)) != AP_OK)
		goto out_fail;
	double t1 = now_ms();
	if ((err = define_classes(cg)) != AP_OK)
		goto out_fail;
	if ((err = link_framework(cg)) != AP_OK)
		goto out_fail;
	if ((err = link_kids(cg)) != AP_OK)
		goto out_fail;
	mark_instantiated(cg);
	double t2 = now_ms();

	err = cg_build_edges(cg);
	release_build_tables(cg);
	if (err == AP_OK && cg->limit_hit) {
		ap_anom_add(an, "reach", NULL, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "call graph: more than %u edges; the rest of the calls are not modelled "
			    "(reachability is an under-approximation from here)",
			    (unsigned)AP_MAX_CG_EDGES);
		err = AP_ERR_LIMIT;
	}
	if (err != AP_OK && err != AP_ERR_LIMIT)
		goto out_fail;
	cg->build_ms = now_ms() - t0;
	ap_log(AP_LOG_DEBUG, "reach", "call graph: %zu classes, %zu methods, %zu edges, %zu CHA sets "
	       "in %.1f ms (ids %.1f, classes %.1f, edges %.1f)", cg->n_classes, cg->n_nodes,
	       cg->n_edges, cg->n_sets, cg->build_ms, t1 - t0, t2 - t1, now_ms() - t2);
	*out = cg;
	return err;
out_fail:
	ap_cg_free(cg);
	return err;
}

void ap_cg_free(struct ap_cg *cg)
{
	if (!cg)
		return;
	free(cg->classes);
	free(cg->sigs);
	pool_free(&cg->pool);
	free(cg->nodes);
	free(cg->edges);
	free(cg->kids);
	free(cg->set_first);
	free(cg->set_n);
	free(cg->set_nodes);
	cg_map_fini(&cg->class_map);
	cg_map_fini(&cg->sig_map);
	cg_map_fini(&cg->method_map);
	cg_map_fini(&cg->set_map);
	for (size_t d = 0; cg->type_gid && d < cg->n_dex; d++)
		free(cg->type_gid[d]);
	for (size_t d = 0; cg->mid && d < cg->n_dex; d++)
		free(cg->mid[d]);
	free(cg->type_gid);
	free(cg->mid);
	free(cg->entries);
	for (int k = 0; k < AP_CG_KINDS; k++) {
		free(cg->dist[k]);
		free(cg->parent[k]);
		free(cg->ppc[k]);
		free(cg->pkind[k]);
		free(cg->entry_of[k]);
	}
	free(cg->periodic);
	free(cg);
}
