/* Disassembly (the one Capstone user): a bounded linear sweep of executable code with a tiny
 * per-register constant tracker. Pass 1 decodes PLT stubs (the GOT slot they jump through, matched
 * to JUMP_SLOT relocations) into a stub -> import map; pass 2 finds calls to those stubs (or
 * straight through GOT slots) and calls through the JNIEnv function table, and reads the constant
 * arguments the tracker holds in the argument registers at that point. */
#include "disasm_int.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void elf_plt_add(struct elf *e, uint64_t addr, uint32_t sym)
{
	if (elf_plt_lookup(e, addr) || e->n_plt >= AP_MAX_ELF_RELOCS)
		return;
	if (e->n_plt == e->cap_plt) {
		size_t nc = e->cap_plt ? e->cap_plt * 2 : 64;
		struct plt_ent *p = realloc(e->plt, nc * sizeof(*p));
		if (!p)
			return;
		e->plt = p;
		e->cap_plt = nc;
	}
	/* keep sorted: stubs are found in address order, so this is nearly always an append */
	size_t i = e->n_plt;
	while (i > 0 && e->plt[i - 1].addr > addr) {
		e->plt[i] = e->plt[i - 1];
		i--;
	}
	e->plt[i].addr = addr;
	e->plt[i].sym = sym;
	e->plt[i].reported = dis_import_reported(e, sym); /* asked once per branch otherwise */
	e->n_plt++;
}

/* The PLT entry at addr, or NULL. */
static const struct plt_ent *plt_find(const struct elf *e, uint64_t addr)
{
	if (!e->n_plt || addr < e->plt[0].addr || addr > e->plt[e->n_plt - 1].addr)
		return NULL;
	size_t i = elf_first_key(e->plt, e->n_plt, sizeof *e->plt, offsetof(struct plt_ent, addr),
				 addr, false);
	return i < e->n_plt && e->plt[i].addr == addr ? &e->plt[i] : NULL;
}

uint32_t elf_plt_lookup(const struct elf *e, uint64_t addr)
{
	const struct plt_ent *p = plt_find(e, addr);
	return p ? p->sym : 0;
}

bool elf_plt_reported(const struct elf *e, uint64_t addr)
{
	const struct plt_ent *p = plt_find(e, addr);
	return p && p->reported;
}

struct val dis_mkv(uint8_t k, uint64_t v, uint64_t origin)
{
	struct val x = {k, v, origin, false};
	return x;
}

struct val dis_unk(void)
{
	return dis_mkv(V_UNK, 0, 0);
}

void dis_reset(struct state *st)
{
	memset(st, 0, sizeof(*st));
}

/* ---- register numbering: capstone ids -> 0..NREG-1 (sub-registers share a slot) ---- */

static int reg_a64(unsigned r)
{
	if (r >= ARM64_REG_X0 && r <= ARM64_REG_X28)
		return (int)(r - ARM64_REG_X0);
	if (r >= ARM64_REG_W0 && r <= ARM64_REG_W30)
		return (int)(r - ARM64_REG_W0);
	if (r == ARM64_REG_X29)
		return 29;
	if (r == ARM64_REG_X30)
		return 30;
	if (r == ARM64_REG_SP)
		return 31;
	return -1;
}

static int reg_arm(unsigned r)
{
	if (r >= ARM_REG_R0 && r <= ARM_REG_R12)
		return (int)(r - ARM_REG_R0);
	if (r == ARM_REG_SP)
		return 13;
	if (r == ARM_REG_LR)
		return 14;
	if (r == ARM_REG_PC)
		return 15;
	return -1;
}

static int reg_x86(unsigned r)
{
	switch (r) {
	case X86_REG_RAX: case X86_REG_EAX: case X86_REG_AX: case X86_REG_AL: return 0;
	case X86_REG_RCX: case X86_REG_ECX: case X86_REG_CX: case X86_REG_CL: return 1;
	case X86_REG_RDX: case X86_REG_EDX: case X86_REG_DX: case X86_REG_DL: return 2;
	case X86_REG_RBX: case X86_REG_EBX: case X86_REG_BX: case X86_REG_BL: return 3;
	case X86_REG_RSP: case X86_REG_ESP: case X86_REG_SP: return 4;
	case X86_REG_RBP: case X86_REG_EBP: case X86_REG_BP: return 5;
	case X86_REG_RSI: case X86_REG_ESI: case X86_REG_SI: case X86_REG_SIL: return 6;
	case X86_REG_RDI: case X86_REG_EDI: case X86_REG_DI: case X86_REG_DIL: return 7;
	case X86_REG_R8: case X86_REG_R8D: return 8;
	case X86_REG_R9: case X86_REG_R9D: return 9;
	case X86_REG_R10: case X86_REG_R10D: return 10;
	case X86_REG_R11: case X86_REG_R11D: return 11;
	case X86_REG_R12: case X86_REG_R12D: return 12;
	case X86_REG_R13: case X86_REG_R13D: return 13;
	case X86_REG_R14: case X86_REG_R14D: return 14;
	case X86_REG_R15: case X86_REG_R15D: return 15;
	case X86_REG_RIP: return 16;
	default: return -1;
	}
}

