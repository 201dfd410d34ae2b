/* The knowledge base: PI categories, permissions, API and string signatures, SDKs, app types,
 * rules and scoring weights, loaded from the data files in analyzer/rules/ (compiled into the
 * binary) or from a --rules DIR. docs/rules-format.md describes each file.
 *
 * Everything returned points into the kb and lives until ap_kb_free(). Lookups are read-only, so
 * one loaded kb can be shared by threads. Ids are canonical: a taxonomy id or alias given to
 * ap_kb_category() resolves to its canonical category. */
#ifndef AP_KB_H
#define AP_KB_H

#include <stdbool.h>
#include <stddef.h>

struct ap_anomalies;
struct ap_kb;

/* A list of strings owned by the kb. */
struct ap_kb_strs {
	const char *const *v;
	size_t n;
};

/* ---- loading ---------------------------------------------------------------------------- */

/* Without dir: the built-in data, loaded at build time into static tables (no parsing, no
 * allocation; ap_kb_free() of it does nothing). With dir: the built-in text files, each replaced
 * by its twin in dir when present there. A malformed or inconsistent file (or row) becomes an
 * anomaly (module "kb") and the rest is still used; a malformed override file falls back to the
 * built-in one.
 * Returns AP_OK, AP_ERR_IO when dir cannot be opened, AP_ERR_NOMEM, AP_ERR_LIMIT, or
 * AP_ERR_NOT_FOUND when the binary has no built-in data and dir is NULL. */
int ap_kb_load(const char *dir_or_null, struct ap_anomalies *an, struct ap_kb **out);
void ap_kb_free(struct ap_kb *kb); /* NULL is a no-op */
/* The data version ("2026.11.1"), from VERSION; "unknown" when absent. Goes in every report. */
const char *ap_kb_version(const struct ap_kb *kb);
/* "builtin" or the --rules directory. */
const char *ap_kb_origin(const struct ap_kb *kb);

/* ---- PI categories (categories.json) ---------------------------------------------------- */

struct ap_kb_category {
	const char *id;        /* "location.precise", "device_id.imei", "app_list", ... */
	const char *parent;    /* canonical id or NULL */
	const char *name_en;
	const char *name_zh;
	bool sensitive;        /* PIPL Art.28 / GB/T 35273-2020 Table B.2 */
	bool immutable;        /* non-resettable hardware/SIM identifier */
	bool device_api;       /* origin device_api (statically observable); false = user input only */
	const char *csac_class;    /* "location", "device_info", ... or NULL */
	const char *csac_class_zh; /* "位置", ... or NULL */
	struct ap_kb_strs children;   /* canonical ids */
	struct ap_kb_strs apis_from;  /* categories whose API list this one reuses */
	struct ap_kb_strs aliases;    /* other ids that name this category */
	struct ap_kb_strs refs;       /* reference ids; see ap_kb_ref_text() */
	struct ap_kb_strs sensitivity_basis;
	const char *note;
};

size_t ap_kb_category_count(const struct ap_kb *kb);
const struct ap_kb_category *ap_kb_category_at(const struct ap_kb *kb, size_t i);
/* By canonical id or alias ("microphone" -> "audio.microphone"); NULL when unknown. */
const struct ap_kb_category *ap_kb_category(const struct ap_kb *kb, const char *id);
/* True when cat is anc or a descendant of anc (through parent links). */
bool ap_kb_category_within(const struct ap_kb *kb, const char *cat, const char *anc);
/* Text of a regulation reference id ("PIPL-28"), or NULL. */
const char *ap_kb_ref_text(const struct ap_kb *kb, const char *ref_id);

/* ---- permissions (permissions.tsv) ------------------------------------------------------ */

struct ap_kb_permission {
	const char *name;       /* "android.permission.READ_PHONE_STATE" */
	const char *protection; /* Android protectionLevel: "dangerous", "normal", "signature|..." */
	bool dangerous;
	struct ap_kb_strs pi;   /* category ids */
	int since_api;          /* 0 = unknown */
	const char *purpose;
};
size_t ap_kb_permission_count(const struct ap_kb *kb);
const struct ap_kb_permission *ap_kb_permission_at(const struct ap_kb *kb, size_t i);
/* Exact name; a bare "READ_CONTACTS" is tried as android.permission.READ_CONTACTS. */
const struct ap_kb_permission *ap_kb_permission(const struct ap_kb *kb, const char *name);

/* ---- API signatures (apis.tsv) ---------------------------------------------------------- */

enum ap_kb_api_kind {
	AP_KB_API_METHOD = 0,    /* invoke-* of class->name proto */
	AP_KB_API_FIELD = 1,     /* sget/iget of class->name:type (Build.SERIAL, ScanResult.BSSID) */
	AP_KB_API_URI_FIELD = 2, /* static field holding a content URI of the category */
};

