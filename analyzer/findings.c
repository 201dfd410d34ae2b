/* Findings for the rules that need no reachability (regulation.md 7.3): R04 non-necessary
 * permission, R05 non-necessary PI API, R06 immutable identifier, R07 app list, R11 third-party
 * SDK PI, R12 sensitive PI, R13 cross-border indicator, R14 camera/microphone, R15 broad storage,
 * R16 self-start receivers, R17 motion sensors in ad code, R18 hidden access, R20 no consent gate.
 * Titles, severities, refs and
 * remediation come from the KB (rules.json); the message says what this app does. */
#include "scan.h"

#include "manifest/manifest.h"
#include "rules/kb.h"

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

struct fl {
	struct ap_scan *s;
	struct ap_finding *v;
	size_t n, cap;
	size_t dropped;
	const struct ap_kb_rule **rules; /* rules that fired, in first-fired order */
	size_t n_rules;
	struct ap_buf msg;
};

static int lowest_dim(unsigned bits)
{
	for (int d = 1; d <= 3; d++)
		if (bits & (1u << d))
			return d;
	return 1;
}

static void note_rule(struct fl *f, const struct ap_kb_rule *r)
{
	for (size_t i = 0; i < f->n_rules; i++)
		if (f->rules[i] == r)
			return;
	const struct ap_kb_rule **q = realloc(f->rules, (f->n_rules + 1) * sizeof *q);
	if (!q)
		return;
	f->rules = q;
	f->rules[f->n_rules++] = r;
}

static const struct ap_ref *make_refs(struct ap_scan *s, const struct ap_kb_rule *r, size_t *n)
{
	*n = 0;
	if (!r->refs.n)
		return NULL;
	struct ap_ref *v = ap_arena_calloc(s->arena, r->refs.n, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < r->refs.n; i++) {
		v[i].id = r->refs.v[i];
		v[i].text = ap_kb_ref_text(s->kb, r->refs.v[i]);
	}
	*n = r->refs.n;
	return v;
}

/* A new finding of rule id with the message in f->msg; NULL when the KB lacks the rule or the
 * cap is reached. */
static struct ap_finding *add(struct fl *f, const char *id, bool escalated, const char *category,
			      const char *owner)
{
	const struct ap_kb_rule *r = ap_kb_rule(f->s->kb, id);
	if (!r) {
		ap_buf_reset(&f->msg);
		return NULL;
	}
	if (f->n >= AP_MAX_FINDINGS) {
		f->dropped++;
		ap_buf_reset(&f->msg);
		return NULL;
	}
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 32;
		struct ap_finding *q = realloc(f->v, nc * sizeof *q);
		if (!q) {
			ap_buf_reset(&f->msg);
			return NULL;
		}
		f->v = q;
		f->cap = nc;
	}
	struct ap_finding *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->rule = r->id;
	x->title = r->title;
	x->severity = (enum ap_severity)(escalated ? r->severity_escalated : r->severity);
	x->dimension = lowest_dim(r->dimensions);
	x->message = f->msg.data ? ap_arena_strdup(f->s->arena, f->msg.data) : r->title;
	x->category = category;
	x->owner = owner;
	x->confidence = "high";
	x->refs = make_refs(f->s, r, &x->n_refs);
	x->remediation = r->remediation;
	note_rule(f, r);
	ap_buf_reset(&f->msg);
	return x;
}

/* Past AP_MAX_FINDINGS: one anomaly, and the report says it is partial (the kept findings are
 * the first ones in rule order). */
void ap_scan_findings_dropped(struct ap_report *r, struct ap_anomalies *an, size_t dropped)
{
	ap_anom_add(an, "scan", r->path, AP_OFFSET_NONE, AP_ERR_LIMIT,
		    "%zu findings past the cap of %u (AP_MAX_FINDINGS) were dropped", dropped,
		    AP_MAX_FINDINGS);
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_addf(&b, "%s%s%zu findings past AP_MAX_FINDINGS dropped",
		    r->partial_reason ? r->partial_reason : "", r->partial_reason ? "; " : "", dropped);
	char *why = b.data ? ap_arena_strdup(r->arena, b.data) : NULL;
	ap_buf_free(&b);
	r->partial = true;
	if (why)
		r->partial_reason = why;
}

