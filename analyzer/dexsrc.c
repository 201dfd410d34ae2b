/* The walk over every DEX of an app (dexsrc.h). */
#include "dexsrc.h"

#include "apk.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "outer.jar!inner.apk!classes.dex": room for every level's name and its '!' */
#define NAME_CAP ((int)((AP_MAX_EMBEDDED_DEPTH + 1) * (AP_MAX_ENTRY_NAME + 1) + 1))

static void join(char out[NAME_CAP], const char *prefix, const char *name)
{
	if (snprintf(out, NAME_CAP, "%s%s", prefix, name) >= NAME_CAP)
		out[NAME_CAP - 1] = '\0'; /* cut, never overrun */
}

static bool is_dex(const uint8_t *b, size_t n)
{
	return n >= 4 && memcmp(b, "dex\n", 4) == 0;
}

static bool is_zip(const uint8_t *b, size_t n)
{
	return n >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
}

static int give(ap_dexsrc_fn fn, void *ctx, const char *name, uint8_t *buf, size_t len,
		bool embedded, int read_rc)
{
	struct ap_dexsrc d = {name, buf, len, embedded, read_rc};
	return fn(ctx, &d);
}

static int walk(struct ap_apk *apk, const char *prefix, unsigned depth, bool embedded_root,
		bool with_embedded, ap_dexsrc_fn fn, void *ctx);

/* An embedded zip: open it from memory, its budget what is left of the outer one. */
static int nested(struct ap_apk *outer, const char *name, const uint8_t *buf, size_t len,
		  unsigned depth, ap_dexsrc_fn fn, void *ctx)
{
	if (depth >= AP_MAX_EMBEDDED_DEPTH) {
		ap_anom_add(outer->anomalies, "apk", name, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "archive nested %u deep (AP_MAX_EMBEDDED_DEPTH): not opened", depth + 1);
		return AP_OK;
	}
	struct ap_apk *in = NULL;
	int rc = ap_apk_open_mem(buf, len, name, outer->anomalies, &in);
	if (rc == AP_ERR_NOMEM)
		return rc;
	if (rc != AP_OK || !in) {
		ap_anom_add(outer->anomalies, "apk", name, AP_OFFSET_NONE, rc,
			    "embedded archive cannot be opened: %s", ap_strerror(rc));
		return AP_OK;
	}
	uint64_t left = outer->max_apk_inflated > outer->inflated_total
				? outer->max_apk_inflated - outer->inflated_total : 0;
	in->max_apk_inflated = left;
	if (in->max_entry_inflated > outer->max_entry_inflated)
		in->max_entry_inflated = outer->max_entry_inflated;
	char prefix[NAME_CAP];
	if (snprintf(prefix, sizeof prefix, "%s!", name) >= (int)sizeof prefix)
		prefix[sizeof prefix - 2] = '!'; /* cut (names are capped, nesting is shallow) */
	rc = walk(in, prefix, depth + 1, true, true, fn, ctx);
	outer->inflated_total += in->inflated_total;
	ap_apk_close(in);
	return rc;
}

/* Inflates entry i (what ap_apk_read gives, partial on error) and names it prefix + name. */
static int read_named(struct ap_apk *apk, size_t i, const char *prefix, char name[NAME_CAP],
		      uint8_t **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	join(name, prefix, apk->entries[i].name);
	return ap_apk_read(apk, i, buf, len);
}

static int walk(struct ap_apk *apk, const char *prefix, unsigned depth, bool embedded_root,
		bool with_embedded, ap_dexsrc_fn fn, void *ctx)
{
	char name[NAME_CAP];
	int rc = AP_OK;
	for (size_t k = 0; rc == AP_OK && k < apk->n_dex; k++) {
		uint8_t *buf;
		size_t len;
		int rrc = read_named(apk, (size_t)apk->dex[k], prefix, name, &buf, &len);
		if (rrc == AP_ERR_NOMEM)
			return rrc;
		rc = give(fn, ctx, name, buf, len, embedded_root, rrc);
	}
	for (size_t i = 0; with_embedded && rc == AP_OK && i < apk->n_entries; i++) {
		if (apk->entries[i].kind != AP_ENTRY_EMBEDDED)
			continue;
		uint8_t *buf;
		size_t len;
		int rrc = read_named(apk, i, prefix, name, &buf, &len);
		if (rrc == AP_ERR_NOMEM)
			return rrc;
		if (buf && is_dex(buf, len)) {
			rc = give(fn, ctx, name, buf, len, true, rrc);
			continue;
		}
		if (buf && is_zip(buf, len))
			rc = nested(apk, name, buf, len, depth, fn, ctx);
		free(buf); /* nested copies what it needs; anything else holds no DEX */
	}
	return rc;
}

int ap_dexsrc_each(struct ap_apk *apk, bool with_embedded, ap_dexsrc_fn fn, void *ctx)
{
	return walk(apk, "", 0, false, with_embedded, fn, ctx);
}
