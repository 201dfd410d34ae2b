/* ELF: the dynamic symbol table, sized the way the loader can (DT_HASH nchain, or the highest index
 * reachable through DT_GNU_HASH), since a dynamic symbol table has no size of its own; then the
 * import/export lists and the code marks (function symbols, ARM $a/$t/$d mapping symbols). */
#include "native_int.h"

#include "ap_cursor.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

#define STT_FUNC 2
#define STT_SECTION 3
#define STT_FILE 4
#define STB_LOCAL 0
#define STB_GLOBAL 1
#define STB_WEAK 2
#define STB_GNU_UNIQUE 10

const struct ap_native_sym *elf_sym(const struct elf *e, uint32_t idx)
{
	return idx < e->n_syms ? &e->syms[idx] : NULL;
}

static bool gnu_hash_count(struct elf *e, uint64_t *count)
{
	uint64_t off;
	if (!elf_va_to_off(e, e->dt_gnu_hash, 16, &off))
		return false;
	struct ap_cur c = ap_cur_sub(e->buf, e->len, (size_t)off, e->len - (size_t)off);
	uint32_t nbuckets = ap_cur_u32le(&c);
	uint32_t symoffset = ap_cur_u32le(&c);
	uint32_t bloom_size = ap_cur_u32le(&c);
	ap_cur_u32le(&c);
	uint64_t bloom_bytes = (uint64_t)bloom_size * (e->is64 ? 8 : 4);
	if (!c.ok || bloom_bytes > ap_cur_avail(&c))
		return false;
	ap_cur_skip(&c, (size_t)bloom_bytes);
	if ((uint64_t)nbuckets * 4 > ap_cur_avail(&c))
		return false;
	uint32_t max = 0;
	for (uint32_t i = 0; i < nbuckets; i++) {
		uint32_t b = ap_cur_u32le(&c);
		if (b > max)
			max = b;
	}
	if (!c.ok)
		return false;
	if (max < symoffset) {
		*count = symoffset;
		return true;
	}
	size_t chains = c.off;
	/* walk the last chain to its end bit; bounded by the symbol cap */
	for (uint64_t idx = max; idx < (uint64_t)max + AP_MAX_ELF_SYMBOLS; idx++) {
		bool ok = true;
		uint32_t h = ap_rd_u32le(c.buf, c.len, chains + (size_t)(idx - symoffset) * 4, &ok);
		if (!ok)
			return false;
		if (h & 1) {
			*count = idx + 1;
			return true;
		}
	}
	return false;
}

static uint64_t symbol_count(struct elf *e)
{
	size_t ent = e->is64 ? 24 : 16;
	uint64_t off, n = 0;
	if (e->dt_hash && elf_va_to_off(e, e->dt_hash, 8, &off)) {
		bool ok = true;
		n = ap_rd_u32le(e->buf, e->len, (size_t)off + 4, &ok);
		if (ok && n)
			return n;
	}
	if (e->dt_gnu_hash && gnu_hash_count(e, &n) && n)
		return n;
	if (e->dynsym_shsize)
		return e->dynsym_shsize / ent;
	/* no usable hash table: the linker lays .dynstr right after .dynsym */
	if (e->dt_strtab > e->dt_symtab) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_TAMPER,
			 "no usable DT_HASH/DT_GNU_HASH; sizing the symbol table by DT_STRTAB");
		return (e->dt_strtab - e->dt_symtab) / ent;
	}
	return 0;
}

static void read_sym(struct elf *e, struct ap_cur *c, struct ap_native_sym *s, uint32_t *name)
{
	*name = ap_cur_u32le(c);
	if (e->is64) {
		uint8_t info = ap_cur_u8(c);
		ap_cur_u8(c);
		s->shndx = ap_cur_u16le(c);
		s->value = ap_cur_u64le(c);
		s->size = ap_cur_u64le(c);
		s->type = info & 0xf;
		s->bind = info >> 4;
	} else {
		s->value = ap_cur_u32le(c);
		s->size = ap_cur_u32le(c);
		uint8_t info = ap_cur_u8(c);
		ap_cur_u8(c);
		s->shndx = ap_cur_u16le(c);
		s->type = info & 0xf;
		s->bind = info >> 4;
	}
}

static int cmp_mark(const void *a, const void *b)
{
	const struct elf_mark *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* at one address a mapping symbol wins over a name (it says the mode) */
	return (x->name != NULL) - (y->name != NULL);
}

static void add_mark(struct elf *e, size_t cap, uint64_t value, uint64_t size, const char *name,
		     int type)
{
	if (e->n_marks >= cap)
		return;
	struct elf_mark *m = &e->marks[e->n_marks];
	m->thumb = -1;
	if (e->machine == EM_ARM) {
		if (name && name[0] == '$' && (name[1] == 'a' || name[1] == 't' || name[1] == 'd') &&
		    (name[2] == 0 || name[2] == '.')) {
			m->thumb = name[1] == 't' ? 1 : name[1] == 'a' ? 0 : 2;
			name = NULL;
		} else if (type == STT_FUNC) {
			m->thumb = (int)(value & 1);
			value &= ~(uint64_t)1;
		} else {
			return;
		}
	} else if (type != STT_FUNC) {
		return;
	}
	m->addr = value;
	m->name = name;
	m->size = name ? size : 0;
	e->n_marks++;
}

