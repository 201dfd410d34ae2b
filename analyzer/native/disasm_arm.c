/* ARM and Thumb: one instruction step of the constant tracker (disasm.c runs the sweep). */
#include "disasm_int.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

static uint64_t arm_pc(const struct sweep *s, uint64_t at)
{
	return at + (s->thumb ? 4 : 8);
}

/* ---- literal pools ----
 * Compilers put the constants a function loads PC-relative right after its code; stripped
 * libraries have no $d mapping symbols to say so, and a linear sweep decodes those words as
 * instructions: garbage, now and then a BL to anywhere (a false call site, or a false "call
 * into data" tamper claim). The sweep meets the loads before their pools, so it remembers each
 * word a load reads and steps over it. */

static size_t lit_slot(const struct dis_lits *l, uint32_t key)
{
	size_t mask = l->cap - 1, i = (size_t)(key * 0x9e3779b1u) & mask;
	while (l->slots[i] && l->slots[i] != key)
		i = (i + 1) & mask;
	return i;
}

bool dis_lit_at(const struct dis_lits *l, uint64_t addr)
{
	return l->cap && addr < UINT32_MAX && l->slots[lit_slot(l, (uint32_t)addr + 1)] != 0;
}

void dis_note_literal(struct sweep *s, uint64_t addr)
{
	struct dis_lits *l = &s->lits;
	if (addr >= UINT32_MAX || dis_lit_at(l, addr))
		return;
	if (l->n >= AP_MAX_NATIVE_LITERALS) {
		if (!l->full)
			elf_anom(s->e, AP_OFFSET_NONE, AP_ERR_LIMIT,
				 "literal-pool cap AP_MAX_NATIVE_LITERALS reached; later pools are "
				 "decoded as code");
		l->full = true;
		return;
	}
	if (2 * (l->n + 1) > l->cap) { /* load <= 1/2 */
		size_t nc = l->cap ? 2 * l->cap : 4096;
		uint32_t *ns = calloc(nc, sizeof *ns);
		if (!ns)
			return; /* the pool is decoded as code, as without this table */
		struct dis_lits old = *l;
		l->slots = ns;
		l->cap = nc;
		for (size_t i = 0; i < old.cap; i++)
			if (old.slots[i])
				l->slots[lit_slot(l, old.slots[i])] = old.slots[i];
		free(old.slots);
	}
	l->slots[lit_slot(l, (uint32_t)addr + 1)] = (uint32_t)addr + 1;
	l->n++;
}

void dis_lits_free(struct dis_lits *l)
{
	free(l->slots);
	memset(l, 0, sizeof *l);
}

