/* Capstone, loaded on first use. Most APKs carry no native code, and linking capstone into every
 * process costs each scan ~1 ms and ~370 page faults before main() (the dynamic loader applies
 * ~100 000 relocations to its instruction tables): so the disassembler opens it with dlopen when
 * the first library is disassembled, or in the background as soon as the scan sees that the APK
 * has native libraries (ap_native_preload). The calls keep capstone.h's own types (checked against the
 * header at build time); AP_CAPSTONE_SONAME is the library CMake found. */
#include "disasm_int.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifndef AP_CAPSTONE_SONAME
#error "AP_CAPSTONE_SONAME comes from analyzer/CMakeLists.txt"
#endif

static struct dis_capstone api;
static bool loaded;
static char load_error[256]; /* dlerror() is per thread: kept for whoever asks */
static pthread_once_t once = PTHREAD_ONCE_INIT;

_Static_assert(sizeof api.open == sizeof(void *), "function and object pointers differ in size");

/* dlsym returns an object pointer; POSIX guarantees it converts to the function's pointer */
#define BIND(field, sym)                                          \
	do {                                                      \
		void *p_ = dlsym(h, #sym);                        \
		if (!p_)                                          \
			goto out_fail;                            \
		memcpy(&api.field, &p_, sizeof p_);               \
	} while (0)

static void load(void)
{
	void *h = dlopen(AP_CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(load_error, sizeof load_error, "%s", e ? e : "dlopen failed");
		return;
	}
	BIND(open, cs_open);
	BIND(option, cs_option);
	BIND(malloc_insn, cs_malloc);
	BIND(disasm_iter, cs_disasm_iter);
	BIND(free_insn, cs_free);
	BIND(close, cs_close);
	loaded = true; /* kept loaded for the life of the process */
	return;
out_fail:
	snprintf(load_error, sizeof load_error, "%s lacks a cs_* entry point", AP_CAPSTONE_SONAME);
	dlclose(h);
}

const struct dis_capstone *dis_capstone(void)
{
	pthread_once(&once, load);
	return loaded ? &api : NULL;
}

bool dis_capstone_loaded(void)
{
	return loaded;
}

const char *dis_capstone_error(void)
{
	return load_error[0] ? load_error : "capstone could not be loaded";
}

static void *preload_main(void *arg)
{
	(void)arg;
	pthread_once(&once, load);
	return NULL;
}

void ap_native_preload(void)
{
	/* dlopen applies ~100 000 relocations (~1 ms): done beside the DEX passes when the APK has
	 * native code; the first disassembly waits for it in pthread_once. Without a thread (none
	 * can be made) the first disassembly loads it itself. */
	static bool started; /* scans run one after another on the main thread */
	pthread_attr_t at;
	pthread_t t;
	if (started || pthread_attr_init(&at) != 0)
		return;
	started = true;
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	(void)pthread_create(&t, &at, preload_main, NULL);
	pthread_attr_destroy(&at);
}

bool ap_native_load(void)
{
	return dis_capstone() != NULL;
}