static const struct ap_scan_cat *cat_of(const struct ap_scan *s, const char *id,
					const struct ap_kb_category **out)
{
	const struct ap_kb_category *c = ap_kb_category(s->kb, id);
	size_t i = c ? ap_scan_cat_index(s, c) : SIZE_MAX;
	if (out)
		*out = c;
	return i == SIZE_MAX ? NULL : &s->cats[i];
}

static bool is_code(const struct ap_evidence *e)
{
	return e->via == AP_VIA_DEX_API || e->via == AP_VIA_DEX_STRING ||
	       e->via == AP_VIA_REFLECTION || e->via == AP_VIA_NATIVE;
}

/* Copies the evidence of sc that passes the filter (owner NULL = any; code_only) into x. */
static void attach(struct fl *f, struct ap_finding *x, const struct ap_scan_cat *sc,
		   const char *owner, bool code_only)
{
	if (!x || !sc)
		return;
	size_t n = 0;
	for (size_t i = 0; i < sc->n; i++)
		if ((!owner || (sc->ev[i].owner && strcmp(sc->ev[i].owner, owner) == 0)) &&
		    (!code_only || is_code(&sc->ev[i])))
			n++;
	if (n > AP_MAX_FINDING_EVIDENCE)
		n = AP_MAX_FINDING_EVIDENCE;
	if (!n)
		return;
	struct ap_evidence *v = ap_arena_calloc(f->s->arena, n + x->n_evidence, sizeof *v);
	if (!v)
		return;
	if (x->n_evidence)
		memcpy(v, x->evidence, x->n_evidence * sizeof *v);
	size_t k = x->n_evidence;
	bool any_api = false;
	for (size_t i = 0; i < sc->n && k < n + x->n_evidence; i++)
		if ((!owner || (sc->ev[i].owner && strcmp(sc->ev[i].owner, owner) == 0)) &&
		    (!code_only || is_code(&sc->ev[i]))) {
			v[k++] = sc->ev[i];
			any_api |= sc->ev[i].via == AP_VIA_DEX_API;
		}
	x->evidence = v;
	x->n_evidence = k;
	if (code_only && !any_api)
		x->confidence = "medium";
}

static void attach_one(struct fl *f, struct ap_finding *x, const struct ap_evidence *e)
{
	if (!x)
		return;
	struct ap_evidence *v = ap_arena_calloc(f->s->arena, x->n_evidence + 1, sizeof *v);
	if (!v)
		return;
	if (x->n_evidence)
		memcpy(v, x->evidence, x->n_evidence * sizeof *v);
	v[x->n_evidence++] = *e;
	x->evidence = v;
}

/* Distinct owners of code evidence in sc, in first-seen order. */
static size_t owners(const struct ap_scan_cat *sc, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < sc->n; i++) {
		if (!is_code(&sc->ev[i]) || !sc->ev[i].owner)
			continue;
		size_t k = 0;
		while (k < n && strcmp(out[k], sc->ev[i].owner) != 0)
			k++;
		if (k == n && n < max)
			out[n++] = sc->ev[i].owner;
	}
	return n;
}

static const char *short_perm(const char *p)
{
	const char *d = strrchr(p, '.');
	return d && strncmp(p, "android.permission.", 19) == 0 ? d + 1 : p;
}

static const char *type_name(const struct ap_scan *s)
{
	return s->type ? s->type->name_en : "this app type";
}

static const char *who(const char *owner)
{
	return strcmp(owner, "first_party") == 0 ? "the app's own code" : owner;
}

/* ---- permission rules ---------------------------------------------------------------------- */

/* A permission is needed when the PI it is used for (its categories with code evidence) is
 * necessary for the type; when the code uses none of them, when any of its categories is. So
 * READ_PHONE_STATE used only for the IMEI is not excused in a map app by location.cell. */
