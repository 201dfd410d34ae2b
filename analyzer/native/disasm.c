/* Disassembly (the one Capstone user): a bounded linear sweep of executable code with a tiny
 * per-register constant tracker. Pass 1 decodes PLT stubs (the GOT slot they jump through, matched
 * to JUMP_SLOT relocations) into a stub -> import map; pass 2 finds calls to those stubs (or
 * straight through GOT slots) and calls through the JNIEnv function table, and reads the constant
 * arguments the tracker holds in the argument registers at that point. */
#include "native_int.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>

#define PF_X 1
#define PT_LOAD 1
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

struct sweep {
	struct elf *e;
	csh h;
	cs_insn *insn;
	int pass; /* 1: PLT stubs, 2: call sites */
	bool thumb;
	bool limit;
	struct state st;
};

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
	e->n_plt++;
}

uint32_t elf_plt_lookup(const struct elf *e, uint64_t addr)
{
	size_t lo = 0, hi = e->n_plt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->plt[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->n_plt && e->plt[lo].addr == addr ? e->plt[lo].sym : 0;
}

static struct val mkv(uint8_t k, uint64_t v, uint64_t origin)
{
	struct val x = {k, v, origin, false};
	return x;
}

static struct val unk(void)
{
	return mkv(V_UNK, 0, 0);
}

static void reset(struct state *st)
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

static int reg_of(const struct elf *e, unsigned r)
{
	switch (e->machine) {
	case EM_AARCH64: return reg_a64(r);
	case EM_ARM: return reg_arm(r);
	default: return reg_x86(r);
	}
}

static struct val *R(struct sweep *s, unsigned capreg)
{
	int i = reg_of(s->e, capreg);
	return i >= 0 ? &s->st.r[i] : NULL;
}

static void set(struct sweep *s, unsigned capreg, uint8_t k, uint64_t v, uint64_t origin)
{
	struct val *d = R(s, capreg);
	if (!d)
		return;
	d->k = k;
	d->v = v;
	d->origin = origin;
}

static void set_val(struct sweep *s, unsigned capreg, struct val v)
{
	struct val *d = R(s, capreg);
	if (d)
		*d = v;
}

static void set_unknown(struct sweep *s, unsigned capreg)
{
	set(s, capreg, V_UNK, 0, 0);
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

static void report_import(struct sweep *s, uint32_t symidx, uint64_t at)
{
	const struct ap_native_sym *sym = elf_sym(s->e, symidx);
	if (!sym || !sym->name[0])
		return;
	const struct sens_spec *spec = sens_import_spec(sym->name);
	if (!spec && !ap_native_is_net_import(sym->name))
		return;
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

/* A direct call/tail-jump to target. */
static void direct(struct sweep *s, uint64_t target, uint64_t at)
{
	if (s->pass != 2)
		return;
	uint32_t sym = elf_plt_lookup(s->e, target);
	if (sym)
		report_import(s, sym, at);
}

/* A call or jump through a value: a GOT slot (pass 1: this is a PLT stub; pass 2: a call with
 * -fno-plt) or a JNIEnv table entry. */
static void indirect(struct sweep *s, struct val v, uint64_t at, bool is_call)
{
	if (v.k == V_MEM) {
		uint32_t sym = elf_got_symbol(s->e, v.v);
		if (!sym)
			return;
		if (s->pass == 1 && !is_call)
			elf_plt_add(s->e, v.origin ? v.origin : at, sym);
		else if (s->pass == 2 && !elf_plt_lookup(s->e, v.origin ? v.origin : at))
			report_import(s, sym, at);
	} else if (v.k == V_TABLE && s->pass == 2 && !v.vm) {
		report_jnienv(s, v.v, at);
	}
}

static void after_call(struct sweep *s)
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
static struct val load_from(struct sweep *s, const struct val *base, bool base_is_sp,
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
				set_unknown(s, d->arm64.operands[i].reg);
		break;
	case EM_ARM:
		for (int i = 0; i < d->arm.op_count; i++)
			if (d->arm.operands[i].type == ARM_OP_REG &&
			    (d->arm.operands[i].access & CS_AC_WRITE || i == 0))
				set_unknown(s, d->arm.operands[i].reg);
		break;
	default:
		for (int i = 0; i < d->x86.op_count; i++)
			if (d->x86.operands[i].type == X86_OP_REG &&
			    d->x86.operands[i].access & CS_AC_WRITE)
				set_unknown(s, d->x86.operands[i].reg);
		break;
	}
	for (int i = 0; i < d->regs_write_count; i++)
		set_unknown(s, d->regs_write[i]);
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

static void clobber_generic(struct sweep *s, const cs_insn *in)
{
	if (s->e->machine != EM_X86_64 && s->e->machine != EM_386 && reads_first_operand(in->mnemonic)) {
		const cs_detail *d = in->detail;
		for (int i = 0; i < d->regs_write_count; i++)
			set_unknown(s, d->regs_write[i]);
		if (s->e->machine == EM_AARCH64 && d->arm64.writeback && d->arm64.op_count)
			for (int i = 0; i < d->arm64.op_count; i++)
				if (d->arm64.operands[i].type == ARM64_OP_MEM)
					set_unknown(s, d->arm64.operands[i].mem.base);
		if (s->e->machine == EM_ARM && d->arm.writeback)
			for (int i = 0; i < d->arm.op_count; i++)
				if (d->arm.operands[i].type == ARM_OP_MEM)
					set_unknown(s, d->arm.operands[i].mem.base);
		return;
	}
	clobber_written(s, in);
}

/* ---- AArch64 ---- */

static void step_a64(struct sweep *s, const cs_insn *in)
{
	const cs_arm64 *a = &in->detail->arm64;
	const cs_arm64_op *o = a->operands;
	uint64_t at = in->address;
	switch (in->id) {
	case ARM64_INS_ADRP:
	case ARM64_INS_ADR:
		if (a->op_count == 2 && o[1].type == ARM64_OP_IMM)
			set(s, o[0].reg, V_CONST, (uint64_t)o[1].imm, at);
		return;
	case ARM64_INS_ADD:
	case ARM64_INS_SUB:
		if (a->op_count == 3 && o[1].type == ARM64_OP_REG && o[2].type == ARM64_OP_IMM) {
			struct val *src = R(s, o[1].reg);
			if (src && src->k == V_CONST) {
				uint64_t imm = (uint64_t)o[2].imm;
				if (o[2].shift.type == ARM64_SFT_LSL)
					imm <<= o[2].shift.value;
				struct val v = *src;
				v.v = in->id == ARM64_INS_ADD ? v.v + imm : v.v - imm;
				set(s, o[0].reg, V_CONST, v.v, v.origin);
				return;
			}
		}
		break;
	case ARM64_INS_MOV:
		if (a->op_count == 2 && o[1].type == ARM64_OP_REG) {
			struct val *src = R(s, o[1].reg);
			struct val v = src ? *src : unk();
			if (o[1].reg == ARM64_REG_XZR || o[1].reg == ARM64_REG_WZR)
				v = mkv(V_CONST, 0, at);
			set_val(s, o[0].reg, v);
			return;
		}
		/* fall through */
	case ARM64_INS_MOVZ:
		if (a->op_count == 2 && o[1].type == ARM64_OP_IMM) {
			uint64_t imm = (uint64_t)o[1].imm;
			if (o[1].shift.type == ARM64_SFT_LSL)
				imm <<= o[1].shift.value;
			set(s, o[0].reg, V_CONST, imm, at);
			return;
		}
		break;
	case ARM64_INS_MOVK:
		if (a->op_count == 2 && o[1].type == ARM64_OP_IMM) {
			struct val *d = R(s, o[0].reg);
			if (d && d->k == V_CONST) {
				unsigned sh = o[1].shift.type == ARM64_SFT_LSL ? o[1].shift.value : 0;
				if (sh < 64) {
					d->v = (d->v & ~((uint64_t)0xffff << sh)) |
					       (((uint64_t)o[1].imm & 0xffff) << sh);
					return;
				}
			}
		}
		break;
	case ARM64_INS_LDR:
		if (a->op_count == 2 && o[1].type == ARM64_OP_MEM && !a->writeback) {
			unsigned b = o[1].mem.base;
			struct val v = load_from(s, R(s, b), b == ARM64_REG_SP,
						 o[1].mem.disp, o[1].mem.index != ARM64_REG_INVALID);
			set_val(s, o[0].reg, v);
			return;
		}
		break;
	case ARM64_INS_BL:
		if (a->op_count == 1 && o[0].type == ARM64_OP_IMM)
			direct(s, (uint64_t)o[0].imm, at);
		after_call(s);
		return;
	case ARM64_INS_B:
		if (a->cc == ARM64_CC_INVALID || a->cc == ARM64_CC_AL) {
			if (a->op_count == 1 && o[0].type == ARM64_OP_IMM)
				direct(s, (uint64_t)o[0].imm, at); /* tail call */
		}
		return;
	case ARM64_INS_BLR:
	case ARM64_INS_BR:
		if (a->op_count == 1 && o[0].type == ARM64_OP_REG) {
			struct val *v = R(s, o[0].reg);
			if (v)
				indirect(s, *v, at, in->id == ARM64_INS_BLR);
		}
		if (in->id == ARM64_INS_BLR)
			after_call(s);
		else
			reset(&s->st);
		return;
	case ARM64_INS_RET:
		reset(&s->st);
		return;
	default:
		break;
	}
	clobber_generic(s, in);
}

/* ---- ARM / Thumb ---- */

static uint64_t arm_pc(const struct sweep *s, uint64_t at)
{
	return at + (s->thumb ? 4 : 8);
}

/* The value of an operand register as a source, with pc read as the architecture defines. */
static bool arm_src(struct sweep *s, unsigned reg, uint64_t at, struct val *out)
{
	if (reg == ARM_REG_PC) {
		*out = mkv(V_CONST, arm_pc(s, at), at);
		return true;
	}
	struct val *v = R(s, reg);
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
		direct(s, (uint64_t)(uint32_t)o[0].imm, at);
	} else if (o[0].type == ARM_OP_REG) {
		if (o[0].reg == ARM_REG_LR && !link) {
			reset(&s->st); /* bx lr: return */
			return;
		}
		struct val *v = R(s, o[0].reg);
		if (v)
			indirect(s, *v, at, link);
	}
	if (link)
		after_call(s);
	else if (o[0].type == ARM_OP_REG)
		reset(&s->st);
}

static void step_arm(struct sweep *s, const cs_insn *in)
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
					v = mkv(V_CONST, w, at);
			} else {
				unsigned b = o[1].mem.base;
				v = load_from(s, R(s, b), b == ARM_REG_SP, disp, idx);
			}
			if (o[0].reg == ARM_REG_PC) { /* ldr pc, [...]: a jump (PLT stub) */
				indirect(s, v, at, false);
				reset(&s->st);
				return;
			}
			if (!always) {
				set_unknown(s, o[0].reg);
				return;
			}
			set_val(s, o[0].reg, v);
			if (a->writeback && (int)o[1].mem.base != (int)o[0].reg)
				set_unknown(s, o[1].mem.base);
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
			     (o[1].type == ARM_OP_IMM ? (y = mkv(V_CONST, (uint32_t)o[1].imm, 0), true)
						      : o[1].type == ARM_OP_REG && arm_src(s, o[1].reg, at, &y));
		} else {
			ok = o[1].type == ARM_OP_REG && arm_src(s, o[1].reg, at, &x) &&
			     (o[2].type == ARM_OP_IMM ? (y = mkv(V_CONST, (uint32_t)o[2].imm, 0), true)
						      : o[2].type == ARM_OP_REG && o[2].shift.type == ARM_SFT_INVALID &&
								arm_src(s, o[2].reg, at, &y));
		}
		if (ok && o[0].reg != ARM_REG_PC) {
			uint32_t r = in->id == ARM_INS_ADD ? (uint32_t)(x.v + y.v) : (uint32_t)(x.v - y.v);
			uint64_t origin = x.origin ? x.origin : y.origin;
			set(s, o[0].reg, V_CONST, r, origin);
			return;
		}
		break;
	}
	case ARM_INS_MOV:
	case ARM_INS_MOVW:
		if (!always || a->op_count != 2 || o[0].type != ARM_OP_REG)
			break;
		if (o[1].type == ARM_OP_IMM) {
			set(s, o[0].reg, V_CONST, (uint32_t)o[1].imm, at);
			return;
		}
		if (o[1].type == ARM_OP_REG && o[1].shift.type == ARM_SFT_INVALID && o[0].reg != ARM_REG_PC) {
			struct val *src = R(s, o[1].reg);
			struct val v = src && o[1].reg != ARM_REG_PC ? *src : unk();
			set_val(s, o[0].reg, v);
			return;
		}
		break;
	case ARM_INS_MOVT:
		if (always && a->op_count == 2 && o[1].type == ARM_OP_IMM) {
			struct val *d = R(s, o[0].reg);
			if (d && d->k == V_CONST) {
				d->v = (d->v & 0xffff) | (((uint64_t)o[1].imm & 0xffff) << 16);
				return;
			}
		}
		break;
	case ARM_INS_ADR:
		if (always && a->op_count == 2 && o[1].type == ARM_OP_IMM) {
			set(s, o[0].reg, V_CONST, ((arm_pc(s, at) & ~(uint64_t)3) + (uint64_t)(int64_t)o[1].imm) & 0xffffffffu, at);
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
				reset(&s->st);
				return;
			}
		break;
	default:
		break;
	}
	clobber_generic(s, in);
	for (int i = 0; i < a->op_count; i++) /* ldm/pop/ldrd write every listed register */
		if (o[i].type == ARM_OP_REG && (o[i].access & CS_AC_WRITE))
			set_unknown(s, o[i].reg);
}

