/* The rules that need reachability (regulation.md 7.3): R01 PI collected at startup before
 * consent, R02 SDK initialised at startup, R03 permissions requested in bulk at launch, R08
 * clipboard read without user action, R09 location in the background, R10 high-frequency
 * collection; and R16 (self-start receivers) gains what each receiver reaches. A consent-gate
 * heuristic lowers R01/R02 to low confidence and says so. */
#include "findings_reach_int.h"

#include "dex/dex.h"
#include "manifest/manifest.h"
#include "report_model.h"
#include "rules/kb.h"
#include "scan.h"

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdlib.h>
#include <string.h>

/* requestLocationUpdates(minTime) below this is high-frequency (R10) */
#define R10_MIN_INTERVAL_MS 60000

/* ---- constant arguments ------------------------------------------------------------------ */

static bool writes_no_register(uint8_t op)
{
	return (op >= 0x27 && op <= 0x2c) ||  /* throw, goto*, switches */
	       (op >= 0x32 && op <= 0x3d) ||  /* if-* */
	       (op >= 0x4b && op <= 0x51) ||  /* aput* */
	       (op >= 0x59 && op <= 0x5f) ||  /* iput* */
	       (op >= 0x67 && op <= 0x6d) ||  /* sput* */
	       (op >= 0x6e && op <= 0x78) ||  /* invoke* */
	       (op >= 0x0e && op <= 0x11) ||  /* return* */
	       op == 0x1d || op == 0x1e ||    /* monitor-enter/exit */
	       op == 0x1f || op == 0x26 ||    /* check-cast, fill-array-data */
	       op == 0x00;
}

bool ap_cg_const_arg(const struct ap_cg *cg, uint32_t node, uint32_t pc, unsigned arg,
		     int64_t *val)
{
	if (node >= cg->n_nodes)
		return false;
	const struct ap_cg_node *n = &cg->nodes[node];
	const struct ap_dex *dex = cg->dexes[n->dex];
	const struct ap_dex_method *m = ap_dex_method_def(dex, n->def);
	if (!m || !m->has_code || !m->registers || pc >= m->insns_size)
		return false;
	int64_t *v = calloc(m->registers, sizeof *v);
	uint8_t *known = calloc(m->registers, 1);
	bool ok = false;
	if (!v || !known)
		goto out_free_regs;
	struct ap_dex_insn in;
	uint32_t p = 0, steps = 0;
	/* an instruction is at least one code unit: the walk ends within insns_size steps, which
	 * the DEX parser keeps under AP_MAX_CODE_UNITS; the bound is only a guard */
	while (p < pc && steps++ < AP_MAX_CODE_UNITS) {
		uint32_t w = ap_dex_method_insn(dex, m, p, &in);
		if (!w)
			goto out_free_regs;
		uint8_t op = in.opcode;
		uint32_t a = in.a;
		if (in.fmt != AP_FMT_PAYLOAD && a < m->registers) {
			bool wide = (op >= 0x16 && op <= 0x19) || (op >= 0x04 && op <= 0x06);
			if (op >= 0x12 && op <= 0x19) {
				v[a] = in.literal;
				known[a] = 1;
				if (wide && a + 1 < m->registers)
					known[a + 1] = 0;
			} else if (op >= 0x01 && op <= 0x09) {
				uint32_t b = in.b;
				known[a] = b < m->registers && known[b];
				v[a] = known[a] ? v[b] : 0;
				if (wide && a + 1 < m->registers)
					known[a + 1] = 0;
			} else if (!writes_no_register(op)) {
				known[a] = 0;
				if (a + 1 < m->registers)
					known[a + 1] = 0; /* a wide result may have taken it */
			}
		}
		p += w;
	}
	if (p != pc || !ap_dex_method_insn(dex, m, pc, &in) || !ap_dex_opinfo(in.opcode)->invoke)
		goto out_free_regs;
	const struct ap_dex_method_id *mi = ap_dex_method_id(dex, in.index);
	const struct ap_dex_proto *pr = mi ? ap_dex_proto(dex, mi->proto_idx) : NULL;
	if (!pr || arg >= pr->n_params)
		goto out_free_regs;
	bool is_static = in.opcode == 0x71 || in.opcode == 0x77;
	uint32_t slot = is_static ? 0 : 1;
	for (unsigned i = 0; i < arg; i++) {
		const char *t = ap_dex_type(dex, pr->params[i]);
		slot += t && (t[0] == 'J' || t[0] == 'D') ? 2 : 1;
	}
	uint32_t reg;
	if (in.fmt == AP_FMT_35c || in.fmt == AP_FMT_45cc) {
		if (slot >= in.n_args || slot >= 5)
			goto out_free_regs;
		reg = in.args[slot];
	} else {
		if (slot >= in.n_args)
			goto out_free_regs;
		reg = in.c + slot;
	}
	if (reg < m->registers && known[reg]) {
		*val = v[reg];
		ok = true;
	}
out_free_regs:
	free(v);
	free(known);
	return ok;
}

