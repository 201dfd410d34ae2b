/* Internals shared by the reachability rules: findings_reach.c (the per-call-site rules R01 R08
 * R09 R10, the finding list and the merge into the report), findings_reach_app.c (the app-level
 * rules R02 R03 R16) and findings_flow.c (R19, flows from PI to an upload sink). */
#ifndef AP_FINDINGS_REACH_INT_H
#define AP_FINDINGS_REACH_INT_H

#include "callgraph.h"
#include "report_model.h"

#include "ap_buf.h"

#include <stdbool.h>
#include <stdint.h>

struct ap_kb;
struct ap_kb_rule;
struct ap_dex_method;

/* A finding the cap left out. The rules try again for every evidence item of the same finding,
 * so it is counted once per (rule, category, owner). */
struct dropped_key {
	const char *rule, *category, *owner;
};

struct rf {
	struct ap_report *r;
	const struct ap_kb *kb;
	const struct ap_cg *cg;
	struct ap_finding *v;
	size_t n, cap;
	const struct ap_kb_rule **rules;
	size_t n_rules;
	struct ap_buf msg, tmp;
	bool nomem;
	struct dropped_key *dropped; /* findings past AP_MAX_FINDINGS */
	size_t n_dropped;
};

/* a new finding of rule id for (category, owner), message from f->msg; NULL past the cap */
struct ap_finding *rf_add(struct rf *f, const char *id, const char *category, const char *owner);
void rf_attach(struct rf *f, struct ap_finding *x, const struct ap_evidence *e);
/* the finding of rule id for (category, owner) made in this pass, if any */
struct ap_finding *rf_find_mine(struct rf *f, const char *id, const char *cat, const char *own);
const char *rf_cat_name(const struct rf *f, const char *cat);
bool rf_same(const char *a, const char *b);
int rf_lowest_dim(unsigned bits);
const struct ap_dex_method *rf_node_method(const struct ap_cg *cg, uint32_t node,
					   const struct ap_dex **dex);
bool rf_path_gated(const struct ap_cg *cg, uint32_t node, uint32_t site_pc, uint32_t *where,
		   const char **key);
void rf_short_name(const struct ap_cg *cg, uint32_t node, struct ap_buf *b);
void rf_path_text(const struct ap_cg *cg, uint32_t node, unsigned kind, struct ap_buf *b);

/* the app-level rules (findings_reach_app.c) and R19 (findings_flow.c) */
void rf_r02(struct rf *f);
void rf_r03(struct rf *f);
void rf_r16(struct rf *f);
void rf_r19(struct rf *f);

#endif
