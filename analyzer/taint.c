/* Intra-procedural taint for R19 PI_TO_NETWORK: one forward pass per method in address order,
 * each register holding the set of PI source call sites its value derives from. docs/taint.md
 * says what the model covers and what it misses. */
#include "taint_int.h"

#include "analyzer/rules/kb.h"
#include "ap_buf.h"
#include "ap_err.h"
#include "ap_vec.h"
#include "dex/dex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static uint64_t new_source(struct ap_taint_ctx *c, uint32_t pc, uint32_t ref, bool field,
			   const char *cat)
{
	for (uint32_t s = 0; s < c->n_src; s++) /* the same site seen again in a later pass */
		if (c->src[s].pc == pc && c->src[s].category == cat)
			return (uint64_t)1 << s;
	if (c->n_src >= AP_MAX_TAINT_SOURCES)
		return 0;
	c->src[c->n_src] = (struct ap_taint_source){pc, ref, field, cat};
	return (uint64_t)1 << c->n_src++;
}

static void add_flows(struct ap_taint_ctx *c, uint64_t taint, uint32_t pc, uint32_t callee,
		      uint8_t sink)
{
	for (uint32_t s = 0; s < c->n_src && taint; s++) {
		if (!(taint & ((uint64_t)1 << s)))
			continue;
		bool seen = false;
		for (uint32_t i = 0; i < c->n_flows && !seen; i++)
			seen = c->flows[i].src == s && c->flows[i].pc == pc;
		if (seen)
			continue;
		if (c->n_flows >= AP_MAX_TAINT_FLOWS_PER_METHOD)
			return;
		c->flows[c->n_flows++] = (struct ap_taint_pending){s, pc, callee, sink};
	}
}

/* ---- the transfer function ------------------------------------------------------------- */

/* The argument registers of an invoke (35c/45cc list or 3rc/4rcc range), at most 255. */
static uint32_t invoke_args(const struct ap_dex_insn *in, uint32_t *args)
{
	uint32_t n = 0;
	if (in->fmt == AP_FMT_35c || in->fmt == AP_FMT_45cc) {
		for (; n < in->n_args && n < 5; n++)
			args[n] = in->args[n];
	} else {
		for (; n < in->n_args && n < 255; n++)
			args[n] = in->c + n;
	}
	return n;
}

static bool is_static_invoke(uint8_t op)
{
	return op == 0x71 || op == 0x77;
}

static void call_source(struct ap_taint_ctx *c, const struct ap_taint_callee *ce, uint32_t midx,
			uint32_t pc, const uint32_t *args, uint32_t n)
{
	const struct ap_kb_api *api = ap_taint_source_api(c, ce, midx, args, n);
	if (api)
		c->result.taint = new_source(c, pc, midx, false, api->category);
}

static void do_invoke(struct ap_taint_ctx *c, const struct ap_dex_insn *in, uint32_t pc)
{
	uint32_t args[255];
	uint32_t n = invoke_args(in, args);
	bool has_recv = !is_static_invoke(in->opcode) && n > 0;
	uint64_t all = 0, rest = 0;
	bool net_arg = false;
	const char *uricat = NULL;
	for (uint32_t i = 0; i < n; i++) {
		const struct ap_taint_reg *r = reg_at(c, args[i]);
		all |= r->taint;
		if (i > 0 || !has_recv) {
			rest |= r->taint;
			net_arg |= (r->flags & FLAG_NETSTREAM) != 0;
		}
		if (!uricat)
			uricat = r->uricat;
	}
	reg_clear(&c->result);
	bool method_ref = ap_dex_opinfo(in->opcode)->ref == AP_REF_METHOD;
	if (!method_ref) { /* invoke-custom: lambdas, indy string concatenation */
		c->result.taint = all;
		return;
	}
	const struct ap_taint_callee *ce = ap_taint_callee_of(c, in->index);
	struct ap_taint_reg *recv = has_recv ? reg_at(c, args[0]) : NULL;
	switch (ce->role) {
	case R_SOURCE:
		call_source(c, ce, in->index, pc, args, n);
		break;
	case R_MUT:
		if (recv)
			recv->taint |= rest;
		/* fall through */
	case R_PURE:
		c->result.taint = all;
		c->result.uricat = uricat;
		break;
	case R_SINK_URL:
		if (recv)
			recv->taint |= rest;
		/* fall through */
	case R_SINK:
		add_flows(c, all, pc, in->index, ce->sink);
		break;
	case R_STREAM_GET:
		c->result.flags = FLAG_NETSTREAM;
		break;
	case R_STREAM_WRAP:
		if (recv && net_arg)
			recv->flags |= FLAG_NETSTREAM;
		break;
	case R_STREAM_OUT:
		if (recv && (recv->flags & FLAG_NETSTREAM)) {
			add_flows(c, rest, pc, in->index, SINK_NETWORK);
			c->result.flags = FLAG_NETSTREAM; /* append returns the writer */
		}
		break;
	default:
		break;
	}
}

