/* The score: start * 100 / (100 + the points the findings cost), from the KB's scoring.json. A
 * finding costs
 * points[severity] x level_weight[evidence level] (x no_pi_type_multiplier for PI findings in app
 * types that need no PI); the k-th finding of one rule (0-based, dearest first) costs 0.5^k of
 * that within one PI category (owners repeat), and one rule never costs more than RULE_CAP times
 * its dearest finding. docs/scoring.md. */
#include "scan.h"

#include "rules/kb.h"

#include <stdlib.h>
#include <string.h>

int ap_finding_level(const struct ap_finding *f)
{
	int level = -1;
	for (size_t i = 0; i < f->n_evidence; i++) {
		const struct ap_evidence *e = &f->evidence[i];
		int l = 0;
		if (e->via == AP_VIA_PERMISSION || e->via == AP_VIA_MANIFEST ||
		    e->via == AP_VIA_RESOURCE)
			l = 0;
		else if (e->reachable == 1 && e->flow)
			l = 4;
		else if (e->reachable == 1)
			l = (e->entries & (AP_REACH_STARTUP | AP_REACH_BACKGROUND)) ? 3 : 2;
		else
			l = 1;
		if (l > level)
			level = l;
	}
	return level;
}

/* one decimal, half up; no libm needed (scores are small and non-negative) */
static double round1(double v)
{
	if (v < 0)
		return -round1(-v);
	return (double)(long long)(v * 10.0 + 0.5) / 10.0;
}

static double max2(double a, double b)
{
	return a > b ? a : b;
}

#define RULE_CAP 3.0
#define NECESSARY_WEIGHT 0.25
/* points at which a score halves: score = start * HALF / (HALF + points). Never reaches 0, so
 * two bad apps still order by how bad they are. */
#define HALF_POINTS 100.0

struct item {
	size_t i;
	const char *rule;
	const char *cat;
	double base;
};

/* by rule, then dearest first, then report order: deterministic */
static int cmp_items(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->rule, y->rule);
	if (c)
		return c;
	c = strcmp(x->cat, y->cat);
	if (c)
		return c;
	if (x->base != y->base)
		return x->base > y->base ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void ap_scan_score(struct ap_scan *s)
{
	struct ap_report *r = s->r;
	const struct ap_kb_scoring *sc = ap_kb_scoring(s->kb);
	double start = sc ? sc->start : 100.0;
	bool no_pi = s->type && s->type->no_pi_needed;
	struct item *it = calloc(r->n_findings + 1, sizeof *it);
	double dim[4] = {0, 0, 0, 0}, total = 0;
	if (!it)
		return;
	for (size_t i = 0; i < r->n_findings; i++) {
		struct ap_finding *f = &r->findings[i];
		int level = ap_finding_level(f);
		if (level < 0) {
			const struct ap_kb_rule *k = ap_kb_rule(s->kb, f->rule);
			level = k ? k->min_level : 1;
		}
		if (level > 4)
			level = 4;
		double base = sc ? sc->points[f->severity] * sc->level_weight[level] : 0;
		if (no_pi && f->category && sc)
			base *= sc->no_pi_multiplier;
		/* PI the type needs (location in a map app) costs a quarter: the finding still
		 * says how it is collected, but collecting it is the app's function */
		if (f->category && s->type && ap_kb_app_type_needs(s->kb, s->type, f->category))
			base *= NECESSARY_WEIGHT;
		it[i].i = i;
		it[i].rule = f->rule;
		it[i].cat = f->category ? f->category : "";
		it[i].base = base;
	}
	qsort(it, r->n_findings, sizeof *it, cmp_items);
	double factor = 1.0, rule_sum = 0, rule_max = 0;
	for (size_t k = 0; k < r->n_findings; k++) {
		bool same_rule = k && strcmp(it[k].rule, it[k - 1].rule) == 0;
		if (same_rule && strcmp(it[k].cat, it[k - 1].cat) == 0)
			factor *= 0.5;
		else
			factor = 1.0;
		if (!same_rule) {
			rule_sum = 0;
			rule_max = 0;
		}
		if (it[k].base > rule_max)
			rule_max = it[k].base;
		double p = it[k].base * factor;
		/* one rule costs at most RULE_CAP times its dearest finding */
		if (rule_sum + p > RULE_CAP * rule_max)
			p = RULE_CAP * rule_max - rule_sum;
		if (p < 0)
			p = 0;
		rule_sum += p;
		struct ap_finding *f = &r->findings[it[k].i];
		f->points = round1(p);
		total += f->points;
		if (f->dimension >= 1 && f->dimension <= 3)
			dim[f->dimension] += f->points;
	}
	free(it);
	double floor_v = sc ? sc->floor : 0;
	r->score_total = round1(max2(floor_v, start * HALF_POINTS / (HALF_POINTS + total)));
	for (int d = 1; d <= 3; d++)
		r->score_dim[d - 1] = round1(100.0 * HALF_POINTS / (HALF_POINTS + dim[d]));
	r->grade = ap_kb_grade(s->kb, r->score_total);
}
