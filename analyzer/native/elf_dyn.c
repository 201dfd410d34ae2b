/* ELF: the dynamic segment (PT_DYNAMIC), read as Android's linker does: DT_STRTAB/DT_SYMTAB/DT_HASH/
 * DT_GNU_HASH/DT_JMPREL/DT_REL(A)/DT_NEEDED/DT_SONAME, addresses mapped through PT_LOAD. */
#include "native_int.h"

#include "ap_cursor.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <string.h>


enum {
	DT_NULL = 0, DT_NEEDED = 1, DT_PLTRELSZ = 2, DT_PLTGOT = 3, DT_HASH = 4, DT_STRTAB = 5,
	DT_SYMTAB = 6, DT_RELA = 7, DT_RELASZ = 8, DT_STRSZ = 10, DT_SYMENT = 11, DT_SONAME = 14,
	DT_REL = 17, DT_RELSZ = 18, DT_PLTREL = 20, DT_JMPREL = 23,
};
#define DT_GNU_HASH 0x6ffffef5u
#define DT_ANDROID_REL 0x6000000fu
#define DT_ANDROID_RELSZ 0x60000010u
#define DT_ANDROID_RELA 0x60000011u
#define DT_ANDROID_RELASZ 0x60000012u

const char *elf_dynstr(struct elf *e, uint64_t idx)
{
	if (!e->str_len || idx >= e->str_len)
		return NULL;
	const char *s = (const char *)e->buf + e->str_off + idx;
	size_t max = e->str_len - (size_t)idx;
	size_t n = strnlen(s, max);
	if (n == max)
		return NULL; /* not terminated inside DT_STRSZ */
	return s;
}

/* DT_STRTAB + DT_STRSZ as a file range; a size that runs past its segment is clipped to it. */
static void map_strtab(struct elf *e)
{
	uint64_t off;
	if (!e->dt_strtab || !elf_va_to_off(e, e->dt_strtab, 1, &off)) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_RANGE, "DT_STRTAB 0x%llx is not mapped by a PT_LOAD",
			 (unsigned long long)e->dt_strtab);
		return;
	}
	uint64_t sz = e->dt_strsz;
	while (sz && !elf_va_to_off(e, e->dt_strtab, sz, &off)) {
		uint64_t lo = 1, hi = sz; /* largest mapped prefix */
		while (lo < hi) {
			uint64_t mid = lo + (hi - lo + 1) / 2;
			if (elf_va_to_off(e, e->dt_strtab, mid, &off))
				lo = mid;
			else
				hi = mid - 1;
		}
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_TRUNCATED,
			 "DT_STRSZ 0x%llx runs past its segment; using 0x%llx bytes",
			 (unsigned long long)e->dt_strsz, (unsigned long long)lo);
		sz = lo;
	}
	if (!sz || !elf_va_to_off(e, e->dt_strtab, sz, &off))
		return;
	e->str_off = (size_t)off;
	e->str_len = (size_t)sz;
}

int elf_read_dynamic(struct elf *e)
{
	const struct elf_seg *dyn = NULL;
	for (size_t i = 0; i < e->n_segs; i++)
		if (e->segs[i].type == PT_DYNAMIC)
			dyn = &e->segs[i];
	if (!dyn) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_FORMAT, "no PT_DYNAMIC: not a shared library");
		return AP_OK;
	}
	size_t ent = e->is64 ? 16 : 8;
	uint64_t sz = dyn->filesz;
	if (!ap_range_ok(e->len, dyn->offset, sz)) {
		elf_anom(e, dyn->offset, AP_ERR_TRUNCATED, "PT_DYNAMIC past end of file");
		sz = dyn->offset < e->len ? e->len - dyn->offset : 0;
	}
	struct ap_cur c = ap_cur_sub(e->buf, e->len, (size_t)dyn->offset, (size_t)sz);
	uint64_t needed[AP_MAX_ELF_NEEDED];
	size_t n_needed = 0;
	uint64_t soname = UINT64_MAX;
	e->have_dynamic = true;
	while (ap_cur_avail(&c) >= ent) {
		uint64_t tag = e->is64 ? ap_cur_u64le(&c) : ap_cur_u32le(&c);
		uint64_t val = e->is64 ? ap_cur_u64le(&c) : ap_cur_u32le(&c);
		if (tag == DT_NULL)
			break;
		switch (tag) {
		case DT_NEEDED:
			if (n_needed < AP_MAX_ELF_NEEDED)
				needed[n_needed++] = val;
			break;
		case DT_SONAME: soname = val; break;
		case DT_PLTRELSZ: e->dt_pltrelsz = val; break;
		case DT_PLTGOT: e->dt_pltgot = val; break;
		case DT_HASH: e->dt_hash = val; break;
		case DT_STRTAB: e->dt_strtab = val; break;
		case DT_SYMTAB: e->dt_symtab = val; break;
		case DT_RELA: e->dt_rela = val; break;
		case DT_RELASZ: e->dt_relasz = val; break;
		case DT_STRSZ: e->dt_strsz = val; break;
		case DT_SYMENT: e->dt_syment = val; break;
		case DT_REL: e->dt_rel = val; break;
		case DT_RELSZ: e->dt_relsz = val; break;
		case DT_PLTREL: e->dt_pltrel = val; break;
		case DT_JMPREL: e->dt_jmprel = val; break;
		case DT_GNU_HASH: e->dt_gnu_hash = val; break;
		case DT_ANDROID_REL: e->android_rel = val; break;
		case DT_ANDROID_RELA: e->android_rel = val; e->android_rela = true; break;
		case DT_ANDROID_RELSZ:
		case DT_ANDROID_RELASZ: e->android_relsz = val; break;
		default: break;
		}
	}
	map_strtab(e);
	struct ap_native_lib *lib = e->lib;
	if (soname != UINT64_MAX)
		lib->soname = elf_dynstr(e, soname);
	if (n_needed) {
		lib->needed = ap_arena_calloc(e->arena, n_needed, sizeof(*lib->needed));
		if (!lib->needed)
			return AP_ERR_NOMEM;
		for (size_t i = 0; i < n_needed; i++) {
			const char *s = elf_dynstr(e, needed[i]);
			if (s)
				lib->needed[lib->n_needed++] = s;
			else
				elf_anom(e, AP_OFFSET_NONE, AP_ERR_RANGE,
					 "DT_NEEDED name 0x%llx outside DT_STRTAB",
					 (unsigned long long)needed[i]);
		}
	}
	return AP_OK;
}
