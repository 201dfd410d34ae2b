/* Unit tests for analyzer/native: the fixture libraries built from tests/fixtures/native/probe.c
 * (per ABI, also with section headers stripped or garbage), checked against objdump's view of the
 * PLT calls; every corpus .so's imports against readelf; JNI name decoding; the JNIEnv table
 * against the installed jni.h; and malformed inputs that must not crash. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer/native/native.h"
#include "analyzer/native/native_int.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_test.h"
#include "native_t.h"

/* ap_test.h's AP_T_NEED_* call cr_fail("...") as the new-API macro; with the classic assert API
 * cr_fail takes a fail mode first: map it (as tests/unit/apk does). */
#undef cr_fail
#define cr_fail(...) cr_assert(0, __VA_ARGS__)


struct fix {
	char abi_dir[32];
	char variant[24]; /* "", "-noshdr", "-badshdr" */
	char abi[16];
	char objdump[40];
};

static struct fix fixtures[] = {
	{"arm64-v8a", "", "arm64-v8a", "aarch64-linux-gnu-objdump"},
	{"arm64-v8a", "-noshdr", "arm64-v8a", ""},
	{"arm64-v8a", "-badshdr", "arm64-v8a", ""},
	{"armeabi-v7a", "", "armeabi-v7a", "arm-linux-gnueabihf-objdump"},
	{"armeabi-v7a", "-noshdr", "armeabi-v7a", ""},
	{"armeabi-v7a", "-badshdr", "armeabi-v7a", ""},
	{"armeabi-v7a-thumb", "", "armeabi-v7a", "arm-linux-gnueabihf-objdump"},
	{"armeabi-v7a-thumb", "-noshdr", "armeabi-v7a", ""},
	{"armeabi-v7a-thumb", "-badshdr", "armeabi-v7a", ""},
	{"x86_64", "", "x86_64", "objdump"},
	{"x86_64", "-noshdr", "x86_64", ""},
	{"x86_64", "-badshdr", "x86_64", ""},
};

static struct ap_native_lib *open_file(const char *path, struct ap_anomalies *an, uint8_t **buf)
{
	size_t len;
	*buf = ap_t_slurp(path, &len);
	cr_assert(*buf, "cannot read %s", path);
	struct ap_native_lib *lib = NULL;
	int rc = ap_native_open(*buf, len, path, an, &lib);
	cr_assert_eq(rc, AP_OK, "%s: %s", path, ap_strerror(rc));
	return lib;
}

ParameterizedTestParameters(native_fixture, reports_sensitive_calls_with_args)
{
	return cr_make_param_array(struct fix, fixtures, sizeof(fixtures) / sizeof(fixtures[0]));
}

