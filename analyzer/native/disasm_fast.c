/* AArch64 without capstone for the instructions compiled code is made of: PC-relative
 * addressing, branches (direct and through a register), moves, integer data processing, loads
 * and stores of every addressing mode (general and SIMD&FP registers, pairs, exclusives),
 * FP/SIMD moves and conversions to and from general registers, hints, barriers and MRS. Each
 * one changes the tracker exactly as dis_step_a64 does with capstone's decode of the same word,
 * quirks included; anything else (other SIMD data processing, and any encoding this file is not
 * sure capstone accepts) is left to capstone, which is then loaded on first need.
 * dis_a64_selfcheck runs both on the same words and states: the unit tests feed it random words
 * and every word of the corpus libraries, so a difference is a test failure. */
#include "disasm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SP_SLOT 31

/* dis_set / dis_set_val / dis_set_unknown on a register slot (ZR: rd == 31 where 31 is ZR) */
static void put(struct sweep *s, unsigned slot, uint8_t k, uint64_t v, uint64_t origin)
{
	s->st.r[slot].k = k;
	s->st.r[slot].v = v;
	s->st.r[slot].origin = origin;
}

/* what capstone's MOV of a source the tracker has no slot for leaves: the whole value cleared */
static void clear(struct sweep *s, unsigned slot)
{
	s->st.r[slot] = dis_unk();
}

/* generic step on a written general register: ZR (31) has no slot */
static void forget(struct sweep *s, unsigned rd)
{
	if (rd != 31)
		put(s, rd, V_UNK, 0, 0);
}

static int64_t sext(uint64_t x, unsigned bits)
{
	return (int64_t)(x << (64 - bits)) >> (64 - bits);
}

static bool branches(struct sweep *s, uint32_t w, uint64_t at)
{
	if ((w & 0x7c000000u) == 0x14000000u) { /* B, BL */
		uint64_t target = at + (uint64_t)(sext(w & 0x03ffffffu, 26) * 4);
		dis_direct(s, target, at);
		if (w & 0x80000000u)
			dis_after_call(s);
		return true;
	}
	if ((w & 0xff000010u) == 0x54000000u ||  /* B.cond */
	    (w & 0x7e000000u) == 0x34000000u ||  /* CBZ, CBNZ */
	    (w & 0x7e000000u) == 0x36000000u)    /* TBZ, TBNZ */
		return true;                     /* no register written */
	if ((w & 0xfffffc1fu) == 0xd65f0000u) {  /* RET */
		dis_reset(&s->st);
		return true;
	}
	if ((w & 0xffdffc1fu) == 0xd61f0000u) {  /* BR, BLR */
		unsigned rn = (w >> 5) & 31;
		bool call = w & 0x00200000u;
		if (rn != 31) /* XZR: no value */
			dis_indirect(s, s->st.r[rn], at, call);
		if (call)
			dis_after_call(s);
		else
			dis_reset(&s->st);
		return true;
	}
	return false;
}

static bool moves(struct sweep *s, uint32_t w, uint64_t at)
{
	unsigned rd = w & 31;
	if ((w & 0x1f000000u) == 0x10000000u) { /* ADR, ADRP */
		int64_t imm = sext(((w >> 5) & 0x7ffffu) << 2 | ((w >> 29) & 3), 21);
		uint64_t v = w & 0x80000000u ? (at & ~(uint64_t)0xfff) + (uint64_t)(imm * 4096)
					     : at + (uint64_t)imm;
		if (rd != 31)
			put(s, rd, V_CONST, v, at);
		return true;
	}
	if ((w & 0x7fe0ffe0u) == 0x2a0003e0u) { /* MOV (register): ORR rd, zr, rm */
		unsigned rm = (w >> 16) & 31;
		if (rd != 31)
			s->st.r[rd] = rm == 31 ? dis_mkv(V_CONST, 0, at) : s->st.r[rm];
		return true;
	}
	if ((w & 0x1f800000u) == 0x12800000u) { /* move wide: MOVN, MOVZ, MOVK */
		unsigned opc = (w >> 29) & 3, hw = (w >> 21) & 3;
		if (opc == 1 || (!(w & 0x80000000u) && hw >= 2))
			return false; /* unallocated */
		if (opc == 0) { /* MOVN: capstone names it movn, not mov, so the generic step */
			forget(s, rd);
			return true;
		}
		uint64_t imm = (uint64_t)((w >> 5) & 0xffff), sh = 16u * hw;
		if (rd == 31)
			return true;
		if (opc == 2) {
			put(s, rd, V_CONST, imm << sh, at);
		} else if (s->st.r[rd].k == V_CONST) {
			s->st.r[rd].v = (s->st.r[rd].v & ~((uint64_t)0xffff << sh)) | imm << sh;
		} else {
			put(s, rd, V_UNK, 0, 0);
		}
		return true;
	}
	return false;
}

