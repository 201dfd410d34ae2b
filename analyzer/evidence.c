/* PI evidence: declared permissions, DEX API call sites and field reads, constant strings,
 * reflection targets and native calls, each tagged with its owner (first party or the SDK with
 * the longest matching package prefix). Every KB signature is resolved once per DEX against its
 * method_ids / field_ids / string table, then the DEX index gives the sites: no per-signature scan
 * of all call sites. The report tables made from it are evidence_tables.c. */
#include "scan.h"

#include "dex/dex.h"
#include "manifest/manifest.h"
#include "native/native.h"
#include "rules/kb.h"

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_vec.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

#define OWNER_UNKNOWN (-2)
#define OWNER_FIRST (-1)

static const char first_party[] = "first_party";

size_t ap_scan_cat_index(const struct ap_scan *s, const struct ap_kb_category *c)
{
	if (s->cat_base && c >= s->cat_base && c < s->cat_base + s->n_cats)
		return (size_t)(c - s->cat_base);
	for (size_t i = 0; i < s->n_cats; i++)
		if (ap_kb_category_at(s->kb, i) == c)
			return i;
	return SIZE_MAX;
}

const struct ap_kb_category *ap_scan_cat_at(const struct ap_scan *s, size_t i)
{
	return ap_kb_category_at(s->kb, i);
}

static bool same_evidence(const struct ap_evidence *a, const struct ap_evidence *b)
{
	if (a->via != b->via || a->pc != b->pc || a->offset != b->offset)
		return false;
#define SEQ(x) ((a->x == b->x) || (a->x && b->x && strcmp(a->x, b->x) == 0))
	return SEQ(api) && SEQ(method) && SEQ(dexfile) && SEQ(library) && SEQ(owner);
#undef SEQ
}

bool ap_scan_add_evidence(struct ap_scan *s, const char *category, const struct ap_evidence *e)
{
	const struct ap_kb_category *c = ap_kb_category(s->kb, category);
	if (!c)
		return false;
	size_t i = ap_scan_cat_index(s, c);
	if (i == SIZE_MAX)
		return false;
	struct ap_scan_cat *sc = &s->cats[i];
	/* the same site matched by two KB rows of one category counts once */
	for (size_t k = sc->n, seen = 0; k > 0 && seen < 8; k--, seen++)
		if (same_evidence(&sc->ev[k - 1], e))
			return true;
	bool code = e->via != AP_VIA_PERMISSION && e->via != AP_VIA_MANIFEST;
	if (code) {
		sc->n_code++;
		if (sc->n_code > AP_MAX_EVIDENCE_PER_CAT) {
			sc->dropped++;
			return true;
		}
	}
	if (!ap_grow((void **)&sc->ev, &sc->cap, sc->n + 1, sizeof *sc->ev))
		return false;
	struct ap_evidence *d = &sc->ev[sc->n++];
	*d = *e;
	d->category = c->id;
	return true;
}

void ap_scan_mark_perm_used(struct ap_scan *s, const char *perm)
{
	for (size_t i = 0; i < s->n_used_perms; i++)
		if (strcmp(s->used_perms[i], perm) == 0)
			return;
	if (!ap_grow((void **)&s->used_perms, &s->cap_used_perms, s->n_used_perms + 1,
		  sizeof *s->used_perms))
		return;
	s->used_perms[s->n_used_perms++] = perm;
}

void ap_scan_add_url(struct ap_scan *s, const char *url, const char *owner, const char *where)
{
	for (size_t i = 0; i < s->n_urls; i++)
		if (strcmp(s->urls[i].url, url) == 0)
			return;
	if (s->n_urls >= AP_MAX_REPORT_URLS) {
		s->urls_dropped++;
		return;
	}
	if (!ap_grow((void **)&s->urls, &s->cap_urls, s->n_urls + 1, sizeof *s->urls))
		return;
	char *u = ap_arena_strndup(s->arena, url, strnlen(url, AP_MAX_STRING_REPORT));
	if (!u)
		return;
	struct ap_rep_url *d = &s->urls[s->n_urls++];
	d->url = u;
	d->owner = owner;
	d->where = where;
	d->cleartext = strncmp(url, "http://", 7) == 0;
}