static bool perm_needed(const struct ap_scan *s, const struct ap_rep_permission *p)
{
	if (!s->type)
		return false;
	bool any_code = false, need_code = false, need_any = false;
	for (size_t k = 0; k < p->n_pi; k++) {
		bool need = ap_kb_app_type_needs(s->kb, s->type, p->pi[k]);
		const struct ap_scan_cat *sc = cat_of(s, p->pi[k], NULL);
		need_any |= need;
		if (sc && sc->n_code) {
			any_code = true;
			need_code |= need;
		}
	}
	return any_code ? need_code : need_any;
}

static struct ap_evidence perm_ev(const struct ap_rep_permission *p, const char *cat)
{
	struct ap_evidence e = {.via = AP_VIA_PERMISSION, .owner = "first_party", .api = p->name,
				.category = cat, .pc = -1, .offset = -1, .reachable = -1};
	return e;
}

static void r04(struct fl *f)
{
	struct ap_scan *s = f->s;
	for (size_t i = 0; i < s->r->n_permissions; i++) {
		const struct ap_rep_permission *p = &s->r->permissions[i];
		if (!p->declared || !p->dangerous || !p->n_pi || perm_needed(s, p))
			continue;
		const struct ap_kb_category *c = ap_kb_category(s->kb, p->pi[0]);
		ap_buf_addf(&f->msg, "%s is declared (dangerous, gives %s)%s, but %s needs no %s for "
			    "its basic function",
			    short_perm(p->name), c ? c->name_en : p->pi[0],
			    p->used == 1 ? " and used" : p->used == 0 ? " but not used" : "",
			    type_name(s), c ? c->name_en : p->pi[0]);
		struct ap_finding *x = add(f, "R04", false, p->pi[0], "first_party");
		struct ap_evidence e = perm_ev(p, p->pi[0]);
		attach_one(f, x, &e);
	}
}

static bool declared_str(const struct ap_scan *s, const char *perm)
{
	for (size_t i = 0; i < s->r->n_permissions; i++)
		if (s->r->permissions[i].declared && strcmp(s->r->permissions[i].name, perm) == 0)
			return true;
	return false;
}

static void r14_r15(struct fl *f)
{
	struct ap_scan *s = f->s;
	static const struct { const char *perm, *cat; } cm[] = {
		{"android.permission.CAMERA", "camera"},
		{"android.permission.RECORD_AUDIO", "audio.microphone"},
	};
	for (size_t i = 0; i < sizeof cm / sizeof cm[0]; i++) {
		const struct ap_kb_category *c = ap_kb_category(s->kb, cm[i].cat);
		const char *cat = c ? c->id : cm[i].cat;
		bool needed = s->type && ap_kb_app_type_needs(s->kb, s->type, cat);
		const struct ap_scan_cat *sc = cat_of(s, cat, NULL);
		bool used = sc && sc->n_code;
		if (needed || (!declared_str(s, cm[i].perm) && !used))
			continue;
		ap_buf_addf(&f->msg, "%s %s, which %s does not need for its basic function",
			    short_perm(cm[i].perm), used ? "is used" : "is declared", type_name(s));
		struct ap_finding *x = add(f, "R14", false, cat, "first_party");
		for (size_t k = 0; x && k < s->r->n_permissions; k++)
			if (strcmp(s->r->permissions[k].name, cm[i].perm) == 0) {
				struct ap_evidence e = perm_ev(&s->r->permissions[k], cat);
				attach_one(f, x, &e);
			}
		attach(f, x, sc, NULL, true);
	}
	static const char *const broad[] = {"android.permission.MANAGE_EXTERNAL_STORAGE",
					    "android.permission.READ_MEDIA_IMAGES",
					    "android.permission.READ_MEDIA_VIDEO",
					    "android.permission.READ_EXTERNAL_STORAGE"};
	for (size_t i = 0; i < sizeof broad / sizeof broad[0]; i++) {
		if (!declared_str(s, broad[i]))
			continue;
		if (i == 3 && s->r->target_sdk < 33)
			continue; /* before Android 13 there was no narrower media permission */
		const struct ap_kb_permission *kp = ap_kb_permission(s->kb, broad[i]);
		const char *cat = kp && kp->pi.n ? kp->pi.v[0] : NULL;
		if (cat && s->type && ap_kb_app_type_needs(s->kb, s->type, cat))
			continue;
		ap_buf_addf(&f->msg, "%s is declared; the system photo picker or scoped storage "
			    "would do for %s", short_perm(broad[i]), type_name(s));
		struct ap_finding *x = add(f, "R15", false, cat, "first_party");
		for (size_t k = 0; x && k < s->r->n_permissions; k++)
			if (strcmp(s->r->permissions[k].name, broad[i]) == 0) {
				struct ap_evidence e = perm_ev(&s->r->permissions[k], cat);
				attach_one(f, x, &e);
			}
	}
}

