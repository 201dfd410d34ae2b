/* Edges of one method: calls resolved against the app's classes (direct, static, super, and
 * virtual/interface by class hierarchy), <clinit> on first use, and the framework's asynchronous,
 * inter-component and callback hand-offs (docs/reachability.md says what each models). */
#include "callgraph_int.h"

#include "dex/dex.h"

#include "ap_err.h"
#include "ap_limits.h"
#include "ap_vec.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct rule_name {
	const char *p; /* into a '|'-separated list */
	size_t len;
	uint8_t flag;  /* SF_ASYNC or SF_ICC */
};

enum { SF_DONE = 1, SF_ASYNC = 2, SF_LISTEN = 4, SF_ICC = 8 };

struct bctx {
	struct ap_cg *cg;
	uint32_t *cstamp; /* per class */
	uint32_t *nstamp; /* per node */
	uint32_t stamp;
	uint32_t *stack;  /* class worklist */
	size_t cap_stack;
	uint32_t *tmp;    /* nodes of the set being built */
	size_t n_tmp, cap_tmp;
	uint32_t *locals; /* classes seen in the method being built */
	size_t n_locals, cap_locals;
	uint32_t *inst;   /* classes instantiated anywhere (new-instance) */
	size_t n_inst;
	uint8_t *sigflag; /* per sub-signature: SF_* bits, 0 = not looked at yet */
	uint32_t *sub_first, *sub; /* per class: classes naming it as super or interface */
	uint32_t *dmark, dstamp;   /* per class: below the global set's callback types */
	uint32_t *async_cls;       /* per async rule: class id of cls, then of cb[0], cb[1] */
	uint32_t icc_cls[3];
	struct rule_name *names;   /* callee names of the async and ICC rules */
	size_t n_names;
	bool nomem;
};

static void tmp_add(struct bctx *b, uint32_t nd)
{
	if (nd == AP_CG_NONE || b->nstamp[nd] == b->stamp)
		return;
	if (b->n_tmp == b->cap_tmp &&
	    !ap_grow((void **)&b->tmp, &b->cap_tmp, b->n_tmp + 1, sizeof *b->tmp)) {
		b->nomem = true;
		return;
	}
	b->nstamp[nd] = b->stamp;
	b->tmp[b->n_tmp++] = nd;
}

/* Stores b->tmp as a new target set; returns its id. */
static uint32_t tmp_to_set(struct bctx *b)
{
	struct ap_cg *cg = b->cg;
	if (!ap_grow((void **)&cg->set_first, &cg->cap_sets, cg->n_sets + 1, sizeof *cg->set_first)) {
		b->nomem = true;
		return AP_CG_NONE;
	}
	size_t cap = cg->cap_sets;
	uint32_t *q = realloc(cg->set_n, cap * sizeof *q);
	if (!q) {
		b->nomem = true;
		return AP_CG_NONE;
	}
	cg->set_n = q;
	if (!ap_grow((void **)&cg->set_nodes, &cg->cap_set_nodes, cg->n_set_nodes + b->n_tmp,
		  sizeof *cg->set_nodes)) {
		b->nomem = true;
		return AP_CG_NONE;
	}
	if (b->n_tmp) /* an empty set stays NULL-backed until the first member */
		memcpy(cg->set_nodes + cg->n_set_nodes, b->tmp, b->n_tmp * sizeof *b->tmp);
	cg->set_first[cg->n_sets] = (uint32_t)cg->n_set_nodes;
	cg->set_n[cg->n_sets] = (uint32_t)b->n_tmp;
	cg->n_set_nodes += b->n_tmp;
	return (uint32_t)cg->n_sets++;
}

/* Depth first from c down the app's subclass/implementor links (cg->kids), or with all_links
 * down every super/interface link including the framework's (b->sub): each class is marked
 * with stamp in mark once and, when fn is given, passed to it. */
static void walk_down(struct bctx *b, uint32_t c, bool all_links, uint32_t *mark, uint32_t stamp,
		      void (*fn)(struct bctx *, uint32_t, const void *), const void *arg)
{
	struct ap_cg *cg = b->cg;
	size_t sp = 0;
	if (!ap_grow((void **)&b->stack, &b->cap_stack, 1, sizeof *b->stack)) {
		b->nomem = true;
		return;
	}
	b->stack[sp++] = c;
	mark[c] = stamp;
	while (sp) {
		uint32_t k = b->stack[--sp];
		if (fn)
			fn(b, k, arg);
		const uint32_t *kids = all_links ? b->sub + b->sub_first[k]
						 : cg->kids + cg->classes[k].kids_first;
		uint32_t n = all_links ? b->sub_first[k + 1] - b->sub_first[k] : cg->classes[k].kids_n;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t kid = kids[i];
			if (mark[kid] == stamp)
				continue;
			mark[kid] = stamp;
			if (!ap_grow((void **)&b->stack, &b->cap_stack, sp + 1, sizeof *b->stack)) {
				b->nomem = true;
				return;
			}
			b->stack[sp++] = kid;
		}
	}
}