static bool add_sub(struct sweep *s, uint32_t w, uint64_t at)
{
	unsigned rd = w & 31, rn = (w >> 5) & 31;
	bool setflags = w & 0x20000000u;
	if ((w & 0x1f800000u) == 0x11000000u) { /* add/sub (immediate) */
		/* capstone gives ADDS/SUBS the ids of ADD/SUB (only CMP, CMN differ); register
		 * 31 is SP, or WSP in 32-bit forms, which has no tracker slot */
		bool sub = w & 0x40000000u, sh = w & 0x00400000u, sf = w & 0x80000000u;
		uint64_t imm = (uint64_t)((w >> 10) & 0xfff);
		if (setflags && rd == 31)
			return true; /* CMP, CMN: only the flags */
		bool rd_slot = rd != 31 || sf, rn_slot = rn != 31 || sf;
		if (!setflags && !sub && !sh && !imm && (rd == 31 || rn == 31)) {
			/* MOV to or from SP */
			if (rd_slot)
				s->st.r[rd] = rn_slot ? s->st.r[rn] : dis_unk();
			return true;
		}
		const struct val src = rn_slot ? s->st.r[rn] : dis_unk();
		if (!rd_slot)
			return true;
		if (rn_slot && src.k == V_CONST) {
			imm <<= sh ? 12 : 0;
			put(s, rd, V_CONST, sub ? src.v - imm : src.v + imm, src.origin);
		} else {
			put(s, rd, V_UNK, 0, 0);
		}
		return true;
	}
	if ((w & 0x1f200000u) == 0x0b000000u) { /* add/sub (shifted register): CMP, CMN */
		unsigned shift = (w >> 22) & 3, imm6 = (w >> 10) & 63;
		return setflags && rd == 31 && shift != 3 && ((w & 0x80000000u) || imm6 < 32);
	}
	if ((w & 0x1fe00000u) == 0x0b200000u) { /* add/sub (extended register) */
		if (((w >> 10) & 7) > 4)
			return false; /* shift amount: reserved */
		if (setflags || rd != 31)
			forget(s, rd); /* CMP/CMN when setflags and rd is ZR */
		else if (w & 0x80000000u)
			put(s, SP_SLOT, V_UNK, 0, 0); /* rd is SP (WSP has no slot) */
		return true;
	}
	return false;
}

/* LDR/STR (unsigned offset) of general registers */
static bool loads_stores(struct sweep *s, uint32_t w)
{
	unsigned rt = w & 31, rn = (w >> 5) & 31;
	if ((w & 0x3fc00000u) == 0x39000000u) /* STR, STRB, STRH (unsigned offset) */
		return true;
	if ((w & 0xbfc00000u) == 0xb9400000u) { /* LDR w/x (unsigned offset) */
		unsigned size = w >> 30;
		int64_t disp = (int64_t)(((w >> 10) & 0xfff) << size);
		struct val v = dis_load_from(s, &s->st.r[rn], rn == SP_SLOT, disp, false);
		if (rt != 31)
			s->st.r[rt] = v;
		return true;
	}
	return false;
}

/* Load/store pair, general (STP, LDP, STNP, LDNP, LDPSW) and SIMD&FP registers. The generic step
 * forgets the loaded general registers, and the base only for a store with writeback (capstone
 * reads a first operand named st* as not written, and then looks at the writeback flag). */
