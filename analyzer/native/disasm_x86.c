/* x86 and x86-64: one instruction step of the constant tracker (disasm.c runs the sweep). */
#include "disasm_int.h"

#include "ap_limits.h"

#include <string.h>

/* __x86.get_pc_thunk.REG: mov REG, [esp]; ret. */
static int pc_thunk_reg(struct sweep *s, uint64_t target)
{
	uint64_t off;
	if (!elf_va_to_off(s->e, target, 4, &off))
		return -1;
	const uint8_t *p = s->e->buf + off;
	if (p[0] != 0x8b || p[2] != 0x24 || p[3] != 0xc3 || (p[1] & 0xc7) != 0x04)
		return -1;
	static const int regs[8] = {0, 1, 2, 3, -1, 5, 6, 7}; /* ModRM reg field: eax ecx edx ebx - ebp esi edi */
	return regs[(p[1] >> 3) & 7];
}

static struct val x86_mem_addr(struct sweep *s, const cs_insn *in, const x86_op_mem *m, bool *ok)
{
	struct val out = {0};
	*ok = false;
	if (m->segment != X86_REG_INVALID || m->index != X86_REG_INVALID)
		return out;
	if (m->base == X86_REG_RIP) {
		out = dis_mkv(V_CONST, in->address + in->size + (uint64_t)m->disp, in->address);
		*ok = true;
	} else if (m->base == X86_REG_INVALID) {
		out = dis_mkv(V_CONST, (uint64_t)m->disp & 0xffffffffu, in->address);
		*ok = true;
	} else {
		struct val *b = dis_reg(s, m->base);
		if (b && b->k == V_CONST) {
			out = *b;
			out.v += (uint64_t)m->disp;
			if (s->e->machine == EM_386)
				out.v &= 0xffffffffu;
			*ok = true;
		} else if (s->pass == 1 && s->e->machine == EM_386 && m->base == X86_REG_EBX &&
			   s->e->dt_pltgot) {
			/* i386 PIC PLT: ebx holds the GOT address (DT_PLTGOT) on entry */
			out = dis_mkv(V_CONST, s->e->dt_pltgot + (uint64_t)m->disp, in->address);
			*ok = true;
		}
	}
	return out;
}

/* The value read from a memory operand. */
static struct val x86_load(struct sweep *s, const cs_insn *in, const x86_op_mem *m)
{
	bool ok;
	struct val a = x86_mem_addr(s, in, m, &ok);
	if (ok)
		return dis_mkv(V_MEM, a.v, a.origin);
	if (m->segment != X86_REG_INVALID || m->index != X86_REG_INVALID || m->base == X86_REG_INVALID)
		return dis_unk();
	struct val *b = dis_reg(s, m->base);
	bool sp = m->base == X86_REG_RSP || m->base == X86_REG_ESP || m->base == X86_REG_RBP ||
		  m->base == X86_REG_EBP;
	return dis_load_from(s, b, sp, m->disp, false);
}

static void x86_target(struct sweep *s, const cs_insn *in, bool is_call)
{
	const cs_x86 *x = &in->detail->x86;
	const cs_x86_op *o = x->operands;
	uint64_t at = in->address;
	if (x->op_count != 1)
		return;
	if (o[0].type == X86_OP_IMM) {
		uint64_t t = (uint64_t)o[0].imm;
		int thunk = is_call && s->e->machine == EM_386 ? pc_thunk_reg(s, t) : -1;
		if (thunk >= 0) {
			s->st.r[thunk] = dis_mkv(V_CONST, at + in->size, at);
			return;
		}
		dis_direct(s, t, at);
	} else if (o[0].type == X86_OP_REG) {
		struct val *v = dis_reg(s, o[0].reg);
		if (v)
			dis_indirect(s, *v, at, is_call);
	} else if (o[0].type == X86_OP_MEM) {
		struct val v = x86_load(s, in, &o[0].mem);
		if (v.k == V_MEM && !is_call && s->st.endbr && s->st.endbr + 4 == at)
			v.origin = s->st.endbr;
		else if (v.k == V_MEM)
			v.origin = at;
		dis_indirect(s, v, at, is_call);
	}
	if (is_call)
		dis_after_call(s);
}

