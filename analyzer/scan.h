/* The privacy analysis: one input (APK, bare DEX or manifest) -> one struct ap_report. Opens the
 * container, the manifest and every DEX once, gathers PI evidence (evidence.c), infers the app type
 * (apptype.c), applies the rules that need no reachability (findings.c) and scores (score.c).
 * docs/scoring.md explains the score; docs/report-schema.md the report. */
#ifndef AP_SCAN_H
#define AP_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report_model.h"

struct ap_kb;
struct ap_kb_app_type;
struct ap_kb_category;
struct ap_manifest;
struct ap_dex;
struct ap_native_lib;
struct ap_anomalies;

struct ap_scan_opts {
	const char *app_type;  /* --app-type id, or NULL to infer */
	bool deterministic;    /* renderers omit timings */
	bool no_native;        /* skip the native libraries (lib/ABI/NAME.so) */
};

/* Scans one input with a loaded knowledge base (shared read-only; see kb.h). On AP_OK *out is a
 * report (r->partial set when a DEX, the manifest or a limit cut the analysis: the CLI exits 4).
 * AP_ERR_IO / AP_ERR_FORMAT / AP_ERR_LIMIT: the input is unusable (exit 3); *out is still a
 * report holding path, the reason (partial_reason) and the anomalies, or NULL on AP_ERR_NOMEM.
 * AP_ERR_NOT_FOUND: opts->app_type names no app type (*out NULL). */
int ap_scan_file(const char *path, const struct ap_kb *kb, const struct ap_scan_opts *opts,
		 struct ap_report **out);

/* Frees a report made by ap_scan_file, with its arena and its anomaly list. NULL is a no-op. */
void ap_report_free(struct ap_report *r);

/* Fingerprint of a finding for --baseline: rule + category + owner + first evidence method. */
void ap_finding_fingerprint(const char *rule, const char *category, const char *owner,
			    const char *method, char *out, size_t n);

/* ---- internals shared by scan.c, evidence.c, apptype.c, findings.c, score.c --------------- */

/* Evidence gathered for one KB category while scanning (malloc'd, moved into the report). */
struct ap_scan_cat {
	struct ap_evidence *ev;
	size_t n, cap;
	size_t dropped;      /* code evidence past AP_MAX_EVIDENCE_PER_CAT */
	size_t n_code;       /* dex_api, dex_string, reflection, native items seen (kept or not) */
};

struct ap_scan {
	const struct ap_kb *kb;
	struct ap_report *r;
	struct ap_arena *arena;      /* r->arena */
	struct ap_anomalies *an;
	const struct ap_manifest *mf;/* NULL when unreadable or absent */
	const struct ap_kb_app_type *type;

	const struct ap_kb_category *cat_base; /* kb categories are contiguous when this is set */
	struct ap_scan_cat *cats;    /* one per kb category, by index */
	size_t n_cats;
	size_t *sdk_classes;         /* per kb SDK index: classes defined under its prefixes */
	const char **sdk_owner;      /* per kb SDK index: "sdk:<id>" (arena), lazily made */
	size_t n_sdks;

	const char **used_perms;     /* permissions required by matched APIs (kb strings) */
	size_t n_used_perms, cap_used_perms;

	struct ap_rep_url *urls;
	size_t n_urls, cap_urls, urls_dropped;
	const char **netapis;
	size_t n_netapis, cap_netapis;
	bool network_code;           /* a network API is called, or native code imports one */
	bool privacy_hint;           /* a string mentions a privacy policy / consent */
	bool player_hint;            /* code uses a media player (VideoView, MediaPlayer, ExoPlayer) */

	size_t n_classes, n_methods;
	char *partial_reason;        /* arena */

	/* hidden code (dexsrc.h): DEX files ART does not load at start, analysed after the root ones */
	size_t n_hidden_dex;
	const char *loader_call;     /* first class-loader call in root code ("callee in caller",
				      * arena), or NULL: hidden code can run only if one is made */

	/* every readable root DEX, kept open after its evidence pass so reachability uses the same
	 * models instead of inflating and parsing each file again; closed by ap_scan_release */
	struct ap_dex **dexes;
	uint8_t **dex_bufs;          /* dexes[i] borrows dex_bufs[i] */
	size_t n_dexes, cap_dexes;
};

/* evidence.c */
size_t ap_scan_cat_index(const struct ap_scan *s, const struct ap_kb_category *c);
const struct ap_kb_category *ap_scan_cat_at(const struct ap_scan *s, size_t i);
/* Adds one evidence item under category id (canonical or alias); copies nothing: strings must
 * already live in the report arena or the kb. Returns false when the category is unknown. */
bool ap_scan_add_evidence(struct ap_scan *s, const char *category, const struct ap_evidence *e);
void ap_scan_mark_perm_used(struct ap_scan *s, const char *perm);
void ap_scan_add_url(struct ap_scan *s, const char *url, const char *owner, const char *where);
void ap_scan_add_netapi(struct ap_scan *s, const char *what);
const char *ap_scan_owner_for_class(struct ap_scan *s, const char *class_desc);
void ap_scan_manifest_evidence(struct ap_scan *s);
/* hidden: dex is not a root DEX (dexsrc.h); its code evidence is flagged and given the
 * "loaded at run time" verdict. Root DEX files must come first (they say whether a class loader
 * is called). */
void ap_scan_dex_evidence(struct ap_scan *s, const struct ap_dex *dex, const char *dexfile,
			  bool hidden);
void ap_scan_native_evidence(struct ap_scan *s, const struct ap_native_lib *lib);
/* evidence_tables.c: moves the gathered evidence into r->pi, r->permissions, r->sdks, r->urls
 * (after the type). */
int ap_scan_finish_tables(struct ap_scan *s);
void ap_scan_release(struct ap_scan *s);

/* apptype.c: sets s->type and r->app_type*. AP_ERR_NOT_FOUND when opts names an unknown type. */
int ap_scan_app_type(struct ap_scan *s, const char *option_id);

/* findings.c */
int ap_scan_findings(struct ap_scan *s);
/* Past AP_MAX_FINDINGS (findings.c and the reachability rules of findings_reach.c): one `limit`
 * anomaly naming the cap, r->partial set and the count appended to r->partial_reason. */
void ap_scan_findings_dropped(struct ap_report *r, struct ap_anomalies *an, size_t dropped);

/* score.c: fills each finding's points and r->score_*. */
void ap_scan_score(struct ap_scan *s);
/* Evidence level of a finding (0..4): L0 permission only, L1 code, L2+ reachability (issue 6). */
int ap_finding_level(const struct ap_finding *f);

#endif
