/* Thumb without capstone: every 16-bit encoding but IT and a few system ones; the 32-bit
 * branches (BL, BLX, B.W, B<c>.W), which are never cacheable (the offset is in the encoding), so
 * before this file each one cost a capstone decode; data processing with immediates or shifted
 * registers, single and dual loads and stores, PUSH.W/POP.W; and IT blocks made of 16-bit
 * instructions it takes, each then conditional. Together most of what a Thumb-2 sweep meets.
 * Each encoding handled changes the tracker exactly as dis_step_arm does with capstone's decode
 * of it (quirks included); anything else returns false and goes to the cache or capstone.
 * dis_thumb_selfcheck runs both on the same bytes and states: the unit tests feed it every
 * 16-bit encoding, random 32-bit words biased to the classes above, IT blocks and real
 * libraries' code, so a difference is a test failure.
 *
 * Register slots are the architectural numbers (r0-r12, sp 13, lr 14, pc 15): dis_reg_of. */
#include "disasm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SP = 13, LR = 14, PC = 15 };

/* dis_set_unknown: the kind, value and origin cleared, the JavaVM flag kept */
static void forget(struct sweep *s, unsigned r)
{
	s->st.r[r].k = V_UNK;
	s->st.r[r].v = 0;
	s->st.r[r].origin = 0;
}

/* every register of a list (bit r: register r) */
static void forget_list(struct sweep *s, unsigned list)
{
	for (unsigned r = 0; r < 16; r++)
		if (list & (1u << r))
			forget(s, r);
}

/* dis_set: as forget, with a value. The MOV/ADD/SUB/ADR/MOVT steps of dis_step_arm give up on a
 * conditional instruction (s->cond, in an IT block): the register is forgotten. */
static void put(struct sweep *s, unsigned r, uint64_t v, uint64_t origin)
{
	if (s->cond) {
		forget(s, r);
		return;
	}
	s->st.r[r].k = V_CONST;
	s->st.r[r].v = v;
	s->st.r[r].origin = origin;
}

/* arm_src in disasm_arm.c: a register's constant, pc as the architecture reads it */
static bool src(const struct sweep *s, unsigned r, uint64_t at, struct val *out)
{
	if (r == PC) {
		*out = dis_mkv(V_CONST, at + 4, at);
		return true;
	}
	if (s->st.r[r].k != V_CONST)
		return false;
	*out = s->st.r[r];
	return true;
}

/* ADD/SUB of dis_step_arm: rd = x +/- y when both are known, else rd forgotten. A pc
 * destination is a branch: forgotten too. */
static void add_sub(struct sweep *s, unsigned rd, bool okx, struct val x, bool oky, struct val y,
		    bool sub)
{
	if (okx && oky && rd != PC)
		put(s, rd, (uint32_t)(sub ? x.v - y.v : x.v + y.v), x.origin ? x.origin : y.origin);
	else
		forget(s, rd);
}

static struct val imm_val(uint32_t v)
{
	return dis_mkv(V_CONST, v, 0);
}

/* a register copied or loaded whole (MOV rd, rm; LDR): forgotten when conditional */
static void assign(struct sweep *s, unsigned r, struct val v)
{
	if (s->cond)
		forget(s, r);
	else
		s->st.r[r] = v;
}

/* LDR rt, [base + disp] (no index): dis_load_from, then the value set whole */
static void load_word(struct sweep *s, unsigned rt, unsigned base, int64_t disp)
{
	assign(s, rt, dis_load_from(s, &s->st.r[base], base == SP, disp, false));
}

/* B, BL, BLX: a conditional B does nothing, a conditional call is still a call */
static void branch_direct(struct sweep *s, uint64_t target, uint64_t at, bool link)
{
	if (s->cond && !link)
		return;
	dis_direct(s, target & 0xffffffffu, at);
	if (link)
		dis_after_call(s);
}

