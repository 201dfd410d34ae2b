/* bench_dex: MB of DEX per second and memory for ap_dex_open (parse + call-site index) on the
 * given .dex files, one core, in CPU time. Not a test: it prints figures. Usage: bench_dex
 * [-n CPU_SECONDS] [--sha1 (also verify the SHA-1 signature)] [--warm (reuse freed memory
 * between repetitions instead of fresh pages)] FILE.dex... (APK entries: extract them first, e.g. `unzip -p app.apk classes.dex > c.dex`). */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"
#include "dex/dex.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: a loaded machine does not skew it */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	double min_secs = 1.0;
	int first = 1;
	unsigned flags = AP_DEX_OPEN_NO_SIGNATURE;
	for (;;) {
		if (argc > first && strcmp(argv[first], "--warm") == 0) {
			/* keep freed memory in the process between runs: measures the parser, not the
			 * kernel zeroing fresh pages for every repetition */
			mallopt(M_MMAP_THRESHOLD, 256 << 20);
			mallopt(M_TRIM_THRESHOLD, 512 << 20);
			first++;
			continue;
		}
		if (argc > first + 1 && strcmp(argv[first], "-n") == 0) {
			min_secs = atof(argv[first + 1]);
			first += 2;
		} else if (argc > first && strcmp(argv[first], "--sha1") == 0) {
			flags = 0;
			first++;
		} else
			break;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: bench_dex [-n CPU_SECONDS] [--sha1] [--warm] FILE.dex...\n");
		return 2;
	}
	printf("%-40s %10s %8s %10s %10s %9s %10s %8s\n", "file", "bytes", "runs", "MB/s", "calls",
	       "model/MB", "model/size", "rss_MB");
	double tot_bytes = 0, tot_time = 0;
	for (int i = first; i < argc; i++) {
		uint8_t *buf;
		size_t len;
		if (ap_read_file(argv[i], AP_MAX_DEX_BYTES, &buf, &len) != AP_OK) {
			fprintf(stderr, "bench_dex: cannot read %s\n", argv[i]);
			continue;
		}
		long rss_before = peak_rss_kb();
		unsigned runs = 0;
		size_t model = 0, calls = 0;
		double t0 = now(), t = 0;
		do {
			struct ap_anomalies an;
			ap_anom_init(&an);
			struct ap_dex *dex = NULL;
			ap_dex_open_ex(buf, len, argv[i], &an, flags, &dex);
			if (dex) {
				model = ap_dex_mem_used(dex);
				calls = ap_dex_counts(dex)->calls;
			}
			ap_dex_close(dex);
			ap_anom_free(&an);
			runs++;
			t = now() - t0;
		} while (t < min_secs);
		long rss = peak_rss_kb();
		double mbs = (double)len * runs / t / 1e6;
		const char *base = strrchr(argv[i], '/');
		printf("%-40.40s %10zu %8u %10.1f %10zu %9.2f %10.2f %8.1f\n", base ? base + 1 : argv[i],
		       len, runs, mbs, calls, (double)model / 1e6, (double)model / (double)len,
		       (double)(rss > rss_before ? rss : rss_before) / 1024.0);
		tot_bytes += (double)len * runs;
		tot_time += t;
		free(buf);
	}
	if (tot_time > 0)
		printf("overall: %.1f MB/s of CPU time (parse + index%s); peak RSS %.1f MB (includes the "
		       "input buffers)\n",
		       tot_bytes / tot_time / 1e6, flags ? "" : " + SHA-1", (double)peak_rss_kb() / 1024.0);
	return 0;
}