/* sget/iget of a KB field into dst: a source, or the category of a content URI. */
static void field_read(struct ap_taint_ctx *c, const struct ap_dex_insn *in, uint32_t pc,
		       struct ap_taint_reg *dst)
{
	if (!ap_taint_is_kb_field(c, in->index))
		return;
	const struct ap_kb_api *hits[4];
	size_t nh = ap_taint_field_hits(c, in->index, hits, 4);
	for (size_t h = 0; h < nh && h < 4; h++) {
		if (hits[h]->kind == AP_KB_API_URI_FIELD)
			dst->uricat = hits[h]->category;
		else if (!dst->taint)
			dst->taint = new_source(c, pc, in->index, true, hits[h]->category);
	}
}

static void const_string(struct ap_taint_ctx *c, uint32_t idx, struct ap_taint_reg *dst)
{
	dst->str = idx;
	const char *s = ap_dex_string(c->dex, idx);
	if (!s || strncmp(s, "content://", 10) != 0)
		return;
	const struct ap_kb_string *hits[4];
	size_t nh = ap_kb_match_string(c->kb, s, AP_KB_WHERE_DEX, hits, 4);
	for (size_t h = 0; h < nh && h < 4; h++)
		if (hits[h]->kind == AP_KB_STR_CONTENT_URI) {
			dst->uricat = hits[h]->category;
			break;
		}
}

/* Destination is a register pair (long/double) for these unary and binary operations. */
static bool wide_dest(uint8_t op)
{
	switch (op) {
	case 0x7d: case 0x7e: case 0x80: case 0x81: case 0x83: case 0x86: case 0x88: case 0x89:
	case 0x8b:
		return true;
	default:
		return (op >= 0x9b && op <= 0xa5) || (op >= 0xab && op <= 0xaf) ||
		       (op >= 0xbb && op <= 0xc5) || (op >= 0xcb && op <= 0xcf);
	}
}

static void set_taint(struct ap_taint_ctx *c, uint32_t r, uint64_t t, bool wide)
{
	struct ap_taint_reg *d = reg_at(c, r);
	reg_clear(d);
	d->taint = t;
	if (wide) {
		d = reg_at(c, r + 1);
		reg_clear(d);
		d->taint = t;
	}
}