/* BX rm / BLX rm */
static void branch_reg(struct sweep *s, unsigned rm, uint64_t at, bool link)
{
	if (s->cond && !link)
		return;
	if (rm == LR && !link) {
		dis_reset(&s->st); /* bx lr: return */
		return;
	}
	dis_indirect(s, s->st.r[rm], at, link);
	if (link)
		dis_after_call(s);
	else
		dis_reset(&s->st);
}

static int64_t sext(uint32_t x, unsigned bits)
{
	return (int64_t)((int32_t)(x << (32 - bits)) >> (32 - bits));
}

/* 0x0000-0x3fff: shifts by an immediate, ADD/SUB (register, 3-bit immediate), MOV/CMP/ADD/SUB
 * with an 8-bit immediate */
static bool shift_add_imm(struct sweep *s, unsigned h, uint64_t at)
{
	unsigned rd = h & 7, rm = (h >> 3) & 7;
	struct val x = {0}, y = {0};
	if (h < 0x1800) {
		if ((h >> 11) == 0 && ((h >> 6) & 31) == 0)
			assign(s, rd, s->st.r[rm]); /* lsls rd, rm, #0 is movs rd, rm */
		else
			forget(s, rd); /* lsls, lsrs, asrs */
		return true;
	}
	if (h < 0x2000) { /* adds/subs rd, rn, rm | #imm3 */
		bool okx = src(s, rm, at, &x), oky;
		unsigned third = (h >> 6) & 7;
		if (h & 0x400) {
			y = imm_val(third);
			oky = true;
		} else {
			oky = src(s, third, at, &y);
		}
		add_sub(s, rd, okx, x, oky, y, h & 0x200);
		return true;
	}
	rd = (h >> 8) & 7;
	switch ((h >> 11) & 3) {
	case 0: /* movs rd, #imm8 */
		put(s, rd, h & 0xff, at);
		return true;
	case 1: /* cmp */
		return true;
	default: /* adds/subs rdn, #imm8 */
		add_sub(s, rd, src(s, rd, at, &x), x, true, imm_val(h & 0xff), ((h >> 11) & 3) == 3);
		return true;
	}
}

/* 0x4000-0x47ff: data processing on low registers, and the high-register ADD/CMP/MOV/BX/BLX */
static bool data_special(struct sweep *s, unsigned h, uint64_t at)
{
	if (h < 0x4400) {
		unsigned op = (h >> 6) & 15;
		if (op != 8 && op != 10 && op != 11) /* tst, cmp, cmn write nothing */
			forget(s, h & 7);
		return true;
	}
	unsigned rdn = (h & 7) | ((h >> 4) & 8), rm = (h >> 3) & 15;
	struct val x = {0}, y = {0};
	switch ((h >> 8) & 3) {
	case 0: { /* add rdn, rm */
		if (rdn == PC && rm == PC)
			return false;
		/* with rm = sp capstone reads "add rdn, sp, rdn": sp is the first source (the origin
		 * comes from it first) */
		unsigned first = rm == SP ? SP : rdn, second = rm == SP ? rdn : rm;
		bool okx = src(s, first, at, &x);
		bool oky = src(s, second, at, &y);
		add_sub(s, rdn, okx, x, oky, y, false);
		return true;
	}
	case 1: /* cmp */
		return false;
	case 2: /* mov rd, rm */
		if (rdn == PC)
			forget(s, PC);
		else
			assign(s, rdn, rm == PC ? dis_unk() : s->st.r[rm]);
		return true;
	default: /* bx / blx rm */
		if (h & 7)
			return false;
		branch_reg(s, rm, at, h & 0x80);
		return true;
	}
}