/* ---- helpers ------------------------------------------------------------------------------ */

const struct ap_dex_method *rf_node_method(const struct ap_cg *cg, uint32_t node,
					       const struct ap_dex **dex)
{
	const struct ap_cg_node *n = &cg->nodes[node];
	*dex = cg->dexes[n->dex];
	return ap_dex_method_def(*dex, n->def);
}

static bool ci_contains(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++) {
		size_t i = 0;
		while (i < n && s[i] && (s[i] | 0x20) == (needle[i] | 0x20))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

static bool privacy_word(const char *s)
{
	static const char *const words[] = {"privacy", "agree", "consent", "policy", "protocol",
					    "\xe9\x9a\x90\xe7\xa7\x81" /* 隐私 */,
					    "\xe5\x90\x8c\xe6\x84\x8f" /* 同意 */,
					    "\xe7\x94\xa8\xe6\x88\xb7\xe5\x8d\x8f\xe8\xae\xae" /* 用户协议 */};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (ci_contains(s, words[i]))
			return true;
	return false;
}

/* Consent gate in one method: a SharedPreferences.getBoolean before `limit` (the call that
 * continues the path) with a privacy-ish constant string loaded in the method. *key gets it. */
static bool gate_in(const struct ap_cg *cg, uint32_t node, uint32_t limit, const char **key)
{
	const struct ap_dex *dex;
	const struct ap_dex_method *m = rf_node_method(cg, node, &dex);
	if (!m || !m->has_code)
		return false;
	size_t nc, ns;
	const struct ap_dex_call *calls = ap_dex_calls(dex, &nc);
	const struct ap_dex_string_load *sl = ap_dex_string_loads(dex, &ns);
	uint32_t gb_pc = AP_CG_NONE;
	uint32_t n_mids = ap_dex_counts(dex)->methods;
	for (uint32_t i = 0; i < m->calls_n && (size_t)m->calls_first + i < nc; i++) {
		const struct ap_dex_call *c = &calls[m->calls_first + i];
		if (c->pc >= limit || c->callee >= n_mids)
			continue;
		uint64_t k = cg->mid[cg->nodes[node].dex][c->callee];
		if (k == UINT64_MAX)
			continue;
		if (strcmp(cg->classes[(uint32_t)(k >> 32)].desc, "Landroid/content/SharedPreferences;") == 0 &&
		    strncmp(cg->sigs[(uint32_t)k], "getBoolean(", 11) == 0) {
			gb_pc = c->pc;
			break;
		}
	}
	if (gb_pc == AP_CG_NONE)
		return false;
	for (uint32_t i = 0; i < m->strings_n && (size_t)m->strings_first + i < ns; i++) {
		const char *s = ap_dex_string(dex, sl[m->strings_first + i].string_idx);
		if (s && privacy_word(s)) {
			*key = s;
			return true;
		}
	}
	return false;
}

/* Whether the startup path to node passes a consent gate; where and key say which. */
bool rf_path_gated(const struct ap_cg *cg, uint32_t node, uint32_t site_pc, uint32_t *where,
		       const char **key)
{
	uint32_t hops[AP_MAX_CALL_PATH], pcs[AP_MAX_CALL_PATH];
	size_t n = ap_cg_path(cg, node, AP_REACH_STARTUP, hops, pcs, AP_MAX_CALL_PATH);
	for (size_t i = 0; i < n; i++) {
		uint32_t limit = i + 1 < n ? pcs[i + 1] : site_pc;
		if (gate_in(cg, hops[i], limit, key)) {
			*where = hops[i];
			return true;
		}
	}
	return false;
}

void rf_short_name(const struct ap_cg *cg, uint32_t node, struct ap_buf *b)
{
	const char *desc = ap_cg_node_class(cg, node);
	const char *slash = strrchr(desc, '/');
	const char *s = slash ? slash + 1 : desc + 1;
	size_t n = strlen(s);
	if (n && s[n - 1] == ';')
		n--;
	ap_buf_add(b, s, n);
	ap_buf_addc(b, '.');
	const char *name = ap_cg_node_name(cg, node);
	ap_buf_adds(b, name ? name : "?");
}

void rf_path_text(const struct ap_cg *cg, uint32_t node, unsigned kind, struct ap_buf *b)
{
	uint32_t hops[AP_MAX_CALL_PATH];
	size_t n = ap_cg_path(cg, node, kind, hops, NULL, AP_MAX_CALL_PATH);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ap_buf_adds(b, " -> ");
		rf_short_name(cg, hops[i], b);
	}
}