/* ---- code rules ---------------------------------------------------------------------------- */

#define MAX_OWNERS 32

static void r05_r06(struct fl *f)
{
	struct ap_scan *s = f->s;
	bool no_pi = s->type && s->type->no_pi_needed;
	for (size_t i = 0; i < s->n_cats; i++) {
		const struct ap_scan_cat *sc = &s->cats[i];
		if (!sc->n_code)
			continue;
		const struct ap_kb_category *c = ap_scan_cat_at(s, i);
		bool needed = s->type && ap_kb_app_type_needs(s->kb, s->type, c->id);
		const char *ow[MAX_OWNERS];
		size_t no = owners(sc, ow, MAX_OWNERS);
		for (size_t k = 0; k < no; k++) {
			if (!needed) {
				ap_buf_addf(&f->msg, "%s can collect %s, which %s does not need for "
					    "its basic function", who(ow[k]), c->name_en, type_name(s));
				attach(f, add(f, "R05", no_pi, c->id, ow[k]), sc, ow[k], true);
			}
			if (c->immutable) {
				ap_buf_addf(&f->msg, "%s reads the %s, a non-resettable identifier",
					    who(ow[k]), c->name_en);
				attach(f, add(f, "R06", no_pi, c->id, ow[k]), sc, ow[k], true);
			}
		}
	}
}

static void r07(struct fl *f)
{
	struct ap_scan *s = f->s;
	const struct ap_kb_category *c;
	const struct ap_scan_cat *sc = cat_of(s, "app_list", &c);
	if (!c)
		return;
	const char *ow[MAX_OWNERS];
	size_t no = sc ? owners(sc, ow, MAX_OWNERS) : 0;
	for (size_t k = 0; k < no; k++) {
		bool sdk = strncmp(ow[k], "sdk:", 4) == 0;
		ap_buf_addf(&f->msg, "%s lists the installed apps%s", who(ow[k]),
			    declared_str(s, "android.permission.QUERY_ALL_PACKAGES")
				    ? " (QUERY_ALL_PACKAGES is declared)" : "");
		attach(f, add(f, "R07", sdk, c->id, ow[k]), sc, ow[k], true);
	}
	if (!no && declared_str(s, "android.permission.QUERY_ALL_PACKAGES")) {
		ap_buf_addf(&f->msg, "QUERY_ALL_PACKAGES is declared: the app can see every installed "
			    "app%s", "");
		struct ap_finding *x = add(f, "R07", false, c->id, "first_party");
		for (size_t k = 0; x && k < s->r->n_permissions; k++)
			if (strcmp(s->r->permissions[k].name,
				   "android.permission.QUERY_ALL_PACKAGES") == 0) {
				struct ap_evidence e = perm_ev(&s->r->permissions[k], c->id);
				attach_one(f, x, &e);
			}
	}
}