void ap_scan_add_netapi(struct ap_scan *s, const char *what)
{
	s->network_code = true;
	for (size_t i = 0; i < s->n_netapis; i++)
		if (strcmp(s->netapis[i], what) == 0)
			return;
	if (!ap_grow((void **)&s->netapis, &s->cap_netapis, s->n_netapis + 1, sizeof *s->netapis))
		return;
	char *w = ap_arena_strdup(s->arena, what);
	if (w)
		s->netapis[s->n_netapis++] = w;
}

/* ---- owners ------------------------------------------------------------------------------ */

static ptrdiff_t sdk_index(const struct ap_scan *s, const struct ap_kb_sdk *sdk)
{
	/* the kb keeps SDKs in one array: try the O(1) index first */
	const struct ap_kb_sdk *base = s->n_sdks ? ap_kb_sdk_at(s->kb, 0) : NULL;
	if (base && (uintptr_t)sdk >= (uintptr_t)base) {
		size_t i = ((uintptr_t)sdk - (uintptr_t)base) / sizeof *base;
		if (i < s->n_sdks && ap_kb_sdk_at(s->kb, i) == sdk)
			return (ptrdiff_t)i;
	}
	for (size_t i = 0; i < s->n_sdks; i++)
		if (ap_kb_sdk_at(s->kb, i) == sdk)
			return (ptrdiff_t)i;
	return -1;
}

static const char *owner_of_sdk(struct ap_scan *s, size_t i)
{
	if (!s->sdk_owner[i]) {
		const struct ap_kb_sdk *sdk = ap_kb_sdk_at(s->kb, i);
		size_t n = strlen(sdk->id) + 5;
		char *o = ap_arena_alloc(s->arena, n);
		if (!o)
			return first_party;
		memcpy(o, "sdk:", 4);
		memcpy(o + 4, sdk->id, n - 4);
		s->sdk_owner[i] = o;
	}
	return s->sdk_owner[i];
}

const char *ap_scan_owner_for_class(struct ap_scan *s, const char *class_desc)
{
	const struct ap_kb_sdk *sdk = class_desc ? ap_kb_sdk_for_class(s->kb, class_desc) : NULL;
	ptrdiff_t i = sdk ? sdk_index(s, sdk) : -1;
	return i < 0 ? first_party : owner_of_sdk(s, (size_t)i);
}

/* ---- manifest ---------------------------------------------------------------------------- */

void ap_scan_manifest_evidence(struct ap_scan *s)
{
	if (!s->mf)
		return;
	for (size_t i = 0; i < s->mf->n_uses_perms; i++) {
		const char *name = s->mf->uses_perms[i].name;
		const struct ap_kb_permission *p = name ? ap_kb_permission(s->kb, name) : NULL;
		if (!p)
			continue;
		for (size_t k = 0; k < p->pi.n; k++) {
			struct ap_evidence e = {.via = AP_VIA_PERMISSION, .owner = first_party,
						.api = p->name, .pc = -1, .offset = -1,
						.reachable = -1};
			ap_scan_add_evidence(s, p->pi.v[k], &e);
		}
	}
}

/* ---- DEX --------------------------------------------------------------------------------- */

struct dexctx {
	struct ap_scan *s;
	const struct ap_dex *dex;
	const char *dexfile;  /* arena copy */
	int32_t *type_owner;  /* per type_idx: OWNER_UNKNOWN, OWNER_FIRST or SDK index */
	uint32_t n_types;
	uint8_t *reflect_callee; /* per method_idx: 1 when Class.forName / getMethod / ... */
	uint32_t n_method_ids;
	bool any_reflect;
	bool hidden;          /* not a root DEX: hidden code (dexsrc.h) */
	const char *hidden_note; /* its reachability verdict (arena), when hidden */
	struct ap_buf tmp;
};

static const char *type_owner(struct dexctx *d, uint32_t type_idx)
{
	if (type_idx >= d->n_types)
		return first_party;
	int32_t o = d->type_owner[type_idx];
	if (o == OWNER_UNKNOWN) {
		const char *desc = ap_dex_type(d->dex, type_idx);
		const struct ap_kb_sdk *sdk = desc ? ap_kb_sdk_for_class(d->s->kb, desc) : NULL;
		ptrdiff_t i = sdk ? sdk_index(d->s, sdk) : -1;
		o = i < 0 ? OWNER_FIRST : (int32_t)i;
		d->type_owner[type_idx] = o;
	}
	return o == OWNER_FIRST ? first_party : owner_of_sdk(d->s, (size_t)o);
}

