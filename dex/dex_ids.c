/* dex: type_ids, proto_ids (+ type_list), field_ids, method_ids: every index read from the file
 * goes through an accessor that returns NULL when out of range; smali-style formatting. */
#include "dex_internal.h"

#include "ap_buf.h"

#include <string.h>

static void read_types(struct ap_dex *dex)
{
	const struct ap_dex_header *h = &dex->hdr;
	uint32_t n = dex_table_fit(dex, "type_ids", h->type_ids_off, h->type_ids_size, 4);
	dex->types = dex_alloc(dex, n ? n : 1, sizeof(uint32_t));
	if (!dex->types)
		return;
	struct ap_cur c = ap_cur_sub(dex->buf, dex->len, h->type_ids_off, (size_t)n * 4);
	uint32_t bad = 0;
	dex->types_sorted = true;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = ap_cur_u32le(&c);
		if (s >= dex->cnt.strings && !bad++)
			dex_anom(dex, h->type_ids_off + (uint64_t)i * 4, AP_ERR_RANGE,
				 "type_ids[%u] names string %u of %u", i, s, dex->cnt.strings);
		if (i && s <= dex->types[i - 1])
			dex->types_sorted = false;
		dex->types[i] = s;
	}
	dex->cnt.types = n;
}

/* dex: type_list, into an arena array of type indices */
static const uint32_t *read_type_list(struct ap_dex *dex, uint32_t off, uint32_t *count)
{
	*count = 0;
	if (off == 0)
		return NULL;
	struct ap_cur c = ap_cur_make(dex->buf, dex->len);
	ap_cur_seek(&c, off);
	uint32_t n = ap_cur_u32le(&c);
	if (!c.ok || n > ap_cur_avail(&c) / 2) {
		dex_anom(dex, off, AP_ERR_TRUNCATED, "type_list of %u entries runs past end of file", n);
		return NULL;
	}
	uint32_t *out = dex_alloc(dex, n ? n : 1, sizeof(uint32_t));
	if (!out)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		out[i] = ap_cur_u16le(&c);
	*count = n;
	return out;
}

const uint32_t *dex_type_list(struct ap_dex *dex, uint32_t off, uint32_t *count)
{
	return read_type_list(dex, off, count);
}

static void read_protos(struct ap_dex *dex)
{
	const struct ap_dex_header *h = &dex->hdr;
	uint32_t n = dex_table_fit(dex, "proto_ids", h->proto_ids_off, h->proto_ids_size, 12);
	dex->protos = dex_alloc(dex, n ? n : 1, sizeof(*dex->protos));
	if (!dex->protos)
		return;
	struct ap_cur c = ap_cur_sub(dex->buf, dex->len, h->proto_ids_off, (size_t)n * 12);
	/* protos are usually few and type_lists shared: remember the last offset to share arrays */
	uint32_t last_off = 0, last_n = 0;
	const uint32_t *last = NULL;
	for (uint32_t i = 0; i < n; i++) {
		struct ap_dex_proto *p = &dex->protos[i];
		p->shorty_idx = ap_cur_u32le(&c);
		p->return_type_idx = ap_cur_u32le(&c);
		uint32_t off = ap_cur_u32le(&c);
		if (off && off == last_off) {
			p->params = last;
			p->n_params = last_n;
		} else {
			p->params = read_type_list(dex, off, &p->n_params);
			last_off = off;
			last = p->params;
			last_n = p->n_params;
		}
	}
	dex->cnt.protos = n;
}

static void read_fields(struct ap_dex *dex)
{
	const struct ap_dex_header *h = &dex->hdr;
	uint32_t n = dex_table_fit(dex, "field_ids", h->field_ids_off, h->field_ids_size, 8);
	dex->fields = dex_alloc(dex, n ? n : 1, sizeof(*dex->fields));
	if (!dex->fields)
		return;
	struct ap_cur c = ap_cur_sub(dex->buf, dex->len, h->field_ids_off, (size_t)n * 8);
	for (uint32_t i = 0; i < n; i++) {
		dex->fields[i].class_idx = ap_cur_u16le(&c);
		dex->fields[i].type_idx = ap_cur_u16le(&c);
		dex->fields[i].name_idx = ap_cur_u32le(&c);
	}
	dex->cnt.fields = n;
}

static void read_methods(struct ap_dex *dex)
{
	const struct ap_dex_header *h = &dex->hdr;
	uint32_t n = dex_table_fit(dex, "method_ids", h->method_ids_off, h->method_ids_size, 8);
	dex->methods = dex_alloc(dex, n ? n : 1, sizeof(*dex->methods));
	if (!dex->methods)
		return;
	struct ap_cur c = ap_cur_sub(dex->buf, dex->len, h->method_ids_off, (size_t)n * 8);
	for (uint32_t i = 0; i < n; i++) {
		dex->methods[i].class_idx = ap_cur_u16le(&c);
		dex->methods[i].proto_idx = ap_cur_u16le(&c);
		dex->methods[i].name_idx = ap_cur_u32le(&c);
	}
	dex->cnt.methods = n;
}

