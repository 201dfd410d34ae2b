/* Reachability answers: one breadth-first search per entry kind (startup, background, ui) over
 * the call graph, keeping one shortest path per method, and the scan step that writes the
 * verdicts into each code evidence item (reachable, entries, path, owners of the hops). */
#include "callgraph.h"

#include "apk.h"
#include "dex/dex.h"
#include "report_model.h"
#include "rules/kb.h"

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct bfs {
	uint32_t *queue;
	uint8_t *set_done;
	size_t head, tail;
	int k;          /* the search's entry kind (bfs_kind) */
	bool callbacks; /* follow callback edges */
	/* what reaching `to` over e from `from` does (queues it when new) */
	void (*reach)(struct ap_cg *cg, struct bfs *q, uint32_t to, uint32_t from,
		      const struct ap_cg_edge *e);
};

/* Empties the queue breadth first: every edge of a queued node (a CHA or callback set is
 * expanded once per walk: all its members are queued the first time) goes to q->reach. */
static void walk(struct ap_cg *cg, struct bfs *q)
{
	while (q->head < q->tail) {
		uint32_t u = q->queue[q->head++];
		const struct ap_cg_node *n = &cg->nodes[u];
		for (uint32_t i = 0; i < n->edges_n; i++) {
			const struct ap_cg_edge *e = &cg->edges[n->edges_first + i];
			if (e->kind == AP_CGE_CALLBACK && !q->callbacks)
				continue;
			if (e->is_set) {
				if (e->to >= cg->n_sets || q->set_done[e->to])
					continue;
				q->set_done[e->to] = 1;
			}
			size_t nt;
			const uint32_t *t = ap_cg_targets(cg, e, &nt);
			for (size_t j = 0; j < nt; j++)
				q->reach(cg, q, t[j], u, e);
		}
	}
}

static void visit(struct ap_cg *cg, struct bfs *q, uint32_t to, uint32_t from,
		  const struct ap_cg_edge *e)
{
	int k = q->k;
	if (cg->dist[k][to] != AP_CG_NONE)
		return;
	cg->dist[k][to] = cg->dist[k][from] + 1;
	cg->parent[k][to] = from;
	cg->ppc[k][to] = e->pc;
	cg->pkind[k][to] = e->kind;
	cg->entry_of[k][to] = cg->entry_of[k][from];
	q->queue[q->tail++] = to;
}

/* Breadth-first search of kind k from the entries of that kind. Callback edges are followed
 * only in the ui search (a registered listener runs when the user acts). */
static void bfs_kind(struct ap_cg *cg, struct bfs *q, int k)
{
	unsigned bit = 1u << k;
	for (size_t i = 0; i < cg->n_nodes; i++)
		cg->dist[k][i] = cg->parent[k][i] = cg->entry_of[k][i] = AP_CG_NONE;
	memset(q->set_done, 0, cg->n_sets ? cg->n_sets : 1);
	q->head = q->tail = 0;
	q->k = k;
	q->callbacks = bit == AP_REACH_UI;
	q->reach = visit;
	for (size_t e = 0; e < cg->n_entries; e++) {
		const struct ap_cg_entry *en = &cg->entries[e];
		if (en->kind != bit || cg->dist[k][en->node] != AP_CG_NONE)
			continue;
		cg->dist[k][en->node] = 0;
		cg->entry_of[k][en->node] = (uint32_t)e;
		cg->ppc[k][en->node] = AP_CG_NONE;
		cg->pkind[k][en->node] = AP_CGE_CALL;
		q->queue[q->tail++] = en->node;
	}
	walk(cg, q);
}

/* Listeners registered by startup or background code become ui entries ("callback"). */
static int callback_entries(struct ap_cg *cg)
{
	size_t n0 = cg->n_entries;
	uint8_t *seen = calloc(cg->n_nodes + 1, 1);
	if (!seen)
		return AP_ERR_NOMEM;
	int err = AP_OK;
	for (size_t u = 0; u < cg->n_nodes; u++) {
		if (cg->dist[0][u] == AP_CG_NONE && cg->dist[1][u] == AP_CG_NONE)
			continue;
		const struct ap_cg_node *n = &cg->nodes[u];
		for (uint32_t i = 0; i < n->edges_n; i++) {
			const struct ap_cg_edge *e = &cg->edges[n->edges_first + i];
			if (e->kind != AP_CGE_CALLBACK)
				continue;
			size_t nt;
			const uint32_t *t = ap_cg_targets(cg, e, &nt);
			for (size_t j = 0; j < nt; j++) {
				if (seen[t[j]])
					continue;
				seen[t[j]] = 1;
				if (cg->n_entries == cg->cap_entries) {
					size_t nc = cg->cap_entries ? cg->cap_entries * 2 : 64;
					struct ap_cg_entry *p = realloc(cg->entries, nc * sizeof *p);
					if (!p) {
						err = AP_ERR_NOMEM;
						goto out_free_seen;
					}
					cg->entries = p;
					cg->cap_entries = nc;
				}
				cg->entries[cg->n_entries++] = (struct ap_cg_entry){
					.node = t[j], .kind = AP_REACH_UI, .why = "callback"};
			}
		}
	}
out_free_seen:
	free(seen);
	(void)n0;
	return err;
}

