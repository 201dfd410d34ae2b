/* resources.arsc (ResTable): the global string pool, packages, and the simple values of every
 * type chunk with its locale, including sparse and compact entries (aapt2 --enable-sparse-encoding,
 * --enable-compact-entries). Enough to resolve the app label and references in the manifest. */
#include "manifest.h"
#include "mf_internal.h"

#include "ap_arena.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

#define MOD "arsc"
#define WHERE "resources.arsc"

struct arsc_entry {
	uint32_t resid;
	uint32_t seq;     /* file order, to keep the first of equal configs */
	char lang[4];     /* "zh", "" for the default config */
	char country[4];
	uint8_t type;
	uint32_t data;
};

struct ap_arsc {
	struct ap_arena *arena;
	struct mf_pool strings;
	struct arsc_entry *e;
	size_t n, cap;
	bool limit_noted;
};

static void add_entry(struct ap_arsc *a, struct ap_anomalies *an, const struct arsc_entry *e)
{
	if (a->n >= AP_MAX_ARSC_ENTRIES) {
		if (!a->limit_noted)
			ap_anom_add(an, MOD, WHERE, AP_OFFSET_NONE, AP_ERR_LIMIT,
				    "more than %u values; the rest ignored", AP_MAX_ARSC_ENTRIES);
		a->limit_noted = true;
		return;
	}
	if (a->n == a->cap) {
		size_t ncap = a->cap ? a->cap * 2 : 256;
		struct arsc_entry *p = realloc(a->e, ncap * sizeof(*p));
		if (!p)
			return;
		a->e = p;
		a->cap = ncap;
	}
	a->e[a->n] = *e;
	a->e[a->n].seq = (uint32_t)a->n;
	a->n++;
}

/* One entry at absolute offset off of a type chunk ending at end. */
static void read_entry(struct ap_arsc *a, struct ap_anomalies *an, const uint8_t *buf,
		       size_t end, size_t off, struct arsc_entry *proto)
{
	struct ap_cur c = ap_cur_sub(buf, end, 0, end);
	ap_cur_seek(&c, off);
	uint16_t size = ap_cur_u16le(&c);
	uint16_t flags = ap_cur_u16le(&c);
	uint32_t key_or_data = ap_cur_u32le(&c);
	if (!c.ok) {
		ap_anom_add(an, MOD, WHERE, off, AP_ERR_TRUNCATED, "entry past its type chunk");
		return;
	}
	if (flags & 0x0008) { /* FLAG_COMPACT: key u16, flags u16 (type in the high byte), data */
		proto->type = (uint8_t)(flags >> 8);
		proto->data = key_or_data;
		add_entry(a, an, proto);
		return;
	}
	if (flags & 0x0001) /* FLAG_COMPLEX: a bag (style, array, plurals): not needed here */
		return;
	/* Res_value after the entry header */
	ap_cur_seek(&c, off + (size < 8 ? 8 : size));
	ap_cur_skip(&c, 3);
	proto->type = ap_cur_u8(&c);
	proto->data = ap_cur_u32le(&c);
	if (!c.ok) {
		ap_anom_add(an, MOD, WHERE, off, AP_ERR_TRUNCATED, "value past its type chunk");
		return;
	}
	add_entry(a, an, proto);
}