static const char *method_owner(struct dexctx *d, uint32_t method_idx)
{
	const struct ap_dex_method_id *m = ap_dex_method_id(d->dex, method_idx);
	return m ? type_owner(d, m->class_idx) : first_party;
}

static const char *method_ref(struct dexctx *d, uint32_t method_idx)
{
	ap_buf_reset(&d->tmp);
	ap_dex_format_method(d->dex, method_idx, &d->tmp);
	return d->tmp.data ? ap_arena_strdup(d->s->arena, d->tmp.data) : NULL;
}

static const char *field_ref(struct dexctx *d, uint32_t field_idx)
{
	ap_buf_reset(&d->tmp);
	ap_dex_format_field(d->dex, field_idx, &d->tmp);
	return d->tmp.data ? ap_arena_strdup(d->s->arena, d->tmp.data) : NULL;
}

static void add_code_ev(struct dexctx *d, const char *category, enum ap_via via, const char *api,
			uint32_t caller, uint32_t pc, const char *detail)
{
	struct ap_evidence e = {.via = via, .owner = method_owner(d, caller), .api = api,
				.dexfile = d->dexfile, .method = method_ref(d, caller), .pc = pc,
				.offset = -1, .detail = detail, .reachable = -1};
	if (d->hidden) {
		e.hidden = true;
		e.reachable = 0; /* final: the call graph holds only the root DEX files */
		e.path_owners_note = d->hidden_note;
	}
	ap_scan_add_evidence(d->s, category, &e);
}

/* Does the caller's code load string index sidx? */
static bool method_loads(struct dexctx *d, uint32_t caller, int64_t sidx)
{
	const struct ap_dex_method *m = ap_dex_method_by_idx(d->dex, caller);
	size_t n;
	const struct ap_dex_string_load *sl = ap_dex_string_loads(d->dex, &n);
	if (!m || sidx < 0)
		return false;
	for (uint32_t k = 0; k < m->strings_n; k++) {
		size_t i = (size_t)m->strings_first + k;
		if (i < n && sl[i].string_idx == (uint32_t)sidx)
			return true;
	}
	return false;
}

/* "uri": the caller loads a content URI string of the category or reads a URI field of it. */
static bool method_has_uri(struct dexctx *d, uint32_t caller, const char *category)
{
	const struct ap_dex_method *m = ap_dex_method_by_idx(d->dex, caller);
	if (!m)
		return false;
	size_t n;
	const struct ap_dex_string_load *sl = ap_dex_string_loads(d->dex, &n);
	for (uint32_t k = 0; k < m->strings_n; k++) {
		size_t i = (size_t)m->strings_first + k;
		const char *str = i < n ? ap_dex_string(d->dex, sl[i].string_idx) : NULL;
		const struct ap_kb_string *hits[8];
		size_t h = str ? ap_kb_match_string(d->s->kb, str, AP_KB_WHERE_DEX, hits, 8) : 0;
		for (size_t j = 0; j < h && j < 8; j++)
			if (hits[j]->kind == AP_KB_STR_CONTENT_URI &&
			    ap_kb_category_within(d->s->kb, hits[j]->category, category))
				return true;
	}
	const struct ap_dex_field_ref *fr = ap_dex_field_refs(d->dex, &n);
	for (uint32_t k = 0; k < m->fields_n; k++) {
		size_t i = (size_t)m->fields_first + k;
		const struct ap_dex_field_id *f = i < n ? ap_dex_field_id(d->dex, fr[i].field_idx) : NULL;
		if (!f)
			continue;
		const char *cls = ap_dex_type(d->dex, f->class_idx);
		const char *name = ap_dex_string(d->dex, f->name_idx);
		const struct ap_kb_api *hits[8];
		size_t h = cls && name ? ap_kb_match_field(d->s->kb, cls, name, NULL, hits, 8) : 0;
		for (size_t j = 0; j < h && j < 8; j++)
			if (hits[j]->kind == AP_KB_API_URI_FIELD &&
			    ap_kb_category_within(d->s->kb, hits[j]->category, category))
				return true;
	}
	return false;
}

