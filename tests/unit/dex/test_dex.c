/* Unit tests for dex/: a fixture assembled from the .smali files in tests/fixtures/dex/ with Debian's
 * `smali a` (skipped when smali is absent), checked against what its source says and against
 * dexdump; then a table of malformed variants of it, each asserting its anomaly. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"
#include "ap_test.h"
#include "dex/dex.h"

/* Assembles the fixture once per process into a temp file and returns its bytes (free()). */
static uint8_t *fixture(size_t *len)
{
	AP_T_NEED_TOOL("smali");
	int smali_st;
	char *out = ap_t_smali("tests/fixtures/dex", 28, &smali_st);
	cr_assert(out && smali_st == 0, "smali a failed on tests/fixtures/dex");
	uint8_t *buf = ap_t_slurp(out, len);
	unlink(out);
	free(out);
	cr_assert(buf && *len > 0x70, "smali's DEX is short");
	return buf;
}

static struct ap_dex *open_ok(const uint8_t *buf, size_t len, struct ap_anomalies *an)
{
	struct ap_dex *dex = NULL;
	int rc = ap_dex_open(buf, len, "classes.dex", an, &dex);
	cr_assert_eq(rc, AP_OK);
	cr_assert(dex);
	return dex;
}

static char *fmt_method(const struct ap_dex *dex, uint32_t m)
{
	struct ap_buf b = AP_BUF_INIT;
	ap_dex_format_method(dex, m, &b);
	return ap_buf_take(&b);
}

static const struct ap_dex_method *find_def(const struct ap_dex *dex, const char *name)
{
	uint32_t idx[4];
	size_t n = ap_dex_find_methods(dex, "Lcom/example/Leak;", name, idx, 4);
	cr_assert_eq(n, 1, "one method %s", name);
	const struct ap_dex_method *m = ap_dex_method_by_idx(dex, idx[0]);
	cr_assert(m, "%s is defined here", name);
	return m;
}

Test(dex_fixture, header_and_tables)
{
	size_t len;
	uint8_t *buf = fixture(&len);
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_dex *dex = open_ok(buf, len, &an);
	const struct ap_dex_header *h = ap_dex_header(dex);
	cr_expect_eq(h->version, 39, "smali --api 28 writes DEX 039");
	cr_expect(h->checksum_ok);
	cr_expect(h->signature_ok);
	cr_expect_eq(h->file_size, len);
	cr_expect_eq(an.count, 0, "a clean file has no anomalies (%zu)", an.count);
	cr_expect_eq(ap_dex_class_count(dex), 2);
	/* Leak: <init>, leak, six, poly, run, secret; Sub: <init>, leak */
	cr_expect_eq(ap_dex_method_def_count(dex), 8);
	const struct ap_dex_class *k = ap_dex_class_by_descriptor(dex, "Lcom/example/Leak;");
	cr_assert(k);
	cr_expect_str_eq(ap_dex_type(dex, k->superclass_idx), "Landroid/app/Activity;");
	cr_assert_eq(k->n_interfaces, 1);
	cr_expect_str_eq(ap_dex_type(dex, k->interfaces[0]), "Ljava/lang/Runnable;");
	cr_expect_str_eq(ap_dex_string(dex, k->source_file_idx), "Leak.java");
	cr_expect_eq(k->n_direct, 3); /* <init>, six, poly */
	cr_expect_eq(k->n_virtual, 3); /* leak, run, secret */
	cr_expect_eq(k->n_static_fields, 2);
	cr_expect_eq(k->n_instance_fields, 1);
	struct ap_dex_value v[4];
	size_t nv = ap_dex_static_values(dex, (uint32_t)(k - ap_dex_class_def(dex, 0)), v, 4);
	cr_assert_geq(nv, 1);
	cr_expect_eq(v[0].type, AP_DEXV_INT);
	cr_expect_eq(v[0].u, 0x2a, "COUNT = 0x2a");
	const struct ap_dex_method *sec = find_def(dex, "secret");
	cr_expect_not(sec->has_code, "native method has no code");
	cr_expect(sec->access & 0x0100);
	cr_expect_null(ap_dex_string(dex, 0xffffffu));
	cr_expect_null(ap_dex_type(dex, 60000));
	cr_expect_null(ap_dex_method_id(dex, 60000));
	ap_dex_close(dex);
	ap_anom_free(&an);
	free(buf);
}

