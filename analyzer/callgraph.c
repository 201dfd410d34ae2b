/* The call graph over all DEX code of an APK: one node per defined method (first definition wins
 * across classes*.dex, as ART), edges for direct/static/super calls, virtual and interface calls
 * resolved by class hierarchy (CHA), <clinit> on first use, and the framework's asynchronous,
 * inter-component and callback hand-offs. docs/reachability.md says what each edge models. */
#include "callgraph.h"

#include "dex/dex.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_vec.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- small hash maps ------------------------------------------------------------------- */

struct cg_strmap {
	const char **keys;
	uint32_t *vals;
	size_t cap, n;
};
struct cg_u64map {
	uint64_t *keys; /* stored + 1 so that 0 means empty */
	uint32_t *vals;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static size_t pow2_for(size_t n)
{
	size_t c = 1024;
	while (c < 2 * n && c < ((size_t)1 << 30))
		c *= 2;
	return c;
}

static struct cg_strmap *strmap_new(size_t expect)
{
	struct cg_strmap *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = pow2_for(expect);
	m->keys = calloc(m->cap, sizeof *m->keys);
	m->vals = calloc(m->cap, sizeof *m->vals);
	if (!m->keys || !m->vals) {
		free(m->keys);
		free(m->vals);
		free(m);
		return NULL;
	}
	return m;
}

static void strmap_free(struct cg_strmap *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->vals);
	free(m);
}

static uint32_t strmap_get(const struct cg_strmap *m, const char *k)
{
	size_t mask = m->cap - 1;
	for (size_t i = hash_str(k) & mask;; i = (i + 1) & mask) {
		if (!m->keys[i])
			return AP_CG_NONE;
		if (strcmp(m->keys[i], k) == 0)
			return m->vals[i];
	}
}

static bool strmap_grow(struct cg_strmap *m)
{
	size_t nc = m->cap * 2;
	const char **k = calloc(nc, sizeof *k);
	uint32_t *v = calloc(nc, sizeof *v);
	if (!k || !v) {
		free(k);
		free(v);
		return false;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = hash_str(m->keys[i]) & (nc - 1);
		while (k[j])
			j = (j + 1) & (nc - 1);
		k[j] = m->keys[i];
		v[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = k;
	m->vals = v;
	m->cap = nc;
	return true;
}

/* key must stay valid while the map lives */
static bool strmap_put(struct cg_strmap *m, const char *k, uint32_t v)
{
	if ((m->n + 1) * 2 > m->cap && !strmap_grow(m))
		return false;
	size_t mask = m->cap - 1;
	size_t i = hash_str(k) & mask;
	while (m->keys[i])
		i = (i + 1) & mask;
	m->keys[i] = k;
	m->vals[i] = v;
	m->n++;
	return true;
}

static struct cg_u64map *u64map_new(size_t expect)
{
	struct cg_u64map *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = pow2_for(expect);
	m->keys = calloc(m->cap, sizeof *m->keys);
	m->vals = calloc(m->cap, sizeof *m->vals);
	if (!m->keys || !m->vals) {
		free(m->keys);
		free(m->vals);
		free(m);
		return NULL;
	}
	return m;
}

static void u64map_free(struct cg_u64map *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->vals);
	free(m);
}

static uint32_t u64map_get(const struct cg_u64map *m, uint64_t k)
{
	size_t mask = m->cap - 1;
	for (size_t i = hash_u64(k) & mask;; i = (i + 1) & mask) {
		if (!m->keys[i])
			return AP_CG_NONE;
		if (m->keys[i] == k + 1)
			return m->vals[i];
	}
}

static bool u64map_put(struct cg_u64map *m, uint64_t k, uint32_t v)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t nc = m->cap * 2;
		uint64_t *kk = calloc(nc, sizeof *kk);
		uint32_t *vv = calloc(nc, sizeof *vv);
		if (!kk || !vv) {
			free(kk);
			free(vv);
			return false;
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->keys[i])
				continue;
			size_t j = hash_u64(m->keys[i] - 1) & (nc - 1);
			while (kk[j])
				j = (j + 1) & (nc - 1);
			kk[j] = m->keys[i];
			vv[j] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		m->keys = kk;
		m->vals = vv;
		m->cap = nc;
	}
	size_t mask = m->cap - 1;
	size_t i = hash_u64(k) & mask;
	while (m->keys[i] && m->keys[i] != k + 1)
		i = (i + 1) & mask;
	if (!m->keys[i])
		m->n++;
	m->keys[i] = k + 1;
	m->vals[i] = v;
	return true;
}