static bool pairs(struct sweep *s, uint32_t w)
{
	if ((w & 0x3a000000u) != 0x28000000u)
		return false;
	unsigned opc = w >> 30, mode = (w >> 23) & 3, rt = w & 31, rn = (w >> 5) & 31,
		 rt2 = (w >> 10) & 31;
	bool simd = w & 0x04000000u, load = w & 0x00400000u, wb = mode == 1 || mode == 3;
	if (opc == 3)
		return false;
	if (simd) {
		if (load && rt == rt2)
			return false; /* unpredictable */
		if (!load && wb)
			put(s, rn, V_UNK, 0, 0);
		return true;
	}
	if (opc == 1 && (!load || mode == 0))
		return false; /* STGP (MTE), unallocated */
	/* what capstone rejects as unpredictable: writeback to a register the pair transfers
	 * (the base may be SP), and a load of one register twice */
	if ((wb && rn != 31 && (rn == rt || rn == rt2)) || (load && rt == rt2))
		return false;
	if (!load) {
		if (wb)
			put(s, rn, V_UNK, 0, 0);
		return true;
	}
	forget(s, rt);
	forget(s, rt2);
	return true;
}

/* Data processing that only writes Rd (31: ZR): the tracker forgets Rd, as capstone's generic
 * step does. BFM (BFI, BFXIL) and BIC write nothing there: their mnemonics start with 'b', which
 * the generic step reads as a branch naming a register it does not write; mirrored as it is. */
static bool writes_rd(struct sweep *s, uint32_t w)
{
	unsigned rd = w & 31, imm6 = (w >> 10) & 63;
	bool sf = w & 0x80000000u;
	bool ok = false;
	if ((w & 0x1f000000u) == 0x0a000000u) { /* logical (shifted register) */
		if (!sf && imm6 >= 32)
			return false;
		unsigned opc = (w >> 29) & 3;
		if ((w & 0x00200000u) && (opc == 0 || opc == 3))
			return true; /* BIC, BICS: 'b' again */
		ok = true;
	}
	else if ((w & 0x1f200000u) == 0x0b000000u) /* add/sub (shifted register) */
		ok = ((w >> 22) & 3) != 3 && (sf || imm6 < 32);
	else if ((w & 0x1fe00800u) == 0x1a800000u) /* CSEL, CSINC, CSINV, CSNEG */
		ok = !(w & 0x20000000u);
	else if ((w & 0x1f800000u) == 0x13000000u) { /* bitfield */
		unsigned opc = (w >> 29) & 3, n = (w >> 22) & 1, immr = (w >> 16) & 63,
			 imms = (w >> 10) & 63;
		if (opc == 3 || n != (unsigned)sf || (!sf && (immr >= 32 || imms >= 32)))
			return false;
		if (opc == 1)
			return true; /* BFM */
		ok = true;
	}
	else if ((w & 0x1fe0fc00u) == 0x1a000000u) /* ADC, ADCS, SBC, SBCS */
		ok = true;
	else if ((w & 0x7fa00000u) == 0x13800000u) /* EXTR, ROR (immediate) */
		ok = ((w >> 22) & 1) == (unsigned)sf && (sf || imm6 < 32);
	else if ((w & 0x7fe00000u) == 0x1ac00000u) { /* 2-source: UDIV SDIV LSLV LSRV ASRV RORV */
		unsigned op = (w >> 10) & 63;
		ok = op == 2 || op == 3 || (op >= 8 && op <= 11);
	}
	else if ((w & 0x7fff0000u) == 0x5ac00000u) { /* 1-source: RBIT REV16 REV32 REV CLZ CLS */
		unsigned op = (w >> 10) & 63;
		ok = op <= 5 && (sf || op != 3);
	}
	else if ((w & 0x7f000000u) == 0x1b000000u) { /* 3-source: MADD MSUB, long, high */
		unsigned op31 = (w >> 21) & 7;
		ok = op31 == 0 || (sf && (op31 == 1 || op31 == 5)) ||
		     (sf && (op31 == 2 || op31 == 6) && !(w & 0x8000u));
	}
	if (!ok)
		return false;
	forget(s, rd);
	return true;
}

/* DecodeBitMasks: false for the reserved immediates (a run of all ones, element size 0). */
static bool bitmask_ok(bool sf, unsigned n, unsigned imms)
{
	if (!sf && n)
		return false;
	unsigned x = n << 6 | (~imms & 63);
	if (!x)
		return false;
	unsigned len = 31u - (unsigned)__builtin_clz(x);
	if (len < 1)
		return false;
	unsigned levels = (1u << len) - 1;
	return (imms & levels) != levels;
}

