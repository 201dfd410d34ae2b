/* Diagnostics: the logging sink and the anomaly list.
 *
 * Library code never writes to stdout/stderr: it calls ap_log(), whose sink the CLI installs.
 * An anomaly is hostile or broken input that apkpriv tolerated: where (entry name), which module,
 * what, the byte offset, the error kind. Every anomaly also goes to the log at AP_LOG_WARN. */
#ifndef AP_DIAG_H
#define AP_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ap_log_level { AP_LOG_ERROR = 0, AP_LOG_WARN = 1, AP_LOG_INFO = 2, AP_LOG_DEBUG = 3 };

typedef void (*ap_log_sink)(enum ap_log_level lvl, const char *line, void *ctx);

/* Installs the sink (NULL discards everything) and the most verbose level passed to it. */
void ap_log_set_sink(ap_log_sink sink, void *ctx, enum ap_log_level max_level);
/* One line: "module: message". Control bytes in the formatted text are escaped. */
void ap_log(enum ap_log_level lvl, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define AP_OFFSET_NONE UINT64_MAX

struct ap_anomaly {
	const char *module; /* static string: "zip", "axml", "arsc", "manifest", "dex", "elf", ... */
	char *where;        /* entry name or path, escaped-on-output attacker text, may be NULL */
	uint64_t offset;    /* byte offset in that entry, AP_OFFSET_NONE when not applicable */
	int code;           /* enum ap_err */
	char *what;         /* one sentence */
};

struct ap_anomalies {
	struct ap_anomaly *items;
	size_t count;   /* kept, at most AP_MAX_ANOMALIES */
	size_t cap;
	size_t dropped; /* seen past the cap */
	bool said_capped; /* the log said once that the rest are not shown */
};

void ap_anom_init(struct ap_anomalies *list);
void ap_anom_free(struct ap_anomalies *list); /* frees items, not list */
/* Records one anomaly (list may be NULL: then it is only logged). */
void ap_anom_add(struct ap_anomalies *list, const char *module, const char *where,
		 uint64_t offset, int code, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* True when an anomaly with this module and code was recorded (tests, tamper checks). */
int ap_anom_has(const struct ap_anomalies *list, const char *module, int code);

#endif
