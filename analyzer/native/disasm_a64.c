/* AArch64: one instruction step of the constant tracker (disasm.c runs the sweep). */
#include "disasm_int.h"

#include "ap_limits.h"

#include <string.h>

void dis_step_a64(struct sweep *s, const cs_insn *in)
{
	const cs_arm64 *a = &in->detail->arm64;
	const cs_arm64_op *o = a->operands;
	uint64_t at = in->address;
	switch (in->id) {
	case ARM64_INS_ADRP:
	case ARM64_INS_ADR:
		if (a->op_count == 2 && o[1].type == ARM64_OP_IMM)
			dis_set(s, o[0].reg, V_CONST, (uint64_t)o[1].imm, at);
		return;
	case ARM64_INS_ADD:
	case ARM64_INS_SUB:
		if (a->op_count == 3 && o[1].type == ARM64_OP_REG && o[2].type == ARM64_OP_IMM) {
			struct val *src = dis_reg(s, o[1].reg);
			if (src && src->k == V_CONST) {
				uint64_t imm = (uint64_t)o[2].imm;
				if (o[2].shift.type == ARM64_SFT_LSL)
					imm <<= o[2].shift.value;
				struct val v = *src;
				v.v = in->id == ARM64_INS_ADD ? v.v + imm : v.v - imm;
				dis_set(s, o[0].reg, V_CONST, v.v, v.origin);
				return;
			}
		}
		break;
	case ARM64_INS_MOV:
		if (a->op_count == 2 && o[1].type == ARM64_OP_REG) {
			struct val *src = dis_reg(s, o[1].reg);
			struct val v = src ? *src : dis_unk();
			if (o[1].reg == ARM64_REG_XZR || o[1].reg == ARM64_REG_WZR)
				v = dis_mkv(V_CONST, 0, at);
			dis_set_val(s, o[0].reg, v);
			return;
		}
		/* fall through */
	case ARM64_INS_MOVZ:
		if (a->op_count == 2 && o[1].type == ARM64_OP_IMM) {
			uint64_t imm = (uint64_t)o[1].imm;
			if (o[1].shift.type == ARM64_SFT_LSL)
				imm <<= o[1].shift.value;
			dis_set(s, o[0].reg, V_CONST, imm, at);
			return;
		}
		break;
	case ARM64_INS_MOVK:
		if (a->op_count == 2 && o[1].type == ARM64_OP_IMM) {
			struct val *d = dis_reg(s, o[0].reg);
			if (d && d->k == V_CONST) {
				unsigned sh = o[1].shift.type == ARM64_SFT_LSL ? o[1].shift.value : 0;
				if (sh < 64) {
					d->v = (d->v & ~((uint64_t)0xffff << sh)) |
					       (((uint64_t)o[1].imm & 0xffff) << sh);
					return;
				}
			}
		}
		break;
	case ARM64_INS_LDR:
		if (a->op_count == 2 && o[1].type == ARM64_OP_MEM && !a->writeback) {
			unsigned b = o[1].mem.base;
			struct val v = dis_load_from(s, dis_reg(s, b), b == ARM64_REG_SP,
						 o[1].mem.disp, o[1].mem.index != ARM64_REG_INVALID);
			dis_set_val(s, o[0].reg, v);
			return;
		}
		break;
	case ARM64_INS_BL:
		if (a->op_count == 1 && o[0].type == ARM64_OP_IMM)
			dis_direct(s, (uint64_t)o[0].imm, at);
		dis_after_call(s);
		return;
	case ARM64_INS_B:
		if (a->cc == ARM64_CC_INVALID || a->cc == ARM64_CC_AL) {
			if (a->op_count == 1 && o[0].type == ARM64_OP_IMM)
				dis_direct(s, (uint64_t)o[0].imm, at); /* tail call */
		}
		return;
	case ARM64_INS_BLR:
	case ARM64_INS_BR:
		if (a->op_count == 1 && o[0].type == ARM64_OP_REG) {
			struct val *v = dis_reg(s, o[0].reg);
			if (v)
				dis_indirect(s, *v, at, in->id == ARM64_INS_BLR);
		}
		if (in->id == ARM64_INS_BLR)
			dis_after_call(s);
		else
			dis_reset(&s->st);
		return;
	case ARM64_INS_RET:
		dis_reset(&s->st);
		return;
	default:
		break;
	}
	dis_clobber_generic(s, in);
}

bool dis_a64_may_report(struct sweep *s, uint64_t start, uint64_t end)
{
	const struct elf *e = s->e;
	uint64_t off;
	if (end <= start || !elf_va_to_off(e, start, end - start, &off))
		return true; /* let the sweep decide (it skips unmapped ranges itself) */
	const uint8_t *p = e->buf + off;
	size_t n = (size_t)((end - start) / 4);
	for (size_t i = 0; i < n; i++, p += 4) {
		uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			     (uint32_t)p[3] << 24;
		if ((w & 0x7c000000u) == 0x14000000u) { /* B, BL: imm26 */
			int64_t imm = (int64_t)((uint64_t)(w & 0x03ffffffu) << 38) >> 36;
			uint64_t target = start + 4 * (uint64_t)i + (uint64_t)imm;
			if (dis_branch_may_report(e, target))
				return true;
		} else if ((w & 0xfe000000u) == 0xd6000000u) {
			/* unconditional branch (register): BR, BLR and their pointer-auth forms;
			 * RET, ERET and DRPS cannot reach a report */
			unsigned opc = (w >> 21) & 0xf;
			if (opc != 2 && opc != 4 && opc != 5)
				return true;
		}
	}
	return false;
}
