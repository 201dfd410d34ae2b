/* Private to analyzer/native: the parsed ELF model shared by elf*.c, disasm.c, args.c, jni.c. */
#ifndef AP_NATIVE_INT_H
#define AP_NATIVE_INT_H

#include "native.h"

#include "ap_arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EM_386 3
#define EM_MIPS 8
#define EM_ARM 40
#define EM_X86_64 62
#define EM_AARCH64 183
#define EM_RISCV 243

/* program header types */
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_NOTE 4
#define PT_GNU_EH_FRAME 0x6474e550u
#define PT_ARM_EXIDX 0x70000001u

#define AP_ELF_MAX_PHDRS 256u
#define AP_ELF_MAX_SHDRS 4096u

struct elf_seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

struct elf_rel {
	uint64_t offset; /* r_offset: a virtual address */
	uint32_t type;
	uint32_t sym;
	int64_t addend;
	bool has_addend;
};

/* A code range to disassemble, with the ARM/Thumb mode when known. */
struct elf_code {
	uint64_t start, end;
	int thumb; /* 1 Thumb, 0 ARM, -1 unknown (try both) */
};

/* Bytes inside an executable segment that the section headers declare data (.dynsym, .rodata,
 * .eh_frame...): pass 2 of the disassembler skips them unless something calls into them. */
struct elf_data_rng {
	uint64_t start, end;
	const char *section; /* its name, for the anomaly when code turns up there */
	const char *declared_by; /* "the section headers" or "the dynamic segment" */
	uint64_t called_at;  /* a direct call into the range seen from here (0: none) */
	uint64_t target;     /* ... to this address */
	bool swept;
};

/* One named address in the code: function symbols and ARM mapping symbols. */
struct elf_mark {
	uint64_t addr;
	const char *name; /* NULL for mapping symbols */
	int thumb;        /* ARM: 1 $t / odd address, 0 $a, 2 $d (data), 3 a function start
			   * from the unwind tables (mode unknown), -1 n/a */
	uint64_t size;    /* a function symbol's st_size, 0 when unknown or a mapping symbol */
};

struct elf {
	const uint8_t *buf;
	size_t len;
	const char *path;
	struct ap_anomalies *an;
	struct ap_arena *arena;
	bool is64;
	uint16_t machine;
	struct elf_seg *segs;
	size_t n_segs;
	/* dynamic segment */
	uint64_t dt_symtab, dt_strtab, dt_strsz, dt_hash, dt_gnu_hash, dt_syment;
	uint64_t dt_jmprel, dt_pltrelsz, dt_pltrel, dt_rela, dt_relasz, dt_rel, dt_relsz;
	uint64_t dt_pltgot;
	bool have_dynamic;
	uint64_t android_rel, android_relsz; /* DT_ANDROID_REL(A): APS2 packed relocations */
	bool android_rela;
	size_t str_off, str_len; /* dynstr as a file range, once validated */
	/* section headers (only when sane) */
	bool shdr_ok;
	uint64_t dynsym_shsize;
	uint64_t symtab_off, symtab_sz, symstr_off, symstr_sz; /* .symtab/.strtab file ranges */
	uint64_t plt_start, plt_end; /* .plt/.plt.sec/.plt.got ranges merged, 0 when unknown */
	uint64_t text_start, text_end;
	uint64_t hdr_end; /* file offset where the ELF header and program header table end */
	struct elf_data_rng *data; /* sorted by start, disjoint; none when the headers are untrusted */
	size_t n_data;
	/* symbols */
	struct ap_native_sym *syms;
	size_t n_syms;
	struct elf_mark *marks; /* sorted by addr */
	size_t n_marks;
	/* relocations and the GOT slot -> symbol map derived from them */
	struct elf_rel *rels;
	size_t n_rels, cap_rels;
	/* PLT stub address -> symbol index, sorted by addr */
	struct plt_ent {
		uint64_t addr;
		uint32_t sym;
		bool reported; /* dis_import_reported(sym) */
	} *plt;
	size_t n_plt, cap_plt;
	struct ap_native_lib *lib;
	/* growing outputs (malloc, moved to the arena at the end) */
	struct ap_native_call *calls;
	size_t n_calls, cap_calls;
	bool calls_full;
	struct ap_native_regnative *regs;
	size_t n_regs, cap_regs;
	size_t n_insns;
};