static void r11_r13(struct fl *f)
{
	struct ap_scan *s = f->s;
	for (size_t i = 0; i < s->r->n_sdks; i++) {
		const struct ap_rep_sdk *sdk = &s->r->sdks[i];
		const struct ap_kb_sdk *ks = ap_kb_sdk(s->kb, sdk->id);
		const char *owner = NULL;
		/* the owner string used by the evidence */
		for (size_t c = 0; c < s->n_cats && !owner; c++)
			for (size_t e = 0; e < s->cats[c].n; e++)
				if (s->cats[c].ev[e].owner && strncmp(s->cats[c].ev[e].owner, "sdk:", 4) == 0 &&
				    strcmp(s->cats[c].ev[e].owner + 4, sdk->id) == 0) {
					owner = s->cats[c].ev[e].owner;
					break;
				}
		bool foreign = sdk->country && *sdk->country && strcmp(sdk->country, "CN") != 0;
		if (sdk->n_pi && owner) {
			/* severity: high when a sensitive/immutable category is not necessary, low
			 * when every category is necessary for the type, medium otherwise */
			bool hot = false, all_needed = true;
			const char *worst = sdk->pi[0];
			for (size_t k = 0; k < sdk->n_pi; k++) {
				const struct ap_kb_category *c = ap_kb_category(s->kb, sdk->pi[k]);
				bool need = s->type && ap_kb_app_type_needs(s->kb, s->type, sdk->pi[k]);
				all_needed &= need;
				if (c && !need && (c->sensitive || c->immutable) && !hot) {
					hot = true;
					worst = c->id;
				}
			}
			ap_buf_addf(&f->msg, "%s SDK (%s, %s) collects ", sdk->name,
				    sdk->vendor ? sdk->vendor : "?",
				    sdk->country && *sdk->country ? sdk->country : "?");
			for (size_t k = 0; k < sdk->n_pi; k++) {
				const struct ap_kb_category *c = ap_kb_category(s->kb, sdk->pi[k]);
				ap_buf_addf(&f->msg, "%s%s", k ? ", " : "", c ? c->name_en : sdk->pi[k]);
			}
			ap_buf_addf(&f->msg, "%s", all_needed ? " (necessary for the type)" : "");
			struct ap_finding *x = add(f, "R11", hot, worst, owner);
			if (x && all_needed && !hot)
				x->severity = AP_SEV_LOW;
			for (size_t k = 0; x && k < sdk->n_pi; k++)
				attach(f, x, cat_of(s, sdk->pi[k], NULL), owner, true);
		} else if (ks && ks->known_pi.n) {
			ap_buf_addf(&f->msg, "%s SDK (%s) is bundled (%zu classes) and is known to "
				    "collect ", sdk->name, sdk->vendor ? sdk->vendor : "?",
				    sdk->classes);
			for (size_t k = 0; k < ks->known_pi.n; k++)
				ap_buf_addf(&f->msg, "%s%s", k ? ", " : "", ks->known_pi.v[k]);
			ap_buf_adds(&f->msg, "; no call site of it was seen");
			struct ap_finding *x = add(f, "R11", false, ks->known_pi.v[0], NULL);
			if (x) {
				x->severity = AP_SEV_LOW;
				x->confidence = "low";
				struct ap_buf o = AP_BUF_INIT;
				ap_buf_addf(&o, "sdk:%s", sdk->id);
				x->owner = o.data ? ap_arena_strdup(s->arena, o.data) : NULL;
				ap_buf_free(&o);
			}
		}
		if (foreign && (owner || (ks && ks->known_pi.n))) {
			ap_buf_addf(&f->msg, "%s SDK is from %s (%s)%s: personal information it "
				    "collects may be processed outside China", sdk->name,
				    sdk->vendor ? sdk->vendor : "?", sdk->country,
				    owner ? " and collects personal information here" : "");
			struct ap_finding *x = add(f, "R13", false, sdk->n_pi ? sdk->pi[0] : NULL,
						   owner);
			if (x && !owner)
				x->confidence = "low";
		}
	}
}

static void r12_r18(struct fl *f)
{
	struct ap_scan *s = f->s;
	for (size_t i = 0; i < s->n_cats; i++) {
		const struct ap_scan_cat *sc = &s->cats[i];
		if (!sc->n_code)
			continue;
		const struct ap_kb_category *c = ap_scan_cat_at(s, i);
		bool needed = s->type && ap_kb_app_type_needs(s->kb, s->type, c->id);
		if (c->sensitive && c->device_api) {
			ap_buf_addf(&f->msg, "the app can process %s, sensitive personal information%s",
				    c->name_en,
				    needed ? " (necessary for the type: needs separate consent)"
					   : " not needed by the type");
			struct ap_finding *x = add(f, "R12", !needed, c->id, NULL);
			attach(f, x, sc, NULL, true);
		}
		size_t hidden = 0;
		for (size_t e = 0; e < sc->n; e++)
			if (sc->ev[e].via == AP_VIA_REFLECTION || sc->ev[e].via == AP_VIA_NATIVE)
				hidden++;
		if (hidden) {
			ap_buf_addf(&f->msg, "%s is reached through reflection or native code (%zu "
				    "sites)", c->name_en, hidden);
			struct ap_finding *x = add(f, "R18", false, c->id, NULL);
			if (x) {
				struct ap_scan_cat only = {0};
				struct ap_evidence *v = calloc(hidden, sizeof *v);
				if (v) {
					for (size_t e = 0; e < sc->n; e++)
						if (sc->ev[e].via == AP_VIA_REFLECTION ||
						    sc->ev[e].via == AP_VIA_NATIVE)
							v[only.n++] = sc->ev[e];
					only.ev = v;
					attach(f, x, &only, NULL, true);
					free(v);
				}
			}
		}
	}
}

