/* Capstone, loaded on first use. Most APKs carry no native code, and linking capstone into every
 * process costs each scan ~1 ms and ~370 page faults before main() (the dynamic loader applies
 * ~100 000 relocations to its instruction tables): so the disassembler opens it with dlopen when
 * the first library is disassembled. The calls keep capstone.h's own types (checked against the
 * header at build time); AP_CAPSTONE_SONAME is the library CMake found. */
#include "disasm_int.h"

#include <dlfcn.h>
#include <string.h>

#ifndef AP_CAPSTONE_SONAME
#error "AP_CAPSTONE_SONAME comes from analyzer/CMakeLists.txt"
#endif

static struct dis_capstone api;
static int state; /* 0: not tried, 1: loaded, -1: failed (once per process) */

_Static_assert(sizeof api.open == sizeof(void *), "function and object pointers differ in size");

/* dlsym returns an object pointer; POSIX guarantees it converts to the function's pointer */
#define BIND(field, sym)                                          \
	do {                                                      \
		void *p_ = dlsym(h, #sym);                        \
		if (!p_)                                          \
			goto out_fail;                            \
		memcpy(&api.field, &p_, sizeof p_);               \
	} while (0)

const struct dis_capstone *dis_capstone(void)
{
	if (state)
		return state > 0 ? &api : NULL;
	state = -1;
	void *h = dlopen(AP_CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return NULL;
	BIND(open, cs_open);
	BIND(option, cs_option);
	BIND(malloc_insn, cs_malloc);
	BIND(disasm_iter, cs_disasm_iter);
	BIND(free_insn, cs_free);
	BIND(close, cs_close);
	state = 1; /* kept loaded for the life of the process */
	return &api;
out_fail:
	dlclose(h);
	return NULL;
}

const char *dis_capstone_error(void)
{
	const char *e = dlerror();
	return e ? e : "capstone could not be loaded";
}
