/* Batch scanning (`apkpriv batch`): the input list, and a pool of forked workers that each scan
 * one input under a memory cap and a wall-clock limit, write OUTDIR/reports/<sha256>.json and
 * send one summary row back over a pipe. docs/batch.md describes the behaviour and the outputs. */
#ifndef AP_BATCH_H
#define AP_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "scan.h"

struct ap_kb;

struct ap_batch_opts {
	const char *outdir;          /* created when missing; reports/ goes under it */
	const struct ap_kb *kb;      /* loaded once by the caller, shared copy-on-write by workers */
	struct ap_scan_opts scan;
	unsigned jobs;               /* workers at once, >= 1 */
	unsigned timeout_s;          /* wall clock per input; the parent kills the worker after it */
	unsigned long mem_mb;        /* RLIMIT_AS per worker in MiB, 0 = none */
	bool progress;               /* a progress line on stderr (the CLI sets it when a TTY) */
	bool worker_logs;            /* let workers log (-v); otherwise anomalies go only in reports */
};

/* Per-status counts of one run. "failed" rows are crash, timeout, limit and error: the
 * isolation caught something. unusable rows (not an APK/DEX/manifest/ELF) are not failures. */
struct ap_batch_stats {
	size_t total;
	size_t scanned, reused;      /* reused: the report already existed (resume) */
	size_t ok, partial, unusable;
	size_t crash, timeout, limit, error;
};

/* The inputs: every file under DIR (recursively, hidden ones too, symlinked directories not
 * followed, skip_dir excluded when it lies inside), or, when arg starts with '@', the paths
 * listed one per line in that file ('#' comments and blank lines ignored). Sorted by byte value,
 * which fixes the output order. *paths is a malloc'd array of malloc'd strings
 * (ap_batch_paths_free). AP_ERR_IO when DIR/LIST cannot be read, AP_ERR_LIMIT past
 * AP_MAX_BATCH_INPUTS, AP_ERR_NOMEM. */
int ap_batch_inputs(const char *arg, const char *skip_dir, char ***paths, size_t *n);
void ap_batch_paths_free(char **paths, size_t n);

/* Scans paths[0..n) with the worker pool and writes OUTDIR/summary.jsonl, summary.csv and
 * summary.html, one row per input in the order of paths. Returns AP_OK once every input has a
 * row (whatever its status), AP_ERR_IO when OUTDIR or a summary cannot be written, AP_ERR_NOMEM
 * or AP_ERR_INTERNAL (fork/pipe failure). st may be NULL.
 *
 * Test-only fault hook: when the environment holds APKPRIV_TEST_FAULT=crash:<substring> or
 * hang:<substring>, the worker whose input path contains <substring> raises SIGSEGV or sleeps
 * forever, so tests can check that the batch isolates it. */
int ap_batch_run(char *const *paths, size_t n, const struct ap_batch_opts *o,
		 struct ap_batch_stats *st);

/* The row status of a report, the same for a fresh scan and a reused report: "ok", "partial"
 * (analysed, some part cut), "unusable" (not analysable at all) or "limit" (a cap rejected the
 * input). *reason is the report's partial_reason or NULL. */
const char *ap_batch_status(const struct ap_report *r, const char **reason);

#endif