void dis_step_x86(struct sweep *s, const cs_insn *in)
{
	const cs_x86 *x = &in->detail->x86;
	const cs_x86_op *o = x->operands;
	uint64_t at = in->address;
	bool is32 = s->e->machine == EM_386;
	switch (in->id) {
	case X86_INS_ENDBR64:
	case X86_INS_ENDBR32:
		s->st.endbr = at;
		return;
	case X86_INS_LEA:
		if (x->op_count == 2 && o[1].type == X86_OP_MEM) {
			bool ok;
			struct val a = x86_mem_addr(s, in, &o[1].mem, &ok);
			if (ok) {
				dis_set(s, o[0].reg, V_CONST, a.v, a.origin);
				return;
			}
		}
		break;
	case X86_INS_MOV:
	case X86_INS_MOVABS:
		if (x->op_count != 2)
			break;
		if (o[0].type == X86_OP_REG) {
			struct val v = {0};
			if (o[1].type == X86_OP_IMM)
				v = dis_mkv(V_CONST, (uint64_t)o[1].imm, at);
			else if (o[1].type == X86_OP_REG)
				v = dis_reg(s, o[1].reg) ? *dis_reg(s, o[1].reg) : dis_unk();
			else if (o[1].type == X86_OP_MEM)
				v = x86_load(s, in, &o[1].mem);
			if (is32 || o[0].size == 4)
				v.v &= 0xffffffffu;
			dis_set_val(s, o[0].reg, v);
			return;
		}
		if (is32 && o[0].type == X86_OP_MEM && o[0].mem.base == X86_REG_ESP &&
		    o[0].mem.index == X86_REG_INVALID && o[0].mem.disp >= 0 && o[0].mem.disp % 4 == 0 &&
		    o[0].mem.disp / 4 < 6) {
			struct val v = {0};
			if (o[1].type == X86_OP_IMM)
				v = dis_mkv(V_CONST, (uint64_t)o[1].imm & 0xffffffffu, at);
			else if (o[1].type == X86_OP_REG && dis_reg(s, o[1].reg))
				v = *dis_reg(s, o[1].reg);
			s->st.stk[o[0].mem.disp / 4] = v;
			return;
		}
		return; /* a store */
	case X86_INS_XOR:
		if (x->op_count == 2 && o[0].type == X86_OP_REG && o[1].type == X86_OP_REG &&
		    dis_reg_of(s->e, o[0].reg) == dis_reg_of(s->e, o[1].reg)) {
			dis_set(s, o[0].reg, V_CONST, 0, at);
			return;
		}
		break;
	case X86_INS_ADD:
	case X86_INS_SUB:
		if (x->op_count == 2 && o[0].type == X86_OP_REG && o[1].type == X86_OP_IMM) {
			struct val *d = dis_reg(s, o[0].reg);
			if (d && d->k == V_CONST) {
				d->v = in->id == X86_INS_ADD ? d->v + (uint64_t)o[1].imm
							     : d->v - (uint64_t)o[1].imm;
				if (is32)
					d->v &= 0xffffffffu;
				return;
			}
			if (o[0].reg == X86_REG_ESP || o[0].reg == X86_REG_RSP)
				return;
		}
		break;
	case X86_INS_PUSH:
		if (is32 && x->op_count == 1) {
			struct val v = {0};
			if (o[0].type == X86_OP_IMM)
				v = dis_mkv(V_CONST, (uint64_t)o[0].imm & 0xffffffffu, at);
			else if (o[0].type == X86_OP_REG && dis_reg(s, o[0].reg))
				v = *dis_reg(s, o[0].reg);
			if (s->st.n_push == sizeof(s->st.push) / sizeof(s->st.push[0])) {
				memmove(s->st.push, s->st.push + 1, sizeof(s->st.push) - sizeof(s->st.push[0]));
				s->st.n_push--;
			}
			s->st.push[s->st.n_push++] = v;
		}
		return;
	case X86_INS_CALL:
		x86_target(s, in, true);
		return;
	case X86_INS_JMP:
		x86_target(s, in, false);
		if (x->op_count == 1 && o[0].type != X86_OP_IMM)
			dis_reset(&s->st);
		return;
	case X86_INS_RET:
	case X86_INS_HLT:
		dis_reset(&s->st);
		return;
	default:
		break;
	}
	dis_clobber_generic(s, in);
}

