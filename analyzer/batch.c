/* `apkpriv batch`: many inputs, one forked worker per input (memory cap, wall-clock limit
 * enforced by the parent with SIGKILL, CPU limit as a backstop, no core dumps), so a crash, a
 * hang or a cap hit in one APK becomes one row and never stops the batch. docs/batch.md. */
#include "batch.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_arena.h"
#include "ap_file.h"
#include "ap_limits.h"
#include "apk.h"
#include "native/native.h"
#include "report_read.h"
#include "reports/report.h"
#include "rules/kb.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef AP_VERSION
#error "AP_VERSION comes from analyzer/CMakeLists.txt"
#endif

/* ASan/LSan reserve terabytes of address space: RLIMIT_AS would kill every worker. */
#if defined(__SANITIZE_ADDRESS__)
#define BATCH_NO_RLIMIT_AS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BATCH_NO_RLIMIT_AS 1
#endif
#endif

/* ---- status of a report ------------------------------------------------------------------ */

const char *ap_batch_status(const struct ap_report *r, const char **reason)
{
	*reason = r->partial_reason;
	if (r->grade)
		return r->partial ? "partial" : "ok";
	/* no score: the scan stopped at the container. ap_scan_file records ap_strerror(rc) as the
	 * reason, which is how a reused report tells a cap from a non-APK. */
	if (r->partial_reason && strcmp(r->partial_reason, ap_strerror(AP_ERR_LIMIT)) == 0)
		return "limit";
	return "unusable";
}

/* ---- the worker (child process) ------------------------------------------------------------ */

static bool write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
	}
	return true;
}

/* Writes data to path through a temporary file in the same directory and rename(2), so a
 * reader (or a resumed batch after a kill) never sees half a file. */
static int write_atomic(const char *path, const char *data, size_t len)
{
	struct ap_buf tmp = AP_BUF_INIT;
	ap_buf_init(&tmp, 0);
	ap_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if (tmp.failed) {
		ap_buf_free(&tmp);
		return AP_ERR_NOMEM;
	}
	int rc = AP_ERR_IO;
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		bool ok = write_all(fd, data, len);
		ok = close(fd) == 0 && ok;
		if (ok && rename(tmp.data, path) == 0)
			rc = AP_OK;
		else
			unlink(tmp.data);
	}
	ap_buf_free(&tmp);
	return rc;
}

/* The test-only fault hook (docs/batch.md): APKPRIV_TEST_FAULT=crash:<sub> or hang:<sub>. */
static void fault_hook(const char *path)
{
	const char *f = getenv("APKPRIV_TEST_FAULT");
	if (!f)
		return;
	bool crash = strncmp(f, "crash:", 6) == 0, hang = strncmp(f, "hang:", 5) == 0;
	const char *sub = crash ? f + 6 : hang ? f + 5 : NULL;
	if (!sub || !*sub || !strstr(path, sub))
		return;
	if (crash) {
		signal(SIGSEGV, SIG_DFL); /* a sanitizer's handler would turn it into exit(1) */
		raise(SIGSEGV);
		abort();
	}
	for (;;)
		sleep(1000);
}

static void limits(const struct ap_batch_opts *o)
{
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
	if (o->timeout_s) {
		/* backstop only: the parent's wall clock normally fires first */
		rl.rlim_cur = (rlim_t)o->timeout_s + 5;
		rl.rlim_max = (rlim_t)o->timeout_s + 10;
		setrlimit(RLIMIT_CPU, &rl);
	}
#ifndef BATCH_NO_RLIMIT_AS
	if (o->mem_mb) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)o->mem_mb << 20;
		setrlimit(RLIMIT_AS, &rl);
	}
#endif
}

/* "F <status>\t<reason>\n": the worker failed before it had a report. */
static void send_fail(int fd, const char *status, const char *reason)
{
	char m[512];
	int n = snprintf(m, sizeof m, "F %s\t%s", status, reason);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof m - 1 ? (size_t)n : sizeof m - 2;
	for (size_t i = 2; i < len; i++)
		if (m[i] == '\n')
			m[i] = ' ';
	m[len++] = '\n';
	write_all(fd, m, len);
}