/* "int:1|4|10": a const instruction in the caller with one of these values. */
static bool method_has_int(struct dexctx *d, uint32_t caller, const char *list)
{
	const struct ap_dex_method *m = ap_dex_method_by_idx(d->dex, caller);
	if (!m || !m->has_code)
		return false;
	for (uint32_t pc = 0; pc < m->insns_size;) {
		struct ap_dex_insn in;
		uint32_t w = ap_dex_method_insn(d->dex, m, pc, &in);
		if (!w)
			break;
		if (in.opcode >= 0x12 && in.opcode <= 0x14) { /* const/4, const/16, const */
			const char *p = list;
			while (*p) {
				char *end;
				long v = strtol(p, &end, 10);
				if (end == p)
					break;
				if (v == in.literal)
					return true;
				p = *end == '|' ? end + 1 : end;
			}
		}
		pc += w;
	}
	return false;
}

static bool requirement_met(struct dexctx *d, const struct ap_kb_api *api, uint32_t caller)
{
	const char *rq = api->requires;
	if (!rq || !*rq || strcmp(rq, "broad_intent") == 0)
		return true;
	if (strncmp(rq, "string:", 7) == 0)
		return method_loads(d, caller, ap_dex_find_string(d->dex, rq + 7));
	if (strcmp(rq, "uri") == 0)
		return method_has_uri(d, caller, api->category);
	if (strncmp(rq, "int:", 4) == 0)
		return method_has_int(d, caller, rq + 4);
	return true;
}

static void mark_api_perms(struct ap_scan *s, const struct ap_kb_api *api)
{
	for (size_t k = 0; k < api->permissions.n; k++)
		ap_scan_mark_perm_used(s, api->permissions.v[k]);
}

#define MAX_OVERLOADS 64
#define MAX_HITS 16

static void dex_api_methods(struct dexctx *d)
{
	const struct ap_kb *kb = d->s->kb;
	size_t n_api = ap_kb_api_count(kb), n_calls;
	const struct ap_dex_call *calls = ap_dex_calls(d->dex, &n_calls);
	const char *pcls = NULL, *pname = NULL;
	for (size_t a = 0; a < n_api; a++) {
		const struct ap_kb_api *api = ap_kb_api_at(kb, a);
		if (api->kind != AP_KB_API_METHOD)
			continue;
		/* entries are sorted by (class, name): resolve each pair once */
		if (pcls && strcmp(pcls, api->class_desc) == 0 && strcmp(pname, api->name) == 0)
			continue;
		pcls = api->class_desc;
		pname = api->name;
		uint32_t mids[MAX_OVERLOADS];
		size_t nm = ap_dex_find_methods(d->dex, api->class_desc, api->name, mids, MAX_OVERLOADS);
		for (size_t i = 0; i < nm && i < MAX_OVERLOADS; i++) {
			size_t nsites;
			const uint32_t *sites = ap_dex_calls_to(d->dex, mids[i], &nsites);
			if (!sites || !nsites)
				continue;
			const struct ap_dex_method_id *mid = ap_dex_method_id(d->dex, mids[i]);
			ap_buf_reset(&d->tmp);
			if (mid)
				ap_dex_format_proto(d->dex, mid->proto_idx, &d->tmp);
			const struct ap_kb_api *hits[MAX_HITS];
			size_t nh = ap_kb_match_method(kb, api->class_desc, api->name,
						       d->tmp.data ? d->tmp.data : "", hits, MAX_HITS);
			if (!nh)
				continue;
			const char *callee = method_ref(d, mids[i]);
			for (size_t k = 0; k < nsites; k++) {
				if (sites[k] >= n_calls)
					continue;
				const struct ap_dex_call *c = &calls[sites[k]];
				for (size_t h = 0; h < nh && h < MAX_HITS; h++) {
					if (!requirement_met(d, hits[h], c->caller))
						continue;
					add_code_ev(d, hits[h]->category, AP_VIA_DEX_API, callee,
						    c->caller, c->pc, NULL);
					mark_api_perms(d->s, hits[h]);
				}
			}
		}
	}
}

static bool is_field_read(uint8_t op)
{
	return (op >= 0x52 && op <= 0x58) || (op >= 0x60 && op <= 0x66);
}

