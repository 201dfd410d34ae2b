/* Fuzz target for the APK container: open from memory, list, read every entry. Small inflation
 * caps keep each input fast; the caps' code paths are the same as with the real ones. */
#include "analyzer/apk.h"
#include "ap_diag.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = NULL;
	if (ap_apk_open_mem(data, size, "fuzz.apk", &an, &apk) == 0) {
		apk->max_entry_inflated = 4u << 20;
		apk->max_apk_inflated = 16u << 20;
		for (size_t i = 0; i < apk->n_entries; i++) {
			uint8_t *b = NULL;
			size_t n = 0;
			ap_apk_read(apk, i, &b, &n);
			free(b);
		}
		(void)ap_apk_find(apk, "AndroidManifest.xml");
		ap_apk_close(apk);
	}
	ap_anom_free(&an);
	return 0;
}
