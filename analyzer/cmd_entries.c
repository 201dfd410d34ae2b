/* `apkpriv entries [--json] FILE`: the entries of an APK as Android's installer sees them (name,
 * kind, method, sizes, DEX load order, ABI), anomalies on stderr (and in the JSON). */
#include "cli.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "apk.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Attacker text into a JSON string: ap_buf_add_escaped first (one line, no control bytes, valid
 * UTF-8), then the two characters JSON itself needs escaped. */
static void json_str(struct ap_buf *b, const char *s)
{
	struct ap_buf esc = AP_BUF_INIT;
	ap_buf_add_escaped(&esc, s ? s : "", s ? strlen(s) : 0, 0);
	ap_buf_addc(b, '"');
	for (size_t i = 0; esc.data && i < esc.len; i++) {
		if (esc.data[i] == '"' || esc.data[i] == '\\')
			ap_buf_addc(b, '\\');
		ap_buf_addc(b, esc.data[i]);
	}
	ap_buf_addc(b, '"');
	ap_buf_free(&esc);
}

static void print_json(const struct ap_apk *apk, const struct ap_anomalies *an, struct ap_buf *b)
{
	ap_buf_adds(b, "{\"path\":");
	json_str(b, apk->path);
	ap_buf_addf(b, ",\"kind\":\"%s\",\"size\":%" PRIu64 ",\"sha256\":\"%s\",\"libzip\":%s,",
		    ap_input_kind_name(apk->kind), apk->file_size, apk->sha256_hex,
		    apk->used_fallback ? "false" : "true");
	ap_buf_adds(b, "\"entries\":[");
	for (size_t i = 0; i < apk->n_entries; i++) {
		const struct ap_apk_entry *e = &apk->entries[i];
		ap_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		json_str(b, e->name);
		ap_buf_addf(b, ",\"kind\":\"%s\",\"method\":%u,\"comp_size\":%" PRIu64
			       ",\"size\":%" PRIu64 ",\"crc\":\"%08" PRIx32 "\",\"offset\":%" PRIu64,
			    ap_entry_kind_name(e->kind), e->method, e->comp_size, e->size, e->crc,
			    e->local_offset);
		if (e->dex_order >= 0)
			ap_buf_addf(b, ",\"dex_order\":%d", e->dex_order);
		if (e->abi[0]) {
			ap_buf_adds(b, ",\"abi\":");
			json_str(b, e->abi);
		}
		if (e->duplicate)
			ap_buf_adds(b, ",\"duplicate\":true");
		ap_buf_addc(b, '}');
	}
	ap_buf_adds(b, "],\"anomalies\":[");
	for (size_t i = 0; i < an->count; i++) {
		const struct ap_anomaly *a = &an->items[i];
		ap_buf_adds(b, i ? ",{\"module\":" : "{\"module\":");
		json_str(b, a->module);
		ap_buf_adds(b, ",\"where\":");
		if (a->where)
			json_str(b, a->where);
		else
			ap_buf_adds(b, "null");
		if (a->offset != AP_OFFSET_NONE)
			ap_buf_addf(b, ",\"offset\":%" PRIu64, a->offset);
		ap_buf_addf(b, ",\"code\":\"%s\",\"what\":", ap_err_name(a->code));
		json_str(b, a->what);
		ap_buf_addc(b, '}');
	}
	ap_buf_addf(b, "],\"anomalies_dropped\":%zu}\n", an->dropped);
}

static void print_text(const struct ap_apk *apk, struct ap_buf *b)
{
	ap_buf_adds(b, "# ");
	ap_buf_add_escaped(b, apk->path, strlen(apk->path), 0);
	ap_buf_addf(b, "\n# kind %s, %" PRIu64 " bytes, sha256 %s, %zu entries, %zu dex%s\n",
		    ap_input_kind_name(apk->kind), apk->file_size, apk->sha256_hex,
		    apk->n_entries, apk->n_dex,
		    apk->used_fallback ? ", libzip refused it (Android-style reader only)" : "");
	ap_buf_adds(b, "kind\tmethod\tcomp_size\tsize\tcrc\tdex\tabi\tname\n");
	for (size_t i = 0; i < apk->n_entries; i++) {
		const struct ap_apk_entry *e = &apk->entries[i];
		ap_buf_addf(b, "%s\t%u\t%" PRIu64 "\t%" PRIu64 "\t%08" PRIx32 "\t",
			    ap_entry_kind_name(e->kind), e->method, e->comp_size, e->size, e->crc);
		if (e->dex_order >= 0)
			ap_buf_addf(b, "%d", e->dex_order);
		else
			ap_buf_addc(b, '-');
		ap_buf_addc(b, '\t');
		if (e->abi[0])
			ap_buf_add_escaped(b, e->abi, strlen(e->abi), 0);
		else
			ap_buf_addc(b, '-');
		ap_buf_addc(b, '\t');
		ap_buf_add_escaped(b, e->name, strlen(e->name), 0);
		if (e->duplicate)
			ap_buf_adds(b, "\t(duplicate)");
		ap_buf_addc(b, '\n');
	}
}

int ap_cmd_entries(int argc, char **argv)
{
	bool json = false;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: apkpriv entries [--json] FILE\n"
			       "Lists the entries of an APK (or a bare DEX, manifest or .so) as "
			       "Android's installer sees them.\nAnomalies go to stderr (and into the "
			       "JSON). Exit 0 ok, 2 usage, 3 input unusable.\n");
			return AP_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "apkpriv entries: unknown option '%s'\n", argv[i]);
			return AP_EXIT_USAGE;
		} else if (file) {
			fprintf(stderr, "apkpriv entries: one FILE only\n");
			return AP_EXIT_USAGE;
		} else {
			file = argv[i];
		}
	}
	if (!file) {
		fprintf(stderr, "usage: apkpriv entries [--json] FILE\n");
		return AP_EXIT_USAGE;
	}
	struct ap_anomalies an;
	ap_anom_init(&an);
	struct ap_apk *apk = NULL;
	int err = ap_apk_open(file, &an, &apk);
	if (err != AP_OK) {
		struct ap_buf m = AP_BUF_INIT;
		ap_buf_add_escaped(&m, file, strlen(file), 0);
		fprintf(stderr, "apkpriv entries: %s: %s\n", m.data ? m.data : "",
			err == AP_ERR_FORMAT ? "not an APK, DEX, manifest or ELF file"
					     : ap_strerror(err));
		ap_buf_free(&m);
		ap_anom_free(&an);
		return err == AP_ERR_NOMEM ? AP_EXIT_INTERNAL : AP_EXIT_INPUT;
	}
	struct ap_buf out;
	ap_buf_init(&out, 0);
	if (json)
		print_json(apk, &an, &out);
	else
		print_text(apk, &out);
	int rc = AP_EXIT_OK;
	if (out.failed || !out.data) {
		fprintf(stderr, "apkpriv entries: output too large or out of memory\n");
		rc = AP_EXIT_INTERNAL;
	} else {
		fwrite(out.data, 1, out.len, stdout);
	}
	ap_buf_free(&out);
	ap_apk_close(apk);
	ap_anom_free(&an);
	return rc;
}