Test(dex_fixture, strings_mutf8)
{
	size_t len;
	uint8_t *buf = fixture(&len);
	struct ap_dex *dex = open_ok(buf, len, NULL);
	static const char want[] = "emoji \xf0\x9f\x99\x8f and nul \0 end";
	int64_t s = -1;
	for (uint32_t i = 0; i < ap_dex_counts(dex)->strings; i++)
		if (ap_dex_string_len(dex, i) == sizeof(want) - 1 &&
		    memcmp(ap_dex_string(dex, i), want, sizeof(want) - 1) == 0)
			s = i;
	cr_assert_geq(s, 0, "surrogate pair -> 4-byte UTF-8, C0 80 -> NUL with length kept");
	cr_expect_eq(ap_dex_find_string(dex, "phone") >= 0, 1);
	cr_expect_eq(ap_dex_find_string(dex, "Landroid/telephony/TelephonyManager;") >= 0, 1);
	cr_expect_eq(ap_dex_find_string(dex, "not there"), -1);
	struct ap_buf b = AP_BUF_INIT;
	ap_dex_add_string_escaped(dex, (uint32_t)s, &b);
	cr_expect_str_eq(b.data, "emoji \xf0\x9f\x99\x8f and nul \\x00 end");
	ap_buf_free(&b);
	/* the string load sits at the pc dexdump shows for const-string/jumbo, after the payload */
	size_t n;
	const uint32_t *loads = ap_dex_loads_of(dex, (uint32_t)s, &n);
	cr_assert_eq(n, 1);
	size_t nl;
	const struct ap_dex_string_load *sl = ap_dex_string_loads(dex, &nl);
	cr_expect_eq(sl[loads[0]].pc, 0x1e);
	ap_dex_close(dex);
	free(buf);
}

struct want_call {
	uint32_t pc;
	const char *op, *callee;
};

Test(dex_fixture, call_sites_skip_payloads)
{
	size_t len;
	uint8_t *buf = fixture(&len);
	struct ap_dex *dex = open_ok(buf, len, NULL);
	const struct ap_dex_method *m = find_def(dex, "leak");
	/* pcs from the smali source: payloads inside the method are skipped, not decoded */
	static const struct want_call want[] = {
		{0x02, "invoke-virtual", "Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;"},
		{0x08, "invoke-virtual", "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"},
		{0x28, "invoke-direct", "Ljava/lang/StringBuilder;-><init>()V"},
		{0x2b, "invoke-static/range", "Lcom/example/Leak;->six(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;ILjava/lang/Object;Ljava/lang/Object;)V"},
	};
	cr_assert_eq(m->calls_n, 4);
	size_t n;
	const struct ap_dex_call *calls = ap_dex_calls(dex, &n);
	for (uint32_t i = 0; i < 4; i++) {
		const struct ap_dex_call *c = &calls[m->calls_first + i];
		char *callee = fmt_method(dex, c->callee);
		char *caller = fmt_method(dex, c->caller);
		cr_expect_eq(c->pc, want[i].pc, "call %u pc", i);
		cr_expect_str_eq(ap_dex_opinfo(c->opcode)->name, want[i].op);
		cr_expect_str_eq(callee, want[i].callee);
		cr_expect_str_eq(caller, "Lcom/example/Leak;->leak(Landroid/content/Context;)Ljava/lang/String;");
		free(callee);
		free(caller);
	}
	cr_expect_eq(m->fields_n, 2, "sput-object + iget-object");
	cr_expect_eq(m->types_n, 4, "check-cast, new-array, new-instance, const-class");
	cr_expect_eq(ap_dex_calls_to_named(dex, "Landroid/telephony/TelephonyManager;", "getDeviceId",
					   NULL, NULL), 1);
	cr_expect_eq(ap_dex_calls_to_named(dex, "Landroid/telephony/TelephonyManager;", "getImei",
					   NULL, NULL), 0);
	/* invoke-polymorphic: callee is the MethodHandle method, aux the proto */
	const struct ap_dex_method *p = find_def(dex, "poly");
	cr_assert_eq(p->calls_n, 1);
	const struct ap_dex_call *pc = &calls[p->calls_first];
	cr_expect_str_eq(ap_dex_opinfo(pc->opcode)->name, "invoke-polymorphic");
	struct ap_buf b = AP_BUF_INIT;
	ap_dex_format_proto(dex, pc->aux, &b);
	cr_expect_str_eq(b.data, "(I)V");
	ap_buf_free(&b);
	/* decoder on the fill-array-data payload: 4 + (3*4+1)/2 = 10 units */
	struct ap_dex_insn in;
	cr_expect_eq(ap_dex_method_insn(dex, m, 0x32, &in), 10);
	cr_expect_eq(in.fmt, AP_FMT_PAYLOAD);
	cr_expect_eq(ap_dex_method_insn(dex, m, 0x2b, &in), 3);
	cr_expect_eq(in.n_args, 6);
	cr_expect_eq(in.c, 0);
	ap_dex_close(dex);
	free(buf);
}