static void mark_one(struct ap_cg *cg, struct bfs *q, uint32_t to, uint32_t from,
		     const struct ap_cg_edge *e)
{
	(void)from;
	(void)e;
	if (!cg->periodic[to]) {
		cg->periodic[to] = 1;
		q->queue[q->tail++] = to;
	}
}

/* Everything a periodic task started from reachable code runs (callbacks not followed). */
static void mark_periodic(struct ap_cg *cg, struct bfs *q)
{
	memset(cg->periodic, 0, cg->n_nodes ? cg->n_nodes : 1);
	memset(q->set_done, 0, cg->n_sets ? cg->n_sets : 1);
	q->head = q->tail = 0;
	q->callbacks = false;
	q->reach = mark_one;
	for (size_t u = 0; u < cg->n_nodes; u++) {
		if (!ap_cg_kinds(cg, (uint32_t)u))
			continue;
		const struct ap_cg_node *n = &cg->nodes[u];
		for (uint32_t i = 0; i < n->edges_n; i++) {
			const struct ap_cg_edge *e = &cg->edges[n->edges_first + i];
			if (e->kind != AP_CGE_PERIODIC)
				continue;
			size_t nt;
			const uint32_t *t = ap_cg_targets(cg, e, &nt);
			for (size_t j = 0; j < nt; j++)
				mark_one(cg, q, t[j], (uint32_t)u, e);
		}
	}
	walk(cg, q);
}

int ap_cg_solve(struct ap_cg *cg)
{
	double t0 = now_ms();
	size_t nn = cg->n_nodes ? cg->n_nodes : 1;
	struct bfs q = {0};
	q.queue = malloc(nn * sizeof *q.queue);
	q.set_done = malloc(cg->n_sets ? cg->n_sets : 1);
	int err = AP_ERR_NOMEM;
	if (!q.queue || !q.set_done)
		goto out_free_queue;
	for (int k = 0; k < AP_CG_KINDS; k++) {
		if (!cg->dist[k]) {
			cg->dist[k] = malloc(nn * sizeof **cg->dist);
			cg->parent[k] = malloc(nn * sizeof **cg->parent);
			cg->ppc[k] = malloc(nn * sizeof **cg->ppc);
			cg->pkind[k] = malloc(nn);
			cg->entry_of[k] = malloc(nn * sizeof **cg->entry_of);
		}
		if (!cg->dist[k] || !cg->parent[k] || !cg->ppc[k] || !cg->pkind[k] ||
		    !cg->entry_of[k])
			goto out_free_queue;
	}
	if (!cg->periodic && !(cg->periodic = malloc(nn)))
		goto out_free_queue;
	bfs_kind(cg, &q, 0);
	bfs_kind(cg, &q, 1);
	if ((err = callback_entries(cg)) != AP_OK)
		goto out_free_queue;
	bfs_kind(cg, &q, 2);
	cg->solved = true;
	mark_periodic(cg, &q);
	err = AP_OK;
	cg->solve_ms = now_ms() - t0;
out_free_queue:
	free(q.queue);
	free(q.set_done);
	return err;
}

unsigned ap_cg_kinds(const struct ap_cg *cg, uint32_t node)
{
	unsigned bits = 0;
	if (!cg->solved || node >= cg->n_nodes)
		return 0;
	for (int k = 0; k < AP_CG_KINDS; k++)
		if (cg->dist[k][node] != AP_CG_NONE)
			bits |= 1u << k;
	return bits;
}

static int kind_index(unsigned bit)
{
	return bit == AP_REACH_STARTUP ? 0 : bit == AP_REACH_BACKGROUND ? 1 : bit == AP_REACH_UI ? 2 : -1;
}

