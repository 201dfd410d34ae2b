/* The typed manifest model, read from the libxml2 tree (binary or text input alike) with the
 * defaults Android applies: SDK versions, exported state, fully qualified class names, the
 * launcher activity. Attacker strings are copied as they are; outputs escape them. */
#include "manifest.h"
#include "mf_internal.h"
#include "mf_tree.h"

#include "ap_arena.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD "manifest"
#define WHERE "AndroidManifest.xml"

struct ctx {
	struct ap_arena *arena;
	struct ap_anomalies *an;
	const struct ap_arsc *arsc;
	struct ap_manifest *m;
	unsigned line;
	size_t cap_comps;
};

static bool is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Counts element children (an upper bound for the arrays filled from them). */
static size_t n_children(xmlNodePtr n)
{
	size_t k = 0;
	for (xmlNodePtr c = n->children; c; c = c->next)
		k += c->type == XML_ELEMENT_NODE;
	return k;
}

/* Element descendants of n, so that line numbers stay in document order past skipped
 * subtrees (depth is bounded by AP_MAX_AXML_DEPTH when the tree was built). */
static unsigned n_desc(xmlNodePtr n)
{
	unsigned k = 0;
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			k += 1 + n_desc(c);
	return k;
}

static char *dup(struct ctx *c, const char *s)
{
	return s ? ap_arena_strdup(c->arena, s) : NULL;
}

/* android:NAME as an arena string, or NULL. */
static char *aget(struct ctx *c, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)AP_ANDROID_NS);
	if (!v)
		return NULL;
	char *r = dup(c, (const char *)v);
	xmlFree(v);
	return r;
}

/* "@0x7f0a0001" -> the id, else 0. */
static uint32_t ref_id(const char *v)
{
	if (!v || v[0] != '@' || v[1] != '0' || (v[2] != 'x' && v[2] != 'X'))
		return 0;
	char *end;
	unsigned long id = strtoul(v + 3, &end, 16);
	return *end || id > 0xffffffffUL ? 0 : (uint32_t)id;
}

/* Integer attribute: decimal, hex, or a reference to an integer resource. */
static bool parse_int(struct ctx *c, const char *v, int64_t *out)
{
	if (!v)
		return false;
	uint32_t id = ref_id(v);
	if (id) {
		uint8_t t;
		uint32_t d;
		if (!mf_arsc_value(c->arsc, id, "", &t, &d) || t < TYPE_INT_DEC || t > 0x1f)
			return false;
		*out = (int32_t)d;
		return true;
	}
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 0);
	if (end == v || *end || errno)
		return false;
	*out = x;
	return true;
}

static int get_int(struct ctx *c, xmlNodePtr n, const char *name, int dflt)
{
	int64_t v;
	if (!parse_int(c, aget(c, n, name), &v) || v < INT32_MIN || v > INT32_MAX)
		return dflt;
	return (int)v;
}

/* Boolean attribute as TypedArray.getBoolean reads it; *explicit_ says whether it was set. */
static bool get_bool(struct ctx *c, xmlNodePtr n, const char *name, bool dflt, bool *explicit_)
{
	const char *v = aget(c, n, name);
	if (explicit_)
		*explicit_ = false;
	if (!v)
		return dflt;
	bool r;
	int64_t x;
	if (strcmp(v, "true") == 0)
		r = true;
	else if (strcmp(v, "false") == 0)
		r = false;
	else if (parse_int(c, v, &x))
		r = x != 0;
	else
		return dflt;
	if (explicit_)
		*explicit_ = true;
	return r;
}

/* Android's buildClassName: ".Foo" and "Foo" are relative to the package. */
static char *class_name(struct ctx *c, const char *v)
{
	if (!v || !*v)
		return NULL;
	const char *pkg = c->m->package ? c->m->package : "";
	if (v[0] == '.' || !strchr(v, '.')) {
		size_t n = strlen(pkg) + strlen(v) + 2;
		char *r = ap_arena_alloc(c->arena, n);
		if (r)
			snprintf(r, n, "%s%s%s", pkg, v[0] != '.' ? "." : "", v);
		return r;
	}
	return dup(c, v);
}