/* Moves, results, constants, arrays, fields: everything but invokes and arithmetic. */
static bool step_data(struct ap_taint_ctx *c, const struct ap_dex_insn *in, uint32_t pc)
{
	uint8_t op = in->opcode;
	struct ap_taint_reg tmp;
	if ((op >= 0x01 && op <= 0x09)) { /* move*, move-wide*, move-object* */
		tmp = *reg_at(c, in->b);
		struct ap_taint_reg hi = *reg_at(c, in->b + 1);
		*reg_at(c, in->a) = tmp;
		if (op >= 0x04 && op <= 0x06)
			*reg_at(c, in->a + 1) = hi;
	} else if (op >= 0x0a && op <= 0x0c) { /* move-result* */
		*reg_at(c, in->a) = c->result;
		if (op == 0x0b)
			*reg_at(c, in->a + 1) = c->result;
	} else if (op == 0x1a || op == 0x1b) { /* const-string */
		reg_clear(reg_at(c, in->a));
		const_string(c, in->index, reg_at(c, in->a));
	} else if (op >= 0x12 && op <= 0x15) { /* const/4 .. const/high16 */
		struct ap_taint_reg *d = reg_at(c, in->a);
		reg_clear(d);
		d->flags = FLAG_LIT;
		d->lit = (int32_t)in->literal;
	} else if (op == 0x0d || (op >= 0x1c && op <= 0x23 && op != 0x1f) || op == 0xfe ||
		   op == 0xff) {
		set_taint(c, in->a, 0, false); /* fresh value: move-exception, const-class, new-* */
	} else if (op >= 0x16 && op <= 0x19) {
		set_taint(c, in->a, 0, true);
	} else if (op == 0x24 || op == 0x25) { /* filled-new-array: a result like an invoke */
		uint32_t args[255];
		uint32_t n = invoke_args(in, args);
		reg_clear(&c->result);
		for (uint32_t i = 0; i < n; i++)
			c->result.taint |= reg_at(c, args[i])->taint;
	} else if (op >= 0x44 && op <= 0x4a) { /* aget: an element of a tainted array */
		set_taint(c, in->a, reg_at(c, in->b)->taint, op == 0x45);
	} else if (op >= 0x4b && op <= 0x51) { /* aput: the array absorbs the element */
		reg_at(c, in->b)->taint |= reg_at(c, in->a)->taint;
	} else if (op >= 0x52 && op <= 0x58) { /* iget: a field of a tainted object is tainted */
		set_taint(c, in->a, reg_at(c, in->b)->taint, op == 0x53);
		field_read(c, in, pc, reg_at(c, in->a));
	} else if (op >= 0x60 && op <= 0x66) { /* sget: clean unless a KB field */
		set_taint(c, in->a, 0, op == 0x61);
		field_read(c, in, pc, reg_at(c, in->a));
	} else {
		return false;
	}
	return true;
}

/* move-result reads c->result, which only an invoke or filled-new-array sets: valid code puts
 * the move-result right after them, so the result needs no clearing in between. */
static void step(struct ap_taint_ctx *c, const struct ap_dex_insn *in, uint32_t pc)
{
	uint8_t op = in->opcode;
	if (ap_dex_opinfo(op)->invoke)
		do_invoke(c, in, pc);
	else if (step_data(c, in, pc))
		return;
	else if (op >= 0x2d && op <= 0x31) /* cmp*: a = b, c */
		set_taint(c, in->a, reg_at(c, in->b)->taint | reg_at(c, in->c)->taint, false);
	else if (op >= 0x7b && op <= 0x8f) /* unary and conversions */
		set_taint(c, in->a, reg_at(c, in->b)->taint, wide_dest(op));
	else if (op >= 0x90 && op <= 0xaf) /* binop vA, vB, vC */
		set_taint(c, in->a, reg_at(c, in->b)->taint | reg_at(c, in->c)->taint, wide_dest(op));
	else if (op >= 0xb0 && op <= 0xcf) /* binop/2addr vA, vB */
		set_taint(c, in->a, reg_at(c, in->a)->taint | reg_at(c, in->b)->taint, wide_dest(op));
	else if (op >= 0xd0 && op <= 0xe2) /* binop/lit */
		set_taint(c, in->a, reg_at(c, in->b)->taint, false);
	/* else check-cast, branches, returns, monitors, puts: no register written */
}

/* ---- output ----------------------------------------------------------------------------- */

static char *take_method(struct ap_taint_ctx *c, uint32_t midx)
{
	ap_buf_reset(&c->tmp);
	ap_dex_format_method(c->dex, midx, &c->tmp);
	return c->tmp.failed ? NULL : ap_buf_take(&c->tmp);
}

