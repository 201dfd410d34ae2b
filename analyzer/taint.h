/* Intra-procedural taint: flows from a PI source call (the KB's API signatures) to a network
 * upload or SMS sink inside one DEX method, for rule R19 PI_TO_NETWORK. docs/taint.md gives the
 * model and what it misses. */
#ifndef AP_TAINT_H
#define AP_TAINT_H

#include <stddef.h>
#include <stdint.h>

struct ap_dex;
struct ap_kb;

/* Caps: AP_MAX_TAINT_* in common/ap_limits.h. */

struct ap_taint_flow {
	const char *dexfile;       /* ap_dex_name() of its DEX: borrowed, valid while that dex is */
	char *method;              /* smali ref of the method holding both call sites */
	uint32_t source_pc;        /* code units into the method */
	char *source_callee;       /* smali ref of the PI API called (or field read) */
	uint32_t sink_pc;
	char *sink_callee;         /* smali ref of the sink method */
	const char *sink_kind;     /* "network" or "sms" (static string) */
	const char *category;      /* canonical PI category id: points into the kb */
	char *owner;               /* "first_party" or "sdk:<id>" (the method's class, by SDK prefix) */
};

/* Runs the pass over every method with code of dexes[0..n). *out gets a malloc'd array of
 * *n_out flows (NULL when none) in DEX order, method order, sink pc order; free it with
 * ap_taint_flows_free. Returns AP_OK, AP_ERR_LIMIT when AP_MAX_TAINT_FLOWS was reached (the
 * flows so far are returned) or AP_ERR_NOMEM (nothing returned). */
int ap_taint_flows(struct ap_dex *const *dexes, size_t n, const struct ap_kb *kb,
		   struct ap_taint_flow **out, size_t *n_out);
void ap_taint_flows_free(struct ap_taint_flow *flows, size_t n); /* NULL is a no-op */

#endif