static const char *protection_name(struct ctx *c, const char *v)
{
	int64_t x;
	if (!v || !parse_int(c, v, &x))
		return v; /* text manifests write "signature|privileged" already */
	static const char *base[] = {"normal", "dangerous", "signature", "signatureOrSystem",
				     "internal"};
	static const char *flags[] = {"privileged", "development", "appop", "pre23", "installer",
				      "verifier", "preinstalled", "setup", "instant", "runtime",
				      "oem", "vendorPrivileged", "textClassifier", "wellbeing",
				      "documenter", "configurator", "incidentReportApprover",
				      "appPredictor", NULL, "companion", "retailDemo", "recents",
				      "role", "knownSigner"};
	char out[512];
	uint32_t u = (uint32_t)x;
	size_t b = u & 0xf;
	snprintf(out, sizeof(out), "%s", b < 5 ? base[b] : "unknown");
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if ((u >> (4 + i)) & 1) {
			size_t l = strlen(out);
			snprintf(out + l, sizeof(out) - l, "|%s", flags[i] ? flags[i] : "0x?");
		}
	return dup(c, out);
}

static void push_str(struct ctx *c, char **arr, size_t *n, const char *s)
{
	if (arr && s)
		arr[(*n)++] = dup(c, s);
}

static void read_filter(struct ctx *c, xmlNodePtr f, struct ap_mf_intent_filter *out)
{
	size_t k = n_children(f);
	memset(out, 0, sizeof(*out));
	out->priority = get_int(c, f, "priority", 0);
	if (!k)
		return;
	out->actions = ap_arena_calloc(c->arena, k, sizeof(char *));
	out->categories = ap_arena_calloc(c->arena, k, sizeof(char *));
	out->schemes = ap_arena_calloc(c->arena, k, sizeof(char *));
	out->hosts = ap_arena_calloc(c->arena, k, sizeof(char *));
	for (xmlNodePtr e = f->children; e; e = e->next) {
		if (is_el(e, "action"))
			push_str(c, out->actions, &out->n_actions, aget(c, e, "name"));
		else if (is_el(e, "category"))
			push_str(c, out->categories, &out->n_categories, aget(c, e, "name"));
		else if (is_el(e, "data")) {
			push_str(c, out->schemes, &out->n_schemes, aget(c, e, "scheme"));
			push_str(c, out->hosts, &out->n_hosts, aget(c, e, "host"));
		}
	}
}

static void read_meta(struct ctx *c, xmlNodePtr e, struct ap_mf_meta *out)
{
	out->name = aget(c, e, "name");
	out->value = aget(c, e, "value");
	out->resource = aget(c, e, "resource");
}

static bool filter_is_launcher(const struct ap_mf_intent_filter *f)
{
	bool main_ = false, launcher = false;
	for (size_t i = 0; i < f->n_actions; i++)
		main_ |= f->actions[i] && strcmp(f->actions[i], "android.intent.action.MAIN") == 0;
	for (size_t i = 0; i < f->n_categories; i++)
		launcher |= f->categories[i] &&
			    strcmp(f->categories[i], "android.intent.category.LAUNCHER") == 0;
	return main_ && launcher;
}

static void read_component(struct ctx *c, xmlNodePtr e, enum ap_comp_kind kind, unsigned line)
{
	struct ap_manifest *m = c->m;
	if (m->n_comps >= c->cap_comps)
		return;
	struct ap_mf_component *k = &m->comps[m->n_comps++];
	k->kind = kind;
	k->line = line;
	const char *name = aget(c, e, "name");
	k->name = class_name(c, name);
	if (!k->name)
		ap_anom_add(c->an, MOD, WHERE, AP_OFFSET_NONE, AP_ERR_FORMAT,
			    "<%s> without android:name", (const char *)e->name);
	if (kind == AP_COMP_ALIAS)
		k->target = class_name(c, aget(c, e, "targetActivity"));
	k->permission = aget(c, e, "permission");
	k->process = aget(c, e, "process");
	if (kind == AP_COMP_PROVIDER)
		k->authorities = aget(c, e, "authorities");
	k->enabled = get_bool(c, e, "enabled", true, NULL);
	k->direct_boot_aware = get_bool(c, e, "directBootAware", false, NULL);
	size_t nch = n_children(e);
	if (nch) {
		k->filters = ap_arena_calloc(c->arena, nch, sizeof(*k->filters));
		k->meta = ap_arena_calloc(c->arena, nch, sizeof(*k->meta));
	}
	for (xmlNodePtr ch = e->children; ch && k->filters && k->meta; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		c->line++;
		if (is_el(ch, "intent-filter"))
			read_filter(c, ch, &k->filters[k->n_filters++]);
		else if (is_el(ch, "meta-data"))
			read_meta(c, ch, &k->meta[k->n_meta++]);
		c->line += n_desc(ch);
	}
	bool explicit_;
	bool exp = get_bool(c, e, "exported", false, &explicit_);
	k->exported_explicit = explicit_;
	if (explicit_)
		k->exported = exp;
	else if (kind == AP_COMP_PROVIDER)
		k->exported = false; /* fixed once target_sdk is known (< 17 exports providers) */
	else
		k->exported = k->n_filters > 0;
}