/* 0x4800-0x9fff: loads and stores */
static bool load_store(struct sweep *s, unsigned h, uint64_t at)
{
	unsigned rt = h & 7, rn = (h >> 3) & 7;
	if (h < 0x5000) { /* ldr rt, [pc, #imm8 * 4]: a literal */
		rt = (h >> 8) & 7;
		uint64_t lit = ((at + 4) & ~(uint64_t)3) + (h & 0xff) * 4;
		dis_note_literal(s, lit);
		uint32_t w;
		assign(s, rt, elf_read_u32(s->e, lit, &w) ? dis_mkv(V_CONST, w, at) : (struct val){0});
		return true;
	}
	if (h < 0x6000) { /* register offset: str strh strb ldrsb ldr ldrh ldrb ldrsh */
		unsigned op = (h >> 9) & 7;
		if (op == 4)
			assign(s, rt, (struct val){0}); /* ldr with an index: no value */
		else if (op >= 3)
			forget(s, rt);
		return true;
	}
	if (h < 0x9000) { /* immediate offset: str ldr strb ldrb (0x6000-0x7fff), strh ldrh */
		bool load = h & 0x800;
		if (!load)
			return true;
		if ((h >> 12) == 6)
			load_word(s, rt, rn, ((h >> 6) & 31) * 4);
		else
			forget(s, rt);
		return true;
	}
	if (h & 0x800) /* ldr rt, [sp, #imm8 * 4] */
		load_word(s, (h >> 8) & 7, SP, (h & 0xff) * 4);
	return true;
}

/* 0xa000-0xbfff: ADR, ADD rd, sp, #imm and the miscellaneous 16-bit group */
static bool misc(struct sweep *s, unsigned h, uint64_t at)
{
	struct val x = {0};
	if (h < 0xa800) { /* adr rd, #imm8 * 4 */
		put(s, (h >> 8) & 7, (((at + 4) & ~(uint64_t)3) + (h & 0xff) * 4) & 0xffffffffu, at);
		return true;
	}
	if (h < 0xb000) { /* add rd, sp, #imm8 * 4 */
		add_sub(s, (h >> 8) & 7, src(s, SP, at, &x), x, true, imm_val((h & 0xff) * 4), false);
		return true;
	}
	switch ((h >> 8) & 15) {
	case 0x0: /* add/sub sp, sp, #imm7 * 4 */
		add_sub(s, SP, src(s, SP, at, &x), x, true, imm_val((h & 0x7f) * 4), h & 0x80);
		return true;
	case 0x1: case 0x3: case 0x9: case 0xb: /* cbz, cbnz */
		return true;
	case 0x2: /* sxth sxtb uxth uxtb */
		forget(s, h & 7);
		return true;
	case 0x4: case 0x5: /* push: writes sp */
		if ((h & 0x1ff) == 0)
			return false;
		forget(s, SP);
		return true;
	case 0xa: /* rev rev16 - revsh */
		if (((h >> 6) & 3) == 2)
			return false;
		forget(s, h & 7);
		return true;
	case 0xc: case 0xd: /* pop */
		if ((h & 0x1ff) == 0)
			return false;
		if ((h & 0x100) && !s->cond) {
			dis_reset(&s->st); /* pop {..., pc}: a return */
			return true;
		}
		forget_list(s, h & 0xff);
		if (h & 0x100)
			forget(s, PC);
		forget(s, SP);
		return true;
	case 0xe: /* bkpt */
		return true;
	case 0xf: /* hints (nop yield wfe wfi sev); IT is capstone's */
		return (h & 0xf) == 0 && ((h >> 4) & 15) <= 4;
	default:
		return false;
	}
}

/* 0xc000-0xdfff: STM/LDM, B<c>, SVC */
static bool multiple_cond(struct sweep *s, unsigned h)
{
	if (h < 0xd000) {
		unsigned rn = (h >> 8) & 7;
		if ((h & 0xff) == 0)
			return false;
		forget(s, rn); /* stm rn!, {...}: the base is written back; ldm rn{!}, {...} */
		if (!(h & 0x800))
			return true;
		forget_list(s, h & 0xff);
		return true;
	}
	/* b<c>: no effect; svc: capstone says it writes lr; udf (0xde) is capstone's */
	if (((h >> 8) & 15) == 0xf)
		forget(s, LR);
	return ((h >> 8) & 15) != 0xe;
}