void dex_read_ids(struct ap_dex *dex)
{
	read_types(dex);
	read_protos(dex);
	read_fields(dex);
	read_methods(dex);
}

const char *ap_dex_type(const struct ap_dex *dex, uint32_t type_idx)
{
	if (!dex->types || type_idx >= dex->cnt.types)
		return NULL;
	return ap_dex_string(dex, dex->types[type_idx]);
}

int64_t ap_dex_find_type(const struct ap_dex *dex, const char *descriptor)
{
	int64_t s = ap_dex_find_string(dex, descriptor);
	if (s < 0 || !dex->types)
		return -1;
	uint32_t n = dex->cnt.types;
	if (dex->types_sorted) {
		uint32_t lo = 0, hi = n;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (dex->types[mid] == (uint32_t)s)
				return mid;
			if (dex->types[mid] < (uint32_t)s)
				lo = mid + 1;
			else
				hi = mid;
		}
		return -1;
	}
	for (uint32_t i = 0; i < n; i++)
		if (dex->types[i] == (uint32_t)s)
			return i;
	return -1;
}

const struct ap_dex_proto *ap_dex_proto(const struct ap_dex *dex, uint32_t proto_idx)
{
	return dex->protos && proto_idx < dex->cnt.protos ? &dex->protos[proto_idx] : NULL;
}

const struct ap_dex_field_id *ap_dex_field_id(const struct ap_dex *dex, uint32_t field_idx)
{
	return dex->fields && field_idx < dex->cnt.fields ? &dex->fields[field_idx] : NULL;
}

const struct ap_dex_method_id *ap_dex_method_id(const struct ap_dex *dex, uint32_t method_idx)
{
	return dex->methods && method_idx < dex->cnt.methods ? &dex->methods[method_idx] : NULL;
}

static void add_type(const struct ap_dex *dex, uint32_t t, struct ap_buf *b)
{
	const char *s = ap_dex_type(dex, t);
	if (s)
		ap_buf_add(b, s, ap_dex_string_len(dex, dex->types[t]));
	else
		ap_buf_addf(b, "<bad type %u>", t);
}

static void add_str(const struct ap_dex *dex, uint32_t i, struct ap_buf *b)
{
	const char *s = ap_dex_string(dex, i);
	if (s)
		ap_buf_add(b, s, ap_dex_string_len(dex, i));
	else
		ap_buf_addf(b, "<bad string %u>", i);
}

void ap_dex_format_proto(const struct ap_dex *dex, uint32_t proto_idx, struct ap_buf *b)
{
	const struct ap_dex_proto *p = ap_dex_proto(dex, proto_idx);
	if (!p) {
		ap_buf_addf(b, "(<bad proto %u>)", proto_idx);
		return;
	}
	ap_buf_addc(b, '(');
	for (uint32_t i = 0; i < p->n_params; i++)
		add_type(dex, p->params[i], b);
	ap_buf_addc(b, ')');
	add_type(dex, p->return_type_idx, b);
}

void ap_dex_format_method(const struct ap_dex *dex, uint32_t method_idx, struct ap_buf *b)
{
	const struct ap_dex_method_id *m = ap_dex_method_id(dex, method_idx);
	if (!m) {
		ap_buf_addf(b, "<bad method %u>", method_idx);
		return;
	}
	add_type(dex, m->class_idx, b);
	ap_buf_adds(b, "->");
	add_str(dex, m->name_idx, b);
	ap_dex_format_proto(dex, m->proto_idx, b);
}

void ap_dex_format_field(const struct ap_dex *dex, uint32_t field_idx, struct ap_buf *b)
{
	const struct ap_dex_field_id *f = ap_dex_field_id(dex, field_idx);
	if (!f) {
		ap_buf_addf(b, "<bad field %u>", field_idx);
		return;
	}
	add_type(dex, f->class_idx, b);
	ap_buf_adds(b, "->");
	add_str(dex, f->name_idx, b);
	ap_buf_addc(b, ':');
	add_type(dex, f->type_idx, b);
}

const uint32_t *ap_dex_methods_of_type(const struct ap_dex *dex, uint32_t type_idx, size_t *n)
{
	return dex_csr_row(dex_lookup(dex, DEX_LK_METHODS_BY_CLASS), type_idx, n);
}

size_t ap_dex_find_methods(const struct ap_dex *dex, const char *class_descriptor,
			   const char *name, uint32_t *out, size_t max)
{
	int64_t t = ap_dex_find_type(dex, class_descriptor);
	int64_t s = ap_dex_find_string(dex, name);
	if (t < 0 || s < 0)
		return 0;
	size_t n, found = 0;
	const uint32_t *ms = ap_dex_methods_of_type(dex, (uint32_t)t, &n);
	for (size_t i = 0; i < n; i++) {
		if (dex->methods[ms[i]].name_idx != (uint32_t)s)
			continue;
		if (found < max)
			out[found] = ms[i];
		found++;
	}
	return found;
}
