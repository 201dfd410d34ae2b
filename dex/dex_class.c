/* dex: class_def_item and class_data_item (encoded fields and methods). A class_data shared by
 * several class_defs is legal and read once per class; the total is bounded by the arena cap. */
#include "dex_internal.h"

#include <string.h>

/* Reads the four counts of a class_data_item; false when unreadable. */
static bool class_data_counts(struct ap_dex *dex, uint32_t off, uint32_t n[4], struct ap_cur *c)
{
	*c = ap_cur_make(dex->buf, dex->len);
	ap_cur_seek(c, off);
	for (int i = 0; i < 4; i++)
		n[i] = ap_cur_uleb128(c);
	if (!c->ok)
		return false;
	/* each encoded field takes at least 2 bytes and each method 3: the file must hold them */
	uint64_t need = 2ull * n[0] + 2ull * n[1] + 3ull * n[2] + 3ull * n[3];
	return need <= ap_cur_avail(c);
}

static void read_class_data(struct ap_dex *dex, uint32_t ci, struct ap_dex_class *k,
			    uint32_t *mdef_next)
{
	uint32_t n[4];
	struct ap_cur c;
	k->methods_first = *mdef_next;
	if (!k->class_data_off)
		return;
	if (!class_data_counts(dex, k->class_data_off, n, &c)) {
		dex_anom(dex, k->class_data_off, AP_ERR_TRUNCATED,
			 "class_data of class_defs[%u] unreadable or its counts exceed the file", ci);
		return;
	}
	struct ap_dex_field *f = dex_alloc(dex, (size_t)n[0] + n[1] + 1, sizeof(*f));
	if (!f)
		return;
	k->fields = f;
	uint32_t bad = 0;
	for (int list = 0; list < 2; list++) {
		uint32_t idx = 0;
		for (uint32_t i = 0; i < n[list]; i++) {
			idx += ap_cur_uleb128(&c);
			uint32_t acc = ap_cur_uleb128(&c);
			if (!c.ok)
				break;
			if (idx >= dex->cnt.fields)
				bad++;
			f->field_idx = idx;
			f->access = acc;
			f->is_static = list == 0;
			f++;
			if (list == 0)
				k->n_static_fields++;
			else
				k->n_instance_fields++;
		}
	}
	for (int list = 0; list < 2; list++) {
		uint32_t idx = 0;
		for (uint32_t i = 0; i < n[2 + list] && c.ok; i++) {
			size_t at = c.off;
			idx += ap_cur_uleb128(&c);
			uint32_t acc = ap_cur_uleb128(&c);
			uint32_t code = ap_cur_uleb128(&c);
			if (!c.ok) {
				dex_anom(dex, at, AP_ERR_TRUNCATED, "encoded_method runs past end of file");
				break;
			}
			if (*mdef_next >= dex->cnt.method_defs)
				return; /* cannot happen: counted by the same reader */
			struct ap_dex_method *m = &dex->mdefs[(*mdef_next)++];
			m->method_idx = idx;
			m->access = acc;
			m->code_off = code;
			m->class_def = ci;
			m->direct = list == 0;
			if (idx >= dex->cnt.methods)
				bad++;
			if (list == 0)
				k->n_direct++;
			else
				k->n_virtual++;
			dex_read_code(dex, m);
		}
	}
	if (!c.ok)
		dex_anom(dex, k->class_data_off, AP_ERR_TRUNCATED,
			 "class_data of class_defs[%u] truncated", ci);
	if (bad)
		dex_anom(dex, k->class_data_off, AP_ERR_RANGE,
			 "class_data of class_defs[%u]: %u field/method indices out of range", ci, bad);
}

