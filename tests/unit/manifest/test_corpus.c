/* The standalone binary manifests of the shared corpus (androguard's tamper collection): every
 * one decodes to a package and at least one element under <manifest>; the layouts (test*.xml)
 * are rejected as not-a-manifest rather than crashing. */
#include "ap_test.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "manifest/manifest.h"

#include <criterion/criterion.h>
#include <dirent.h>

#include <stdlib.h>
#include <string.h>

Test(mf_corpus, androguard_axml_files_decode)
{
	/* AP_T_NEED_CORPUS() does not compile with Debian's Criterion (cr_fail is not a
	 * function there); the same rule spelled out: */
	if (!ap_t_corpus_dir()) {
		if (getenv("CI"))
			cr_assert_fail("CI=true but ../shared/corpus is missing");
		cr_skip_test("skipped: ../shared/corpus is absent (a user's clone); CI always runs this");
	}
	char *dir = ap_t_path(ap_t_corpus_dir(), "androguard/axml");
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".xml"))
			continue;
		char *p = ap_t_path(dir, e->d_name);
		size_t len;
		uint8_t *buf = ap_t_slurp(p, &len);
		cr_assert_not_null(buf, "%s", p);
		struct ap_anomalies an;
		ap_anom_init(&an);
		struct ap_manifest *m = NULL;
		int rc = ap_mf_parse(buf, len, NULL, &an, &m);
		if (strncmp(e->d_name, "test", 4) == 0) {
			cr_expect_eq(rc, AP_ERR_FORMAT, "%s is a layout, not a manifest", e->d_name);
		} else {
			cr_expect_eq(rc, AP_OK, "%s: rc %d", e->d_name, rc);
			cr_expect(m && m->package && strchr(m->package, '.'), "%s: package", e->d_name);
			cr_expect(m && (m->n_uses_perms || m->n_comps), "%s: empty model", e->d_name);
			n++;
		}
		ap_mf_free(m);
		ap_anom_free(&an);
		free(buf);
		free(p);
	}
	closedir(d);
	free(dir);
	cr_expect_geq(n, 18, "only %d manifests found", n);
}