static void dex_api_fields(struct dexctx *d)
{
	const struct ap_kb *kb = d->s->kb;
	uint32_t nf = ap_dex_counts(d->dex)->fields;
	size_t n_refs;
	const struct ap_dex_field_ref *refs = ap_dex_field_refs(d->dex, &n_refs);
	for (uint32_t f = 0; f < nf; f++) {
		const struct ap_dex_field_id *fid = ap_dex_field_id(d->dex, f);
		if (!fid)
			continue;
		const char *cls = ap_dex_type(d->dex, fid->class_idx);
		/* only framework classes carry KB fields; skip the app's own quickly */
		if (!cls || strncmp(cls, "Landroid/", 9) != 0)
			continue;
		const char *name = ap_dex_string(d->dex, fid->name_idx);
		const char *type = ap_dex_type(d->dex, fid->type_idx);
		const struct ap_kb_api *hits[MAX_HITS];
		size_t nh = name ? ap_kb_match_field(kb, cls, name, type, hits, MAX_HITS) : 0;
		if (!nh)
			continue;
		size_t nsites;
		const uint32_t *sites = ap_dex_accesses_of(d->dex, f, &nsites);
		const char *ref = NULL;
		for (size_t k = 0; sites && k < nsites; k++) {
			if (sites[k] >= n_refs || !is_field_read(refs[sites[k]].opcode))
				continue;
			if (!ref)
				ref = field_ref(d, f);
			for (size_t h = 0; h < nh && h < MAX_HITS; h++) {
				if (hits[h]->kind != AP_KB_API_FIELD)
					continue; /* URI fields only support "uri" requirements */
				add_code_ev(d, hits[h]->category, AP_VIA_DEX_API, ref,
					    refs[sites[k]].caller, refs[sites[k]].pc, NULL);
				mark_api_perms(d->s, hits[h]);
			}
		}
	}
}

static bool method_calls_reflection(struct dexctx *d, uint32_t caller)
{
	const struct ap_dex_method *m = ap_dex_method_by_idx(d->dex, caller);
	size_t n;
	const struct ap_dex_call *calls = ap_dex_calls(d->dex, &n);
	if (!m)
		return false;
	for (uint32_t k = 0; k < m->calls_n; k++) {
		size_t i = (size_t)m->calls_first + k;
		if (i < n && calls[i].callee < d->n_method_ids && d->reflect_callee[calls[i].callee])
			return true;
	}
	return false;
}

static void prepare_reflection(struct dexctx *d)
{
	static const char *const names[] = {"forName", "getMethod", "getDeclaredMethod",
					    "getField", "getDeclaredField"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		uint32_t mids[MAX_OVERLOADS];
		size_t n = ap_dex_find_methods(d->dex, "Ljava/lang/Class;", names[i], mids,
					       MAX_OVERLOADS);
		for (size_t k = 0; k < n && k < MAX_OVERLOADS; k++)
			if (mids[k] < d->n_method_ids) {
				d->reflect_callee[mids[k]] = 1;
				size_t nc;
				if (ap_dex_calls_to(d->dex, mids[k], &nc) && nc)
					d->any_reflect = true;
			}
	}
}

/* One KB string entry matched string sidx: record each code site that loads it. */
static void string_sites(struct dexctx *d, const struct ap_kb_string *ks, uint32_t sidx,
			 const char *str)
{
	size_t n, n_loads;
	const uint32_t *sites = ap_dex_loads_of(d->dex, sidx, &n);
	const struct ap_dex_string_load *loads = ap_dex_string_loads(d->dex, &n_loads);
	if (!sites || !n)
		return;
	const char *api = ap_arena_strndup(d->s->arena, str, strnlen(str, AP_MAX_STRING_REPORT));
	for (size_t k = 0; k < n; k++) {
		if (sites[k] >= n_loads)
			continue;
		const struct ap_dex_string_load *l = &loads[sites[k]];
		enum ap_via via = AP_VIA_DEX_STRING;
		const char *detail = NULL;
		if (ks->kind == AP_KB_STR_REFLECT_CLASS || ks->kind == AP_KB_STR_REFLECT_METHOD) {
			if (method_calls_reflection(d, l->caller)) {
				via = AP_VIA_REFLECTION;
				detail = "named next to Class.forName/getMethod in the same method";
			} else if (d->any_reflect) {
				via = AP_VIA_REFLECTION;
				detail = "named by string; Class.forName/getMethod used elsewhere in this DEX";
			} else {
				continue; /* a bare method name is not evidence */
			}
		}
		add_code_ev(d, ks->category, via, api, l->caller, l->pc, detail);
	}
}

static bool host_like_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

