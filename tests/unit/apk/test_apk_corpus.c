/* Container tests on the shared corpus: every zip opens without crashing and every entry reads;
 * entry names agree with Python's zipfile (a second, independent reader) and the root DEX and
 * native library counts agree with facts.tsv. Files Python cannot open are listed. */
#include "analyzer/apk.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_test.h"

#include <criterion/criterion.h>
#include <stdio.h>

/* one line to stderr (cr_log_* from parallel workers trips a leak inside Criterion) */
#define T_NOTE(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } while (0)
#include <stdio.h>

/* ap_test.h's AP_T_NEED_* call cr_fail("...") as the new-API macro; with the classic assert API
 * cr_fail takes a fail mode first: map it (reported to the lead). */
#undef cr_fail
#define cr_fail(...) cr_assert(0, __VA_ARGS__)
#include <stdlib.h>
#include <string.h>

/* For each path argument: "== N" then one line per entry (hex of the raw name bytes), then
 * "TEST ok" or "TEST bad" from testzip(); or "ERROR message" when zipfile refuses the archive.
 * One python process for the whole corpus. */
static const char *py_list =
	"import sys, zipfile\n"
	"for n, p in enumerate(sys.argv[1:]):\n"
	"    print('==', n)\n"
	"    try:\n"
	"        z = zipfile.ZipFile(p)\n"
	"    except Exception as e:\n"
	"        print('ERROR', type(e).__name__, str(e).replace('\\n', ' ')); continue\n"
	"    for i in z.infolist():\n"
	"        enc = 'utf-8' if i.flag_bits & 0x800 else 'cp437'\n"
	"        print(i.orig_filename.encode(enc).hex())\n"
	"    try:\n"
	"        bad = z.testzip()\n"
	"    except Exception as e:\n"
	"        bad = '(' + type(e).__name__ + ')'\n"
	"    print('TEST', 'ok' if bad is None else 'bad')\n";

/* The block of python's output for file number n (NUL-terminated in place), or NULL; *rest is
 * where the next block starts. */
static char *py_block(char *all, size_t n, char **rest)
{
	char mark[32];
	snprintf(mark, sizeof(mark), "== %zu\n", n);
	char *p = all;
	while ((p = strstr(p, mark)) && p != all && p[-1] != '\n')
		p++;
	if (!p)
		return NULL;
	p += strlen(mark);
	char *end = strstr(p, "\n== ");
	if (end) {
		end[0] = '\0';
		*rest = end + 1;
	} else {
		*rest = p + strlen(p);
	}
	return p;
}

static void hex_of(const char *s, char *out)
{
	static const char h[] = "0123456789abcdef";
	for (; *s; s++) {
		*out++ = h[(uint8_t)*s >> 4];
		*out++ = h[(uint8_t)*s & 15];
	}
	*out = '\0';
}

/* Compares our listing with Python's; returns true when they agree. */
static bool names_agree(const char *file, const struct ap_apk *apk, char *py, bool *py_ok,
			bool *py_test_ok)
{
	*py_ok = strncmp(py, "ERROR", 5) != 0;
	*py_test_ok = false;
	if (!*py_ok)
		return true;
	size_t i = 0;
	bool agree = true;
	char *save = NULL;
	static char hex[2 * 4096 + 1];
	for (char *line = strtok_r(py, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "TEST ", 5) == 0) {
			*py_test_ok = strcmp(line + 5, "ok") == 0;
			continue;
		}
		if (i >= apk->n_entries) {
			T_NOTE("error: " "%s: python lists more entries than apkpriv (%zu)", file,
				     apk->n_entries);
			return false;
		}
		hex_of(apk->entries[i].name, hex);
		if (strcmp(hex, line) != 0) {
			T_NOTE("error: " "%s: entry %zu: python %s, apkpriv %s", file, i, line, hex);
			agree = false;
		}
		i++;
	}
	if (i != apk->n_entries) {
		T_NOTE("error: " "%s: python lists %zu entries, apkpriv %zu", file, i, apk->n_entries);
		agree = false;
	}
	return agree;
}