int rf_lowest_dim(unsigned bits)
{
	for (int d = 1; d <= 3; d++)
		if (bits & (1u << d))
			return d;
	return 1;
}

bool rf_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void drop(struct rf *f, const char *rule, const char *category, const char *owner)
{
	for (size_t i = 0; i < f->n_dropped; i++)
		if (f->dropped[i].rule == rule && rf_same(f->dropped[i].category, category) &&
		    rf_same(f->dropped[i].owner, owner))
			return;
	struct dropped_key *q = realloc(f->dropped, (f->n_dropped + 1) * sizeof *q);
	if (!q) {
		f->nomem = true;
		return;
	}
	f->dropped = q;
	f->dropped[f->n_dropped++] = (struct dropped_key){rule, category, owner};
}

struct ap_finding *rf_add(struct rf *f, const char *id, const char *category,
			      const char *owner)
{
	const struct ap_kb_rule *r = ap_kb_rule(f->kb, id);
	if (r && f->r->n_findings + f->n >= AP_MAX_FINDINGS)
		drop(f, r->id, category, owner);
	if (!r || f->r->n_findings + f->n >= AP_MAX_FINDINGS) {
		ap_buf_reset(&f->msg);
		return NULL;
	}
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 16;
		struct ap_finding *q = realloc(f->v, nc * sizeof *q);
		if (!q) {
			f->nomem = true;
			return NULL;
		}
		f->v = q;
		f->cap = nc;
	}
	bool seen = false;
	for (size_t i = 0; i < f->n_rules && !seen; i++)
		seen = f->rules[i] == r;
	if (!seen) {
		const struct ap_kb_rule **q = realloc(f->rules, (f->n_rules + 1) * sizeof *q);
		if (!q) {
			f->nomem = true;
			return NULL;
		}
		f->rules = q;
		f->rules[f->n_rules++] = r;
	}
	struct ap_finding *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->rule = r->id;
	x->title = r->title;
	x->severity = (enum ap_severity)r->severity;
	x->dimension = rf_lowest_dim(r->dimensions);
	x->message = f->msg.data ? ap_arena_strdup(f->r->arena, f->msg.data) : r->title;
	x->category = category;
	x->owner = owner;
	x->confidence = "high";
	if (r->refs.n) {
		struct ap_ref *refs = ap_arena_calloc(f->r->arena, r->refs.n, sizeof *refs);
		for (size_t i = 0; refs && i < r->refs.n; i++) {
			refs[i].id = r->refs.v[i];
			refs[i].text = ap_kb_ref_text(f->kb, r->refs.v[i]);
		}
		x->refs = refs;
		x->n_refs = refs ? r->refs.n : 0;
	}
	x->remediation = r->remediation;
	ap_buf_reset(&f->msg);
	return x;
}

