/* `apkpriv manifest [--json] FILE`: decodes AndroidManifest.xml from an APK (or a bare binary or
 * text manifest) and prints it as XML, or the typed model plus anomalies as JSON. */
#include "cli.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"
#include "apk.h"
#include "manifest/manifest.h"
#include "reports/manifest_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: apkpriv manifest [--json] FILE\n"
		   "  FILE is an APK, or a bare binary or text AndroidManifest.xml.\n"
		   "  Prints the decoded manifest as XML; --json prints the typed model and the\n"
		   "  anomalies. Anomalies also go to stderr. Exit 0 decoded, 3 not a manifest.\n");
}

static void say_input(const char *path, const char *why)
{
	struct ap_buf b = AP_BUF_INIT;
	ap_buf_add_escaped(&b, path, strlen(path), 0);
	fprintf(stderr, "apkpriv: manifest: %s: %s\n", b.data ? b.data : "", why);
	ap_buf_free(&b);
}

/* The manifest bytes (and resources.arsc, when there is one) from the input. AP_OK, or an
 * error with a one-line reason in *why. */
static int load(const char *path, struct ap_anomalies *an, uint8_t **mf, size_t *mf_len,
		uint8_t **arsc, size_t *arsc_len, const char **why)
{
	struct ap_apk *apk = NULL;
	int rc = ap_apk_open(path, an, &apk);
	if (rc == AP_ERR_FORMAT) {
		/* not a kind the container recognises: maybe AXML with a tampered file header */
		rc = ap_read_file(path, AP_MAX_AXML_BYTES, mf, mf_len);
		*why = rc == AP_OK ? NULL : ap_strerror(rc);
		return rc == AP_OK ? AP_OK : AP_ERR_FORMAT;
	}
	if (rc != AP_OK) {
		*why = ap_strerror(rc);
		return rc;
	}
	rc = AP_OK;
	if (apk->kind == AP_INPUT_AXML) {
		rc = ap_apk_read(apk, 0, mf, mf_len);
	} else if (apk->kind == AP_INPUT_ZIP && apk->manifest >= 0) {
		rc = ap_apk_read(apk, (size_t)apk->manifest, mf, mf_len);
		if (apk->arsc >= 0 && ap_apk_read(apk, (size_t)apk->arsc, arsc, arsc_len) != AP_OK &&
		    !*arsc)
			*arsc_len = 0;
	} else {
		*why = apk->kind == AP_INPUT_ZIP ? "no AndroidManifest.xml in the archive"
						 : "not an APK or AndroidManifest.xml";
		rc = AP_ERR_FORMAT;
	}
	if (rc != AP_OK && !*mf) {
		*why = *why ? *why : ap_strerror(rc);
	} else if (rc == AP_ERR_LIMIT) {
		rc = AP_OK; /* partial bytes: the decoder says what it could read */
	}
	ap_apk_close(apk);
	return rc;
}

int ap_cmd_manifest(int argc, char **argv)
{
	bool json = false;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return AP_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			usage(stderr);
			return AP_EXIT_USAGE;
		} else if (path) {
			usage(stderr);
			return AP_EXIT_USAGE;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		usage(stderr);
		return AP_EXIT_USAGE;
	}

	struct ap_anomalies an;
	ap_anom_init(&an);
	uint8_t *mf = NULL, *arsc_buf = NULL;
	size_t mf_len = 0, arsc_len = 0;
	const char *why = NULL;
	int exit_code = AP_EXIT_OK;
	struct ap_arsc *arsc = NULL;
	struct ap_manifest *m = NULL;
	int rc = load(path, &an, &mf, &mf_len, &arsc_buf, &arsc_len, &why);
	if (rc != AP_OK) {
		say_input(path, why ? why : ap_strerror(rc));
		exit_code = rc == AP_ERR_NOMEM ? AP_EXIT_INTERNAL : AP_EXIT_INPUT;
		goto out_free_input;
	}
	if (arsc_buf && arsc_len)
		arsc = ap_arsc_open(arsc_buf, arsc_len, &an);
	rc = ap_mf_parse(mf, mf_len, arsc, &an, &m);
	if (!m) {
		say_input(path, rc == AP_ERR_FORMAT ? "not an AndroidManifest.xml (binary or text)"
						    : ap_strerror(rc));
		exit_code = rc == AP_ERR_NOMEM ? AP_EXIT_INTERNAL : AP_EXIT_INPUT;
		goto out_free_arsc;
	}
	if (rc == AP_ERR_LIMIT)
		exit_code = AP_EXIT_PARTIAL;

	struct ap_buf out = AP_BUF_INIT;
	rc = json ? ap_report_manifest_json(m, &an, &out) : ap_mf_to_xml(m, &out);
	if (rc != AP_OK) {
		fprintf(stderr, "apkpriv: manifest: cannot render: %s\n", ap_strerror(rc));
		exit_code = AP_EXIT_INTERNAL;
	} else if (out.data) {
		fwrite(out.data, 1, out.len, stdout);
	}
	ap_buf_free(&out);
	ap_mf_free(m);
out_free_arsc:
	ap_arsc_free(arsc);
out_free_input:
	free(mf);
	free(arsc_buf);
	ap_anom_free(&an);
	return exit_code;
}