/* ResTable_type: id, flags, reserved, entryCount, entriesStart, ResTable_config. */
static void read_type(struct ap_arsc *a, struct ap_anomalies *an, const uint8_t *buf,
		      size_t len, const struct mf_chunk *ch, uint8_t pkg)
{
	struct ap_cur c = ap_cur_sub(buf, len, ch->start, ch->size);
	ap_cur_skip(&c, 8);
	uint8_t id = ap_cur_u8(&c), flags = ap_cur_u8(&c);
	ap_cur_skip(&c, 2);
	uint32_t count = ap_cur_u32le(&c), entries_start = ap_cur_u32le(&c);
	ap_cur_skip(&c, 4 + 4); /* config size, mcc/mnc */
	const uint8_t *lang = ap_cur_bytes(&c, 2), *country = ap_cur_bytes(&c, 2);
	if (!c.ok || id == 0) {
		ap_anom_add(an, MOD, WHERE, ch->start, AP_ERR_FORMAT, "bad type chunk (id %u)", id);
		return;
	}
	struct arsc_entry proto;
	memset(&proto, 0, sizeof(proto));
	/* 2-letter codes only; packed 3-letter codes (high bit set) are kept as "" + flag */
	if (lang[0] && !(lang[0] & 0x80)) {
		proto.lang[0] = (char)lang[0];
		proto.lang[1] = (char)lang[1];
	} else if (lang[0]) {
		memcpy(proto.lang, "??", 2);
	}
	if (country[0] && !(country[0] & 0x80)) {
		proto.country[0] = (char)country[0];
		proto.country[1] = (char)country[1];
	}
	size_t unit = (flags & 0x01) ? 4 : (flags & 0x02) ? 2 : 4;
	size_t room = (ch->size - ch->header_size) / unit;
	if (count > room) {
		ap_anom_add(an, MOD, WHERE, ch->start + 12, AP_ERR_TAMPER,
			    "type 0x%02x entry count %u exceeds its chunk; reading %zu", id, count,
			    room);
		count = (uint32_t)room;
	}
	if (entries_start > ch->size) {
		ap_anom_add(an, MOD, WHERE, ch->start + 16, AP_ERR_RANGE,
			    "type 0x%02x entries start 0x%x past its chunk", id, entries_start);
		return;
	}
	size_t end = ch->start + ch->size, tab = ch->start + ch->header_size;
	for (uint32_t i = 0; i < count; i++) {
		bool ok = true;
		uint32_t idx = i, eoff;
		if (flags & 0x01) { /* sparse: {u16 index, u16 offset / 4} */
			idx = ap_rd_u16le(buf, end, tab + (size_t)i * 4, &ok);
			eoff = (uint32_t)ap_rd_u16le(buf, end, tab + (size_t)i * 4 + 2, &ok) * 4;
		} else if (flags & 0x02) { /* offset16: u16 offset / 4, 0xffff = no entry */
			uint16_t o = ap_rd_u16le(buf, end, tab + (size_t)i * 2, &ok);
			if (o == 0xffff)
				continue;
			eoff = (uint32_t)o * 4;
		} else {
			eoff = ap_rd_u32le(buf, end, tab + (size_t)i * 4, &ok);
			if (eoff == 0xffffffffu)
				continue;
		}
		if (!ok)
			break;
		if (idx > 0xffff)
			continue;
		proto.resid = ((uint32_t)pkg << 24) | ((uint32_t)id << 16) | idx;
		read_entry(a, an, buf, end, ch->start + (size_t)entries_start + eoff, &proto);
	}
}

/* ResTable_package: header (id, name[128], type/key string offsets...), then its chunks. */
static void read_package(struct ap_arsc *a, struct ap_anomalies *an, const uint8_t *buf,
			 size_t len, const struct mf_chunk *pch)
{
	bool ok = true;
	uint32_t pkg = ap_rd_u32le(buf, len, pch->start + 8, &ok);
	if (!ok || pkg > 0xff) {
		ap_anom_add(an, MOD, WHERE, pch->start, AP_ERR_FORMAT, "bad package id 0x%x", pkg);
		return;
	}
	size_t hs = pch->header_size;
	if (hs < 284 - 4) {
		ap_anom_add(an, MOD, WHERE, pch->start, AP_ERR_TAMPER,
			    "package header size %zu too small", hs);
		return;
	}
	size_t end = pch->start + pch->size, off = pch->start + hs;
	struct mf_chunk ch;
	while (off < end) {
		if (!mf_chunk_read(buf, end, off, MOD, WHERE, an, &ch))
			break;
		if (ch.type == RES_TABLE_TYPE_TYPE)
			read_type(a, an, buf, end, &ch, (uint8_t)pkg);
		off += ch.size;
	}
}

