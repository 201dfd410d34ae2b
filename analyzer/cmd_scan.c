/* apkpriv scan: analyse APKs and render their privacy reports (text, JSON, SARIF, HTML). With no
 * APK it scans the bundled samples and prints a compact summary of each. Exit codes: cli.h and
 * docs/cli.md; gates (--fail-on, --fail-under) exit 1 and win over partial/unusable inputs. */
#include "cli.h"

#include "report_read.h"
#include "scan.h"
#include "reports/report.h"
#include "rules/kb.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum fmt { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_HTML, FMT_SUMMARY };

struct opts {
	struct ap_scan_opts scan;
	enum fmt fmt;
	bool fmt_set;
	const char *out;
	const char *rules;
	int verbose;
	int fail_on;        /* severity, -1 = off */
	double fail_under;  /* score, < 0 = off */
	const char *baseline;
	char **files;
	size_t n_files;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: apkpriv scan [OPTIONS] [APK...]\n"
		"  --app-type ID        set the app type (one of the 39 ids; default: inferred)\n"
		"  --format FMT         text (default), json, sarif or html\n"
		"  -o FILE              write the report(s) to FILE instead of stdout\n"
		"  --rules DIR          knowledge-base files overriding the built-in ones\n"
		"  --deterministic      omit timings (reproducible output)\n"
		"  --no-native          skip native libraries\n"
		"  --fail-on SEVERITY   exit 1 when a finding is at least high|medium|low|info\n"
		"  --fail-under SCORE   exit 1 when a score is below SCORE\n"
		"  --baseline OLD.json  report only findings not present in OLD.json\n"
		"  -v, -vv              progress / debug messages on stderr\n"
		"Several APKs: text reports one after another; json: a JSON array of reports;\n"
		"sarif: one log, one run, results of every APK; html: one APK only.\n"
		"With no APK, scans every *.apk in the bundled samples folder.\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	o->fail_on = -1;
	o->fail_under = -1;
	o->files = calloc((size_t)argc + 1, sizeof *o->files);
	if (!o->files)
		return AP_EXIT_INTERNAL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VAL()                                                                              \
	do {                                                                                    \
		if (!val) {                                                                     \
			fprintf(stderr, "apkpriv: scan: %s needs a value\n", a);                \
			return AP_EXIT_USAGE;                                                   \
		}                                                                               \
		i++;                                                                            \
	} while (0)
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return -1;
		} else if (strcmp(a, "--app-type") == 0) {
			NEED_VAL();
			o->scan.app_type = val;
		} else if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) {
			NEED_VAL();
			o->fmt_set = true;
			if (strcmp(val, "text") == 0)
				o->fmt = FMT_TEXT;
			else if (strcmp(val, "json") == 0)
				o->fmt = FMT_JSON;
			else if (strcmp(val, "sarif") == 0)
				o->fmt = FMT_SARIF;
			else if (strcmp(val, "html") == 0)
				o->fmt = FMT_HTML;
			else {
				fprintf(stderr, "apkpriv: scan: unknown format '%s'\n", val);
				return AP_EXIT_USAGE;
			}
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			NEED_VAL();
			o->out = val;
		} else if (strcmp(a, "--rules") == 0) {
			NEED_VAL();
			o->rules = val;
		} else if (strcmp(a, "--baseline") == 0) {
			NEED_VAL();
			o->baseline = val;
		} else if (strcmp(a, "--fail-on") == 0) {
			NEED_VAL();
			o->fail_on = ap_severity_parse(val);
			if (o->fail_on < 0) {
				fprintf(stderr, "apkpriv: scan: --fail-on wants high, medium, low or info\n");
				return AP_EXIT_USAGE;
			}
		} else if (strcmp(a, "--fail-under") == 0) {
			NEED_VAL();
			char *end;
			o->fail_under = strtod(val, &end);
			if (*end || end == val || o->fail_under < 0 || o->fail_under > 100) {
				fprintf(stderr, "apkpriv: scan: --fail-under wants a score 0..100\n");
				return AP_EXIT_USAGE;
			}
		} else if (strcmp(a, "--deterministic") == 0) {
			o->scan.deterministic = true;
		} else if (strcmp(a, "--no-native") == 0) {
			o->scan.no_native = true;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			o->verbose++;
		} else if (strcmp(a, "-vv") == 0) {
			o->verbose += 2;
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				o->files[o->n_files++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "apkpriv: scan: unknown option '%s'\n", a);
			usage(stderr);
			return AP_EXIT_USAGE;
		} else {
			o->files[o->n_files++] = argv[i];
		}