int dis_reg_of(const struct elf *e, unsigned r)
{
	switch (e->machine) {
	case EM_AARCH64: return reg_a64(r);
	case EM_ARM: return reg_arm(r);
	default: return reg_x86(r);
	}
}

struct val *dis_reg(struct sweep *s, unsigned capreg)
{
	int i = dis_reg_of(s->e, capreg);
	return i >= 0 ? &s->st.r[i] : NULL;
}

void dis_set(struct sweep *s, unsigned capreg, uint8_t k, uint64_t v, uint64_t origin)
{
	struct val *d = dis_reg(s, capreg);
	if (!d)
		return;
	d->k = k;
	d->v = v;
	d->origin = origin;
}

void dis_set_val(struct sweep *s, unsigned capreg, struct val v)
{
	struct val *d = dis_reg(s, capreg);
	if (d)
		*d = v;
}

void dis_set_unknown(struct sweep *s, unsigned capreg)
{
	dis_set(s, capreg, V_UNK, 0, 0);
}

/* ---- what a call or an indirect branch resolves to ---- */

/* Argument registers per ABI (x86 32-bit reads the stack instead). */
static unsigned arg_regs(const struct elf *e, const int **regs)
{
	static const int a64[] = {0, 1, 2, 3, 4, 5, 6, 7};
	static const int arm[] = {0, 1, 2, 3};
	static const int x64[] = {7, 6, 2, 1, 8, 9}; /* rdi rsi rdx rcx r8 r9 */
	switch (e->machine) {
	case EM_AARCH64: *regs = a64; return 8;
	case EM_ARM: *regs = arm; return 4;
	case EM_X86_64: *regs = x64; return 6;
	default: *regs = NULL; return 0;
	}
}

static void collect_args(struct sweep *s, unsigned skip, uint64_t *vals, bool *known, unsigned *n)
{
	const int *regs;
	unsigned nr = arg_regs(s->e, &regs);
	*n = 0;
	for (unsigned i = skip; i < AP_NATIVE_MAX_ARGS + skip; i++) {
		struct val v = {0};
		if (regs) {
			if (i >= nr)
				break;
			v = s->st.r[regs[i]];
		} else if (i < s->st.n_push) {
			v = s->st.push[s->st.n_push - 1 - i];
		} else if (i - s->st.n_push < sizeof(s->st.stk) / sizeof(s->st.stk[0])) {
			v = s->st.stk[i - s->st.n_push];
		}
		vals[*n] = v.v;
		known[*n] = v.k == V_CONST;
		(*n)++;
	}
}

/* True when a call to import symidx is reported (a sensitive or a network import). */
bool dis_import_reported(const struct elf *e, uint32_t symidx)
{
	const struct ap_native_sym *sym = elf_sym(e, symidx);
	return sym && sym->name[0] &&
	       (sens_import_spec(sym->name) || ap_native_is_net_import(sym->name));
}

/* A call to an import dis_import_reported says yes to. */
static void report_import(struct sweep *s, uint32_t symidx, uint64_t at)
{
	const struct ap_native_sym *sym = elf_sym(s->e, symidx);
	const struct sens_spec *spec = sens_import_spec(sym->name);
	static const struct sens_spec plain = {NULL, ""};
	uint64_t vals[AP_NATIVE_MAX_ARGS];
	bool known[AP_NATIVE_MAX_ARGS];
	unsigned n;
	collect_args(s, 0, vals, known, &n);
	elf_add_call(s->e, AP_NCALL_IMPORT, sym->name, spec ? spec : &plain, at, vals, known, n);
}

static void report_jnienv(struct sweep *s, uint64_t off, uint64_t at)
{
	unsigned ps = s->e->is64 ? 8 : 4;
	if (off % ps || off / ps > 1024)
		return;
	const struct sens_spec *spec = sens_jnienv_spec((unsigned)(off / ps));
	if (!spec)
		return;
	uint64_t vals[AP_NATIVE_MAX_ARGS];
	bool known[AP_NATIVE_MAX_ARGS];
	unsigned n;
	collect_args(s, 1, vals, known, &n); /* after env */
	const char *name = ap_native_jnienv_name((unsigned)(off / ps));
	elf_add_call(s->e, AP_NCALL_JNIENV, name, spec, at, vals, known, n);
}