/* ---- x86 and x86-64 ---- */

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
		out = mkv(V_CONST, in->address + in->size + (uint64_t)m->disp, in->address);
		*ok = true;
	} else if (m->base == X86_REG_INVALID) {
		out = mkv(V_CONST, (uint64_t)m->disp & 0xffffffffu, in->address);
		*ok = true;
	} else {
		struct val *b = R(s, m->base);
		if (b && b->k == V_CONST) {
			out = *b;
			out.v += (uint64_t)m->disp;
			if (s->e->machine == EM_386)
				out.v &= 0xffffffffu;
			*ok = true;
		} else if (s->pass == 1 && s->e->machine == EM_386 && m->base == X86_REG_EBX &&
			   s->e->dt_pltgot) {
			/* i386 PIC PLT: ebx holds the GOT address (DT_PLTGOT) on entry */
			out = mkv(V_CONST, s->e->dt_pltgot + (uint64_t)m->disp, in->address);
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
		return mkv(V_MEM, a.v, a.origin);
	if (m->segment != X86_REG_INVALID || m->index != X86_REG_INVALID || m->base == X86_REG_INVALID)
		return unk();
	struct val *b = R(s, m->base);
	bool sp = m->base == X86_REG_RSP || m->base == X86_REG_ESP || m->base == X86_REG_RBP ||
		  m->base == X86_REG_EBP;
	return load_from(s, b, sp, m->disp, false);
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
			s->st.r[thunk] = mkv(V_CONST, at + in->size, at);
			return;
		}
		direct(s, t, at);
	} else if (o[0].type == X86_OP_REG) {
		struct val *v = R(s, o[0].reg);
		if (v)
			indirect(s, *v, at, is_call);
	} else if (o[0].type == X86_OP_MEM) {
		struct val v = x86_load(s, in, &o[0].mem);
		if (v.k == V_MEM && !is_call && s->st.endbr && s->st.endbr + 4 == at)
			v.origin = s->st.endbr;
		else if (v.k == V_MEM)
			v.origin = at;
		indirect(s, v, at, is_call);
	}
	if (is_call)
		after_call(s);
}

