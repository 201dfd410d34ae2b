/* The per-method index: one linear sweep over each method's instructions records call sites,
 * string loads, field accesses and type references; CSR tables, built on first query, give them
 * by callee, string, field and type in O(1). */
#include "dex_internal.h"

#include <stdlib.h>
#include <string.h>

/* pc shares a word with the opcode in the index entries (dex.h) */
_Static_assert(AP_MAX_CODE_UNITS <= (1u << 24), "pc must fit the 24-bit field");

static bool is_field_op(uint8_t op)
{
	return op >= 0x52 && op <= 0x6d;
}

static bool is_type_op(uint8_t op)
{
	return op == 0x1c || op == 0x1f || op == 0x20 || op == 0x22 || op == 0x23 || op == 0x24 ||
	       op == 0x25;
}

void dex_index_method(struct ap_dex *dex, struct ap_dex_method *m, const uint8_t *insns)
{
	const uint32_t n = m->insns_size;
	const uint32_t caller = m->method_idx;
	m->calls_first = (uint32_t)dex->calls.n;
	m->strings_first = (uint32_t)dex->sloads.n;
	m->fields_first = (uint32_t)dex->frefs.n;
	m->types_first = (uint32_t)dex->trefs.n;
	uint32_t pc = 0;
	while (pc < n) {
		uint16_t w0 = dex_unit(insns, pc);
		uint8_t op = (uint8_t)w0;
		const struct ap_dex_opinfo *oi = &dex_ops[op];
		uint32_t width = oi->width;
		if (op == 0 && w0 != 0) {
			/* payload pseudo-instruction: skip its data (ident 0x0100/0x0200/0x0300) */
			uint64_t pw = 1;
			if ((w0 == 0x0100 || w0 == 0x0300) && n - pc >= 4) {
				uint64_t size = dex_unit(insns, pc + 1);
				if (w0 == 0x0100)
					pw = 4 + size * 2;
				else
					pw = 4 + (size * (dex_unit(insns, pc + 2) |
							  ((uint64_t)dex_unit(insns, pc + 3) << 16)) + 1) / 2;
			} else if (w0 == 0x0200 && n - pc >= 2) {
				pw = 2 + (uint64_t)dex_unit(insns, pc + 1) * 4;
			} else if (w0 == 0x0100 || w0 == 0x0200 || w0 == 0x0300) {
				pw = UINT64_MAX;
			}
			if (pw > n - pc) {
				dex_anom(dex, m->insns_off + 2ull * pc, AP_ERR_TRUNCATED,
					 "method %u: payload at pc 0x%04x runs past the end of its code",
					 caller, pc);
				break;
			}
			pc += (uint32_t)pw;
			continue;
		}
		if (width > n - pc) {
			dex_anom(dex, m->insns_off + 2ull * pc, AP_ERR_TRUNCATED,
				 "method %u: %s at pc 0x%04x runs past the end of its code", caller,
				 oi->name, pc);
			break;
		}
		if (oi->ref != AP_REF_NONE) {
			uint32_t idx = dex_unit(insns, pc + 1);
			if (oi->invoke) {
				struct ap_dex_call call = {.caller = caller, .pc = pc, .opcode = op,
							   .callee = idx, .aux = AP_DEX_NO_INDEX};
				if (oi->fmt == AP_FMT_45cc || oi->fmt == AP_FMT_4rcc) {
					call.aux = dex_unit(insns, pc + 3);
				} else if (oi->ref == AP_REF_CALL_SITE) {
					call.aux = idx;
					call.callee = dex_call_site_bootstrap(dex, idx);
				}
				if (!dex_vec_room(dex, &dex->calls))
					break;
				((struct ap_dex_call *)dex->calls.p)[dex->calls.n++] = call;
			} else if (oi->ref == AP_REF_STRING) {
				if (op == 0x1b)
					idx |= (uint32_t)dex_unit(insns, pc + 2) << 16;
				struct ap_dex_string_load sl = {caller, pc, idx};
				if (!dex_vec_room(dex, &dex->sloads))
					break;
				((struct ap_dex_string_load *)dex->sloads.p)[dex->sloads.n++] = sl;
			} else if (is_field_op(op)) {
				struct ap_dex_field_ref fr = {.caller = caller, .pc = pc, .opcode = op,
							       .field_idx = idx};
				if (!dex_vec_room(dex, &dex->frefs))
					break;
				((struct ap_dex_field_ref *)dex->frefs.p)[dex->frefs.n++] = fr;
			} else if (is_type_op(op)) {
				struct ap_dex_type_ref tr = {.caller = caller, .pc = pc, .opcode = op,
							     .type_idx = idx};
				if (!dex_vec_room(dex, &dex->trefs))
					break;
				((struct ap_dex_type_ref *)dex->trefs.p)[dex->trefs.n++] = tr;
			}
		}
		pc += width;
	}
	m->calls_n = (uint32_t)dex->calls.n - m->calls_first;
	m->strings_n = (uint32_t)dex->sloads.n - m->strings_first;
	m->fields_n = (uint32_t)dex->frefs.n - m->fields_first;
	m->types_n = (uint32_t)dex->trefs.n - m->types_first;
}