/* AND, ORR, EOR, ANDS (immediate): capstone keeps the names (no MOV alias), so the generic step:
 * Rd forgotten; for AND/ORR/EOR Rd 31 is SP (WSP has no slot), for ANDS it is ZR (TST). */
static bool logical_imm(struct sweep *s, uint32_t w)
{
	if ((w & 0x1f800000u) != 0x12000000u)
		return false;
	bool sf = w & 0x80000000u;
	if (!bitmask_ok(sf, (w >> 22) & 1, (w >> 10) & 63))
		return false;
	unsigned rd = w & 31;
	if (rd != 31)
		put(s, rd, V_UNK, 0, 0);
	else if (((w >> 29) & 3) != 3 && sf)
		put(s, SP_SLOT, V_UNK, 0, 0);
	return true;
}

/* CCMP, CCMN (register and immediate): capstone names Rn first and the generic step forgets it. */
static bool cond_compare(struct sweep *s, uint32_t w)
{
	if ((w & 0x3fe00410u) != 0x3a400000u)
		return false;
	forget(s, (w >> 5) & 31);
	return true;
}

/* Single-register loads and stores other than LDR/STR (unsigned offset) of a word: general
 * registers in every addressing mode, SIMD&FP registers, literals. */
static bool ld_st_other(struct sweep *s, uint32_t w)
{
	unsigned rt = w & 31, rn = (w >> 5) & 31, size = w >> 30, opc = (w >> 22) & 3;
	bool simd = w & 0x04000000u;
	if ((w & 0x3b000000u) == 0x18000000u) { /* literal */
		unsigned lopc = w >> 30;
		if (simd)
			return lopc != 3; /* into a SIMD&FP register: nothing */
		if (lopc != 3)    /* LDR w/x, LDRSW; PRFM writes nothing */
			forget(s, rt);
		return true;
	}
	if ((w & 0x3a000000u) != 0x38000000u)
		return false;
	bool load = opc != 0;
	if (simd) {
		if (opc >= 2 && size != 0)
			return false; /* only the 128-bit forms use opc 2 and 3 */
		load = opc & 1;
	} else {
		if (opc == 3 && size >= 2)
			return false; /* unallocated */
	}
	bool prfm = !simd && size == 3 && opc == 2;
	if ((w & 0x3b000000u) == 0x39000000u) { /* unsigned offset: LDRB/H, LDRS*, PRFM; SIMD&FP */
		if (!simd && load && !prfm)
			forget(s, rt);
		return true;
	}
	if ((w & 0x3b200c00u) == 0x38200800u) { /* register offset */
		unsigned option = (w >> 13) & 7;
		if (option != 2 && option != 3 && option != 6 && option != 7)
			return false;
		if (simd || !load || prfm)
			return true;
		if (opc == 1 && size >= 2) { /* LDR w/x: dis_load_from with an index */
			if (rt != 31)
				s->st.r[rt] = dis_unk();
		} else {
			forget(s, rt);
		}
		return true;
	}
	if ((w & 0x3b200000u) != 0x38000000u)
		return false;
	unsigned kind = (w >> 10) & 3; /* 0 unscaled, 1 post-index, 2 unprivileged, 3 pre-index */
	if (prfm)
		return kind == 0; /* PRFUM writes nothing; the other modes are unallocated */
	if (kind == 2) {          /* LDTR*, STTR*: general registers only, no writeback */
		if (simd || (rn == rt && rn != 31))
			return false; /* capstone rejects LDTR with Rn == Rt */
		if (load)
			forget(s, rt);
		return true;
	}
	if (!simd && kind != 0 && rn == rt && rn != 31)
		return false; /* writeback to the register transferred: unpredictable */
	if (!load) {
		if (kind != 0)
			put(s, rn, V_UNK, 0, 0);
		return true;
	}
	if (!simd)
		forget(s, rt);
	return true;
}

/* LDXR, LDAXR, STXR, STLXR, LDAR, STLR (and their byte and halfword forms) in their canonical
 * encodings: a load forgets Rt; a store writes the status register, which the generic step does
 * not see (st* names its first operand as read). */
