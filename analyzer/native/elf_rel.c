/* ELF: dynamic relocations (DT_JMPREL, DT_REL, DT_RELA and Android's APS2-packed
 * DT_ANDROID_REL/RELA), sorted by address so that a GOT slot or a pointer in .data.rel.ro can be
 * resolved to the symbol or address the loader would store there. */
#include "native_int.h"

#include "ap_cursor.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

#define DT_RELA_TAG 7
#define DT_REL_TAG 17

struct rel_types {
	uint32_t jump_slot, glob_dat, abs, relative;
};

static struct rel_types types_for(uint16_t machine)
{
	switch (machine) {
	case EM_AARCH64: return (struct rel_types){1026, 1025, 257, 1027};
	case EM_ARM: return (struct rel_types){22, 21, 2, 23};
	case EM_X86_64: return (struct rel_types){7, 6, 1, 8};
	case EM_386: return (struct rel_types){7, 6, 1, 8};
	default: return (struct rel_types){UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX};
	}
}

bool elf_is_jump_slot(const struct elf *e, uint32_t type)
{
	return type == types_for(e->machine).jump_slot;
}

static bool push_rel(struct elf *e, const struct elf_rel *r)
{
	if (e->n_rels >= AP_MAX_ELF_RELOCS)
		return false;
	if (e->n_rels == e->cap_rels) {
		size_t nc = e->cap_rels ? e->cap_rels * 2 : 256;
		struct elf_rel *p = realloc(e->rels, nc * sizeof(*p));
		if (!p)
			return false;
		e->rels = p;
		e->cap_rels = nc;
	}
	e->rels[e->n_rels++] = *r;
	return true;
}

static void read_table(struct elf *e, const char *what, uint64_t va, uint64_t size, bool rela)
{
	if (!va || !size)
		return;
	size_t ent = e->is64 ? (rela ? 24 : 16) : (rela ? 12 : 8);
	uint64_t off;
	if (!elf_va_to_off(e, va, size, &off)) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_RANGE,
			 "%s table 0x%llx+0x%llx is not mapped by a PT_LOAD", what,
			 (unsigned long long)va, (unsigned long long)size);
		return;
	}
	struct ap_cur c = ap_cur_sub(e->buf, e->len, (size_t)off, (size_t)size);
	while (ap_cur_avail(&c) >= ent) {
		struct elf_rel r = {0};
		r.has_addend = rela;
		if (e->is64) {
			r.offset = ap_cur_u64le(&c);
			uint64_t info = ap_cur_u64le(&c);
			r.sym = (uint32_t)(info >> 32);
			r.type = (uint32_t)info;
			if (rela)
				r.addend = (int64_t)ap_cur_u64le(&c);
		} else {
			r.offset = ap_cur_u32le(&c);
			uint32_t info = ap_cur_u32le(&c);
			r.sym = info >> 8;
			r.type = info & 0xff;
			if (rela)
				r.addend = (int32_t)ap_cur_u32le(&c);
		}
		if (!push_rel(e, &r)) {
			elf_anom(e, off + c.off, AP_ERR_LIMIT, "more than %u relocations",
				 AP_MAX_ELF_RELOCS);
			return;
		}
	}
}

/* SLEB128 of up to 64 bits, as APS2 stores every field. */
static int64_t sleb64(struct ap_cur *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (int i = 0; i < 10; i++) {
		uint8_t b = ap_cur_u8(c);
		if (!c->ok)
			return 0;
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				v |= ~(uint64_t)0 << shift;
			return (int64_t)v;
		}
	}
	c->ok = false;
	return 0;
}

/* Android's packed relocations (bionic linker_reloc_iterators.h): "APS2", count, first offset,
 * then groups sharing an offset delta, r_info and/or addend. */