static uint32_t key_at(const uint8_t *items, size_t stride, size_t key_off, uint32_t i)
{
	uint32_t k;
	memcpy(&k, items + (size_t)i * stride + key_off, 4);
	return k;
}

/* Counting sort of items by a u32 key at key_off; keys >= n_keys (hostile indices) are left out.
 * The counts are a temporary array: only the sorted indices stay. */
void dex_csr_build(struct ap_dex *dex, struct dex_csr *csr, uint32_t n_keys, const void *items,
		   size_t n_items, size_t stride, size_t key_off)
{
	memset(csr, 0, sizeof(*csr));
	uint32_t *start = calloc((size_t)n_keys + 2, sizeof(uint32_t));
	if (!start)
		return;
	const uint8_t *base = items;
	for (size_t i = 0; i < n_items; i++) {
		uint32_t k = key_at(base, stride, key_off, (uint32_t)i);
		if (k < n_keys)
			start[k + 2]++;
	}
	for (uint32_t k = 0; k < n_keys; k++)
		start[k + 2] += start[k + 1];
	size_t n_idx = start[(size_t)n_keys + 1];
	csr->idx = dex_alloc(dex, n_idx ? n_idx : 1, sizeof(uint32_t));
	if (csr->idx) {
		for (size_t i = 0; i < n_items; i++) {
			uint32_t k = key_at(base, stride, key_off, (uint32_t)i);
			if (k < n_keys)
				csr->idx[start[k + 1]++] = (uint32_t)i;
		}
		csr->items = base;
		csr->n_idx = n_idx;
		csr->stride = stride;
		csr->key_off = key_off;
		csr->n_keys = n_keys;
	}
	free(start);
}