static void read_application(struct ctx *c, xmlNodePtr app)
{
	struct ap_manifest *m = c->m;
	m->app_name = class_name(c, aget(c, app, "name"));
	m->debuggable = get_bool(c, app, "debuggable", false, NULL);
	m->allow_backup = get_bool(c, app, "allowBackup", true, NULL);
	m->has_code = get_bool(c, app, "hasCode", true, NULL);
	bool ct = get_bool(c, app, "usesCleartextTraffic", true, &m->uses_cleartext_explicit);
	m->uses_cleartext = ct; /* default fixed after target_sdk is known */
	m->network_security_config = aget(c, app, "networkSecurityConfig");
	m->app_component_factory = class_name(c, aget(c, app, "appComponentFactory"));
	m->app_label_raw = aget(c, app, "label");

	size_t nch = n_children(app);
	c->cap_comps = nch;
	m->comps = ap_arena_calloc(c->arena, nch ? nch : 1, sizeof(*m->comps));
	m->app_meta = ap_arena_calloc(c->arena, nch ? nch : 1, sizeof(*m->app_meta));
	if (!m->comps || !m->app_meta)
		return;
	static const struct { const char *tag; enum ap_comp_kind kind; } kinds[] = {
		{"activity", AP_COMP_ACTIVITY}, {"service", AP_COMP_SERVICE},
		{"receiver", AP_COMP_RECEIVER}, {"provider", AP_COMP_PROVIDER},
		{"activity-alias", AP_COMP_ALIAS}};
	for (xmlNodePtr e = app->children; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		unsigned line = ++c->line;
		bool done = false;
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && !done; i++)
			if (is_el(e, kinds[i].tag)) {
				read_component(c, e, kinds[i].kind, line);
				done = true;
			}
		if (!done && is_el(e, "meta-data"))
			read_meta(c, e, &m->app_meta[m->n_app_meta++]);
		else if (!done)
			c->line += n_desc(e);
	}
}

static void read_queries(struct ctx *c, xmlNodePtr q)
{
	struct ap_manifest *m = c->m;
	size_t k = n_children(q);
	if (!k)
		return;
	char **pk = ap_arena_calloc(c->arena, m->n_query_packages + k, sizeof(char *));
	char **pv = ap_arena_calloc(c->arena, m->n_query_providers + k, sizeof(char *));
	struct ap_mf_intent_filter *in =
		ap_arena_calloc(c->arena, m->n_query_intents + k, sizeof(*in));
	if (!pk || !pv || !in)
		return;
	/* several <queries> elements add up */
	if (m->n_query_packages)
		memcpy(pk, m->query_packages, m->n_query_packages * sizeof(char *));
	if (m->n_query_providers)
		memcpy(pv, m->query_providers, m->n_query_providers * sizeof(char *));
	if (m->n_query_intents)
		memcpy(in, m->query_intents, m->n_query_intents * sizeof(*in));
	m->query_packages = pk;
	m->query_providers = pv;
	m->query_intents = in;
	for (xmlNodePtr e = q->children; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		c->line++;
		if (is_el(e, "package"))
			push_str(c, pk, &m->n_query_packages, aget(c, e, "name"));
		else if (is_el(e, "provider"))
			push_str(c, pv, &m->n_query_providers, aget(c, e, "authorities"));
		else if (is_el(e, "intent"))
			read_filter(c, e, &in[m->n_query_intents++]);
		c->line += n_desc(e);
	}
}