static int cmp_entry(const void *x, const void *y)
{
	const struct arsc_entry *a = x, *b = y;
	if (a->resid != b->resid)
		return a->resid < b->resid ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

struct ap_arsc *ap_arsc_open(const uint8_t *buf, size_t len, struct ap_anomalies *an)
{
	if (len > AP_MAX_ARSC_BYTES) {
		ap_anom_add(an, MOD, WHERE, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "%zu bytes; reading the first %u", len, AP_MAX_ARSC_BYTES);
		len = AP_MAX_ARSC_BYTES;
	}
	struct mf_chunk top;
	if (!buf || !mf_chunk_read(buf, len, 0, MOD, WHERE, an, &top))
		return NULL;
	if (top.type != RES_TABLE_TYPE) {
		ap_anom_add(an, MOD, WHERE, 0, AP_ERR_FORMAT,
			    "not a resource table (chunk type 0x%04x)", top.type);
		return NULL;
	}
	struct ap_arsc *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->arena = ap_arena_new(AP_MAX_MANIFEST_ARENA);
	if (!a->arena) {
		free(a);
		return NULL;
	}
	bool have_pool = false;
	size_t off = top.header_size, end = top.size;
	struct mf_chunk ch;
	while (off < end) {
		if (!mf_chunk_read(buf, end, off, MOD, WHERE, an, &ch))
			break;
		if (ch.type == RES_STRING_POOL_TYPE && !have_pool) {
			have_pool = true;
			if (!mf_pool_read(buf, end, &ch, MOD, WHERE, a->arena, an, &a->strings))
				ap_anom_add(an, MOD, WHERE, off, AP_ERR_LIMIT,
					    "string pool exceeds the memory cap");
		} else if (ch.type == RES_TABLE_PACKAGE_TYPE) {
			read_package(a, an, buf, end, &ch);
		}
		off += ch.size;
	}
	if (a->n)
		qsort(a->e, a->n, sizeof(a->e[0]), cmp_entry);
	if (!have_pool && !a->n) {
		ap_anom_add(an, MOD, WHERE, 0, AP_ERR_FORMAT, "resource table holds nothing usable");
		ap_arsc_free(a);
		return NULL;
	}
	return a;
}

void ap_arsc_free(struct ap_arsc *arsc)
{
	if (!arsc)
		return;
	free(arsc->e);
	ap_arena_free(arsc->arena);
	free(arsc);
}

/* How well entry e matches the wanted locale: 4 exact, 3 language with no country, 2 language
 * with another country, 1 default config, 0 not usable. */
static int locale_score(const struct arsc_entry *e, const char *lang, const char *country)
{
	if (!e->lang[0])
		return 1;
	if (!*lang || strcmp(e->lang, lang) != 0)
		return 0;
	if (strcmp(e->country, country) == 0)
		return 4;
	return e->country[0] ? 2 : 3;
}

static const struct arsc_entry *find(const struct ap_arsc *a, uint32_t resid, const char *lang,
				     const char *country)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->e[mid].resid < resid)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct arsc_entry *best = NULL;
	int best_score = 0;
	for (size_t i = lo; i < a->n && a->e[i].resid == resid; i++) {
		int s = locale_score(&a->e[i], lang, country);
		if (s > best_score) {
			best = &a->e[i];
			best_score = s;
		}
	}
	return best;
}

bool mf_arsc_value(const struct ap_arsc *arsc, uint32_t resid, const char *locale,
		   uint8_t *type, uint32_t *data)
{
	if (!arsc)
		return false;
	char lang[4] = "", country[4] = "";
	if (locale) {
		size_t i = 0;
		while (locale[i] && locale[i] != '-' && locale[i] != '_' && i < 3) {
			lang[i] = locale[i];
			i++;
		}
		const char *r = strstr(locale, "-r");
		if (r && r[2] && r[3]) {
			country[0] = r[2];
			country[1] = r[3];
		}
	}
	for (unsigned hop = 0; hop <= AP_MAX_ARSC_REF_HOPS; hop++) {
		const struct arsc_entry *e = find(arsc, resid, lang, country);
		if (!e)
			return false;
		if ((e->type == TYPE_REFERENCE || e->type == TYPE_DYNAMIC_REFERENCE) && e->data) {
			resid = e->data;
			continue;
		}
		*type = e->type;
		*data = e->data;
		return true;
	}
	return false; /* a reference loop or a chain longer than the bound */
}

const char *mf_arsc_pool_string(const struct ap_arsc *arsc, uint32_t i)
{
	return arsc ? mf_pool_get(&arsc->strings, i) : NULL;
}

const char *ap_arsc_string(const struct ap_arsc *arsc, uint32_t resid, const char *locale)
{
	uint8_t type;
	uint32_t data;
	if (!mf_arsc_value(arsc, resid, locale, &type, &data) || type != TYPE_STRING)
		return NULL;
	return mf_arsc_pool_string(arsc, data);
}
