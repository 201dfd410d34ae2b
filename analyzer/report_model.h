/* The report model: everything the privacy analysis concludes about one input, as plain data.
 * The analysis fills it; reports/ renders it (JSON, text, SARIF, HTML, CSV) and never parses.
 * Field names mirror the JSON report schema (docs/report-schema.md). All strings are owned by
 * the report's arena; attacker-controlled ones (package, label, class names, strings from the
 * APK, entry names) are raw bytes here and escaped by each renderer. */
#ifndef AP_REPORT_MODEL_H
#define AP_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ap_diag.h"

struct ap_arena;

#define AP_REPORT_SCHEMA "apkpriv-report/1"

enum ap_via {
	AP_VIA_PERMISSION = 0, /* "permission": declared in the manifest */
	AP_VIA_DEX_API = 1,    /* "dex_api": a call site or field read of a PI API */
	AP_VIA_DEX_STRING = 2, /* "dex_string": a constant string loaded by code */
	AP_VIA_REFLECTION = 3, /* "reflection": a PI API named by string for reflection */
	AP_VIA_NATIVE = 4,     /* "native": native code (imports, constant args, JNI) */
	AP_VIA_MANIFEST = 5,   /* "manifest": another manifest fact (component, meta-data) */
	AP_VIA_RESOURCE = 6,   /* "resource": a string in resources or assets */
};

enum ap_severity { AP_SEV_INFO = 0, AP_SEV_LOW = 1, AP_SEV_MEDIUM = 2, AP_SEV_HIGH = 3 };

/* Entry kinds that reach a call site (issue 6), a bit set. */
enum ap_entry_bits { AP_REACH_STARTUP = 1u, AP_REACH_BACKGROUND = 2u, AP_REACH_UI = 4u };

struct ap_evidence {
	enum ap_via via;
	const char *owner;   /* "first_party", or "sdk:<id>" */
	const char *api;     /* permission name, callee/field reference, string matched, symbol */
	const char *category;/* PI category id this evidence supports, or NULL (network, SDK) */
	/* code location (dex_api, dex_string, reflection); NULL / -1 when not code */
	const char *dexfile; /* "classes2.dex" */
	const char *method;  /* caller, smali-style reference */
	int64_t pc;          /* 16-bit code units within the method, -1 when n/a */
	/* native location */
	const char *library; /* "lib/arm64-v8a/libfoo.so" */
	const char *abi;
	int64_t offset;      /* byte offset (vaddr) of the call in the library, -1 when n/a */
	const char *detail;  /* constant arguments, matched string, note; may be NULL */
	/* reachability (issue 6); reachable = -1 when not computed */
	int reachable;
	unsigned entries;    /* enum ap_entry_bits */
	const char **path;   /* method references from the entry point to the call site */
	size_t n_path;
	const char *path_owners_note; /* "sdk:umeng started from first_party App.onCreate", or NULL */
	/* hidden code (dexsrc.h): dexfile is a DEX ART does not load at start ("assets/a.dex",
	 * "assets/p.jar!classes.dex"); reachable is 0 and path_owners_note says it runs only if
	 * the app loads it at run time (docs/reachability.md) */
	bool hidden;
	/* one end (source or sink call site) of a PI-to-upload flow (R19, taint.c): with a
	 * reachable method this is evidence level L4 (docs/scoring.md) */
	bool flow;
};

struct ap_rep_permission {
	const char *name;
	bool declared;
	int used;            /* 1 used, 0 not used, -1 unknown */
	bool dangerous;
	const char **pi;     /* category ids */
	size_t n_pi;
};

struct ap_rep_sdk {
	const char *id, *name, *name_zh, *vendor, *country, *category;
	size_t classes;      /* classes defined under its prefixes */
	const char **pi;     /* categories it was seen collecting (evidence owned by it) */
	size_t n_pi;
};

struct ap_rep_pi {
	const char *category;
	const char *name;      /* human name */
	const char *sensitivity; /* "sensitive" | "general" */
	bool immutable_id;
	bool necessary;        /* for the app type */
	struct ap_evidence *evidence;
	size_t n_evidence;
	size_t n_evidence_dropped; /* past AP_MAX_EVIDENCE_PER_CAT */
};

struct ap_ref {
	const char *id;   /* "PIPL-6" */
	const char *text; /* short text */
};

struct ap_finding {
	const char *rule;       /* "R05" */
	const char *title;
	enum ap_severity severity;
	int dimension;          /* 1, 2 or 3 */
	double points;          /* points this finding cost the score */
	const char *message;    /* what was found, specific to this app */
	const char *category;   /* PI category id or NULL */
	const char *owner;      /* "first_party" / "sdk:<id>" / NULL */
	const char *confidence; /* "high" | "medium" | "low" */
	struct ap_evidence *evidence;
	size_t n_evidence;
	const struct ap_ref *refs;
	size_t n_refs;
	const char *remediation;
};

struct ap_rep_rule {            /* rule metadata for SARIF tool.driver.rules and HTML */
	const char *id, *title, *help;
	enum ap_severity severity;
	int dimension;
	const struct ap_ref *refs;
	size_t n_refs;
	const char *remediation;
};

struct ap_rep_url {
	const char *url;        /* URL or host */
	const char *owner;
	const char *where;      /* method reference, library or resource */
	bool cleartext;         /* http:// */
};

struct ap_rep_component {
	const char *kind, *name;
	bool exported;
	const char **actions; size_t n_actions;
};

struct ap_report {
	struct ap_arena *arena;  /* owns every string and array below */

	/* tool */
	const char *tool_version;
	const char *rules_version;
	/* input */
	const char *path;
	const char *sha256;
	uint64_t size;
	const char *input_kind;  /* "apk", "dex", "axml", "elf" */
	/* app */
	const char *package, *version_name, *label, *label_zh;
	int64_t version_code;
	int min_sdk, target_sdk;
	bool debuggable, allow_backup, uses_cleartext;
	const char *app_class;   /* Application subclass */
	const char *launcher;
	struct ap_rep_component *components; size_t n_components;
	size_t n_dex, n_classes, n_methods, n_native_libs;
	/* app type */
	const char *app_type;      /* id, e.g. "online_audio_video" */
	const char *app_type_name;
	const char *app_type_source; /* "option" | "inferred" | "default" */
	double app_type_confidence;  /* 0..1 */
	const char **app_type_reasons; size_t n_app_type_reasons;

	struct ap_rep_permission *permissions; size_t n_permissions;
	struct ap_rep_sdk *sdks; size_t n_sdks;
	struct ap_rep_pi *pi; size_t n_pi;
	struct ap_finding *findings; size_t n_findings;
	struct ap_rep_rule *rules; size_t n_rules;  /* rules that produced findings (or all) */
	struct ap_rep_url *urls; size_t n_urls;
	const char **network_apis; size_t n_network_apis;

	/* score */
	double score_total;      /* 0..100, higher is better */
	const char *grade;       /* "A".."E" */
	double score_dim[3];     /* dimension 1, 2, 3 sub-scores, 0..100 */

	const struct ap_anomalies *anomalies; /* borrowed from the scan */
	bool partial;            /* a limit or unreadable part cut the analysis */
	const char *partial_reason;
	double elapsed_ms;
	bool deterministic;       /* renderers omit elapsed_ms (golden tests, reproducible output) */
};

const char *ap_via_name(enum ap_via v);
const char *ap_severity_name(enum ap_severity s);
/* Parses "high"/"medium"/"low"/"info"; -1 when unknown. */
int ap_severity_parse(const char *s);

#endif