static char *take_field(struct ap_taint_ctx *c, uint32_t fidx)
{
	ap_buf_reset(&c->tmp);
	ap_dex_format_field(c->dex, fidx, &c->tmp);
	return c->tmp.failed ? NULL : ap_buf_take(&c->tmp);
}

static char *owner_of(struct ap_taint_ctx *c, uint32_t midx)
{
	const struct ap_dex_method_id *mid = ap_dex_method_id(c->dex, midx);
	const char *cls = mid ? ap_dex_type(c->dex, mid->class_idx) : NULL;
	const struct ap_kb_sdk *sdk = cls ? ap_kb_sdk_for_class(c->kb, cls) : NULL;
	ap_buf_reset(&c->tmp);
	if (sdk)
		ap_buf_addf(&c->tmp, "sdk:%s", sdk->id);
	else
		ap_buf_adds(&c->tmp, "first_party");
	return c->tmp.failed ? NULL : ap_buf_take(&c->tmp);
}

static void emit(struct ap_taint_ctx *c, const struct ap_dex_method *m)
{
	for (uint32_t i = 0; i < c->n_flows && !c->nomem; i++) {
		if (c->n_out >= AP_MAX_TAINT_FLOWS) {
			c->full = true;
			return;
		}
		if (!ap_grow((void **)&c->out, &c->cap_out, c->n_out + 1, sizeof *c->out)) {
			c->nomem = true;
			return;
		}
		const struct ap_taint_pending *pf = &c->flows[i];
		const struct ap_taint_source *s = &c->src[pf->src];
		struct ap_taint_flow *f = &c->out[c->n_out];
		memset(f, 0, sizeof *f);
		f->dexfile = ap_dex_name(c->dex);
		f->method = take_method(c, m->method_idx);
		f->source_pc = s->pc;
		f->source_callee = s->field ? take_field(c, s->ref) : take_method(c, s->ref);
		f->sink_pc = pf->pc;
		f->sink_callee = take_method(c, pf->callee);
		f->sink_kind = ap_taint_sink_name(pf->sink);
		f->category = s->category;
		f->owner = owner_of(c, m->method_idx);
		c->n_out++;
		if (!f->method || !f->source_callee || !f->sink_callee || !f->owner)
			c->nomem = true;
	}
}

/* ---- the pass --------------------------------------------------------------------------- */