Test(dex_fixture, hierarchy)
{
	size_t len;
	uint8_t *buf = fixture(&len);
	struct ap_dex *dex = open_ok(buf, len, NULL);
	/* Runnable.run is not referenced by any method_id: not visible, so nothing to report */
	cr_expect_eq(ap_dex_overridden(dex, find_def(dex, "run")), AP_DEX_NO_INDEX);
	const struct ap_dex_class *sub = ap_dex_class_by_descriptor(dex, "Lcom/example/Sub;");
	cr_assert(sub);
	const struct ap_dex_method *sub_leak = NULL;
	for (uint32_t i = 0; i < sub->n_direct + sub->n_virtual; i++) {
		const struct ap_dex_method *m = ap_dex_method_def(dex, sub->methods_first + i);
		const struct ap_dex_method_id *id = ap_dex_method_id(dex, m->method_idx);
		if (strcmp(ap_dex_string(dex, id->name_idx), "leak") == 0)
			sub_leak = m;
	}
	cr_assert(sub_leak);
	cr_expect_eq(ap_dex_overridden(dex, sub_leak), find_def(dex, "leak")->method_idx,
		     "Sub.leak overrides Leak.leak");
	cr_expect_eq(ap_dex_overridden(dex, find_def(dex, "six")), AP_DEX_NO_INDEX, "static");
	int64_t tsub = ap_dex_find_type(dex, "Lcom/example/Sub;");
	int64_t tact = ap_dex_find_type(dex, "Landroid/app/Activity;");
	int64_t trun = ap_dex_find_type(dex, "Ljava/lang/Runnable;");
	int64_t tsb = ap_dex_find_type(dex, "Ljava/lang/StringBuilder;");
	cr_expect(ap_dex_is_subtype(dex, (uint32_t)tsub, (uint32_t)tact));
	cr_expect(ap_dex_is_subtype(dex, (uint32_t)tsub, (uint32_t)trun), "via Leak's interface");
	cr_expect_not(ap_dex_is_subtype(dex, (uint32_t)tsub, (uint32_t)tsb));
	struct ap_dex *dexes[2] = {NULL, dex};
	const struct ap_dex_class *found;
	cr_expect_eq(ap_dex_multi_find_class(dexes, 2, "Lcom/example/Sub;", &found), 1);
	cr_expect_eq(found, sub);
	ap_dex_close(dex);
	free(buf);
}

Test(dex_fixture, not_a_dex)
{
	static const uint8_t junk[200] = "PK\3\4 not a dex";
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_dex *dex = NULL;
	cr_expect_eq(ap_dex_open(junk, sizeof(junk), "x.dex", &an, &dex), AP_ERR_FORMAT);
	cr_expect_null(dex);
	cr_expect(ap_anom_has(&an, "dex", AP_ERR_FORMAT));
	cr_expect_eq(ap_dex_open(junk, 10, "x.dex", NULL, &dex), AP_ERR_FORMAT);
	ap_anom_free(&an);
}

