/* Helpers shared by the native unit tests (test_native.c, test_decoders.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/native/native.h"
#include "ap_test.h"
#include "native_t.h"

const struct ap_native_call *find_call(const struct ap_native_lib *l, const char *sym)
{
	for (size_t i = 0; i < l->n_calls; i++)
		if (strcmp(l->calls[i].symbol, sym) == 0)
			return &l->calls[i];
	return NULL;
}

const char *arg_str(const struct ap_native_call *c, unsigned i)
{
	return c && i < c->n_args && c->args[i].kind == AP_NARG_STR ? c->args[i].str : "(none)";
}

void each_corpus_so(const char *prefix, void (*fn)(const char *apk, const char *entry, void *ctx),
		    void *ctx)
{
	char *fargv[] = {"find", (char *)ap_t_corpus_dir(), "-name", "*.apk", NULL};
	int st;
	char *apks = ap_t_run(fargv, 1 << 20, &st);
	cr_assert(apks);
	char *save = NULL;
	for (char *apk = strtok_r(apks, "\n", &save); apk; apk = strtok_r(NULL, "\n", &save)) {
		char *largv[] = {"unzip", "-Z1", apk, NULL};
		char *list = ap_t_run(largv, 1 << 22, &st);
		if (!list)
			continue;
		char *s2 = NULL;
		for (char *e = strtok_r(list, "\n", &s2); e; e = strtok_r(NULL, "\n", &s2)) {
			size_t el = strlen(e);
			if (el > 3 && strcmp(e + el - 3, ".so") == 0 &&
			    strncmp(e, prefix, strlen(prefix)) == 0)
				fn(apk, e, ctx);
		}
		free(list);
	}
	free(apks);
}
