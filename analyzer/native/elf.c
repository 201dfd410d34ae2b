/* ELF: the file header, program headers (PT_LOAD is how Android's linker maps the file, so it is
 * how we turn virtual addresses into file offsets) and section headers, which are only a hint:
 * stripped or garbage ones are an anomaly, never a failure. Also ap_native_open/close. */
#include "native_int.h"

#include "ap_cursor.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PF_X 1
#define SHT_SYMTAB 2
#define SHT_NOBITS 8
#define SHT_DYNSYM 11
#define SHF_ALLOC 0x2
#define SHF_EXECINSTR 0x4

void elf_anom(struct elf *e, uint64_t off, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ap_anom_add(e->an, "elf", e->path, off, code, "%s", msg);
	if (code == AP_ERR_LIMIT || code == AP_ERR_TRUNCATED || code == AP_ERR_NOMEM)
		e->lib->partial = true;
}

const char *ap_native_abi_name(uint16_t machine, bool is64)
{
	switch (machine) {
	case EM_AARCH64: return "arm64-v8a";
	case EM_ARM: return "armeabi-v7a";
	case EM_386: return "x86";
	case EM_X86_64: return "x86_64";
	case EM_MIPS: return is64 ? "mips64" : "mips";
	case EM_RISCV: return is64 ? "riscv64" : "riscv32";
	default: return "unknown";
	}
}

bool elf_va_to_off(const struct elf *e, uint64_t va, uint64_t n, uint64_t *off)
{
	for (size_t i = 0; i < e->n_segs; i++) {
		const struct elf_seg *s = &e->segs[i];
		if (s->type != PT_LOAD || va < s->vaddr)
			continue;
		uint64_t d = va - s->vaddr;
		if (d >= s->filesz || n > s->filesz - d)
			continue;
		if (s->offset > UINT64_MAX - d || !ap_range_ok(e->len, s->offset + d, n))
			continue;
		*off = s->offset + d;
		return true;
	}
	return false;
}