ParameterizedTest(struct fix *f, native_fixture, reports_sensitive_calls_with_args)
{
	char path[512];
	snprintf(path, sizeof(path), FIXDIR "/%s/libprobe%s.so", f->abi_dir, f->variant);
	struct ap_anomalies an;
	ap_anom_init(&an);
	uint8_t *buf;
	struct ap_native_lib *l = open_file(path, &an, &buf);
	cr_expect_str_eq(l->abi, f->abi);
	const struct ap_native_call *c = find_call(l, "__system_property_get");
	cr_expect_str_eq(arg_str(c, 0), "ro.serialno", "%s", path);
	c = find_call(l, "fopen");
	cr_expect_str_eq(arg_str(c, 0), "/sys/class/net/wlan0/address", "%s", path);
	c = find_call(l, "GetMethodID");
	cr_expect(c && c->kind == AP_NCALL_JNIENV, "%s: no GetMethodID", path);
	cr_expect_str_eq(arg_str(c, 1), "getDeviceId", "%s", path);
	cr_expect_str_eq(arg_str(c, 2), "()Ljava/lang/String;", "%s", path);
	c = find_call(l, "FindClass");
	cr_expect_str_eq(arg_str(c, 0), "android/telephony/TelephonyManager", "%s", path);
	c = find_call(l, "ioctl");
	cr_expect(c && c->args[1].kind == AP_NARG_INT && c->args[1].val == 0x8927, "%s", path);
	c = find_call(l, "dlsym");
	cr_expect_str_eq(arg_str(c, 1), "getNetworkForDns", "%s", path);
	c = find_call(l, "getaddrinfo");
	cr_expect_str_eq(arg_str(c, 0), "telemetry.example.com", "%s", path);
	/* JavaVM->GetEnv in JNI_OnLoad sits at the same table index as FindClass: not a JNIEnv call */
	for (size_t i = 0; i < l->n_calls; i++)
		if (l->calls[i].kind == AP_NCALL_JNIENV && strcmp(l->calls[i].symbol, "FindClass") == 0)
			cr_expect(l->calls[i].args[0].kind == AP_NARG_STR,
				  "%s: FindClass at 0x%llx without a constant", path,
				  (unsigned long long)l->calls[i].vaddr);
	cr_expect(l->has_jni_onload);
	cr_expect_eq(l->n_jni, 3);
	bool dev = false;
	for (size_t i = 0; i < l->n_jni; i++)
		if (strcmp(l->jni[i].method, "deviceId") == 0) {
			dev = true;
			cr_expect_str_eq(l->jni[i].class_name, "org/apkpriv/fixture/Probe");
			cr_expect_str_eq(l->jni[i].signature, "(Landroid/content/Context;)");
		}
	cr_expect(dev);
	cr_expect_eq(l->n_registered, 1, "%s: RegisterNatives table", path);
	if (l->n_registered) {
		cr_expect_str_eq(l->registered[0].name, "hw");
		cr_expect_str_eq(l->registered[0].signature, "()I");
	}
	cr_expect_eq(l->n_net_imports, 2);
	cr_expect_eq(l->n_urls, 1);
	if (f->variant[0]) {
		cr_expect_not(l->section_headers_ok);
		cr_expect(ap_anom_has(&an, "elf", AP_ERR_TAMPER), "%s: tamper anomaly", path);
	} else {
		cr_expect(l->section_headers_ok);
	}
	ap_native_close(l);
	free(buf);
	ap_anom_free(&an);
}

/* objdump names every PLT call (`bl 610 <__system_property_get@plt>`); each one of a symbol we
 * report must be in our call list at the same address, and we report no other import calls. */
ParameterizedTestParameters(native_fixture, plt_calls_match_objdump)
{
	/* only the copies with section headers: objdump cannot label the others */
	static struct fix labelled[sizeof(fixtures) / sizeof(fixtures[0])];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		if (fixtures[i].objdump[0])
			labelled[n++] = fixtures[i];
	return cr_make_param_array(struct fix, labelled, n);
}

ParameterizedTest(struct fix *f, native_fixture, plt_calls_match_objdump)
{
	AP_T_NEED_TOOL(f->objdump);
	char path[512];
	snprintf(path, sizeof(path), FIXDIR "/%s/libprobe.so", f->abi_dir);
	char *argv[] = {f->objdump, "-d", "--no-show-raw-insn", path, NULL};
	int st;
	char *out = ap_t_run(argv, 1 << 22, &st);
	cr_assert(out && st == 0);
	uint8_t *buf;
	struct ap_native_lib *l = open_file(path, NULL, &buf);
	size_t n_ref = 0, n_ours = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long addr;
		char sym[128];
		const char *lt = strchr(line, '<');
		if (sscanf(line, " %llx:", &addr) != 1 || !strstr(line, ":\t") || !lt ||
		    !strstr(lt, "@plt>") ||
		    sscanf(lt, "<%127[^@]@plt>", sym) != 1)
			continue;
		if (!sens_import_spec(sym) && !ap_native_is_net_import(sym))
			continue;
		if (strstr(line, ".plt") || strstr(line, "\tadrp") || strstr(line, "\tadd"))
			continue;
		n_ref++;
		bool found = false;
		for (size_t i = 0; i < l->n_calls; i++)
			if (l->calls[i].vaddr == addr && strcmp(l->calls[i].symbol, sym) == 0)
				found = true;
		cr_expect(found, "%s: objdump call to %s at 0x%llx not reported", path, sym, addr);
	}
	for (size_t i = 0; i < l->n_calls; i++)
		n_ours += l->calls[i].kind == AP_NCALL_IMPORT;
	cr_expect_eq(n_ours, n_ref, "%s: %zu import calls reported, objdump shows %zu", path, n_ours,
		     n_ref);
	cr_expect_gt(n_ref, 5);
	ap_native_close(l);
	free(buf);
	free(out);
}

