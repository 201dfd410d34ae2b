/* The app-level reachability rules: R02 (SDK code entered at startup), R03 (permissions asked
 * in bulk at launch) and what each R16 self-start receiver reaches. findings_reach_int.h. */
#include "findings_reach_int.h"

#include "dex/dex.h"
#include "manifest/manifest.h"
#include "rules/kb.h"
#include "scan.h"

#include "ap_arena.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

/* ---- R02: SDK code entered at startup --------------------------------------------------------- */

static const struct ap_cg *sort_cg; /* qsort has no context argument in C11 */

/* Application and providers run before any activity: their paths come first on a tie. */
static int entry_rank(uint32_t node)
{
	const struct ap_cg_entry *en = ap_cg_path_entry(sort_cg, node, AP_REACH_STARTUP);
	return en && en->why && (strcmp(en->why, "application") == 0 ||
				 strcmp(en->why, "provider") == 0) ? 0 : 1;
}

static int by_startup_dist(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint32_t dx = sort_cg->dist[0][x], dy = sort_cg->dist[0][y];
	if (dx != dy)
		return dx < dy ? -1 : 1;
	int rx = entry_rank(x), ry = entry_rank(y);
	if (rx != ry)
		return rx - ry;
	return x < y ? -1 : x > y;
}

/* Where startup code first enters each SDK: an SDK method reached at startup whose caller on
 * the shortest path is first-party code (or which Android itself runs: an SDK provider). One
 * finding per SDK and gate verdict, listing every such entry, nearest first. */
void rf_r02(struct rf *f)
{
	const struct ap_cg *cg = f->cg;
	uint32_t *cand = malloc((cg->n_nodes ? cg->n_nodes : 1) * sizeof *cand);
	size_t n_cand = 0;
	if (!cand) {
		f->nomem = true;
		return;
	}
	for (uint32_t u = 0; u < cg->n_nodes; u++) {
		if (cg->dist[0][u] == AP_CG_NONE ||
		    !ap_kb_sdk_for_class(f->kb, ap_cg_node_class(cg, u)))
			continue;
		uint32_t par = cg->parent[0][u];
		if (par != AP_CG_NONE && ap_kb_sdk_for_class(f->kb, ap_cg_node_class(cg, par)))
			continue; /* inside an SDK already: not where it is started */
		cand[n_cand++] = u;
	}
	sort_cg = cg;
	qsort(cand, n_cand, sizeof *cand, by_startup_dist);
	for (size_t i = 0; i < n_cand; i++) {
		uint32_t u = cand[i];
		uint32_t par = cg->parent[0][u];
		const struct ap_kb_sdk *sdk = ap_kb_sdk_for_class(f->kb, ap_cg_node_class(cg, u));
		const char *owner = ap_reach_owner(f->r, f->kb, ap_cg_node_class(cg, u));
		uint32_t where = AP_CG_NONE;
		const char *key = NULL;
		bool gated = rf_path_gated(cg, u, AP_CG_NONE, &where, &key);
		struct ap_finding *x = NULL;
		for (size_t j = 0; j < f->n && !x; j++)
			if (strcmp(f->v[j].rule, "R02") == 0 && rf_same(f->v[j].owner, owner) &&
			    (strcmp(f->v[j].confidence, "low") == 0) == gated)
				x = &f->v[j];
		if (!x) {
			const struct ap_cg_entry *en = ap_cg_path_entry(cg, u, AP_REACH_STARTUP);
			ap_buf_addf(&f->msg, "%s (%s) is started at startup",
				    sdk->name ? sdk->name : sdk->id, owner);
			if (par == AP_CG_NONE)
				ap_buf_addf(&f->msg, ": Android runs its %s ",
					    en && en->why ? en->why : "entry point");
			else
				ap_buf_adds(&f->msg, " from first-party code: ");
			rf_path_text(cg, u, AP_REACH_STARTUP, &f->msg);
			if (gated) {
				ap_buf_adds(&f->msg, "; the path first checks a stored consent flag (");
				rf_short_name(cg, where, &f->msg);
				ap_buf_adds(&f->msg, " reads \"");
				ap_buf_add_escaped(&f->msg, key, strlen(key), 64);
				ap_buf_adds(&f->msg, "\"): confidence lowered to low");
			} else {
				ap_buf_adds(&f->msg, ", with no consent check on the way");
			}
			x = rf_add(f, "R02", NULL, owner);
			if (!x)
				break;
			if (gated)
				x->confidence = "low";
		}
		/* evidence: the call into the SDK (or the SDK's own entry point) */
		uint32_t at = par != AP_CG_NONE ? par : u;
		struct ap_evidence ev = {.via = AP_VIA_DEX_API, .owner = owner, .pc = -1,
					 .offset = -1, .reachable = 1, .entries = ap_cg_kinds(cg, u)};
		ap_buf_reset(&f->tmp);
		ap_cg_format(cg, u, &f->tmp);
		ev.api = f->tmp.data ? ap_arena_strdup(f->r->arena, f->tmp.data) : NULL;
		ap_buf_reset(&f->tmp);
		ap_cg_format(cg, at, &f->tmp);
		ev.method = f->tmp.data ? ap_arena_strdup(f->r->arena, f->tmp.data) : NULL;
		const char *dn = ap_dex_name(cg->dexes[cg->nodes[at].dex]);
		ev.dexfile = dn ? ap_arena_strdup(f->r->arena, dn) : NULL;
		if (par != AP_CG_NONE && cg->ppc[0][u] != AP_CG_NONE)
			ev.pc = cg->ppc[0][u];
		uint32_t hops[AP_MAX_CALL_PATH];
		size_t n = ap_cg_path(cg, u, AP_REACH_STARTUP, hops, NULL, AP_MAX_CALL_PATH);
		const char **path = n ? ap_arena_calloc(f->r->arena, n, sizeof *path) : NULL;
		for (size_t j = 0; path && j < n; j++) {
			ap_buf_reset(&f->tmp);
			ap_cg_format(cg, hops[j], &f->tmp);
			path[j] = f->tmp.data ? ap_arena_strdup(f->r->arena, f->tmp.data) : "";
		}
		ev.path = path;
		ev.n_path = path ? n : 0;
		rf_attach(f, x, &ev);
	}
	free(cand);
}