bool dis_branch_may_report(const struct elf *e, uint64_t target)
{
	return elf_plt_reported(e, target) || dis_data_rng_at(e, target);
}

/* The declared data range holding va, or NULL. */
struct elf_data_rng *dis_data_rng_at(const struct elf *e, uint64_t va)
{
	size_t i = elf_first_key(e->data, e->n_data, sizeof *e->data,
				 offsetof(struct elf_data_rng, end), va, true);
	return i < e->n_data && e->data[i].start <= va ? &e->data[i] : NULL;
}

/* A direct call/tail-jump to target. */
void dis_direct(struct sweep *s, uint64_t target, uint64_t at)
{
	if (s->pass != 2)
		return;
	const struct plt_ent *p = plt_find(s->e, target);
	if (p) {
		if (p->reported) /* asked once per stub (elf_plt_add), not per call */
			report_import(s, p->sym, at);
		return;
	}
	/* a call into declared data gets that range decoded (sweep_called), unless the caller's
	 * ARM/Thumb mode was only guessed: stripped ARM code mixes modes and inline data in spans
	 * no symbol describes, and decoded in the wrong mode it is full of BLs to anywhere */
	struct elf_data_rng *d = dis_data_rng_at(s->e, target);
	if (d && !s->guessed_mode && !d->swept && !d->called_at && elf_va_is_exec(s->e, target)) {
		d->called_at = at;
		d->target = target;
	}
}

/* A call or jump through a value: a GOT slot (pass 1: this is a PLT stub; pass 2: a call with
 * -fno-plt) or a JNIEnv table entry. */
void dis_indirect(struct sweep *s, struct val v, uint64_t at, bool is_call)
{
	if (v.k == V_MEM) {
		uint32_t sym = elf_got_symbol(s->e, v.v);
		if (!sym)
			return;
		if (s->pass == 1 && !is_call)
			elf_plt_add(s->e, v.origin ? v.origin : at, sym);
		else if (s->pass == 2 && !elf_plt_lookup(s->e, v.origin ? v.origin : at) &&
			 dis_import_reported(s->e, sym))
			report_import(s, sym, at);
	} else if (v.k == V_TABLE && s->pass == 2 && !v.vm) {
		report_jnienv(s, v.v, at);
	}
}

void dis_after_call(struct sweep *s)
{
	struct state *st = &s->st;
	switch (s->e->machine) {
	case EM_AARCH64:
		for (int i = 0; i <= 18; i++)
			st->r[i].k = V_UNK;
		st->r[30].k = V_UNK;
		break;
	case EM_ARM:
		for (int i = 0; i <= 3; i++)
			st->r[i].k = V_UNK;
		st->r[12].k = V_UNK;
		st->r[14].k = V_UNK;
		break;
	default: {
		static const int clob[] = {0, 1, 2, 6, 7, 8, 9, 10, 11};
		for (size_t i = 0; i < sizeof(clob) / sizeof(clob[0]); i++)
			st->r[clob[i]].k = V_UNK;
		st->n_push = 0;
		memset(st->stk, 0, sizeof(st->stk));
	}
	}
}

/* The value loaded by a load from [base + disp]. */
struct val dis_load_from(struct sweep *s, const struct val *base, bool base_is_sp,
			    int64_t disp, bool has_index)
{
	struct val out = {0};
	if (has_index || !base)
		return out;
	if (base->k == V_CONST) {
		out.k = V_MEM;
		out.v = base->v + (uint64_t)disp;
		out.origin = base->origin;
	} else if (base->k == V_DEREF && disp >= 0) {
		out.k = V_TABLE;
		out.v = (uint64_t)disp;
		out.vm = base->vm;
	} else if (disp == 0 && !base_is_sp) {
		out.k = V_DEREF;
		out.vm = base->k == V_VM;
	}
	(void)s;
	return out;
}

/* Generic fallback: every register operand the instruction writes becomes unknown. */
static void clobber_written(struct sweep *s, const cs_insn *in)
{
	const cs_detail *d = in->detail;
	switch (s->e->machine) {
	case EM_AARCH64:
		for (int i = 0; i < d->arm64.op_count; i++)
			if (d->arm64.operands[i].type == ARM64_OP_REG &&
			    (d->arm64.operands[i].access & CS_AC_WRITE || i == 0))
				dis_set_unknown(s, d->arm64.operands[i].reg);
		break;
	case EM_ARM:
		for (int i = 0; i < d->arm.op_count; i++)
			if (d->arm.operands[i].type == ARM_OP_REG &&
			    (d->arm.operands[i].access & CS_AC_WRITE || i == 0))
				dis_set_unknown(s, d->arm.operands[i].reg);
		break;
	default:
		for (int i = 0; i < d->x86.op_count; i++)
			if (d->x86.operands[i].type == X86_OP_REG &&
			    d->x86.operands[i].access & CS_AC_WRITE)
				dis_set_unknown(s, d->x86.operands[i].reg);
		break;
	}
	for (int i = 0; i < d->regs_write_count; i++)
		dis_set_unknown(s, d->regs_write[i]);
}