/* .symtab when section headers are sane: local function names and ARM mapping symbols. */
static size_t count_symtab(const struct elf *e)
{
	size_t ent = e->is64 ? 24 : 16;
	uint64_t n = e->symtab_sz / ent;
	return n > AP_MAX_ELF_SYMBOLS ? AP_MAX_ELF_SYMBOLS : (size_t)n;
}

static void read_symtab_marks(struct elf *e, size_t cap)
{
	size_t ent = e->is64 ? 24 : 16, n = count_symtab(e);
	for (size_t i = 1; i < n; i++) {
		struct ap_cur c = ap_cur_sub(e->buf, e->len, (size_t)e->symtab_off + i * ent, ent);
		struct ap_native_sym s;
		uint32_t nm;
		read_sym(e, &c, &s, &nm);
		if (!c.ok || s.shndx == 0 || nm >= e->symstr_sz)
			continue;
		const char *name = (const char *)e->buf + e->symstr_off + nm;
		size_t maxn = (size_t)(e->symstr_sz - nm);
		if (strnlen(name, maxn) == maxn)
			continue;
		add_mark(e, cap, s.value, s.size, name, s.type);
	}
}

/* ---- function starts from the unwind tables ----
 * The runtime reads them to unwind, so even stripped libraries keep them: ARM's exception
 * index (PT_ARM_EXIDX: 8-byte entries whose first word is a prel31 offset to a function) and
 * the binary-search table of .eh_frame_hdr (PT_GNU_EH_FRAME, elsewhere). Each start is a mark
 * with no name whose mode (ARM) is unknown (thumb = 3): it splits the code that no symbol
 * names into functions. */

static const struct elf_seg *seg_of_type(const struct elf *e, uint32_t type)
{
	for (size_t i = 0; i < e->n_segs; i++)
		if (e->segs[i].type == type)
			return &e->segs[i];
	return NULL;
}

/* The count of table entries, and where: *at the first, *stride their size. 0 when none. */
static size_t unwind_table(const struct elf *e, uint64_t *at, unsigned *stride)
{
	const struct elf_seg *g;
	size_t n = 0;
	if (e->machine == EM_ARM && (g = seg_of_type(e, PT_ARM_EXIDX))) {
		*at = g->vaddr;
		*stride = 8;
		n = (size_t)(g->filesz / 8);
	} else if ((g = seg_of_type(e, PT_GNU_EH_FRAME)) && g->filesz >= 12) {
		uint32_t head, count;
		/* version 1; eh_frame_ptr 4 bytes (udata4, sdata4 or pcrel sdata4); fde_count
		 * udata4; table datarel sdata4: the common encoding, the only one read */
		if (!elf_read_u32(e, g->vaddr, &head) || (head & 0xff) != 1 ||
		    ((head >> 8 & 0xff) != 0x1b && (head >> 8 & 0xff) != 0x03 &&
		     (head >> 8 & 0xff) != 0x0b) ||
		    (head >> 16 & 0xff) != 0x03 || (head >> 24) != 0x3b ||
		    !elf_read_u32(e, g->vaddr + 8, &count))
			return 0;
		*at = g->vaddr + 12;
		*stride = 8;
		n = count < (g->filesz - 12) / 8 ? count : (size_t)((g->filesz - 12) / 8);
	}
	return n < AP_MAX_ELF_SYMBOLS ? n : AP_MAX_ELF_SYMBOLS;
}

static void read_unwind_marks(struct elf *e, size_t cap)
{
	uint64_t at = 0;
	unsigned stride = 0;
	size_t n = unwind_table(e, &at, &stride);
	uint64_t hdr = at - 12; /* .eh_frame_hdr: datarel is from its start */
	for (size_t i = 0; i < n && e->n_marks < cap; i++) {
		uint64_t ent = at + (uint64_t)i * stride;
		uint32_t w;
		if (!elf_read_u32(e, ent, &w))
			break;
		uint64_t fn;
		if (e->machine == EM_ARM) {
			uint32_t w1;
			if (w & 0x80000000u)
				continue; /* not a prel31 */
			if (i + 1 == n && elf_read_u32(e, ent + 4, &w1) && w1 == 1)
				continue; /* the linker's closing EXIDX_CANTUNWIND: the end of .text */
			int32_t off = (int32_t)(w << 1) >> 1;
			fn = (ent + (uint64_t)(int64_t)off) & 0xfffffffeu;
		} else {
			fn = hdr + (uint64_t)(int64_t)(int32_t)w;
			if (!e->is64)
				fn &= 0xffffffffu;
		}
		if (!elf_va_is_exec(e, fn))
			continue;
		struct elf_mark *m = &e->marks[e->n_marks++];
		m->addr = fn;
		m->name = NULL;
		m->thumb = e->machine == EM_ARM ? 3 : -1;
		m->size = 0;
	}
}

