/* The report tables made from the gathered evidence (evidence.c): the permission list (declared,
 * used by code, dangerous), the PI categories with their evidence, the SDKs with the categories
 * they were seen collecting, URLs and network APIs; and the scan state's release. */
#include "scan.h"

#include "dex/dex.h"
#include "manifest/manifest.h"
#include "rules/kb.h"

#include "ap_arena.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

static bool cat_has_code(const struct ap_scan *s, const char *cat)
{
	const struct ap_kb_category *c = ap_kb_category(s->kb, cat);
	size_t i = c ? ap_scan_cat_index(s, c) : SIZE_MAX;
	return i != SIZE_MAX && s->cats[i].n_code > 0;
}

/* Whether code evidence supports permission p: one of its categories has code evidence, or a
 * category whose APIs those categories reuse (location.coarse reuses location.precise). */
static bool perm_supported(const struct ap_scan *s, const struct ap_kb_permission *p)
{
	for (size_t k = 0; k < p->pi.n; k++) {
		if (cat_has_code(s, p->pi.v[k]))
			return true;
		const struct ap_kb_category *c = ap_kb_category(s->kb, p->pi.v[k]);
		for (size_t j = 0; c && j < c->apis_from.n; j++)
			if (cat_has_code(s, c->apis_from.v[j]))
				return true;
	}
	return false;
}

/* Some KB API needs p, or one of its categories has API signatures: then "not used" is a fact. */
static bool perm_mappable(const struct ap_kb *kb, const char *name)
{
	size_t n = ap_kb_api_count(kb);
	for (size_t i = 0; i < n; i++) {
		const struct ap_kb_api *a = ap_kb_api_at(kb, i);
		for (size_t k = 0; k < a->permissions.n; k++)
			if (strcmp(a->permissions.v[k], name) == 0)
				return true;
	}
	return false;
}

static bool perm_used_by_api(const struct ap_scan *s, const char *name)
{
	for (size_t i = 0; i < s->n_used_perms; i++)
		if (strcmp(s->used_perms[i], name) == 0)
			return true;
	return false;
}

static bool is_internet(const char *n)
{
	return strcmp(n, "android.permission.INTERNET") == 0;
}

static const char **perm_pi(struct ap_scan *s, const struct ap_kb_permission *p, size_t *n)
{
	*n = 0;
	if (!p || !p->pi.n)
		return NULL;
	const char **v = ap_arena_calloc(s->arena, p->pi.n, sizeof *v);
	if (!v)
		return NULL;
	for (size_t k = 0; k < p->pi.n; k++) {
		const struct ap_kb_category *c = ap_kb_category(s->kb, p->pi.v[k]);
		v[(*n)++] = c ? c->id : p->pi.v[k];
	}
	return v;
}

/* A used-but-undeclared permission that a declared one of the same PI covers is not reported
 * (FINE vs COARSE location: Android accepts either for the same call). */
static bool covered_by_declared(const struct ap_scan *s, const struct ap_kb_permission *p)
{
	if (!s->mf || !p)
		return false;
	for (size_t i = 0; i < s->mf->n_uses_perms; i++) {
		const struct ap_kb_permission *q =
			ap_kb_permission(s->kb, s->mf->uses_perms[i].name ? s->mf->uses_perms[i].name : "");
		for (size_t a = 0; q && a < q->pi.n; a++)
			for (size_t b = 0; b < p->pi.n; b++)
				if (ap_kb_category_within(s->kb, q->pi.v[a], p->pi.v[b]) ||
				    ap_kb_category_within(s->kb, p->pi.v[b], q->pi.v[a]))
					return true;
	}
	return false;
}

static int finish_permissions(struct ap_scan *s)
{
	size_t nd = s->mf ? s->mf->n_uses_perms : 0;
	struct ap_rep_permission *rows =
		ap_arena_calloc(s->arena, nd + s->n_used_perms + 1, sizeof *rows);
	if (!rows)
		return AP_ERR_NOMEM;
	size_t n = 0;
	for (size_t i = 0; i < nd; i++) {
		const char *name = s->mf->uses_perms[i].name;
		if (!name)
			continue;
		const struct ap_kb_permission *p = ap_kb_permission(s->kb, name);
		struct ap_rep_permission *r = &rows[n++];
		r->name = ap_arena_strndup(s->arena, name, strnlen(name, AP_MAX_STRING_REPORT));
		r->declared = true;
		r->dangerous = p && p->dangerous;
		r->pi = perm_pi(s, p, &r->n_pi);
		if (is_internet(name))
			r->used = s->network_code || s->n_urls ? 1 : 0;
		else if (perm_used_by_api(s, p ? p->name : name) || (p && perm_supported(s, p)))
			r->used = 1;
		else if (perm_mappable(s->kb, p ? p->name : name))
			r->used = 0;
		else
			r->used = -1;
	}
	for (size_t i = 0; i < s->n_used_perms; i++) {
		const char *name = s->used_perms[i];
		if (s->mf && ap_mf_declares(s->mf, name))
			continue;
		const struct ap_kb_permission *p = ap_kb_permission(s->kb, name);
		if (covered_by_declared(s, p))
			continue;
		struct ap_rep_permission *r = &rows[n++];
		r->name = name;
		r->declared = false;
		r->used = 1;
		r->dangerous = p && p->dangerous;
		r->pi = perm_pi(s, p, &r->n_pi);
	}
	s->r->permissions = rows;
	s->r->n_permissions = n;
	return AP_OK;
}