/* "R <reused> <jsonl bytes> <csv bytes>\n" then both rows. */
static bool send_rows(int fd, const struct ap_report *r, bool reused)
{
	const char *reason;
	const char *status = ap_batch_status(r, &reason);
	struct ap_buf j = AP_BUF_INIT, c = AP_BUF_INIT;
	ap_buf_init(&j, AP_MAX_BATCH_RESULT / 2);
	ap_buf_init(&c, AP_MAX_BATCH_RESULT / 2);
	bool ok = ap_summary_jsonl_row(r, status, reason, &j) == AP_OK &&
		  ap_summary_csv_row(r, status, reason, &c) == AP_OK;
	if (ok) {
		char hdr[96];
		int n = snprintf(hdr, sizeof hdr, "R %d %zu %zu\n", reused ? 1 : 0, j.len, c.len);
		ok = write_all(fd, hdr, (size_t)n) && write_all(fd, j.data, j.len) &&
		     write_all(fd, c.data, c.len);
	}
	ap_buf_free(&j);
	ap_buf_free(&c);
	return ok;
}

/* A report from an earlier run is reused when it is ours, of the current schema, tool version
 * and rules version, and of these bytes. */
static struct ap_report *reusable(const char *rpath, const char *sha, const char *rules)
{
	struct ap_report *r = NULL;
	if (access(rpath, F_OK) != 0 || ap_report_read(rpath, &r) != AP_OK)
		return NULL;
	if (!r->sha256 || strcmp(r->sha256, sha) != 0 || !r->rules_version ||
	    strcmp(r->rules_version, rules) != 0 || !r->tool_version ||
	    strcmp(r->tool_version, AP_VERSION) != 0) {
		ap_report_free(r);
		return NULL;
	}
	return r;
}

static int worker(const char *path, const struct ap_batch_opts *o, int fd)
{
	limits(o);
	if (!o->worker_logs)
		ap_log_set_sink(NULL, NULL, AP_LOG_ERROR);
	char sha[65], msg[160];
	if (ap_apk_sha256_file(path, sha) != AP_OK) {
		snprintf(msg, sizeof msg, "cannot read the file: %s", strerror(errno));
		send_fail(fd, "unusable", msg);
		return 0;
	}
	snprintf(msg, sizeof msg, "H %s\n", sha);
	write_all(fd, msg, strlen(msg));
	fault_hook(path);

	struct ap_buf rp = AP_BUF_INIT;
	ap_buf_init(&rp, 0);
	ap_buf_addf(&rp, "%s/reports/%s.json", o->outdir, sha);
	if (rp.failed) {
		send_fail(fd, "limit", "out of memory");
		return 0;
	}
	struct ap_report *r = reusable(rp.data, sha, ap_kb_version(o->kb));
	if (r) {
		r->path = path; /* the row names this input, maybe a copy of the one first scanned */
		bool ok = send_rows(fd, r, true);
		ap_report_free(r);
		ap_buf_free(&rp);
		return ok ? 0 : 1;
	}

	int rc = ap_scan_file(path, o->kb, &o->scan, &r);
	if (!r) {
		if (rc == AP_ERR_NOMEM && o->mem_mb)
			snprintf(msg, sizeof msg, "out of memory under the %lu MiB cap (--mem-mb)",
				 o->mem_mb);
		else
			snprintf(msg, sizeof msg, "scan failed: %s", ap_strerror(rc));
		send_fail(fd, rc == AP_ERR_NOMEM ? "limit" : "error", msg);
		ap_buf_free(&rp);
		return 0;
	}
	if (!r->sha256)
		r->sha256 = sha; /* the scan could not open the container; name the bytes anyway */
	struct ap_buf js = AP_BUF_INIT;
	ap_buf_init(&js, 0);
	rc = ap_report_json(r, &js);
	if (rc == AP_OK)
		rc = write_atomic(rp.data, js.data, js.len);
	bool ok;
	if (rc != AP_OK) {
		snprintf(msg, sizeof msg, "cannot write the report: %s", ap_strerror(rc));
		send_fail(fd, "error", msg);
		ok = true;
	} else {
		ok = send_rows(fd, r, false);
	}
	ap_buf_free(&js);
	ap_buf_free(&rp);
	ap_report_free(r);
	return ok ? 0 : 1;
}