static bool mentions_privacy(const char *s, size_t len)
{
	if (len < 6 || len > 4096)
		return false;
	static const char *const words[] = {"privacy", "Privacy", "PRIVACY", "隐私", "个人信息保护"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(s, words[i]))
			return true;
	return false;
}

static void dex_strings(struct dexctx *d)
{
	const struct ap_kb *kb = d->s->kb;
	/* exact entries: binary search in the string table */
	size_t nks = ap_kb_string_count(kb);
	for (size_t i = 0; i < nks; i++) {
		const struct ap_kb_string *ks = ap_kb_string_at(kb, i);
		if (ks->match != AP_KB_MATCH_EXACT || !(ks->where & AP_KB_WHERE_DEX))
			continue;
		int64_t sidx = ap_dex_find_string(d->dex, ks->value);
		if (sidx >= 0)
			string_sites(d, ks, (uint32_t)sidx, ks->value);
	}
	/* one pass: prefix entries, URLs, privacy-policy hints */
	uint32_t ns = ap_dex_counts(d->dex)->strings;
	size_t n_loads;
	const struct ap_dex_string_load *loads = ap_dex_string_loads(d->dex, &n_loads);
	for (uint32_t sidx = 0; sidx < ns; sidx++) {
		const char *str = ap_dex_string(d->dex, sidx);
		if (!str || !*str)
			continue;
		size_t len = ap_dex_string_len(d->dex, sidx);
		if (!d->s->privacy_hint && mentions_privacy(str, len))
			d->s->privacy_hint = true;
		if (host_like_url(str)) {
			size_t n;
			const uint32_t *sites = ap_dex_loads_of(d->dex, sidx, &n);
			if (sites && n && sites[0] < n_loads) {
				uint32_t caller = loads[sites[0]].caller;
				ap_scan_add_url(d->s, str, method_owner(d, caller),
						method_ref(d, caller));
			}
		}
		const struct ap_kb_string *hits[MAX_HITS];
		size_t nh = ap_kb_match_string(kb, str, AP_KB_WHERE_DEX, hits, MAX_HITS);
		for (size_t h = 0; h < nh && h < MAX_HITS; h++)
			if (hits[h]->match == AP_KB_MATCH_PREFIX)
				string_sites(d, hits[h], sidx, str);
	}
}

static void dex_network(struct dexctx *d)
{
	const struct ap_kb *kb = d->s->kb;
	size_t n = ap_kb_netapi_count(kb);
	for (size_t i = 0; i < n; i++) {
		const struct ap_kb_netapi *na = ap_kb_netapi_at(kb, i);
		uint32_t mids[MAX_OVERLOADS];
		size_t nm = ap_dex_find_methods(d->dex, na->class_desc, na->name, mids, MAX_OVERLOADS);
		for (size_t k = 0; k < nm && k < MAX_OVERLOADS; k++) {
			size_t nc;
			if (!ap_dex_calls_to(d->dex, mids[k], &nc) || !nc)
				continue;
			ap_buf_reset(&d->tmp);
			ap_buf_addf(&d->tmp, "%s %s ", na->library ? na->library : "?",
				    na->kind ? na->kind : "?");
			ap_dex_format_method(d->dex, mids[k], &d->tmp);
			/* one entry per class->name: drop the proto */
			char *paren = d->tmp.data ? strchr(d->tmp.data, '(') : NULL;
			if (paren)
				*paren = '\0';
			if (d->tmp.data)
				ap_scan_add_netapi(d->s, d->tmp.data);
			break;
		}
	}
}

static void dex_classes(struct dexctx *d)
{
	uint32_t nc = ap_dex_class_count(d->dex);
	if (!d->hidden) { /* the app's size is what ART loads; SDK classes count in every DEX */
		d->s->n_classes += nc;
		d->s->n_methods += ap_dex_method_def_count(d->dex);
	}
	for (uint32_t i = 0; i < nc; i++) {
		const struct ap_dex_class *c = ap_dex_class_def(d->dex, i);
		if (!c || c->duplicate || c->class_idx >= d->n_types)
			continue;
		type_owner(d, c->class_idx);
		int32_t o = d->type_owner[c->class_idx];
		if (o >= 0)
			d->s->sdk_classes[o]++;
	}
}

