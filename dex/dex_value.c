/* dex: encoded_value and encoded_array (static field initial values, call site items), and
 * method_handle_item. Nested arrays and annotations are skipped with a depth bound. Annotation
 * directories are not decoded (not needed by the analysis yet). */
#include "dex_internal.h"

static bool skip_value(const struct ap_dex *dex, struct ap_cur *c, int depth)
{
	struct ap_dex_value v;
	return dex_read_value(dex, c, &v, depth);
}

static bool skip_array(const struct ap_dex *dex, struct ap_cur *c, int depth)
{
	uint32_t n = ap_cur_uleb128(c);
	if (!c->ok || n > ap_cur_avail(c)) /* each value is at least one byte */
		return false;
	for (uint32_t i = 0; i < n && c->ok; i++)
		if (!skip_value(dex, c, depth + 1))
			return false;
	return c->ok;
}

static bool skip_annotation(const struct ap_dex *dex, struct ap_cur *c, int depth)
{
	ap_cur_uleb128(c); /* type_idx */
	uint32_t n = ap_cur_uleb128(c);
	if (!c->ok || n > ap_cur_avail(c) / 2)
		return false;
	for (uint32_t i = 0; i < n && c->ok; i++) {
		ap_cur_uleb128(c); /* name_idx */
		if (!skip_value(dex, c, depth + 1))
			return false;
	}
	return c->ok;
}

bool dex_read_value(const struct ap_dex *dex, struct ap_cur *c, struct ap_dex_value *v, int depth)
{
	v->off = (uint32_t)c->off;
	v->u = 0;
	uint8_t hdr = ap_cur_u8(c);
	if (!c->ok)
		return false;
	if (depth > (int)AP_MAX_DEX_VALUE_DEPTH) {
		c->ok = false;
		return false;
	}
	uint8_t type = hdr & 0x1f, arg = hdr >> 5;
	v->type = type;
	switch (type) {
	case AP_DEXV_NULL:
		return true;
	case AP_DEXV_BOOLEAN:
		v->u = arg & 1;
		return true;
	case AP_DEXV_ARRAY:
		return skip_array(dex, c, depth);
	case AP_DEXV_ANNOTATION:
		return skip_annotation(dex, c, depth);
	case AP_DEXV_BYTE: case AP_DEXV_SHORT: case AP_DEXV_CHAR: case AP_DEXV_INT:
	case AP_DEXV_LONG: case AP_DEXV_FLOAT: case AP_DEXV_DOUBLE: case AP_DEXV_METHOD_TYPE:
	case AP_DEXV_METHOD_HANDLE: case AP_DEXV_STRING: case AP_DEXV_TYPE: case AP_DEXV_FIELD:
	case AP_DEXV_METHOD: case AP_DEXV_ENUM:
		break;
	default:
		c->ok = false;
		return false;
	}
	unsigned size = arg + 1u;
	const uint8_t *p = ap_cur_bytes(c, size);
	if (!p)
		return false;
	uint64_t x = 0;
	for (unsigned i = 0; i < size; i++)
		x |= (uint64_t)p[i] << (8 * i);
	if (type == AP_DEXV_FLOAT || type == AP_DEXV_DOUBLE) {
		/* zero-extended to the right: the bytes are the high ones */
		unsigned bits = type == AP_DEXV_FLOAT ? 32 : 64;
		if (size * 8 <= bits)
			x <<= bits - size * 8;
	} else if ((type == AP_DEXV_BYTE || type == AP_DEXV_SHORT || type == AP_DEXV_INT ||
		    type == AP_DEXV_LONG) && size < 8 && (x >> (size * 8 - 1)) & 1) {
		x |= ~(uint64_t)0 << (size * 8);
	}
	v->u = x;
	return true;
}

size_t ap_dex_static_values(const struct ap_dex *dex, uint32_t class_def_idx,
			    struct ap_dex_value *out, size_t max)
{
	const struct ap_dex_class *k = ap_dex_class_def(dex, class_def_idx);
	if (!k || !k->static_values_off)
		return 0;
	struct ap_cur c = ap_cur_make(dex->buf, dex->len);
	ap_cur_seek(&c, k->static_values_off);
	uint32_t n = ap_cur_uleb128(&c);
	if (!c.ok || n > ap_cur_avail(&c))
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		struct ap_dex_value v;
		if (!dex_read_value(dex, &c, &v, 0))
			return i;
		if (i < max)
			out[i] = v;
	}
	return n;
}

/* dex: call_site_item -> its first element, the bootstrap method handle -> for an invoke kind
 * (static, instance, constructor, direct, interface: types 4..8), the method_idx. */
uint32_t dex_call_site_bootstrap(const struct ap_dex *dex, uint32_t call_site_idx)
{
	if (call_site_idx >= dex->cnt.call_site_ids)
		return AP_DEX_NO_INDEX;
	bool ok = true;
	uint32_t off = ap_rd_u32le(dex->buf, dex->len, dex->call_site_ids_off + (size_t)call_site_idx * 4, &ok);
	if (!ok)
		return AP_DEX_NO_INDEX;
	struct ap_cur c = ap_cur_make(dex->buf, dex->len);
	ap_cur_seek(&c, off);
	uint32_t n = ap_cur_uleb128(&c);
	struct ap_dex_value v;
	if (!c.ok || n < 1 || !dex_read_value(dex, &c, &v, 0) ||
	    v.type != AP_DEXV_METHOD_HANDLE || v.u >= dex->cnt.method_handles)
		return AP_DEX_NO_INDEX;
	size_t mh = dex->method_handles_off + (size_t)v.u * 8;
	uint16_t kind = ap_rd_u16le(dex->buf, dex->len, mh, &ok);
	uint16_t id = ap_rd_u16le(dex->buf, dex->len, mh + 4, &ok);
	if (!ok || kind < 4 || kind > 8)
		return AP_DEX_NO_INDEX;
	return id;
}