void rf_attach(struct rf *f, struct ap_finding *x, const struct ap_evidence *e)
{
	if (!x || x->n_evidence >= AP_MAX_FINDING_EVIDENCE)
		return;
	struct ap_evidence *v = ap_arena_calloc(f->r->arena, x->n_evidence + 1, sizeof *v);
	if (!v)
		return;
	if (x->n_evidence)
		memcpy(v, x->evidence, x->n_evidence * sizeof *v);
	v[x->n_evidence] = *e;
	x->evidence = v;
	x->n_evidence++;
}

const char *rf_cat_name(const struct rf *f, const char *cat)
{
	const struct ap_kb_category *c = cat ? ap_kb_category(f->kb, cat) : NULL;
	return c && c->name_en ? c->name_en : cat ? cat : "PI";
}

/* The finding of rule id for (category, owner) made in this pass, if any. */
struct ap_finding *rf_find_mine(struct rf *f, const char *id, const char *cat, const char *own)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].rule, id) == 0 && rf_same(f->v[i].category, cat) &&
		    rf_same(f->v[i].owner, own))
			return &f->v[i];
	return NULL;
}

static bool is_code(const struct ap_evidence *e)
{
	return (e->via == AP_VIA_DEX_API || e->via == AP_VIA_DEX_STRING) && e->method;
}

/* ---- R01 / R08 / R09 / R10: per PI call site ------------------------------------------------ */

static void r01(struct rf *f, const struct ap_rep_pi *pi, const struct ap_evidence *e, uint32_t node)
{
	const struct ap_kb_category *c = ap_kb_category(f->kb, pi->category);
	/* PI the app type needs for its basic function (a map's location) is not R01's concern:
	 * its collection still shows in the evidence and in R10/R12 */
	if (!(e->entries & AP_REACH_STARTUP) || (c && !c->device_api) || pi->necessary)
		return;
	uint32_t where = AP_CG_NONE;
	const char *key = NULL;
	bool gated = rf_path_gated(f->cg, node, e->pc >= 0 ? (uint32_t)e->pc : AP_CG_NONE, &where, &key);
	struct ap_finding *x = rf_find_mine(f, "R01", pi->category, e->owner);
	if (!x) {
		ap_buf_addf(&f->msg, "%s is read at startup, before the user can consent: ",
			    rf_cat_name(f, pi->category));
		rf_path_text(f->cg, node, AP_REACH_STARTUP, &f->msg);
		if (gated) {
			ap_buf_adds(&f->msg, ". The path first checks a stored consent flag (");
			rf_short_name(f->cg, where, &f->msg);
			ap_buf_adds(&f->msg, " reads SharedPreferences \"");
			ap_buf_add_escaped(&f->msg, key, strlen(key), 64);
			ap_buf_adds(&f->msg, "\"), so this may run only after consent: confidence "
					     "lowered to low");
		}
		x = rf_add(f, "R01", pi->category, e->owner);
		if (x && gated)
			x->confidence = "low";
	} else if (!gated && strcmp(x->confidence, "low") == 0) {
		/* an ungated path to the same data: full confidence again */
		x->confidence = "high";
		ap_buf_addf(&f->msg, "%s is read at startup, before the user can consent: ",
			    rf_cat_name(f, pi->category));
		rf_path_text(f->cg, node, AP_REACH_STARTUP, &f->msg);
		x->message = f->msg.data ? ap_arena_strdup(f->r->arena, f->msg.data) : x->message;
		ap_buf_reset(&f->msg);
	}
	rf_attach(f, x, e);
}