static bool exclusives(struct sweep *s, uint32_t w)
{
	if ((w & 0x3f200000u) != 0x08000000u || ((w >> 10) & 31) != 31)
		return false;
	bool o2 = w & 0x00800000u, load = w & 0x00400000u, o0 = w & 0x8000u;
	unsigned rs = (w >> 16) & 31, rt = w & 31, rn = (w >> 5) & 31;
	if (o2 && !o0)
		return false; /* LDLAR, STLLR */
	if (load || o2) {
		if (rs != 31)
			return false;
	} else if (rs == rt || (rs == rn && rn != 31)) {
		return false; /* unpredictable */
	}
	if (load)
		forget(s, rt);
	return true;
}

/* Moves and conversions between general and SIMD&FP registers: the general destination is
 * forgotten; UMOV of a word or doubleword is capstone's MOV alias, which clears the whole value. */
static bool fp_gpr(struct sweep *s, uint32_t w)
{
	unsigned rd = w & 31;
	if ((w & 0x7f20fc00u) == 0x1e200000u) { /* conversion between FP and integer */
		bool sf = w & 0x80000000u;
		unsigned type = (w >> 22) & 3, rmode = (w >> 19) & 3, op = (w >> 16) & 7;
		if (type > 1)
			return false; /* half precision, FMOV of the top half: capstone */
		bool to_gpr;
		if (rmode == 0 && op <= 5)
			to_gpr = op != 2 && op != 3; /* SCVTF, UCVTF write the FP register */
		else if (rmode == 0 && op >= 6 && sf == (type == 1))
			to_gpr = op == 6; /* FMOV */
		else if (op <= 1)
			to_gpr = true; /* FCVTP*, FCVTM*, FCVTZ* */
		else
			return false;
		if (to_gpr)
			forget(s, rd);
		return true;
	}
	if ((w & 0xbfe0fc00u) == 0x0e003c00u) { /* UMOV */
		bool q = w & 0x40000000u;
		unsigned imm5 = (w >> 16) & 31;
		bool bh = !q && ((imm5 & 1) || (imm5 & 3) == 2);
		bool sd = (!q && (imm5 & 7) == 4) || (q && (imm5 & 15) == 8);
		if (!bh && !sd)
			return false;
		if (rd != 31) {
			if (sd)
				clear(s, rd);
			else
				put(s, rd, V_UNK, 0, 0);
		}
		return true;
	}
	if ((w & 0xbfe0fc00u) == 0x0e002c00u) { /* SMOV */
		bool q = w & 0x40000000u;
		unsigned imm5 = (w >> 16) & 31;
		if (!((imm5 & 1) || (imm5 & 3) == 2 || (q && (imm5 & 7) == 4)))
			return false;
		forget(s, rd);
		return true;
	}
	return false;
}

/* Hints (NOP, YIELD, ...), barriers and CLREX change nothing; MRS forgets Rt. */
static bool sys_insn(struct sweep *s, uint32_t w)
{
	if ((w & 0xfffff01fu) == 0xd503201fu || /* hints */
	    (w & 0xfffff0ffu) == 0xd503305fu || /* CLREX */
	    (w & 0xfffff0ffu) == 0xd503309fu || /* DSB */
	    (w & 0xfffff0ffu) == 0xd50330bfu || /* DMB */
	    (w & 0xfffff0ffu) == 0xd50330dfu)   /* ISB */
		return true;
	if ((w & 0xfff00000u) == 0xd5300000u) { /* MRS */
		forget(s, w & 31);
		return true;
	}
	return false;
}

bool dis_a64_unallocated(uint32_t w)
{
	/* bits 28:27 clear: reserved, unallocated and SVE, none of which capstone 4 decodes */
	return (w & 0x18000000u) == 0;
}

bool dis_a64_fast(struct sweep *s, uint32_t w, uint64_t at)
{
	return branches(s, w, at) || moves(s, w, at) || add_sub(s, w, at) ||
	       loads_stores(s, w) || pairs(s, w) || writes_rd(s, w) || logical_imm(s, w) ||
	       cond_compare(s, w) || ld_st_other(s, w) || exclusives(s, w) || fp_gpr(s, w) ||
	       sys_insn(s, w);
}

/* ---- self-check against capstone ---- */

void dis_seed_state(struct state *st, uint64_t seed)
{
	memset(st, 0, sizeof(*st));
	for (unsigned i = 0; i < NREG; i++) {
		uint64_t x = (seed + i) * 0x9e3779b97f4a7c15ull;
		x ^= x >> 29;
		st->r[i].k = (uint8_t)(x % 6);
		st->r[i].v = x >> 8 & 0xffffff;
		st->r[i].origin = 0x1000 + i;
		st->r[i].vm = (x >> 40) & 1;
	}
}