/* Framework and library classes that say "this app plays media" (an app-type hint). */
static void dex_hints(struct dexctx *d)
{
	static const char *const players[] = {
		"Landroid/widget/VideoView;", "Landroid/media/MediaPlayer;",
		"Lcom/google/android/exoplayer2/ExoPlayer;", "Landroidx/media3/exoplayer/ExoPlayer;",
		"Ltv/danmaku/ijk/media/player/IjkMediaPlayer;"};
	for (size_t i = 0; i < sizeof players / sizeof players[0] && !d->s->player_hint; i++) {
		/* a type_id exists only when some code or signature refers to it */
		if (ap_dex_find_type(d->dex, players[i]) >= 0)
			d->s->player_hint = true;
	}
}

/* Class loaders that load a DEX the app carries or downloads: what hidden code needs to run. */
static void dex_loaders(struct dexctx *d)
{
	static const char *const loaders[] = {
		"Ldalvik/system/DexClassLoader;", "Ldalvik/system/PathClassLoader;",
		"Ldalvik/system/InMemoryDexClassLoader;", "Ldalvik/system/DelegateLastClassLoader;",
		"Ldalvik/system/BaseDexClassLoader;"};
	size_t n_calls;
	const struct ap_dex_call *calls = ap_dex_calls(d->dex, &n_calls);
	for (size_t i = 0; i < sizeof loaders / sizeof loaders[0] && !d->s->loader_call; i++) {
		uint32_t mids[MAX_OVERLOADS];
		size_t nm = ap_dex_find_methods(d->dex, loaders[i], "<init>", mids, MAX_OVERLOADS);
		for (size_t k = 0; k < nm && k < MAX_OVERLOADS && !d->s->loader_call; k++) {
			size_t nsites;
			const uint32_t *sites = ap_dex_calls_to(d->dex, mids[k], &nsites);
			if (!sites || !nsites || sites[0] >= n_calls)
				continue;
			ap_buf_reset(&d->tmp);
			ap_dex_format_method(d->dex, mids[k], &d->tmp);
			ap_buf_adds(&d->tmp, " in ");
			ap_dex_format_method(d->dex, calls[sites[0]].caller, &d->tmp);
			if (d->tmp.data)
				d->s->loader_call = ap_arena_strdup(d->s->arena, d->tmp.data);
		}
	}
}

/* The verdict every code item of a hidden DEX carries (docs/reachability.md). */
static const char *hidden_note(struct dexctx *d)
{
	ap_buf_reset(&d->tmp);
	ap_buf_addf(&d->tmp, "hidden code in %s: ART does not load it at start, so no entry point "
		    "reaches it; it runs only if the app loads it at run time. ",
		    d->dexfile ? d->dexfile : "?");
	if (d->s->loader_call)
		ap_buf_addf(&d->tmp, "The app's code calls a class loader (%s): medium confidence",
			    d->s->loader_call);
	else
		ap_buf_adds(&d->tmp, "No DexClassLoader, PathClassLoader or InMemoryDexClassLoader "
				     "call was found in the app's code: low confidence");
	return d->tmp.data ? ap_arena_strdup(d->s->arena, d->tmp.data) : NULL;
}

void ap_scan_dex_evidence(struct ap_scan *s, const struct ap_dex *dex, const char *dexfile,
			  bool hidden)
{
	struct dexctx d = {.s = s, .dex = dex, .hidden = hidden, .tmp = AP_BUF_INIT};
	const struct ap_dex_counts *cnt = ap_dex_counts(dex);
	d.dexfile = ap_arena_strdup(s->arena, dexfile);
	d.n_types = cnt->types;
	d.n_method_ids = cnt->methods;
	d.type_owner = malloc(((size_t)d.n_types + 1) * sizeof *d.type_owner);
	d.reflect_callee = calloc((size_t)d.n_method_ids + 1, 1);
	if (!d.type_owner || !d.reflect_callee) {
		ap_anom_add(s->an, "scan", dexfile, AP_OFFSET_NONE, AP_ERR_NOMEM,
			    "out of memory analysing this DEX");
		goto out_free;
	}
	for (uint32_t i = 0; i < d.n_types; i++)
		d.type_owner[i] = OWNER_UNKNOWN;
	if (hidden)
		d.hidden_note = hidden_note(&d);
	else
		dex_loaders(&d);
	prepare_reflection(&d);
	dex_classes(&d);
	dex_api_methods(&d);
	dex_api_fields(&d);
	dex_strings(&d);
	dex_network(&d);
	if (!hidden) /* the app type is inferred from what the app runs at start */
		dex_hints(&d);
out_free:
	free(d.type_owner);
	free(d.reflect_callee);
	ap_buf_free(&d.tmp);
}