static uint64_t key2(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

/* ---- growable arrays -------------------------------------------------------------------- */

/* ---- interning -------------------------------------------------------------------------- */

static uint32_t intern_class(struct ap_cg *cg, const char *desc)
{
	uint32_t id = strmap_get(cg->class_map, desc);
	if (id != AP_CG_NONE)
		return id;
	if (!ap_grow((void **)&cg->classes, &cg->cap_classes, cg->n_classes + 1, sizeof *cg->classes))
		return AP_CG_NONE;
	id = (uint32_t)cg->n_classes;
	struct ap_cg_class *c = &cg->classes[cg->n_classes++];
	memset(c, 0, sizeof *c);
	c->desc = desc;
	c->super = c->dex = c->def = c->clinit = AP_CG_NONE;
	if (!strmap_put(cg->class_map, desc, id)) {
		cg->n_classes--;
		return AP_CG_NONE;
	}
	return id;
}

static uint32_t intern_sig(struct ap_cg *cg, const char *sig)
{
	uint32_t id = strmap_get(cg->sig_map, sig);
	if (id != AP_CG_NONE)
		return id;
	if (!ap_grow((void **)&cg->sigs, &cg->cap_sigs, cg->n_sigs + 1, sizeof *cg->sigs))
		return AP_CG_NONE;
	char *copy = strdup(sig);
	if (!copy)
		return AP_CG_NONE;
	id = (uint32_t)cg->n_sigs;
	cg->sigs[cg->n_sigs++] = copy;
	if (!strmap_put(cg->sig_map, copy, id)) {
		cg->n_sigs--;
		free(copy);
		return AP_CG_NONE;
	}
	return id;
}

/* ---- queries ---------------------------------------------------------------------------- */

const char *ap_cg_edge_kind_name(enum ap_cg_edge_kind k)
{
	static const char *const names[] = {"call", "virtual", "clinit", "async",
					    "periodic", "icc", "callback"};
	return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

uint32_t ap_cg_class_id(const struct ap_cg *cg, const char *desc)
{
	return desc ? strmap_get(cg->class_map, desc) : AP_CG_NONE;
}

uint32_t ap_cg_find(const struct ap_cg *cg, const char *ref)
{
	const char *arrow = ref ? strstr(ref, "->") : NULL;
	if (!arrow || (size_t)(arrow - ref) >= 4096)
		return AP_CG_NONE;
	char desc[4096];
	memcpy(desc, ref, (size_t)(arrow - ref));
	desc[arrow - ref] = 0;
	uint32_t c = strmap_get(cg->class_map, desc);
	uint32_t s = strmap_get(cg->sig_map, arrow + 2);
	if (c == AP_CG_NONE || s == AP_CG_NONE)
		return AP_CG_NONE;
	return u64map_get(cg->method_map, key2(c, s));
}

void ap_cg_format(const struct ap_cg *cg, uint32_t node, struct ap_buf *b)
{
	if (node >= cg->n_nodes) {
		ap_buf_adds(b, "<bad node>");
		return;
	}
	const struct ap_cg_node *n = &cg->nodes[node];
	ap_buf_adds(b, cg->classes[n->cls].desc);
	ap_buf_adds(b, "->");
	ap_buf_adds(b, cg->sigs[n->sig]);
}

const char *ap_cg_node_class(const struct ap_cg *cg, uint32_t node)
{
	return node < cg->n_nodes ? cg->classes[cg->nodes[node].cls].desc : NULL;
}

const char *ap_cg_node_name(const struct ap_cg *cg, uint32_t node)
{
	if (node >= cg->n_nodes)
		return NULL;
	const struct ap_cg_node *n = &cg->nodes[node];
	return ap_dex_string(cg->dexes[n->dex],
			     ap_dex_method_id(cg->dexes[n->dex],
					      ap_dex_method_def(cg->dexes[n->dex], n->def)->method_idx)
				     ->name_idx);
}

static bool is_a_rec(const struct ap_cg *cg, uint32_t c, uint32_t target, unsigned *budget)
{
	while (c != AP_CG_NONE) {
		/* test before decrementing: a spent budget must stay 0 for the callers' loops too
		 * (an interface cycle otherwise wrapped it to UINT_MAX: stack overflow) */
		if (*budget == 0)
			return false;
		(*budget)--;
		if (c == target)
			return true;
		const struct ap_cg_class *k = &cg->classes[c];
		for (uint32_t i = 0; i < k->n_ifaces; i++)
			if (is_a_rec(cg, k->ifaces[i], target, budget))
				return true;
		c = k->super;
	}
	return false;
}

/* Every type named in a superclass or interface list is interned, so an ancestor that was
 * never interned cannot be one: compare class ids, not strings. */
static bool is_a_id(const struct ap_cg *cg, uint32_t c, uint32_t target)
{
	unsigned budget = AP_MAX_DEX_HIER_DEPTH;
	return c < cg->n_classes && target != AP_CG_NONE && is_a_rec(cg, c, target, &budget);
}

bool ap_cg_is_a(const struct ap_cg *cg, uint32_t c, const char *desc)
{
	return is_a_id(cg, c, ap_cg_class_id(cg, desc));
}

static bool sig_has_name(const char *sig, const char *name)
{
	size_t n = strlen(name);
	return strncmp(sig, name, n) == 0 && sig[n] == '(';
}

uint32_t ap_cg_lookup(const struct ap_cg *cg, uint32_t c, const char *name, const char *sig)
{
	for (unsigned depth = 0; c != AP_CG_NONE && depth < AP_MAX_DEX_HIER_DEPTH; depth++) {
		const struct ap_cg_class *k = &cg->classes[c];
		for (uint32_t i = 0; i < k->methods_n; i++) {
			uint32_t nd = k->methods_first + i;
			const char *s = cg->sigs[cg->nodes[nd].sig];
			if (sig ? strcmp(s, sig) == 0 : sig_has_name(s, name))
				return nd;
		}
		c = k->super;
	}
	return AP_CG_NONE;
}

/* Virtual resolution of (class, sig) upward: the class's own method or an inherited one. */
static uint32_t resolve_up(const struct ap_cg *cg, uint32_t c, uint32_t sig)
{
	for (unsigned depth = 0; c != AP_CG_NONE && depth < AP_MAX_DEX_HIER_DEPTH; depth++) {
		uint32_t nd = u64map_get(cg->method_map, key2(c, sig));
		if (nd != AP_CG_NONE)
			return nd;
		c = cg->classes[c].super;
	}
	return AP_CG_NONE;
}

const uint32_t *ap_cg_targets(const struct ap_cg *cg, const struct ap_cg_edge *e, size_t *n)
{
	if (!e->is_set) {
		*n = 1;
		return &e->to;
	}
	if (e->to >= cg->n_sets) {
		*n = 0;
		return NULL;
	}
	*n = cg->set_n[e->to];
	return cg->set_nodes + cg->set_first[e->to];
}

/* ---- building ---------------------------------------------------------------------------- */

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
	bool nomem;
};

static void tmp_add(struct bctx *b, uint32_t nd)
{
	if (nd == AP_CG_NONE || b->nstamp[nd] == b->stamp)
		return;
	if (!ap_grow((void **)&b->tmp, &b->cap_tmp, b->n_tmp + 1, sizeof *b->tmp)) {
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

/* Calls fn on c and every app class below it (subclasses, implementors), each once. */
static void each_subtype(struct bctx *b, uint32_t c, void (*fn)(struct bctx *, uint32_t, const void *),
			 const void *arg)
{
	struct ap_cg *cg = b->cg;
	b->stamp++;
	size_t sp = 0;
	if (!ap_grow((void **)&b->stack, &b->cap_stack, 1, sizeof *b->stack)) {
		b->nomem = true;
		return;
	}
	b->stack[sp++] = c;
	b->cstamp[c] = b->stamp;
	while (sp) {
		uint32_t k = b->stack[--sp];
		fn(b, k, arg);
		const struct ap_cg_class *kc = &cg->classes[k];
		for (uint32_t i = 0; i < kc->kids_n; i++) {
			uint32_t kid = cg->kids[kc->kids_first + i];
			if (b->cstamp[kid] == b->stamp)
				continue;
			b->cstamp[kid] = b->stamp;
			if (!ap_grow((void **)&b->stack, &b->cap_stack, sp + 1, sizeof *b->stack)) {
				b->nomem = true;
				return;
			}
			b->stack[sp++] = kid;
		}
	}
}

static void add_resolved(struct bctx *b, uint32_t k, const void *arg)
{
	uint32_t nd = resolve_up(b->cg, k, *(const uint32_t *)arg);
	/* an abstract declaration runs nothing: only implementations are targets */
	if (nd != AP_CG_NONE && !(b->cg->nodes[nd].access & 0x0400))
		tmp_add(b, nd);
}

/* CHA: every method an invoke-virtual/interface of (c, sig) can run, memoized per (c, sig). */
static uint32_t cha_set(struct bctx *b, uint32_t c, uint32_t sig)
{
	struct ap_cg *cg = b->cg;
	uint32_t id = u64map_get(cg->set_map, key2(c, sig));
	if (id != AP_CG_NONE)
		return id;
	b->n_tmp = 0;
	each_subtype(b, c, add_resolved, &sig); /* bumps stamp: node dedupe below uses it too */
	id = tmp_to_set(b);
	if (id != AP_CG_NONE && !u64map_put(cg->set_map, key2(c, sig), id))
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
	if (!ap_grow((void **)&cg->edges, &cg->cap_edges, cg->n_edges + 1, sizeof *cg->edges)) {
		b->nomem = true;
		return;
	}
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
	if (!ap_grow((void **)&b->locals, &b->cap_locals, b->n_locals + 1, sizeof *b->locals)) {
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

static bool in_list(const char *list, const char *name, size_t name_len)
{
	for (const char *p = list; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == name_len && memcmp(p, name, n) == 0)
			return true;
		if (!bar)
			break;
		p = bar + 1;
	}
	return false;
}

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
					if (sig_has_name(b->cg->sigs[b->cg->nodes[nd].sig], name) &&
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
		if (ids[i] != AP_CG_NONE && is_a_id(cg, c, ids[i]))
			return true;
	return false;
}

/* Class ids of up to 2 descriptors (AP_CG_NONE for NULL or never seen). */
static void ids_of(const struct ap_cg *cg, const char *const *types, size_t n, uint32_t ids[2])
{
	for (size_t i = 0; i < 2; i++)
		ids[i] = i < n && types[i] ? ap_cg_class_id(cg, types[i]) : AP_CG_NONE;
}

/* Fallback when the method holds no candidate object: every class instantiated anywhere in the
 * app that is one of the callback types (memoized per rule). */
static uint32_t global_set(struct bctx *b, const char *const *types, size_t n_types,
			   const char *names, uint64_t memo_key)
{
	struct ap_cg *cg = b->cg;
	uint32_t id = u64map_get(cg->set_map, memo_key);
	if (id != AP_CG_NONE)
		return id;
	b->stamp++;
	b->n_tmp = 0;
	struct named_arg na = {names};
	uint32_t ids[2];
	ids_of(cg, types, n_types, ids);
	for (size_t i = 0; i < b->n_inst && (ids[0] != AP_CG_NONE || ids[1] != AP_CG_NONE); i++) {
		uint32_t c = b->inst[i];
		if (!is_any(cg, c, ids, 2))
			continue;
		if (strcmp(names, "*") == 0)
			callback_methods(b, c, false);
		else
			add_named(b, c, &na);
	}
	id = tmp_to_set(b);
	if (id != AP_CG_NONE && !u64map_put(cg->set_map, memo_key, id))
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
		if (!in_list(ar->names, sig, nl) || !ap_cg_is_a(cg, cls, ar->cls))
			continue;
		uint8_t kind = ar->kind;
		if (strcmp(ar->cls, "Ljava/util/Timer;") == 0 && sig_nparams(sig) >= 3)
			kind = AP_CGE_PERIODIC; /* schedule(task, delay, period) repeats */
		b->stamp++;
		b->n_tmp = 0;
		struct named_arg na = {ar->cb_names};
		uint32_t ids[2];
		ids_of(cg, ar->cb, 2, ids);
		/* the callee's own class when the app defines it (IdHandler.sendMessage) */
		if (cg->classes[cls].dex != AP_CG_NONE && is_any(cg, cls, ids, 2))
			add_named(b, cls, &na);
		for (size_t i = 0; i < b->n_locals; i++)
			if (b->locals[i] != cls && is_any(cg, b->locals[i], ids, 2))
				add_named(b, b->locals[i], &na);
		/* Handler.postDelayed(this) inside a Runnable's run: a self-repeating loop */
		const struct ap_cg_node *sn = &cg->nodes[self];
		if (ar->kind == AP_CGE_ASYNC && sig_has_name(cg->sigs[sn->sig], "run") &&
		    strncmp(sig, "postDelayed", nl) == 0 && nl == 11) {
			for (size_t i = 0; i < b->n_tmp; i++)
				if (b->tmp[i] == self)
					kind = AP_CGE_PERIODIC;
		}
		if (b->n_tmp) {
			emit_tmp(b, pc, kind);
		} else if (!app_resolved) {
			uint32_t set = global_set(b, ar->cb, 2, ar->cb_names,
						  key2(0xfffffff0u - (uint32_t)r, AP_CG_NONE));
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
	return in_list(names, sig, sig_name_len(sig));
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
					if (is_a_id(cg, b->locals[i], tc))
						callback_methods(b, b->locals[i], b->locals[i] == self_cls);
				if (b->n_tmp) {
					emit_tmp(b, pc, AP_CGE_CALLBACK);
				} else {
					const char *types[1] = {t};
					uint32_t set = global_set(b, types, 1, "*", key2(tc, 0xfffffff0u));
					if (set != AP_CG_NONE && cg->set_n[set])
						add_edge(b, set, pc, AP_CGE_CALLBACK, true);
				}
			}
		}
		p = e + 1;
	}
}

static void icc_edges(struct bctx *b, const uint32_t *consts, size_t n_consts, uint32_t pc)
{
	struct ap_cg *cg = b->cg;
	static const struct {
		const char *cls, *names;
	} kinds[] = {
		{"Landroid/app/Activity;", "onCreate|onStart|onResume|onNewIntent"},
		{"Landroid/app/Service;",
		 "onCreate|onStartCommand|onStart|onBind|onRebind|onHandleIntent|onHandleWork"},
		{"Landroid/content/BroadcastReceiver;", "onReceive"},
	};
	b->stamp++;
	b->n_tmp = 0;
	for (size_t i = 0; i < n_consts; i++) {
		uint32_t x = consts[i];
		if (x == AP_CG_NONE || cg->classes[x].dex == AP_CG_NONE)
			continue;
		for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
			if (!ap_cg_is_a(cg, x, kinds[k].cls))
				continue;
			struct named_arg na = {kinds[k].names};
			add_named(b, x, &na);
		}
	}
	emit_tmp(b, pc, AP_CGE_ICC);
}

enum { SF_DONE = 1, SF_ASYNC = 2, SF_LISTEN = 4, SF_ICC = 8 };

/* What a callee's name may be (memoized per sub-signature): most calls are none of these, and
 * this keeps the rule tables off the hot path. */
static uint8_t sig_flags(struct bctx *b, uint32_t sig)
{
	if (b->sigflag[sig])
		return b->sigflag[sig];
	const char *s = b->cg->sigs[sig];
	size_t nl = sig_name_len(s);
	uint8_t f = SF_DONE;
	for (size_t r = 0; r < sizeof async_rules / sizeof *async_rules && !(f & SF_ASYNC); r++)
		if (in_list(async_rules[r].names, s, nl))
			f |= SF_ASYNC;
	if (in_list(icc_names, s, nl))
		f |= SF_ICC;
	if (strstr(s, "Listener;") || strstr(s, "Callback;") || strstr(s, "Callbacks;") ||
	    strstr(s, "Observer;") || strstr(s, "Watcher;") || strstr(s, "Receiver;"))
		f |= SF_LISTEN;
	b->sigflag[sig] = f;
	return f;
}

static bool is_invoke_kind(uint8_t op, uint8_t a, uint8_t b2)
{
	return op == a || op == b2;
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
	const uint32_t *tg = cg->type_gid[sn->dex];
	uint32_t n_types = ap_dex_counts(dex)->types;

	/* classes this method creates or reads from static fields: the objects it may hand off */
	b->n_locals = 0;
	local_add(b, sn->cls);
	size_t nt, nf, nc;
	const struct ap_dex_type_ref *trefs = ap_dex_type_refs(dex, &nt);
	const struct ap_dex_field_ref *frefs = ap_dex_field_refs(dex, &nf);
	const struct ap_dex_call *calls = ap_dex_calls(dex, &nc);
	uint32_t consts[16];
	size_t n_consts = 0;
	bool wants_icc = false;

	b->stamp++; /* <clinit> dedupe for this method */
	for (uint32_t i = 0; i < m->types_n && (size_t)m->types_first + i < nt; i++) {
		const struct ap_dex_type_ref *t = &trefs[m->types_first + i];
		uint32_t c = t->type_idx < n_types ? tg[t->type_idx] : AP_CG_NONE;
		if (c == AP_CG_NONE)
			continue;
		if (t->opcode == 0x22) { /* new-instance */
			local_add(b, c);
			add_clinit_chain(b, c, t->pc, sn->cls);
		} else if (t->opcode == 0x1c && n_consts < 16) { /* const-class */
			consts[n_consts++] = c;
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
	for (uint32_t i = 0; i < m->calls_n && (size_t)m->calls_first + i < nc; i++) {
		const struct ap_dex_call *c = &calls[m->calls_first + i];
		if (c->callee == AP_DEX_NO_INDEX || c->callee >= ap_dex_counts(dex)->methods)
			continue;
		uint64_t k = cg->mid[sn->dex][c->callee];
		if (k == UINT64_MAX)
			continue;
		if (sig_flags(b, (uint32_t)k) & SF_ICC)
			wants_icc = true;
	}
	for (uint32_t i = 0; i < m->calls_n && (size_t)m->calls_first + i < nc; i++) {
		const struct ap_dex_call *c = &calls[m->calls_first + i];
		if (c->callee == AP_DEX_NO_INDEX || c->callee >= ap_dex_counts(dex)->methods)
			continue;
		uint64_t k = cg->mid[sn->dex][c->callee];
		if (k == UINT64_MAX)
			continue;
		uint32_t cls = (uint32_t)(k >> 32), sig = (uint32_t)k;
		uint8_t op = c->opcode;
		uint32_t target = AP_CG_NONE;
		bool app_resolved = false;
		if (is_invoke_kind(op, 0x71, 0x77)) { /* static */
			target = resolve_up(cg, cls, sig);
			b->stamp++;
			add_clinit_chain(b, cls, c->pc, sn->cls);
			add_edge(b, target, c->pc, AP_CGE_CALL, false);
		} else if (is_invoke_kind(op, 0x70, 0x76)) { /* direct */
			target = u64map_get(cg->method_map, key2(cls, sig));
			add_edge(b, target, c->pc, AP_CGE_CALL, false);
		} else if (is_invoke_kind(op, 0x6f, 0x75)) { /* super */
			target = resolve_up(cg, cls, sig);
			add_edge(b, target, c->pc, AP_CGE_CALL, false);
		} else if (is_invoke_kind(op, 0x6e, 0x74) || is_invoke_kind(op, 0x72, 0x78)) {
			uint32_t set = cha_set(b, cls, sig);
			if (set != AP_CG_NONE && cg->set_n[set] == 1) {
				target = cg->set_nodes[cg->set_first[set]];
				add_edge(b, target, c->pc, AP_CGE_CALL, false);
			} else if (set != AP_CG_NONE && cg->set_n[set] > 1) {
				target = 0;
				add_edge(b, set, c->pc, AP_CGE_VIRTUAL, true);
			}
		} else {
			continue; /* invoke-polymorphic / invoke-custom: see docs/reachability.md */
		}
		app_resolved = target != AP_CG_NONE;
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

/* ---- the passes --------------------------------------------------------------------------- */

static int intern_types_and_methods(struct ap_cg *cg)
{
	struct ap_buf tmp = AP_BUF_INIT, proto = AP_BUF_INIT;
	int err = AP_OK;
	cg->type_gid = calloc(cg->n_dex ? cg->n_dex : 1, sizeof *cg->type_gid);
	cg->mid = calloc(cg->n_dex ? cg->n_dex : 1, sizeof *cg->mid);
	if (!cg->type_gid || !cg->mid)
		return AP_ERR_NOMEM;
	for (size_t d = 0; d < cg->n_dex; d++) {
		const struct ap_dex *dex = cg->dexes[d];
		const struct ap_dex_counts *cnt = ap_dex_counts(dex);
		cg->type_gid[d] = malloc((cnt->types ? cnt->types : 1) * sizeof **cg->type_gid);
		cg->mid[d] = malloc((cnt->methods ? cnt->methods : 1) * sizeof **cg->mid);
		uint32_t *psig = malloc((cnt->protos ? cnt->protos : 1) * sizeof *psig);
		char **pstr = calloc(cnt->protos ? cnt->protos : 1, sizeof *pstr);
		if (!cg->type_gid[d] || !cg->mid[d] || !psig || !pstr) {
			free(psig);
			free(pstr);
			err = AP_ERR_NOMEM;
			goto out_free_bufs;
		}
		for (uint32_t t = 0; t < cnt->types; t++) {
			const char *desc = ap_dex_type(dex, t);
			cg->type_gid[d][t] = desc ? intern_class(cg, desc) : AP_CG_NONE;
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
			if (!pstr[mi->proto_idx]) {
				ap_buf_reset(&proto);
				ap_dex_format_proto(dex, mi->proto_idx, &proto);
				pstr[mi->proto_idx] = strdup(proto.data ? proto.data : "()V");
				if (!pstr[mi->proto_idx])
					continue;
			}
			ap_buf_reset(&tmp);
			ap_buf_adds(&tmp, name);
			ap_buf_adds(&tmp, pstr[mi->proto_idx]);
			if (tmp.failed || !tmp.data)
				continue;
			uint32_t sig = intern_sig(cg, tmp.data);
			if (sig != AP_CG_NONE)
				cg->mid[d][i] = key2(cls, sig);
		}
		for (uint32_t p = 0; p < cnt->protos; p++)
			free(pstr[p]);
		free(pstr);
		free(psig);
	}
out_free_bufs:
	ap_buf_free(&tmp);
	ap_buf_free(&proto);
	return err;
}

static int define_classes(struct ap_cg *cg)
{
	uint32_t clinit_sig = intern_sig(cg, "<clinit>()V");
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
				k->ifaces = calloc(cd->n_interfaces, sizeof *k->ifaces);
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
				if (u64map_get(cg->method_map, key) != AP_CG_NONE)
					continue; /* the same method twice in one class: first wins */
				if (!ap_grow((void **)&cg->nodes, &cg->cap_nodes, cg->n_nodes + 1,
					  sizeof *cg->nodes))
					return AP_ERR_NOMEM;
				uint32_t nd = (uint32_t)cg->n_nodes++;
				cg->nodes[nd] = (struct ap_cg_node){.dex = (uint32_t)d,
								    .def = cd->methods_first + j,
								    .cls = gid, .sig = (uint32_t)key,
								    .access = m->access};
				if (!u64map_put(cg->method_map, key, nd))
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
		uint32_t sup = framework_supers[i][1] ? intern_class(cg, framework_supers[i][1])
						      : AP_CG_NONE;
		uint32_t ifc = framework_supers[i][2] ? intern_class(cg, framework_supers[i][2])
						      : AP_CG_NONE;
		if ((framework_supers[i][1] && sup == AP_CG_NONE) ||
		    (framework_supers[i][2] && ifc == AP_CG_NONE))
			return AP_ERR_NOMEM;
		struct ap_cg_class *k = &cg->classes[c]; /* intern may have moved the array */
		if (k->super == AP_CG_NONE)
			k->super = sup;
		if (ifc != AP_CG_NONE && !k->ifaces) {
			k->ifaces = calloc(1, sizeof *k->ifaces);
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
	size_t n_types = 0, n_mids = 0, n_defs = 0;
	for (size_t d = 0; d < n_dex; d++) {
		const struct ap_dex_counts *c = ap_dex_counts(dexes[d]);
		n_types += c->types;
		n_mids += c->methods;
		n_defs += c->method_defs;
	}
	/* sized once from the DEX counts: growing big tables is what costs on large apps */
	cg->class_map = strmap_new(n_types / 2);
	cg->sig_map = strmap_new(n_mids / 2);
	cg->method_map = u64map_new(n_defs);
	cg->set_map = u64map_new(n_defs / 4);
	int err = AP_ERR_NOMEM;
	if (!cg->class_map || !cg->sig_map || !cg->method_map || !cg->set_map)
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

	struct bctx b = {.cg = cg};
	b.cstamp = calloc(cg->n_classes + 1, sizeof *b.cstamp);
	b.nstamp = calloc(cg->n_nodes + 1, sizeof *b.nstamp);
	err = AP_ERR_NOMEM;
	b.inst = malloc((cg->n_classes + 1) * sizeof *b.inst);
	b.sigflag = calloc(cg->n_sigs + 1, 1);
	if (!b.cstamp || !b.nstamp || !b.inst || !b.sigflag)
		goto out_free_ctx;
	for (uint32_t c = 0; c < cg->n_classes; c++)
		if (cg->classes[c].instantiated)
			b.inst[b.n_inst++] = c;
	for (size_t i = 0; i < cg->n_nodes && !b.nomem; i++)
		build_method_edges(&b, (uint32_t)i);
	err = b.nomem ? AP_ERR_NOMEM : AP_OK;
	if (err == AP_OK && cg->limit_hit) {
		ap_anom_add(an, "reach", NULL, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "call graph: more than %u edges; the rest of the calls are not modelled "
			    "(reachability is an under-approximation from here)",
			    (unsigned)AP_MAX_CG_EDGES);
		err = AP_ERR_LIMIT;
	}
out_free_ctx:
	free(b.cstamp);
	free(b.nstamp);
	free(b.stack);
	free(b.tmp);
	free(b.locals);
	free(b.inst);
	free(b.sigflag);
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
	for (size_t c = 0; c < cg->n_classes; c++)
		free(cg->classes[c].ifaces);
	free(cg->classes);
	for (size_t i = 0; i < cg->n_sigs; i++)
		free(cg->sigs[i]);
	free(cg->sigs);
	free(cg->nodes);
	free(cg->edges);
	free(cg->kids);
	free(cg->set_first);
	free(cg->set_n);
	free(cg->set_nodes);
	strmap_free(cg->class_map);
	strmap_free(cg->sig_map);
	u64map_free(cg->method_map);
	u64map_free(cg->set_map);
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