/* Calls fn on c and every app class below it (subclasses, implementors), each once. */
static void each_subtype(struct bctx *b, uint32_t c,
			 void (*fn)(struct bctx *, uint32_t, const void *), const void *arg)
{
	b->stamp++;
	walk_down(b, c, false, b->cstamp, b->stamp, fn, arg);
}

static void add_resolved(struct bctx *b, uint32_t k, const void *arg)
{
	uint32_t nd = cg_resolve_up(b->cg, k, *(const uint32_t *)arg);
	/* an abstract declaration runs nothing: only implementations are targets */
	if (nd != AP_CG_NONE && !(b->cg->nodes[nd].access & 0x0400))
		tmp_add(b, nd);
}

/* CHA: every method an invoke-virtual/interface of (c, sig) can run, memoized per (c, sig). */
static uint32_t cha_set(struct bctx *b, uint32_t c, uint32_t sig)
{
	struct ap_cg *cg = b->cg;
	uint32_t id = cg_map_get(&cg->set_map, cg_key2(c, sig));
	if (id != AP_CG_NONE)
		return id;
	b->n_tmp = 0;
	each_subtype(b, c, add_resolved, &sig); /* bumps stamp: node dedupe below uses it too */
	id = tmp_to_set(b);
	if (id != AP_CG_NONE && !cg_map_put(&cg->set_map, cg_key2(c, sig), id))
		b->nomem = true;
	return id;
}

static void add_edge(struct bctx *b, uint32_t to, uint32_t pc, uint8_t kind, bool is_set)
{
	struct ap_cg *cg = b->cg;
	if (to == AP_CG_NONE)
		return;
	if (cg->n_edges >= AP_MAX_CG_EDGES) {
		cg->limit_hit = true;
		return;
	}
	if (cg->n_edges == cg->cap_edges &&
	    !ap_grow((void **)&cg->edges, &cg->cap_edges, cg->n_edges + 1, sizeof *cg->edges)) {
		b->nomem = true;
		return;
	}
	assert(pc < (1u << 24)); /* a DEX index pc: see struct ap_cg_edge */
	cg->edges[cg->n_edges++] = (struct ap_cg_edge){.to = to, .pc = pc, .kind = kind,
							.is_set = is_set};
}

static void add_clinit_chain(struct bctx *b, uint32_t c, uint32_t pc, uint32_t self_cls)
{
	struct ap_cg *cg = b->cg;
	for (unsigned depth = 0; c != AP_CG_NONE && depth < AP_MAX_DEX_HIER_DEPTH; depth++) {
		const struct ap_cg_class *k = &cg->classes[c];
		if (k->dex == AP_CG_NONE)
			return;
		if (k->clinit != AP_CG_NONE && c != self_cls && b->cstamp[c] != b->stamp) {
			b->cstamp[c] = b->stamp; /* one <clinit> edge per class per method */
			add_edge(b, k->clinit, pc, AP_CGE_CLINIT, false);
		}
		c = k->super;
	}
}

static void local_add(struct bctx *b, uint32_t c)
{
	if (c == AP_CG_NONE)
		return;
	for (size_t i = 0; i < b->n_locals; i++)
		if (b->locals[i] == c)
			return;
	if (b->n_locals == b->cap_locals &&
	    !ap_grow((void **)&b->locals, &b->cap_locals, b->n_locals + 1, sizeof *b->locals)) {
		b->nomem = true;
		return;
	}
	b->locals[b->n_locals++] = c;
}

/* ---- the framework's hand-offs ------------------------------------------------------------- */

struct async_rule {
	const char *cls;           /* framework class the callee must be (or inherit from) */
	const char *names;         /* callee names, '|'-separated */
	const char *cb[2];         /* callback types */
	const char *cb_names;      /* callback methods, '|'-separated */
	uint8_t kind;
};