/* ---- malformed variants ---------------------------------------------------------------- */

enum mut {
	MUT_CHECKSUM, MUT_SIGNATURE, MUT_FILE_SIZE, MUT_HEADER_SIZE, MUT_VERSION, MUT_STRINGS_PAST_EOF,
	MUT_HUGE_METHOD_COUNT, MUT_TYPE_NAMES_BAD_STRING, MUT_TRUNCATE, MUT_CLASS_DATA_PAST_EOF,
	MUT_INSNS_HUGE, MUT_INSNS_PAST_EOF, MUT_HANDLER_OFF, MUT_DUP_CLASS, MUT_MAP_PAST_EOF,
	MUT_STRING_DATA_PAST_EOF,
};

struct mal_case {
	int mut;
	int code;     /* the anomaly that must be recorded */
	char what[48];
};

ParameterizedTestParameters(dex_malformed, variants)
{
	static struct mal_case cases[] = {
		{MUT_CHECKSUM, AP_ERR_CHECKSUM, "adler32 flipped"},
		{MUT_SIGNATURE, AP_ERR_CHECKSUM, "SHA-1 flipped"},
		{MUT_FILE_SIZE, AP_ERR_TAMPER, "file_size field off by one"},
		{MUT_HEADER_SIZE, AP_ERR_FORMAT, "header_size 0x78"},
		{MUT_VERSION, AP_ERR_UNSUPPORTED, "version 099"},
		{MUT_STRINGS_PAST_EOF, AP_ERR_RANGE, "string_ids_off past EOF"},
		{MUT_HUGE_METHOD_COUNT, AP_ERR_TRUNCATED, "method_ids_size 0x00ffffff"},
		{MUT_TYPE_NAMES_BAD_STRING, AP_ERR_RANGE, "type_ids[0] -> string 0x7fffffff"},
		{MUT_TRUNCATE, AP_ERR_TRUNCATED, "file cut in half"},
		{MUT_CLASS_DATA_PAST_EOF, AP_ERR_TRUNCATED, "class_data_off past EOF"},
		{MUT_INSNS_HUGE, AP_ERR_LIMIT, "insns_size above AP_MAX_CODE_UNITS"},
		{MUT_INSNS_PAST_EOF, AP_ERR_TRUNCATED, "insns_size past EOF"},
		{MUT_HANDLER_OFF, AP_ERR_RANGE, "try handler_off out of range"},
		{MUT_DUP_CLASS, AP_ERR_TAMPER, "class defined twice"},
		{MUT_MAP_PAST_EOF, AP_ERR_RANGE, "map_off past EOF"},
		{MUT_STRING_DATA_PAST_EOF, AP_ERR_FORMAT, "string_data_off past EOF"},
	};
	return cr_make_param_array(struct mal_case, cases, sizeof(cases) / sizeof(cases[0]));
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
	b[off + 2] = (uint8_t)(v >> 16);
	b[off + 3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *b, size_t off)
{
	return (uint32_t)b[off] | ((uint32_t)b[off + 1] << 8) | ((uint32_t)b[off + 2] << 16) |
	       ((uint32_t)b[off + 3] << 24);
}

static uint32_t adler(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return (b << 16) | a;
}

ParameterizedTest(struct mal_case *tc, dex_malformed, variants)
{
	size_t len;
	uint8_t *buf = fixture(&len);
	/* where things are, from a parse of the intact file */
	struct ap_dex *orig = open_ok(buf, len, NULL);
	const struct ap_dex_method *leak = find_def(orig, "leak");
	const struct ap_dex_method *six = find_def(orig, "six");
	uint32_t leak_code = leak->code_off, six_code = six->code_off, six_units = six->insns_size;
	const struct ap_dex_class *k = ap_dex_class_def(orig, 0);
	uint32_t class_defs_off = ap_dex_header(orig)->class_defs_off;
	(void)k;
	ap_dex_close(orig);

	uint8_t *m = malloc(len + 64);
	memcpy(m, buf, len);
	size_t mlen = len;
	bool fix_checksum = true;
	switch (tc->mut) {
	case MUT_CHECKSUM: m[8] ^= 1; fix_checksum = false; break;
	case MUT_SIGNATURE: m[12] ^= 1; break;
	case MUT_FILE_SIZE: put32(m, 32, (uint32_t)len + 1); break;
	case MUT_HEADER_SIZE: put32(m, 36, 0x78); break;
	case MUT_VERSION: memcpy(m + 4, "099", 3); break;
	case MUT_STRINGS_PAST_EOF: put32(m, 60, (uint32_t)len + 100); break;
	case MUT_HUGE_METHOD_COUNT: put32(m, 88, 0x00ffffff); break;
	case MUT_TYPE_NAMES_BAD_STRING: put32(m, get32(m, 68), 0x7fffffff); break;
	case MUT_TRUNCATE: mlen = len / 2; break;
	case MUT_CLASS_DATA_PAST_EOF: put32(m, class_defs_off + 24, (uint32_t)len - 1); break;
	case MUT_INSNS_HUGE: put32(m, leak_code + 12, AP_MAX_CODE_UNITS + 1); break;
	case MUT_INSNS_PAST_EOF: put32(m, leak_code + 12, (uint32_t)len); break;
	case MUT_HANDLER_OFF: {
		/* six() has one try: tries follow insns (padded to 4 bytes) */
		size_t tries = six_code + 16 + (size_t)six_units * 2 + (six_units & 1 ? 2 : 0);
		m[tries + 6] = 0xf0;
		m[tries + 7] = 0x7f;
		break;
	}
	case MUT_DUP_CLASS: {
		/* a second class_def that is a copy of the first: append one and bump the count */
		put32(m, 96, 2);
		memcpy(m + class_defs_off + 32, m + class_defs_off, 32); /* overwrites data after it */
		break;
	}
	case MUT_MAP_PAST_EOF: put32(m, 52, (uint32_t)len + 8); break;
	case MUT_STRING_DATA_PAST_EOF: put32(m, get32(m, 60), (uint32_t)len + 5); break;
	}
	if (fix_checksum && mlen >= 12)
		put32(m, 8, adler(m + 12, mlen - 12));
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_dex *dex = NULL;
	int rc = ap_dex_open(m, mlen, "classes.dex", &an, &dex);
	cr_assert(dex, "%s: still a model (rc %d)", tc->what, rc);
	cr_expect(ap_anom_has(&an, "dex", tc->code), "%s: anomaly %s expected", tc->what,
			  ap_err_name(tc->code));
	/* the rest is still used: the class is there unless its table was the target */
	if (tc->mut == MUT_INSNS_HUGE || tc->mut == MUT_HANDLER_OFF || tc->mut == MUT_CHECKSUM ||
	    tc->mut == MUT_SIGNATURE || tc->mut == MUT_FILE_SIZE || tc->mut == MUT_VERSION) {
		cr_expect_eq(ap_dex_class_count(dex), 2, "%s: classes still read", tc->what);
		cr_expect_geq(ap_dex_counts(dex)->calls, 5, "%s: other methods' calls still read",
			      tc->what);
	}
	ap_dex_close(dex);
	ap_anom_free(&an);
	free(m);
	free(buf);
}

/* ---- the decode budget --------------------------------------------------------------------- */

/* uleb128 at b[*off]: the value, *len its bytes */
static uint32_t uleb_at(const uint8_t *b, size_t off, size_t *len)
{
	uint32_t v = 0;
	size_t i = 0;
	do
		v |= (uint32_t)(b[off + i] & 0x7f) << (7 * i);
	while (b[off + i++] & 0x80 && i < 5);
	*len = i;
	return v;
}

/* Writes v as a uleb128 of exactly n bytes (padded with continuation bytes, as dx never does
 * but the format allows). */
static void uleb_put(uint8_t *b, size_t off, uint32_t v, size_t n)
{
	for (size_t i = 0; i < n; i++, v >>= 7)
		b[off + i] = (uint8_t)((v & 0x7f) | (i + 1 < n ? 0x80 : 0));
}

/* A hostile DEX: 300 methods all point at one code item of two instructions whose try has 2000
 * catch types, so each method's handler list is ~6 KB to check against two code units of
 * instructions. The handler bytes count against AP_MAX_DEX_DECODE_FACTOR (dex_code.c): the
 * budget runs out and says so. Counting instructions alone, it never would, and the list would
 * be read 300 times (a fuzzer found a file doing that 122k times over). The control: the same
 * file before its methods are pointed at one code item stays within the budget. */
Test(dex_budget, methods_sharing_a_handler_heavy_code_item_spend_the_budget)
{
	AP_T_NEED_TOOL("smali");
	enum { TYPES = 2000, METHODS = 300 };
	char dir[] = "/tmp/ap_t_heavy_XXXXXX";
	cr_assert(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/Heavy.smali", dir);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fprintf(f, ".class public LHeavy;\n.super Ljava/lang/Object;\n\n"
		   ".method public static heavy()V\n    .registers 1\n    :a\n    nop\n    :b\n");
	for (int i = 0; i < TYPES; i++)
		fprintf(f, "    .catch LE%d; {:a .. :b} :c\n", i);
	fprintf(f, "    :c\n    return-void\n.end method\n");
	for (int i = 0; i < METHODS; i++)
		fprintf(f, "\n.method public static m%d()V\n    .registers 1\n    return-void\n"
			   ".end method\n", i);
	cr_assert_eq(fclose(f), 0);
	int st;
	char *out = ap_t_smali(path, 28, &st);
	unlink(path);
	rmdir(dir);
	cr_assert(out && st == 0, "smali a failed on the generated source");
	size_t len;
	uint8_t *buf = ap_t_slurp(out, &len);
	unlink(out);
	free(out);
	cr_assert(buf);

	/* the control, and where the class data and the heavy code item are */
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_dex *dex = open_ok(buf, len, &an);
	cr_expect_not(ap_anom_has(&an, "dex", AP_ERR_LIMIT), "the file as assembled is in budget");
	ap_anom_free(&an);
	uint32_t heavy_off = 0;
	for (uint32_t i = 0; i < ap_dex_method_def_count(dex); i++)
		if (ap_dex_method_def(dex, i)->tries)
			heavy_off = ap_dex_method_def(dex, i)->code_off;
	uint32_t cd = ap_dex_class_def(dex, 0)->class_data_off;
	ap_dex_close(dex);
	cr_assert(heavy_off && cd);

	/* class_data: four sizes, no fields, then (method_idx_diff, access, code_off) per method;
	 * every code_off rewritten in place to the heavy one, in its own width */
	size_t o = cd, n, n_direct = 0;
	for (int i = 0; i < 4; i++) {
		uint32_t v = uleb_at(buf, o, &n);
		if (i == 2)
			n_direct = v;
		o += n;
	}
	size_t rewritten = 0;
	for (size_t i = 0; i < n_direct; i++) {
		uleb_at(buf, o, &n);
		o += n;
		uleb_at(buf, o, &n);
		o += n;
		uint32_t code = uleb_at(buf, o, &n);
		if (code && code != heavy_off && (heavy_off >> (7 * n)) == 0) {
			uleb_put(buf, o, heavy_off, n);
			rewritten++;
		}
		o += n;
	}
	cr_assert_geq(rewritten, METHODS - 10, "only %zu code_off fields rewritten", rewritten);
	put32(buf, 8, adler(buf + 12, len - 12));

	ap_anom_init(&an);
	dex = NULL;
	int rc = ap_dex_open(buf, len, "classes.dex", &an, &dex);
	cr_assert(dex, "still a model");
	cr_expect_eq(rc, AP_ERR_LIMIT, "a partial model says so (rc %d)", rc);
	cr_expect(ap_anom_has(&an, "dex", AP_ERR_LIMIT),
		  "methods sharing a handler-heavy code item did not exhaust the budget");
	cr_expect_eq(ap_dex_class_count(dex), 1, "the class is still read");
	ap_dex_close(dex);
	ap_anom_free(&an);
	free(buf);
}
