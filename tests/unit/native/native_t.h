/* Helpers shared by the native unit tests (native_t.c). */
#ifndef AP_NATIVE_T_H
#define AP_NATIVE_T_H

#include "analyzer/native/native.h"

#define FIXDIR AP_SOURCE_DIR "/tests/fixtures/native"

/* The call site of sym in l (the first), or NULL. */
const struct ap_native_call *find_call(const struct ap_native_lib *l, const char *sym);
/* Argument i of c as a string, "(none)" when it is not one. */
const char *arg_str(const struct ap_native_call *c, unsigned i);
/* Calls fn for every lib/<prefix>...*.so entry of every corpus APK. */
void each_corpus_so(const char *prefix, void (*fn)(const char *apk, const char *entry, void *ctx),
		    void *ctx);

#endif