static void r16(struct fl *f)
{
	struct ap_scan *s = f->s;
	const struct ap_manifest *m = s->mf;
	static const char *const acts[] = {"android.intent.action.BOOT_COMPLETED",
					   "android.intent.action.LOCKED_BOOT_COMPLETED",
					   "android.net.conn.CONNECTIVITY_CHANGE",
					   "android.intent.action.USER_PRESENT",
					   "android.intent.action.QUICKBOOT_POWERON"};
	for (size_t i = 0; m && i < m->n_comps; i++) {
		const struct ap_mf_component *c = &m->comps[i];
		if (c->kind != AP_COMP_RECEIVER || !c->name)
			continue;
		for (size_t fi = 0; fi < c->n_filters; fi++) {
			const struct ap_mf_intent_filter *flt = &c->filters[fi];
			const char *hit = NULL;
			for (size_t a = 0; a < flt->n_actions && !hit; a++)
				for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++)
					if (flt->actions[a] && strcmp(flt->actions[a], acts[k]) == 0)
						hit = acts[k];
			if (!hit)
				continue;
			struct ap_buf d = AP_BUF_INIT;
			ap_buf_addf(&d, "L%s;", c->name);
			for (char *p = d.data; p && *p; p++)
				if (*p == '.')
					*p = '/';
			const char *owner = ap_scan_owner_for_class(s, d.data ? d.data : "");
			ap_buf_free(&d);
			ap_buf_addf(&f->msg, "receiver %s starts on %s", c->name, hit);
			struct ap_finding *x = add(f, "R16", false, NULL, owner);
			struct ap_evidence e = {.via = AP_VIA_MANIFEST, .owner = owner, .api = hit,
						.pc = -1, .offset = -1, .reachable = -1,
						.detail = ap_arena_strndup(s->arena, c->name,
									   strnlen(c->name, AP_MAX_STRING_REPORT))};
			attach_one(f, x, &e);
			break;
		}
	}
}

/* R17: an advertising SDK's own code reads the motion sensors, which is how shake-to-open ad
 * formats work (MIIT 2023 No. 26 names them). One finding per such SDK, with its call sites;
 * the same calls in first-party or non-advertising SDK code are left to R05. */
static void r17(struct fl *f)
{
	struct ap_scan *s = f->s;
	const struct ap_kb_category *c;
	const struct ap_scan_cat *sc = cat_of(s, "sensors.motion", &c);
	if (!sc || !sc->n_code)
		return;
	/* the advertising SDKs among the owners, in first-seen order (at most one per KB SDK) */
	size_t cap = ap_kb_sdk_count(s->kb), n = 0;
	struct ad { const struct ap_kb_sdk *sdk; const char *owner; size_t sites; } *ads =
		calloc(cap ? cap : 1, sizeof *ads);
	if (!ads)
		return;
	for (size_t i = 0; i < sc->n; i++) {
		const char *owner = sc->ev[i].owner;
		if (!is_code(&sc->ev[i]) || !owner || strncmp(owner, "sdk:", 4) != 0)
			continue;
		size_t k = 0;
		while (k < n && strcmp(ads[k].owner, owner) != 0)
			k++;
		if (k == n) {
			const struct ap_kb_sdk *sdk = ap_kb_sdk(s->kb, owner + 4);
			if (!sdk || !sdk->category || strcmp(sdk->category, "advertising") != 0 ||
			    n == cap)
				continue;
			ads[n++] = (struct ad){sdk, owner, 0};
		}
		ads[k].sites++;
	}
	for (size_t k = 0; k < n; k++) {
		ap_buf_addf(&f->msg, "the advertising SDK %s reads the motion sensors (%zu call "
			    "site%s): the shake-to-open ad format", ads[k].sdk->name, ads[k].sites,
			    ads[k].sites == 1 ? "" : "s");
		struct ap_finding *x = add(f, "R17", false, c->id, ads[k].owner);
		attach(f, x, sc, ads[k].owner, true);
	}
	free(ads);
}