static void read_uses_permission(struct ctx *c, xmlNodePtr e, bool sdk23, unsigned line)
{
	struct ap_manifest *m = c->m;
	const char *name = aget(c, e, "name");
	if (!name || !*name)
		return;
	for (size_t i = 0; i < m->n_uses_perms; i++)
		if (strcmp(m->uses_perms[i].name, name) == 0)
			return; /* duplicates kept once: the first declaration */
	struct ap_mf_uses_permission *p = &m->uses_perms[m->n_uses_perms++];
	p->name = dup(c, name);
	p->max_sdk = get_int(c, e, "maxSdkVersion", 0);
	p->sdk23 = sdk23;
	p->line = line;
}

/* <uses-sdk>: numbers, or a preview codename (Android then treats the SDK as 10000). */
static void read_sdk(struct ctx *c, xmlNodePtr e)
{
	struct ap_manifest *m = c->m;
	int64_t v;
	m->min_sdk_str = aget(c, e, "minSdkVersion");
	m->target_sdk_str = aget(c, e, "targetSdkVersion");
	if (m->min_sdk_str)
		m->min_sdk = parse_int(c, m->min_sdk_str, &v) ? (int)v : 10000;
	if (m->target_sdk_str)
		m->target_sdk = parse_int(c, m->target_sdk_str, &v) ? (int)v : 10000;
	m->max_sdk = get_int(c, e, "maxSdkVersion", 0);
}

static void label(struct ctx *c)
{
	struct ap_manifest *m = c->m;
	const char *raw = m->app_label_raw;
	uint32_t id = ref_id(raw);
	if (!raw)
		return;
	if (!id) {
		m->label = dup(c, raw);
		return;
	}
	m->label_ref = dup(c, raw);
	m->label = dup(c, ap_arsc_string(c->arsc, id, ""));
	const char *zh = ap_arsc_string(c->arsc, id, "zh-rCN");
	if (zh && (!m->label || strcmp(zh, m->label) != 0))
		m->label_zh = dup(c, zh);
}

static void read_manifest(struct ctx *c, xmlNodePtr root)
{
	struct ap_manifest *m = c->m;
	xmlChar *pkg = xmlGetNoNsProp(root, (const xmlChar *)"package");
	m->package = dup(c, (const char *)pkg);
	xmlFree(pkg);
	if (!m->package)
		ap_anom_add(c->an, MOD, WHERE, AP_OFFSET_NONE, AP_ERR_FORMAT,
			    "<manifest> has no package attribute");
	int64_t vc, major = 0;
	bool have_vc = parse_int(c, aget(c, root, "versionCode"), &vc);
	parse_int(c, aget(c, root, "versionCodeMajor"), &major);
	m->version_code_minor = have_vc ? (int64_t)(uint32_t)vc : -1;
	m->version_code = have_vc ? (int64_t)(((uint64_t)(uint32_t)major << 32) | (uint32_t)vc) : -1;
	m->version_name = aget(c, root, "versionName");

	size_t nch = n_children(root);
	m->uses_perms = ap_arena_calloc(c->arena, nch ? nch : 1, sizeof(*m->uses_perms));
	m->perms = ap_arena_calloc(c->arena, nch ? nch : 1, sizeof(*m->perms));
	m->features = ap_arena_calloc(c->arena, nch ? nch : 1, sizeof(*m->features));
	if (!m->uses_perms || !m->perms || !m->features)
		return;
	bool seen_app = false, seen_sdk = false;
	c->line = 1;
	for (xmlNodePtr e = root->children; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		unsigned line = ++c->line;
		if (is_el(e, "uses-permission")) {
			read_uses_permission(c, e, false, line);
		} else if (is_el(e, "uses-permission-sdk-23") || is_el(e, "uses-permission-sdk-m")) {
			read_uses_permission(c, e, true, line);
		} else if (is_el(e, "permission")) {
			struct ap_mf_permission *p = &m->perms[m->n_perms++];
			p->name = aget(c, e, "name");
			p->protection = (char *)protection_name(c, aget(c, e, "protectionLevel"));
			p->line = line;
		} else if (is_el(e, "uses-feature")) {
			struct ap_mf_feature *f = &m->features[m->n_features++];
			f->name = aget(c, e, "name");
			f->required = get_bool(c, e, "required", true, NULL);
			f->gles_version = get_int(c, e, "glEsVersion", 0);
		} else if (is_el(e, "uses-sdk") && !seen_sdk) {
			seen_sdk = true; /* Android reads the first one */
			read_sdk(c, e);
		} else if (is_el(e, "application") && !seen_app) {
			seen_app = true;
			read_application(c, e);
			continue;
		} else if (is_el(e, "queries")) {
			read_queries(c, e);
			continue;
		}
		c->line += n_desc(e);
	}
}