int elf_read_symbols(struct elf *e)
{
	if (!e->dt_symtab || !e->str_len)
		return AP_OK;
	size_t ent = e->is64 ? 24 : 16;
	if (e->dt_syment && e->dt_syment != ent)
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_TAMPER, "DT_SYMENT %llu is not %zu; ignoring it",
			 (unsigned long long)e->dt_syment, ent);
	uint64_t n = symbol_count(e);
	if (n > AP_MAX_ELF_SYMBOLS) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_LIMIT, "%llu dynamic symbols, reading %u",
			 (unsigned long long)n, AP_MAX_ELF_SYMBOLS);
		n = AP_MAX_ELF_SYMBOLS;
	}
	uint64_t off;
	if (n && !elf_va_to_off(e, e->dt_symtab, n * ent, &off)) {
		uint64_t lo = 0, hi = n; /* clip to the largest mapped prefix */
		while (lo < hi) {
			uint64_t mid = lo + (hi - lo + 1) / 2;
			if (elf_va_to_off(e, e->dt_symtab, mid * ent, &off))
				lo = mid;
			else
				hi = mid - 1;
		}
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_TRUNCATED,
			 "dynamic symbol table (%llu entries) runs past its segment; reading %llu",
			 (unsigned long long)n, (unsigned long long)lo);
		n = lo;
	}
	if (n == 0 || !elf_va_to_off(e, e->dt_symtab, n * ent, &off)) {
		elf_anom(e, AP_OFFSET_NONE, AP_ERR_RANGE, "DT_SYMTAB 0x%llx is not mapped",
			 (unsigned long long)e->dt_symtab);
		return AP_OK;
	}
	e->syms = ap_arena_calloc(e->arena, (size_t)n, sizeof(*e->syms));
	if (!e->syms)
		return AP_ERR_NOMEM;
	struct ap_cur c = ap_cur_sub(e->buf, e->len, (size_t)off, (size_t)(n * ent));
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		struct ap_native_sym *s = &e->syms[i];
		uint32_t nm;
		read_sym(e, &c, s, &nm);
		s->name = elf_dynstr(e, nm);
		if (!s->name) {
			s->name = "";
			bad++;
		}
	}
	e->n_syms = (size_t)n;
	if (bad)
		elf_anom(e, off, AP_ERR_RANGE, "%zu dynamic symbol names outside DT_STRTAB", bad);

	uint64_t uat;
	unsigned ustride;
	size_t cap = e->n_syms + count_symtab(e) + unwind_table(e, &uat, &ustride);
	e->marks = ap_arena_calloc(e->arena, cap ? cap : 1, sizeof(*e->marks));
	if (!e->marks)
		return AP_ERR_NOMEM;
	for (size_t i = 1; i < e->n_syms; i++)
		if (e->syms[i].shndx != 0 && e->syms[i].name[0])
			add_mark(e, cap, e->syms[i].value, e->syms[i].size, e->syms[i].name,
				 e->syms[i].type);
	if (e->shdr_ok && e->symtab_sz)
		read_symtab_marks(e, cap);
	read_unwind_marks(e, cap);
	qsort(e->marks, e->n_marks, sizeof(*e->marks), cmp_mark);
	return AP_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_sym_name(const void *a, const void *b)
{
	const struct ap_native_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->value < y->value ? -1 : x->value > y->value;
}

void elf_collect_imports_exports(struct elf *e)
{
	struct ap_native_lib *lib = e->lib;
	if (!e->n_syms)
		return;
	const char **imp = ap_arena_calloc(e->arena, e->n_syms, sizeof(*imp));
	struct ap_native_sym *exp = ap_arena_calloc(e->arena, e->n_syms, sizeof(*exp));
	const char **net = ap_arena_calloc(e->arena, e->n_syms, sizeof(*net));
	if (!imp || !exp || !net)
		return;
	size_t ni = 0, nx = 0;
	for (size_t i = 1; i < e->n_syms; i++) {
		const struct ap_native_sym *s = &e->syms[i];
		if (!s->name[0])
			continue;
		if (s->shndx == 0) {
			imp[ni++] = s->name;
		} else if ((s->bind == STB_GLOBAL || s->bind == STB_WEAK ||
			    s->bind == STB_GNU_UNIQUE) &&
			   s->type != STT_SECTION && s->type != STT_FILE) {
			exp[nx++] = *s;
			if (strcmp(s->name, "JNI_OnLoad") == 0)
				lib->has_jni_onload = true;
		}
	}
	qsort(imp, ni, sizeof(*imp), cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < ni; i++)
		if (u == 0 || strcmp(imp[u - 1], imp[i]) != 0)
			imp[u++] = imp[i];
	qsort(exp, nx, sizeof(*exp), cmp_sym_name);
	lib->imports = imp;
	lib->n_imports = u;
	lib->exports = exp;
	lib->n_exports = nx;
	for (size_t i = 0; i < u; i++)
		if (ap_native_is_net_import(imp[i]))
			net[lib->n_net_imports++] = imp[i];
	lib->net_imports = net;
}
