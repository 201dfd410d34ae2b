/* Internals shared by the disassembler's files (disasm.c: the sweep, register numbering and call
 * resolution; disasm_a64.c, disasm_arm.c, disasm_x86.c: one instruction step per architecture):
 * the value a register holds, the tracker state and the sweep. Only these files include
 * capstone.h. */
#ifndef AP_DISASM_INT_H
#define AP_DISASM_INT_H

#include "native_int.h"

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdint.h>

#define PF_X 1
#define NREG 32

enum vkind {
	V_UNK = 0,
	V_CONST,  /* a known number (address or integer) */
	V_MEM,    /* the word loaded from known address v (a GOT slot, a literal) */
	V_DEREF,  /* *(p) for an unknown p: e.g. the JNIEnv function table pointer */
	V_TABLE,  /* (*p)[v]: a function pointer at byte offset v of such a table */
	V_VM,     /* JNI_OnLoad's JavaVM*: its table is JNIInvokeInterface, not JNIEnv's */
};

struct val {
	uint8_t k;
	uint64_t v;
	uint64_t origin; /* address of the first instruction that built this value */
	bool vm;         /* derived from JNI_OnLoad's JavaVM* rather than a JNIEnv* */
};

struct state {
	struct val r[NREG];
	/* x86 (32-bit) passes arguments on the stack: slots [esp+4i] and pushes since last call */
	struct val stk[6];
	struct val push[8];
	unsigned n_push;
	uint64_t endbr; /* address of an endbr64 right before, for .plt.sec stubs */
};

/* decoded instructions (disasm_cache.c); keys: AArch64 the word; ARM 1 << 32 | word; Thumb
 * 2 << 32 | halfword or 3 << 32 | both halfwords */
struct dis_cached;
struct dis_cache {
	struct dis_cached *entries;
	size_t n, cap;
	uint32_t *slots; /* entry index + 1, 0 empty */
	size_t cap_slots;
	uint8_t *pool; /* the operands of the entries */
	size_t n_pool, cap_pool;
};
bool dis_a64_pc_relative(uint32_t w);
/* False for ARM/Thumb decodes that depend on the address (branches, PC operands, IT). */
bool dis_arm_cacheable(const cs_insn *in);
const struct dis_cached *dis_cache_get(const struct dis_cache *c, uint64_t key);
/* False for an entry that only records "decode this one with capstone every time". */
bool dis_cached_usable(const struct dis_cached *e);
unsigned dis_cached_size(const struct dis_cached *e);
/* in == NULL: the encoding does not decode; !cacheable: remember to ask capstone */
void dis_cache_put(struct dis_cache *c, uint64_t key, unsigned size, const cs_insn *in,
		   uint16_t machine, bool cacheable);
/* Fills in (address addr) from the cached decode; false when the encoding does not decode. */
bool dis_cache_fill(const struct dis_cache *c, const struct dis_cached *e, cs_insn *in,
		    uint64_t addr, uint16_t machine);
void dis_cache_free(struct dis_cache *c);

/* ARM/Thumb literal-pool words: addresses PC-relative loads read, so that the sweep does not
 * decode them as instructions (disasm_arm.c) */
struct dis_lits {
	uint32_t *slots; /* address + 1, 0 empty; open addressing */
	size_t n, cap;
	bool full;
};
bool dis_lit_at(const struct dis_lits *l, uint64_t addr);
void dis_lits_free(struct dis_lits *l);

struct sweep {
	struct elf *e;
	struct dis_cache cache;
	struct dis_lits lits;
	bool use_cache; /* AArch64 fast path and the decode cache, unless APKPRIV_CAPSTONE_ONLY */
	unsigned it_left; /* Thumb: instructions left in an IT block (decoded by capstone only) */
	bool reference; /* APKPRIV_CAPSTONE_ONLY: capstone for every word, no prefilter */
	/* capstone, opened on first need (insn != NULL once it is) */
	cs_arch arch;
	cs_mode mode;
	csh h;
	bool no_capstone, nomem;
	const struct dis_capstone *cs;
	cs_insn *insn;
	int pass; /* 1: PLT stubs, 2: call sites */
	bool thumb;
	bool guessed_mode; /* ARM: no mark says this span's mode (guess_thumb chose it) */
	bool cond; /* Thumb hand decoder: the instruction is conditional (in an IT block) */
	bool limit; /* stop sweeping: the instruction cap, or no capstone when it was needed */
	struct state st;
};

/* remembers the word at addr as a literal-pool word (s->lits); an anomaly once the table is
 * full (disasm_arm.c) */