/* 32-bit: BL, BLX (immediate), B.W and B<c>.W */
static bool branch32(struct sweep *s, unsigned h1, unsigned h2, uint64_t at)
{
	switch (h2 & 0x5000u) {
	case 0x5000u: /* bl */
	case 0x1000u: /* b.w */
		branch_direct(s, at + 4 + dis_thumb_bl_offset(h1, h2), at, h2 & 0x4000u);
		return true;
	case 0x4000u: /* blx (to ARM): H (bit 0) must be clear */
		if (h2 & 1)
			return false;
		branch_direct(s, ((at + 4) & ~(uint64_t)3) + dis_thumb_bl_offset(h1, h2), at, true);
		return true;
	default: /* b<c>.w: condition 0-13; the rest is system instructions */
		return ((h1 >> 6) & 15) < 14;
	}
}

/* ThumbExpandImm: the value of a 12-bit modified immediate; false for the reserved forms */
static bool expand_imm(unsigned imm12, uint32_t *out)
{
	uint32_t b = imm12 & 0xff;
	if ((imm12 >> 10) == 0) {
		switch ((imm12 >> 8) & 3) {
		case 0: *out = b; return true;
		case 1: *out = b << 16 | b; return b != 0;
		case 2: *out = b << 24 | b << 8; return b != 0;
		default: *out = b << 24 | b << 16 | b << 8 | b; return b != 0;
		}
	}
	uint32_t v = 0x80u | (imm12 & 0x7f);
	unsigned rot = (imm12 >> 7) & 31;
	*out = v >> rot | v << (32 - rot);
	return true;
}

/* 32-bit data processing with a modified immediate (ADD/SUB/MOV/CMP... .W) and plain binary
 * immediates (ADDW, SUBW, MOVW, MOVT) */
static bool dp_imm32(struct sweep *s, unsigned h1, unsigned h2, uint64_t at)
{
	unsigned rn = h1 & 15, rd = (h2 >> 8) & 15, op = (h1 >> 5) & 15;
	unsigned imm12 = (h1 >> 10 & 1) << 11 | (h2 >> 12 & 7) << 8 | (h2 & 0xff);
	bool setflags = h1 & 0x10;
	struct val x = {0};
	if (!(h1 & 0x200)) { /* modified immediate */
		uint32_t imm;
		if (!expand_imm(imm12, &imm))
			return false;
		if (rd == PC) /* tst teq cmn cmp: nothing written; the rest unpredictable */
			return setflags && (op == 0 || op == 4 || op == 8 || op == 13);
		if (rd == SP && !((op == 8 || op == 13) && rn == SP))
			return false;
		switch (op) {
		case 2: /* orr; mov.w rd, #imm */
			if (rn == PC)
				put(s, rd, imm, at);
			else
				forget(s, rd);
			return true;
		case 8: case 13: /* add.w / sub.w rd, rn, #imm */
			if (rn == PC)
				return false;
			add_sub(s, rd, src(s, rn, at, &x), x, true, imm_val(imm), op == 13);
			return true;
		case 0: case 1: case 3: case 4: case 10: case 11: case 14: /* and bic orn mvn eor adc sbc rsb */
			forget(s, rd);
			return true;
		default:
			return false;
		}
	}
	if (rd >= SP)
		return false;
	unsigned imm16 = (h1 & 15) << 12 | imm12;
	switch ((h1 >> 4) & 31) {
	case 0x04: /* movw */
		put(s, rd, imm16, at);
		return true;
	case 0x0c: /* movt: the top half of a known value */
		if (s->st.r[rd].k == V_CONST && !s->cond)
			s->st.r[rd].v = (s->st.r[rd].v & 0xffff) | (uint64_t)imm16 << 16;
		else
			forget(s, rd);
		return true;
	default:
		return false;
	}
}