/* First position in c->idx whose item's key is >= key (or > key when after). */
static size_t csr_bound(const struct dex_csr *c, uint32_t key, bool after)
{
	size_t lo = 0, hi = c->n_idx;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t k = key_at(c->items, c->stride, c->key_off, c->idx[mid]);
		if (k < key || (after && k == key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const uint32_t *dex_csr_row(const struct dex_csr *c, uint32_t key, size_t *n)
{
	*n = 0;
	if (!c->idx || key >= c->n_keys)
		return NULL;
	size_t first = csr_bound(c, key, false);
	*n = csr_bound(c, key, true) - first;
	return c->idx + first;
}

static void build_lookup(struct ap_dex *dex, unsigned which)
{
	switch (which) {
	case DEX_LK_CALLS:
		dex_csr_build(dex, &dex->calls_by_callee, dex->cnt.methods, dex->calls.p,
			      dex->calls.n, sizeof(struct ap_dex_call),
			      offsetof(struct ap_dex_call, callee));
		break;
	case DEX_LK_LOADS:
		dex_csr_build(dex, &dex->loads_by_string, dex->cnt.strings, dex->sloads.p,
			      dex->sloads.n, sizeof(struct ap_dex_string_load),
			      offsetof(struct ap_dex_string_load, string_idx));
		break;
	case DEX_LK_FIELDS:
		dex_csr_build(dex, &dex->refs_by_field, dex->cnt.fields, dex->frefs.p, dex->frefs.n,
			      sizeof(struct ap_dex_field_ref), offsetof(struct ap_dex_field_ref, field_idx));
		break;
	case DEX_LK_TYPES:
		dex_csr_build(dex, &dex->refs_by_type, dex->cnt.types, dex->trefs.p, dex->trefs.n,
			      sizeof(struct ap_dex_type_ref), offsetof(struct ap_dex_type_ref, type_idx));
		break;
	case DEX_LK_METHODS_BY_CLASS:
		/* method_ids grouped by class type: a counting sort, so unsorted hostile tables
		 * work too */
		if (dex->methods)
			dex_csr_build(dex, &dex->methods_by_class, dex->cnt.types, dex->methods,
				      dex->cnt.methods, sizeof(struct ap_dex_method_id),
				      offsetof(struct ap_dex_method_id, class_idx));
		break;
	case DEX_LK_MDEF: {
		/* method_idx -> its defining method (first class_def wins, as ART) */
		uint32_t nm = dex->cnt.methods;
		int32_t *t = dex_alloc(dex, nm ? nm : 1, sizeof(int32_t));
		if (!t || !dex->mdefs)
			break;
		memset(t, 0xff, (size_t)nm * sizeof(int32_t));
		for (uint32_t i = 0; i < dex->cnt.method_defs; i++) {
			const struct ap_dex_method *m = &dex->mdefs[i];
			if (m->method_idx < nm && t[m->method_idx] < 0 &&
			    !dex->classes[m->class_def].duplicate)
				t[m->method_idx] = (int32_t)i;
		}
		dex->mdef_of_method = t;
		break;
	}
	}
}

static void ensure_lookup(const struct ap_dex *cdex, unsigned which)
{
	if (cdex->lookups_tried & which)
		return;
	/* the model is logically const: filling in a cache changes no answer (see dex_internal.h
	 * on threads) */
	struct ap_dex *dex = (struct ap_dex *)cdex;
	dex->lookups_tried |= which;
	build_lookup(dex, which);
}

const struct dex_csr *dex_lookup(const struct ap_dex *dex, unsigned which)
{
	ensure_lookup(dex, which);
	switch (which) {
	case DEX_LK_CALLS: return &dex->calls_by_callee;
	case DEX_LK_LOADS: return &dex->loads_by_string;
	case DEX_LK_FIELDS: return &dex->refs_by_field;
	case DEX_LK_TYPES: return &dex->refs_by_type;
	default: return &dex->methods_by_class;
	}
}

const int32_t *dex_mdef_of_method(const struct ap_dex *dex)
{
	ensure_lookup(dex, DEX_LK_MDEF);
	return dex->mdef_of_method;
}

static const uint32_t *csr_row(const struct ap_dex *dex, unsigned which, uint32_t key, size_t *n)
{
	return dex_csr_row(dex_lookup(dex, which), key, n);
}

const struct ap_dex_call *ap_dex_calls(const struct ap_dex *dex, size_t *n)
{
	*n = dex->calls.n;
	return dex->calls.p;
}

const struct ap_dex_string_load *ap_dex_string_loads(const struct ap_dex *dex, size_t *n)
{
	*n = dex->sloads.n;
	return dex->sloads.p;
}

const struct ap_dex_field_ref *ap_dex_field_refs(const struct ap_dex *dex, size_t *n)
{
	*n = dex->frefs.n;
	return dex->frefs.p;
}

const struct ap_dex_type_ref *ap_dex_type_refs(const struct ap_dex *dex, size_t *n)
{
	*n = dex->trefs.n;
	return dex->trefs.p;
}

const uint32_t *ap_dex_calls_to(const struct ap_dex *dex, uint32_t callee, size_t *n)
{
	return csr_row(dex, DEX_LK_CALLS, callee, n);
}

const uint32_t *ap_dex_loads_of(const struct ap_dex *dex, uint32_t string_idx, size_t *n)
{
	return csr_row(dex, DEX_LK_LOADS, string_idx, n);
}

const uint32_t *ap_dex_accesses_of(const struct ap_dex *dex, uint32_t field_idx, size_t *n)
{
	return csr_row(dex, DEX_LK_FIELDS, field_idx, n);
}

const uint32_t *ap_dex_refs_to_type(const struct ap_dex *dex, uint32_t type_idx, size_t *n)
{
	return csr_row(dex, DEX_LK_TYPES, type_idx, n);
}

size_t ap_dex_calls_to_named(const struct ap_dex *dex, const char *class_descriptor,
			     const char *name,
			     void (*fn)(const struct ap_dex_call *call, void *ctx), void *ctx)
{
	int64_t t = ap_dex_find_type(dex, class_descriptor);
	int64_t s = ap_dex_find_string(dex, name);
	if (t < 0 || s < 0)
		return 0;
	size_t nm, total = 0;
	const uint32_t *ms = ap_dex_methods_of_type(dex, (uint32_t)t, &nm);
	const struct ap_dex_call *calls = dex->calls.p;
	for (size_t i = 0; i < nm; i++) {
		if (dex->methods[ms[i]].name_idx != (uint32_t)s)
			continue;
		size_t nc;
		const uint32_t *cs = ap_dex_calls_to(dex, ms[i], &nc);
		for (size_t j = 0; j < nc; j++) {
			if (fn)
				fn(&calls[cs[j]], ctx);
			total++;
		}
	}
	return total;
}