/* ---- R03: requestPermissions with several dangerous permissions in launcher code ------------- */

void rf_r03(struct rf *f)
{
	const struct ap_cg *cg = f->cg;
	for (uint32_t u = 0; u < cg->n_nodes; u++) {
		if (cg->dist[0][u] == AP_CG_NONE)
			continue;
		const struct ap_dex *dex;
		const struct ap_dex_method *m = rf_node_method(cg, u, &dex);
		if (!m || !m->has_code)
			continue;
		size_t nc, ns;
		const struct ap_dex_call *calls = ap_dex_calls(dex, &nc);
		const struct ap_dex_string_load *sl = ap_dex_string_loads(dex, &ns);
		uint32_t n_mids = ap_dex_counts(dex)->methods;
		for (uint32_t i = 0; i < m->calls_n && (size_t)m->calls_first + i < nc; i++) {
			const struct ap_dex_call *c = &calls[m->calls_first + i];
			if (c->callee >= n_mids)
				continue;
			uint64_t k = cg->mid[cg->nodes[u].dex][c->callee];
			if (k == UINT64_MAX || strncmp(cg->sigs[(uint32_t)k], "requestPermissions(", 19))
				continue;
			/* the constant array: dangerous permission names loaded before the call */
			size_t n_dangerous = 0;
			ap_buf_reset(&f->tmp);
			for (uint32_t j = 0; j < m->strings_n && (size_t)m->strings_first + j < ns; j++) {
				const struct ap_dex_string_load *s = &sl[m->strings_first + j];
				const char *str = ap_dex_string(dex, s->string_idx);
				const struct ap_kb_permission *p = str && s->pc < c->pc
									   ? ap_kb_permission(f->kb, str)
									   : NULL;
				if (!p || !p->dangerous || strchr(str, '.') == NULL)
					continue;
				if (n_dangerous++)
					ap_buf_adds(&f->tmp, ", ");
				ap_buf_adds(&f->tmp, str);
			}
			if (n_dangerous < 2)
				continue;
			ap_buf_addf(&f->msg, "%zu dangerous permissions are requested at once at launch (",
				    n_dangerous);
			ap_buf_add_escaped(&f->msg, f->tmp.data ? f->tmp.data : "", f->tmp.len, 400);
			ap_buf_adds(&f->msg, "): ");
			rf_path_text(cg, u, AP_REACH_STARTUP, &f->msg);
			const char *owner = ap_reach_owner(f->r, f->kb, ap_cg_node_class(cg, u));
			struct ap_finding *x = rf_add(f, "R03", NULL, owner);
			struct ap_evidence ev = {.via = AP_VIA_DEX_API, .owner = owner, .pc = c->pc,
						 .offset = -1, .reachable = 1,
						 .entries = ap_cg_kinds(cg, u)};
			ap_buf_reset(&f->tmp);
			ap_cg_format(cg, u, &f->tmp);
			ev.method = f->tmp.data ? ap_arena_strdup(f->r->arena, f->tmp.data) : NULL;
			ap_buf_reset(&f->tmp);
			ap_buf_adds(&f->tmp, cg->classes[(uint32_t)(k >> 32)].desc);
			ap_buf_adds(&f->tmp, "->");
			ap_buf_adds(&f->tmp, cg->sigs[(uint32_t)k]);
			ev.api = f->tmp.data ? ap_arena_strdup(f->r->arena, f->tmp.data) : NULL;
			ev.dexfile = ap_dex_name(dex) ? ap_arena_strdup(f->r->arena, ap_dex_name(dex)) : NULL;
			rf_attach(f, x, &ev);
		}
	}
}