static void read_packed(struct elf *e)
{
	enum { BY_INFO = 1, BY_OFFSET_DELTA = 2, BY_ADDEND = 4, HAS_ADDEND = 8 };
	uint64_t off;
	if (!e->android_rel || e->android_relsz < 4 ||
	    !elf_va_to_off(e, e->android_rel, e->android_relsz, &off)) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_RANGE, "DT_ANDROID_REL(A) table is not mapped");
		return;
	}
	struct ap_cur c = ap_cur_sub(e->buf, e->len, (size_t)off, (size_t)e->android_relsz);
	const uint8_t *magic = ap_cur_bytes(&c, 4);
	e->lib->packed_relocs = true;
	if (!magic || memcmp(magic, "APS2", 4) != 0) {
		elf_anom(e, off, AP_ERR_UNSUPPORTED, "packed relocations without APS2 magic; skipped");
		return;
	}
	int64_t count = sleb64(&c);
	struct elf_rel r = {0};
	r.offset = (uint64_t)sleb64(&c);
	r.has_addend = e->android_rela;
	uint64_t info = 0;
	int64_t done = 0;
	while (c.ok && done < count) {
		int64_t gsize = sleb64(&c);
		int64_t flags = sleb64(&c);
		int64_t delta = 0;
		if (flags & BY_OFFSET_DELTA)
			delta = sleb64(&c);
		if (flags & BY_INFO)
			info = (uint64_t)sleb64(&c);
		if ((flags & HAS_ADDEND) && (flags & BY_ADDEND))
			r.addend += sleb64(&c);
		else if (!(flags & HAS_ADDEND))
			r.addend = 0;
		if (!c.ok || gsize <= 0 || gsize > count - done)
			break;
		for (int64_t i = 0; i < gsize && c.ok; i++) {
			r.offset += (uint64_t)((flags & BY_OFFSET_DELTA) ? delta : sleb64(&c));
			if (!(flags & BY_INFO))
				info = (uint64_t)sleb64(&c);
			if ((flags & HAS_ADDEND) && !(flags & BY_ADDEND))
				r.addend += sleb64(&c);
			r.sym = e->is64 ? (uint32_t)(info >> 32) : (uint32_t)(info >> 8);
			r.type = e->is64 ? (uint32_t)info : (uint32_t)(info & 0xff);
			if (c.ok && !push_rel(e, &r)) {
				elf_anom(e, off + c.off, AP_ERR_LIMIT, "more than %u relocations",
					 AP_MAX_ELF_RELOCS);
				return;
			}
		}
		done += gsize;
	}
	if (!c.ok || done != count)
		elf_anom(e, off + c.off, AP_ERR_TRUNCATED,
			 "APS2 packed relocations end early (%lld of %lld read)", (long long)done,
			 (long long)count);
}

static int cmp_rel(const void *a, const void *b)
{
	const struct elf_rel *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int elf_read_relocs(struct elf *e)
{
	bool plt_rela;
	if (e->dt_pltrel == DT_RELA_TAG)
		plt_rela = true;
	else if (e->dt_pltrel == DT_REL_TAG)
		plt_rela = false;
	else
		plt_rela = e->machine == EM_AARCH64 || e->machine == EM_X86_64;
	read_table(e, "DT_JMPREL", e->dt_jmprel, e->dt_pltrelsz, plt_rela);
	read_table(e, "DT_RELA", e->dt_rela, e->dt_relasz, true);
	read_table(e, "DT_REL", e->dt_rel, e->dt_relsz, false);
	if (e->android_rel)
		read_packed(e);
	if (e->n_rels)
		qsort(e->rels, e->n_rels, sizeof(*e->rels), cmp_rel);
	return AP_OK;
}

static const struct elf_rel *find_rel(const struct elf *e, uint64_t va)
{
	size_t lo = 0, hi = e->n_rels;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->rels[mid].offset < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->n_rels && e->rels[lo].offset == va ? &e->rels[lo] : NULL;
}

uint32_t elf_got_symbol(const struct elf *e, uint64_t va)
{
	const struct elf_rel *r = find_rel(e, va);
	if (!r || !r->sym || r->sym >= e->n_syms)
		return 0;
	struct rel_types t = types_for(e->machine);
	if (r->type == t.jump_slot || r->type == t.glob_dat || r->type == t.abs)
		return r->sym;
	return 0;
}

bool elf_reloc_ptr(const struct elf *e, uint64_t va, uint64_t *val)
{
	const struct elf_rel *r = find_rel(e, va);
	uint64_t inplace = 0;
	bool have = elf_read_ptr(e, va, &inplace);
	if (!r)
		return have && (*val = inplace, true);
	struct rel_types t = types_for(e->machine);
	uint64_t base = r->has_addend ? (uint64_t)r->addend : inplace;
	if (r->type == t.relative) {
		*val = base;
		return r->has_addend || have;
	}
	if (r->type == t.abs && r->sym && r->sym < e->n_syms && e->syms[r->sym].shndx != 0) {
		*val = e->syms[r->sym].value + base;
		return true;
	}
	return false;
}