/* 32-bit single loads and stores: LDR/STR{B,H}, LDRS{B,H} with a 12-bit offset, an 8-bit offset
 * (negative, pre- or post-indexed), a register offset, or pc-relative */
static bool ldst32(struct sweep *s, unsigned h1, unsigned h2, uint64_t at)
{
	unsigned rn = h1 & 15, rt = (h2 >> 12) & 15, size = (h1 >> 5) & 3;
	bool load = h1 & 0x10, sign = h1 & 0x100, imm12 = h1 & 0x80;
	if (size == 3 || (sign && (!load || size == 2)))
		return false;
	if (rt == PC && !(load && size == 2))
		return false; /* pld, pli, and unpredictable stores */
	int64_t disp;
	bool idx = false, wb = false;
	if (rn == PC) { /* literal: ldr{b,h,sb,sh} rt, [pc, #+/-imm12] */
		if (!load)
			return false;
		uint64_t lit = ((at + 4) & ~(uint64_t)3) + (uint64_t)(h1 & 0x80 ? (int64_t)(h2 & 0xfff)
										  : -(int64_t)(h2 & 0xfff));
		lit &= 0xffffffffu;
		dis_note_literal(s, lit);
		if (size != 2) {
			forget(s, rt);
			return true;
		}
		uint32_t w;
		struct val v = elf_read_u32(s->e, lit, &w) ? dis_mkv(V_CONST, w, at) : (struct val){0};
		if (rt == PC) {
			dis_indirect(s, v, at, false);
			dis_reset(&s->st);
		} else {
			s->st.r[rt] = v;
		}
		return true;
	}
	if (imm12) {
		disp = h2 & 0xfff;
	} else if ((h2 & 0xfc0) == 0) { /* [rn, rm, lsl #n] */
		unsigned rm = h2 & 15;
		if (rm >= SP)
			return false;
		idx = true;
		disp = 0;
	} else if (h2 & 0x800) {
		unsigned puw = (h2 >> 8) & 7;
		if (puw == 6 || (puw & 5) == 0)
			return false; /* unprivileged ldrt/strt; p = w = 0 is undefined */
		if (!(puw & 4))
			return false; /* post-indexed: capstone's own operand layout */
		disp = puw & 2 ? (int64_t)(h2 & 0xff) : -(int64_t)(h2 & 0xff);
		wb = puw & 1;
	} else {
		return false;
	}
	if (wb && (rn == rt || rn == PC))
		return false;
	if (!load) { /* a store writes back its base, nothing else */
		if (wb)
			forget(s, rn);
		return true;
	}
	if (size != 2) {
		forget(s, rt);
		return true;
	}
	struct val v = dis_load_from(s, &s->st.r[rn], rn == SP, disp, idx);
	if (rt == PC) {
		dis_indirect(s, v, at, false);
		dis_reset(&s->st);
		return true;
	}
	s->st.r[rt] = v;
	if (wb)
		forget(s, rn);
	return true;
}

/* PUSH.W / POP.W of two or more registers */
static bool push_pop32(struct sweep *s, unsigned h1, unsigned h2)
{
	unsigned list = h2 & 0xdfff, n = (unsigned)__builtin_popcount(list);
	if (n < 2 || (h2 & 0x2000u))
		return false; /* one register is an LDR/STR; sp is never listed */
	if (h1 == 0xe92du) { /* stmdb sp!, {...} */
		if (h2 & 0x8000u)
			return false;
		forget_list(s, list); /* capstone marks push.w's registers written (not push's) */
		forget(s, SP);
		return true;
	}
	/* ldmia sp!, {...} */
	if ((h2 & 0xc000u) == 0xc000u)
		return false;
	if (h2 & 0x8000u) {
		dis_reset(&s->st); /* pop {..., pc}: a return */
		return true;
	}
	forget_list(s, list);
	forget(s, SP);
	return true;
}