static void apply_defaults(struct ctx *c)
{
	struct ap_manifest *m = c->m;
	if (!m->min_sdk_str)
		m->min_sdk = 1;
	if (!m->target_sdk_str)
		m->target_sdk = m->min_sdk;
	/* cleartext: allowed by default below API 28 */
	if (!m->uses_cleartext_explicit)
		m->uses_cleartext = m->target_sdk < 28;
	m->launcher = -1;
	for (size_t i = 0; i < m->n_comps; i++) {
		struct ap_mf_component *k = &m->comps[i];
		if (k->kind == AP_COMP_PROVIDER && !k->exported_explicit)
			k->exported = m->target_sdk < 17;
		if (m->launcher < 0 && (k->kind == AP_COMP_ACTIVITY || k->kind == AP_COMP_ALIAS))
			for (size_t j = 0; j < k->n_filters; j++)
				if (filter_is_launcher(&k->filters[j]))
					m->launcher = (int)i;
	}
}

int ap_mf_parse(const uint8_t *buf, size_t len, const struct ap_arsc *arsc,
		struct ap_anomalies *an, struct ap_manifest **out)
{
	*out = NULL;
	if (!buf || len < 8)
		return AP_ERR_FORMAT;
	struct ap_arena *arena = ap_arena_new(AP_MAX_MANIFEST_ARENA);
	if (!arena)
		return AP_ERR_NOMEM;
	xmlDocPtr doc = NULL;
	bool text = mf_is_text_xml(buf, len);
	int rc = text ? mf_text_to_doc(buf, len, an, &doc) : mf_axml_to_doc(buf, len, arena, an, &doc);
	if (!doc) {
		ap_arena_free(arena);
		return rc == AP_OK ? AP_ERR_FORMAT : rc;
	}
	xmlNodePtr root = xmlDocGetRootElement(doc);
	struct ap_manifest *m = ap_arena_alloc(arena, sizeof(*m));
	struct mf_impl *impl = ap_arena_alloc(arena, sizeof(*impl));
	if (!m || !impl || !is_el(root, "manifest")) {
		if (m && impl)
			ap_anom_add(an, MOD, WHERE, AP_OFFSET_NONE, AP_ERR_FORMAT,
				    "root element is <%s>, not <manifest>", (const char *)root->name);
		xmlFreeDoc(doc);
		ap_arena_free(arena);
		return m && impl ? AP_ERR_FORMAT : AP_ERR_LIMIT;
	}
	impl->arena = arena;
	impl->doc = doc;
	m->impl = impl;
	m->from_text_xml = text;
	m->launcher = -1;
	struct ctx c = {arena, an, arsc, m, 0, 0};
	read_manifest(&c, root);
	apply_defaults(&c);
	label(&c);
	if (arena->limit_hit) {
		ap_anom_add(an, MOD, WHERE, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "manifest model exceeds %u bytes; partial", AP_MAX_MANIFEST_ARENA);
		rc = AP_ERR_LIMIT;
	}
	*out = m;
	return rc == AP_ERR_LIMIT ? AP_ERR_LIMIT : AP_OK;
}

void ap_mf_free(struct ap_manifest *m)
{
	if (!m)
		return;
	struct mf_impl *impl = m->impl;
	xmlFreeDoc(impl->doc);
	ap_arena_free(impl->arena); /* m itself lives in the arena */
}

const char *ap_comp_kind_name(enum ap_comp_kind k)
{
	switch (k) {
	case AP_COMP_ACTIVITY: return "activity";
	case AP_COMP_SERVICE: return "service";
	case AP_COMP_RECEIVER: return "receiver";
	case AP_COMP_PROVIDER: return "provider";
	case AP_COMP_ALIAS: return "activity-alias";
	}
	return "unknown";
}

bool ap_mf_declares(const struct ap_manifest *m, const char *perm)
{
	for (size_t i = 0; m && perm && i < m->n_uses_perms; i++)
		if (strcmp(m->uses_perms[i].name, perm) == 0)
			return true;
	return false;
}
