/* A per-library cache of decoded instructions (AArch64, ARM, Thumb), keyed by the encoding.
 * Capstone spends thousands of host instructions on each decode (it formats the text and looks
 * the mnemonic up by name even when only the detail is wanted), and compiled code repeats
 * encodings a lot: prologues, epilogues, stack spills, register moves. An encoding decodes the
 * same at any address unless it is PC-relative or (Thumb) inside an IT block, so those always
 * go to capstone (the caller says which); everything else is decoded once and the tracker is
 * handed a copy of what it reads: id, mnemonic, the written registers, the architecture's
 * operands (only the op_count used, so an entry is a few hundred bytes). Undecodable encodings
 * are cached too. At most AP_MAX_NATIVE_DECODE_CACHE entries and AP_MAX_NATIVE_DECODE_BYTES of
 * operands: when either is reached the cache starts over empty (the same result either way). */
#include "disasm_int.h"

#include "ap_limits.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct dis_cached {
	uint64_t key;
	uint8_t size;       /* bytes the instruction takes */
	bool invalid;       /* capstone cannot decode it */
	bool uncacheable;   /* decoded, but its decode depends on the address: ask capstone */
	unsigned id;
	char mnemonic[sizeof(((cs_insn *)0)->mnemonic)];
	uint8_t regs_write_count;
	__typeof__(((cs_detail *)0)->regs_write[0]) regs_write[sizeof(((cs_detail *)0)->regs_write) /
							       sizeof(((cs_detail *)0)->regs_write[0])];
	uint32_t detail_off; /* the cs_arm64 / cs_arm prefix in the pool */
	uint32_t detail_len;
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

bool dis_arm_cacheable(const cs_insn *in)
{
	switch (in->id) {
	case ARM_INS_B: case ARM_INS_BL: case ARM_INS_BLX: case ARM_INS_CBZ: case ARM_INS_CBNZ:
	case ARM_INS_ADR: case ARM_INS_IT: case ARM_INS_TBB: case ARM_INS_TBH:
		return false;
	default:
		break;
	}
	const cs_arm *a = &in->detail->arm;
	for (int i = 0; i < a->op_count; i++)
		if ((a->operands[i].type == ARM_OP_REG && a->operands[i].reg == ARM_REG_PC) ||
		    (a->operands[i].type == ARM_OP_MEM && a->operands[i].mem.base == ARM_REG_PC))
			return false;
	return true;
}

/* slot of key k in the open-addressing table (an empty one when absent) */
static size_t slot_of(const struct dis_cache *c, uint64_t k)
{
	size_t mask = c->cap_slots - 1;
	size_t i = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 40) & mask;
	while (c->slots[i] && c->entries[c->slots[i] - 1].key != k)
		i = (i + 1) & mask;
	return i;
}

const struct dis_cached *dis_cache_get(const struct dis_cache *c, uint64_t key)
{
	if (!c->cap_slots)
		return NULL;
	uint32_t k = c->slots[slot_of(c, key)];
	return k ? &c->entries[k - 1] : NULL;
}

bool dis_cached_usable(const struct dis_cached *e)
{
	return !e->uncacheable;
}

/* The tables are allocated at their maximum on first use: malloc hands out that much as untouched
 * pages, which cost nothing until written, where growing by doubling copied (and faulted in)
 * every page again at each step. */
#define CACHE_SLOTS (2u * AP_MAX_NATIVE_DECODE_CACHE)
_Static_assert((CACHE_SLOTS & (CACHE_SLOTS - 1)) == 0, "slot count must be a power of two");

static bool grow(struct dis_cache *c, size_t detail)
{
	if (c->entries)
		return c->n < c->cap && c->n_pool + detail <= c->cap_pool;
	c->entries = malloc(AP_MAX_NATIVE_DECODE_CACHE * sizeof(*c->entries));
	c->slots = calloc(CACHE_SLOTS, sizeof(*c->slots));
	c->pool = malloc(AP_MAX_NATIVE_DECODE_BYTES);
	if (!c->entries || !c->slots || !c->pool) {
		free(c->entries);
		free(c->slots);
		free(c->pool);
		memset(c, 0, sizeof(*c));
		return false;
	}
	c->cap = AP_MAX_NATIVE_DECODE_CACHE;
	c->cap_slots = CACHE_SLOTS;
	c->cap_pool = AP_MAX_NATIVE_DECODE_BYTES;
	return detail <= c->cap_pool;
}

/* The operand part capstone filled: the header and op_count operands. */
static size_t detail_len(const cs_insn *in, uint16_t machine, const void **src)
{
	if (machine == EM_AARCH64) {
		*src = &in->detail->arm64;
		return offsetof(cs_arm64, operands) +
		       (size_t)in->detail->arm64.op_count * sizeof(cs_arm64_op);
	}
	*src = &in->detail->arm;
	return offsetof(cs_arm, operands) + (size_t)in->detail->arm.op_count * sizeof(cs_arm_op);
}

void dis_cache_put(struct dis_cache *c, uint64_t key, unsigned size, const cs_insn *in,
		   uint16_t machine, bool cacheable)
{
	const void *src = NULL;
	size_t len = in && cacheable ? detail_len(in, machine, &src) : 0;
	if (c->n >= AP_MAX_NATIVE_DECODE_CACHE || c->n_pool + len > AP_MAX_NATIVE_DECODE_BYTES) {
		/* full: start over, keeping the memory bounded; code nearby repeats nearby */
		c->n = 0;
		c->n_pool = 0;
		memset(c->slots, 0, c->cap_slots * sizeof(*c->slots));
	}
	if (!grow(c, len))
		return; /* no memory: later encodings are decoded by capstone every time */
	struct dis_cached *e = &c->entries[c->n];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->size = (uint8_t)size;
	e->invalid = in == NULL;
	e->uncacheable = in && !cacheable;
	if (in && cacheable) {
		e->id = in->id;
		memcpy(e->mnemonic, in->mnemonic, sizeof(e->mnemonic));
		e->regs_write_count = in->detail->regs_write_count;
		memcpy(e->regs_write, in->detail->regs_write, sizeof(e->regs_write));
		e->detail_off = (uint32_t)c->n_pool;
		e->detail_len = (uint32_t)len;
		memcpy(c->pool + c->n_pool, src, len);
		c->n_pool += len;
	}
	c->n++;
	c->slots[slot_of(c, key)] = (uint32_t)c->n;
}

bool dis_cache_fill(const struct dis_cache *c, const struct dis_cached *e, cs_insn *in,
		    uint64_t addr, uint16_t machine)
{
	if (e->invalid)
		return false;
	in->id = e->id;
	in->address = addr;
	in->size = e->size;
	memcpy(in->mnemonic, e->mnemonic, sizeof(in->mnemonic));
	in->detail->regs_write_count = e->regs_write_count;
	memcpy(in->detail->regs_write, e->regs_write, sizeof(e->regs_write));
	void *dst = machine == EM_AARCH64 ? (void *)&in->detail->arm64 : (void *)&in->detail->arm;
	memcpy(dst, c->pool + e->detail_off, e->detail_len);
	return true;
}

unsigned dis_cached_size(const struct dis_cached *e)
{
	return e->size;
}

void dis_cache_free(struct dis_cache *c)
{
	free(c->entries);
	free(c->slots);
	free(c->pool);
	memset(c, 0, sizeof(*c));
}
