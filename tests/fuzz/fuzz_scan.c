/* Fuzz target for the whole scan (analyzer/scan.h): container, manifest + resources.arsc, every
 * DEX, native libraries, evidence, findings, reachability and score, then the JSON, text and
 * SARIF renderers. ap_scan_file takes a path, so the input goes into a memfd and is scanned as
 * /proc/self/fd/N: no file system traffic and nothing left behind. The knowledge base is loaded
 * once (built in). */
#define _GNU_SOURCE /* memfd_create */
#include "analyzer/rules/kb.h"
#include "analyzer/scan.h"
#include "ap_buf.h"
#include "ap_diag.h"
#include "reports/report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static struct ap_kb *kb;

static int load_kb(void)
{
	if (kb)
		return 0;
	ap_log_set_sink(NULL, NULL, AP_LOG_ERROR); /* library logs are noise here */
	struct ap_anomalies an;
	ap_anom_init(&an);
	int rc = ap_kb_load(NULL, &an, &kb);
	ap_anom_free(&an);
	if (rc != 0 || !kb) {
		fprintf(stderr, "fuzz_scan: the built-in knowledge base does not load (%d)\n", rc);
		abort(); /* a harness bug, not an input problem */
	}
	return 0;
}

static int write_all(int fd, const uint8_t *data, size_t size)
{
	while (size > 0) {
		ssize_t n = write(fd, data, size);
		if (n <= 0)
			return -1;
		data += n;
		size -= (size_t)n;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	load_kb();
	int fd = memfd_create("fuzz_scan", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write_all(fd, data, size) != 0) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct ap_scan_opts opts = {.deterministic = true};
	struct ap_report *r = NULL;
	ap_scan_file(path, kb, &opts, &r);
	if (r) {
		struct ap_buf b = AP_BUF_INIT;
		ap_report_json(r, &b);
		ap_buf_reset(&b);
		ap_report_text(r, false, &b);
		ap_buf_reset(&b);
		const struct ap_report *one[1] = {r};
		ap_report_sarif(one, 1, &b);
		ap_buf_free(&b);
		ap_report_free(r);
	}
	close(fd);
	return 0;
}