/* Every .so in the corpus APKs: our imports == readelf's UND dynamic symbols (versions cut). */
static void check_so(const char *apk, const char *entry, size_t *n_checked)
{
	char *pargv[] = {"unzip", "-p", (char *)apk, (char *)entry, NULL};
	int st;
	char tmpl[] = "/tmp/ap_native_XXXXXX";
	int fd = mkstemp(tmpl);
	cr_assert(fd >= 0);
	char *data = ap_t_run(pargv, 64u << 20, &st);
	/* ap_t_run returns a NUL-terminated string; get the real size from unzip -l instead */
	char *largv[] = {"unzip", "-Z", "-l", (char *)apk, (char *)entry, NULL};
	char *info = ap_t_run(largv, 4096, &st);
	unsigned long long size = 0;
	if (info) {
		char perm[32], ver[32], os[32];
		sscanf(info, "%31s %31s %31s %llu", perm, ver, os, &size);
	}
	cr_assert(data && size > 0, "%s!%s: unzip failed", apk, entry);
	cr_assert_eq(write(fd, data, (size_t)size), (ssize_t)size);
	close(fd);
	char *rargv[] = {"readelf", "--dyn-syms", "-W", tmpl, NULL};
	char *ref = ap_t_run(rargv, 16u << 20, &st);
	cr_assert(ref);
	/* the reference set */
	size_t n_ref = 0, cap = 256;
	char **refs = malloc(cap * sizeof(*refs));
	for (char *line = strtok(ref, "\n"); line; line = strtok(NULL, "\n")) {
		char c[8][160];
		int k = sscanf(line, "%159s %159s %159s %159s %159s %159s %159s %159s", c[0], c[1],
			       c[2], c[3], c[4], c[5], c[6], c[7]);
		if (k != 8 || strcmp(c[6], "UND") != 0)
			continue;
		char *at = strchr(c[7], '@');
		if (at)
			*at = 0;
		if (n_ref == cap)
			refs = realloc(refs, (cap *= 2) * sizeof(*refs));
		bool dup = false;
		for (size_t i = 0; i < n_ref; i++)
			dup |= strcmp(refs[i], c[7]) == 0;
		if (!dup)
			refs[n_ref++] = strdup(c[7]);
	}
	uint8_t *buf;
	struct ap_native_lib *l = open_file(tmpl, NULL, &buf);
	cr_expect_eq(l->n_imports, n_ref, "%s!%s: %zu imports, readelf %zu", apk, entry,
		     l->n_imports, n_ref);
	for (size_t i = 0; i < n_ref; i++) {
		bool found = false;
		for (size_t j = 0; j < l->n_imports; j++)
			found |= strcmp(l->imports[j], refs[i]) == 0;
		cr_expect(found, "%s!%s: readelf import %s missing", apk, entry, refs[i]);
		free(refs[i]);
	}
	free(refs);
	ap_native_close(l);
	free(buf);
	free(ref);
	free(info);
	free(data);
	unlink(tmpl);
	(*n_checked)++;
}

static void readelf_one(const char *apk, const char *entry, void *ctx)
{
	/* a 6-byte placeholder (androguard apksig fixture) is not an ELF */
	int st;
	char *zargv[] = {"unzip", "-p", (char *)apk, (char *)entry, NULL};
	char *head = ap_t_run(zargv, 8, &st);
	bool elf = head && memcmp(head, "\177ELF", 4) == 0;
	free(head);
	if (elf)
		check_so(apk, entry, ctx);
}

Test(native_corpus, imports_match_readelf)
{
	AP_T_NEED_CORPUS();
	AP_T_NEED_TOOL("readelf");
	AP_T_NEED_TOOL("unzip");
	size_t n = 0;
	each_corpus_so("lib/", readelf_one, &n);
	cr_expect_geq(n, 20, "only %zu corpus .so files checked", n);
}

struct jni_case {
	char sym[128];
	char cls[64];
	char method[32];
	char sig[64];
};