size_t ap_cg_path(const struct ap_cg *cg, uint32_t node, unsigned kind, uint32_t *out,
		  uint32_t *pcs, size_t max)
{
	int k = kind_index(kind);
	if (k < 0 || !max || !cg->solved || node >= cg->n_nodes || cg->dist[k][node] == AP_CG_NONE)
		return 0;
	size_t len = (size_t)cg->dist[k][node] + 1;
	/* a path longer than max keeps its entry side and the call site's method last */
	size_t keep = len <= max ? len : max;
	uint32_t u = node;
	for (size_t i = len; i-- > 0 && u != AP_CG_NONE;) {
		if (i < keep - (len > max)) {
			out[i] = u;
			if (pcs)
				pcs[i] = i ? cg->ppc[k][u] : AP_CG_NONE;
		}
		u = cg->parent[k][u];
	}
	if (len > max) {
		out[keep - 1] = node;
		if (pcs)
			pcs[keep - 1] = AP_CG_NONE;
	}
	return keep;
}

const struct ap_cg_entry *ap_cg_path_entry(const struct ap_cg *cg, uint32_t node, unsigned kind)
{
	int k = kind_index(kind);
	if (k < 0 || !cg->solved || node >= cg->n_nodes)
		return NULL;
	uint32_t e = cg->entry_of[k][node];
	return e < cg->n_entries ? &cg->entries[e] : NULL;
}

/* ---- the scan step ---------------------------------------------------------------------- */

const char *ap_reach_owner(struct ap_report *r, const struct ap_kb *kb, const char *class_desc)
{
	const struct ap_kb_sdk *sdk = kb && class_desc ? ap_kb_sdk_for_class(kb, class_desc) : NULL;
	if (!sdk)
		return "first_party";
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_adds(&b, "sdk:");
	ap_buf_adds(&b, sdk->id);
	const char *s = b.data ? ap_arena_strdup(r->arena, b.data) : NULL;
	ap_buf_free(&b);
	return s ? s : "sdk";
}

/* "App.onCreate" from a node: the simple class name and the method name. */
static void short_name(const struct ap_cg *cg, uint32_t node, struct ap_buf *b)
{
	const char *desc = ap_cg_node_class(cg, node);
	const char *slash = strrchr(desc, '/');
	const char *s = slash ? slash + 1 : desc + 1;
	size_t n = strlen(s);
	if (n && s[n - 1] == ';')
		n--;
	ap_buf_add(b, s, n);
	ap_buf_addc(b, '.');
	const char *sig = cg->sigs[cg->nodes[node].sig];
	const char *paren = strchr(sig, '(');
	ap_buf_add(b, sig, paren ? (size_t)(paren - sig) : strlen(sig));
}

/* Code evidence the graph can answer for. Hidden code (e->hidden) is not in the graph -- ART
 * does not load it at start -- and carries its verdict from the evidence pass already; its
 * method may share a name with a root one, which must not lend it a path. */
static bool is_code_evidence(const struct ap_evidence *e)
{
	return (e->via == AP_VIA_DEX_API || e->via == AP_VIA_DEX_STRING ||
		e->via == AP_VIA_REFLECTION) && e->method && !e->hidden;
}

void ap_reach_annotate_one(struct ap_report *r, const struct ap_kb *kb, const struct ap_cg *cg,
			   struct ap_evidence *ev, struct ap_buf *tmp)
{
	uint32_t node = ap_cg_find(cg, ev->method);
	ev->entries = ap_cg_kinds(cg, node);
	ev->reachable = ev->entries != 0;
	ev->path = NULL;
	ev->n_path = 0;
	ev->path_owners_note = NULL;
	if (!ev->reachable)
		return;
	static const unsigned order[] = {AP_REACH_STARTUP, AP_REACH_BACKGROUND, AP_REACH_UI};
	unsigned kind = 0;
	for (size_t i = 0; i < 3 && !kind; i++)
		if (ev->entries & order[i])
			kind = order[i];
	uint32_t hops[AP_MAX_CALL_PATH];
	uint32_t pcs[AP_MAX_CALL_PATH];
	size_t n = ap_cg_path(cg, node, kind, hops, pcs, AP_MAX_CALL_PATH);
	const char **path = n ? ap_arena_calloc(r->arena, n, sizeof *path) : NULL;
	if (!path)
		return;
	for (size_t i = 0; i < n; i++) {
		ap_buf_reset(tmp);
		ap_cg_format(cg, hops[i], tmp);
		path[i] = tmp->data ? ap_arena_strdup(r->arena, tmp->data) : NULL;
		if (!path[i])
			return;
	}
	ev->path = path;
	ev->n_path = n;