static void step_x86(struct sweep *s, const cs_insn *in)
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
				set(s, o[0].reg, V_CONST, a.v, a.origin);
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
				v = mkv(V_CONST, (uint64_t)o[1].imm, at);
			else if (o[1].type == X86_OP_REG)
				v = R(s, o[1].reg) ? *R(s, o[1].reg) : unk();
			else if (o[1].type == X86_OP_MEM)
				v = x86_load(s, in, &o[1].mem);
			if (is32 || o[0].size == 4)
				v.v &= 0xffffffffu;
			set_val(s, o[0].reg, v);
			return;
		}
		if (is32 && o[0].type == X86_OP_MEM && o[0].mem.base == X86_REG_ESP &&
		    o[0].mem.index == X86_REG_INVALID && o[0].mem.disp >= 0 && o[0].mem.disp % 4 == 0 &&
		    o[0].mem.disp / 4 < 6) {
			struct val v = {0};
			if (o[1].type == X86_OP_IMM)
				v = mkv(V_CONST, (uint64_t)o[1].imm & 0xffffffffu, at);
			else if (o[1].type == X86_OP_REG && R(s, o[1].reg))
				v = *R(s, o[1].reg);
			s->st.stk[o[0].mem.disp / 4] = v;
			return;
		}
		return; /* a store */
	case X86_INS_XOR:
		if (x->op_count == 2 && o[0].type == X86_OP_REG && o[1].type == X86_OP_REG &&
		    reg_of(s->e, o[0].reg) == reg_of(s->e, o[1].reg)) {
			set(s, o[0].reg, V_CONST, 0, at);
			return;
		}
		break;
	case X86_INS_ADD:
	case X86_INS_SUB:
		if (x->op_count == 2 && o[0].type == X86_OP_REG && o[1].type == X86_OP_IMM) {
			struct val *d = R(s, o[0].reg);
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
				v = mkv(V_CONST, (uint64_t)o[0].imm & 0xffffffffu, at);
			else if (o[0].type == X86_OP_REG && R(s, o[0].reg))
				v = *R(s, o[0].reg);
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
			reset(&s->st);
		return;
	case X86_INS_RET:
	case X86_INS_HLT:
		reset(&s->st);
		return;
	default:
		break;
	}
	clobber_generic(s, in);
}

