/* The Android manifest: binary AXML (or plain XML) plus resources.arsc -> an XML tree and a typed
 * model. Knows nothing of privacy. libxml2 is an implementation detail of this module: no libxml
 * type appears here. */
#ifndef AP_MANIFEST_H
#define AP_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_anomalies;
struct ap_buf;
struct ap_arsc;

/* ---- resources.arsc ---------------------------------------------------------------------- */

/* Parses a resource table. Returns NULL only when nothing usable was found (anomaly recorded).
 * Copies what it keeps; buf may be freed after. */
struct ap_arsc *ap_arsc_open(const uint8_t *buf, size_t len, struct ap_anomalies *an);
void ap_arsc_free(struct ap_arsc *arsc);
/* The string value of resource id for a locale ("" = default config, "zh", "zh-rCN", ...;
 * falls back to the default config), following reference chains (bounded). NULL if none.
 * The string is owned by arsc. */
const char *ap_arsc_string(const struct ap_arsc *arsc, uint32_t resid, const char *locale);

/* ---- the typed model --------------------------------------------------------------------- */

enum ap_comp_kind { AP_COMP_ACTIVITY = 0, AP_COMP_SERVICE = 1, AP_COMP_RECEIVER = 2,
		    AP_COMP_PROVIDER = 3, AP_COMP_ALIAS = 4 /* activity-alias */ };

struct ap_mf_intent_filter {
	char **actions;      size_t n_actions;
	char **categories;   size_t n_categories;
	char **schemes;      size_t n_schemes;   /* <data android:scheme> */
	char **hosts;        size_t n_hosts;
	int priority;
};

struct ap_mf_meta {
	char *name;
	char *value;      /* android:value as a string (typed values rendered), or NULL */
	char *resource;   /* android:resource rendered as @0x7f..., or NULL */
};

struct ap_mf_component {
	enum ap_comp_kind kind;
	char *name;           /* fully qualified class name (".Foo" and "Foo" resolved against package) */
	char *target;         /* activity-alias: targetActivity, fully qualified; else NULL */
	char *permission;     /* android:permission or NULL */
	char *process;        /* android:process or NULL */
	char *authorities;    /* providers */
	bool exported;        /* as Android computes it (explicit, else implied by intent filters) */
	bool exported_explicit;
	bool enabled;
	bool direct_boot_aware;
	struct ap_mf_intent_filter *filters; size_t n_filters;
	struct ap_mf_meta *meta; size_t n_meta;
	unsigned line;        /* element's position in document order (1-based), for report locations */
};

struct ap_mf_uses_permission {
	char *name;
	int max_sdk;          /* 0 when absent */
	bool sdk23;           /* declared with <uses-permission-sdk-23> */
	unsigned line;
};

struct ap_mf_permission {  /* <permission> the app defines */
	char *name;
	char *protection;     /* "normal", "dangerous", "signature", "signatureOrSystem", ... or NULL */
	unsigned line;
};

struct ap_mf_feature { char *name; bool required; int gles_version; };

struct ap_manifest {
	char *package;
	int64_t version_code;    /* versionCode | versionCodeMajor << 32; -1 when absent */
	char *version_name;
	int min_sdk;             /* 1 when absent, as Android assumes; 10000 for a codename */
	int target_sdk;          /* = min_sdk when absent, as Android assumes */
	int max_sdk;             /* 0 when absent */
	char *min_sdk_str;       /* android:minSdkVersion as written ("21", "VanillaIceCream"), or NULL */
	char *target_sdk_str;    /* android:targetSdkVersion as written, or NULL */
	int64_t version_code_minor; /* android:versionCode alone (-1 when absent), as aapt prints it */
	char *label;             /* resolved through resources.arsc, default config; may be NULL */
	char *label_zh;          /* zh/zh-rCN config if it differs; else NULL */
	char *label_ref;         /* "@0x7f0c001b" when the label was a reference, else NULL */

	/* <application> */
	char *app_name;          /* android:name, fully qualified, or NULL */
	bool debuggable, allow_backup, uses_cleartext, uses_cleartext_explicit, has_code;
	char *network_security_config; /* "@0x7f..." or NULL */
	char *app_component_factory;

	struct ap_mf_uses_permission *uses_perms; size_t n_uses_perms;  /* duplicates kept once */
	struct ap_mf_permission *perms; size_t n_perms;
	struct ap_mf_component *comps; size_t n_comps;
	struct ap_mf_meta *app_meta; size_t n_app_meta;                /* <application><meta-data> */
	struct ap_mf_feature *features; size_t n_features;
	char **query_packages; size_t n_query_packages;                /* <queries><package> */
	struct ap_mf_intent_filter *query_intents; size_t n_query_intents;
	char **query_providers; size_t n_query_providers;

	int launcher;            /* index into comps of the launchable activity (MAIN+LAUNCHER), -1 */
	char *app_label_raw;     /* <application android:label> as written, or NULL */
	bool from_text_xml;      /* the input was plain-text XML, not AXML */

	void *impl;              /* private: the XML document and arena */
};

/* Decodes a binary (or plain-text) AndroidManifest.xml, resolving references through arsc when
 * given (may be NULL). AP_OK with *out when a manifest element was found (anomalies say what was
 * tolerated); AP_ERR_FORMAT when the bytes are not a manifest at all. Copies what it keeps. */
int ap_mf_parse(const uint8_t *buf, size_t len, const struct ap_arsc *arsc,
		struct ap_anomalies *an, struct ap_manifest **out);
void ap_mf_free(struct ap_manifest *m);

/* The decoded document as indented XML text with the android: namespace. */
int ap_mf_to_xml(const struct ap_manifest *m, struct ap_buf *out);

const char *ap_comp_kind_name(enum ap_comp_kind k);
/* True when the permission is declared (by <uses-permission> or -sdk-23). */
bool ap_mf_declares(const struct ap_manifest *m, const char *perm);

#endif
