/* Test helper: loads an APK's DEX files and manifest through the project's own readers. */
#include "reach_load.h"

#include "analyzer/apk.h"
#include "dex/dex.h"
#include "manifest/manifest.h"

#include "ap_diag.h"

#include <stdlib.h>
#include <string.h>

bool rl_load(const char *path, struct rl_app *app)
{
	memset(app, 0, sizeof *app);
	struct ap_apk *apk = NULL;
	if (ap_apk_open(path, NULL, &apk) != 0 || !apk)
		return false;
	size_t want = apk->kind == AP_INPUT_DEX ? 1 : apk->n_dex;
	for (size_t k = 0; k < want && app->n_dex < 64; k++) {
		size_t ei = apk->kind == AP_INPUT_DEX ? 0 : (size_t)apk->dex[k];
		uint8_t *buf = NULL;
		size_t len = 0;
		(void)ap_apk_read(apk, ei, &buf, &len);
		if (!buf)
			continue;
		struct ap_dex *dex = NULL;
		(void)ap_dex_open(buf, len, apk->entries[ei].name, NULL, &dex);
		if (!dex) {
			free(buf);
			continue;
		}
		app->dex_bytes += len;
		app->bufs[app->n_dex] = buf;
		app->dexes[app->n_dex++] = dex;
	}
	if (apk->manifest >= 0) {
		uint8_t *mbuf = NULL, *abuf = NULL;
		size_t mlen = 0, alen = 0;
		(void)ap_apk_read(apk, (size_t)apk->manifest, &mbuf, &mlen);
		struct ap_arsc *arsc = NULL;
		if (apk->arsc >= 0) {
			(void)ap_apk_read(apk, (size_t)apk->arsc, &abuf, &alen);
			if (abuf)
				arsc = ap_arsc_open(abuf, alen, NULL);
		}
		if (mbuf)
			(void)ap_mf_parse(mbuf, mlen, arsc, NULL, &app->mf);
		ap_arsc_free(arsc);
		free(mbuf);
		free(abuf);
	}
	ap_apk_close(apk);
	return app->n_dex > 0;
}

void rl_free(struct rl_app *app)
{
	for (size_t i = 0; i < app->n_dex; i++) {
		ap_dex_close(app->dexes[i]);
		free(app->bufs[i]);
	}
	ap_mf_free(app->mf);
	memset(app, 0, sizeof *app);
}
