/* Helpers shared by the unit tests: where the sources and the shared corpus are, reading the
 * corpus tables, running a reference tool (aapt, dexdump, readelf) and capturing its output.
 * No Criterion `.timeout` on tests: with `--jobs 2` Criterion 2.4's runner leaks 48 bytes per
 * timed test that overlaps another, which fails the LeakSanitizer build; ctest's TIMEOUT bounds
 * every test binary instead. */
#ifndef AP_TEST_H
#define AP_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* $AP_SHARED_DIR/corpus when it exists, else NULL. Tests that need it call AP_T_NEED_CORPUS(). */
const char *ap_t_corpus_dir(void);
/* Skips the current Criterion test with a reason when the corpus is absent. In CI (env CI set)
 * the corpus must be there, so absence fails instead of skipping. */
#define AP_T_NEED_CORPUS()                                                                         \
	do {                                                                                       \
		if (!ap_t_corpus_dir()) {                                                          \
			if (getenv("CI"))                                                          \
				cr_assert(0, "CI=true but ../shared/corpus is missing");                \
			cr_skip_test("skipped: ../shared/corpus is absent (a user's clone); "       \
				     "CI always runs this");                                       \
		}                                                                                  \
	} while (0)

/* True when the program is on PATH (aapt, dexdump, readelf, ...). */
bool ap_t_have_tool(const char *prog);
/* Skips (or, under CI, fails) when a reference tool is missing. */
#define AP_T_NEED_TOOL(prog)                                                                       \
	do {                                                                                       \
		if (!ap_t_have_tool(prog)) {                                                       \
			if (getenv("CI"))                                                          \
				cr_assert(0, "CI=true but %s is not installed", prog);                  \
			cr_skip_test("skipped: %s is not installed", prog);                        \
		}                                                                                  \
	} while (0)

/* Runs argv (no shell) and returns its stdout as a malloc'd NUL-terminated string (free() it),
 * at most max bytes; *status gets the exit status (-1 when it could not run). stderr is dropped. */
char *ap_t_run(char *const argv[], size_t max, int *status);

/* Reads a whole file (malloc'd, free() it); NULL on failure. */
uint8_t *ap_t_slurp(const char *path, size_t *len);

/* A TSV table (header row + rows) loaded whole. */
struct ap_t_tsv {
	char *text;
	char ***rows; /* rows[i][j], header is rows[0] */
	size_t n_rows;
	size_t n_cols;
};
bool ap_t_tsv_load(const char *path, struct ap_t_tsv *t);
void ap_t_tsv_free(struct ap_t_tsv *t);
/* Column index by header name, or -1. */
int ap_t_tsv_col(const struct ap_t_tsv *t, const char *name);

/* Joins dir and name into a static-free malloc'd path. */
char *ap_t_path(const char *dir, const char *name);

/* Assembles src (a .smali file or a folder of them, relative to the source tree unless
 * absolute) with Debian's `smali a` (--api api when api > 0) into a new temporary DEX file and
 * returns its path (unlink() and free() it); *status is smali's exit status (0 = assembled).
 * Check AP_T_NEED_TOOL("smali") first. */
char *ap_t_smali(const char *src, int api, int *status);

#endif
