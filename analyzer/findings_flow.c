/* R19 PI_TO_NETWORK: a value read from a PI source reaches a network upload (or SMS) sink in
 * the same method (taint.c), and that method is reachable from an entry point. One finding per
 * (category, owner); each flow adds its source and its sink call site as evidence, annotated
 * with the entry kinds and path like every other code evidence item. */
#include "findings_reach_int.h"

#include "rules/kb.h"
#include "taint.h"

#include "ap_arena.h"
#include "ap_diag.h"
#include "ap_err.h"

#include <string.h>

static const char *dup(struct rf *f, const char *s)
{
	return s ? ap_arena_strdup(f->r->arena, s) : NULL;
}

/* the source (or sink) call site of a flow as one evidence item, annotated from the graph */
static void site(struct rf *f, struct ap_finding *x, const struct ap_taint_flow *fl,
		 const char *owner, bool sink)
{
	struct ap_evidence e = {0};
	e.via = AP_VIA_DEX_API;
	e.owner = owner;
	e.api = dup(f, sink ? fl->sink_callee : fl->source_callee);
	e.category = fl->category;
	e.dexfile = dup(f, fl->dexfile);
	e.method = dup(f, fl->method);
	e.pc = sink ? fl->sink_pc : fl->source_pc;
	e.offset = -1;
	e.flow = true;
	if (sink) {
		ap_buf_reset(&f->tmp);
		ap_buf_addf(&f->tmp, "taint sink: %s", fl->sink_kind);
		e.detail = dup(f, f->tmp.data);
	} else {
		e.detail = "taint source";
	}
	ap_reach_annotate_one(f->r, f->kb, f->cg, &e, &f->tmp);
	rf_attach(f, x, &e);
}

void rf_r19(struct rf *f)
{
	struct ap_taint_flow *fl = NULL;
	size_t n = 0;
	int rc = ap_taint_flows(f->cg->dexes, f->cg->n_dex, f->kb, &fl, &n);
	if (rc == AP_ERR_NOMEM) {
		f->nomem = true;
		return;
	}
	if (rc == AP_ERR_LIMIT)
		ap_anom_add(f->cg->an, "taint", NULL, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "%zu PI-to-sink flows found, the cap (AP_MAX_TAINT_FLOWS): the rest "
			    "not followed", n);
	for (size_t i = 0; i < n; i++) {
		uint32_t node = ap_cg_find(f->cg, fl[i].method);
		if (node == AP_CG_NONE || !ap_cg_kinds(f->cg, node))
			continue; /* dead code: the flow exists but nothing runs it */
		const char *owner = dup(f, fl[i].owner);
		struct ap_finding *x = rf_find_mine(f, "R19", fl[i].category, owner);
		if (!x) {
			ap_buf_addf(&f->msg, "%s read by ", rf_cat_name(f, fl[i].category));
			ap_buf_add_escaped(&f->msg, fl[i].source_callee, strlen(fl[i].source_callee), 160);
			ap_buf_addf(&f->msg, " %s through ",
				    strcmp(fl[i].sink_kind, "sms") == 0 ? "is sent by SMS"
									 : "is uploaded");
			ap_buf_add_escaped(&f->msg, fl[i].sink_callee, strlen(fl[i].sink_callee), 160);
			ap_buf_adds(&f->msg, " in ");
			ap_buf_add_escaped(&f->msg, fl[i].method, strlen(fl[i].method), 200);
			x = rf_add(f, "R19", fl[i].category, owner);
		}
		if (!x)
			continue;
		site(f, x, &fl[i], owner, false);
		site(f, x, &fl[i], owner, true);
	}
	ap_taint_flows_free(fl, n);
}