Test(apk_corpus, every_zip_opens_and_agrees_with_python_and_facts)
{
	AP_T_NEED_CORPUS();
	const char *dir = ap_t_corpus_dir();
	char *facts_path = ap_t_path(dir, "facts.tsv");
	struct ap_t_tsv t;
	cr_assert(ap_t_tsv_load(facts_path, &t), "facts.tsv");
	free(facts_path);
	int c_file = ap_t_tsv_col(&t, "file"), c_type = ap_t_tsv_col(&t, "type");
	int c_dex = ap_t_tsv_col(&t, "dex_files"), c_so = ap_t_tsv_col(&t, "native_libs");
	int c_flags = ap_t_tsv_col(&t, "flags");
	cr_assert(c_file >= 0 && c_type >= 0 && c_dex >= 0 && c_so >= 0 && c_flags >= 0);
	size_t n_zip = 0, n_names_ok = 0, n_dex_ok = 0, n_so_ok = 0, n_py_err = 0, n_bad = 0;
	/* python over every zip at once; blocks are cut out of its output below */
	char **argv = calloc(t.n_rows + 4, sizeof(*argv));
	size_t argc = 0;
	argv[argc++] = "/usr/bin/python3";
	argv[argc++] = "-c";
	argv[argc++] = (char *)py_list;
	for (size_t r = 1; r < t.n_rows; r++)
		if (strcmp(t.rows[r][c_type], "zip") == 0)
			argv[argc++] = ap_t_path(dir, t.rows[r][c_file]);
	int st;
	char *py_all = ap_t_run(argv, 256u << 20, &st);
	cr_assert(py_all && st == 0, "python3 zipfile listing ran");
	for (size_t a = 3; a < argc; a++)
		free(argv[a]);
	free(argv);
	/* blocks are consumed in order; cut each before the next is searched */
	char *py_rest = py_all;
	for (size_t r = 1; r < t.n_rows; r++) {
		char **row = t.rows[r];
		if (strcmp(row[c_type], "zip") != 0)
			continue;
		char *py = py_block(py_rest, n_zip, &py_rest);
		cr_assert(py, "python output for %s", row[c_file]);
		n_zip++;
		char *path = ap_t_path(dir, row[c_file]);
		struct ap_anomalies an;
		ap_anom_init(&an);
		struct ap_apk *apk = NULL;
		int err = ap_apk_open(path, &an, &apk);
		if (err != AP_OK) {
			cr_expect(0, "%s: open failed: %s", row[c_file], ap_err_name(err));
			n_bad++;
			free(path);
			ap_anom_free(&an);
			continue;
		}
		for (size_t i = 0; i < apk->n_entries; i++) {
			uint8_t *b;
			size_t n;
			ap_apk_read(apk, i, &b, &n);
			free(b);
		}
		bool py_ok, py_test_ok;
		bool agree = names_agree(row[c_file], apk, py, &py_ok, &py_test_ok);
		if (!py_ok) {
			n_py_err++;
			T_NOTE("note: " "python zipfile refuses %s; apkpriv reads it as Android would: "
				    "%zu entries, %zu dex, libzip %s", row[c_file], apk->n_entries,
				    apk->n_dex, apk->used_fallback ? "refuses it too" : "accepts it");
			cr_expect(strstr(row[c_flags], "python-zipfile-error"),
				  "%s: facts.tsv says python opens it", row[c_file]);
			cr_expect_gt(apk->n_entries, 0, "%s: Android reads entries", row[c_file]);
		} else {
			cr_expect(agree, "%s: entry names agree with python zipfile", row[c_file]);
			n_names_ok += agree;
			/* python's testzip checked every CRC; where it passed, ours must too */
			if (py_test_ok)
				cr_expect(!ap_anom_has(&an, "zip", AP_ERR_CHECKSUM),
					  "%s: CRC anomaly where python's testzip passes",
					  row[c_file]);
			size_t want_dex = strtoul(row[c_dex], NULL, 10);
			cr_expect_eq(apk->n_dex, want_dex, "%s: dex %zu, facts.tsv %zu", row[c_file],
				     apk->n_dex, want_dex);
			n_dex_ok += apk->n_dex == want_dex;
		}
		size_t so = 0;
		for (size_t i = 0; i < apk->n_entries; i++)
			so += apk->entries[i].kind == AP_ENTRY_NATIVE && !apk->entries[i].duplicate;
		size_t want_so = strtoul(row[c_so], NULL, 10);
		cr_expect_eq(so, want_so, "%s: native libs %zu, facts.tsv %zu", row[c_file], so,
			     want_so);
		n_so_ok += so == want_so;
		ap_apk_close(apk);
		ap_anom_free(&an);
		free(path);
	}
	T_NOTE("corpus zips: %zu; names agree with python: %zu; python refuses: %zu; dex "
		    "count agrees: %zu; native count agrees: %zu; open failures: %zu",
		    n_zip, n_names_ok, n_py_err, n_dex_ok, n_so_ok, n_bad);
	cr_expect_gt(n_zip, 50, "the corpus has its zips");
	free(py_all);
	ap_t_tsv_free(&t);
}

/* The bare inputs of the corpus (DEX, AXML) open as one entry of the right kind. */
Test(apk_corpus, bare_inputs_open_as_one_entry)
{
	AP_T_NEED_CORPUS();
	const char *dir = ap_t_corpus_dir();
	char *facts_path = ap_t_path(dir, "facts.tsv");
	struct ap_t_tsv t;
	cr_assert(ap_t_tsv_load(facts_path, &t));
	free(facts_path);
	int c_file = ap_t_tsv_col(&t, "file"), c_type = ap_t_tsv_col(&t, "type");
	size_t n = 0;
	for (size_t r = 1; r < t.n_rows; r++) {
		const char *type = t.rows[r][c_type];
		bool dex = strcmp(type, "dex") == 0, axml = strcmp(type, "axml") == 0;
		if (!dex && !axml)
			continue;
		char *path = ap_t_path(dir, t.rows[r][c_file]);
		struct ap_apk *apk = NULL;
		int err = ap_apk_open(path, NULL, &apk);
		cr_expect_eq(err, AP_OK, "%s", t.rows[r][c_file]);
		if (apk) {
			cr_expect_eq(apk->kind, dex ? AP_INPUT_DEX : AP_INPUT_AXML, "%s: kind %s",
				     t.rows[r][c_file], ap_input_kind_name(apk->kind));
			cr_expect_eq(apk->n_entries, 1);
			cr_expect_eq(dex ? (int)apk->n_dex : apk->manifest, dex ? 1 : 0);
			n++;
		}
		ap_apk_close(apk);
		free(path);
	}
	cr_expect_gt(n, 20);
	ap_t_tsv_free(&t);
}