static const struct async_rule async_rules[] = {
	{"Ljava/lang/Thread;", "start", {"Ljava/lang/Runnable;", "Ljava/lang/Thread;"}, "run",
	 AP_CGE_ASYNC},
	{"Ljava/util/concurrent/Executor;", "execute", {"Ljava/lang/Runnable;", NULL}, "run",
	 AP_CGE_ASYNC},
	{"Ljava/util/concurrent/ExecutorService;", "submit|invokeAll|invokeAny|execute",
	 {"Ljava/lang/Runnable;", "Ljava/util/concurrent/Callable;"}, "run|call", AP_CGE_ASYNC},
	{"Ljava/util/concurrent/ThreadPoolExecutor;", "submit|execute",
	 {"Ljava/lang/Runnable;", "Ljava/util/concurrent/Callable;"}, "run|call", AP_CGE_ASYNC},
	{"Ljava/util/concurrent/ScheduledExecutorService;", "schedule",
	 {"Ljava/lang/Runnable;", "Ljava/util/concurrent/Callable;"}, "run|call", AP_CGE_ASYNC},
	{"Ljava/util/concurrent/ScheduledExecutorService;",
	 "scheduleAtFixedRate|scheduleWithFixedDelay", {"Ljava/lang/Runnable;", NULL}, "run",
	 AP_CGE_PERIODIC},
	{"Ljava/util/concurrent/ScheduledThreadPoolExecutor;",
	 "scheduleAtFixedRate|scheduleWithFixedDelay", {"Ljava/lang/Runnable;", NULL}, "run",
	 AP_CGE_PERIODIC},
	{"Landroid/os/Handler;", "post|postDelayed|postAtTime|postAtFrontOfQueue",
	 {"Ljava/lang/Runnable;", NULL}, "run", AP_CGE_ASYNC},
	{"Landroid/os/Handler;",
	 "sendMessage|sendMessageDelayed|sendMessageAtTime|sendMessageAtFrontOfQueue|"
	 "sendEmptyMessage|sendEmptyMessageDelayed|sendEmptyMessageAtTime|dispatchMessage",
	 {"Landroid/os/Handler;", "Landroid/os/Handler$Callback;"}, "handleMessage", AP_CGE_ASYNC},
	{"Landroid/os/Message;", "sendToTarget", {"Landroid/os/Handler;", NULL}, "handleMessage",
	 AP_CGE_ASYNC},
	{"Landroid/view/View;", "post|postDelayed|postOnAnimation|postOnAnimationDelayed",
	 {"Ljava/lang/Runnable;", NULL}, "run", AP_CGE_ASYNC},
	{"Landroid/app/Activity;", "runOnUiThread", {"Ljava/lang/Runnable;", NULL}, "run",
	 AP_CGE_ASYNC},
	{"Landroid/os/AsyncTask;", "execute|executeOnExecutor",
	 {"Landroid/os/AsyncTask;", "Ljava/lang/Runnable;"},
	 "onPreExecute|doInBackground|onProgressUpdate|onPostExecute|onCancelled|run",
	 AP_CGE_ASYNC},
	{"Ljava/util/Timer;", "schedule", {"Ljava/util/TimerTask;", NULL}, "run", AP_CGE_ASYNC},
	{"Ljava/util/Timer;", "scheduleAtFixedRate", {"Ljava/util/TimerTask;", NULL}, "run",
	 AP_CGE_PERIODIC},
	{"Ljava/util/concurrent/CompletableFuture;", "runAsync|supplyAsync",
	 {"Ljava/lang/Runnable;", "Ljava/util/function/Supplier;"}, "run|get", AP_CGE_ASYNC},
};

/* Explicit-component ICC: startService(new Intent(ctx, X.class)) etc. */
static const char icc_names[] =
	"startService|startForegroundService|bindService|startActivity|startActivities|"
	"startActivityForResult|startActivityIfNeeded|sendBroadcast|sendOrderedBroadcast|"
	"sendStickyBroadcast|enqueueWork|getService|getForegroundService|getActivity|"
	"getBroadcast";

static size_t sig_name_len(const char *sig)
{
	const char *p = strchr(sig, '(');
	return p ? (size_t)(p - sig) : strlen(sig);
}

/* Number of declared parameters in "name(ARGS)RET". */
static unsigned sig_nparams(const char *sig)
{
	const char *p = strchr(sig, '(');
	unsigned n = 0;
	if (!p)
		return 0;
	for (p++; *p && *p != ')'; n++) {
		while (*p == '[')
			p++;
		if (*p == 'L') {
			const char *e = strchr(p, ';');
			if (!e)
				return n;
			p = e + 1;
		} else if (*p) {
			p++;
		}
	}
	return n;
}

