/* dex: code_item (registers, ins, outs, tries, insns) and its try_item/encoded_catch_handler
 * list, checked but not kept: the analysis needs the instructions; handlers are validated so a
 * handler offset out of range or a truncated list becomes an anomaly. */
#include "dex_internal.h"

/* Takes units (16-bit code units, or bytes / 2 of other code_item parts) from the budget of
 * what one DEX may make us read: code items shared by many methods (hostile files point every
 * method at one) are otherwise read again for each. False, with one anomaly, once it is
 * spent. */
static bool spend(struct ap_dex *dex, uint64_t units, size_t at)
{
	if (units > dex->units_budget) {
		if (!dex->budget_spent)
			dex_anom(dex, at, AP_ERR_LIMIT,
				 "decoded more code units than the file holds %ux over (shared code "
				 "items?); the rest is not decoded", AP_MAX_DEX_DECODE_FACTOR);
		dex->budget_spent = true;
		dex->status = AP_ERR_LIMIT;
		dex->units_budget = 0;
		return false;
	}
	dex->units_budget -= units;
	return true;
}

/* dex: encoded_catch_handler_list. Checks each try's handler_off lands on a handler and each
 * handler address is inside the method. Returns the bytes it read. */
static size_t check_tries(struct ap_dex *dex, struct ap_dex_method *m, size_t tries_off)
{
	size_t list_off = tries_off + (size_t)m->tries * 8;
	struct ap_cur lc = ap_cur_make(dex->buf, dex->len);
	ap_cur_seek(&lc, list_off);
	uint32_t n_handlers = ap_cur_uleb128(&lc);
	if (!lc.ok || n_handlers > ap_cur_avail(&lc)) {
		dex_anom(dex, list_off, AP_ERR_TRUNCATED, "catch handler list of method %u unreadable",
			 m->method_idx);
		return (size_t)m->tries * 8;
	}
	size_t list_len = 0;
	uint32_t bad_addr = 0;
	for (uint32_t i = 0; i < n_handlers && lc.ok; i++) {
		int32_t size = ap_cur_sleb128(&lc);
		uint32_t pairs = size < 0 ? (uint32_t)-(int64_t)size : (uint32_t)size;
		if (pairs > ap_cur_avail(&lc) / 2) {
			lc.ok = false;
			break;
		}
		for (uint32_t j = 0; j < pairs; j++) {
			ap_cur_uleb128(&lc); /* type_idx */
			if (ap_cur_uleb128(&lc) >= m->insns_size)
				bad_addr++;
		}
		if (size <= 0 && ap_cur_uleb128(&lc) >= m->insns_size)
			bad_addr++;
	}
	if (!lc.ok)
		dex_anom(dex, list_off, AP_ERR_TRUNCATED,
			 "catch handler list of method %u truncated", m->method_idx);
	list_len = lc.off - list_off;
	if (bad_addr)
		dex_anom(dex, list_off, AP_ERR_RANGE,
			 "method %u: %u catch handler addresses outside the method", m->method_idx,
			 bad_addr);
	struct ap_cur tc = ap_cur_make(dex->buf, dex->len);
	ap_cur_seek(&tc, tries_off);
	uint32_t bad_try = 0;
	for (uint32_t i = 0; i < m->tries; i++) {
		uint32_t start = ap_cur_u32le(&tc);
		uint32_t count = ap_cur_u16le(&tc);
		uint32_t hoff = ap_cur_u16le(&tc);
		if ((uint64_t)start + count > m->insns_size || hoff >= list_len || hoff == 0)
			bad_try++;
	}
	if (bad_try)
		dex_anom(dex, tries_off, AP_ERR_RANGE,
			 "method %u: %u try items with a range or handler offset out of bounds",
			 m->method_idx, bad_try);
	return (size_t)m->tries * 8 + list_len;
}

void dex_read_code(struct ap_dex *dex, struct ap_dex_method *m)
{
	if (!m->code_off)
		return;
	struct ap_cur c = ap_cur_make(dex->buf, dex->len);
	ap_cur_seek(&c, m->code_off);
	m->registers = ap_cur_u16le(&c);
	m->ins = ap_cur_u16le(&c);
	m->outs = ap_cur_u16le(&c);
	m->tries = ap_cur_u16le(&c);
	ap_cur_u32le(&c); /* debug_info_off */
	uint32_t units = ap_cur_u32le(&c);
	if (!c.ok) {
		dex_anom(dex, m->code_off, AP_ERR_TRUNCATED, "code_item of method %u beyond end of file",
			 m->method_idx);
		return;
	}
	if (m->code_off & 3)
		dex_anom(dex, m->code_off, AP_ERR_FORMAT, "code_item of method %u not 4-byte aligned",
			 m->method_idx);
	size_t insns_off = c.off;
	if (units > AP_MAX_CODE_UNITS) {
		dex_anom(dex, m->code_off, AP_ERR_LIMIT,
			 "method %u: insns_size %u above the cap %u; code not decoded", m->method_idx,
			 units, AP_MAX_CODE_UNITS);
		return;
	}
	if ((uint64_t)units * 2 > ap_cur_avail(&c)) {
		dex_anom(dex, m->code_off, AP_ERR_TRUNCATED,
			 "method %u: insns_size %u runs past end of file; decoding what is there",
			 m->method_idx, units);
		units = (uint32_t)(ap_cur_avail(&c) / 2);
	}
	if (!spend(dex, units, m->code_off))
		return;
	m->insns_size = units;
	m->insns_off = (uint32_t)insns_off;
	m->has_code = true;
	dex->cnt.code_items++;
	dex->cnt.code_units += units;
	if (m->tries) {
		size_t tries_off = insns_off + (size_t)units * 2;
		if (units & 1)
			tries_off += 2;
		if (!ap_range_ok(dex->len, tries_off, (uint64_t)m->tries * 8))
			dex_anom(dex, tries_off, AP_ERR_TRUNCATED, "method %u: %u try items past end of file",
				 m->method_idx, m->tries);
		else if (dex->units_budget) /* the handler list counts against the budget too */
			(void)spend(dex, (check_tries(dex, m, tries_off) + 1) / 2, tries_off);
	}
	dex_index_method(dex, m, dex->buf + insns_off);
}