void dex_read_classes(struct ap_dex *dex)
{
	const struct ap_dex_header *h = &dex->hdr;
	uint32_t n = dex_table_fit(dex, "class_defs", h->class_defs_off, h->class_defs_size, 32);
	if (n > AP_MAX_DEX_CLASSES) {
		dex_anom(dex, h->class_defs_off, AP_ERR_LIMIT, "%u class_defs, more than the cap %u", n,
			 AP_MAX_DEX_CLASSES);
		n = AP_MAX_DEX_CLASSES;
	}
	dex->classes = dex_alloc(dex, n ? n : 1, sizeof(*dex->classes));
	dex->class_of_type = dex_alloc(dex, dex->cnt.types ? dex->cnt.types : 1, sizeof(int32_t));
	if (!dex->classes || !dex->class_of_type)
		return;
	memset(dex->class_of_type, 0xff, (size_t)dex->cnt.types * sizeof(int32_t));
	struct ap_cur c = ap_cur_sub(dex->buf, dex->len, h->class_defs_off, (size_t)n * 32);
	uint64_t n_mdefs = 0;
	uint32_t dup = 0, bad = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct ap_dex_class *k = &dex->classes[i];
		k->class_idx = ap_cur_u32le(&c);
		k->access = ap_cur_u32le(&c);
		k->superclass_idx = ap_cur_u32le(&c);
		uint32_t ifaces = ap_cur_u32le(&c);
		k->source_file_idx = ap_cur_u32le(&c);
		k->annotations_off = ap_cur_u32le(&c);
		k->class_data_off = ap_cur_u32le(&c);
		k->static_values_off = ap_cur_u32le(&c);
		k->interfaces = dex_type_list(dex, ifaces, &k->n_interfaces);
		if (k->class_idx < dex->cnt.types) {
			if (dex->class_of_type[k->class_idx] < 0)
				dex->class_of_type[k->class_idx] = (int32_t)i;
			else {
				k->duplicate = true;
				if (!dup++)
					dex_anom(dex, h->class_defs_off + (uint64_t)i * 32, AP_ERR_TAMPER,
						 "class_defs[%u] redefines %s; the first definition wins", i,
						 ap_dex_type(dex, k->class_idx) ? ap_dex_type(dex, k->class_idx) : "?");
			}
		} else if (!bad++) {
			dex_anom(dex, h->class_defs_off + (uint64_t)i * 32, AP_ERR_RANGE,
				 "class_defs[%u] names type %u of %u", i, k->class_idx, dex->cnt.types);
		}
		uint32_t cnt[4];
		struct ap_cur cc;
		if (k->class_data_off && class_data_counts(dex, k->class_data_off, cnt, &cc))
			n_mdefs += (uint64_t)cnt[2] + cnt[3];
	}
	dex->cnt.class_defs = n;
	if (n_mdefs > UINT32_MAX / 2)
		n_mdefs = UINT32_MAX / 2;
	dex->mdefs = dex_alloc(dex, n_mdefs ? (size_t)n_mdefs : 1, sizeof(*dex->mdefs));
	if (!dex->mdefs)
		return;
	dex->cnt.method_defs = (uint32_t)n_mdefs;
	uint32_t next = 0;
	for (uint32_t i = 0; i < n; i++)
		read_class_data(dex, i, &dex->classes[i], &next);
	dex->cnt.method_defs = next;
}

uint32_t ap_dex_class_count(const struct ap_dex *dex)
{
	return dex->classes ? dex->cnt.class_defs : 0;
}

const struct ap_dex_class *ap_dex_class_def(const struct ap_dex *dex, uint32_t class_def_idx)
{
	return dex->classes && class_def_idx < dex->cnt.class_defs ? &dex->classes[class_def_idx]
								    : NULL;
}

uint32_t ap_dex_method_def_count(const struct ap_dex *dex)
{
	return dex->mdefs ? dex->cnt.method_defs : 0;
}

const struct ap_dex_method *ap_dex_method_def(const struct ap_dex *dex, uint32_t i)
{
	return dex->mdefs && i < dex->cnt.method_defs ? &dex->mdefs[i] : NULL;
}

const struct ap_dex_class *ap_dex_class_by_type(const struct ap_dex *dex, uint32_t type_idx)
{
	if (!dex->class_of_type || type_idx >= dex->cnt.types || dex->class_of_type[type_idx] < 0)
		return NULL;
	return &dex->classes[dex->class_of_type[type_idx]];
}

const struct ap_dex_class *ap_dex_class_by_descriptor(const struct ap_dex *dex, const char *desc)
{
	int64_t t = ap_dex_find_type(dex, desc);
	return t < 0 ? NULL : ap_dex_class_by_type(dex, (uint32_t)t);
}

const struct ap_dex_method *ap_dex_method_by_idx(const struct ap_dex *dex, uint32_t method_idx)
{
	const int32_t *t = method_idx < dex->cnt.methods ? dex_mdef_of_method(dex) : NULL;
	if (!t || t[method_idx] < 0)
		return NULL;
	return &dex->mdefs[t[method_idx]];
}

int ap_dex_multi_find_class(struct ap_dex *const *dexes, size_t n, const char *descriptor,
			    const struct ap_dex_class **cls)
{
	*cls = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!dexes[i])
			continue;
		const struct ap_dex_class *k = ap_dex_class_by_descriptor(dexes[i], descriptor);
		if (k) {
			*cls = k;
			return (int)i;
		}
	}
	return -1;
}