/* Adds the methods of c (and, when down, of its subtypes) named in names, resolved upward. */
struct named_arg {
	const char *names;
};
static void add_named(struct bctx *b, uint32_t k, const void *arg)
{
	const struct named_arg *na = arg;
	for (const char *p = na->names; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		char name[64];
		if (n < sizeof name) {
			memcpy(name, p, n);
			name[n] = 0;
			/* every overload (Callable.call and its bridge, doInBackground's bridge) */
			for (uint32_t c = k, d = 0; c != AP_CG_NONE && d < AP_MAX_DEX_HIER_DEPTH; d++) {
				const struct ap_cg_class *kc = &b->cg->classes[c];
				bool found = false;
				for (uint32_t i = 0; i < kc->methods_n; i++) {
					uint32_t nd = kc->methods_first + i;
					if (cg_sig_has_name(b->cg->sigs[b->cg->nodes[nd].sig], name) &&
					    !(b->cg->nodes[nd].access & 0x0400 /* abstract */)) {
						tmp_add(b, nd);
						found = true;
					}
				}
				if (found)
					break;
				c = kc->super;
			}
		}
		if (!bar)
			break;
		p = bar + 1;
	}
}

static void callback_methods(struct bctx *b, uint32_t c, bool on_only);

static bool is_any(const struct ap_cg *cg, uint32_t c, const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] != AP_CG_NONE && ap_cg_is_a_id(cg, c, ids[i]))
			return true;
	return false;
}

/* The reverse of every super/interface link (framework ones too): what is_a walks, upside down. */
static bool link_subtypes(struct bctx *b)
{
	struct ap_cg *cg = b->cg;
	size_t nc = cg->n_classes, total = 0;
	b->sub_first = calloc(nc + 1, sizeof *b->sub_first);
	b->dmark = calloc(nc + 1, sizeof *b->dmark);
	if (!b->sub_first || !b->dmark)
		return false;
	for (size_t c = 0; c < nc; c++) {
		const struct ap_cg_class *k = &cg->classes[c];
		total += (k->super != AP_CG_NONE) + k->n_ifaces;
	}
	b->sub = malloc((total ? total : 1) * sizeof *b->sub);
	if (!b->sub)
		return false;
	for (size_t c = 0; c < nc; c++) { /* counts, then running ends */
		const struct ap_cg_class *k = &cg->classes[c];
		if (k->super != AP_CG_NONE)
			b->sub_first[k->super + 1]++;
		for (uint32_t i = 0; i < k->n_ifaces; i++)
			b->sub_first[k->ifaces[i] + 1]++;
	}
	for (size_t c = 0; c < nc; c++)
		b->sub_first[c + 1] += b->sub_first[c];
	uint32_t *fill = b->dmark; /* still all 0: borrowed as fill counters */
	for (size_t c = 0; c < nc; c++) {
		const struct ap_cg_class *k = &cg->classes[c];
		if (k->super != AP_CG_NONE)
			b->sub[b->sub_first[k->super] + fill[k->super]++] = (uint32_t)c;
		for (uint32_t i = 0; i < k->n_ifaces; i++)
			b->sub[b->sub_first[k->ifaces[i]] + fill[k->ifaces[i]]++] = (uint32_t)c;
	}
	memset(b->dmark, 0, (nc + 1) * sizeof *b->dmark);
	return true;
}

/* Marks with b->dstamp every class that is_a(c, t) can be true for: t and all below it. */
static void mark_below(struct bctx *b, uint32_t t)
{
	if (t != AP_CG_NONE && b->dmark[t] != b->dstamp)
		walk_down(b, t, true, b->dmark, b->dstamp, NULL, NULL);
}

/* Fallback when the method holds no candidate object: every class instantiated anywhere in the
 * app that is one of the callback types ids (memoized per rule). */
static uint32_t global_set(struct bctx *b, const uint32_t ids[2], const char *names,
			   uint64_t memo_key)
{
	struct ap_cg *cg = b->cg;
	uint32_t id = cg_map_get(&cg->set_map, memo_key);
	if (id != AP_CG_NONE)
		return id;
	if (!b->sub_first && !link_subtypes(b)) {
		b->nomem = true;
		return AP_CG_NONE;
	}
	b->stamp++;
	b->n_tmp = 0;
	b->dstamp++;
	mark_below(b, ids[0]);
	mark_below(b, ids[1]);
	struct named_arg na = {names};
	for (size_t i = 0; i < b->n_inst && (ids[0] != AP_CG_NONE || ids[1] != AP_CG_NONE); i++) {
		uint32_t c = b->inst[i];
		/* unmarked: no super/interface path up to a callback type; marked: is_a decides,
		 * with its step budget */
		if (b->dmark[c] != b->dstamp || !is_any(cg, c, ids, 2))
			continue;
		if (strcmp(names, "*") == 0)
			callback_methods(b, c, false);
		else
			add_named(b, c, &na);
	}
	id = tmp_to_set(b);
	if (id != AP_CG_NONE && !cg_map_put(&cg->set_map, memo_key, id))
		b->nomem = true;
	return id;
}

