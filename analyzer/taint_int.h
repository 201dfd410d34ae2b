/* Internals of the taint pass shared by taint.c (transfer function, branch joins, output) and
 * taint_callees.c (what each callee does: the sink/propagator table and the KB sources). */
#ifndef AP_TAINT_INT_H
#define AP_TAINT_INT_H

#include "taint.h"

#include "ap_buf.h"
#include "ap_limits.h"
#include "dex/dex.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct ap_kb_api;

/* What a callee does to taint (file-local names: only taint*.c include this header).
 * Resolved once per method_id of a DEX. */
enum ap_taint_role {
	R_UNRESOLVED = 0,
	R_NONE,       /* unknown: its result is clean (no inter-procedural summary) */
	R_SOURCE,     /* a KB PI API: its result is a new source */
	R_PURE,       /* result derives from the receiver and every argument */
	R_MUT,        /* as R_PURE, and the receiver absorbs the arguments (builders, containers) */
	R_SINK,       /* a tainted operand (receiver included) is a flow */
	R_SINK_URL,   /* R_SINK, and the receiver absorbs the arguments (new URL(s)) */
	R_STREAM_GET, /* its result is a network output stream */
	R_STREAM_WRAP,/* java.io constructor: the receiver is a network stream if an argument is */
	R_STREAM_OUT, /* java.io write/print/append: a flow when the receiver is a network stream */
};

enum ap_taint_sink { SINK_NETWORK = 0, SINK_SMS = 1 };

#define FLAG_NETSTREAM 0x1u
#define FLAG_LIT 0x2u

/* One register. taint: bit i = derived from source i of the method. */
struct ap_taint_reg {
	uint64_t taint;
	const char *uricat; /* content URI category of the value (KB), or NULL */
	uint32_t str;       /* const-string index held, or AP_DEX_NO_INDEX */
	int32_t lit;        /* const literal held (with FLAG_LIT) */
	uint8_t flags;
};

struct ap_taint_source {
	uint32_t pc, ref;   /* ref: method_idx, or field_idx when field */
	bool field;
	const char *category;
};

struct ap_taint_pending {
	uint32_t src, pc, callee;
	uint8_t sink;
};

/* Resolved in two steps: the table (cheap, prefix-filtered) for every callee of a method, the
 * KB only for methods that call something sink-like. */
struct ap_taint_callee {
	uint8_t table;             /* role by the table; R_UNRESOLVED until looked up */
	uint8_t role;              /* R_SOURCE by the KB, else table; R_UNRESOLVED until looked up */
	uint8_t sink;
	bool rematch;              /* several KB entries: choose at the call site */
	const struct ap_kb_api *api;
};

struct ap_taint_ctx {
	const struct ap_kb *kb;
	struct ap_dex *dex;
	struct ap_taint_callee *callees;    /* per method_id */
	uint32_t n_callees;
	struct ap_taint_reg *regs;          /* AP_TAINT_NREGS */
	uint32_t nregs;            /* of the current method */
	struct ap_taint_source src[AP_MAX_TAINT_SOURCES];
	uint32_t n_src;
	struct ap_taint_pending flows[AP_MAX_TAINT_FLOWS_PER_METHOD];
	uint32_t n_flows;
	struct ap_taint_reg result;         /* of the last invoke, for move-result */
	struct ap_taint_reg scratch;        /* see reg_at */
	/* branch targets (sorted) and the union of the states that branch to each */
	uint32_t join_pc[AP_MAX_TAINT_JOINS];
	uint32_t n_join;
	bool join_on;              /* the method's targets fit the caps */
	bool again;                /* a back edge brought new taint: one more pass */
	uint64_t *join_taint;      /* [n_join * nregs] */
	uint8_t *join_flags;
	uint8_t *field_src;        /* per field_id: 0 unknown, 1 not a KB field, 2 a KB field */
	int32_t *type_row;         /* per type_id: rows_of_type, -2 not yet resolved */
	uint32_t n_types;
	uint32_t n_fields;
	struct ap_buf tmp;
	/* output */
	struct ap_taint_flow *out;
	size_t n_out, cap_out;
	bool full, nomem;
};

/* 16-bit register numbers, plus one for the high half of a wide pair at v65535 */
#define AP_TAINT_NREGS 65537u

static inline void reg_clear(struct ap_taint_reg *r)
{
	memset(r, 0, sizeof *r);
	r->str = AP_DEX_NO_INDEX;
}

/* A register operand of hostile code may lie outside the frame: it reads as clean and writes
 * to it are dropped (they land in a scratch slot). */
static inline struct ap_taint_reg *reg_at(struct ap_taint_ctx *c, uint32_t r)
{
	if (r < c->nregs)
		return &c->regs[r];
	reg_clear(&c->scratch);
	return &c->scratch;
}

/* taint_callees.c */
const char *ap_taint_sink_name(uint8_t sink);
/* The callee's role by the table only (cheap), then with the KB's sources. */
struct ap_taint_callee *ap_taint_callee_table(struct ap_taint_ctx *c, uint32_t midx);
const struct ap_taint_callee *ap_taint_callee_of(struct ap_taint_ctx *c, uint32_t midx);
/* The KB entry a source call satisfies given its argument registers (apis.tsv `requires`). */
const struct ap_kb_api *ap_taint_source_api(struct ap_taint_ctx *c,
					    const struct ap_taint_callee *ce, uint32_t midx,
					    const uint32_t *args, uint32_t n);
size_t ap_taint_field_hits(struct ap_taint_ctx *c, uint32_t fidx, const struct ap_kb_api **hits,
			   size_t cap);
bool ap_taint_is_kb_field(struct ap_taint_ctx *c, uint32_t fidx);

#endif