/* ---- native ------------------------------------------------------------------------------ */

/* The owner of a library: the SDK owning the classes its JNI exports bind to, if any. */
static const char *native_owner(struct ap_scan *s, const struct ap_native_lib *lib)
{
	struct ap_buf b = AP_BUF_INIT;
	const char *owner = first_party;
	for (size_t i = 0; i < lib->n_jni && owner == first_party; i++) {
		if (!lib->jni[i].class_name)
			continue;
		ap_buf_reset(&b);
		ap_buf_addf(&b, "L%s;", lib->jni[i].class_name);
		if (b.data)
			owner = ap_scan_owner_for_class(s, b.data);
	}
	ap_buf_free(&b);
	return owner;
}

static void native_ev(struct ap_scan *s, const struct ap_native_lib *lib, const char *owner,
		      const struct ap_native_call *c, const char *category, const char *detail)
{
	struct ap_evidence e = {.via = AP_VIA_NATIVE, .owner = owner, .pc = -1,
				.reachable = -1};
	e.api = ap_arena_strdup(s->arena, c->symbol ? c->symbol : "?");
	e.library = ap_arena_strndup(s->arena, lib->path, strnlen(lib->path, AP_MAX_STRING_REPORT));
	e.abi = ap_arena_strdup(s->arena, lib->abi ? lib->abi : "unknown");
	e.offset = (int64_t)c->vaddr;
	e.detail = detail ? ap_arena_strndup(s->arena, detail, strnlen(detail, AP_MAX_STRING_REPORT))
			  : NULL;
	ap_scan_add_evidence(s, category, &e);
}

void ap_scan_native_evidence(struct ap_scan *s, const struct ap_native_lib *lib)
{
	const char *owner = native_owner(s, lib);
	const char *where = ap_arena_strndup(s->arena, lib->path,
					     strnlen(lib->path, AP_MAX_STRING_REPORT));
	for (size_t i = 0; i < lib->n_calls; i++) {
		const struct ap_native_call *c = &lib->calls[i];
		if (!c->symbol)
			continue;
		const struct ap_kb_native_sym *ns = ap_kb_native_symbol(s->kb, c->symbol);
		if (ns && ns->category)
			native_ev(s, lib, owner, c, ns->category, NULL);
		bool jni_name = c->kind == AP_NCALL_JNIENV &&
				(strcmp(c->symbol, "GetMethodID") == 0 ||
				 strcmp(c->symbol, "GetStaticMethodID") == 0 ||
				 strcmp(c->symbol, "FindClass") == 0);
		for (unsigned a = 0; a < c->n_args && a < AP_NATIVE_MAX_ARGS; a++) {
			if (c->args[a].kind != AP_NARG_STR || !c->args[a].str)
				continue;
			const struct ap_kb_string *hits[MAX_HITS];
			unsigned where_mask = AP_KB_WHERE_NATIVE | (jni_name ? AP_KB_WHERE_DEX : 0);
			size_t nh = ap_kb_match_string(s->kb, c->args[a].str, where_mask, hits,
						       MAX_HITS);
			for (size_t h = 0; h < nh && h < MAX_HITS; h++) {
				bool reflect = hits[h]->kind == AP_KB_STR_REFLECT_CLASS ||
					       hits[h]->kind == AP_KB_STR_REFLECT_METHOD;
				if (reflect && !jni_name)
					continue;
				if (!reflect && !(hits[h]->where & AP_KB_WHERE_NATIVE))
					continue;
				native_ev(s, lib, owner, c, hits[h]->category, c->args[a].str);
			}
		}
	}
	for (size_t i = 0; i < lib->n_urls; i++)
		if (lib->urls[i])
			ap_scan_add_url(s, lib->urls[i], owner, where);
	for (size_t i = 0; i < lib->n_net_imports; i++) {
		struct ap_buf b = AP_BUF_INIT;
		ap_buf_addf(&b, "native %s", lib->net_imports[i]);
		if (b.data)
			ap_scan_add_netapi(s, b.data);
		ap_buf_free(&b);
	}
}