static int finish_pi(struct ap_scan *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_cats; i++)
		if (s->cats[i].n)
			n++;
	struct ap_rep_pi *pi = ap_arena_calloc(s->arena, n + 1, sizeof *pi);
	if (!pi)
		return AP_ERR_NOMEM;
	size_t k = 0;
	for (size_t i = 0; i < s->n_cats; i++) {
		struct ap_scan_cat *sc = &s->cats[i];
		if (!sc->n)
			continue;
		const struct ap_kb_category *c = ap_scan_cat_at(s, i);
		struct ap_rep_pi *p = &pi[k++];
		p->category = c->id;
		p->name = c->name_en;
		p->sensitivity = c->sensitive ? "sensitive" : "general";
		p->immutable_id = c->immutable;
		p->necessary = s->type && ap_kb_app_type_needs(s->kb, s->type, c->id);
		p->evidence = ap_arena_calloc(s->arena, sc->n, sizeof *p->evidence);
		if (!p->evidence)
			return AP_ERR_NOMEM;
		memcpy(p->evidence, sc->ev, sc->n * sizeof *sc->ev);
		p->n_evidence = sc->n;
		p->n_evidence_dropped = sc->dropped;
	}
	s->r->pi = pi;
	s->r->n_pi = k;
	return AP_OK;
}

static int finish_sdks(struct ap_scan *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_sdks; i++)
		if (s->sdk_classes[i])
			n++;
	struct ap_rep_sdk *v = ap_arena_calloc(s->arena, n + 1, sizeof *v);
	if (!v)
		return AP_ERR_NOMEM;
	size_t k = 0;
	for (size_t i = 0; i < s->n_sdks; i++) {
		if (!s->sdk_classes[i])
			continue;
		const struct ap_kb_sdk *sdk = ap_kb_sdk_at(s->kb, i);
		struct ap_rep_sdk *d = &v[k++];
		d->id = sdk->id;
		d->name = sdk->name;
		d->name_zh = sdk->name_zh;
		d->vendor = sdk->vendor;
		d->country = sdk->country;
		d->category = sdk->category;
		d->classes = s->sdk_classes[i];
		/* categories with evidence owned by this SDK: evidence.c made its owner string
		 * when it attributed the first item to it, and every item shares that pointer */
		const char *owner = s->sdk_owner[i];
		const char **pi = ap_arena_calloc(s->arena, s->n_cats + 1, sizeof *pi);
		size_t np = 0;
		for (size_t c = 0; pi && owner && c < s->n_cats; c++)
			for (size_t e = 0; e < s->cats[c].n; e++)
				if (s->cats[c].ev[e].owner == owner) {
					pi[np++] = ap_scan_cat_at(s, c)->id;
					break;
				}
		d->pi = pi;
		d->n_pi = np;
	}
	s->r->sdks = v;
	s->r->n_sdks = k;
	return AP_OK;
}

int ap_scan_finish_tables(struct ap_scan *s)
{
	int rc = finish_permissions(s);
	if (rc == AP_OK)
		rc = finish_pi(s);
	if (rc == AP_OK)
		rc = finish_sdks(s);
	if (rc != AP_OK)
		return rc;
	struct ap_report *r = s->r;
	if (s->n_urls) {
		r->urls = ap_arena_calloc(s->arena, s->n_urls, sizeof *r->urls);
		if (!r->urls)
			return AP_ERR_NOMEM;
		memcpy(r->urls, s->urls, s->n_urls * sizeof *s->urls);
		r->n_urls = s->n_urls;
	}
	if (s->n_netapis) {
		r->network_apis = ap_arena_calloc(s->arena, s->n_netapis, sizeof *r->network_apis);
		if (!r->network_apis)
			return AP_ERR_NOMEM;
		memcpy(r->network_apis, s->netapis, s->n_netapis * sizeof *s->netapis);
		r->n_network_apis = s->n_netapis;
	}
	if (s->urls_dropped)
		ap_anom_add(s->an, "scan", r->path, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "%zu more URLs not listed (cap %u)", s->urls_dropped, AP_MAX_REPORT_URLS);
	return AP_OK;
}

void ap_scan_release(struct ap_scan *s)
{
	for (size_t i = 0; s->cats && i < s->n_cats; i++)
		free(s->cats[i].ev);
	free(s->cats);
	free(s->sdk_classes);
	free(s->sdk_owner);
	free(s->used_perms);
	free(s->urls);
	free(s->netapis);
	for (size_t i = 0; i < s->n_dexes; i++) {
		ap_dex_close(s->dexes[i]);
		free(s->dex_bufs[i]);
	}
	free(s->dexes);
	free(s->dex_bufs);
	s->dexes = NULL;
	s->dex_bufs = NULL;
	s->n_dexes = s->cap_dexes = 0;
	s->cats = NULL;
	s->sdk_classes = NULL;
	s->sdk_owner = NULL;
	s->used_perms = NULL;
	s->urls = NULL;
	s->netapis = NULL;
}