/* ---- the parent: pool, timeouts, results --------------------------------------------------- */

struct job {
	size_t idx;
	pid_t pid;
	int fd;              /* read end, -1 after EOF */
	double deadline;
	struct ap_buf msg;
	bool reaped, killed, overflow;
	int wstatus;
};

struct row {
	char *jsonl, *csv;   /* one line each, with its line end */
	const char *status;  /* static string */
	bool reused;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const statuses[] = {"ok", "partial", "unusable", "limit", "crash", "timeout",
				       "error"};

static const char *static_status(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (strlen(statuses[i]) == n && memcmp(statuses[i], s, n) == 0)
			return statuses[i];
	return NULL;
}

/* A row the parent writes itself: the worker gave no report (crash, timeout, cap, read error). */
static int fail_row(struct row *w, const char *path, const char *sha, const char *status,
		    const char *reason)
{
	struct ap_report r;
	memset(&r, 0, sizeof r);
	r.path = path;
	r.sha256 = sha && *sha ? sha : NULL;
	struct ap_buf j = AP_BUF_INIT, c = AP_BUF_INIT;
	ap_buf_init(&j, 0);
	ap_buf_init(&c, 0);
	int rc = ap_summary_jsonl_row(&r, status, reason, &j);
	if (rc == AP_OK)
		rc = ap_summary_csv_row(&r, status, reason, &c);
	if (rc == AP_OK) {
		w->jsonl = ap_buf_take(&j);
		w->csv = ap_buf_take(&c);
		w->status = status;
	}
	ap_buf_free(&j);
	ap_buf_free(&c);
	return rc;
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGABRT: return "SIGABRT";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGILL: return "SIGILL";
	case SIGKILL: return "SIGKILL";
	case SIGXCPU: return "SIGXCPU";
	case SIGTERM: return "SIGTERM";
	case SIGPIPE: return "SIGPIPE";
	default: return "signal";
	}
}

/* Decodes what the worker sent; false when it sent no complete result. */
static bool take_result(struct job *j, const char *path, struct row *w, char *sha, int *rc)
{
	const char *m = j->msg.data ? j->msg.data : "";
	size_t len = j->msg.len, off = 0;
	*rc = AP_OK;
	if (len >= 67 && m[0] == 'H' && m[1] == ' ' && m[66] == '\n') {
		memcpy(sha, m + 2, 64);
		sha[64] = '\0';
		off = 67;
	}
	if (len - off > 2 && m[off] == 'F' && m[off + 1] == ' ' && m[len - 1] == '\n') {
		const char *st = m + off + 2;
		const char *tab = memchr(st, '\t', len - off - 2);
		if (!tab)
			return false;
		const char *status = static_status(st, (size_t)(tab - st));
		if (!status)
			return false;
		char reason[512];
		size_t rl = (size_t)(m + len - 1 - (tab + 1));
		if (rl >= sizeof reason)
			rl = sizeof reason - 1;
		memcpy(reason, tab + 1, rl);
		reason[rl] = '\0';
		*rc = fail_row(w, path, sha, status, reason);
		return true;
	}
	unsigned reused;
	size_t jl, cl;
	int hl = 0;
	if (len - off < 8 || m[off] != 'R' ||
	    sscanf(m + off, "R %u %zu %zu\n%n", &reused, &jl, &cl, &hl) != 3 || hl <= 0)
		return false;
	off += (size_t)hl;
	if (jl > len - off || cl != len - off - jl || jl < 2 || cl < 2)
		return false;
	w->jsonl = strndup(m + off, jl);
	w->csv = strndup(m + off + jl, cl);
	if (!w->jsonl || !w->csv) {
		*rc = AP_ERR_NOMEM;
		return true;
	}
	/* the status as the worker rendered it, for the counters */
	const char *sp = strstr(w->jsonl, "\"status\":\"");
	w->status = "ok";
	if (sp) {
		sp += 10;
		const char *q = strchr(sp, '"');
		const char *s = q ? static_status(sp, (size_t)(q - sp)) : NULL;
		if (s)
			w->status = s;
	}
	w->reused = reused != 0;
	return true;
}