/* ---- the sweep ---- */

static void sweep_range(struct sweep *s, uint64_t start, uint64_t end, bool thumb)
{
	struct elf *e = s->e;
	uint64_t off;
	if (end <= start || !elf_va_to_off(e, start, end - start, &off))
		return;
	if (e->machine == EM_ARM)
		cs_option(s->h, CS_OPT_MODE, thumb ? CS_MODE_THUMB : CS_MODE_ARM);
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
		if (!cs_disasm_iter(s->h, &code, &size, &addr, s->insn)) {
			size_t k = unit < size ? unit : size;
			code += k;
			size -= k;
			addr += k;
			reset(&s->st);
			continue;
		}
		e->n_insns++;
		switch (e->machine) {
		case EM_AARCH64: step_a64(s, s->insn); break;
		case EM_ARM: step_arm(s, s->insn); break;
		default: step_x86(s, s->insn); break;
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
	cs_option(s->h, CS_OPT_MODE, thumb ? CS_MODE_THUMB : CS_MODE_ARM);
	const uint8_t *code = s->e->buf + off;
	size_t size = (size_t)(end - start), errs = 0;
	uint64_t addr = start;
	while (size > 0) {
		if (!cs_disasm_iter(s->h, &code, &size, &addr, s->insn)) {
			size_t k = (thumb ? 2u : 4u) < size ? (thumb ? 2u : 4u) : size;
			code += k;
			size -= k;
			addr += k;
			errs += thumb ? 1 : 2; /* per 4 bytes */
		}
	}
	return errs;
}

/* Splits [start, end) at the code marks: each function symbol resets the tracker; on ARM the
 * mode comes from the symbol's low bit or $a/$t, $d spans are skipped, and a span with no mark
 * is decoded both ways and the mode with fewer undecodable units wins. */
static void sweep_marked(struct sweep *s, uint64_t start, uint64_t end, int force_mode)
{
	struct elf *e = s->e;
	size_t i = 0;
	while (i < e->n_marks && e->marks[i].addr < start)
		i++;
	int mode = force_mode;
	if (mode < 0 && i > 0 && e->machine == EM_ARM)
		mode = e->marks[i - 1].thumb; /* the mark covering start */
	uint64_t cur = start;
	while (cur < end && !s->limit) {
		uint64_t next = end;
		if (i < e->n_marks && e->marks[i].addr < end)
			next = e->marks[i].addr;
		if (next > cur) {
			int m = mode;
			if (e->machine == EM_ARM && m < 0)
				m = decode_errors(s, cur, next, true) <= decode_errors(s, cur, next, false);
			if (m != 2)
				sweep_range(s, cur, next, m == 1);
		}
		cur = next;
		if (i < e->n_marks && e->marks[i].addr == next) {
			/* all marks at this address */
			bool onload = false;
			while (i < e->n_marks && e->marks[i].addr == next) {
				if (force_mode < 0 && e->marks[i].thumb >= 0)
					mode = e->marks[i].thumb;
				if (e->marks[i].name && strcmp(e->marks[i].name, "JNI_OnLoad") == 0)
					onload = true;
				i++;
			}
			reset(&s->st);
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
	if (cs_open(arch, mode, &s.h) != CS_ERR_OK) {
		ap_anom_add(e->an, "native", e->path, AP_OFFSET_NONE, AP_ERR_DEP, "capstone: cs_open failed");
		return AP_OK;
	}
	cs_option(s.h, CS_OPT_DETAIL, CS_OPT_ON);
	s.insn = cs_malloc(s.h);
	if (!s.insn) {
		cs_close(&s.h);
		return AP_ERR_NOMEM;
	}
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
		reset(&s.st);
		if (plt_mode == 0)
			sweep_range(&s, a, b, false);
		else
			sweep_marked(&s, a, b, -1);
	}
	/* pass 2: call sites, everywhere executable except the PLT itself */
	s.pass = 2;
	for (size_t i = 0; i < e->n_segs && !s.limit; i++) {
		const struct elf_seg *g = &e->segs[i];
		if (g->type != PT_LOAD || !(g->flags & PF_X) || covered_before(e, i))
			continue;
		uint64_t a = g->vaddr, b = g->vaddr + g->filesz;
		reset(&s.st);
		if (e->plt_end > e->plt_start && e->plt_start >= a && e->plt_end <= b) {
			sweep_marked(&s, a, e->plt_start, -1);
			reset(&s.st);
			sweep_marked(&s, e->plt_end, b, -1);
		} else {
			sweep_marked(&s, a, b, -1);
		}
	}
	cs_free(s.insn, 1);
	cs_close(&s.h);
	return AP_OK;
}