	/* "sdk:umeng_analytics, started from first_party App.onCreate (startup, application);
	 *  hops: first_party, first_party, sdk:umeng_analytics, sdk:umeng_analytics" */
	const struct ap_cg_entry *en = ap_cg_path_entry(cg, node, kind);
	ap_buf_reset(tmp);
	ap_buf_adds(tmp, ev->owner ? ev->owner : ap_reach_owner(r, kb, ap_cg_node_class(cg, node)));
	ap_buf_adds(tmp, ", started from ");
	ap_buf_adds(tmp, ap_reach_owner(r, kb, ap_cg_node_class(cg, hops[0])));
	ap_buf_addc(tmp, ' ');
	short_name(cg, hops[0], tmp);
	ap_buf_addf(tmp, " (%s%s%s)",
		    kind == AP_REACH_STARTUP ? "startup" : kind == AP_REACH_BACKGROUND ? "background"
										 : "ui",
		    en ? ", " : "", en ? en->why : "");
	int k = kind_index(kind);
	bool special = false;
	for (size_t i = 1; i < n; i++)
		special |= cg->pkind[k][hops[i]] != AP_CGE_CALL && cg->pkind[k][hops[i]] != AP_CGE_VIRTUAL;
	if (special) {
		ap_buf_adds(tmp, "; through");
		for (size_t i = 1; i < n; i++) {
			uint8_t ek = cg->pkind[k][hops[i]];
			if (ek != AP_CGE_CALL && ek != AP_CGE_VIRTUAL)
				ap_buf_addf(tmp, " %s", ap_cg_edge_kind_name((enum ap_cg_edge_kind)ek));
		}
	}
	ap_buf_adds(tmp, "; hops: ");
	for (size_t i = 0; i < n; i++) {
		if (i)
			ap_buf_adds(tmp, ", ");
		ap_buf_adds(tmp, ap_reach_owner(r, kb, ap_cg_node_class(cg, hops[i])));
	}
	ev->path_owners_note = tmp->data ? ap_arena_strdup(r->arena, tmp->data) : NULL;
}

int ap_reach_annotate(struct ap_report *r, const struct ap_kb *kb, const struct ap_manifest *mf,
		      struct ap_dex *const *dexes, size_t n_dex, struct ap_anomalies *an)
{
	double t0 = now_ms();
	struct ap_cg *cg = NULL;
	int err = ap_cg_build(dexes, n_dex, an, &cg);
	if (!cg)
		return err;
	int e2 = ap_cg_add_entries(cg, mf);
	if (e2 == AP_OK)
		e2 = ap_cg_solve(cg);
	if (e2 != AP_OK) {
		ap_cg_free(cg);
		return e2;
	}
	struct ap_buf tmp = AP_BUF_INIT;
	for (size_t i = 0; i < r->n_pi; i++)
		for (size_t j = 0; j < r->pi[i].n_evidence; j++)
			if (is_code_evidence(&r->pi[i].evidence[j]))
				ap_reach_annotate_one(r, kb, cg, &r->pi[i].evidence[j], &tmp);
	/* the findings made so far hold copies of the evidence: annotate those too */
	for (size_t i = 0; i < r->n_findings; i++)
		for (size_t j = 0; j < r->findings[i].n_evidence; j++)
			if (is_code_evidence(&r->findings[i].evidence[j]))
				ap_reach_annotate_one(r, kb, cg, &r->findings[i].evidence[j], &tmp);
	ap_buf_free(&tmp);
	e2 = ap_reach_findings(r, kb, mf, cg);
	ap_log(AP_LOG_INFO, "reach",
	       "%zu methods, %zu edges, %zu entries; graph %.1f ms, search %.1f ms, total %.1f ms",
	       cg->n_nodes, cg->n_edges, cg->n_entries, cg->build_ms, cg->solve_ms, now_ms() - t0);
	ap_cg_free(cg);
	return err != AP_OK ? err : e2;
}

int ap_reach_scan(struct ap_report *r, const struct ap_kb *kb, const struct ap_manifest *mf,
		  struct ap_dex *const *dexes, size_t n_dex, struct ap_anomalies *an)
{
	int rc = n_dex ? ap_reach_annotate(r, kb, mf, dexes, n_dex, an) : AP_OK;
	if (rc == AP_ERR_LIMIT) {
		r->partial = true;
		if (!r->partial_reason)
			r->partial_reason = "call graph limit reached (reachability is partial)";
		rc = AP_OK;
	}
	return rc;
}
