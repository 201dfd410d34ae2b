/* Every DEX an app carries, in one walk: the root classes*.dex in ART's load order, then the
 * hidden ones -- a .dex elsewhere in the archive (assets/, res/raw/, a root DEX ART skips), and
 * the classes*.dex inside an embedded JAR/APK/ZIP, nested up to AP_MAX_EMBEDDED_DEPTH. Apps and
 * SDKs load the hidden ones at run time with DexClassLoader; malware hides payloads there. */
#ifndef AP_DEXSRC_H
#define AP_DEXSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_apk;

struct ap_dexsrc {
	const char *name; /* "classes2.dex", "assets/a.dex", "assets/p.jar!classes.dex" */
	uint8_t *buf;     /* malloc'd; the callback owns it from now on (free or keep it) */
	size_t len;
	bool embedded;    /* not a root DEX ART loads at start: hidden code */
	int read_rc;      /* AP_OK, or the partial-read error of ap_apk_read (buf holds what was read) */
};

/* Called once per DEX; a non-AP_OK return stops the walk and is returned. */
typedef int (*ap_dexsrc_fn)(void *ctx, struct ap_dexsrc *d);

/* Walks apk's DEX files (root ones first, then, when with_embedded, the hidden ones). An
 * embedded archive draws on apk's inflate budget; nesting past AP_MAX_EMBEDDED_DEPTH and entries
 * that are neither DEX nor zip are skipped with an anomaly (module "apk") when they were named
 * like code. Returns AP_OK, the callback's error, or AP_ERR_NOMEM. */
int ap_dexsrc_each(struct ap_apk *apk, bool with_embedded, ap_dexsrc_fn fn, void *ctx);

#endif