/* ---- R16: what each self-starting receiver reaches ------------------------------------------ */

static bool self_start_action(const char *a)
{
	static const char *const acts[] = {"BOOT_COMPLETED", "LOCKED_BOOT_COMPLETED",
					   "QUICKBOOT_POWERON", "USER_PRESENT",
					   "CONNECTIVITY_CHANGE", "PACKAGE_ADDED", "PACKAGE_REPLACED",
					   "MY_PACKAGE_REPLACED"};
	for (size_t i = 0; a && i < sizeof acts / sizeof *acts; i++)
		if (strstr(a, acts[i]))
			return true;
	return false;
}

/* "Lcom/x/Boot;" -> "com.x.Boot" into b */
static void dotted(const char *desc, struct ap_buf *b)
{
	size_t n = strlen(desc);
	for (size_t i = 1; i + 1 < n; i++)
		ap_buf_addc(b, desc[i] == '/' ? '.' : desc[i]);
}

/* The R16 finding the analysis made for this receiver (its message names the class), or ours. */
static struct ap_finding *r16_for(struct rf *f, const char *recv_dotted, const char *action)
{
	for (size_t i = 0; i < f->r->n_findings; i++)
		if (strcmp(f->r->findings[i].rule, "R16") == 0 && f->r->findings[i].message &&
		    strstr(f->r->findings[i].message, recv_dotted))
			return &f->r->findings[i];
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].rule, "R16") == 0 && strstr(f->v[i].message, recv_dotted))
			return &f->v[i];
	ap_buf_adds(&f->msg, "receiver ");
	ap_buf_add_escaped(&f->msg, recv_dotted, strlen(recv_dotted), 200);
	ap_buf_adds(&f->msg, " starts on ");
	ap_buf_add_escaped(&f->msg, action, strlen(action), 200);
	ap_buf_adds(&f->msg, " and reaches personal-information collection");
	return rf_add(f, "R16", NULL, "first_party");
}

/* What each self-starting receiver (BOOT_COMPLETED and the like) reaches: a search from that
 * receiver alone, so the path shows the receiver even when the PI call is also an entry of its
 * own (a service it starts). */