static int finish(struct job *j, struct row *w, char *const *paths, const struct ap_batch_opts *o)
{
	char sha[65] = "", why[160];
	const char *path = paths[j->idx];
	int rc = AP_OK;
	if (!j->overflow && !j->killed && take_result(j, path, w, sha, &rc))
		goto out;
	/* no usable result: say why from the exit status */
	if (!sha[0] && j->msg.len >= 67 && j->msg.data[0] == 'H') {
		memcpy(sha, j->msg.data + 2, 64);
		sha[64] = '\0';
	}
	const char *status = "crash";
	if (j->overflow) {
		status = "error";
		snprintf(why, sizeof why, "worker sent more than %u bytes", AP_MAX_BATCH_RESULT);
	} else if (j->killed) {
		status = "timeout";
		snprintf(why, sizeof why, "no result after %u s (worker killed)", o->timeout_s);
	} else if (WIFSIGNALED(j->wstatus)) {
		int sig = WTERMSIG(j->wstatus);
		if (sig == SIGXCPU) {
			status = "timeout";
			snprintf(why, sizeof why, "CPU time limit hit (%s)", sig_name(sig));
		} else {
			snprintf(why, sizeof why, "worker killed by signal %d (%s)", sig, sig_name(sig));
		}
	} else if (WIFEXITED(j->wstatus) && WEXITSTATUS(j->wstatus) != 0) {
		snprintf(why, sizeof why, "worker exited with status %d and no result",
			 WEXITSTATUS(j->wstatus));
	} else {
		status = "error";
		snprintf(why, sizeof why, "worker sent no result");
	}
	rc = fail_row(w, path, sha, status, why);
out:
	ap_buf_free(&j->msg);
	return rc;
}

static int start(struct job *j, size_t idx, char *const *paths, const struct ap_batch_opts *o,
		 const struct job *jobs, size_t njobs)
{
	int p[2];
	if (pipe(p) != 0)
		return AP_ERR_INTERNAL;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return AP_ERR_INTERNAL;
	}
	if (pid == 0) {
		close(p[0]);
		for (size_t k = 0; k < njobs; k++)
			if (jobs[k].pid > 0 && jobs[k].fd >= 0)
				close(jobs[k].fd);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGBUS, SIG_DFL); /* a truncated input is a crash row, not the CLI's exit 3 */
		_exit(worker(paths[idx], o, p[1]));
	}
	close(p[1]);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	memset(j, 0, sizeof *j);
	j->idx = idx;
	j->pid = pid;
	j->fd = p[0];
	j->deadline = o->timeout_s ? now_s() + o->timeout_s : 0;
	ap_buf_init(&j->msg, AP_MAX_BATCH_RESULT);
	return AP_OK;
}

static void drain(struct job *j)
{
	char buf[65536];
	ssize_t got = read(j->fd, buf, sizeof buf);
	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (got <= 0) {
		close(j->fd);
		j->fd = -1;
		return;
	}
	if (!j->overflow && !ap_buf_add(&j->msg, buf, (size_t)got)) {
		j->overflow = true;
		kill(j->pid, SIGKILL);
	}
}

static void count(struct ap_batch_stats *st, const struct row *w)
{
	const char *s = w->status;
	if (w->reused)
		st->reused++;
	else
		st->scanned++;
	if (!strcmp(s, "ok")) st->ok++;
	else if (!strcmp(s, "partial")) st->partial++;
	else if (!strcmp(s, "unusable")) st->unusable++;
	else if (!strcmp(s, "limit")) st->limit++;
	else if (!strcmp(s, "timeout")) st->timeout++;
	else if (!strcmp(s, "crash")) st->crash++;
	else st->error++;
}

