/* Fuzz target for the DEX parser: opens the input as one DEX and walks every query the analysis
 * uses (formatting each call site and string load, each method's instructions, static values,
 * hierarchy lookups), so hostile indices reach every accessor. */
#include <stddef.h>
#include <stdint.h>

#include "ap_buf.h"
#include "ap_diag.h"
#include "dex/dex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_dex *dex = NULL;
	ap_dex_open(data, size, "fuzz.dex", &an, &dex);
	if (dex) {
		struct ap_buf b = AP_BUF_INIT;
		size_t n;
		const struct ap_dex_call *calls = ap_dex_calls(dex, &n);
		for (size_t i = 0; i < n && i < 4096; i++) {
			ap_buf_reset(&b);
			ap_dex_format_method(dex, calls[i].caller, &b);
			ap_dex_format_method(dex, calls[i].callee, &b);
			ap_dex_format_proto(dex, calls[i].aux, &b);
			size_t k;
			ap_dex_calls_to(dex, calls[i].callee, &k);
		}
		const struct ap_dex_string_load *sl = ap_dex_string_loads(dex, &n);
		for (size_t i = 0; i < n && i < 4096; i++) {
			ap_buf_reset(&b);
			ap_dex_add_string_escaped(dex, sl[i].string_idx, &b);
			const char *s = ap_dex_string(dex, sl[i].string_idx);
			if (s)
				ap_dex_find_string(dex, s);
		}
		const struct ap_dex_field_ref *fr = ap_dex_field_refs(dex, &n);
		for (size_t i = 0; i < n && i < 4096; i++) {
			ap_buf_reset(&b);
			ap_dex_format_field(dex, fr[i].field_idx, &b);
		}
		for (uint32_t i = 0; i < ap_dex_class_count(dex) && i < 1024; i++) {
			const struct ap_dex_class *k = ap_dex_class_def(dex, i);
			struct ap_dex_value v[8];
			ap_dex_static_values(dex, i, v, 8);
			ap_dex_superclass(dex, k->class_idx);
			ap_dex_is_subtype(dex, k->class_idx, k->superclass_idx);
			const char *d = ap_dex_type(dex, k->class_idx);
			if (d)
				ap_dex_class_by_descriptor(dex, d);
		}
		for (uint32_t i = 0; i < ap_dex_method_def_count(dex) && i < 4096; i++) {
			const struct ap_dex_method *m = ap_dex_method_def(dex, i);
			ap_dex_overridden(dex, m);
			struct ap_dex_insn in;
			uint32_t pc = 0, w;
			while (pc < m->insns_size && (w = ap_dex_method_insn(dex, m, pc, &in)) != 0)
				pc += w;
		}
		ap_dex_calls_to_named(dex, "Landroid/telephony/TelephonyManager;", "getDeviceId", NULL,
				      NULL);
		ap_buf_free(&b);
	}
	ap_dex_close(dex);
	ap_anom_free(&an);
	return 0;
}