void rf_r16(struct rf *f)
{
	const struct ap_cg *cg = f->cg;
	uint32_t *par = NULL, *pcq = NULL;
	for (size_t ei = 0; ei < cg->n_entries; ei++) {
		const struct ap_cg_entry *en = &cg->entries[ei];
		const char *act = NULL;
		for (size_t i = 0; en->why && strcmp(en->why, "receiver") == 0 && i < en->n_actions &&
				   !act; i++)
			if (self_start_action(en->actions[i]))
				act = en->actions[i];
		if (!act)
			continue;
		if (!par) {
			par = malloc((cg->n_nodes + 1) * sizeof *par);
			pcq = malloc((cg->n_nodes + 1) * sizeof *pcq);
			if (!par || !pcq) {
				f->nomem = true;
				break;
			}
		}
		/* BFS from the receiver: par[] = parent (AP_CG_NONE - 1 = unvisited), pcq = queue */
		for (size_t i = 0; i < cg->n_nodes; i++)
			par[i] = AP_CG_NONE - 1;
		size_t head = 0, tail = 0;
		par[en->node] = AP_CG_NONE;
		pcq[tail++] = en->node;
		while (head < tail) {
			uint32_t u = pcq[head++];
			const struct ap_cg_node *n = &cg->nodes[u];
			for (uint32_t i = 0; i < n->edges_n; i++) {
				const struct ap_cg_edge *e = &cg->edges[n->edges_first + i];
				if (e->kind == AP_CGE_CALLBACK)
					continue;
				size_t nt;
				const uint32_t *t = ap_cg_targets(cg, e, &nt);
				for (size_t j = 0; j < nt; j++)
					if (par[t[j]] == AP_CG_NONE - 1) {
						par[t[j]] = u;
						pcq[tail++] = t[j];
					}
			}
		}
		ap_buf_reset(&f->tmp);
		dotted(ap_cg_node_class(cg, en->node), &f->tmp);
		char *recv = f->tmp.data ? ap_arena_strdup(f->r->arena, f->tmp.data) : NULL;
		if (!recv)
			continue;
		struct ap_finding *x = NULL;
		for (size_t i = 0; i < f->r->n_pi; i++) {
			for (size_t j = 0; j < f->r->pi[i].n_evidence; j++) {
				const struct ap_evidence *e = &f->r->pi[i].evidence[j];
				if (e->via != AP_VIA_DEX_API || e->reachable != 1 || !e->method)
					continue;
				uint32_t node = ap_cg_find(cg, e->method);
				if (node == AP_CG_NONE || par[node] == AP_CG_NONE - 1)
					continue;
				if (!x && !(x = r16_for(f, recv, act)))
					break;
				uint32_t hops[AP_MAX_CALL_PATH];
				size_t n = 0;
				for (uint32_t u = node; u != AP_CG_NONE && n < AP_MAX_CALL_PATH; u = par[u])
					hops[n++] = u;
				const char **path = ap_arena_calloc(f->r->arena, n, sizeof *path);
				for (size_t k = 0; path && k < n; k++) {
					ap_buf_reset(&f->tmp);
					ap_cg_format(cg, hops[n - 1 - k], &f->tmp);
					path[k] = f->tmp.data ? ap_arena_strdup(f->r->arena, f->tmp.data)
							      : "";
				}
				struct ap_evidence copy = *e;
				copy.path = path;
				copy.n_path = path ? n : 0;
				copy.entries = AP_REACH_BACKGROUND;
				ap_buf_reset(&f->tmp);
				ap_buf_addf(&f->tmp, "started by %s (%s)", recv, act);
				copy.path_owners_note = f->tmp.data ? ap_arena_strdup(f->r->arena,
										 f->tmp.data)
								    : NULL;
				rf_attach(f, x, &copy);
			}
		}
	}
	free(par);
	free(pcq);
}

/* ---- driver ------------------------------------------------------------------------------- */