static void emit_tmp(struct bctx *b, uint32_t pc, uint8_t kind)
{
	for (size_t i = 0; i < b->n_tmp; i++)
		add_edge(b, b->tmp[i], pc, kind, false);
}

static void async_edges(struct bctx *b, uint32_t self, uint32_t cls, const char *sig, uint32_t pc,
			bool app_resolved)
{
	struct ap_cg *cg = b->cg;
	size_t nl = sig_name_len(sig);
	for (size_t r = 0; r < sizeof async_rules / sizeof *async_rules; r++) {
		const struct async_rule *ar = &async_rules[r];
		if (!ap_cg_name_in(ar->names, sig, nl) ||
		    !ap_cg_is_a_id(cg, cls, b->async_cls[3 * r]))
			continue;
		uint8_t kind = ar->kind;
		if (strcmp(ar->cls, "Ljava/util/Timer;") == 0 && sig_nparams(sig) >= 3)
			kind = AP_CGE_PERIODIC; /* schedule(task, delay, period) repeats */
		b->stamp++;
		b->n_tmp = 0;
		struct named_arg na = {ar->cb_names};
		const uint32_t *ids = &b->async_cls[3 * r + 1];
		/* the callee's own class when the app defines it (IdHandler.sendMessage) */
		if (cg->classes[cls].dex != AP_CG_NONE && is_any(cg, cls, ids, 2))
			add_named(b, cls, &na);
		for (size_t i = 0; i < b->n_locals; i++)
			if (b->locals[i] != cls && is_any(cg, b->locals[i], ids, 2))
				add_named(b, b->locals[i], &na);
		/* Handler.postDelayed(this) inside a Runnable's run: a self-repeating loop */
		const struct ap_cg_node *sn = &cg->nodes[self];
		if (ar->kind == AP_CGE_ASYNC && cg_sig_has_name(cg->sigs[sn->sig], "run") &&
		    strncmp(sig, "postDelayed", nl) == 0 && nl == 11) {
			for (size_t i = 0; i < b->n_tmp; i++)
				if (b->tmp[i] == self)
					kind = AP_CGE_PERIODIC;
		}
		if (b->n_tmp) {
			emit_tmp(b, pc, kind);
		} else if (!app_resolved) {
			uint32_t set = global_set(b, ids, ar->cb_names,
						  cg_key2(0xfffffff0u - (uint32_t)r, AP_CG_NONE));
			if (set != AP_CG_NONE && cg->set_n[set])
				add_edge(b, set, pc, kind, true);
		}
	}
}

/* A listener type: a framework interface or class named ...Listener, ...Callback(s), ... */
static bool listener_type(const char *t, size_t n)
{
	static const char *const suffixes[] = {"Listener;", "Callback;", "Callbacks;", "Observer;",
					       "Watcher;", "Receiver;"};
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		size_t sl = strlen(suffixes[i]);
		if (n >= sl && memcmp(t + n - sl, suffixes[i], sl) == 0)
			return true;
	}
	return false;
}

/* Lifecycle methods a component has anyway: when it registers itself (`this`) as a listener,
 * these are not the listener's methods. */
static bool lifecycle_name(const char *sig)
{
	static const char names[] =
		"onCreate|onStart|onStartCommand|onBind|onUnbind|onRebind|onDestroy|onResume|"
		"onPause|onStop|onRestart|onReceive|onHandleIntent|onNewIntent|onSaveInstanceState|"
		"onRestoreInstanceState|onActivityResult|onConfigurationChanged|onLowMemory|"
		"onTrimMemory|onTaskRemoved|onPostCreate|onPostResume|onAttach|onDetach|"
		"onCreateView|onViewCreated|onDestroyView|onActivityCreated|onCreateOptionsMenu|"
		"onOptionsItemSelected|onBackPressed|onWindowFocusChanged|onUserLeaveHint|"
		"onRequestPermissionsResult|onStartJob|onStopJob";
	return ap_cg_name_in(names, sig, sig_name_len(sig));
}

static void callback_methods(struct bctx *b, uint32_t c, bool on_only)
{
	struct ap_cg *cg = b->cg;
	const struct ap_cg_class *k = &cg->classes[c];
	for (uint32_t i = 0; i < k->methods_n; i++) {
		uint32_t nd = k->methods_first + i;
		const struct ap_cg_node *n = &cg->nodes[nd];
		const char *s = cg->sigs[n->sig];
		if (s[0] == '<' || (n->access & (0x0008 | 0x0400))) /* ctor, static, abstract */
			continue;
		if (on_only && (!(s[0] == 'o' && s[1] == 'n' && s[2] >= 'A' && s[2] <= 'Z') ||
				lifecycle_name(s)))
			continue;
		tmp_add(b, nd);
	}
}