/* Stores, compares and branches name a register first without writing it. */
static bool reads_first_operand(const char *mn)
{
	return strncmp(mn, "st", 2) == 0 || strncmp(mn, "cmp", 3) == 0 ||
	       strncmp(mn, "cmn", 3) == 0 || strncmp(mn, "tst", 3) == 0 ||
	       strncmp(mn, "teq", 3) == 0 || strncmp(mn, "cb", 2) == 0 ||
	       strncmp(mn, "tb", 2) == 0 || strncmp(mn, "push", 4) == 0 ||
	       strncmp(mn, "prfm", 4) == 0 || strncmp(mn, "pld", 3) == 0 || mn[0] == 'b';
}

void dis_clobber_generic(struct sweep *s, const cs_insn *in)
{
	if (s->e->machine != EM_X86_64 && s->e->machine != EM_386 && reads_first_operand(in->mnemonic)) {
		const cs_detail *d = in->detail;
		for (int i = 0; i < d->regs_write_count; i++)
			dis_set_unknown(s, d->regs_write[i]);
		if (s->e->machine == EM_AARCH64 && d->arm64.writeback && d->arm64.op_count)
			for (int i = 0; i < d->arm64.op_count; i++)
				if (d->arm64.operands[i].type == ARM64_OP_MEM)
					dis_set_unknown(s, d->arm64.operands[i].mem.base);
		if (s->e->machine == EM_ARM && d->arm.writeback)
			for (int i = 0; i < d->arm.op_count; i++)
				if (d->arm.operands[i].type == ARM_OP_MEM)
					dis_set_unknown(s, d->arm.operands[i].mem.base);
		return;
	}
	clobber_written(s, in);
}

/* ---- the sweep ---- */

/* Capstone, opened on first need: AArch64 code that the hand decoder covers never loads it
 * (disasm_fast.c), the other architectures open it before the first instruction. False when it
 * cannot be had; the sweep then stops, with an anomaly saying from where. */
static bool open_capstone(struct sweep *s, uint64_t at)
{
	if (s->insn)
		return true;
	if (s->no_capstone)
		return false;
	struct elf *e = s->e;
	const char *why = NULL;
	s->cs = dis_capstone();
	if (!s->cs) {
		why = dis_capstone_error();
	} else if (s->cs->open(s->arch, s->mode, &s->h) != CS_ERR_OK) {
		why = "cs_open failed";
	} else {
		s->cs->option(s->h, CS_OPT_DETAIL, CS_OPT_ON);
		s->insn = s->cs->malloc_insn(s->h);
		if (!s->insn) {
			s->cs->close(&s->h);
			s->nomem = true;
			why = "out of memory";
		}
	}
	if (!why)
		return true;
	s->no_capstone = true;
	s->limit = true;
	e->lib->partial = true; /* code left undecoded: the library's result is partial */
	if (e->n_insns == 0)
		ap_anom_add(e->an, "native", e->path, AP_OFFSET_NONE, AP_ERR_DEP,
			    "capstone cannot be loaded (%s); imports and exports only", why);
	else
		ap_anom_add(e->an, "native", e->path, AP_OFFSET_NONE, AP_ERR_DEP,
			    "capstone cannot be loaded (%s); code from 0x%llx on not disassembled: "
			    "imports, exports and the calls before it only", why,
			    (unsigned long long)at);
	return false;
}

/* True when the bytes at addr are (or, in Thumb, a 32-bit instruction starting at addr would
 * run into) a remembered literal-pool word. */
static bool literal_ahead(const struct sweep *s, const uint8_t *code, size_t size, uint64_t addr)
{
	if (!(addr & 3))
		return dis_lit_at(&s->lits, addr);
	if (!s->thumb || size < 4 || !dis_lit_at(&s->lits, addr + 2))
		return false;
	unsigned hw = (unsigned)code[0] | (unsigned)code[1] << 8;
	return (hw >> 11) >= 0x1d; /* the first halfword of a 32-bit Thumb instruction */
}

/* The decode-cache key of the instruction at code, and its size in bytes; 0 when it has none
 * (too few bytes left). */