static void progress(const struct ap_batch_stats *st, size_t total, double t0, bool last)
{
	size_t done = st->scanned + st->reused;
	double el = now_s() - t0;
	double rate = el > 0 ? (double)done / el : 0;
	char eta[32] = "-";
	if (rate > 0 && done < total) {
		double s = (double)(total - done) / rate;
		snprintf(eta, sizeof eta, "%dm%02ds", (int)(s / 60), (int)s % 60);
	}
	fprintf(stderr, "\rbatch: %zu/%zu done, %.1f/s, ETA %s, %zu failed\033[K%s", done, total,
		rate, eta, st->crash + st->timeout + st->limit + st->error, last ? "\n" : "");
	fflush(stderr);
}

static int run_pool(char *const *paths, size_t n, const struct ap_batch_opts *o,
		    struct row *rows, struct ap_batch_stats *st)
{
	size_t nj = o->jobs ? o->jobs : 1;
	struct job *jobs = calloc(nj, sizeof *jobs);
	struct pollfd *pf = calloc(nj, sizeof *pf);
	if (!jobs || !pf) {
		free(jobs);
		free(pf);
		return AP_ERR_NOMEM;
	}
	size_t next = 0, active = 0;
	int rc = AP_OK;
	double t0 = now_s(), last_prog = 0;
	while (rc == AP_OK && (next < n || active)) {
		for (size_t k = 0; k < nj && next < n && rc == AP_OK; k++)
			if (jobs[k].pid == 0) {
				rc = start(&jobs[k], next, paths, o, jobs, nj);
				if (rc == AP_OK) {
					next++;
					active++;
				}
			}
		if (rc != AP_OK)
			break;
		nfds_t np = 0;
		double now = now_s(), wait_s = 0.25;
		for (size_t k = 0; k < nj; k++) {
			if (jobs[k].pid == 0)
				continue;
			if (jobs[k].fd >= 0) {
				pf[np].fd = jobs[k].fd;
				pf[np].events = POLLIN;
				pf[np].revents = 0;
				np++;
			}
			if (jobs[k].deadline && !jobs[k].killed && jobs[k].deadline - now < wait_s)
				wait_s = jobs[k].deadline - now;
		}
		int ms = wait_s > 0 ? (int)(wait_s * 1000) + 1 : 0;
		if (np && poll(pf, np, ms) < 0 && errno != EINTR) {
			rc = AP_ERR_INTERNAL;
			break;
		}
		if (!np)
			usleep(10000); /* only exited workers left to reap */
		now = now_s();
		for (size_t k = 0; k < nj; k++) {
			struct job *j = &jobs[k];
			if (j->pid == 0)
				continue;
			for (nfds_t q = 0; q < np; q++)
				if (j->fd >= 0 && pf[q].fd == j->fd && pf[q].revents)
					drain(j);
			if (!j->reaped && waitpid(j->pid, &j->wstatus, WNOHANG) == j->pid)
				j->reaped = true;
			if (!j->reaped && !j->killed && j->deadline && now >= j->deadline) {
				kill(j->pid, SIGKILL);
				j->killed = true;
			}
			/* killed, or the pipe is at EOF: the worker is exiting, so wait for it */
			if ((j->killed || j->fd < 0) && !j->reaped &&
			    waitpid(j->pid, &j->wstatus, 0) == j->pid)
				j->reaped = true;
			if (j->killed && j->fd >= 0) {
				close(j->fd);
				j->fd = -1;
			}
			if (!j->reaped || j->fd >= 0)
				continue;
			rc = finish(j, &rows[j->idx], paths, o);
			if (rc == AP_OK)
				count(st, &rows[j->idx]);
			j->pid = 0;
			active--;
		}
		if (o->progress && (now - last_prog >= 0.2 || (next == n && !active))) {
			progress(st, n, t0, next == n && !active);
			last_prog = now;
		}
	}
	/* on an internal error, no worker is left behind */
	for (size_t k = 0; k < nj; k++)
		if (jobs[k].pid > 0) {
			kill(jobs[k].pid, SIGKILL);
			waitpid(jobs[k].pid, NULL, 0);
			if (jobs[k].fd >= 0)
				close(jobs[k].fd);
			ap_buf_free(&jobs[k].msg);
		}
	free(jobs);
	free(pf);
	return rc;
}

/* ---- outputs -------------------------------------------------------------------------------- */

