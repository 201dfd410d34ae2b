/* ap_dex_open/ap_dex_close: runs the per-structure readers in file order and owns the memory
 * (one capped arena plus the growing index arrays, counted against the same cap). */
#include "dex_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dex_anom(struct ap_dex *dex, uint64_t off, int code, const char *fmt, ...)
{
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ap_anom_add(dex->an, "dex", dex->name, off, code, "%s", what);
}

static void limit_hit(struct ap_dex *dex)
{
	if (dex->status != AP_ERR_LIMIT) {
		dex->status = AP_ERR_LIMIT;
		dex_anom(dex, AP_OFFSET_NONE, AP_ERR_LIMIT,
			 "memory cap of %zu bytes reached; the model is partial", dex->mem_cap);
	}
}

void *dex_alloc(struct ap_dex *dex, size_t count, size_t size)
{
	if (dex->vec_bytes > dex->mem_cap ||
	    (size && count > (dex->mem_cap - dex->vec_bytes) / size)) {
		limit_hit(dex);
		return NULL;
	}
	void *p = ap_arena_calloc(dex->arena, count, size);
	if (!p)
		limit_hit(dex);
	return p;
}

bool dex_vec_reserve(struct ap_dex *dex, struct dex_vec *v, size_t extra)
{
	if (extra <= v->cap - v->n)
		return true;
	/* start near the expected size (v->hint items per KiB of DEX, measured on the corpus) so
	 * that large files rarely regrow; dex_vec_shrink trims the rest */
	size_t first = dex->len / 1024 * v->hint;
	size_t ncap = v->cap ? v->cap * 2 : (first > 256 ? first : 256);
	if (ncap - v->n < extra)
		ncap = v->n + extra;
	size_t spent = dex->arena->used + dex->vec_bytes;
	size_t room = spent < dex->mem_cap ? dex->mem_cap - spent : 0;
	if (extra > room / v->elsz || (ncap - v->cap) * v->elsz > room) {
		limit_hit(dex);
		return false;
	}
	void *p = realloc(v->p, ncap * v->elsz);
	if (!p) {
		limit_hit(dex);
		return false;
	}
	v->p = p;
	dex->vec_bytes += (ncap - v->cap) * v->elsz;
	v->cap = ncap;
	return true;
}

void dex_vec_shrink(struct ap_dex *dex, struct dex_vec *v)
{
	if (v->cap <= v->n || v->n == 0)
		return;
	void *p = realloc(v->p, v->n * v->elsz);
	if (!p)
		return;
	dex->vec_bytes -= (v->cap - v->n) * v->elsz;
	v->p = p;
	v->cap = v->n;
}

int ap_dex_open(const uint8_t *buf, size_t len, const char *name, struct ap_anomalies *an,
		struct ap_dex **out)
{
	return ap_dex_open_ex(buf, len, name, an, 0, out);
}

int ap_dex_open_ex(const uint8_t *buf, size_t len, const char *name, struct ap_anomalies *an,
		   unsigned flags, struct ap_dex **out)
{
	*out = NULL;
	struct ap_dex *dex = calloc(1, sizeof(*dex));
	if (!dex)
		return AP_ERR_NOMEM;
	dex->buf = buf;
	dex->len = len;
	dex->an = an;
	dex->flags = flags;
	dex->name = strdup(name ? name : "classes.dex");
	size_t factor_len = len > (SIZE_MAX - (16u << 20)) / AP_MAX_DEX_ARENA_FACTOR
				    ? SIZE_MAX - (16u << 20)
				    : (size_t)AP_MAX_DEX_ARENA_FACTOR * len;
	dex->mem_cap = factor_len + (16u << 20);
	dex->arena = ap_arena_new(dex->mem_cap);
	if (!dex->name || !dex->arena) {
		ap_dex_close(dex);
		return AP_ERR_NOMEM;
	}
	dex->calls.elsz = sizeof(struct ap_dex_call);
	dex->sloads.elsz = sizeof(struct ap_dex_string_load);
	dex->frefs.elsz = sizeof(struct ap_dex_field_ref);
	dex->trefs.elsz = sizeof(struct ap_dex_type_ref);
	dex->decoded.elsz = 1;
	dex->calls.hint = 24;  /* corpus: 19-21 call sites per KiB */
	dex->frefs.hint = 24;  /* 21-22 */
	dex->sloads.hint = 4;  /* 3 */
	dex->trefs.hint = 4;   /* 3.5 */
	dex->decoded.hint = 0; /* most files have few non-ASCII strings: start small */
	/* a hostile file can point every method at one huge code item: decode at most a few times
	 * the code units the file can hold */
	dex->units_budget = (uint64_t)AP_MAX_DEX_DECODE_FACTOR * (len / 2) + 65536;

	int rc = dex_read_header(dex);
	if (rc != AP_OK) {
		ap_dex_close(dex);
		return rc;
	}
	if (!(flags & AP_DEX_OPEN_NO_SIGNATURE))
		dex_check_signature(dex);
	dex_read_map(dex);
	dex_read_strings(dex);
	dex_read_ids(dex);
	dex_read_classes(dex);
	dex_vec_shrink(dex, &dex->calls);
	dex_vec_shrink(dex, &dex->sloads);
	dex_vec_shrink(dex, &dex->frefs);
	dex_vec_shrink(dex, &dex->trefs);
	dex->cnt.calls = (uint32_t)dex->calls.n;
	dex->cnt.string_loads = (uint32_t)dex->sloads.n;
	dex->cnt.field_refs = (uint32_t)dex->frefs.n;
	dex->cnt.type_refs = (uint32_t)dex->trefs.n;
	*out = dex;
	return dex->status;
}

void ap_dex_close(struct ap_dex *dex)
{
	if (!dex)
		return;
	free(dex->calls.p);
	free(dex->sloads.p);
	free(dex->frefs.p);
	free(dex->trefs.p);
	free(dex->decoded.p);
	ap_arena_free(dex->arena);
	free(dex->name);
	free(dex);
}

const struct ap_dex_header *ap_dex_header(const struct ap_dex *dex)
{
	return &dex->hdr;
}

bool ap_dex_verify_signature(struct ap_dex *dex)
{
	if (dex->flags & AP_DEX_OPEN_NO_SIGNATURE) {
		dex->flags &= ~(unsigned)AP_DEX_OPEN_NO_SIGNATURE;
		dex_check_signature(dex);
	}
	return dex->hdr.signature_ok;
}

const struct ap_dex_counts *ap_dex_counts(const struct ap_dex *dex)
{
	return &dex->cnt;
}

const char *ap_dex_name(const struct ap_dex *dex)
{
	return dex->name;
}

size_t ap_dex_mem_used(const struct ap_dex *dex)
{
	return dex->arena->used + dex->vec_bytes;
}