static struct jni_case jni_cases[] = {
	{"Java_com_example_Foo_bar", "com/example/Foo", "bar", ""},
	{"Java_com_ex_1ample_Foo_do_1it", "com/ex_ample/Foo", "do_it", ""},
	{"Java_p_C_m__Ljava_lang_String_2I", "p/C", "m", "(Ljava/lang/String;I)"},
	{"Java_p_C_m___3B", "p/C", "m", "([B)"},
	{"Java_p_C_m__", "p/C", "m", "()"},
	{"Java_p_C__000e9t_000e9", "p/C", "\xc3\xa9t\xc3\xa9", ""},
	{"Java_p_C__1m__I", "p/C", "_m", "(I)"},
	{"Java_p_C_000e9_m", "p/C\xc3\xa9", "m", ""},
	{"Java_Foo_bar", "Foo", "bar", ""},
};

ParameterizedTestParameters(native_jni, decodes_mangled_names)
{
	return cr_make_param_array(struct jni_case, jni_cases,
				   sizeof(jni_cases) / sizeof(jni_cases[0]));
}

ParameterizedTest(struct jni_case *c, native_jni, decodes_mangled_names)
{
	char *cls, *m, *sig;
	cr_assert(ap_native_jni_decode(c->sym, &cls, &m, &sig), "%s", c->sym);
	cr_expect_str_eq(cls, c->cls);
	cr_expect_str_eq(m, c->method);
	cr_expect_str_eq(sig ? sig : "", c->sig);
	free(cls);
	free(m);
	free(sig);
}

Test(native_jni, rejects_malformed_names)
{
	const char *bad[] = {"Java_", "Java_Foo", "Java__bar", "Java_p_C_m_0zzzz", "Java_p_C_",
			     "Java_p_C_m_00000", "JavaX_a_b"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *cls, *m, *sig;
		cr_expect_not(ap_native_jni_decode(bad[i], &cls, &m, &sig), "%s", bad[i]);
	}
}

