/* libzip's second opinion on the archive: the one place apkpriv includes <zip.h>. libzip opens
 * the same bytes from memory (ZIP_RDONLY, without ZIP_CHECKCONS, which would reject archives
 * Android installs); when it refuses, or lists the entries differently from the Android-style
 * reader, that disagreement is itself a sign of tampering and becomes an anomaly. */
#include "apk_int.h"

#include "ap_diag.h"
#include "ap_err.h"

#include <string.h>
#include <zip.h>

enum { CK_LIBZIP = 30 };

void apk_libzip_check(struct ap_apk *apk)
{
	struct apk_impl *im = apk->impl;
	zip_error_t ze;
	zip_error_init(&ze);
	/* libzip wants a non-NULL buffer even for 0 bytes; impl->buf is always allocated */
	zip_source_t *src = zip_source_buffer_create(im->buf, im->len, 0, &ze);
	if (!src) {
		apk_anom(apk, CK_LIBZIP, NULL, AP_OFFSET_NONE, AP_ERR_DEP,
			 "libzip cannot create a source: %s", zip_error_strerror(&ze));
		apk->used_fallback = true;
		goto out_error;
	}
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!za) {
		apk_anom(apk, CK_LIBZIP, NULL, AP_OFFSET_NONE, AP_ERR_DEP,
			 "libzip refuses the archive (%s); read with the Android-style reader",
			 zip_error_strerror(&ze));
		apk->used_fallback = true;
		zip_source_free(src);
		goto out_error;
	}
	zip_int64_t n = zip_get_num_entries(za, 0);
	if (n < 0 || (uint64_t)n != apk->n_entries) {
		apk_anom(apk, CK_LIBZIP, NULL, AP_OFFSET_NONE, AP_ERR_TAMPER,
			 "libzip lists %lld entries, the Android-style reader %zu", (long long)n,
			 apk->n_entries);
	} else {
		for (zip_int64_t i = 0; i < n; i++) {
			const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
			const struct ap_apk_entry *e = &apk->entries[i];
			if (!name || strcmp(name, e->name) != 0) {
				apk_anom(apk, CK_LIBZIP, e->name, e->local_offset, AP_ERR_TAMPER,
					 "libzip names entry %lld differently", (long long)i);
				break;
			}
		}
	}
	zip_discard(za); /* read-only: nothing to write back; also frees src */
out_error:
	zip_error_fini(&ze);
}