static void r20(struct fl *f)
{
	struct ap_scan *s = f->s;
	size_t code = 0;
	for (size_t i = 0; i < s->n_cats; i++)
		code += s->cats[i].n_code;
	if (!code || s->privacy_hint)
		return;
	ap_buf_addf(&f->msg, "the app collects personal information but no privacy-policy text, "
		    "URL or consent flag was found in its code%s", "");
	struct ap_finding *x = add(f, "R20", false, NULL, NULL);
	if (x)
		x->confidence = "low";
}

/* A finding whose code evidence all lies in hidden code (dexsrc.h) rests on code ART does not
 * load at start: it runs only if the app loads it, so its confidence drops -- to medium when the
 * root code calls a class loader, to low when it does not -- and its message says why. */
static void hidden_only(struct fl *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct ap_finding *x = &f->v[i];
		size_t code = 0, hidden = 0;
		for (size_t e = 0; e < x->n_evidence; e++)
			if (is_code(&x->evidence[e])) {
				code++;
				hidden += x->evidence[e].hidden;
			}
		if (!code || hidden != code)
			continue;
		bool low = !f->s->loader_call || strcmp(x->confidence, "low") == 0;
		x->confidence = low ? "low" : "medium";
		ap_buf_reset(&f->msg);
		ap_buf_addf(&f->msg, "%s; seen only in hidden code, which runs if the app loads it at "
			    "run time (%s)", x->message,
			    f->s->loader_call ? "the app calls a class loader" : "no class loader call "
			    "was found in the app's code");
		if (f->msg.data)
			x->message = ap_arena_strdup(f->s->arena, f->msg.data);
		ap_buf_reset(&f->msg);
	}
}

int ap_scan_findings(struct ap_scan *s)
{
	struct fl f = {.s = s, .msg = AP_BUF_INIT};
	r04(&f);
	r05_r06(&f);
	r07(&f);
	r11_r13(&f);
	r12_r18(&f);
	r14_r15(&f);
	r16(&f);
	r17(&f);
	r20(&f);
	hidden_only(&f);
	int rc = AP_OK;
	struct ap_report *r = s->r;
	if (f.n) {
		r->findings = ap_arena_calloc(s->arena, f.n, sizeof *r->findings);
		if (!r->findings)
			rc = AP_ERR_NOMEM;
		else {
			memcpy(r->findings, f.v, f.n * sizeof *f.v);
			r->n_findings = f.n;
		}
	}
	if (f.n_rules && rc == AP_OK) {
		r->rules = ap_arena_calloc(s->arena, f.n_rules, sizeof *r->rules);
		if (!r->rules)
			rc = AP_ERR_NOMEM;
		for (size_t i = 0; r->rules && i < f.n_rules; i++) {
			const struct ap_kb_rule *k = f.rules[i];
			struct ap_rep_rule *d = &r->rules[i];
			d->id = k->id;
			d->title = k->title;
			d->help = k->trigger;
			d->severity = (enum ap_severity)k->severity;
			d->dimension = lowest_dim(k->dimensions);
			d->refs = make_refs(s, k, &d->n_refs);
			d->remediation = k->remediation;
		}
		if (r->rules)
			r->n_rules = f.n_rules;
	}
	if (f.dropped)
		ap_scan_findings_dropped(r, s->an, f.dropped);
	free(f.v);
	free(f.rules);
	ap_buf_free(&f.msg);
	return rc;
}