bool elf_va_is_exec(const struct elf *e, uint64_t va)
{
	for (size_t i = 0; i < e->n_segs; i++) {
		const struct elf_seg *s = &e->segs[i];
		if (s->type == PT_LOAD && (s->flags & PF_X) && va >= s->vaddr &&
		    va - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

bool elf_read_u32(const struct elf *e, uint64_t va, uint32_t *val)
{
	uint64_t off;
	if (!elf_va_to_off(e, va, 4, &off))
		return false;
	bool ok = true;
	*val = ap_rd_u32le(e->buf, e->len, (size_t)off, &ok);
	return ok;
}

bool elf_read_ptr(const struct elf *e, uint64_t va, uint64_t *val)
{
	uint64_t off;
	if (!elf_va_to_off(e, va, e->is64 ? 8 : 4, &off))
		return false;
	struct ap_cur c = ap_cur_sub(e->buf, e->len, (size_t)off, e->is64 ? 8 : 4);
	*val = e->is64 ? ap_cur_u64le(&c) : ap_cur_u32le(&c);
	return c.ok;
}

const char *elf_string_at(struct elf *e, uint64_t va)
{
	uint64_t off;
	if (!elf_va_to_off(e, va, 1, &off))
		return NULL;
	size_t max = e->len - (size_t)off;
	if (max > AP_MAX_STRING_REPORT)
		max = AP_MAX_STRING_REPORT;
	const uint8_t *p = e->buf + off;
	size_t n = 0;
	while (n < max && p[n] != 0) {
		/* a C string constant: printable ASCII, tabs/newlines, or UTF-8 bytes */
		if (p[n] < 0x20 && p[n] != '\t' && p[n] != '\n' && p[n] != '\r')
			return NULL;
		n++;
	}
	if (n == max || n == 0)
		return NULL;
	return ap_arena_strndup(e->arena, (const char *)p, n);
}

static int read_header_and_phdrs(struct elf *e, uint64_t *shoff, uint32_t *shentsize,
				 uint32_t *shnum, uint32_t *shstrndx)
{
	struct ap_cur c = ap_cur_make(e->buf, e->len);
	const uint8_t *id = ap_cur_bytes(&c, 16);
	if (!id || memcmp(id, "\177ELF", 4) != 0)
		return AP_ERR_FORMAT;
	if (id[4] != 1 && id[4] != 2)
		return AP_ERR_FORMAT;
	if (id[5] != 1) {
		elf_anom(e, 5, AP_ERR_UNSUPPORTED, "big-endian ELF is not used on Android");
		return AP_ERR_FORMAT;
	}
	e->is64 = id[4] == 2;
	ap_cur_u16le(&c); /* e_type */
	e->machine = ap_cur_u16le(&c);
	ap_cur_u32le(&c); /* e_version */
	uint64_t phoff;
	if (e->is64) {
		ap_cur_u64le(&c);
		phoff = ap_cur_u64le(&c);
		*shoff = ap_cur_u64le(&c);
	} else {
		ap_cur_u32le(&c);
		phoff = ap_cur_u32le(&c);
		*shoff = ap_cur_u32le(&c);
	}
	ap_cur_u32le(&c); /* e_flags */
	ap_cur_u16le(&c); /* e_ehsize */
	uint32_t phentsize = ap_cur_u16le(&c);
	uint32_t phnum = ap_cur_u16le(&c);
	*shentsize = ap_cur_u16le(&c);
	*shnum = ap_cur_u16le(&c);
	*shstrndx = ap_cur_u16le(&c);
	if (!c.ok)
		return AP_ERR_FORMAT;
	e->lib->machine = e->machine;
	e->lib->is64 = e->is64;
	e->lib->abi = ap_native_abi_name(e->machine, e->is64);

	uint32_t want = e->is64 ? 56 : 32;
	if (phnum == 0 || phentsize < want) {
		elf_anom(e, phoff, AP_ERR_FORMAT, "no usable program headers (phnum %u, phentsize %u)",
			 phnum, phentsize);
		return AP_OK;
	}
	if (phnum > AP_ELF_MAX_PHDRS) {
		elf_anom(e, phoff, AP_ERR_LIMIT, "%u program headers, reading %u", phnum,
			 AP_ELF_MAX_PHDRS);
		phnum = AP_ELF_MAX_PHDRS;
	}
	if (!ap_range_ok(e->len, phoff, (uint64_t)phnum * phentsize)) {
		elf_anom(e, phoff, AP_ERR_TRUNCATED, "program headers run past end of file");
		return AP_OK;
	}
	e->segs = ap_arena_calloc(e->arena, phnum, sizeof(*e->segs));
	if (!e->segs)
		return AP_ERR_NOMEM;
	e->hdr_end = phoff + (uint64_t)phnum * phentsize;
	for (uint32_t i = 0; i < phnum; i++) {
		struct ap_cur p = ap_cur_sub(e->buf, e->len, (size_t)(phoff + (uint64_t)i * phentsize),
					     want);
		struct elf_seg *s = &e->segs[e->n_segs];
		s->type = ap_cur_u32le(&p);
		if (e->is64) {
			s->flags = ap_cur_u32le(&p);
			s->offset = ap_cur_u64le(&p);
			s->vaddr = ap_cur_u64le(&p);
			ap_cur_u64le(&p);
			s->filesz = ap_cur_u64le(&p);
			s->memsz = ap_cur_u64le(&p);
		} else {
			s->offset = ap_cur_u32le(&p);
			s->vaddr = ap_cur_u32le(&p);
			ap_cur_u32le(&p);
			s->filesz = ap_cur_u32le(&p);
			s->memsz = ap_cur_u32le(&p);
			s->flags = ap_cur_u32le(&p);
		}
		if (!p.ok)
			continue;
		if (s->type == PT_LOAD && !ap_range_ok(e->len, s->offset, s->filesz)) {
			/* Android's linker refuses this; we keep the part inside the file */
			elf_anom(e, s->offset, AP_ERR_TRUNCATED,
				 "PT_LOAD [%u] file range 0x%llx+0x%llx past end of file", i,
				 (unsigned long long)s->offset, (unsigned long long)s->filesz);
			s->filesz = s->offset < e->len ? e->len - s->offset : 0;
		}
		e->n_segs++;
	}
	return AP_OK;
}

static void read_shdr(const struct elf *e, uint64_t off, uint32_t *name, uint32_t *type,
		      uint64_t *flags, uint64_t *addr, uint64_t *offset, uint64_t *size,
		      uint32_t *link, bool *ok)
{
	struct ap_cur c = ap_cur_sub(e->buf, e->len, (size_t)off, e->is64 ? 64 : 40);
	*name = ap_cur_u32le(&c);
	*type = ap_cur_u32le(&c);
	if (e->is64) {
		*flags = ap_cur_u64le(&c);
		*addr = ap_cur_u64le(&c);
		*offset = ap_cur_u64le(&c);
		*size = ap_cur_u64le(&c);
	} else {
		*flags = ap_cur_u32le(&c);
		*addr = ap_cur_u32le(&c);
		*offset = ap_cur_u32le(&c);
		*size = ap_cur_u32le(&c);
	}
	*link = ap_cur_u32le(&c);
	*ok = c.ok;
}

static int cmp_data_rng(const void *a, const void *b)
{
	const struct elf_data_rng *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorts the data ranges and merges overlapping ones. */
static void finish_data_rngs(struct elf *e)
{
	qsort(e->data, e->n_data, sizeof(*e->data), cmp_data_rng);
	size_t k = 0;
	for (size_t i = 0; i < e->n_data; i++) {
		if (k && e->data[i].start <= e->data[k - 1].end) {
			if (e->data[i].end > e->data[k - 1].end)
				e->data[k - 1].end = e->data[i].end;
			continue;
		}
		e->data[k++] = e->data[i];
	}
	e->n_data = k;
}

/* Section headers are optional to Android; we use them for .plt/.text bounds, the .dynsym size,
 * .symtab (ARM mapping symbols) and the data ranges the disassembler may skip, only when the
 * whole table is consistent. */
static void read_sections(struct elf *e, uint64_t shoff, uint32_t shentsize, uint32_t shnum,
			  uint32_t shstrndx)
{
	if (shoff == 0 || shnum == 0) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_TAMPER,
			 "no section headers (stripped); using the dynamic segment only");
		return;
	}
	if (shentsize != (e->is64 ? 64u : 40u) || shnum > AP_ELF_MAX_SHDRS ||
	    !ap_range_ok(e->len, shoff, (uint64_t)shnum * shentsize) || shstrndx >= shnum) {
		elf_anom(e, shoff, AP_ERR_TAMPER,
			 "section header table is garbage (shoff 0x%llx, shnum %u, shentsize %u, "
			 "shstrndx %u); using the dynamic segment only",
			 (unsigned long long)shoff, shnum, shentsize, shstrndx);
		return;
	}
	uint32_t nm, ty, lk;
	uint64_t fl, ad, of, sz;
	bool ok;
	read_shdr(e, shoff + (uint64_t)shstrndx * shentsize, &nm, &ty, &fl, &ad, &of, &sz, &lk, &ok);
	if (!ok || !ap_range_ok(e->len, of, sz)) {
		elf_anom(e, shoff, AP_ERR_TAMPER, "section name table out of file; ignoring sections");
		return;
	}
	uint64_t str_off = of, str_sz = sz;
	uint64_t symtab_off = 0, symtab_sz = 0, symstr_off = 0, symstr_sz = 0;
	e->data = ap_arena_calloc(e->arena, shnum, sizeof(*e->data));
	e->n_data = 0;
	for (uint32_t i = 1; i < shnum; i++) {
		read_shdr(e, shoff + (uint64_t)i * shentsize, &nm, &ty, &fl, &ad, &of, &sz, &lk, &ok);
		if (!ok || (ty != SHT_NOBITS && sz && !ap_range_ok(e->len, of, sz)) || nm >= str_sz) {
			elf_anom(e, shoff + (uint64_t)i * shentsize, AP_ERR_TAMPER,
				 "section header [%u] points outside the file; ignoring sections", i);
			e->plt_start = e->plt_end = e->text_start = e->text_end = 0;
			e->dynsym_shsize = 0;
			e->n_data = 0;
			return;
		}
		const char *name = (const char *)e->buf + str_off + nm;
		size_t maxn = (size_t)(str_sz - nm);
		if (strnlen(name, maxn) == maxn)
			continue;
		if ((fl & (SHF_ALLOC | SHF_EXECINSTR)) == SHF_ALLOC && ty != SHT_NOBITS && sz &&
		    ad + sz > ad && e->data) {
			e->data[e->n_data].start = ad;
			e->data[e->n_data].end = ad + sz;
			e->data[e->n_data].section = name;
			e->data[e->n_data].declared_by = "the section headers";
			e->n_data++;
		}
		if (strcmp(name, ".text") == 0) {
			e->text_start = ad;
			e->text_end = ad + sz;
		} else if (strncmp(name, ".plt", 4) == 0 && ty != SHT_NOBITS) {
			if (!e->plt_start || ad < e->plt_start)
				e->plt_start = ad;
			if (ad + sz > e->plt_end)
				e->plt_end = ad + sz;
		} else if (ty == SHT_DYNSYM) {
			e->dynsym_shsize = sz;
		} else if (ty == SHT_SYMTAB && lk < shnum) {
			uint32_t n2, t2, l2;
			uint64_t f2, a2, o2, s2;
			bool ok2;
			read_shdr(e, shoff + (uint64_t)lk * shentsize, &n2, &t2, &f2, &a2, &o2, &s2,
				  &l2, &ok2);
			if (ok2 && ap_range_ok(e->len, o2, s2)) {
				symtab_off = of;
				symtab_sz = sz;
				symstr_off = o2;
				symstr_sz = s2;
			}
		}
	}
	finish_data_rngs(e);
	e->shdr_ok = true;
	e->symtab_off = symtab_off;
	e->symtab_sz = symtab_sz;
	e->symstr_off = symstr_off;
	e->symstr_sz = symstr_sz;
}

size_t elf_first_key(const void *base, size_t n, size_t size, size_t key_off, uint64_t v,
		     bool above)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;
		memcpy(&k, (const uint8_t *)base + mid * size + key_off, sizeof k);
		if (k < v || (above && k == v))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void add_loader_rng(struct elf_data_rng *d, size_t *n, size_t max, uint64_t start,
			   uint64_t size, const char *what)
{
	if (*n < max && size && start + size > start) {
		d[*n].start = start;
		d[*n].end = start + size;
		d[*n].section = what;
		d[*n].declared_by = "the program headers and dynamic segment";
		(*n)++;
	}
}

/* Without trusted section headers, the tables the dynamic loader itself reads are still known,
 * from the program headers and the dynamic segment: the ELF and program headers, the dynamic
 * symbol and string tables, the hash tables, the relocations, notes and unwind tables. Pass 2
 * skips them as data, with the same safeguards as section-declared data (a code symbol inside
 * drops them all; a direct call into one gets it decoded). Decoded as code they are only
 * garbage, and on ARM garbage that marks random words as literal pools. */
static void loader_data_rngs(struct elf *e)
{
	enum { MAX = 16 };
	if (e->shdr_ok)
		return;
	struct elf_data_rng *d = ap_arena_calloc(e->arena, MAX, sizeof(*d));
	if (!d)
		return;
	size_t n = 0, ent = e->is64 ? 24 : 16;
	for (size_t i = 0; i < e->n_segs; i++) {
		const struct elf_seg *g = &e->segs[i];
		if (g->type == PT_LOAD && g->offset == 0)
			add_loader_rng(d, &n, MAX, g->vaddr, e->hdr_end < g->filesz ? e->hdr_end : g->filesz,
				       "the ELF and program headers");
		else if (g->type == PT_NOTE || g->type == PT_GNU_EH_FRAME || g->type == PT_ARM_EXIDX)
			add_loader_rng(d, &n, MAX, g->vaddr, g->filesz,
				       g->type == PT_NOTE ? "PT_NOTE" : g->type == PT_GNU_EH_FRAME
				       ? "PT_GNU_EH_FRAME" : "PT_ARM_EXIDX");
	}
	if (e->dt_symtab)
		add_loader_rng(d, &n, MAX, e->dt_symtab, (uint64_t)e->n_syms * ent, "DT_SYMTAB");
	if (e->dt_strtab)
		add_loader_rng(d, &n, MAX, e->dt_strtab, e->dt_strsz, "DT_STRTAB");
	uint32_t a, b, c;
	if (e->dt_hash && elf_read_u32(e, e->dt_hash, &a) && elf_read_u32(e, e->dt_hash + 4, &b))
		add_loader_rng(d, &n, MAX, e->dt_hash, (2 + (uint64_t)a + b) * 4, "DT_HASH");
	if (e->dt_gnu_hash && elf_read_u32(e, e->dt_gnu_hash, &a) &&
	    elf_read_u32(e, e->dt_gnu_hash + 4, &b) && elf_read_u32(e, e->dt_gnu_hash + 8, &c) &&
	    b <= e->n_syms) /* nbuckets, symoffset, bloom words; then one chain word per symbol */
		add_loader_rng(d, &n, MAX, e->dt_gnu_hash,
			       16 + (uint64_t)c * (e->is64 ? 8 : 4) + (uint64_t)a * 4 +
				       (e->n_syms - b) * 4, "DT_GNU_HASH");
	if (e->dt_rel)
		add_loader_rng(d, &n, MAX, e->dt_rel, e->dt_relsz, "DT_REL");
	if (e->dt_rela)
		add_loader_rng(d, &n, MAX, e->dt_rela, e->dt_relasz, "DT_RELA");
	if (e->dt_jmprel)
		add_loader_rng(d, &n, MAX, e->dt_jmprel, e->dt_pltrelsz, "DT_JMPREL");
	e->data = d;
	e->n_data = n;
	finish_data_rngs(e);
}

static int finish(struct elf *e)
{
	struct ap_native_lib *lib = e->lib;
	lib->section_headers_ok = e->shdr_ok;
	lib->n_plt = e->n_plt;
	lib->n_insns = e->n_insns;
	if (e->n_calls) {
		lib->calls = ap_arena_calloc(e->arena, e->n_calls, sizeof(*lib->calls));
		if (!lib->calls)
			return AP_ERR_NOMEM;
		memcpy(lib->calls, e->calls, e->n_calls * sizeof(*lib->calls));
		lib->n_calls = e->n_calls;
	}
	if (e->n_regs) {
		lib->registered = ap_arena_calloc(e->arena, e->n_regs, sizeof(*lib->registered));
		if (!lib->registered)
			return AP_ERR_NOMEM;
		memcpy(lib->registered, e->regs, e->n_regs * sizeof(*lib->registered));
		lib->n_registered = e->n_regs;
	}
	return AP_OK;
}

int ap_native_open(const uint8_t *buf, size_t len, const char *path, struct ap_anomalies *an,
		   struct ap_native_lib **out)
{
	*out = NULL;
	if (len > AP_MAX_ELF_BYTES) {
		ap_anom_add(an, "elf", path, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "library of %zu bytes is larger than AP_MAX_ELF_BYTES", len);
		return AP_ERR_LIMIT;
	}
	if (len < 16 || memcmp(buf, "\177ELF", 4) != 0)
		return AP_ERR_FORMAT;
	/* symbols, relocations and call records are bounded by their own caps; the arena cap
	 * keeps a hostile file from turning those caps into gigabytes */
	struct ap_arena *arena = ap_arena_new(AP_MAX_NATIVE_ARENA_BASE + (size_t)len * 8);
	if (!arena)
		return AP_ERR_NOMEM;
	struct elf *e = ap_arena_alloc(arena, sizeof(*e));
	struct ap_native_lib *lib = ap_arena_alloc(arena, sizeof(*lib));
	if (!e || !lib) {
		ap_arena_free(arena);
		return AP_ERR_NOMEM;
	}
	e->buf = buf;
	e->len = len;
	e->an = an;
	e->arena = arena;
	e->lib = lib;
	e->path = path;
	lib->path = ap_arena_strdup(arena, path ? path : "");
	lib->impl = e;
	lib->abi = "unknown";

	uint64_t shoff = 0;
	uint32_t shentsize = 0, shnum = 0, shstrndx = 0;
	int rc = read_header_and_phdrs(e, &shoff, &shentsize, &shnum, &shstrndx);
	if (rc != AP_OK)
		goto out_free_arena;
	read_sections(e, shoff, shentsize, shnum, shstrndx);
	if ((rc = elf_read_dynamic(e)) != AP_OK)
		goto out_free_arena;
	if ((rc = elf_read_symbols(e)) != AP_OK)
		goto out_free_arena;
	if ((rc = elf_read_relocs(e)) != AP_OK)
		goto out_free_arena;
	elf_collect_imports_exports(e);
	elf_decode_jni_exports(e);
	loader_data_rngs(e);
	if ((rc = elf_disasm(e)) != AP_OK)
		goto out_free_arena;
	elf_scan_urls(e);
	if ((rc = finish(e)) != AP_OK)
		goto out_free_arena;
	if (arena->limit_hit) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_LIMIT, "native arena cap reached; partial result");
		lib->partial = true;
	}
	free(e->calls);
	free(e->regs);
	free(e->plt);
	free(e->rels);
	e->calls = NULL;
	e->regs = NULL;
	e->plt = NULL;
	e->rels = NULL;
	*out = lib;
	return AP_OK;

out_free_arena:
	free(e->calls);
	free(e->regs);
	free(e->plt);
	free(e->rels);
	ap_arena_free(arena);
	return rc;
}

void ap_native_close(struct ap_native_lib *lib)
{
	if (!lib)
		return;
	struct elf *e = lib->impl;
	ap_arena_free(e->arena);
}