/* LDRD/STRD with an immediate offset (offset, pre- or post-indexed, or pc-relative) */
static bool ldst_dual(struct sweep *s, unsigned h1, unsigned h2, uint64_t at)
{
	unsigned rn = h1 & 15, rt = (h2 >> 12) & 15, rt2 = (h2 >> 8) & 15;
	bool load = h1 & 0x10, wb = h1 & 0x20, pre = h1 & 0x100;
	if (!pre && !wb)
		return false; /* exclusives and table branches */
	if (rt >= SP || rt2 >= SP || (load && rt == rt2) || (wb && (rn == rt || rn == rt2 || rn == PC)))
		return false;
	if (!load) {
		if (rn == PC)
			return false;
		if (wb)
			forget(s, rn);
		return true;
	}
	if (rn == PC) { /* a literal doubleword: both words are pool data */
		if (!pre)
			return false;
		int64_t off = (int64_t)(h2 & 0xff) * 4;
		uint64_t lit = (((at + 4) & ~(uint64_t)3) + (uint64_t)(h1 & 0x80 ? off : -off)) &
			       0xffffffffu;
		dis_note_literal(s, lit);
		dis_note_literal(s, lit + 4);
	}
	forget(s, rt);
	forget(s, rt2);
	return true;
}

/* 32-bit data processing with a shifted register (ADD.W rd, rn, rm, lsl #n, MOV.W, ...) */
static bool dp_reg32(struct sweep *s, unsigned h1, unsigned h2, uint64_t at)
{
	unsigned op = (h1 >> 5) & 15, rn = h1 & 15, rd = (h2 >> 8) & 15, rm = h2 & 15;
	unsigned shift = ((h2 >> 12) & 7) << 2 | ((h2 >> 6) & 3), type = (h2 >> 4) & 3;
	bool setflags = h1 & 0x10, plain = shift == 0 && type == 0; /* lsl #0: no shift */
	struct val x = {0}, y = {0};
	if (h2 & 0x8000u || rm >= SP)
		return false;
	if (rd == PC) /* tst teq cmn cmp */
		return setflags && (op == 0 || op == 4 || op == 8 || op == 13) && rn != PC;
	if (rd == SP && !((op == 8 || op == 13) && rn == SP))
		return false;
	switch (op) {
	case 2: /* orr; mov.w rd, rm (and the shifts by an immediate) */
		if (rn == PC && plain)
			assign(s, rd, s->st.r[rm]);
		else
			forget(s, rd);
		return true;
	case 8: case 13: /* add.w / sub.w rd, rn, rm{, shift} */
		if (rn == PC)
			return false;
		if (!plain) {
			forget(s, rd);
			return true;
		}
		add_sub(s, rd, src(s, rn, at, &x), x, src(s, rm, at, &y), y, op == 13);
		return true;
	case 0: case 1: case 4: case 10: case 11: case 14: /* and bic eor adc sbc rsb */
		if (rn == PC)
			return false;
		forget(s, rd);
		return true;
	case 3: /* orn; mvn */
		forget(s, rd);
		return true;
	default:
		return false;
	}
}

static bool thumb32(struct sweep *s, unsigned h1, unsigned h2, uint64_t at)
{
	if ((h1 & 0xf800u) == 0xf000u)
		return h2 & 0x8000u ? branch32(s, h1, h2, at) : dp_imm32(s, h1, h2, at);
	if ((h1 & 0xfe00u) == 0xf800u)
		return ldst32(s, h1, h2, at);
	if (h1 == 0xe92du || h1 == 0xe8bdu)
		return push_pop32(s, h1, h2);
	if ((h1 & 0xfe40u) == 0xe840u)
		return ldst_dual(s, h1, h2, at);
	if ((h1 & 0xfe00u) == 0xea00u)
		return dp_reg32(s, h1, h2, at);
	return false;
}