static bool is_branch(const struct ap_dex_insn *in)
{
	uint8_t f = in->fmt;
	return f == AP_FMT_10t || f == AP_FMT_20t || f == AP_FMT_30t || f == AP_FMT_21t ||
	       f == AP_FMT_22t;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The method's goto/if targets. Past the caps the method gets the plain linear pass. */
static void collect_joins(struct ap_taint_ctx *c, const struct ap_dex_method *m)
{
	c->n_join = 0;
	c->join_on = true;
	for (uint32_t pc = 0; pc < m->insns_size;) {
		struct ap_dex_insn in;
		uint32_t w = ap_dex_method_insn(c->dex, m, pc, &in);
		if (!w)
			break;
		int64_t t = (int64_t)pc + in.branch;
		if (is_branch(&in) && t >= 0 && t < (int64_t)m->insns_size) {
			if (c->n_join >= AP_MAX_TAINT_JOINS) {
				c->join_on = false;
				return;
			}
			c->join_pc[c->n_join++] = (uint32_t)t;
		}
		pc += w;
	}
	qsort(c->join_pc, c->n_join, sizeof c->join_pc[0], cmp_u32);
	uint32_t u = 0;
	for (uint32_t i = 0; i < c->n_join; i++)
		if (!u || c->join_pc[u - 1] != c->join_pc[i])
			c->join_pc[u++] = c->join_pc[i];
	c->n_join = u;
	if ((uint64_t)u * c->nregs > AP_MAX_TAINT_JOIN_SLOTS) {
		c->join_on = false;
		return;
	}
	memset(c->join_taint, 0, (size_t)u * c->nregs * sizeof *c->join_taint);
	memset(c->join_flags, 0, (size_t)u * c->nregs);
}

static int64_t join_at(const struct ap_taint_ctx *c, uint32_t pc)
{
	uint32_t lo = 0, hi = c->n_join;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->join_pc[mid] < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n_join && c->join_pc[lo] == pc ? (int64_t)lo : -1;
}

/* The state at a branch target: the union of the branches to it, plus the fall-through unless
 * the previous instruction never falls through (goto, return, throw). */
static void join_in(struct ap_taint_ctx *c, uint32_t t, bool dead)
{
	const uint64_t *jt = &c->join_taint[(size_t)t * c->nregs];
	const uint8_t *jf = &c->join_flags[(size_t)t * c->nregs];
	for (uint32_t r = 0; r < c->nregs; r++) {
		struct ap_taint_reg *d = &c->regs[r];
		d->taint = dead ? jt[r] : d->taint | jt[r];
		d->flags = dead ? jf[r] : (uint8_t)(d->flags | jf[r]);
	}
}

static void branch_out(struct ap_taint_ctx *c, uint32_t pc, uint32_t target)
{
	int64_t t = join_at(c, target);
	if (t < 0)
		return;
	uint64_t *jt = &c->join_taint[(size_t)t * c->nregs];
	uint8_t *jf = &c->join_flags[(size_t)t * c->nregs];
	for (uint32_t r = 0; r < c->nregs; r++) {
		uint64_t nt = jt[r] | c->regs[r].taint;
		uint8_t nf = (uint8_t)(jf[r] | (c->regs[r].flags & FLAG_NETSTREAM));
		if (target <= pc && (nt != jt[r] || nf != jf[r]))
			c->again = true;
		jt[r] = nt;
		jf[r] = nf;
	}
}

static bool never_falls_through(uint8_t op)
{
	return (op >= 0x0e && op <= 0x11) || (op >= 0x27 && op <= 0x2a);
}

/* One pass in address order; at a branch target the states of its branches are merged in. */
static void one_pass(struct ap_taint_ctx *c, const struct ap_dex_method *m)
{
	for (uint32_t r = 0; r < c->nregs; r++)
		reg_clear(&c->regs[r]);
	reg_clear(&c->result);
	c->again = false;
	bool dead = false;
	/* insns_size is capped at AP_MAX_CODE_UNITS by the DEX parser; every step advances pc */
	for (uint32_t pc = 0; pc < m->insns_size;) {
		struct ap_dex_insn in;
		uint32_t w = ap_dex_method_insn(c->dex, m, pc, &in);
		if (!w)
			break;
		int64_t t = c->join_on ? join_at(c, pc) : -1;
		if (t >= 0)
			join_in(c, (uint32_t)t, dead);
		if (in.fmt != AP_FMT_PAYLOAD) {
			step(c, &in, pc);
			if (c->join_on && is_branch(&in))
				branch_out(c, pc, (uint32_t)((int64_t)pc + in.branch));
			dead = never_falls_through(in.opcode);
		}
		pc += w;
	}
}

static void run_method(struct ap_taint_ctx *c, const struct ap_dex_method *m)
{
	c->nregs = m->registers;
	c->n_src = 0;
	c->n_flows = 0;
	collect_joins(c, m);
	for (uint32_t pass = 0; pass < AP_MAX_TAINT_PASSES; pass++) {
		one_pass(c, m);
		if (!c->join_on || !c->again)
			break;
	}
	if (c->n_flows)
		emit(c, m);
}

/* A method worth a pass reads a source (a KB API call or field) and calls something that can
 * end in a sink: a cheap filter over the index, so most methods are never decoded. */
static bool worth_running(struct ap_taint_ctx *c, const struct ap_dex_method *m,
			  const struct ap_dex_call *calls, size_t n_calls,
			  const struct ap_dex_field_ref *refs, size_t n_refs)
{
	bool src = false, out = false;
	for (uint32_t i = 0; i < m->calls_n && !out; i++) {
		size_t k = (size_t)m->calls_first + i;
		if (k >= n_calls)
			break;
		uint8_t role = ap_taint_callee_table(c, calls[k].callee)->table;
		out = role == R_SINK || role == R_SINK_URL || role == R_STREAM_GET;
	}
	for (uint32_t i = 0; out && !src && i < m->calls_n; i++) {
		size_t k = (size_t)m->calls_first + i;
		if (k >= n_calls)
			break;
		src = ap_taint_callee_of(c, calls[k].callee)->role == R_SOURCE;
	}
	for (uint32_t i = 0; out && !src && i < m->fields_n; i++) {
		size_t k = (size_t)m->fields_first + i;
		if (k >= n_refs)
			break;
		src = ap_taint_is_kb_field(c, refs[k].field_idx);
	}
	return src && out;
}

static int run_dex(struct ap_taint_ctx *c, struct ap_dex *dex)
{
	c->dex = dex;
	c->n_callees = ap_dex_counts(dex)->methods;
	c->n_fields = ap_dex_counts(dex)->fields;
	c->callees = calloc(c->n_callees ? c->n_callees : 1, sizeof *c->callees);
	c->field_src = calloc(c->n_fields ? c->n_fields : 1, 1);
	c->n_types = ap_dex_counts(dex)->types;
	c->type_row = malloc((c->n_types ? c->n_types : 1) * sizeof *c->type_row);
	for (uint32_t t = 0; c->type_row && t < c->n_types; t++)
		c->type_row[t] = -2;
	if (c->callees && c->field_src && c->type_row) {
		size_t n_calls, n_refs;
		const struct ap_dex_call *calls = ap_dex_calls(dex, &n_calls);
		const struct ap_dex_field_ref *refs = ap_dex_field_refs(dex, &n_refs);
		uint32_t nm = ap_dex_method_def_count(dex);
		for (uint32_t i = 0; i < nm && !c->full && !c->nomem; i++) {
			const struct ap_dex_method *m = ap_dex_method_def(dex, i);
			if (m && m->has_code && worth_running(c, m, calls, n_calls, refs, n_refs))
				run_method(c, m);
		}
	} else {
		c->nomem = true;
	}
	free(c->callees);
	free(c->field_src);
	free(c->type_row);
	c->callees = NULL;
	c->field_src = NULL;
	c->type_row = NULL;
	return c->nomem ? AP_ERR_NOMEM : AP_OK;
}

void ap_taint_flows_free(struct ap_taint_flow *flows, size_t n)
{
	if (!flows)
		return;
	for (size_t i = 0; i < n; i++) {
		free(flows[i].method);
		free(flows[i].source_callee);
		free(flows[i].sink_callee);
		free(flows[i].owner);
	}
	free(flows);
}

int ap_taint_flows(struct ap_dex *const *dexes, size_t n, const struct ap_kb *kb,
		   struct ap_taint_flow **out, size_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	struct ap_taint_ctx c;
	memset(&c, 0, sizeof c);
	c.kb = kb;
	ap_buf_init(&c.tmp, 0);
	c.regs = malloc(AP_TAINT_NREGS * sizeof *c.regs);
	c.join_taint = malloc(AP_MAX_TAINT_JOIN_SLOTS * sizeof *c.join_taint);
	c.join_flags = malloc(AP_MAX_TAINT_JOIN_SLOTS);
	int rc = c.regs && c.join_taint && c.join_flags ? AP_OK : AP_ERR_NOMEM;
	for (size_t i = 0; i < n && rc == AP_OK && !c.full; i++)
		if (dexes[i])
			rc = run_dex(&c, dexes[i]);
	free(c.regs);
	free(c.join_taint);
	free(c.join_flags);
	ap_buf_free(&c.tmp);
	if (rc != AP_OK) {
		ap_taint_flows_free(c.out, c.n_out);
		return rc;
	}
	*out = c.out;
	*n_out = c.n_out;
	return c.full ? AP_ERR_LIMIT : AP_OK;
}
