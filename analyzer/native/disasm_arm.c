/* ARM and Thumb: one instruction step of the constant tracker (disasm.c runs the sweep). */
#include "disasm_int.h"

#include "ap_limits.h"

#include <string.h>

static uint64_t arm_pc(const struct sweep *s, uint64_t at)
{
	return at + (s->thumb ? 4 : 8);
}

/* The value of an operand register as a source, with pc read as the architecture defines. */
static bool arm_src(struct sweep *s, unsigned reg, uint64_t at, struct val *out)
{
	if (reg == ARM_REG_PC) {
		*out = dis_mkv(V_CONST, arm_pc(s, at), at);
		return true;
	}
	struct val *v = dis_reg(s, reg);
	if (!v || v->k != V_CONST)
		return false;
	*out = *v;
	return true;
}

static void arm_branch_to(struct sweep *s, const cs_insn *in, bool link)
{
	const cs_arm *a = &in->detail->arm;
	const cs_arm_op *o = a->operands;
	uint64_t at = in->address;
	if (a->op_count < 1)
		return;
	if (o[0].type == ARM_OP_IMM) {
		dis_direct(s, (uint64_t)(uint32_t)o[0].imm, at);
	} else if (o[0].type == ARM_OP_REG) {
		if (o[0].reg == ARM_REG_LR && !link) {
			dis_reset(&s->st); /* bx lr: return */
			return;
		}
		struct val *v = dis_reg(s, o[0].reg);
		if (v)
			dis_indirect(s, *v, at, link);
	}
	if (link)
		dis_after_call(s);
	else if (o[0].type == ARM_OP_REG)
		dis_reset(&s->st);
}

void dis_step_arm(struct sweep *s, const cs_insn *in)
{
	const cs_arm *a = &in->detail->arm;
	const cs_arm_op *o = a->operands;
	uint64_t at = in->address;
	bool always = a->cc == ARM_CC_AL || a->cc == ARM_CC_INVALID;
	switch (in->id) {
	case ARM_INS_LDR:
		if (a->op_count == 2 && o[0].type == ARM_OP_REG && o[1].type == ARM_OP_MEM) {
			int64_t disp = o[1].mem.disp;
			if (o[1].subtracted && disp > 0)
				disp = -disp;
			bool idx = o[1].mem.index != ARM_REG_INVALID;
			struct val v = {0};
			if (o[1].mem.base == ARM_REG_PC && !idx) {
				/* literal pool: the word at Align(pc, 4) + disp */
				uint64_t lit = (arm_pc(s, at) & ~(uint64_t)3) + (uint64_t)disp;
				uint32_t w;
				if (elf_read_u32(s->e, lit, &w))
					v = dis_mkv(V_CONST, w, at);
			} else {
				unsigned b = o[1].mem.base;
				v = dis_load_from(s, dis_reg(s, b), b == ARM_REG_SP, disp, idx);
			}
			if (o[0].reg == ARM_REG_PC) { /* ldr pc, [...]: a jump (PLT stub) */
				dis_indirect(s, v, at, false);
				dis_reset(&s->st);
				return;
			}
			if (!always) {
				dis_set_unknown(s, o[0].reg);
				return;
			}
			dis_set_val(s, o[0].reg, v);
			if (a->writeback && (int)o[1].mem.base != (int)o[0].reg)
				dis_set_unknown(s, o[1].mem.base);
			return;
		}
		break;
	case ARM_INS_ADD:
	case ARM_INS_SUB: {
		/* add rd, rn, #imm | add rd, rn, rm | add rd, rm (Thumb: rd += rm) */
		if (!always || a->op_count < 2 || o[0].type != ARM_OP_REG)
			break;
		struct val x, y;
		bool ok;
		if (a->op_count == 2) {
			ok = arm_src(s, o[0].reg, at, &x) &&
			     (o[1].type == ARM_OP_IMM ? (y = dis_mkv(V_CONST, (uint32_t)o[1].imm, 0), true)
						      : o[1].type == ARM_OP_REG && arm_src(s, o[1].reg, at, &y));
		} else {
			ok = o[1].type == ARM_OP_REG && arm_src(s, o[1].reg, at, &x) &&
			     (o[2].type == ARM_OP_IMM ? (y = dis_mkv(V_CONST, (uint32_t)o[2].imm, 0), true)
						      : o[2].type == ARM_OP_REG && o[2].shift.type == ARM_SFT_INVALID &&
								arm_src(s, o[2].reg, at, &y));
		}
		if (ok && o[0].reg != ARM_REG_PC) {
			uint32_t r = in->id == ARM_INS_ADD ? (uint32_t)(x.v + y.v) : (uint32_t)(x.v - y.v);
			uint64_t origin = x.origin ? x.origin : y.origin;
			dis_set(s, o[0].reg, V_CONST, r, origin);
			return;
		}
		break;
	}
	case ARM_INS_MOV:
	case ARM_INS_MOVW:
		if (!always || a->op_count != 2 || o[0].type != ARM_OP_REG)
			break;
		if (o[1].type == ARM_OP_IMM) {
			dis_set(s, o[0].reg, V_CONST, (uint32_t)o[1].imm, at);
			return;
		}
		if (o[1].type == ARM_OP_REG && o[1].shift.type == ARM_SFT_INVALID && o[0].reg != ARM_REG_PC) {
			struct val *src = dis_reg(s, o[1].reg);
			struct val v = src && o[1].reg != ARM_REG_PC ? *src : dis_unk();
			dis_set_val(s, o[0].reg, v);
			return;
		}
		break;
	case ARM_INS_MOVT:
		if (always && a->op_count == 2 && o[1].type == ARM_OP_IMM) {
			struct val *d = dis_reg(s, o[0].reg);
			if (d && d->k == V_CONST) {
				d->v = (d->v & 0xffff) | (((uint64_t)o[1].imm & 0xffff) << 16);
				return;
			}
		}
		break;
	case ARM_INS_ADR:
		if (always && a->op_count == 2 && o[1].type == ARM_OP_IMM) {
			dis_set(s, o[0].reg, V_CONST, ((arm_pc(s, at) & ~(uint64_t)3) + (uint64_t)(int64_t)o[1].imm) & 0xffffffffu, at);
			return;
		}
		break;
	case ARM_INS_BL:
	case ARM_INS_BLX:
		arm_branch_to(s, in, true);
		return;
	case ARM_INS_B:
	case ARM_INS_BX:
		if (always)
			arm_branch_to(s, in, false);
		return;
	case ARM_INS_POP:
		for (int i = 0; i < a->op_count; i++)
			if (o[i].type == ARM_OP_REG && o[i].reg == ARM_REG_PC && always) {
				dis_reset(&s->st);
				return;
			}
		break;
	default:
		break;
	}
	dis_clobber_generic(s, in);
	for (int i = 0; i < a->op_count; i++) /* ldm/pop/ldrd write every listed register */
		if (o[i].type == ARM_OP_REG && (o[i].access & CS_AC_WRITE))
			dis_set_unknown(s, o[i].reg);
}

