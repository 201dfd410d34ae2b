/* Fuzz target for the ELF reader and the native code analysis (analyzer/native): any bytes, as one
 * library. Seeds: small .so files from tests/fixtures/native and the Apache-2.0 androguard set. */
#include <stddef.h>
#include <stdint.h>

#include "analyzer/native/native.h"
#include "ap_diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	ap_log_set_sink(NULL, NULL, AP_LOG_ERROR);
	struct ap_native_lib *lib = NULL;
	if (ap_native_open(data, size, "fuzz.so", &an, &lib) == 0)
		ap_native_close(lib);
	ap_anom_free(&an);
	return 0;
}
