/* A per-library cache of decoded AArch64 instructions, keyed by the 32-bit word. Capstone spends
 * thousands of host instructions on each decode (it formats the text and looks the mnemonic up by
 * name even when only the detail is wanted), and compiled code repeats words a lot: prologues,
 * epilogues, stack spills, register moves. A word decodes the same at any address unless it is
 * PC-relative, so those (branches, ADR/ADRP, literal loads) always go to capstone; everything else
 * is decoded once and the tracker is handed a copy of what it reads (id, mnemonic, the written
 * registers, the AArch64 operands). Undecodable words are cached too. */
#include "disasm_int.h"

#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

struct dis_cached {
	uint32_t word;
	bool invalid;
	unsigned id;
	char mnemonic[sizeof(((cs_insn *)0)->mnemonic)];
	uint8_t regs_write_count;
	__typeof__(((cs_detail *)0)->regs_write[0]) regs_write[sizeof(((cs_detail *)0)->regs_write) /
							       sizeof(((cs_detail *)0)->regs_write[0])];
	cs_arm64 arm64;
};

bool dis_a64_pc_relative(uint32_t w)
{
	return (w & 0x1f000000u) == 0x10000000u || /* ADR, ADRP */
	       (w & 0x7c000000u) == 0x14000000u || /* B, BL */
	       (w & 0xff000000u) == 0x54000000u || /* B.cond */
	       (w & 0x7e000000u) == 0x34000000u || /* CBZ, CBNZ */
	       (w & 0x7e000000u) == 0x36000000u || /* TBZ, TBNZ */
	       (w & 0x3b000000u) == 0x18000000u;   /* LDR, LDRSW, PRFM (literal), SIMD literal */
}

/* slot of word w in the open-addressing table (an empty one when absent) */
static size_t slot_of(const struct dis_cache *c, uint32_t w)
{
	size_t mask = c->cap_slots - 1;
	size_t i = (size_t)((w * 0x9e3779b1u) >> 7) & mask;
	while (c->slots[i] && c->entries[c->slots[i] - 1].word != w)
		i = (i + 1) & mask;
	return i;
}

const struct dis_cached *dis_cache_get(const struct dis_cache *c, uint32_t w)
{
	if (!c->cap_slots)
		return NULL;
	uint32_t k = c->slots[slot_of(c, w)];
	return k ? &c->entries[k - 1] : NULL;
}

static bool grow(struct dis_cache *c)
{
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 1024;
		struct dis_cached *e = realloc(c->entries, nc * sizeof(*e));
		if (!e)
			return false;
		c->entries = e;
		c->cap = nc;
	}
	if ((c->n + 1) * 2 > c->cap_slots) {
		size_t ns = c->cap_slots ? c->cap_slots * 2 : 2048;
		uint32_t *sl = calloc(ns, sizeof(*sl));
		if (!sl)
			return false;
		free(c->slots);
		c->slots = sl;
		c->cap_slots = ns;
		for (size_t i = 0; i < c->n; i++)
			c->slots[slot_of(c, c->entries[i].word)] = (uint32_t)(i + 1);
	}
	return true;
}

void dis_cache_put(struct dis_cache *c, uint32_t w, const cs_insn *in)
{
	if (c->n >= AP_MAX_NATIVE_DECODE_CACHE || !grow(c))
		return; /* full: later words are decoded by capstone every time */
	struct dis_cached *e = &c->entries[c->n];
	memset(e, 0, sizeof(*e));
	e->word = w;
	e->invalid = in == NULL;
	if (in) {
		e->id = in->id;
		memcpy(e->mnemonic, in->mnemonic, sizeof(e->mnemonic));
		e->regs_write_count = in->detail->regs_write_count;
		memcpy(e->regs_write, in->detail->regs_write, sizeof(e->regs_write));
		e->arm64 = in->detail->arm64;
	}
	c->n++;
	c->slots[slot_of(c, w)] = (uint32_t)c->n;
}

bool dis_cache_fill(const struct dis_cached *e, cs_insn *in, uint64_t addr)
{
	if (e->invalid)
		return false;
	in->id = e->id;
	in->address = addr;
	in->size = 4;
	memcpy(in->mnemonic, e->mnemonic, sizeof(in->mnemonic));
	in->detail->regs_write_count = e->regs_write_count;
	memcpy(in->detail->regs_write, e->regs_write, sizeof(e->regs_write));
	in->detail->arm64 = e->arm64;
	return true;
}

void dis_cache_free(struct dis_cache *c)
{
	free(c->entries);
	free(c->slots);
	memset(c, 0, sizeof(*c));
}