static bool step16(struct sweep *s, unsigned h, uint64_t at)
{
	if (h < 0x4000)
		return shift_add_imm(s, h, at);
	if (h < 0x4800)
		return data_special(s, h, at);
	if (h < 0xa000)
		return load_store(s, h, at);
	if (h < 0xc000)
		return misc(s, h, at);
	if (h < 0xe000)
		return multiple_cond(s, h);
	/* b #imm11: a direct branch that leaves the tracker as it is */
	branch_direct(s, at + 4 + (uint64_t)sext((h & 0x7ffu) << 1, 12), at, false);
	return true;
}

/* Whether step16 takes h inside an IT block (a subset of what it takes outside one: no 32-bit
 * instruction, nothing IT forbids, and a branch only last). */
static bool it_member(unsigned h, bool last)
{
	if ((h >> 11) >= 0x1d)
		return false;
	if (h < 0x40)
		return false; /* movs rd, rm (lsls #0): capstone 4 decodes it unconditional in a block,
			       * without using up the block's slot */
	if (h < 0x4400 || (h >= 0x4800 && h < 0xb000))
		return true;
	if (h < 0x4800) {
		unsigned rdn = (h & 7) | ((h >> 4) & 8);
		switch ((h >> 8) & 3) {
		case 0: case 2: return rdn != PC; /* add, mov */
		case 1: return false;             /* cmp (high registers) */
		default: return (h & 7) == 0 && last; /* bx, blx */
		}
	}
	if (h < 0xc000) {
		switch ((h >> 8) & 15) {
		case 0x0: case 0x2: return true; /* add/sub sp, extends */
		case 0x4: case 0x5: return (h & 0x1ff) != 0; /* push */
		case 0xa: return ((h >> 6) & 3) != 2; /* rev */
		case 0xc: case 0xd: return (h & 0x1ff) != 0 && (!(h & 0x100) || last); /* pop */
		default: return false;
		}
	}
	if (h < 0xd000)
		return (h & 0xff) != 0; /* stm, ldm */
	if (h < 0xe000)
		return ((h >> 8) & 15) == 0xf; /* svc */
	return last; /* b */
}

/* IT and its block of 16-bit instructions, all conditional: firstcond AL (and the reserved
 * 0xF) is left to capstone, so no instruction of the block is unconditional. */
static bool it_block(struct sweep *s, const uint8_t *code, size_t size, uint64_t at, unsigned h,
		     unsigned *len)
{
	unsigned first = (h >> 4) & 15, n = 4 - (unsigned)__builtin_ctz(h & 15);
	if (first >= 0xe || size < 2 + 2 * (size_t)n)
		return false;
	for (unsigned i = 0; i < n; i++) {
		unsigned hi = (unsigned)code[2 + 2 * i] | (unsigned)code[3 + 2 * i] << 8;
		uint64_t a = at + 2 + 2 * i;
		if (!it_member(hi, i + 1 == n) || (!(a & 3) && dis_lit_at(&s->lits, a)))
			return false; /* the sweep would step over a literal word there */
	}
	s->cond = true;
	for (unsigned i = 0; i < n; i++)
		step16(s, (unsigned)code[2 + 2 * i] | (unsigned)code[3 + 2 * i] << 8, at + 2 + 2 * i);
	s->cond = false;
	s->e->n_insns += n;
	*len = 2 + 2 * n;
	return true;
}

bool dis_thumb_fast(struct sweep *s, const uint8_t *code, size_t size, uint64_t at, unsigned *len)
{
	if (size < 2)
		return false;
	unsigned h = (unsigned)code[0] | (unsigned)code[1] << 8;
	if ((h >> 11) >= 0x1d) {
		if (size < 4)
			return false;
		*len = 4;
		return thumb32(s, h, (unsigned)code[2] | (unsigned)code[3] << 8, at);
	}
	if ((h & 0xff00u) == 0xbf00u && (h & 15))
		return it_block(s, code, size, at, h, len);
	*len = 2;
	return step16(s, h, at);
}