static void callback_edges(struct bctx *b, uint32_t self_cls, const char *sig, uint32_t pc)
{
	struct ap_cg *cg = b->cg;
	static const char *const prefixes[] = {"set", "add", "register", "request", "listen",
					       "observe", "bind", "start"};
	bool ok = false;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes && !ok; i++)
		ok = strncmp(sig, prefixes[i], strlen(prefixes[i])) == 0;
	if (!ok)
		return;
	const char *p = strchr(sig, '(');
	if (!p)
		return;
	for (p++; *p && *p != ')';) {
		while (*p == '[')
			p++;
		if (*p != 'L') {
			if (*p)
				p++;
			continue;
		}
		const char *e = strchr(p, ';');
		if (!e)
			return;
		size_t n = (size_t)(e + 1 - p);
		if (listener_type(p, n) && n < 512) {
			char t[512];
			memcpy(t, p, n);
			t[n] = 0;
			uint32_t tc = ap_cg_class_id(cg, t);
			/* an app-defined listener interface is an ordinary call, not the framework */
			if (tc != AP_CG_NONE && cg->classes[tc].dex == AP_CG_NONE) {
				b->stamp++;
				b->n_tmp = 0;
				for (size_t i = 0; i < b->n_locals; i++)
					if (ap_cg_is_a_id(cg, b->locals[i], tc))
						callback_methods(b, b->locals[i], b->locals[i] == self_cls);
				if (b->n_tmp) {
					emit_tmp(b, pc, AP_CGE_CALLBACK);
				} else {
					const uint32_t ids[2] = {tc, AP_CG_NONE};
					uint32_t set = global_set(b, ids, "*", cg_key2(tc, 0xfffffff0u));
					if (set != AP_CG_NONE && cg->set_n[set])
						add_edge(b, set, pc, AP_CGE_CALLBACK, true);
				}
			}
		}
		p = e + 1;
	}
}

/* The component an explicit intent starts, and the methods Android then runs. */
static const struct {
	const char *cls, *names;
} icc_kinds[] = {
	{"Landroid/app/Activity;", "onCreate|onStart|onResume|onNewIntent"},
	{"Landroid/app/Service;",
	 "onCreate|onStartCommand|onStart|onBind|onRebind|onHandleIntent|onHandleWork"},
	{"Landroid/content/BroadcastReceiver;", "onReceive"},
};

static void icc_edges(struct bctx *b, const uint32_t *consts, size_t n_consts, uint32_t pc)
{
	struct ap_cg *cg = b->cg;
	b->stamp++;
	b->n_tmp = 0;
	for (size_t i = 0; i < n_consts; i++) {
		uint32_t x = consts[i];
		if (x == AP_CG_NONE || cg->classes[x].dex == AP_CG_NONE)
			continue;
		for (size_t k = 0; k < sizeof icc_kinds / sizeof *icc_kinds; k++) {
			if (!ap_cg_is_a_id(cg, x, b->icc_cls[k]))
				continue;
			struct named_arg na = {icc_kinds[k].names};
			add_named(b, x, &na);
		}
	}
	emit_tmp(b, pc, AP_CGE_ICC);
}

/* What a callee's name may be (memoized per sub-signature): most calls are none of these, and
 * this keeps the rule tables off the hot path. */
static uint8_t sig_flags(struct bctx *b, uint32_t sig)
{
	if (b->sigflag[sig])
		return b->sigflag[sig];
	const char *s = b->cg->sigs[sig];
	size_t nl = sig_name_len(s);
	uint8_t f = SF_DONE;
	for (size_t i = 0; i < b->n_names; i++)
		if (b->names[i].len == nl && memcmp(b->names[i].p, s, nl) == 0)
			f |= b->names[i].flag;
	/* a listener type anywhere in the signature: every "...Listener;" ends at a ';' */
	for (const char *e = strchr(s, ';'); e && !(f & SF_LISTEN); e = strchr(e + 1, ';'))
		if (listener_type(s, (size_t)(e + 1 - s)))
			f |= SF_LISTEN;
	b->sigflag[sig] = f;
	return f;
}

/* Splits each '|'-separated list of callee names once, for sig_flags. */
static bool add_rule_names(struct bctx *b, const char *list, uint8_t flag, size_t *cap)
{
	for (const char *p = list; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (!ap_grow((void **)&b->names, cap, b->n_names + 1, sizeof *b->names))
			return false;
		b->names[b->n_names++] = (struct rule_name){p, n, flag};
		if (!bar)
			break;
		p = bar + 1;
	}
	return true;
}

static bool is_invoke_kind(uint8_t op, uint8_t a, uint8_t b2)
{
	return op == a || op == b2;
}

