/* Test helper: an APK's root DEX files (ART order) and its manifest, loaded for the call graph. */
#ifndef REACH_LOAD_H
#define REACH_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_dex;
struct ap_manifest;

struct rl_app {
	struct ap_dex *dexes[64];
	uint8_t *bufs[64];
	size_t n_dex;
	struct ap_manifest *mf;
	size_t dex_bytes;
};

bool rl_load(const char *path, struct rl_app *app);
void rl_free(struct rl_app *app);

#endif