void dis_note_literal(struct sweep *s, uint64_t addr);

/* values and the register file */
struct val dis_mkv(uint8_t k, uint64_t v, uint64_t origin);
struct val dis_unk(void);
void dis_reset(struct state *st);
int dis_reg_of(const struct elf *e, unsigned r);
struct val *dis_reg(struct sweep *s, unsigned capreg);
void dis_set(struct sweep *s, unsigned capreg, uint8_t k, uint64_t v, uint64_t origin);
void dis_set_val(struct sweep *s, unsigned capreg, struct val v);
void dis_set_unknown(struct sweep *s, unsigned capreg);
void dis_clobber_generic(struct sweep *s, const cs_insn *in);

/* what a call or an indirect branch resolves to (reported as a native call site) */
void dis_direct(struct sweep *s, uint64_t target, uint64_t at);
void dis_indirect(struct sweep *s, struct val v, uint64_t at, bool is_call);
void dis_after_call(struct sweep *s);
bool dis_import_reported(const struct elf *e, uint32_t symidx);
struct elf_data_rng *dis_data_rng_at(const struct elf *e, uint64_t va);
/* For the prefilters: a direct branch to target could report (a reported import's PLT stub,
 * or declared data, which dis_direct may have decoded). */
bool dis_branch_may_report(const struct elf *e, uint64_t target);
struct val dis_load_from(struct sweep *s, const struct val *base, bool base_is_sp, int64_t disp,
			  bool has_index);

/* capstone's entry points, bound on first use (disasm_cs.c); the types are capstone.h's own */
struct dis_capstone {
	__typeof__(&cs_open) open;
	__typeof__(&cs_option) option;
	__typeof__(&cs_malloc) malloc_insn;
	__typeof__(&cs_disasm_iter) disasm_iter;
	__typeof__(&cs_free) free_insn;
	__typeof__(&cs_close) close;
};
/* NULL when the library cannot be loaded (then dis_capstone_error() says why). */
const struct dis_capstone *dis_capstone(void);
const char *dis_capstone_error(void);

/* one instruction of each architecture */
void dis_step_a64(struct sweep *s, const cs_insn *in);
/* False when no word in [start, end) can lead to a report: no direct branch to a reported import's
 * PLT stub or into declared data, and no branch through a register. Decoded by hand, no capstone. */
bool dis_a64_may_report(struct sweep *s, uint64_t start, uint64_t end);
/* The same step decoded by hand for the commonest words (disasm_fast.c); false: use capstone. */
bool dis_a64_fast(struct sweep *s, uint32_t w, uint64_t at);
/* True for words in an encoding space capstone decodes nothing in (op0 x00x: zero padding, UDF). */
bool dis_a64_unallocated(uint32_t w);
void dis_step_arm(struct sweep *s, const cs_insn *in);
/* False when no instruction in [start, end) can lead to a report (as dis_a64_may_report);
 * conservative: every halfword (Thumb) or word (ARM) is read as a possible instruction. */
bool dis_arm_may_report(struct sweep *s, uint64_t start, uint64_t end, bool thumb);
/* The signed offset of a 32-bit Thumb BL/BLX/B.W (encoding T1/T2/T4: S, J1, J2, imm10, imm11;
 * disasm_arm.c). */
uint64_t dis_thumb_bl_offset(unsigned h1, unsigned h2);
void dis_step_x86(struct sweep *s, const cs_insn *in);
/* Thumb outside IT blocks, decoded by hand for the commonest encodings (disasm_thumb.c): true
 * when it stepped the tracker as dis_step_arm would with capstone's decode, *len set to the
 * instruction's size; false: use the cache or capstone. An IT instruction whose block it can
 * decode whole is taken with its block (*len covers both; the block's instructions are added
 * to e->n_insns, the caller counts the IT). */
bool dis_thumb_fast(struct sweep *s, const uint8_t *code, size_t size, uint64_t at, unsigned *len);

/* for the self-checks: a random-looking tracker state, and the first register slot in which
 * two states differ (false then) */
void dis_seed_state(struct state *st, uint64_t seed);
/* b's capstone handle and instruction, detail on (false: why says so); closed again, with what
 * the check recorded on b's ELF */
bool dis_selfcheck_open(struct sweep *b, cs_arch arch, cs_mode mode, char *why, size_t whylen);
void dis_selfcheck_close(struct sweep *b);
bool dis_same_state(const struct state *a, const struct state *b, unsigned *slot);

#endif