/* The index -> name table must be jni.h's JNINativeInterface member order. */
Test(native_jni, jnienv_table_matches_jni_h)
{
	glob_t g;
	if (glob("/usr/lib/jvm/*/include/jni.h", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		if (getenv("CI"))
			cr_fail("CI=true but no JDK jni.h");
		cr_skip_test("skipped: no /usr/lib/jvm/*/include/jni.h");
	}
	size_t len;
	char *h = (char *)ap_t_slurp(g.gl_pathv[0], &len);
	globfree(&g);
	cr_assert(h);
	char *p = strstr(h, "struct JNINativeInterface_ {");
	cr_assert(p);
	char *end = strstr(p, "};");
	cr_assert(end);
	*end = 0;
	unsigned idx = 0;
	while ((p = strpbrk(p, "r(")) != NULL) {
		char name[64];
		if (sscanf(p, "reserved%*d%63[;]", name) == 1) {
			char want[16];
			snprintf(want, sizeof(want), "reserved%u", idx);
			cr_expect_str_eq(ap_native_jnienv_name(idx), want);
			idx++;
			p += 8;
		} else if (sscanf(p, "(JNICALL *%63[A-Za-z0-9_])", name) == 1) {
			cr_expect_str_eq(ap_native_jnienv_name(idx) ? ap_native_jnienv_name(idx) : "",
					 name, "index %u", idx);
			idx++;
			p++;
		} else {
			p++;
		}
	}
	cr_expect_geq(idx, 229u);
	cr_expect_str_eq(ap_native_jnienv_name(6), "FindClass");
	cr_expect_str_eq(ap_native_jnienv_name(33), "GetMethodID");
	cr_expect_str_eq(ap_native_jnienv_name(113), "GetStaticMethodID");
	cr_expect_str_eq(ap_native_jnienv_name(215), "RegisterNatives");
	free(h);
}

Test(native_abi, names_like_android)
{
	cr_expect_str_eq(ap_native_abi_name(183, true), "arm64-v8a");
	cr_expect_str_eq(ap_native_abi_name(40, false), "armeabi-v7a");
	cr_expect_str_eq(ap_native_abi_name(3, false), "x86");
	cr_expect_str_eq(ap_native_abi_name(62, true), "x86_64");
	cr_expect_str_eq(ap_native_abi_name(8, false), "mips");
	cr_expect_str_eq(ap_native_abi_name(8, true), "mips64");
	cr_expect_str_eq(ap_native_abi_name(9999, true), "unknown");
}

/* Hostile variants of a real fixture: every truncation point of the headers and byte flips in
 * the dynamic segment must give AP_OK or AP_ERR_FORMAT, never a crash (ASan build checks). */
Test(native_malformed, truncations_and_flips_do_not_crash)
{
	size_t len;
	uint8_t *orig = ap_t_slurp(FIXDIR "/armeabi-v7a-thumb/libprobe.so", &len);
	cr_assert(orig);
	for (size_t cut = 0; cut < len; cut += cut < 256 ? 1 : 97) {
		uint8_t *b = malloc(cut ? cut : 1);
		memcpy(b, orig, cut);
		struct ap_native_lib *l = NULL;
		int rc = ap_native_open(b, cut, "cut", NULL, &l);
		cr_expect(rc == AP_OK || rc == AP_ERR_FORMAT, "cut %zu: %d", cut, rc);
		ap_native_close(l);
		free(b);
	}
	uint8_t *b = malloc(len);
	unsigned seed = 12345;
	for (int round = 0; round < 300; round++) {
		memcpy(b, orig, len);
		for (int k = 0; k < 8; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % (len < 4096 ? len : 4096);
			b[at] ^= (uint8_t)(seed >> 3);
		}
		struct ap_native_lib *l = NULL;
		int rc = ap_native_open(b, len, "flip", NULL, &l);
		cr_expect(rc == AP_OK || rc == AP_ERR_FORMAT || rc == AP_ERR_LIMIT, "round %d: %d",
			  round, rc);
		ap_native_close(l);
	}
	free(b);
	free(orig);
}

Test(native_malformed, not_elf_is_format_error)
{
	const uint8_t junk[] = "PK\003\004 definitely not an ELF";
	struct ap_native_lib *l = (struct ap_native_lib *)1;
	cr_expect_eq(ap_native_open(junk, sizeof(junk), "junk", NULL, &l), AP_ERR_FORMAT);
	cr_expect_null(l);
	const uint8_t be[] = {0x7f, 'E', 'L', 'F', 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 40};
	struct ap_anomalies an;
	ap_anom_init(&an);
	cr_expect_eq(ap_native_open(be, sizeof(be), "be", &an, &l), AP_ERR_FORMAT);
	cr_expect(ap_anom_has(&an, "elf", AP_ERR_UNSUPPORTED));
	ap_anom_free(&an);
}

/* Section headers that call .text data are a lie Android never notices: the code symbols in it
 * make the disassembler distrust them, decode everything and find the same calls. */
/* ---- ELF64 little-endian patching helpers for the section-header tests ---- */

/* Section header i of b, or NULL. */
static uint8_t *shdr_at(uint8_t *b, size_t len, unsigned i)
{
	uint64_t shoff;
	uint16_t shentsize, shnum;
	memcpy(&shoff, b + 0x28, 8);
	memcpy(&shentsize, b + 0x3a, 2);
	memcpy(&shnum, b + 0x3c, 2);
	if (i >= shnum || shentsize < 64 || shoff + (uint64_t)(i + 1) * shentsize > len)
		return NULL;
	return b + shoff + (uint64_t)i * shentsize;
}

/* The section header named name, or NULL. */
static uint8_t *shdr_named(uint8_t *b, size_t len, const char *name)
{
	uint16_t shstrndx;
	memcpy(&shstrndx, b + 0x3e, 2);
	uint8_t *str = shdr_at(b, len, shstrndx);
	uint64_t stroff;
	cr_assert(str);
	memcpy(&stroff, str + 0x18, 8);
	uint8_t *sh;
	for (unsigned i = 0; (sh = shdr_at(b, len, i)); i++) {
		uint32_t n;
		memcpy(&n, sh, 4);
		if (stroff + n < len && strcmp((const char *)b + stroff + n, name) == 0)
			return sh;
	}
	return NULL;
}

/* Every Elf64_Sym named name in .dynsym and .symtab: its value, and its type set to type when
 * type >= 0. Returns how many were found. */
static unsigned sym_patch(uint8_t *b, size_t len, const char *name, int type, uint64_t *value)
{
	static const char *const tabs[][2] = {{".dynsym", ".dynstr"}, {".symtab", ".strtab"}};
	unsigned found = 0;
	for (unsigned t = 0; t < 2; t++) {
		uint8_t *sh = shdr_named(b, len, tabs[t][0]), *st = shdr_named(b, len, tabs[t][1]);
		if (!sh || !st)
			continue;
		uint64_t off, size, stroff;
		memcpy(&off, sh + 0x18, 8);
		memcpy(&size, sh + 0x20, 8);
		memcpy(&stroff, st + 0x18, 8);
		for (uint64_t k = 0; k + 24 <= size && off + k + 24 <= len; k += 24) {
			uint8_t *e = b + off + k;
			uint32_t n;
			memcpy(&n, e, 4);
			if (stroff + n >= len || strcmp((const char *)b + stroff + n, name) != 0)
				continue;
			if (type >= 0)
				e[4] = (uint8_t)((e[4] & 0xf0) | type);
			memcpy(value, e + 8, 8);
			found++;
		}
	}
	return found;
}

/* The arm64 fixture with Java_..._serial (which calls __system_property_get) declared data by a
 * forged section header (.comment made SHF_ALLOC over its bytes) and its symbol made NOTYPE;
 * unless unwind, its PT_GNU_EH_FRAME is made PT_NULL too, so that nothing vouches for the
 * code there; with call, the first instruction of Java_..._deviceId becomes a BL to it. */
static uint8_t *serial_hidden_as_data(bool call, bool unwind, size_t *len)
{
	uint8_t *b = ap_t_slurp(FIXDIR "/arm64-v8a/libprobe.so", len);
	cr_assert(b && *len > 64);
	uint64_t serial = 0, device = 0;
	cr_assert_geq(sym_patch(b, *len, "Java_org_apkpriv_fixture_Probe_serial", 0, &serial), 1);
	cr_assert_geq(sym_patch(b, *len, "Java_org_apkpriv_fixture_Probe_deviceId__Landroid_"
				    "content_Context_2", -1, &device), 1);
	uint8_t *sh = shdr_named(b, *len, ".comment");
	cr_assert(sh, "no .comment in the fixture");
	uint32_t type = 1;          /* SHT_PROGBITS */
	uint64_t flags = 2, n = 68; /* SHF_ALLOC; the function's size */
	memcpy(sh + 0x04, &type, 4);
	memcpy(sh + 0x08, &flags, 8);
	memcpy(sh + 0x10, &serial, 8); /* sh_addr */
	memcpy(sh + 0x18, &serial, 8); /* sh_offset: the first segment maps file = vaddr */
	memcpy(sh + 0x20, &n, 8);
	uint64_t phoff;
	uint16_t phentsize, phnum;
	memcpy(&phoff, b + 0x20, 8);
	memcpy(&phentsize, b + 0x36, 2);
	memcpy(&phnum, b + 0x38, 2);
	bool had_unwind = false;
	for (unsigned i = 0; i < phnum && phoff + (uint64_t)(i + 1) * phentsize <= *len; i++) {
		uint8_t *ph = b + phoff + (uint64_t)i * phentsize;
		uint32_t pt;
		memcpy(&pt, ph, 4);
		if (pt == 0x6474e550u) { /* PT_GNU_EH_FRAME */
			had_unwind = true;
			if (!unwind)
				memset(ph, 0, 4); /* PT_NULL */
		}
	}
	cr_assert(had_unwind, "the fixture has no PT_GNU_EH_FRAME");
	if (call) {
		uint32_t bl = 0x94000000u | (uint32_t)(((int64_t)serial - (int64_t)device) / 4 &
						       0x03ffffff);
		cr_assert(device + 4 <= *len);
		memcpy(b + device, &bl, 4);
	}
	return b;
}

static bool anom_says(const struct ap_anomalies *an, const char *what)
{
	for (size_t i = 0; i < an->count; i++)
		if (strstr(an->items[i].what, what))
			return true;
	return false;
}

/* Declared data is skipped unless something vouches for code there: a direct call into it, or
 * a function start in the unwind tables; either way the call inside is reported and an
 * anomaly says why the range was decoded. */
Test(native_sections, declared_data_with_code_evidence_is_decoded)
{
	static const struct {
		bool call, unwind;
		const char *said; /* NULL: no anomaly, and the call stays unseen */
	} cases[] = {
		{false, false, NULL},
		{true, false, "which the section headers declare data; decoded it as code"},
		{false, true, "code symbol (unwind-table function) at"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		size_t len;
		uint8_t *b = serial_hidden_as_data(cases[k].call, cases[k].unwind, &len);
		struct ap_anomalies an;
		ap_anom_init(&an);
		struct ap_native_lib *lib = NULL;
		cr_assert_eq(ap_native_open(b, len, "hidden.so", &an, &lib), AP_OK);
		const struct ap_native_call *c = find_call(lib, "__system_property_get");
		if (!cases[k].said) {
			cr_expect_null(c, "case %zu: a call in declared data nothing vouches for was "
				       "reported", k);
			cr_expect_not(anom_says(&an, "declare data"), "case %zu", k);
		} else {
			cr_expect(anom_says(&an, cases[k].said), "case %zu: no anomaly \"%s\"", k,
				  cases[k].said);
			cr_expect_str_eq(arg_str(c, 0), "ro.serialno", "case %zu", k);
		}
		ap_native_close(lib);
		ap_anom_free(&an);
		free(b);
	}
}

Test(native_sections, code_labelled_data_is_still_decoded)
{
	size_t len;
	uint8_t *b = ap_t_slurp(FIXDIR "/arm64-v8a/libprobe.so", &len);
	cr_assert(b && len > 64);
	uint8_t *text = shdr_named(b, len, ".text");
	bool found = text != NULL;
	if (text)
		text[8] &= (uint8_t)~0x4; /* sh_flags: SHF_EXECINSTR off */
	cr_assert(found, "no .text in the fixture");
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_native_lib *lib = NULL;
	cr_assert_eq(ap_native_open(b, len, "liar.so", &an, &lib), AP_OK);
	cr_expect(anom_says(&an, "declare data"), "no anomaly about code in declared data");
	const struct ap_native_call *c = find_call(lib, "__system_property_get");
	cr_expect_str_eq(arg_str(c, 0), "ro.serialno");
	ap_native_close(lib);
	ap_anom_free(&an);
	free(b);
}

/* Genuine, stripped libraries from Debian's packages (the host's libc, the cross compilers'
 * arm64 and armhf libc and libstdc++): nothing in them is tampered with, so no elf `tamper`
 * anomaly may appear. Stripped ARM code is the hard case: literal pools and Thumb/ARM spans no
 * symbol describes, which decoded as instructions give BLs to anywhere. */
Test(native_genuine, debian_libraries_raise_no_tamper_anomaly, .timeout = 120)
{
	static const char *const libs[] = {
		"/lib/x86_64-linux-gnu/libc.so.6",
		"/usr/aarch64-linux-gnu/lib/libc.so.6",
		"/usr/aarch64-linux-gnu/lib/libstdc++.so.6",
		"/usr/arm-linux-gnueabihf/lib/libc.so.6",
		"/usr/arm-linux-gnueabihf/lib/libm.so.6",
		"/usr/arm-linux-gnueabihf/lib/libstdc++.so.6",
	};
	size_t done = 0;
	for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		size_t len;
		uint8_t *b = ap_t_slurp(libs[i], &len);
		if (!b) {
			if (getenv("CI"))
				cr_expect(0, "CI=true but %s is missing (gcc cross compilers)", libs[i]);
			continue;
		}
		struct ap_anomalies an;
		ap_anom_init(&an);
		struct ap_native_lib *lib = NULL;
		cr_assert_eq(ap_native_open(b, len, libs[i], &an, &lib), AP_OK, "%s", libs[i]);
		for (size_t k = 0; k < an.count; k++)
			cr_expect(an.items[k].code != AP_ERR_TAMPER, "%s: %s", libs[i],
				  an.items[k].what);
		cr_expect_gt(lib->n_insns, 10000, "%s: %zu instructions", libs[i],
			     (size_t)lib->n_insns);
		ap_native_close(lib);
		ap_anom_free(&an);
		free(b);
		done++;
	}
	if (!done)
		cr_skip_test("skipped: none of the Debian libraries is installed");
}