static unsigned cache_key(const struct sweep *s, const uint8_t *code, size_t size, uint64_t *key)
{
	uint32_t w = size >= 4 ? (uint32_t)code[0] | (uint32_t)code[1] << 8 |
					 (uint32_t)code[2] << 16 | (uint32_t)code[3] << 24 : 0;
	if (s->e->machine == EM_AARCH64 || (s->e->machine == EM_ARM && !s->thumb)) {
		*key = s->e->machine == EM_ARM ? (uint64_t)1 << 32 | w : w;
		return size >= 4 ? 4 : 0;
	}
	if (size < 2)
		return 0;
	unsigned hw = (unsigned)code[0] | (unsigned)code[1] << 8;
	if ((hw >> 11) < 0x1d) { /* 16-bit Thumb */
		*key = (uint64_t)2 << 32 | hw;
		return 2;
	}
	*key = (uint64_t)3 << 32 | w;
	return size >= 4 ? 4 : 0;
}

static void sweep_range(struct sweep *s, uint64_t start, uint64_t end, bool thumb)
{
	struct elf *e = s->e;
	uint64_t off;
	if (s->limit || end <= start || !elf_va_to_off(e, start, end - start, &off))
		return;
	s->it_left = 0;
	if (e->machine == EM_ARM)
		s->cs->option(s->h, CS_OPT_MODE, thumb ? CS_MODE_THUMB : CS_MODE_ARM);
	s->thumb = thumb;
	const uint8_t *code = e->buf + off;
	size_t size = (size_t)(end - start);
	uint64_t addr = start;
	size_t unit = e->machine == EM_ARM ? (thumb ? 2 : 4) : e->machine == EM_AARCH64 ? 4 : 1;
	while (size > 0) {
		if (e->n_insns >= AP_MAX_NATIVE_INSNS) {
			if (!s->limit)
				elf_anom(e, AP_OFFSET_NONE, AP_ERR_LIMIT,
					 "instruction cap AP_MAX_NATIVE_INSNS reached; code after 0x%llx "
					 "not analysed", (unsigned long long)addr);
			s->limit = true;
			return;
		}
		if (e->machine == EM_ARM && s->lits.n && literal_ahead(s, code, size, addr)) {
			/* a literal-pool word: data, not an instruction */
			size_t k = (addr & 3) ? 2 : 4;
			k = k < size ? k : size;
			code += k;
			size -= k;
			addr += k;
			dis_reset(&s->st);
			continue;
		}
		unsigned tlen;
		if (thumb && s->use_cache && s->it_left == 0 && dis_thumb_fast(s, code, size, addr, &tlen)) {
			/* decoded by hand (disasm_thumb.c), the tracker already stepped */
			code += tlen;
			size -= tlen;
			addr += tlen;
			e->n_insns++;
			continue;
		}
		const struct dis_cached *hit = NULL;
		uint64_t key = 0;
		unsigned ksize = s->use_cache ? cache_key(s, code, size, &key) : 0;
		bool cacheable = false, fast = false, unallocated = false;
		if (ksize && e->machine == EM_AARCH64) {
			uint32_t w = (uint32_t)key;
			unallocated = dis_a64_unallocated(w);
			fast = !unallocated && dis_a64_fast(s, w, addr);
			cacheable = !fast && !unallocated && !dis_a64_pc_relative(w);
		} else if (ksize) {
			cacheable = s->it_left == 0; /* in an IT block the condition is capstone's */
		}
		if (cacheable) {
			hit = dis_cache_get(&s->cache, key);
			if (hit && !dis_cached_usable(hit)) {
				hit = NULL;
				cacheable = false;
			}
		}
		bool ok = !unallocated;
		if (unallocated) {
			/* padding and zero words: undecodable, known without capstone */
		} else if (fast || hit) {
			/* decoded without capstone: the hand decoder already stepped the tracker */
			size_t k = fast ? 4 : dis_cached_size(hit);
			if (hit)
				ok = dis_cache_fill(&s->cache, hit, s->insn, addr, e->machine);
			if (ok) {
				code += k;
				size -= k;
				addr += k;
			}
		} else {
			if (!open_capstone(s, addr))
				return;
			ok = s->cs->disasm_iter(s->h, &code, &size, &addr, s->insn);
			if (cacheable)
				dis_cache_put(&s->cache, key, ksize, ok ? s->insn : NULL, e->machine,
					      e->machine == EM_AARCH64 || !ok ||
						      dis_arm_cacheable(s->insn));
			if (e->machine == EM_ARM) {
				if (s->it_left)
					s->it_left--;
				if (ok && s->insn->id == ARM_INS_IT) {
					/* the block's length: 4 less the trailing zeros of the mask */
					unsigned mask = s->insn->bytes[0] & 15u;
					s->it_left = mask ? 4u - (unsigned)__builtin_ctz(mask) : 4u;
				}
			}
		}
		if (fast) {
			e->n_insns++;
			continue;
		}
		if (!ok) {
			size_t k = unit < size ? unit : size;
			code += k;
			size -= k;
			addr += k;
			dis_reset(&s->st);
			continue;
		}
		e->n_insns++;
		switch (e->machine) {
		case EM_AARCH64: dis_step_a64(s, s->insn); break;
		case EM_ARM: dis_step_arm(s, s->insn); break;
		default: dis_step_x86(s, s->insn); break;
		}
	}
}