/* ---- self-check against capstone ---- */

/* the same literal words remembered (both tables are small: a few entries per check) */
static bool same_lits(const struct dis_lits *a, const struct dis_lits *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->cap; i++)
		if (a->slots[i] && !dis_lit_at(b, a->slots[i] - 1))
			return false;
	return true;
}

size_t dis_thumb_selfcheck(const uint8_t *code, size_t len, size_t stride, size_t avail,
			   uint64_t at, size_t *handled, char *why, size_t whylen)
{
	*handled = 0;
	if (why && whylen)
		why[0] = 0;
	/* one loadable segment holding the bytes at at: literal loads read them */
	struct elf_seg seg = {PT_LOAD, PF_X, 0, at, len, len};
	struct elf e = {0};
	e.machine = EM_ARM;
	e.buf = code;
	e.len = len;
	e.segs = &seg;
	e.n_segs = 1;
	struct sweep a = {0}, b = {0};
	a.e = b.e = &e;
	a.pass = b.pass = 2;
	a.thumb = b.thumb = true;
	size_t n = stride ? len / stride : 0;
	if (!dis_selfcheck_open(&b, CS_ARCH_ARM, CS_MODE_THUMB, why, whylen))
		return n ? n : 1;
	size_t bad = 0;
	for (size_t i = 0; i < n && b.insn; i++) {
		size_t off = i * stride, view = len - off < avail ? len - off : avail;
		uint64_t pc = at + off;
		dis_seed_state(&a.st, (uint64_t)code[off] << 8 ^ code[off + 1] ^ (uint64_t)i << 32);
		b.st = a.st;
		unsigned tl = 0;
		if (!dis_thumb_fast(&a, code + off, view, pc, &tl))
			goto next;
		(*handled)++;
		/* capstone decodes the same bytes, one instruction after another (an IT block) */
		const uint8_t *c = code + off;
		size_t size = tl;
		uint64_t addr = pc;
		bool decoded = true;
		while (size > 0 && decoded) {
			decoded = b.cs->disasm_iter(b.h, &c, &size, &addr, b.insn);
			if (decoded)
				dis_step_arm(&b, b.insn);
		}
		unsigned slot = 0;
		const char *diff = NULL;
		if (!decoded)
			diff = "undecodable by capstone, or sizes differ";
		else if (!dis_same_state(&a.st, &b.st, &slot))
			diff = "register slot differs";
		else if (!same_lits(&a.lits, &b.lits))
			diff = "literal words differ";
		if (diff) {
			if (!bad && why && whylen)
				snprintf(why, whylen,
					 "%u bytes %02x%02x %02x%02x at 0x%llx (last: %s %s): %s; slot %u: "
					 "fast k%u v0x%llx o0x%llx vm%d, capstone k%u v0x%llx o0x%llx vm%d",
					 tl, code[off + 1], code[off], tl > 2 ? code[off + 3] : 0,
					 tl > 2 ? code[off + 2] : 0, (unsigned long long)pc,
					 decoded ? b.insn->mnemonic : "", decoded ? b.insn->op_str : "",
					 diff, slot, a.st.r[slot].k, (unsigned long long)a.st.r[slot].v,
					 (unsigned long long)a.st.r[slot].origin, a.st.r[slot].vm,
					 b.st.r[slot].k, (unsigned long long)b.st.r[slot].v,
					 (unsigned long long)b.st.r[slot].origin, b.st.r[slot].vm);
			bad++;
		}
	next:
		if (a.lits.n)
			dis_lits_free(&a.lits);
		if (b.lits.n)
			dis_lits_free(&b.lits);
	}
	dis_selfcheck_close(&b);
	return bad;
}
