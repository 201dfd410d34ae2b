/* Questions asked of a built call graph: which class or method a name is, how a method prints,
 * what a class inherits from, which method a virtual call on a class runs, and an edge's
 * targets. */
#include "callgraph_int.h"

#include "dex/dex.h"

#include "ap_buf.h"
#include "ap_limits.h"

#include <string.h>

const char *ap_cg_edge_kind_name(enum ap_cg_edge_kind k)
{
	static const char *const names[] = {"call", "virtual", "clinit", "async",
					    "periodic", "icc", "callback"};
	return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

uint32_t ap_cg_class_id(const struct ap_cg *cg, const char *desc)
{
	return desc ? cg_find_class(cg, desc) : AP_CG_NONE;
}

uint32_t ap_cg_find(const struct ap_cg *cg, const char *ref)
{
	const char *arrow = ref ? strstr(ref, "->") : NULL;
	if (!arrow || (size_t)(arrow - ref) >= 4096)
		return AP_CG_NONE;
	char desc[4096];
	memcpy(desc, ref, (size_t)(arrow - ref));
	desc[arrow - ref] = 0;
	uint32_t c = cg_find_class(cg, desc);
	uint32_t s = cg_find_sig(cg, arrow + 2);
	if (c == AP_CG_NONE || s == AP_CG_NONE)
		return AP_CG_NONE;
	return cg_map_get(&cg->method_map, cg_key2(c, s));
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
bool ap_cg_is_a_id(const struct ap_cg *cg, uint32_t c, uint32_t target)
{
	unsigned budget = AP_MAX_DEX_HIER_DEPTH;
	return c < cg->n_classes && target != AP_CG_NONE && is_a_rec(cg, c, target, &budget);
}

bool ap_cg_is_a(const struct ap_cg *cg, uint32_t c, const char *desc)
{
	return ap_cg_is_a_id(cg, c, ap_cg_class_id(cg, desc));
}

bool ap_cg_name_in(const char *list, const char *name, size_t name_len)
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

bool cg_sig_has_name(const char *sig, const char *name)
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
			if (sig ? strcmp(s, sig) == 0 : cg_sig_has_name(s, name))
				return nd;
		}
		c = k->super;
	}
	return AP_CG_NONE;
}

/* Virtual resolution of (class, sig) upward: the class's own method or an inherited one. */
uint32_t cg_resolve_up(const struct ap_cg *cg, uint32_t c, uint32_t sig)
{
	for (unsigned depth = 0; c != AP_CG_NONE && depth < AP_MAX_DEX_HIER_DEPTH; depth++) {
		uint32_t nd = cg_map_get(&cg->method_map, cg_key2(c, sig));
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
