/* Constant-argument recovery: which imports and JNIEnv functions are sensitive, which of their
 * arguments are worth recovering (a path, a property name, an ioctl request), and turning the
 * register constants that disasm.c tracked per architecture into call records. */
#include "native_int.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* 'S' a C string, 'I' an integer, '-' an argument we do not report. */
static const struct sens_spec imports[] = {
	{"__system_property_get", "S-"},
	{"__system_property_find", "S"},
	{"__system_property_read", "---"},
	{"__system_property_read_callback", "--"},
	{"__system_property_foreach", "--"},
	{"fopen", "SS"},
	{"fopen64", "SS"},
	{"freopen", "SS-"},
	{"open", "SI"},
	{"open64", "SI"},
	{"__open_2", "SI"},
	{"openat", "ISI"},
	{"openat64", "ISI"},
	{"__openat_2", "ISI"},
	{"access", "SI"},
	{"stat", "S-"},
	{"lstat", "S-"},
	{"readlink", "S--"},
	{"opendir", "S"},
	{"getifaddrs", "-"},
	{"ioctl", "-I"},
	{"popen", "SS"},
	{"system", "S"},
	{"execve", "S--"},
	{"execv", "S-"},
	{"execvp", "S-"},
	{"execl", "SS"},
	{"execlp", "SS"},
	{"dlopen", "SI"},
	{"android_dlopen_ext", "SI-"},
	{"dlsym", "-S"},
	{"socket", "III"},
	{"connect", "---"},
	{"sendto", "------"},
	{"getaddrinfo", "SS--"},
	{"gethostbyname", "S"},
	{"getprop", "S"},
	{"curl_easy_setopt", "-I-"},
};

const struct sens_spec *sens_import_spec(const char *name)
{
	for (size_t i = 0; i < sizeof(imports) / sizeof(imports[0]); i++)
		if (strcmp(name, imports[i].name) == 0)
			return &imports[i];
	return NULL;
}

/* JNIEnv functions we report; args after env. */
const struct sens_spec *sens_jnienv_spec(unsigned idx)
{
	static struct sens_spec lookups[] = {
		{"FindClass", "S"},          /* 6 */
		{"GetMethodID", "-SS"},      /* 33 */
		{"GetFieldID", "-SS"},       /* 94 */
		{"GetStaticMethodID", "-SS"}, /* 113 */
		{"GetStaticFieldID", "-SS"}, /* 144 */
		{"RegisterNatives", "--I"},  /* 215 */
	};
	static struct sens_spec call = {NULL, "--"};
	const char *name = ap_native_jnienv_name(idx);
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++)
		if (strcmp(name, lookups[i].name) == 0)
			return &lookups[i];
	/* Call<Type>Method[V|A], CallStatic..., CallNonvirtual...: the object and method ID are
	 * not constants, but the call itself is evidence that native code calls back into Java */
	if (strncmp(name, "Call", 4) == 0)
		return &call;
	return NULL;
}

static bool push_call(struct elf *e, const struct ap_native_call *c)
{
	if (e->n_calls >= AP_MAX_NATIVE_CALLS) {
		if (!e->calls_full)
			elf_anom(e, AP_OFFSET_NONE, AP_ERR_LIMIT, "more than %u call sites; rest dropped",
				 AP_MAX_NATIVE_CALLS);
		e->calls_full = true;
		return false;
	}
	if (e->n_calls == e->cap_calls) {
		size_t nc = e->cap_calls ? e->cap_calls * 2 : 32;
		struct ap_native_call *p = realloc(e->calls, nc * sizeof(*p));
		if (!p)
			return false;
		e->calls = p;
		e->cap_calls = nc;
	}
	e->calls[e->n_calls++] = *c;
	return true;
}

static void push_regnative(struct elf *e, const struct ap_native_regnative *r)
{
	if (e->n_regs >= AP_MAX_NATIVE_CALLS)
		return;
	if (e->n_regs == e->cap_regs) {
		size_t nc = e->cap_regs ? e->cap_regs * 2 : 16;
		struct ap_native_regnative *p = realloc(e->regs, nc * sizeof(*p));
		if (!p)
			return;
		e->regs = p;
		e->cap_regs = nc;
	}
	e->regs[e->n_regs++] = *r;
}

/* RegisterNatives(env, clazz, methods, n): a constant JNINativeMethod[n] {name, sig, fnPtr} in
 * .data.rel.ro, whose pointers are relocations we resolve the way the loader would. */
static void read_native_methods(struct elf *e, uint64_t call, uint64_t table, uint64_t n)
{
	unsigned ps = e->is64 ? 8 : 4;
	if (n == 0 || n > 4096)
		return;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t at = table + i * 3 * ps, name_va, sig_va, fn;
		if (!elf_reloc_ptr(e, at, &name_va) || !elf_reloc_ptr(e, at + ps, &sig_va) ||
		    !elf_reloc_ptr(e, at + 2 * ps, &fn))
			return;
		struct ap_native_regnative r = {0};
		r.name = elf_string_at(e, name_va);
		r.signature = elf_string_at(e, sig_va);
		if (!r.name)
			return;
		r.fn = e->machine == EM_ARM ? fn & ~(uint64_t)1 : fn;
		r.call_vaddr = call;
		push_regnative(e, &r);
	}
}

static const struct elf_mark *enclosing(const struct elf *e, uint64_t va)
{
	const struct elf_mark *best = NULL;
	size_t lo = elf_first_key(e->marks, e->n_marks, sizeof *e->marks,
				  offsetof(struct elf_mark, addr), va, true);
	for (size_t i = lo; i-- > 0;) {
		if (e->marks[i].name) {
			best = &e->marks[i];
			break;
		}
	}
	return best;
}

void elf_add_call(struct elf *e, enum ap_native_call_kind kind, const char *sym,
		  const struct sens_spec *spec, uint64_t vaddr, const uint64_t *vals,
		  const bool *known, unsigned nvals)
{
	struct ap_native_call c = {0};
	c.kind = kind;
	c.symbol = sym;
	c.vaddr = vaddr;
	if (!elf_va_to_off(e, vaddr, 1, &c.offset))
		c.offset = vaddr;
	const struct elf_mark *m = enclosing(e, vaddr);
	if (m) {
		c.func = m->addr;
		c.func_name = m->name;
	}
	size_t na = strlen(spec->args);
	for (size_t i = 0; i < na && i < AP_NATIVE_MAX_ARGS; i++) {
		struct ap_native_arg *a = &c.args[i];
		c.n_args = (unsigned)(i + 1);
		if (spec->args[i] == '-' || i >= nvals || !known[i])
			continue;
		a->val = vals[i];
		if (spec->args[i] == 'S') {
			a->str = elf_string_at(e, vals[i]);
			a->kind = a->str ? AP_NARG_STR : AP_NARG_INT;
		} else {
			a->kind = AP_NARG_INT;
		}
	}
	if (kind == AP_NCALL_JNIENV && strcmp(sym, "RegisterNatives") == 0 && nvals >= 3 &&
	    known[1] && known[2])
		read_native_methods(e, vaddr, vals[1], vals[2]);
	push_call(e, &c);
}
