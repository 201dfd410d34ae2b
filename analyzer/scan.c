/* Orchestration: one input -> one struct ap_report. Opens the container once, decodes the
 * manifest (with resources.arsc for the label), opens each DEX once in ART's order and each
 * native library of one ABI, then infers the app type, applies the rules and scores. A part that
 * cannot be read makes the report partial and says which; it never stops the rest. */
#include "scan.h"
#include "callgraph.h"
#include "dexsrc.h"

#include "apk.h"
#include "dex/dex.h"
#include "manifest/manifest.h"
#include "native/native.h"
#include "rules/kb.h"

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef AP_VERSION
#error "AP_VERSION comes from analyzer/CMakeLists.txt"
#endif

static char *dup_s(struct ap_scan *s, const char *v)
{
	return v ? ap_arena_strdup(s->arena, v) : NULL;
}

static void mark_partial(struct ap_scan *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void mark_partial(struct ap_scan *s, const char *fmt, ...)
{
	s->r->partial = true;
	struct ap_buf b = AP_BUF_INIT;
	if (s->r->partial_reason) /* findings.c may have extended it (ap_scan_findings_dropped) */
		ap_buf_addf(&b, "%s; ", s->r->partial_reason);
	va_list ap;
	va_start(ap, fmt);
	ap_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (b.data)
		s->partial_reason = ap_arena_strdup(s->arena, b.data);
	s->r->partial_reason = s->partial_reason;
	ap_buf_free(&b);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- manifest ---------------------------------------------------------------------------- */

static void copy_components(struct ap_scan *s, const struct ap_manifest *m)
{
	struct ap_report *r = s->r;
	if (!m->n_comps)
		return;
	r->components = ap_arena_calloc(s->arena, m->n_comps, sizeof *r->components);
	if (!r->components)
		return;
	for (size_t i = 0; i < m->n_comps; i++) {
		const struct ap_mf_component *c = &m->comps[i];
		struct ap_rep_component *d = &r->components[i];
		d->kind = ap_comp_kind_name(c->kind);
		d->name = dup_s(s, c->name ? c->name : "");
		d->exported = c->exported;
		size_t na = 0;
		for (size_t f = 0; f < c->n_filters; f++)
			na += c->filters[f].n_actions;
		if (na) {
			const char **v = ap_arena_calloc(s->arena, na, sizeof *v);
			for (size_t f = 0, k = 0; v && f < c->n_filters; f++)
				for (size_t a = 0; a < c->filters[f].n_actions; a++)
					v[k++] = dup_s(s, c->filters[f].actions[a]);
			d->actions = v;
			d->n_actions = v ? na : 0;
		}
	}
	r->n_components = m->n_comps;
}

static void copy_app(struct ap_scan *s, const struct ap_manifest *m)
{
	struct ap_report *r = s->r;
	r->package = dup_s(s, m->package);
	r->version_name = dup_s(s, m->version_name);
	r->version_code = m->version_code;
	r->label = dup_s(s, m->label);
	r->label_zh = dup_s(s, m->label_zh);
	r->min_sdk = m->min_sdk;
	r->target_sdk = m->target_sdk;
	r->debuggable = m->debuggable;
	r->allow_backup = m->allow_backup;
	r->uses_cleartext = m->uses_cleartext;
	r->app_class = dup_s(s, m->app_name);
	if (m->launcher >= 0 && (size_t)m->launcher < m->n_comps)
		r->launcher = dup_s(s, m->comps[m->launcher].name);
	copy_components(s, m);
}

static struct ap_manifest *load_manifest(struct ap_scan *s, struct ap_apk *apk)
{
	int mi = apk->kind == AP_INPUT_AXML ? 0 : apk->manifest;
	if (apk->kind == AP_INPUT_DEX || apk->kind == AP_INPUT_ELF)
		return NULL; /* a bare DEX or library has no manifest by nature */
	if (mi < 0) {
		mark_partial(s, "no AndroidManifest.xml in the archive");
		return NULL;
	}
	uint8_t *buf = NULL, *abuf = NULL;
	size_t len = 0, alen = 0;
	struct ap_arsc *arsc = NULL;
	struct ap_manifest *m = NULL;
	int rc = ap_apk_read(apk, (size_t)mi, &buf, &len);
	if (!buf) {
		mark_partial(s, "AndroidManifest.xml could not be read (%s)", ap_strerror(rc));
		goto out_free;
	}
	if (apk->arsc >= 0 && ap_apk_read(apk, (size_t)apk->arsc, &abuf, &alen) != AP_OK && !abuf)
		alen = 0;
	if (abuf && alen)
		arsc = ap_arsc_open(abuf, alen, s->an);
	rc = ap_mf_parse(buf, len, arsc, s->an, &m);
	if (rc != AP_OK || !m)
		mark_partial(s, "AndroidManifest.xml could not be decoded (%s)", ap_strerror(rc));
out_free:
	ap_arsc_free(arsc);
	free(abuf);
	free(buf);
	return m;
}

/* ---- code -------------------------------------------------------------------------------- */

/* Keeps an opened DEX (and the buffer it borrows) for the reachability pass. */
static int keep_dex(struct ap_scan *s, struct ap_dex *dex, uint8_t *buf)
{
	if (s->n_dexes == s->cap_dexes) {
		size_t ncap = s->cap_dexes ? s->cap_dexes * 2 : 4;
		struct ap_dex **d = realloc(s->dexes, ncap * sizeof(*d));
		if (!d)
			return AP_ERR_NOMEM;
		s->dexes = d;
		uint8_t **b = realloc(s->dex_bufs, ncap * sizeof(*b));
		if (!b)
			return AP_ERR_NOMEM;
		s->dex_bufs = b;
		s->cap_dexes = ncap;
	}
	s->dexes[s->n_dexes] = dex;
	s->dex_bufs[s->n_dexes] = buf;
	s->n_dexes++;
	return AP_OK;
}

/* One DEX, root or hidden (dexsrc.h); takes d->buf. Root files come first, in ART's order. */
static int scan_dex(void *ctx, struct ap_dexsrc *d)
{
	struct ap_scan *s = ctx;
	const char *name = d->name && *d->name ? d->name : "classes.dex";
	if (d->embedded && s->r->n_dex + s->n_hidden_dex >= AP_MAX_DEX_FILES) {
		ap_anom_add(s->an, "scan", name, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "hidden DEX past the cap of %u DEX files (AP_MAX_DEX_FILES), from this one "
			    "on: not analysed", AP_MAX_DEX_FILES);
		mark_partial(s, "hidden DEX past AP_MAX_DEX_FILES were not analysed");
		free(d->buf);
		return AP_ERR_LIMIT; /* stops the walk: nothing after it is analysed either */
	}
	uint8_t *buf = d->buf;
	int rc = d->read_rc;
	if (!buf) {
		mark_partial(s, "%s could not be read (%s)", name, ap_strerror(rc));
		return AP_OK;
	}
	if (rc == AP_ERR_LIMIT || rc == AP_ERR_TRUNCATED || rc == AP_ERR_FORMAT)
		mark_partial(s, "%s was only partly inflated (%s)", name, ap_strerror(rc));
	struct ap_dex *dex = NULL;
	/* ART never checks the SHA-1 signature when it loads a DEX, and it costs as much as the
	 * whole parse; the adler32 checksum is still verified */
	rc = ap_dex_open_ex(buf, d->len, name, s->an, AP_DEX_OPEN_NO_SIGNATURE, &dex);
	if (!dex) {
		mark_partial(s, "%s is not a readable DEX (%s)", name, ap_strerror(rc));
		free(buf);
		return AP_OK;
	}
	if (rc == AP_ERR_LIMIT)
		mark_partial(s, "%s hit a limit (%s); the rest of it was analysed", name,
			     ap_strerror(rc));
	ap_scan_dex_evidence(s, dex, name, d->embedded);
	if (d->embedded) {
		/* not in the call graph: ART does not load it at start (docs/reachability.md) */
		s->n_hidden_dex++;
		ap_dex_close(dex);
		free(buf);
		return AP_OK;
	}
	s->r->n_dex++;
	if (keep_dex(s, dex, buf) != AP_OK) {
		mark_partial(s, "out of memory keeping %s for reachability", name);
		ap_dex_close(dex);
		free(buf);
	}
	return AP_OK;
}

/* Every DEX: the root ones (a bare DEX is one), then the hidden ones. */
static int scan_code(struct ap_scan *s, struct ap_apk *apk)
{
	size_t over = 0; /* root DEX past AP_MAX_DEX_FILES: the container listed them, with an anomaly */
	for (size_t i = 0; i < apk->n_entries; i++)
		over += apk->entries[i].kind == AP_ENTRY_DEX && apk->entries[i].dex_order < 0 &&
			!apk->entries[i].duplicate;
	if (over)
		mark_partial(s, "%zu root DEX files past AP_MAX_DEX_FILES were not analysed", over);
	int rc = ap_dexsrc_each(apk, true, scan_dex, s);
	if (apk->kind == AP_INPUT_ZIP && apk->n_dex == 0)
		ap_log(AP_LOG_INFO, "scan", "no classes.dex: manifest-only analysis");
	return rc == AP_ERR_NOMEM ? rc : AP_OK; /* AP_ERR_LIMIT: the cap, already reported */
}

static int abi_rank(const char *abi)
{
	static const char *const pref[] = {"arm64-v8a", "armeabi-v7a", "armeabi", "x86_64", "x86",
					   "riscv64", "mips64", "mips"};
	for (size_t i = 0; i < sizeof pref / sizeof pref[0]; i++)
		if (strcmp(abi, pref[i]) == 0)
			return (int)i;
	return 100;
}

/* One ABI is enough: the same library built for several ABIs says the same thing. NULL when
 * the APK has no native library. */
static const char *native_abi(const struct ap_apk *apk)
{
	const char *best = NULL;
	for (size_t i = 0; i < apk->n_entries; i++)
		if (apk->entries[i].kind == AP_ENTRY_NATIVE &&
		    (!best || abi_rank(apk->entries[i].abi) < abi_rank(best)))
			best = apk->entries[i].abi;
	return best;
}

static void scan_native(struct ap_scan *s, struct ap_apk *apk)
{
	const char *best = native_abi(apk);
	if (!best && apk->kind != AP_INPUT_ELF)
		return;
	size_t done = 0, partial = 0;
	const char *first_partial = NULL;
	for (size_t i = 0; i < apk->n_entries; i++) {
		const struct ap_apk_entry *e = &apk->entries[i];
		bool want = apk->kind == AP_INPUT_ELF ||
			    (e->kind == AP_ENTRY_NATIVE && strcmp(e->abi, best) == 0);
		if (!want || e->duplicate)
			continue;
		if (done >= AP_MAX_NATIVE_LIBS) {
			mark_partial(s, "more than %u native libraries: the rest were skipped", AP_MAX_NATIVE_LIBS);
			break;
		}
		uint8_t *buf = NULL;
		size_t len = 0;
		ap_apk_read(apk, i, &buf, &len);
		if (!buf)
			continue; /* the container recorded why */
		struct ap_native_lib *lib = NULL;
		if (ap_native_open(buf, len, e->name ? e->name : "lib.so", s->an, &lib) == AP_OK ||
		    lib) {
			if (lib) {
				ap_scan_native_evidence(s, lib);
				done++;
				if (lib->partial && !partial++) /* its anomalies say what is missing */
					first_partial = e->name ? e->name : "lib.so";
			}
		}
		ap_native_close(lib);
		free(buf);
	}
	s->r->n_native_libs = done;
	if (partial == 1)
		mark_partial(s, "native library %s analysed in part", first_partial);
	else if (partial)
		mark_partial(s, "%zu native libraries analysed in part (%s and others)", partial,
			     first_partial);
}

/* ---- the scan ---------------------------------------------------------------------------- */

static int init_scan(struct ap_scan *s, const struct ap_kb *kb)
{
	s->kb = kb;
	s->n_cats = ap_kb_category_count(kb);
	s->n_sdks = ap_kb_sdk_count(kb);
	s->cats = calloc(s->n_cats + 1, sizeof *s->cats);
	s->sdk_classes = calloc(s->n_sdks + 1, sizeof *s->sdk_classes);
	s->sdk_owner = calloc(s->n_sdks + 1, sizeof *s->sdk_owner);
	if (!s->cats || !s->sdk_classes || !s->sdk_owner)
		return AP_ERR_NOMEM;
	/* categories live in one array in the kb: index them in O(1) when that holds */
	const struct ap_kb_category *base = s->n_cats ? ap_kb_category_at(kb, 0) : NULL;
	bool contiguous = base != NULL;
	for (size_t i = 0; contiguous && i < s->n_cats; i++)
		contiguous = ap_kb_category_at(kb, i) == base + i;
	s->cat_base = contiguous ? base : NULL;
	return AP_OK;
}

static struct ap_report *new_report(const char *path, const struct ap_kb *kb, bool det)
{
	struct ap_arena *a = ap_arena_new(AP_MAX_REPORT_ARENA);
	struct ap_anomalies *an = malloc(sizeof *an);
	struct ap_report *r = a ? ap_arena_calloc(a, 1, sizeof *r) : NULL;
	if (!r || !an) {
		ap_arena_free(a);
		free(an);
		return NULL;
	}
	ap_anom_init(an);
	r->arena = a;
	r->anomalies = an;
	r->tool_version = AP_VERSION;
	r->rules_version = ap_kb_version(kb);
	r->path = ap_arena_strdup(a, path);
	r->deterministic = det;
	r->version_code = -1;
	return r;
}

int ap_scan_file(const char *path, const struct ap_kb *kb, const struct ap_scan_opts *opts,
		 struct ap_report **out)
{
	static const struct ap_scan_opts defaults = {0};
	double t0 = now_ms();
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->app_type && !ap_kb_app_type(kb, opts->app_type))
		return AP_ERR_NOT_FOUND;
	struct ap_report *r = new_report(path, kb, opts->deterministic);
	if (!r)
		return AP_ERR_NOMEM;
	struct ap_scan s = {0};
	s.r = r;
	s.arena = r->arena;
	s.an = (struct ap_anomalies *)r->anomalies; /* the report owns the list */
	struct ap_apk *apk = NULL;
	struct ap_manifest *mf = NULL;
	int rc = init_scan(&s, kb);
	if (rc != AP_OK)
		goto out_release;
	rc = ap_apk_open(path, s.an, &apk);
	if (rc != AP_OK || !apk) {
		r->partial = true;
		r->partial_reason = ap_arena_strdup(r->arena, ap_strerror(rc));
		if (rc == AP_OK)
			rc = AP_ERR_FORMAT;
		goto out_release;
	}
	if (!opts->no_native) {
		/* capstone in the background while the DEX is analysed; AArch64 code mostly does
		 * without it (the disassembler opens it only at the first word that needs it) */
		const char *abi = native_abi(apk);
		if (apk->kind == AP_INPUT_ELF || (abi && strcmp(abi, "arm64-v8a") != 0))
			ap_native_preload();
	}
	r->sha256 = ap_arena_strdup(r->arena, apk->sha256_hex);
	r->size = apk->file_size;
	r->input_kind = ap_input_kind_name(apk->kind);

	mf = load_manifest(&s, apk);
	s.mf = mf;
	if (mf)
		copy_app(&s, mf);
	ap_scan_manifest_evidence(&s);

	rc = scan_code(&s, apk);
	if (rc != AP_OK)
		goto out_release;
	if (!opts->no_native)
		scan_native(&s, apk);
	r->n_classes = s.n_classes;
	r->n_methods = s.n_methods;

	rc = ap_scan_app_type(&s, opts->app_type);
	if (rc == AP_OK)
		rc = ap_scan_finish_tables(&s);
	if (rc == AP_OK)
		rc = ap_scan_findings(&s);
	if (rc == AP_OK) /* issue 6: reachability verdicts, paths and R01-R03/R08-R10 */
		rc = ap_reach_scan(r, kb, mf, s.dexes, s.n_dexes, s.an);
	if (rc == AP_OK)
		ap_scan_score(&s);
	if (s.an->dropped)
		ap_log(AP_LOG_INFO, "scan", "%zu anomalies past the cap", s.an->dropped);
out_release:
	ap_scan_release(&s);
	ap_mf_free(mf);
	ap_apk_close(apk);
	r->elapsed_ms = now_ms() - t0;
	if (rc == AP_ERR_NOMEM || rc == AP_ERR_INTERNAL) {
		ap_report_free(r);
		return rc;
	}
	*out = r;
	return rc;
}