struct ap_kb_api {
	enum ap_kb_api_kind kind;
	const char *class_desc; /* "Landroid/telephony/TelephonyManager;" */
	const char *name;       /* "getDeviceId" */
	const char *proto;      /* "()Ljava/lang/String;", NULL = any overload; fields: the type */
	const char *category;   /* canonical id */
	struct ap_kb_strs permissions;
	int min_api;            /* 0 = since early APIs */
	bool medium;            /* medium confidence (secondary sources, SDK APIs) */
	/* What the analysis must also see before it counts a call site: NULL = nothing;
	 * "uri" = a content URI of the category nearby (ContentResolver.query);
	 * "string:android_id" = that constant string as an argument;
	 * "int:1|4|10" = one of these integer constants as an argument (sensor types);
	 * "broad_intent" = a MAIN/LAUNCHER style intent or a loop (queryIntentActivities). */
	const char *requires;
	const char *note;
};

size_t ap_kb_api_count(const struct ap_kb *kb);
/* All entries sorted by (class_desc, name): iterate once and resolve each against a DEX's
 * method_ids / field_ids. */
const struct ap_kb_api *ap_kb_api_at(const struct ap_kb *kb, size_t i);
/* Method entries matching class+name and proto (proto NULL matches any entry; an entry with
 * proto NULL matches any proto). Fills up to cap pointers in out (may be NULL with cap 0) and
 * returns the total number of matches. */
size_t ap_kb_match_method(const struct ap_kb *kb, const char *class_desc, const char *name,
			  const char *proto, const struct ap_kb_api **out, size_t cap);
/* Field and URI-field entries matching class+name (type NULL = any). */
size_t ap_kb_match_field(const struct ap_kb *kb, const char *class_desc, const char *name,
			 const char *type, const struct ap_kb_api **out, size_t cap);

/* ---- constant strings, URIs, reflection, properties, paths (strings.tsv) ----------------- */

enum ap_kb_str_kind {
	AP_KB_STR_CONST = 0,          /* a constant argument ("android_id") */
	AP_KB_STR_CONTENT_URI = 1,    /* "content://sms" */
	AP_KB_STR_REFLECT_CLASS = 2,  /* class name given to Class.forName */
	AP_KB_STR_REFLECT_METHOD = 3, /* method name given to getMethod/getDeclaredMethod */
	AP_KB_STR_SYSPROP = 4,        /* system property name ("ro.serialno") */
	AP_KB_STR_PATH = 5,           /* file path ("/sys/class/net/wlan0/address") */
};
enum ap_kb_match { AP_KB_MATCH_EXACT = 0, AP_KB_MATCH_PREFIX = 1 };
#define AP_KB_WHERE_DEX 1u
#define AP_KB_WHERE_NATIVE 2u

struct ap_kb_string {
	enum ap_kb_str_kind kind;
	const char *value;
	enum ap_kb_match match;
	const char *category;
	unsigned where;   /* AP_KB_WHERE_* bits */
	bool medium;
	const char *note;
};
size_t ap_kb_string_count(const struct ap_kb *kb);
const struct ap_kb_string *ap_kb_string_at(const struct ap_kb *kb, size_t i);
/* Entries matching s (exact entries by equality, prefix entries when s starts with the value)
 * that are visible in `where` (AP_KB_WHERE_* mask). Same out/cap/return convention. */
size_t ap_kb_match_string(const struct ap_kb *kb, const char *s, unsigned where,
			  const struct ap_kb_string **out, size_t cap);

/* ---- network APIs (network.tsv) and native symbols (native.tsv) ------------------------ */

struct ap_kb_netapi {
	const char *class_desc;
	const char *name;
	const char *proto;   /* NULL = any overload */
	const char *library; /* "okhttp3", "java.net", "volley", ... */
	const char *kind;    /* "http", "socket", "websocket", "webview", "udp", "rpc" */
	const char *note;
};
size_t ap_kb_netapi_count(const struct ap_kb *kb);
const struct ap_kb_netapi *ap_kb_netapi_at(const struct ap_kb *kb, size_t i);
const struct ap_kb_netapi *ap_kb_match_netapi(const struct ap_kb *kb, const char *class_desc,
					       const char *name, const char *proto);

struct ap_kb_native_sym {
	const char *symbol;   /* "__system_property_get" */
	const char *kind;     /* "sysprop_read", "netif_enum", "network", "dns", "http", "tls", "exec" */
	const char *category; /* NULL unless the symbol alone implies one */
	const char *note;
};
size_t ap_kb_native_count(const struct ap_kb *kb);
const struct ap_kb_native_sym *ap_kb_native_at(const struct ap_kb *kb, size_t i);
const struct ap_kb_native_sym *ap_kb_native_symbol(const struct ap_kb *kb, const char *symbol);

/* ---- SDKs (sdks.tsv) -------------------------------------------------------------------- */