static int mkdirs(const char *dir)
{
	char *d = strdup(dir);
	if (!d)
		return AP_ERR_NOMEM;
	int rc = AP_OK;
	for (char *p = d + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(d, 0755) != 0 && errno != EEXIST)
			rc = AP_ERR_IO;
		*p = c;
		if (!c || rc != AP_OK)
			break;
	}
	struct stat st;
	if (rc == AP_OK && (stat(d, &st) != 0 || !S_ISDIR(st.st_mode)))
		rc = AP_ERR_IO;
	free(d);
	return rc;
}

static int write_out(const char *outdir, const char *name, const struct ap_buf *b)
{
	if (b->failed)
		return AP_ERR_LIMIT;
	struct ap_buf p = AP_BUF_INIT;
	ap_buf_init(&p, 0);
	ap_buf_addf(&p, "%s/%s", outdir, name);
	int rc = p.failed ? AP_ERR_NOMEM : write_atomic(p.data, b->data ? b->data : "", b->len);
	if (rc != AP_OK)
		ap_log(AP_LOG_ERROR, "batch", "cannot write %s: %s", p.data ? p.data : name,
		       ap_strerror(rc));
	ap_buf_free(&p);
	return rc;
}

static int write_summaries(const struct ap_batch_opts *o, const struct row *rows, size_t n)
{
	struct ap_buf jl = AP_BUF_INIT, csv = AP_BUF_INIT, html = AP_BUF_INIT;
	ap_buf_init(&jl, 0);
	ap_buf_init(&csv, 0);
	ap_buf_init(&html, 0);
	ap_summary_csv_header(&csv);
	for (size_t i = 0; i < n; i++) {
		ap_buf_adds(&jl, rows[i].jsonl);
		ap_buf_adds(&csv, rows[i].csv);
	}
	int rc = write_out(o->outdir, "summary.jsonl", &jl);
	if (rc == AP_OK)
		rc = write_out(o->outdir, "summary.csv", &csv);
	struct ap_summary_row *sr = NULL;
	size_t ns = 0, bad = 0;
	if (rc == AP_OK)
		rc = ap_summary_rows_parse(jl.data ? jl.data : "", jl.len, &sr, &ns, &bad);
	if (rc == AP_OK && (bad || ns != n)) {
		ap_log(AP_LOG_ERROR, "batch", "summary.jsonl: %zu rows read back of %zu", ns, n);
		rc = AP_ERR_INTERNAL;
	}
	if (rc == AP_OK)
		rc = ap_summary_html(sr, ns, &html);
	if (rc == AP_OK)
		rc = write_out(o->outdir, "summary.html", &html);
	ap_summary_rows_free(sr, ns);
	ap_buf_free(&jl);
	ap_buf_free(&csv);
	ap_buf_free(&html);
	return rc;
}

int ap_batch_run(char *const *paths, size_t n, const struct ap_batch_opts *o,
		 struct ap_batch_stats *st_out)
{
	struct ap_batch_stats st;
	memset(&st, 0, sizeof st);
	st.total = n;
	int rc = mkdirs(o->outdir);
	if (rc == AP_OK) {
		struct ap_buf rd = AP_BUF_INIT;
		ap_buf_init(&rd, 0);
		ap_buf_addf(&rd, "%s/reports", o->outdir);
		rc = rd.failed ? AP_ERR_NOMEM : mkdirs(rd.data);
		ap_buf_free(&rd);
	}
	if (rc != AP_OK) {
		ap_log(AP_LOG_ERROR, "batch", "cannot create %s/reports", o->outdir);
		return rc;
	}
	struct row *rows = n ? calloc(n, sizeof *rows) : NULL;
	if (n && !rows)
		return AP_ERR_NOMEM;
	/* capstone loaded once here and inherited by every forked worker, instead of once per APK
	 * with native code; if it cannot be loaded, each scan that needs it says so */
	if (!o->scan.no_native)
		(void)ap_native_load();
	rc = run_pool(paths, n, o, rows, &st);
	if (rc == AP_OK)
		rc = write_summaries(o, rows, n);
	for (size_t i = 0; i < n; i++) {
		free(rows[i].jsonl);
		free(rows[i].csv);
	}
	free(rows);
	if (st_out)
		*st_out = st;
	return rc;
}