/* disasm_cs.c, for the tests: whether this process has loaded capstone. */
bool dis_capstone_loaded(void);
/* disasm_fast.c, for the tests: runs each AArch64 word through the hand decoder and through
 * capstone + the tracker step from the same state; returns how many handled words disagree (why:
 * the first), *handled: how many the hand decoder took (decoded, or known undecodable). */
size_t dis_a64_selfcheck(const uint32_t *words, size_t n, uint64_t at, size_t *handled,
			 char *why, size_t whylen);
/* The same for the Thumb hand decoder (disasm_thumb.c): an instruction (or an IT block) starts
 * every stride bytes of code (loaded at at), with up to avail bytes in view; literal loads read
 * code itself. */
size_t dis_thumb_selfcheck(const uint8_t *code, size_t len, size_t stride, size_t avail,
			   uint64_t at, size_t *handled, char *why, size_t whylen);

/* elf.c */
void elf_anom(struct elf *e, uint64_t off, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* File offset of n bytes at virtual address va inside one PT_LOAD's file image; false if none. */
bool elf_va_to_off(const struct elf *e, uint64_t va, uint64_t n, uint64_t *off);
/* Reads a little-endian word of the ELF's class at va (4 or 8 bytes); false when unmapped. */
bool elf_read_ptr(const struct elf *e, uint64_t va, uint64_t *val);
bool elf_read_u32(const struct elf *e, uint64_t va, uint32_t *val);
/* In an array of n elements of size bytes sorted by the uint64_t at key_off: the index of the
 * first whose key is >= v (above: > v), n when none. */
size_t elf_first_key(const void *base, size_t n, size_t size, size_t key_off, uint64_t v,
		     bool above);
/* A printable NUL-terminated string at va (arena copy), or NULL. */
const char *elf_string_at(struct elf *e, uint64_t va);
bool elf_va_is_exec(const struct elf *e, uint64_t va);

/* elf_dyn.c */
int elf_read_dynamic(struct elf *e);
const char *elf_dynstr(struct elf *e, uint64_t idx);

/* elf_sym.c */
int elf_read_symbols(struct elf *e);
void elf_collect_imports_exports(struct elf *e);
/* Symbol index by name, or -1. */
const struct ap_native_sym *elf_sym(const struct elf *e, uint32_t idx);

/* elf_rel.c */
int elf_read_relocs(struct elf *e);
/* Symbol index whose address a relocation stores at va (JUMP_SLOT/GLOB_DAT/ABS), or 0. */
uint32_t elf_got_symbol(const struct elf *e, uint64_t va);
/* The pointer stored at va once relocated (RELATIVE addend or in-place value). */
bool elf_reloc_ptr(const struct elf *e, uint64_t va, uint64_t *val);
bool elf_is_jump_slot(const struct elf *e, uint32_t type);

/* disasm.c */
int elf_disasm(struct elf *e);
void elf_plt_add(struct elf *e, uint64_t addr, uint32_t sym);
uint32_t elf_plt_lookup(const struct elf *e, uint64_t addr);
/* True when addr is the PLT stub of an import whose calls are reported. */
bool elf_plt_reported(const struct elf *e, uint64_t addr);

/* args.c: what a call needs recovered, and building the call record. */
struct sens_spec {
	const char *name;
	const char *args; /* per argument: 'S' string, 'I' integer, '-' not reported */
};
const struct sens_spec *sens_import_spec(const char *name);
const struct sens_spec *sens_jnienv_spec(unsigned idx);
/* Appends a call record; vals/known are the argument registers' constants in ABI order. */
void elf_add_call(struct elf *e, enum ap_native_call_kind kind, const char *sym,
		  const struct sens_spec *spec, uint64_t vaddr, const uint64_t *vals,
		  const bool *known, unsigned nvals);

/* jni.c */
void elf_decode_jni_exports(struct elf *e);
void elf_scan_urls(struct elf *e);

#endif
