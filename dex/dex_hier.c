/* Class hierarchy facts for the reachability work: superclass chains, interfaces, subtype tests
 * and which superclass/interface method a defined method overrides. Walks are bounded by
 * AP_MAX_DEX_HIER_DEPTH so a cyclic hierarchy in a hostile file cannot loop. */
#include "dex_internal.h"

uint32_t ap_dex_superclass(const struct ap_dex *dex, uint32_t type_idx)
{
	const struct ap_dex_class *k = ap_dex_class_by_type(dex, type_idx);
	return k ? k->superclass_idx : AP_DEX_NO_INDEX;
}

/* Depth-first over superclass and interfaces with an explicit bounded stack. */
bool ap_dex_is_subtype(const struct ap_dex *dex, uint32_t type_idx, uint32_t ancestor_idx)
{
	uint32_t stack[64];
	unsigned sp = 0, steps = 0;
	stack[sp++] = type_idx;
	while (sp && steps++ < AP_MAX_DEX_HIER_DEPTH) {
		uint32_t t = stack[--sp];
		if (t == ancestor_idx)
			return true;
		const struct ap_dex_class *k = ap_dex_class_by_type(dex, t);
		if (!k)
			continue;
		if (k->superclass_idx != AP_DEX_NO_INDEX && sp < 64)
			stack[sp++] = k->superclass_idx;
		for (uint32_t i = 0; i < k->n_interfaces && sp < 64; i++)
			stack[sp++] = k->interfaces[i];
	}
	return false;
}

/* The method_id named like m (same name string and proto) in class t, or NO_INDEX. */
static uint32_t same_sig_in(const struct ap_dex *dex, uint32_t t, const struct ap_dex_method_id *id)
{
	size_t n;
	const uint32_t *ms = ap_dex_methods_of_type(dex, t, &n);
	for (size_t i = 0; i < n; i++) {
		const struct ap_dex_method_id *o = &dex->methods[ms[i]];
		if (o->name_idx == id->name_idx && o->proto_idx == id->proto_idx)
			return ms[i];
	}
	return AP_DEX_NO_INDEX;
}

uint32_t ap_dex_overridden(const struct ap_dex *dex, const struct ap_dex_method *m)
{
	const struct ap_dex_method_id *id = ap_dex_method_id(dex, m->method_idx);
	const struct ap_dex_class *k = ap_dex_class_def(dex, m->class_def);
	/* static, private and constructors (ACC_CONSTRUCTOR 0x10000) override nothing */
	if (!id || !k || (m->access & (0x0008 | 0x0002 | 0x10000)))
		return AP_DEX_NO_INDEX;
	/* breadth-first: superclass chain first (nearest wins), then interfaces */
	uint32_t queue[128];
	unsigned qh = 0, qt = 0, steps = 0;
	if (k->superclass_idx != AP_DEX_NO_INDEX)
		queue[qt++] = k->superclass_idx;
	for (uint32_t i = 0; i < k->n_interfaces && qt < 128; i++)
		queue[qt++] = k->interfaces[i];
	while (qh < qt && steps++ < AP_MAX_DEX_HIER_DEPTH) {
		uint32_t t = queue[qh++];
		uint32_t hit = same_sig_in(dex, t, id);
		if (hit != AP_DEX_NO_INDEX) {
			const struct ap_dex_method *def = ap_dex_method_by_idx(dex, hit);
			if (!def || !(def->access & (0x0008 | 0x0002)))
				return hit;
		}
		const struct ap_dex_class *s = ap_dex_class_by_type(dex, t);
		if (!s)
			continue;
		if (s->superclass_idx != AP_DEX_NO_INDEX && qt < 128)
			queue[qt++] = s->superclass_idx;
		for (uint32_t i = 0; i < s->n_interfaces && qt < 128; i++)
			queue[qt++] = s->interfaces[i];
	}
	return AP_DEX_NO_INDEX;
}
