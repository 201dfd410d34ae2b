/* Fuzz target: resources.arsc bytes -> resource table, then string lookups in a few locales. */
#include "ap_diag.h"
#include "manifest/manifest.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_arsc *a = ap_arsc_open(data, size, &an);
	static const char *locales[] = {"", "zh", "zh-rCN", "en-rUS"};
	for (uint32_t id = 0x7f010000; a && id < 0x7f010010; id++)
		for (size_t i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
			(void)ap_arsc_string(a, id, locales[i]);
	for (uint32_t t = 1; a && t < 0x20; t++)
		(void)ap_arsc_string(a, 0x7f000000u | (t << 16), "");
	ap_arsc_free(a);
	ap_anom_free(&an);
	return 0;
}
