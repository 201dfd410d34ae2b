/* Logging sink and anomaly list. */
#include "ap_diag.h"

#include "ap_buf.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ap_log_sink g_sink;
static void *g_ctx;
static enum ap_log_level g_level = AP_LOG_WARN;

void ap_log_set_sink(ap_log_sink sink, void *ctx, enum ap_log_level max_level)
{
	g_sink = sink;
	g_ctx = ctx;
	g_level = max_level;
}

__attribute__((format(printf, 3, 0)))
static void vlog(enum ap_log_level lvl, const char *module, const char *fmt, va_list ap)
{
	if (!g_sink || lvl > g_level)
		return;
	char raw[1024];
	vsnprintf(raw, sizeof(raw), fmt, ap);
	struct ap_buf b;
	ap_buf_init(&b, 4096);
	ap_buf_adds(&b, module ? module : "apkpriv");
	ap_buf_adds(&b, ": ");
	ap_buf_add_escaped(&b, raw, strlen(raw), 0);
	if (b.data)
		g_sink(lvl, b.data, g_ctx);
	ap_buf_free(&b);
}

void ap_log(enum ap_log_level lvl, const char *module, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(lvl, module, fmt, ap);
	va_end(ap);
}

void ap_anom_init(struct ap_anomalies *list)
{
	memset(list, 0, sizeof(*list));
}

void ap_anom_free(struct ap_anomalies *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].where);
		free(list->items[i].what);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void ap_anom_add(struct ap_anomalies *list, const char *module, const char *where,
		 uint64_t offset, int code, const char *fmt, ...)
{
	/* past the cap an anomaly is only counted: a hostile file can raise millions, and neither
	 * the report nor the log should grow with them (one line says the rest are not shown) */
	if (list && list->count >= AP_MAX_ANOMALIES) {
		list->dropped++;
		if (!list->said_capped)
			ap_log(AP_LOG_WARN, module, "more than %u anomalies: the rest are counted in "
				   "the report (anomalies_dropped), not shown", AP_MAX_ANOMALIES);
		list->said_capped = true;
		return;
	}
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	if (offset != AP_OFFSET_NONE)
		ap_log(AP_LOG_WARN, module, "%s%sat 0x%llx: %s (%s)", where ? where : "",
		       where ? " " : "", (unsigned long long)offset, what, ap_err_name(code));
	else
		ap_log(AP_LOG_WARN, module, "%s%s%s (%s)", where ? where : "", where ? ": " : "",
		       what, ap_err_name(code));
	if (!list)
		return;
	if (list->count == list->cap) {
		size_t ncap = list->cap ? list->cap * 2 : 16;
		struct ap_anomaly *p = realloc(list->items, ncap * sizeof(*p));
		if (!p) {
			list->dropped++;
			return;
		}
		list->items = p;
		list->cap = ncap;
	}
	struct ap_anomaly *a = &list->items[list->count];
	a->module = module;
	a->where = where ? strdup(where) : NULL;
	a->offset = offset;
	a->code = code;
	a->what = strdup(what);
	if (!a->what || (where && !a->where)) {
		free(a->where);
		free(a->what);
		list->dropped++;
		return;
	}
	list->count++;
}

int ap_anom_has(const struct ap_anomalies *list, const char *module, int code)
{
	for (size_t i = 0; list && i < list->count; i++)
		if (strcmp(list->items[i].module, module) == 0 && list->items[i].code == code)
			return 1;
	return 0;
}
