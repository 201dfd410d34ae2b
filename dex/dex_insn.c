/* The Dalvik instruction decoder: operands of every format, and the payload pseudo-instructions
 * (packed-switch, sparse-switch, fill-array-data data) measured so a linear sweep skips them the
 * way dexdump and ART do, instead of decoding table data as code. */
#include "dex_internal.h"

#include <string.h>

/* Width of the payload at insns[pc] in code units (0 when it is not a payload or runs past n). */
static uint64_t payload_width(const uint16_t *u, uint32_t n, uint32_t pc, uint16_t ident)
{
	if (n - pc < 4 && ident != 0x0200)
		return 0;
	if (n - pc < 2)
		return 0;
	uint64_t size = u[pc + 1];
	switch (ident) {
	case 0x0100: return 4 + size * 2;
	case 0x0200: return 2 + size * 4;
	case 0x0300: {
		uint64_t elem = u[pc + 1];
		uint64_t count = u[pc + 2] | ((uint64_t)u[pc + 3] << 16);
		return 4 + (elem * count + 1) / 2;
	}
	}
	return 0;
}

static uint32_t nib(uint16_t u, int k)
{
	return (u >> (4 * k)) & 0xf;
}

uint32_t ap_dex_insn_decode(const uint16_t *u, uint32_t n, uint32_t pc, struct ap_dex_insn *d)
{
	memset(d, 0, sizeof(*d));
	d->index = d->index2 = AP_DEX_NO_INDEX;
	if (pc >= n)
		return 0;
	uint16_t w0 = u[pc];
	uint8_t op = (uint8_t)(w0 & 0xff);
	const struct ap_dex_opinfo *oi = ap_dex_opinfo(op);
	d->opcode = op;
	d->fmt = oi->fmt;
	d->width = oi->width;
	if (op == 0 && (w0 == 0x0100 || w0 == 0x0200 || w0 == 0x0300)) {
		uint64_t pw = payload_width(u, n, pc, w0);
		if (pw == 0 || pw > n - pc)
			return 0;
		d->fmt = AP_FMT_PAYLOAD;
		d->payload = w0;
		d->width = (uint32_t)pw;
		return d->width;
	}
	if (d->width > n - pc)
		return 0;
	uint32_t aa = w0 >> 8;
	uint16_t w1 = d->width > 1 ? u[pc + 1] : 0, w2 = d->width > 2 ? u[pc + 2] : 0;
	switch (oi->fmt) {
	case AP_FMT_10x: break;
	case AP_FMT_12x: d->a = nib(w0, 2); d->b = nib(w0, 3); break;
	case AP_FMT_11n: d->a = nib(w0, 2); d->literal = (int64_t)((int32_t)(nib(w0, 3) << 28) >> 28); break;
	case AP_FMT_11x: d->a = aa; break;
	case AP_FMT_10t: d->branch = (int8_t)aa; break;
	case AP_FMT_20t: d->branch = (int16_t)w1; break;
	case AP_FMT_22x: d->a = aa; d->b = w1; break;
	case AP_FMT_21t: d->a = aa; d->branch = (int16_t)w1; break;
	case AP_FMT_21s: d->a = aa; d->literal = (int16_t)w1; break;
	case AP_FMT_21h:
		d->a = aa;
		d->literal = op == 0x15 ? (int64_t)(int32_t)((uint32_t)w1 << 16)
					: (int64_t)((uint64_t)w1 << 48);
		break;
	case AP_FMT_21c: d->a = aa; d->index = w1; break;
	case AP_FMT_23x: d->a = aa; d->b = w1 & 0xff; d->c = w1 >> 8; break;
	case AP_FMT_22b: d->a = aa; d->b = w1 & 0xff; d->literal = (int8_t)(w1 >> 8); break;
	case AP_FMT_22t: d->a = nib(w0, 2); d->b = nib(w0, 3); d->branch = (int16_t)w1; break;
	case AP_FMT_22s: d->a = nib(w0, 2); d->b = nib(w0, 3); d->literal = (int16_t)w1; break;
	case AP_FMT_22c: d->a = nib(w0, 2); d->b = nib(w0, 3); d->index = w1; break;
	case AP_FMT_30t: d->branch = (int32_t)(w1 | ((uint32_t)w2 << 16)); break;
	case AP_FMT_32x: d->a = w1; d->b = w2; break;
	case AP_FMT_31i: d->a = aa; d->literal = (int32_t)(w1 | ((uint32_t)w2 << 16)); break;
	case AP_FMT_31t: d->a = aa; d->branch = (int32_t)(w1 | ((uint32_t)w2 << 16)); break;
	case AP_FMT_31c: d->a = aa; d->index = w1 | ((uint32_t)w2 << 16); break;
	case AP_FMT_35c:
	case AP_FMT_45cc: {
		/* A|G|op BBBB F|E|D|C [HHHH] */
		d->n_args = nib(w0, 3);
		d->index = w1;
		uint32_t regs[5] = {nib(w2, 0), nib(w2, 1), nib(w2, 2), nib(w2, 3), nib(w0, 2)};
		for (uint32_t i = 0; i < 5; i++)
			d->args[i] = regs[i];
		if (oi->fmt == AP_FMT_45cc)
			d->index2 = u[pc + 3];
		break;
	}
	case AP_FMT_3rc:
	case AP_FMT_4rcc:
		d->n_args = aa;
		d->index = w1;
		d->c = w2;
		if (oi->fmt == AP_FMT_4rcc)
			d->index2 = u[pc + 3];
		break;
	case AP_FMT_51l: {
		uint64_t v = w1 | ((uint64_t)w2 << 16) | ((uint64_t)u[pc + 3] << 32) |
			     ((uint64_t)u[pc + 4] << 48);
		d->a = aa;
		d->literal = (int64_t)v;
		break;
	}
	default: break;
	}
	return d->width;
}

uint32_t ap_dex_method_insn(const struct ap_dex *dex, const struct ap_dex_method *m, uint32_t pc,
			    struct ap_dex_insn *out)
{
	memset(out, 0, sizeof(*out));
	if (!m->has_code || pc >= m->insns_size ||
	    !ap_range_ok(dex->len, m->insns_off, (uint64_t)m->insns_size * 2))
		return 0;
	/* copy the few units this instruction can span (5, or a payload header of 4) */
	uint16_t u[5] = {0};
	uint32_t k = m->insns_size - pc < 5 ? m->insns_size - pc : 5;
	const uint8_t *p = dex->buf + m->insns_off;
	for (uint32_t i = 0; i < k; i++)
		u[i] = dex_unit(p, pc + i);
	uint32_t w = ap_dex_insn_decode(u, k, 0, out);
	/* a payload longer than the 5-unit window: measure it against the whole method */
	if (w == 0 && k == 5 && u[0] <= 0x0300 && (u[0] & 0xff) == 0 && u[0]) {
		uint64_t pw = payload_width(u, k, 0, u[0]);
		if (pw && pw <= (uint64_t)m->insns_size - pc) {
			out->fmt = AP_FMT_PAYLOAD;
			out->payload = u[0];
			out->width = (uint32_t)pw;
			return out->width;
		}
	}
	return w;
}