struct ap_kb_sdk {
	const char *id, *name, *name_zh, *vendor;
	const char *country;  /* ISO 3166 alpha-2 or "" */
	const char *category; /* "analytics", "advertising", "push", "maps_location", ... */
	struct ap_kb_strs prefixes; /* dotted package prefixes, matched as string prefixes */
	struct ap_kb_strs infixes;  /* dotted substrings */
	struct ap_kb_strs domains;
	struct ap_kb_strs known_pi; /* canonical category ids */
	bool medium;                /* confidence */
	int exodus_id;              /* 0 = none */
};
size_t ap_kb_sdk_count(const struct ap_kb *kb);
const struct ap_kb_sdk *ap_kb_sdk_at(const struct ap_kb *kb, size_t i);
const struct ap_kb_sdk *ap_kb_sdk(const struct ap_kb *kb, const char *id);
/* The SDK owning a DEX class descriptor ("Lcom/umeng/analytics/Foo;"): the longest matching
 * prefix wins; infixes are tried only when no prefix matches. NULL = first party or unknown.
 * No allocation; O(length of the name). */
const struct ap_kb_sdk *ap_kb_sdk_for_class(const struct ap_kb *kb, const char *class_desc);
/* Same for a dotted name ("com.umeng.analytics.Foo"). */
const struct ap_kb_sdk *ap_kb_sdk_for_dotted(const struct ap_kb *kb, const char *dotted);

/* ---- app types (app_types.json) -------------------------------------------------------- */

struct ap_kb_app_type {
	const char *id;       /* "map_navigation" */
	int number;           /* 1..39, the official order */
	const char *name_zh, *name_en, *basic_function_zh, *basic_function_en;
	bool no_pi_needed;    /* one of the 13 types whose basic function needs no PI */
	struct ap_kb_strs necessary_pi;      /* as listed (may include user-input categories) */
	struct ap_kb_strs device_pi_allowed; /* device categories that may supply a necessary item */
	struct ap_kb_strs local_only;        /* capabilities acceptable if data stays on the device */
	struct ap_kb_strs conditions;
	struct ap_kb_strs hint_keywords;     /* lower-case words for label/package matching */
	struct ap_kb_strs hint_sdks;         /* SDK ids suggesting this type */
	struct ap_kb_strs hint_sdk_categories;
};
size_t ap_kb_app_type_count(const struct ap_kb *kb);
const struct ap_kb_app_type *ap_kb_app_type_at(const struct ap_kb *kb, size_t i);
const struct ap_kb_app_type *ap_kb_app_type(const struct ap_kb *kb, const char *id);
const struct ap_kb_app_type *ap_kb_app_type_by_number(const struct ap_kb *kb, int number);
/* True when category cat (any id or alias) is necessary for the type's basic function: it, an
 * ancestor or a descendant-parent chain reaches an entry of necessary_pi or device_pi_allowed. */
bool ap_kb_app_type_needs(const struct ap_kb *kb, const struct ap_kb_app_type *t, const char *cat);
/* True when cat is one of the type's local-only capabilities. */
bool ap_kb_app_type_local_only(const struct ap_kb *kb, const struct ap_kb_app_type *t,
			       const char *cat);
/* The first hint keyword of t found in text (case-insensitive for ASCII), or NULL. Keywords of
 * up to 3 ASCII letters must match a whole word (delimited by non-letters). */
const char *ap_kb_app_type_keyword(const struct ap_kb_app_type *t, const char *text);

/* ---- rules (rules.json) and scoring (scoring.json) ------------------------------------- */

enum ap_kb_severity { AP_KB_SEV_INFO = 0, AP_KB_SEV_LOW = 1, AP_KB_SEV_MEDIUM = 2, AP_KB_SEV_HIGH = 3 };
const char *ap_kb_severity_name(enum ap_kb_severity s); /* "info", "low", "medium", "high" */

struct ap_kb_rule {
	const char *id;     /* "R05" */
	const char *code;   /* "NON_NECESSARY_PI_API" */
	const char *title, *title_zh;
	enum ap_kb_severity severity;
	enum ap_kb_severity severity_escalated; /* == severity when there is no escalation */
	const char *escalation;                 /* when escalated applies, or NULL */
	unsigned dimensions;                    /* bit (1 << d) for CSAC dimension d = 1, 2, 3 */
	bool needs_reachability;
	int min_level;                          /* evidence level 0..4 (L0..L4) */
	const char *trigger;
	struct ap_kb_strs refs;                 /* reference ids; ap_kb_ref_text() */
	const char *remediation;
};
size_t ap_kb_rule_count(const struct ap_kb *kb);
const struct ap_kb_rule *ap_kb_rule_at(const struct ap_kb *kb, size_t i);
const struct ap_kb_rule *ap_kb_rule(const struct ap_kb *kb, const char *id);

#define AP_KB_MAX_GRADES 8
struct ap_kb_scoring {
	double start;             /* 100 */
	double points[4];         /* by enum ap_kb_severity */
	double level_weight[5];   /* L0..L4 */
	double no_pi_multiplier;  /* for the no-PI app types */
	double floor;
	struct { double min; const char *grade; } grades[AP_KB_MAX_GRADES]; /* descending min */
	size_t n_grades;
	const char *dimension_name[4]; /* [1..3] */
};
const struct ap_kb_scoring *ap_kb_scoring(const struct ap_kb *kb);
/* The grade for a total score ("A".."E"). */
const char *ap_kb_grade(const struct ap_kb *kb, double score);

#endif