/* Undecodable units in the first bytes of a range: used to choose ARM or Thumb. */
static size_t decode_errors(struct sweep *s, uint64_t start, uint64_t end, bool thumb)
{
	uint64_t off;
	if (end > start + 2048)
		end = start + 2048;
	if (end <= start || !elf_va_to_off(s->e, start, end - start, &off))
		return 0;
	s->cs->option(s->h, CS_OPT_MODE, thumb ? CS_MODE_THUMB : CS_MODE_ARM);
	const uint8_t *code = s->e->buf + off;
	size_t size = (size_t)(end - start), errs = 0;
	uint64_t addr = start;
	while (size > 0) {
		if (!s->cs->disasm_iter(s->h, &code, &size, &addr, s->insn)) {
			size_t k = (thumb ? 2u : 4u) < size ? (thumb ? 2u : 4u) : size;
			code += k;
			size -= k;
			addr += k;
			errs += thumb ? 1 : 2; /* per 4 bytes */
		}
	}
	return errs;
}

/* ARM or Thumb for a span that no mark describes. ARM code is mostly unconditional: the
 * condition field (the top nibble of each word) is 0xE in most of its words (at least half:
 * ARM), and in few of Thumb-2's (at most a quarter: Thumb). Between the two, a Thumb prologue
 * (push with lr) at the start says Thumb; failing that, the mode with fewer undecodable units
 * in the first 2 KiB wins. */
static bool guess_thumb(struct sweep *s, uint64_t start, uint64_t end)
{
	uint64_t off;
	if (start & 3)
		return true; /* ARM instructions are word-aligned */
	uint64_t span = end - start < 2048 ? end - start : 2048;
	size_t words = (size_t)(span / 4), always = 0;
	if (words >= 4 && elf_va_to_off(s->e, start, words * 4, &off)) {
		const uint8_t *p = s->e->buf + off;
		for (size_t i = 0; i < words; i++)
			always += (p[4 * i + 3] >> 4) == 0xe;
		if (2 * always >= words)
			return false;
		if (4 * always <= words)
			return true; /* Thumb-2 code: typically under a fifth */
		/* a Thumb prologue: push {..., lr} (16-bit) or push.w {..., lr} */
		unsigned h1 = (unsigned)p[0] | (unsigned)p[1] << 8, h2 = (unsigned)p[2] | (unsigned)p[3] << 8;
		if ((h1 & 0xff00u) == 0xb500u || (h1 == 0xe92du && (h2 & 0x4000u)))
			return true;
	}
	return decode_errors(s, start, end, true) <= decode_errors(s, start, end, false);
}

/* One span of one function (or of unmarked code): mode m (-1: guess; 2: data, skipped). */
static void sweep_span(struct sweep *s, uint64_t from, uint64_t to, int m)
{
	struct elf *e = s->e;
	if (to <= from || m == 2)
		return;
	s->guessed_mode = e->machine == EM_ARM && m < 0;
	if (s->guessed_mode)
		m = guess_thumb(s, from, to);
	/* the tracker restarts at every span, so a function that cannot report anything needs
	 * no decoding at all (AArch64: fixed-width, prefiltered) */
	if (s->pass == 2 && !s->reference && e->machine == EM_AARCH64 &&
	    !dis_a64_may_report(s, from, to))
		return;
	if (s->pass == 2 && !s->reference && e->machine == EM_ARM &&
	    !dis_arm_may_report(s, from, to, m == 1))
		return;
	sweep_range(s, from, to, m == 1);
}

/* Splits [start, end) at the code marks: each function symbol resets the tracker; on ARM the
 * mode comes from the symbol's low bit or $a/$t, and $d spans are skipped. Code after the end
 * of a sized function symbol (st_size) up to the next mark is unmarked: the tracker restarts
 * there and, on ARM, its mode is guessed (guess_thumb), as for code before the first mark. No
 * mode is inherited from a mark before start: every range swept here begins at a section or
 * segment boundary, or is a called data range, which no function spans. */