bool dis_same_state(const struct state *a, const struct state *b, unsigned *slot)
{
	for (unsigned i = 0; i < NREG; i++) {
		const struct val *x = &a->r[i], *y = &b->r[i];
		if (x->k != y->k || x->v != y->v || x->origin != y->origin || x->vm != y->vm) {
			*slot = i;
			return false;
		}
	}
	return true;
}

bool dis_selfcheck_open(struct sweep *b, cs_arch arch, cs_mode mode, char *why, size_t whylen)
{
	const struct dis_capstone *cs = dis_capstone();
	if (!cs || cs->open(arch, mode, &b->h) != CS_ERR_OK) {
		if (why && whylen)
			snprintf(why, whylen, "capstone cannot be opened");
		return false;
	}
	cs->option(b->h, CS_OPT_DETAIL, CS_OPT_ON);
	b->cs = cs;
	b->insn = cs->malloc_insn(b->h);
	return true;
}

void dis_selfcheck_close(struct sweep *b)
{
	if (b->insn)
		b->cs->free_insn(b->insn, 1);
	b->cs->close(&b->h);
	/* the call sites pass 2 recorded on the check's stand-in ELF (JNIEnv-table calls) */
	free(b->e->calls);
	free(b->e->regs);
	b->e->calls = NULL;
	b->e->regs = NULL;
}

size_t dis_a64_selfcheck(const uint32_t *words, size_t n, uint64_t at, size_t *handled,
			 char *why, size_t whylen)
{
	struct elf e = {0};
	e.machine = EM_AARCH64;
	struct sweep a = {0}, b = {0};
	a.e = b.e = &e;
	a.pass = b.pass = 2;
	*handled = 0;
	if (why && whylen)
		why[0] = 0;
	if (!dis_selfcheck_open(&b, CS_ARCH_ARM64, CS_MODE_ARM, why, whylen))
		return n ? n : 1;
	size_t bad = 0;
	for (size_t i = 0; i < n && b.insn; i++) {
		uint64_t pc = at + 4 * i;
		dis_seed_state(&a.st, words[i] ^ (uint64_t)i << 32);
		b.st = a.st;
		bool unalloc = dis_a64_unallocated(words[i]);
		if (unalloc)
			dis_reset(&a.st);
		else if (!dis_a64_fast(&a, words[i], pc))
			continue;
		(*handled)++;
		uint8_t bytes[4] = {(uint8_t)words[i], (uint8_t)(words[i] >> 8),
				    (uint8_t)(words[i] >> 16), (uint8_t)(words[i] >> 24)};
		const uint8_t *code = bytes;
		size_t size = 4;
		uint64_t addr = pc;
		bool decoded = b.cs->disasm_iter(b.h, &code, &size, &addr, b.insn);
		if (decoded)
			dis_step_a64(&b, b.insn);
		else
			dis_reset(&b.st);
		unsigned slot = 0;
		if (decoded == unalloc) { /* also counted differently as an instruction */
			if (!bad && why && whylen)
				snprintf(why, whylen, "word 0x%08x at 0x%llx: %s by capstone, %s by hand",
					 words[i], (unsigned long long)pc,
					 decoded ? "decoded" : "undecodable",
					 unalloc ? "unallocated" : "decoded");
			bad++;
		} else if (!dis_same_state(&a.st, &b.st, &slot)) {
			if (!bad && why && whylen)
				snprintf(why, whylen,
					 "word 0x%08x at 0x%llx (%s %s): register slot %u differs "
					 "(fast k%u v0x%llx o0x%llx, capstone k%u v0x%llx o0x%llx)",
					 words[i], (unsigned long long)pc,
					 decoded ? b.insn->mnemonic : "(undecodable)",
					 decoded ? b.insn->op_str : "", slot, a.st.r[slot].k,
					 (unsigned long long)a.st.r[slot].v,
					 (unsigned long long)a.st.r[slot].origin, b.st.r[slot].k,
					 (unsigned long long)b.st.r[slot].v,
					 (unsigned long long)b.st.r[slot].origin);
			bad++;
		}
	}
	dis_selfcheck_close(&b);
	return bad;
}
