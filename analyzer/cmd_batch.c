/* `apkpriv batch [-j N] -o OUTDIR DIR|@LIST`: scans many inputs in isolated workers and writes
 * one JSON report per input plus summary.jsonl, summary.csv and summary.html (analyzer/batch.c,
 * docs/batch.md). */
#include "cli.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "batch.h"
#include "rules/kb.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: apkpriv batch [-j N] -o OUTDIR [options] DIR|@LIST\n"
		"  DIR        every file under DIR, recursively (non-APKs get a row too)\n"
		"  @LIST      the paths listed in LIST, one per line\n"
		"  -o DIR     output: reports/<sha256>.json, summary.jsonl, summary.csv, summary.html\n"
		"  -j N       workers at once (default: the number of cores)\n"
		"  --timeout SEC   wall-clock limit per input (default 300; 0 = none)\n"
		"  --mem-mb MB     address-space cap per worker (default 4096; 0 = none)\n"
		"  --rules DIR     knowledge-base overrides, as for 'scan'\n"
		"  --app-type ID   force the app type of every input\n"
		"  --no-native     skip native library analysis\n"
		"  --deterministic omit timings from the reports\n"
		"  -v              let workers log anomalies to stderr\n"
		"Exit: 0 every input has a row and none crashed/timed out/hit a cap; 4 the batch\n"
		"completed but some rows did; 2 usage; 3 DIR/LIST unreadable; 70 internal error.\n");
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (!s || !*s || *s == '-')
		return false;
	char *end = NULL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

int ap_cmd_batch(int argc, char **argv)
{
	enum { O_TIMEOUT = 256, O_MEM, O_RULES, O_APPTYPE, O_NONATIVE, O_DET };
	static const struct option lo[] = {
		{"jobs", required_argument, NULL, 'j'},
		{"output", required_argument, NULL, 'o'},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"mem-mb", required_argument, NULL, O_MEM},
		{"rules", required_argument, NULL, O_RULES},
		{"app-type", required_argument, NULL, O_APPTYPE},
		{"no-native", no_argument, NULL, O_NONATIVE},
		{"deterministic", no_argument, NULL, O_DET},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct ap_batch_opts o = {0};
	o.jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	o.timeout_s = 300;
	o.mem_mb = 4096;
	const char *rules = NULL;
	int verbose = 0;
	unsigned long v;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+j:o:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (!parse_uint(optarg, 4096, &v) || v == 0)
				goto bad_value;
			o.jobs = (unsigned)v;
			break;
		case 'o': o.outdir = optarg; break;
		case O_TIMEOUT:
			if (!parse_uint(optarg, 86400, &v))
				goto bad_value;
			o.timeout_s = (unsigned)v;
			break;
		case O_MEM:
			if (!parse_uint(optarg, 1ul << 22, &v))
				goto bad_value;
			o.mem_mb = v;
			break;
		case O_RULES: rules = optarg; break;
		case O_APPTYPE: o.scan.app_type = optarg; break;
		case O_NONATIVE: o.scan.no_native = true; break;
		case O_DET: o.scan.deterministic = true; break;
		case 'v': verbose++; break;
		case 'h': usage(stdout); return AP_EXIT_OK;
		default:
			fprintf(stderr, "apkpriv batch: unknown option or missing value '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return AP_EXIT_USAGE;
		}
	}
	if (!o.outdir || optind != argc - 1) {
		fprintf(stderr, "apkpriv batch: need -o OUTDIR and exactly one DIR or @LIST\n");
		usage(stderr);
		return AP_EXIT_USAGE;
	}
	ap_cli_log_init(verbose);
	o.worker_logs = verbose > 0;
	o.progress = isatty(STDERR_FILENO) == 1;

	struct ap_kb *kb = NULL;
	int rc = ap_kb_load(rules, NULL, &kb);
	if (rc != AP_OK) {
		fprintf(stderr, "apkpriv batch: cannot load the knowledge base: %s\n",
			ap_strerror(rc));
		return rc == AP_ERR_IO ? AP_EXIT_USAGE : AP_EXIT_INTERNAL;
	}
	o.kb = kb;
	if (o.scan.app_type && !ap_kb_app_type(kb, o.scan.app_type)) {
		fprintf(stderr, "apkpriv batch: unknown --app-type '%s'\n", o.scan.app_type);
		ap_kb_free(kb);
		return AP_EXIT_USAGE;
	}

	char **paths = NULL;
	size_t n = 0;
	const char *in = argv[optind];
	rc = ap_batch_inputs(in, o.outdir, &paths, &n);
	if (rc != AP_OK) {
		fprintf(stderr, "apkpriv batch: cannot read %s: %s\n", in, ap_strerror(rc));
		ap_kb_free(kb);
		return rc == AP_ERR_IO ? AP_EXIT_INPUT : AP_EXIT_INTERNAL;
	}
	struct ap_batch_stats st;
	rc = ap_batch_run(paths, n, &o, &st);
	ap_batch_paths_free(paths, n);
	ap_kb_free(kb);
	if (rc != AP_OK) {
		fprintf(stderr, "apkpriv batch: %s\n", ap_strerror(rc));
		return rc == AP_ERR_NOMEM || rc == AP_ERR_INTERNAL ? AP_EXIT_INTERNAL : AP_EXIT_INPUT;
	}
	size_t failed = st.crash + st.timeout + st.limit + st.error;
	printf("batch: %zu inputs (%zu scanned, %zu reused): %zu ok, %zu partial, %zu unusable, "
	       "%zu crash, %zu timeout, %zu limit, %zu error\n",
	       st.total, st.scanned, st.reused, st.ok, st.partial, st.unusable, st.crash,
	       st.timeout, st.limit, st.error);
	return failed ? AP_EXIT_PARTIAL : AP_EXIT_OK;

bad_value:
	fprintf(stderr, "apkpriv batch: bad value '%s' for %s\n", optarg, argv[optind - 1]);
	return AP_EXIT_USAGE;
}