/* The classes this method creates or reads from fields (the objects it may hand off, into
 * b->locals), its const-class operands (consts), and <clinit> edges for the classes it
 * instantiates or whose static fields it touches. */
static void method_objects(struct bctx *b, const struct ap_cg_node *sn,
			   const struct ap_dex_method *m, uint32_t consts[16], size_t *n_consts)
{
	const struct ap_dex *dex = b->cg->dexes[sn->dex];
	const uint32_t *tg = b->cg->type_gid[sn->dex];
	uint32_t n_types = ap_dex_counts(dex)->types;
	size_t nt, nf;
	const struct ap_dex_type_ref *trefs = ap_dex_type_refs(dex, &nt);
	const struct ap_dex_field_ref *frefs = ap_dex_field_refs(dex, &nf);
	b->n_locals = 0;
	local_add(b, sn->cls);
	b->stamp++; /* <clinit> dedupe for this method */
	for (uint32_t i = 0; i < m->types_n && (size_t)m->types_first + i < nt; i++) {
		const struct ap_dex_type_ref *t = &trefs[m->types_first + i];
		uint32_t c = t->type_idx < n_types ? tg[t->type_idx] : AP_CG_NONE;
		if (c == AP_CG_NONE)
			continue;
		if (t->opcode == 0x22) { /* new-instance */
			local_add(b, c);
			add_clinit_chain(b, c, t->pc, sn->cls);
		} else if (t->opcode == 0x1c && *n_consts < 16) { /* const-class */
			consts[(*n_consts)++] = c;
		}
	}
	for (uint32_t i = 0; i < m->fields_n && (size_t)m->fields_first + i < nf; i++) {
		const struct ap_dex_field_ref *f = &frefs[m->fields_first + i];
		const struct ap_dex_field_id *fid = ap_dex_field_id(dex, f->field_idx);
		if (!fid)
			continue;
		uint32_t fc = fid->class_idx < n_types ? tg[fid->class_idx] : AP_CG_NONE;
		uint32_t ft = fid->type_idx < n_types ? tg[fid->type_idx] : AP_CG_NONE;
		if (f->opcode >= 0x60 && f->opcode <= 0x6d && fc != AP_CG_NONE) /* sget/sput */
			add_clinit_chain(b, fc, f->pc, sn->cls);
		if ((f->opcode == 0x62 || f->opcode == 0x54) && ft != AP_CG_NONE) /* s/iget-object */
			local_add(b, ft);
	}
}

/* The call edge of one invoke of (cls, sig): *target gets the app method it runs (any value
 * but AP_CG_NONE for a CHA set), AP_CG_NONE when the framework's. False for invoke-polymorphic
 * and invoke-custom (see docs/reachability.md). */
static bool call_edge(struct bctx *b, uint32_t self_cls, const struct ap_dex_call *c,
		      uint32_t cls, uint32_t sig, uint32_t *target)
{
	struct ap_cg *cg = b->cg;
	uint8_t op = c->opcode;
	*target = AP_CG_NONE;
	if (is_invoke_kind(op, 0x71, 0x77)) { /* static */
		*target = cg_resolve_up(cg, cls, sig);
		b->stamp++;
		add_clinit_chain(b, cls, c->pc, self_cls);
		add_edge(b, *target, c->pc, AP_CGE_CALL, false);
	} else if (is_invoke_kind(op, 0x70, 0x76)) { /* direct */
		*target = cg_map_get(&cg->method_map, cg_key2(cls, sig));
		add_edge(b, *target, c->pc, AP_CGE_CALL, false);
	} else if (is_invoke_kind(op, 0x6f, 0x75)) { /* super */
		*target = cg_resolve_up(cg, cls, sig);
		add_edge(b, *target, c->pc, AP_CGE_CALL, false);
	} else if (is_invoke_kind(op, 0x6e, 0x74) || is_invoke_kind(op, 0x72, 0x78)) {
		uint32_t set = cha_set(b, cls, sig);
		if (set != AP_CG_NONE && cg->set_n[set] == 1) {
			*target = cg->set_nodes[cg->set_first[set]];
			add_edge(b, *target, c->pc, AP_CGE_CALL, false);
		} else if (set != AP_CG_NONE && cg->set_n[set] > 1) {
			*target = 0;
			add_edge(b, set, c->pc, AP_CGE_VIRTUAL, true);
		}
	} else {
		return false;
	}
	return true;
}