static void sweep_marked(struct sweep *s, uint64_t start, uint64_t end, int force_mode)
{
	struct elf *e = s->e;
	size_t i = 0;
	while (i < e->n_marks && e->marks[i].addr < start)
		i++;
	int mode = force_mode;
	uint64_t fn_end = 0; /* end of the sized function the sweep is in, 0 = unknown */
	uint64_t cur = start;
	while (cur < end && !s->limit) {
		uint64_t next = end;
		if (i < e->n_marks && e->marks[i].addr < end)
			next = e->marks[i].addr;
		if (fn_end > cur && fn_end < next) {
			sweep_span(s, cur, fn_end, mode);
			dis_reset(&s->st);
			cur = fn_end;
			mode = force_mode;
		}
		sweep_span(s, cur, next, mode);
		cur = next;
		if (i < e->n_marks && e->marks[i].addr == next) {
			/* all marks at this address */
			bool onload = false;
			fn_end = 0;
			bool known = false; /* a mark here says the mode */
			while (i < e->n_marks && e->marks[i].addr == next) {
				const struct elf_mark *k = &e->marks[i];
				if (force_mode < 0 && k->thumb >= 0 && k->thumb != 3) {
					mode = k->thumb;
					known = true;
				} else if (force_mode < 0 && k->thumb == 3 && !known) {
					mode = -1; /* an unwind-table start: guess */
				}
				if (k->size && next + k->size > fn_end)
					fn_end = next + k->size;
				if (k->name && strcmp(k->name, "JNI_OnLoad") == 0)
					onload = true;
				i++;
			}
			dis_reset(&s->st);
			if (onload && e->machine != EM_386) {
				const int *regs;
				arg_regs(e, &regs);
				s->st.r[regs[0]].k = V_VM;
			}
		}
	}
}

/* True when an earlier executable PT_LOAD already covers segment i's file image: hostile files
 * repeat one segment hundreds of times to multiply the decoding work. */
static bool covered_before(const struct elf *e, size_t i)
{
	const struct elf_seg *g = &e->segs[i];
	for (size_t j = 0; j < i; j++) {
		const struct elf_seg *h = &e->segs[j];
		if (h->type == PT_LOAD && (h->flags & PF_X) && h->vaddr <= g->vaddr &&
		    g->vaddr - h->vaddr <= h->filesz && g->filesz <= h->filesz - (g->vaddr - h->vaddr))
			return true;
	}
	return false;
}

/* The section headers let pass 2 skip the data in executable segments (on a typical library
 * half of the segment: hash tables, symbols, relocations, .rodata, .eh_frame). Android ignores
 * section headers, so a tampered library could label code as data: when a function symbol, an
 * ARM code mapping symbol or an unwind-table function start lies in such a range the ranges are
 * dropped (and the whole segment decoded), and a direct call into one later gets the range
 * decoded after all (sweep_called). The same holds for the ranges taken from the dynamic
 * segment when there are no section headers (loader_data_rngs, elf.c), whose sizes a hostile
 * file can inflate without breaking its loading. */
static void trust_data_rngs(struct elf *e)
{
	size_t j = 0;
	for (size_t i = 0; i < e->n_marks && e->n_data; i++) {
		const struct elf_mark *m = &e->marks[i];
		if (m->thumb == 2)
			continue; /* $d */
		while (j < e->n_data && e->data[j].end <= m->addr)
			j++;
		if (j == e->n_data)
			break;
		if (e->data[j].start <= m->addr) {
			uint64_t off;
			elf_anom(e, elf_va_to_off(e, m->addr, 1, &off) ? off : AP_OFFSET_NONE,
				 AP_ERR_TAMPER,
				 "code symbol %s at 0x%llx lies in %s, which %s declare data; decoding "
				 "every executable byte",
				 m->name ? m->name : m->thumb == 0 || m->thumb == 1 ? "($a/$t)"
								     : "(unwind-table function)",
				 (unsigned long long)m->addr, e->data[j].section, e->data[j].declared_by);
			e->n_data = 0;
		}
	}
}

/* [start, end) minus the data ranges, each piece swept on its own. */
static void sweep_code(struct sweep *s, uint64_t start, uint64_t end)
{
	const struct elf *e = s->e;
	uint64_t cur = start;
	for (size_t i = 0; i < e->n_data && cur < end && !s->limit; i++) {
		const struct elf_data_rng *d = &e->data[i];
		if (d->end <= cur)
			continue;
		if (d->start >= end)
			break;
		if (d->start > cur) {
			dis_reset(&s->st);
			sweep_marked(s, cur, d->start, -1);
		}
		cur = d->end;
	}
	if (cur < end && !s->limit) {
		dis_reset(&s->st);
		sweep_marked(s, cur, end, -1);
	}
}