static void r08(struct rf *f, const struct ap_rep_pi *pi, const struct ap_evidence *e, uint32_t node)
{
	if (!ap_kb_category_within(f->kb, pi->category, "clipboard") ||
	    !(e->entries & (AP_REACH_STARTUP | AP_REACH_BACKGROUND)))
		return;
	struct ap_finding *x = rf_find_mine(f, "R08", pi->category, e->owner);
	if (!x) {
		unsigned kind = e->entries & AP_REACH_STARTUP ? AP_REACH_STARTUP : AP_REACH_BACKGROUND;
		ap_buf_addf(&f->msg, "The clipboard is read %s, with no user action: ",
			    kind == AP_REACH_STARTUP ? "when the app starts or resumes"
						     : "in the background");
		rf_path_text(f->cg, node, kind, &f->msg);
		x = rf_add(f, "R08", pi->category, e->owner);
	}
	rf_attach(f, x, e);
}

static bool location_needed(const struct ap_report *r)
{
	static const char *const types[] = {"map_navigation", "ride_hailing", "vehicle_services"};
	for (size_t i = 0; r->app_type && i < sizeof types / sizeof *types; i++)
		if (strcmp(r->app_type, types[i]) == 0)
			return true;
	return false;
}

static void r09(struct rf *f, const struct ap_rep_pi *pi, const struct ap_evidence *e, uint32_t node)
{
	/* every location.* category (precise, coarse, cell, wifi, background, track) */
	if (!pi->category || strncmp(pi->category, "location.", 9) != 0 ||
	    !(e->entries & AP_REACH_BACKGROUND) || location_needed(f->r))
		return;
	struct ap_finding *x = rf_find_mine(f, "R09", NULL, e->owner);
	if (!x) {
		ap_buf_adds(&f->msg, "Location is collected from background code: ");
		rf_path_text(f->cg, node, AP_REACH_BACKGROUND, &f->msg);
		const struct ap_cg_entry *en = ap_cg_path_entry(f->cg, node, AP_REACH_BACKGROUND);
		if (en && en->why)
			ap_buf_addf(&f->msg, " (a %s entry point)", en->why);
		x = rf_add(f, "R09", NULL, e->owner);
	}
	rf_attach(f, x, e);
}

static void r10(struct rf *f, const struct ap_rep_pi *pi, const struct ap_evidence *e, uint32_t node)
{
	bool rlu = e->via == AP_VIA_DEX_API && e->api &&
		   strncmp(e->api, "Landroid/location/LocationManager;->requestLocationUpdates(", 59) == 0;
	int64_t ms = -1;
	if (rlu && e->pc >= 0) {
		/* the first long parameter is minTime in every overload that has one */
		const char *p = strchr(e->api, '(');
		unsigned arg = 0, found = 0;
		for (p = p ? p + 1 : ""; *p && *p != ')' && !found; arg++) {
			while (*p == '[')
				p++;
			if (*p == 'J') {
				found = 1;
				break;
			}
			p = *p == 'L' && strchr(p, ';') ? strchr(p, ';') + 1 : p + 1;
		}
		int64_t v;
		if (found && ap_cg_const_arg(f->cg, node, (uint32_t)e->pc, arg, &v))
			ms = v;
	}
	bool fast = ms >= 0 && ms < R10_MIN_INTERVAL_MS;
	bool periodic = f->cg->periodic && f->cg->periodic[node] && e->via == AP_VIA_DEX_API;
	if (!fast && !periodic)
		return;
	struct ap_finding *x = rf_find_mine(f, "R10", pi->category, e->owner);
	if (!x) {
		if (fast)
			ap_buf_addf(&f->msg, "%s is requested every %lld ms (under %d s): ",
				    rf_cat_name(f, pi->category), (long long)ms, R10_MIN_INTERVAL_MS / 1000);
		else
			ap_buf_addf(&f->msg, "%s is read inside a periodic timer or repeating task: ",
				    rf_cat_name(f, pi->category));
		ap_buf_adds(&f->msg, e->method);
		x = rf_add(f, "R10", pi->category, e->owner);
	}
	struct ap_evidence copy = *e;
	if (fast) {
		ap_buf_reset(&f->tmp);
		ap_buf_addf(&f->tmp, "minTime %lld ms", (long long)ms);
		copy.detail = f->tmp.data ? ap_arena_strdup(f->r->arena, f->tmp.data) : e->detail;
	}
	rf_attach(f, x, &copy);
}