/* Every word a PC-relative memory operand of in reads (LDR, LDRD, VLDR, ...). */
static void note_literals(struct sweep *s, const cs_insn *in)
{
	const cs_arm *a = &in->detail->arm;
	for (int i = 0; i < a->op_count; i++) {
		const cs_arm_op *o = &a->operands[i];
		if (o->type != ARM_OP_MEM || o->mem.base != ARM_REG_PC ||
		    o->mem.index != ARM_REG_INVALID)
			continue;
		int64_t disp = o->mem.disp;
		if (o->subtracted && disp > 0)
			disp = -disp;
		uint64_t lit = ((arm_pc(s, in->address) & ~(uint64_t)3) + (uint64_t)disp) & 0xffffffffu;
		dis_note_literal(s, lit);
		bool wide = in->id == ARM_INS_LDRD ||
			    (in->id == ARM_INS_VLDR && a->operands[0].type == ARM_OP_REG &&
			     a->operands[0].reg >= ARM_REG_D0 && a->operands[0].reg <= ARM_REG_D31);
		if (wide)
			dis_note_literal(s, lit + 4);
	}
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
	note_literals(s, in);
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


/* ---- prefilter: can a span report anything? ---- */

uint64_t dis_thumb_bl_offset(unsigned h1, unsigned h2)
{
	unsigned s = (h1 >> 10) & 1, j1 = (h2 >> 13) & 1, j2 = (h2 >> 11) & 1;
	unsigned i1 = !(j1 ^ s), i2 = !(j2 ^ s);
	uint32_t imm = s << 24 | i1 << 23 | i2 << 22 | (h1 & 0x3ffu) << 12 | (h2 & 0x7ffu) << 1;
	return (uint64_t)(int64_t)((int32_t)(imm << 7) >> 7);
}

/* Thumb: could the halfwords at p (n of them, from address at) hold a BL/BLX/B.W/B to a
 * reporting target or a branch or load through a register other than a return? Every halfword
 * position is tried, so a misaligned reading only errs toward decoding. */
static bool thumb_may_report(const struct elf *e, const uint8_t *p, size_t n, uint64_t at)
{
	for (size_t i = 0; i < n; i++, at += 2) {
		unsigned h1 = (unsigned)p[2 * i] | (unsigned)p[2 * i + 1] << 8;
		if ((h1 & 0xff00u) == 0x4700u && h1 != 0x4770u)
			return true; /* bx rm / blx rm, other than bx lr */
		if ((h1 & 0xf800u) == 0xe000u) { /* b (16-bit, unconditional): a tail call */
			int32_t off = (int32_t)((h1 & 0x7ffu) << 21) >> 20;
			if (dis_branch_may_report(e, (at + 4 + (uint64_t)(int64_t)off) & 0xffffffffu))
				return true;
		}
		if (i + 1 >= n)
			break;
		unsigned h2 = (unsigned)p[2 * i + 2] | (unsigned)p[2 * i + 3] << 8;
		if ((h1 & 0xf800u) == 0xf000u && (h2 & 0x9000u) == 0x9000u && /* bl, b.w */
		    dis_branch_may_report(e, (at + 4 + dis_thumb_bl_offset(h1, h2)) & 0xffffffffu))
			return true;
		if ((h1 & 0xf800u) == 0xf000u && (h2 & 0xd000u) == 0xc000u && /* blx (to ARM) */
		    dis_branch_may_report(e, (((at + 4) & ~(uint64_t)3) +
					      (dis_thumb_bl_offset(h1, h2) & ~(uint64_t)3)) & 0xffffffffu))
			return true;
		if ((h1 & 0xff70u) == 0xf850u) /* ldr.w: immediate, register, literal */
			if ((h2 >> 12) == 0xfu)
				return true; /* ldr.w pc, [...] */
	}
	return false;
}

/* ARM: the same over words. */
static bool arm_words_may_report(const struct elf *e, const uint8_t *p, size_t n, uint64_t at)
{
	for (size_t i = 0; i < n; i++, at += 4) {
		uint32_t w = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
			     (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
		if ((w & 0x0e000000u) == 0x0a000000u) { /* b, bl, blx (immediate) */
			int32_t off = (int32_t)(w << 8) >> 6;
			if ((w >> 28) == 0xfu)
				off += (int32_t)((w >> 23) & 2); /* blx: H */
			if (dis_branch_may_report(e, (at + 8 + (uint64_t)(int64_t)off) & 0xffffffffu))
				return true;
		} else if ((w & 0x0fffffd0u) == 0x012fff10u && (w & 0xfu) != 14) {
			return true; /* bx rm / blx rm, other than bx lr */
		} else if ((w & 0x0c10f000u) == 0x0410f000u && (w >> 28) != 0xfu) {
			return true; /* ldr pc, [...] */
		}
	}
	return false;
}

bool dis_arm_may_report(struct sweep *s, uint64_t start, uint64_t end, bool thumb)
{
	const struct elf *e = s->e;
	uint64_t off;
	if (end <= start || !elf_va_to_off(e, start, end - start, &off))
		return true; /* let the sweep decide */
	const uint8_t *p = e->buf + off;
	return thumb ? thumb_may_report(e, p, (size_t)((end - start) / 2), start)
		     : arm_words_may_report(e, p, (size_t)((end - start) / 4), start);
}
