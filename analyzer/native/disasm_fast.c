/* AArch64 without capstone for the instructions that dominate compiled code: PC-relative
 * addressing, branches, register and wide-immediate moves, add/sub immediate, 32/64-bit loads
 * and stores with an immediate offset, stack pair stores and loads, compares. Each one changes
 * the tracker exactly as dis_step_a64 does with capstone's decode of the same word; anything
 * else (and any encoding this file is not sure capstone accepts) is left to capstone.
 * dis_a64_selfcheck runs both on the same words and states: the unit tests feed it random words
 * and every word of the corpus libraries, so a difference is a test failure. */
#include "disasm_int.h"

#include <stdio.h>
#include <string.h>

#define SP_SLOT 31

/* dis_set / dis_set_val / dis_set_unknown on a register slot (ZR: rd == 31 where 31 is ZR) */
static void put(struct sweep *s, unsigned slot, uint8_t k, uint64_t v, uint64_t origin)
{
	s->st.r[slot].k = k;
	s->st.r[slot].v = v;
	s->st.r[slot].origin = origin;
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
		if (opc == 1 || opc == 0 || (!(w & 0x80000000u) && hw >= 2))
			return false; /* MOVN (alias rules) and unallocated forms: capstone */
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
		if (setflags)
			return rd == 31; /* CMP, CMN: only the flags */
		bool sub = w & 0x40000000u, sh = w & 0x00400000u;
		uint64_t imm = (uint64_t)((w >> 10) & 0xfff);
		if (!(w & 0x80000000u) && (rd == 31 || rn == 31))
			return false; /* WSP: capstone's register, not a tracker slot */
		if (!sub && !sh && !imm && (rd == 31 || rn == 31)) { /* MOV to or from SP */
			s->st.r[rd] = s->st.r[rn];
			return true;
		}
		const struct val src = s->st.r[rn];
		if (src.k == V_CONST) {
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
	return false;
}

/* LDR/STR (unsigned offset), STP/LDP (64-bit: offset, pre-index, post-index) */
static bool loads_stores(struct sweep *s, uint32_t w, uint64_t at)
{
	(void)at;
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
	unsigned rt2 = (w >> 10) & 31, mode = (w >> 23) & 3;
	/* pairs: STNP/LDNP, and what capstone rejects as unpredictable (writeback to a register
	 * the pair transfers; LDP of one register twice) go to capstone */
	if ((w & 0xfe000000u) == 0xa8000000u &&
	    (mode == 0 || (mode != 2 && rn != 31 && (rn == rt || rn == rt2)) ||
	     ((w & 0x00400000u) && rt == rt2)))
		return false;
	if ((w & 0xfe400000u) == 0xa8000000u) { /* STP x (post-index, offset, pre-index) */
		if (mode != 2)
			put(s, rn, V_UNK, 0, 0); /* writeback */
		return true;
	}
	if ((w & 0xfe400000u) == 0xa8400000u) { /* LDP x */
		if (rt != 31)
			put(s, rt, V_UNK, 0, 0);
		if (rt2 != 31)
			put(s, rt2, V_UNK, 0, 0);
		return true;
	}
	return false;
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
	if (!ok)
		return false;
	if (rd != 31)
		put(s, rd, V_UNK, 0, 0);
	return true;
}

/* Single-register loads and stores other than LDR/STR (unsigned offset) of a word. */
static bool ld_st_other(struct sweep *s, uint32_t w)
{
	unsigned rt = w & 31, rn = (w >> 5) & 31, size = w >> 30, opc = (w >> 22) & 3;
	bool load = opc != 0;
	if (size == 3 && opc == 3)
		return false; /* unallocated */
	if (size == 2 && opc == 3)
		return false;
	bool prfm = size == 3 && opc == 2;
	if ((w & 0x3f000000u) == 0x39000000u) { /* unsigned offset: LDRB/H, LDRS*, PRFM */
		if (load && !prfm && rt != 31)
			put(s, rt, V_UNK, 0, 0);
		return true;
	}
	if ((w & 0x3f200000u) != 0x38000000u)
		return false;
	unsigned kind = (w >> 10) & 3; /* 0 unscaled, 1 post-index, 2 unprivileged, 3 pre-index */
	if (kind == 2 || prfm)
		return false;
	if (kind != 0 && rn == rt && rn != 31)
		return false; /* writeback to the register transferred: unpredictable */
	if (!load) {
		if (kind != 0)
			put(s, rn, V_UNK, 0, 0);
		return true;
	}
	if (rt != 31)
		put(s, rt, V_UNK, 0, 0);
	return true;
}

bool dis_a64_fast(struct sweep *s, uint32_t w, uint64_t at)
{
	return branches(s, w, at) || moves(s, w, at) || add_sub(s, w, at) ||
	       loads_stores(s, w, at) || writes_rd(s, w) || ld_st_other(s, w);
}

/* ---- self-check against capstone ---- */

static void seed_state(struct state *st, uint64_t seed)
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

static bool same_state(const struct state *a, const struct state *b, unsigned *slot)
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

size_t dis_a64_selfcheck(const uint32_t *words, size_t n, uint64_t at, size_t *handled,
			 char *why, size_t whylen)
{
	const struct dis_capstone *cs = dis_capstone();
	struct elf e = {0};
	e.machine = EM_AARCH64;
	struct sweep a = {0}, b = {0};
	a.e = b.e = &e;
	a.pass = b.pass = 2;
	*handled = 0;
	if (why && whylen)
		why[0] = 0;
	if (!cs || cs->open(CS_ARCH_ARM64, CS_MODE_ARM, &b.h) != CS_ERR_OK) {
		if (why && whylen)
			snprintf(why, whylen, "capstone cannot be opened");
		return n ? n : 1;
	}
	cs->option(b.h, CS_OPT_DETAIL, CS_OPT_ON);
	b.cs = cs;
	b.insn = cs->malloc_insn(b.h);
	size_t bad = 0;
	for (size_t i = 0; i < n && b.insn; i++) {
		uint64_t pc = at + 4 * i;
		seed_state(&a.st, words[i] ^ (uint64_t)i << 32);
		b.st = a.st;
		if (!dis_a64_fast(&a, words[i], pc))
			continue;
		(*handled)++;
		uint8_t bytes[4] = {(uint8_t)words[i], (uint8_t)(words[i] >> 8),
				    (uint8_t)(words[i] >> 16), (uint8_t)(words[i] >> 24)};
		const uint8_t *code = bytes;
		size_t size = 4;
		uint64_t addr = pc;
		bool decoded = cs->disasm_iter(b.h, &code, &size, &addr, b.insn);
		if (decoded)
			dis_step_a64(&b, b.insn);
		else
			dis_reset(&b.st);
		unsigned slot = 0;
		if (!same_state(&a.st, &b.st, &slot)) {
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
	if (b.insn)
		cs->free_insn(b.insn, 1);
	cs->close(&b.h);
	return bad;
}