/* Data ranges that code calls into are decoded after all, until no new one is called. */
static void sweep_called(struct sweep *s)
{
	struct elf *e = s->e;
	for (bool again = true; again && !s->limit;) {
		again = false;
		for (size_t i = 0; i < e->n_data && !s->limit; i++) {
			struct elf_data_rng *d = &e->data[i];
			if (d->swept || !d->called_at)
				continue;
			uint64_t off;
			elf_anom(e, elf_va_to_off(e, d->target, 1, &off) ? off : AP_OFFSET_NONE,
				 AP_ERR_TAMPER,
				 "0x%llx calls 0x%llx in %s, which %s declare data; decoded it as code",
				 (unsigned long long)d->called_at, (unsigned long long)d->target,
				 d->section, d->declared_by);
			d->swept = true;
			again = true;
			for (size_t k = 0; k < e->n_segs; k++) {
				const struct elf_seg *g = &e->segs[k];
				if (g->type != PT_LOAD || !(g->flags & PF_X) || covered_before(e, k))
					continue;
				uint64_t a = d->start > g->vaddr ? d->start : g->vaddr;
				uint64_t b = g->vaddr + g->filesz;
				b = d->end < b ? d->end : b;
				if (a < b) {
					dis_reset(&s->st);
					sweep_marked(s, a, b, -1);
				}
			}
		}
	}
}

int elf_disasm(struct elf *e)
{
	cs_arch arch;
	cs_mode mode;
	switch (e->machine) {
	case EM_AARCH64: arch = CS_ARCH_ARM64; mode = CS_MODE_ARM; break;
	case EM_ARM: arch = CS_ARCH_ARM; mode = CS_MODE_ARM; break;
	case EM_X86_64: arch = CS_ARCH_X86; mode = CS_MODE_64; break;
	case EM_386: arch = CS_ARCH_X86; mode = CS_MODE_32; break;
	default:
		if (e->have_dynamic)
			ap_anom_add(e->an, "native", e->path, AP_OFFSET_NONE, AP_ERR_UNSUPPORTED,
				    "no disassembler for e_machine %u (%s); imports and exports only",
				    e->machine, e->lib->abi);
		return AP_OK;
	}
	struct sweep s = {0};
	s.e = e;
	s.arch = arch;
	s.mode = mode;
	/* APKPRIV_CAPSTONE_ONLY: the reference path the tests compare against; every word goes
	 * to capstone, no span is skipped by a prefilter */
	s.reference = getenv("APKPRIV_CAPSTONE_ONLY") != NULL;
	s.use_cache = (e->machine == EM_AARCH64 || e->machine == EM_ARM) && !s.reference;
	/* capstone is opened at the first word that needs it on AArch64 only: the other
	 * architectures always need it (ARM also to switch modes) */
	if ((e->machine != EM_AARCH64 || s.reference) && !open_capstone(&s, 0))
		return s.nomem ? AP_ERR_NOMEM : AP_OK;
	/* pass 1: PLT stubs (ARM PLT entries are ARM code even in Thumb libraries) */
	s.pass = 1;
	int plt_mode = e->machine == EM_ARM ? 0 : -1;
	for (size_t i = 0; i < e->n_segs; i++) {
		const struct elf_seg *g = &e->segs[i];
		if (g->type != PT_LOAD || !(g->flags & PF_X) || covered_before(e, i))
			continue;
		uint64_t a = g->vaddr, b = g->vaddr + g->filesz;
		if (e->plt_end > e->plt_start && e->plt_start >= a && e->plt_end <= b) {
			a = e->plt_start;
			b = e->plt_end;
		}
		dis_reset(&s.st);
		if (plt_mode == 0)
			sweep_range(&s, a, b, false);
		else
			sweep_marked(&s, a, b, -1);
	}
	/* without section headers, the stubs pass 1 found bound the PLT: pass 2 leaves it out,
	 * and the code after it starts a span of its own (on ARM the PLT is ARM code, what
	 * follows is often Thumb) */
	if (!(e->plt_end > e->plt_start) && e->n_plt) {
		e->plt_start = e->plt[0].addr;
		e->plt_end = e->plt[e->n_plt - 1].addr + (e->machine == EM_ARM ? 12 : 16);
	}
	/* pass 2: call sites, everywhere executable except the PLT itself and declared data */
	s.pass = 2;
	trust_data_rngs(e);
	for (size_t i = 0; i < e->n_segs && !s.limit; i++) {
		const struct elf_seg *g = &e->segs[i];
		if (g->type != PT_LOAD || !(g->flags & PF_X) || covered_before(e, i))
			continue;
		uint64_t a = g->vaddr, b = g->vaddr + g->filesz;
		if (e->plt_end > e->plt_start && e->plt_start >= a && e->plt_end <= b) {
			sweep_code(&s, a, e->plt_start);
			sweep_code(&s, e->plt_end, b);
		} else {
			sweep_code(&s, a, b);
		}
	}
	sweep_called(&s);
	dis_cache_free(&s.cache);
	dis_lits_free(&s.lits);
	if (s.insn) {
		s.cs->free_insn(s.insn, 1);
		s.cs->close(&s.h);
	}
	return s.nomem ? AP_ERR_NOMEM : AP_OK;
}