#undef NEED_VAL
	}
	return AP_EXIT_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.apk of the samples folder, sorted, as malloc'd paths appended to o->files. */
static char **sample_files(size_t *n)
{
	const char *dir = ap_cli_samples_dir();
	DIR *d = opendir(dir);
	char **v = NULL;
	*n = 0;
	if (!d)
		return NULL;
	struct dirent *e;
	size_t cap = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".apk") != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			char **q = realloc(v, cap * sizeof *q);
			if (!q)
				break;
			v = q;
		}
		size_t pl = strlen(dir) + l + 2;
		v[*n] = malloc(pl);
		if (!v[*n])
			break;
		snprintf(v[*n], pl, "%s/%s", dir, e->d_name);
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

/* ---- baseline ---------------------------------------------------------------------------- */

/* Fingerprints of the findings of an earlier JSON report (one report or an array): each
 * finding's rule, category, owner and the method of its first evidence, read back unescaped
 * (report_read.c) so they compare equal to a fresh scan's, and sorted for a binary search. */
struct fps {
	char **v;
	size_t n;
};

static const char *first_method(const struct ap_finding *x)
{
	return x->n_evidence ? x->evidence[0].method : NULL;
}

static void fps_free(struct fps *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

static int load_baseline(const char *path, struct fps *f)
{
	struct ap_report **reps = NULL;
	size_t n = 0, total = 0;
	int rc = ap_report_read_all(path, &reps, &n);
	if (rc != AP_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		total += reps[i]->n_findings;
	f->v = calloc(total ? total : 1, sizeof *f->v);
	rc = f->v ? AP_OK : AP_ERR_NOMEM;
	for (size_t i = 0; rc == AP_OK && i < n; i++) {
		for (size_t k = 0; rc == AP_OK && k < reps[i]->n_findings; k++) {
			const struct ap_finding *x = &reps[i]->findings[k];
			char fp[2048];
			if (!x->rule)
				continue;
			ap_finding_fingerprint(x->rule, x->category, x->owner, first_method(x), fp,
					       sizeof fp);
			if ((f->v[f->n] = strdup(fp)) == NULL)
				rc = AP_ERR_NOMEM;
			else
				f->n++;
		}
	}
	ap_report_read_free(reps, n);
	if (rc != AP_OK) {
		fps_free(f);
		return rc;
	}
	qsort(f->v, f->n, sizeof *f->v, cmp_str);
	return AP_OK;
}

static bool in_baseline(const struct fps *f, const struct ap_finding *x)
{
	char fp[2048];
	ap_finding_fingerprint(x->rule, x->category, x->owner, first_method(x), fp, sizeof fp);
	const char *key = fp;
	return f->n && bsearch(&key, f->v, f->n, sizeof *f->v, cmp_str) != NULL;
}

static void apply_baseline(struct ap_report *r, const struct fps *f)
{
	size_t k = 0;
	for (size_t i = 0; i < r->n_findings; i++)
		if (!in_baseline(f, &r->findings[i]))
			r->findings[k++] = r->findings[i];
	r->n_findings = k;
}

/* ---- output ------------------------------------------------------------------------------ */

static void esc(struct ap_buf *b, const char *s)
{
	if (s)
		ap_buf_add_escaped(b, s, strlen(s), 120);
	else
		ap_buf_adds(b, "-");
}

/* The quick-start view: a few lines per sample. */
static void compact(const struct ap_report *r, bool color, struct ap_buf *b)
{
	const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
	static const char *const sevcol[] = {"\033[2m", "\033[36m", "\033[33m", "\033[31m"};
	const char *base = r->path ? strrchr(r->path, '/') : NULL;
	ap_buf_adds(b, bold);
	esc(b, base ? base + 1 : r->path);
	ap_buf_adds(b, off);
	ap_buf_adds(b, "  ");
	esc(b, r->package);
	if (r->label) {
		ap_buf_adds(b, "  \"");
		esc(b, r->label);
		ap_buf_adds(b, "\"");
	}
	ap_buf_addf(b, "\n  score %s%.0f/100 (%s)%s  type %s (%s", bold, r->score_total,
		    r->grade ? r->grade : "?", off, r->app_type ? r->app_type : "?",
		    r->app_type_source ? r->app_type_source : "?");
	if (r->app_type_source && strcmp(r->app_type_source, "option") != 0)
		ap_buf_addf(b, ", confidence %.2f", r->app_type_confidence);
	ap_buf_addf(b, ")  PI categories %zu  SDKs %zu  findings %zu%s\n", r->n_pi, r->n_sdks,
		    r->n_findings, r->partial ? "  [partial]" : "");
	/* the dearest findings first */
	size_t shown = 0;
	for (int sev = AP_SEV_HIGH; sev >= AP_SEV_LOW && shown < 5; sev--)
		for (size_t i = 0; i < r->n_findings && shown < 5; i++) {
			const struct ap_finding *f = &r->findings[i];
			if ((int)f->severity != sev)
				continue;
			ap_buf_addf(b, "  %s%-6s%s %s ", color ? sevcol[sev] : "",
				    ap_severity_name(f->severity), off, f->rule);
			esc(b, f->message);
			ap_buf_addf(b, " (-%.1f)\n", f->points);
			shown++;
		}
	if (r->n_findings > shown)
		ap_buf_addf(b, "  ... %zu more\n", r->n_findings - shown);
	ap_buf_adds(b, "\n");
}

static int write_out(const char *path, const struct ap_buf *b)
{
	if (!path) {
		if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
			return AP_ERR_IO;
		return fflush(stdout) == 0 ? AP_OK : AP_ERR_IO;
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return AP_ERR_IO;
	bool ok = !b->len || fwrite(b->data, 1, b->len, f) == b->len;
	ok &= fclose(f) == 0;
	return ok ? AP_OK : AP_ERR_IO;
}

static int render(struct ap_report **reps, size_t n, const struct opts *o, bool color,
		  struct ap_buf *out)
{
	int rc = AP_OK;
	if (o->fmt == FMT_SARIF)
		return ap_report_sarif((const struct ap_report *const *)reps, n, out);
	if (o->fmt == FMT_JSON && n > 1)
		ap_buf_adds(out, "[\n");
	for (size_t i = 0; i < n && rc == AP_OK; i++) {
		switch (o->fmt) {
		case FMT_TEXT:
			rc = ap_report_text(reps[i], color, out);
			if (i + 1 < n)
				ap_buf_adds(out, "\n");
			break;
		case FMT_JSON:
			if (i)
				ap_buf_adds(out, ",\n");
			rc = ap_report_json(reps[i], out);
			break;
		case FMT_HTML:
			rc = ap_report_html(reps[i], out);
			break;
		case FMT_SUMMARY:
			compact(reps[i], color, out);
			break;
		case FMT_SARIF:
			break;
		}
	}
	if (o->fmt == FMT_JSON && n > 1)
		ap_buf_adds(out, "]\n");
	if (rc == AP_OK && out->failed)
		rc = AP_ERR_LIMIT;
	return rc;
}

static bool gate_tripped(const struct ap_report *r, const struct opts *o)
{
	if (o->fail_under >= 0 && r->score_total < o->fail_under)
		return true;
	for (size_t i = 0; o->fail_on >= 0 && i < r->n_findings; i++)
		if ((int)r->findings[i].severity >= o->fail_on)
			return true;
	return false;
}

int ap_cmd_scan(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_args(argc, argv, &o);
	char **samples = NULL;
	size_t n_samples = 0;
	struct ap_kb *kb = NULL;
	struct ap_report **reps = NULL;
	size_t n_reps = 0;
	struct fps base = {0};
	struct ap_anomalies kb_an;
	ap_anom_init(&kb_an);
	if (rc != AP_EXIT_OK) {
		rc = rc < 0 ? AP_EXIT_OK : rc;
		goto out_free;
	}
	ap_cli_log_init(o.verbose);
	if (!o.n_files) {
		samples = sample_files(&n_samples);
		if (!n_samples) {
			fprintf(stderr, "apkpriv: no APK given and no samples in %s\n",
				ap_cli_samples_dir());
			usage(stderr);
			rc = AP_EXIT_USAGE;
			goto out_free;
		}
		free(o.files);
		o.files = calloc(n_samples + 1, sizeof *o.files);
		if (!o.files) {
			rc = AP_EXIT_INTERNAL;
			goto out_free;
		}
		for (size_t i = 0; i < n_samples; i++)
			o.files[o.n_files++] = samples[i];
		if (!o.fmt_set)
			o.fmt = FMT_SUMMARY;
	}
	if (o.fmt == FMT_HTML && o.n_files > 1) {
		fprintf(stderr, "apkpriv: scan: --format html takes one APK at a time\n");
		rc = AP_EXIT_USAGE;
		goto out_free;
	}
	int krc = ap_kb_load(o.rules, &kb_an, &kb);
	if (krc != AP_OK || !kb) {
		fprintf(stderr, "apkpriv: scan: cannot load the knowledge base%s%s: %s\n",
			o.rules ? " from " : "", o.rules ? o.rules : "", ap_strerror(krc));
		rc = krc == AP_ERR_IO ? AP_EXIT_USAGE : AP_EXIT_INTERNAL;
		goto out_free;
	}
	if (o.scan.app_type && !ap_kb_app_type(kb, o.scan.app_type)) {
		fprintf(stderr, "apkpriv: scan: unknown app type '%s'; one of:", o.scan.app_type);
		for (size_t i = 0; i < ap_kb_app_type_count(kb); i++)
			fprintf(stderr, " %s", ap_kb_app_type_at(kb, i)->id);
		fprintf(stderr, "\n");
		rc = AP_EXIT_USAGE;
		goto out_free;
	}
	if (o.baseline && load_baseline(o.baseline, &base) != AP_OK) {
		fprintf(stderr, "apkpriv: scan: cannot read baseline %s\n", o.baseline);
		rc = AP_EXIT_USAGE;
		goto out_free;
	}
	reps = calloc(o.n_files + 1, sizeof *reps);
	if (!reps) {
		rc = AP_EXIT_INTERNAL;
		goto out_free;
	}
	int worst = AP_EXIT_OK;
	bool gate = false;
	for (size_t i = 0; i < o.n_files; i++) {
		struct ap_report *r = NULL;
		ap_log(AP_LOG_INFO, "scan", "scanning %s", o.files[i]);
		int src = ap_scan_file(o.files[i], kb, &o.scan, &r);
		int code;
		if (src == AP_OK) {
			code = r->partial ? AP_EXIT_PARTIAL : AP_EXIT_OK;
			if (r->partial)
				fprintf(stderr, "apkpriv: warning: %s: partial analysis: %s\n",
					o.files[i], r->partial_reason ? r->partial_reason : "?");
			if (o.baseline)
				apply_baseline(r, &base);
			if (gate_tripped(r, &o))
				gate = true;
			reps[n_reps++] = r;
		} else {
			code = src == AP_ERR_NOMEM || src == AP_ERR_INTERNAL ? AP_EXIT_INTERNAL
									    : AP_EXIT_INPUT;
			fprintf(stderr, "apkpriv: error: %s: %s\n", o.files[i],
				r && r->partial_reason ? r->partial_reason : ap_strerror(src));
			ap_report_free(r);
		}
		if (code > worst)
			worst = code;
	}
	rc = worst;
	if (gate && rc != AP_EXIT_INTERNAL)
		rc = AP_EXIT_GATE;
	if (n_reps) {
		struct ap_buf out = AP_BUF_INIT;
		bool color = !o.out && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
		int wrc = render(reps, n_reps, &o, color, &out);
		if (wrc == AP_OK && o.fmt == FMT_SUMMARY)
			ap_buf_adds(&out, "Full report: apkpriv scan [--format text|json|sarif|html] "
					  "FILE.apk   (apkpriv --help)\n");
		if (wrc == AP_OK)
			wrc = write_out(o.out, &out);
		if (wrc != AP_OK) {
			fprintf(stderr, "apkpriv: scan: cannot write the report%s%s: %s\n",
				o.out ? " to " : "", o.out ? o.out : "", ap_strerror(wrc));
			rc = AP_EXIT_INTERNAL;
		}
		ap_buf_free(&out);
	}
out_free:
	for (size_t i = 0; i < n_reps; i++)
		ap_report_free(reps[i]);
	free(reps);
	fps_free(&base);
	for (size_t i = 0; i < n_samples; i++)
		free(samples[i]);
	free(samples);
	free(o.files);
	ap_kb_free(kb);
	ap_anom_free(&kb_an);
	return rc;
}