static void build_method_edges(struct bctx *b, uint32_t self)
{
	struct ap_cg *cg = b->cg;
	struct ap_cg_node *sn = &cg->nodes[self];
	const struct ap_dex *dex = cg->dexes[sn->dex];
	const struct ap_dex_method *m = ap_dex_method_def(dex, sn->def);
	sn->edges_first = (uint32_t)cg->n_edges;
	if (!m || !m->has_code) {
		sn->edges_n = 0;
		return;
	}
	const uint64_t *mid = cg->mid[sn->dex];
	uint32_t n_mids = ap_dex_counts(dex)->methods;
	uint32_t consts[16];
	size_t n_consts = 0, nc;
	bool wants_icc = false;
	method_objects(b, sn, m, consts, &n_consts);
	const struct ap_dex_call *calls = ap_dex_calls(dex, &nc);
	for (uint32_t i = 0; i < m->calls_n && (size_t)m->calls_first + i < nc; i++) {
		const struct ap_dex_call *c = &calls[m->calls_first + i];
		if (c->callee == AP_DEX_NO_INDEX || c->callee >= n_mids)
			continue;
		uint64_t k = mid[c->callee];
		if (k != UINT64_MAX && (sig_flags(b, (uint32_t)k) & SF_ICC))
			wants_icc = true;
	}
	for (uint32_t i = 0; i < m->calls_n && (size_t)m->calls_first + i < nc; i++) {
		const struct ap_dex_call *c = &calls[m->calls_first + i];
		if (c->callee == AP_DEX_NO_INDEX || c->callee >= n_mids)
			continue;
		uint64_t k = mid[c->callee];
		if (k == UINT64_MAX)
			continue;
		uint32_t cls = (uint32_t)(k >> 32), sig = (uint32_t)k, target;
		if (!call_edge(b, sn->cls, c, cls, sig, &target))
			continue;
		bool app_resolved = target != AP_CG_NONE;
		const char *s = cg->sigs[sig];
		uint8_t fl = sig_flags(b, sig);
		if (!app_resolved || cg->classes[cls].dex == AP_CG_NONE) {
			if (fl & SF_ASYNC)
				async_edges(b, self, cls, s, c->pc, app_resolved);
			if (fl & SF_LISTEN)
				callback_edges(b, sn->cls, s, c->pc);
		}
		if (wants_icc && (fl & SF_ICC))
			icc_edges(b, consts, n_consts, c->pc);
	}
	sn->edges_n = (uint32_t)(cg->n_edges - sn->edges_first);
}

/* Resolves the rule tables' class names to ids and splits their callee names, once per graph. */
static bool prepare_rules(struct bctx *b)
{
	struct ap_cg *cg = b->cg;
	size_t n_async = sizeof async_rules / sizeof *async_rules, cap = 0;
	b->async_cls = malloc(3 * n_async * sizeof *b->async_cls);
	if (!b->async_cls)
		return false;
	for (size_t r = 0; r < n_async; r++) {
		const struct async_rule *ar = &async_rules[r];
		b->async_cls[3 * r] = ap_cg_class_id(cg, ar->cls);
		for (size_t i = 0; i < 2; i++)
			b->async_cls[3 * r + 1 + i] = ap_cg_class_id(cg, ar->cb[i]);
		if (!add_rule_names(b, ar->names, SF_ASYNC, &cap))
			return false;
	}
	for (size_t k = 0; k < sizeof icc_kinds / sizeof *icc_kinds; k++)
		b->icc_cls[k] = ap_cg_class_id(cg, icc_kinds[k].cls);
	return add_rule_names(b, icc_names, SF_ICC, &cap);
}

int cg_build_edges(struct ap_cg *cg)
{
	struct bctx b = {.cg = cg};
	int err = AP_ERR_NOMEM;
	b.cstamp = calloc(cg->n_classes + 1, sizeof *b.cstamp);
	b.nstamp = calloc(cg->n_nodes + 1, sizeof *b.nstamp);
	b.inst = malloc((cg->n_classes + 1) * sizeof *b.inst);
	b.sigflag = calloc(cg->n_sigs + 1, 1);
	if (!b.cstamp || !b.nstamp || !b.inst || !b.sigflag || !prepare_rules(&b))
		goto out_free_ctx;
	for (uint32_t c = 0; c < cg->n_classes; c++)
		if (cg->classes[c].instantiated)
			b.inst[b.n_inst++] = c;
	for (size_t i = 0; i < cg->n_nodes && !b.nomem; i++)
		build_method_edges(&b, (uint32_t)i);
	err = b.nomem ? AP_ERR_NOMEM : AP_OK;
out_free_ctx:
	free(b.cstamp);
	free(b.nstamp);
	free(b.stack);
	free(b.tmp);
	free(b.locals);
	free(b.inst);
	free(b.sigflag);
	free(b.sub_first);
	free(b.sub);
	free(b.dmark);
	free(b.async_cls);
	free(b.names);
	return err;
}