static int merge(struct rf *f)
{
	struct ap_report *r = f->r;
	if (f->n) {
		struct ap_finding *v = ap_arena_calloc(r->arena, r->n_findings + f->n, sizeof *v);
		if (!v)
			return AP_ERR_NOMEM;
		if (r->n_findings)
			memcpy(v, r->findings, r->n_findings * sizeof *v);
		memcpy(v + r->n_findings, f->v, f->n * sizeof *v);
		r->findings = v;
		r->n_findings += f->n;
	}
	size_t add_rules = 0;
	for (size_t i = 0; i < f->n_rules; i++) {
		bool have = false;
		for (size_t j = 0; j < r->n_rules && !have; j++)
			have = strcmp(r->rules[j].id, f->rules[i]->id) == 0;
		add_rules += !have;
	}
	if (!add_rules)
		return AP_OK;
	struct ap_rep_rule *rv = ap_arena_calloc(r->arena, r->n_rules + add_rules, sizeof *rv);
	if (!rv)
		return AP_ERR_NOMEM;
	if (r->n_rules)
		memcpy(rv, r->rules, r->n_rules * sizeof *rv);
	size_t k = r->n_rules;
	for (size_t i = 0; i < f->n_rules; i++) {
		const struct ap_kb_rule *kr = f->rules[i];
		bool have = false;
		for (size_t j = 0; j < r->n_rules && !have; j++)
			have = strcmp(r->rules[j].id, kr->id) == 0;
		if (have)
			continue;
		struct ap_rep_rule *d = &rv[k++];
		d->id = kr->id;
		d->title = kr->title;
		d->help = kr->trigger;
		d->severity = (enum ap_severity)kr->severity;
		d->dimension = rf_lowest_dim(kr->dimensions);
		d->remediation = kr->remediation;
		if (kr->refs.n) {
			struct ap_ref *refs = ap_arena_calloc(r->arena, kr->refs.n, sizeof *refs);
			for (size_t j = 0; refs && j < kr->refs.n; j++) {
				refs[j].id = kr->refs.v[j];
				refs[j].text = ap_kb_ref_text(f->kb, kr->refs.v[j]);
			}
			d->refs = refs;
			d->n_refs = refs ? kr->refs.n : 0;
		}
	}
	r->rules = rv;
	r->n_rules = k;
	return AP_OK;
}

int ap_reach_findings(struct ap_report *r, const struct ap_kb *kb, const struct ap_manifest *mf,
		      const struct ap_cg *cg)
{
	(void)mf;
	if (!kb || !cg->solved)
		return AP_OK;
	struct rf f = {.r = r, .kb = kb, .cg = cg, .msg = AP_BUF_INIT, .tmp = AP_BUF_INIT};
	for (size_t i = 0; i < r->n_pi; i++) {
		const struct ap_rep_pi *pi = &r->pi[i];
		for (size_t j = 0; j < pi->n_evidence; j++) {
			const struct ap_evidence *e = &pi->evidence[j];
			if (!is_code(e) || e->reachable != 1)
				continue;
			uint32_t node = ap_cg_find(cg, e->method);
			if (node == AP_CG_NONE)
				continue;
			if (e->via == AP_VIA_DEX_API) {
				r01(&f, pi, e, node);
				r08(&f, pi, e, node);
				r09(&f, pi, e, node);
			}
			r10(&f, pi, e, node);
		}
	}
	rf_r02(&f);
	rf_r03(&f);
	rf_r16(&f);
	rf_r19(&f);
	int rc = f.nomem ? AP_ERR_NOMEM : merge(&f);
	if (rc == AP_OK && f.n_dropped) /* as findings.c does at its own cap */
		ap_scan_findings_dropped(r, cg->an, f.n_dropped);
	free(f.v);
	free(f.rules);
	free(f.dropped);
	ap_buf_free(&f.msg);
	ap_buf_free(&f.tmp);
	return rc;
}
