/* What each callee does to taint: the table of sinks and propagators, the KB's PI sources
 * (the apis.tsv lookup evidence.c uses) and their `requires` checks. Part of the taint pass. */
#include "taint_int.h"

#include "analyzer/rules/kb.h"

#include <stdlib.h>
#include <string.h>

static const char *const sink_names[] = {"network", "sms"};

const char *ap_taint_sink_name(uint8_t sink)
{
	return sink == SINK_SMS ? sink_names[SINK_SMS] : sink_names[SINK_NETWORK];
}

/* The propagators and sinks. A static table rather than a KB file for now (the KB is compiled
 * at build time through kb_fields; wiring a new table there is a separate change). name NULL
 * matches any method of the class; the first matching row wins, so specific rows go first. */
struct callee_row {
	const char *cls, *name;
	uint8_t role, sink;
};
static const struct callee_row callee_rows[] = {
	/* network: java.net (rows of one class stay together: see rows_of_type) */
	{"Ljava/net/URL;", "<init>", R_SINK_URL, SINK_NETWORK},
	{"Ljava/net/URL;", "openConnection", R_SINK, SINK_NETWORK},
	{"Ljava/net/URL;", "openStream", R_SINK, SINK_NETWORK},
	{"Ljava/net/URL;", NULL, R_PURE, 0},
	{"Ljava/net/URLConnection;", "getOutputStream", R_STREAM_GET, 0},
	{"Ljava/net/URLConnection;", "setRequestProperty", R_SINK, SINK_NETWORK},
	{"Ljava/net/URLConnection;", "addRequestProperty", R_SINK, SINK_NETWORK},
	{"Ljava/net/HttpURLConnection;", "getOutputStream", R_STREAM_GET, 0},
	{"Ljava/net/HttpURLConnection;", "setRequestProperty", R_SINK, SINK_NETWORK},
	{"Ljava/net/HttpURLConnection;", "addRequestProperty", R_SINK, SINK_NETWORK},
	{"Ljavax/net/ssl/HttpsURLConnection;", "getOutputStream", R_STREAM_GET, 0},
	{"Ljavax/net/ssl/HttpsURLConnection;", "setRequestProperty", R_SINK, SINK_NETWORK},
	{"Ljava/net/Socket;", "getOutputStream", R_STREAM_GET, 0},
	{"Ljavax/net/ssl/SSLSocket;", "getOutputStream", R_STREAM_GET, 0},
	/* network: okhttp3 */
	{"Lokhttp3/RequestBody;", "create", R_SINK, SINK_NETWORK},
	{"Lokhttp3/RequestBody$Companion;", "create", R_SINK, SINK_NETWORK},
	{"Lokhttp3/FormBody$Builder;", "add", R_SINK, SINK_NETWORK},
	{"Lokhttp3/FormBody$Builder;", "addEncoded", R_SINK, SINK_NETWORK},
	{"Lokhttp3/MultipartBody$Builder;", "addFormDataPart", R_SINK, SINK_NETWORK},
	{"Lokhttp3/Request$Builder;", "url", R_SINK, SINK_NETWORK},
	{"Lokhttp3/Request$Builder;", "post", R_SINK, SINK_NETWORK},
	{"Lokhttp3/Request$Builder;", "put", R_SINK, SINK_NETWORK},
	{"Lokhttp3/Request$Builder;", "header", R_SINK, SINK_NETWORK},
	{"Lokhttp3/Request$Builder;", "addHeader", R_SINK, SINK_NETWORK},
	{"Lokhttp3/HttpUrl$Builder;", "addQueryParameter", R_SINK, SINK_NETWORK},
	/* network: Apache HttpClient (in the Android framework up to API 22) */
	{"Lorg/apache/http/entity/StringEntity;", "<init>", R_SINK, SINK_NETWORK},
	{"Lorg/apache/http/entity/ByteArrayEntity;", "<init>", R_SINK, SINK_NETWORK},
	{"Lorg/apache/http/message/BasicNameValuePair;", "<init>", R_SINK, SINK_NETWORK},
	{"Lorg/apache/http/client/methods/HttpGet;", "<init>", R_SINK, SINK_NETWORK},
	{"Lorg/apache/http/client/methods/HttpPost;", "<init>", R_SINK, SINK_NETWORK},
	/* network: WebView */
	{"Landroid/webkit/WebView;", "loadUrl", R_SINK, SINK_NETWORK},
	{"Landroid/webkit/WebView;", "postUrl", R_SINK, SINK_NETWORK},
	/* not network, but data leaving the device */
	{"Landroid/telephony/SmsManager;", "sendTextMessage", R_SINK, SINK_SMS},
	{"Landroid/telephony/SmsManager;", "sendMultipartTextMessage", R_SINK, SINK_SMS},
	{"Landroid/telephony/SmsManager;", "sendDataMessage", R_SINK, SINK_SMS},
	{"Landroid/telephony/gsm/SmsManager;", "sendTextMessage", R_SINK, SINK_SMS},
	/* propagators: strings and encodings */
	{"Ljava/lang/String;", NULL, R_PURE, 0},
	{"Ljava/lang/StringBuilder;", NULL, R_MUT, 0},
	{"Ljava/lang/StringBuffer;", NULL, R_MUT, 0},
	{"Ljava/lang/Integer;", NULL, R_PURE, 0},
	{"Ljava/lang/Long;", NULL, R_PURE, 0},
	{"Ljava/lang/Double;", NULL, R_PURE, 0},
	{"Ljava/lang/Object;", "toString", R_PURE, 0},
	{"Ljava/net/URLEncoder;", "encode", R_PURE, 0},
	{"Landroid/util/Base64;", NULL, R_PURE, 0},
	{"Ljava/util/Base64$Encoder;", NULL, R_PURE, 0},
	{"Landroid/text/TextUtils;", NULL, R_PURE, 0},
	/* propagators: containers and messages */
	{"Lorg/json/JSONObject;", NULL, R_MUT, 0},
	{"Lorg/json/JSONArray;", NULL, R_MUT, 0},
	{"Ljava/util/Map;", NULL, R_MUT, 0},
	{"Ljava/util/HashMap;", NULL, R_MUT, 0},
	{"Ljava/util/List;", NULL, R_MUT, 0},
	{"Ljava/util/ArrayList;", NULL, R_MUT, 0},
	{"Landroid/os/Bundle;", NULL, R_MUT, 0},
	{"Landroid/content/Intent;", "putExtra", R_MUT, 0},
	{"Landroid/content/Intent;", "putExtras", R_MUT, 0},
	{"Landroid/content/ContentValues;", "put", R_MUT, 0},
	{"Landroid/net/Uri$Builder;", NULL, R_MUT, 0},
	{"Landroid/net/Uri;", NULL, R_PURE, 0},
	/* propagators: objects a source returns, read through getters */
	{"Landroid/location/Location;", NULL, R_PURE, 0},
	{"Landroid/database/Cursor;", NULL, R_PURE, 0},
	{"Landroid/net/wifi/WifiInfo;", NULL, R_PURE, 0},
	{"Ljava/util/Iterator;", "next", R_PURE, 0},
};

static const char *const stream_out_names[] = {
	"write", "print", "println", "append", "writeBytes", "writeUTF", "writeChars", "printf",
	"format",
};

#define N_ROWS (sizeof callee_rows / sizeof callee_rows[0])

/* The first table row of a class, or -1: rows of one class are contiguous, and only framework
 * and well-known library classes have rows, so app classes are rejected by their prefix. */
static int32_t rows_of_type(struct ap_taint_ctx *c, uint32_t type_idx)
{
	static const char *const prefixes[] = {"Ljava/", "Ljavax/", "Landroid/", "Lorg/", "Lokhttp3/"};
	if (type_idx >= c->n_types)
		return -1;
	int32_t *memo = &c->type_row[type_idx];
	if (*memo != -2)
		return *memo;
	*memo = -1;
	const char *cls = ap_dex_type(c->dex, type_idx);
	bool known = false;
	for (size_t i = 0; cls && !known && i < sizeof prefixes / sizeof prefixes[0]; i++)
		known = strncmp(cls, prefixes[i], strlen(prefixes[i])) == 0;
	for (size_t i = 0; known && i < N_ROWS; i++)
		if (strcmp(callee_rows[i].cls, cls) == 0) {
			*memo = (int32_t)i;
			break;
		}
	return *memo;
}

static const struct callee_row *find_row(struct ap_taint_ctx *c, uint32_t type_idx,
					 const char *name)
{
	int32_t first = rows_of_type(c, type_idx);
	for (size_t i = first < 0 ? N_ROWS : (size_t)first; i < N_ROWS; i++) {
		const struct callee_row *r = &callee_rows[i];
		if (strcmp(r->cls, callee_rows[first].cls) != 0)
			break;
		if (!r->name || strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}

static bool is_stream_out(const char *name)
{
	for (size_t i = 0; i < sizeof stream_out_names / sizeof stream_out_names[0]; i++)
		if (strcmp(stream_out_names[i], name) == 0)
			return true;
	return false;
}

/* KB matches of a method_id with its exact proto (the lookup evidence.c uses). */
static size_t kb_matches(struct ap_taint_ctx *c, uint32_t midx, const struct ap_kb_api **hits,
			 size_t cap)
{
	const struct ap_dex_method_id *mid = ap_dex_method_id(c->dex, midx);
	const char *cls = mid ? ap_dex_type(c->dex, mid->class_idx) : NULL;
	const char *name = mid ? ap_dex_string(c->dex, mid->name_idx) : NULL;
	if (!cls || !name || !ap_kb_match_method(c->kb, cls, name, NULL, NULL, 0))
		return 0;
	ap_buf_reset(&c->tmp);
	ap_dex_format_proto(c->dex, mid->proto_idx, &c->tmp);
	return ap_kb_match_method(c->kb, cls, name, c->tmp.data ? c->tmp.data : "", hits, cap);
}

/* A KB API whose return value is not the personal data itself: a flag, a directory, a sensor
 * handle (the data comes later through a callback). Calling it is evidence, not a source. */
static bool returns_handle(struct ap_taint_ctx *c, const struct ap_dex_method_id *mid)
{
	static const char *const handles[] = {"V", "Z", "Ljava/io/File;", "Landroid/hardware/Sensor;"};
	const struct ap_dex_proto *p = ap_dex_proto(c->dex, mid->proto_idx);
	const char *ret = p ? ap_dex_type(c->dex, p->return_type_idx) : NULL;
	if (!ret)
		return true;
	for (size_t i = 0; i < sizeof handles / sizeof handles[0]; i++)
		if (strcmp(ret, handles[i]) == 0)
			return true;
	return false;
}

static void resolve_table(struct ap_taint_ctx *c, uint32_t midx, struct ap_taint_callee *ce)
{
	ce->table = R_NONE;
	const struct ap_dex_method_id *mid = ap_dex_method_id(c->dex, midx);
	const char *cls = mid ? ap_dex_type(c->dex, mid->class_idx) : NULL;
	bool java_io = cls && strncmp(cls, "Ljava/io/", 9) == 0;
	if (!cls || (rows_of_type(c, mid->class_idx) < 0 && !java_io))
		return; /* most callees: app classes */
	const char *name = ap_dex_string(c->dex, mid->name_idx);
	if (!name)
		return;
	const struct callee_row *row = find_row(c, mid->class_idx, name);
	if (row) {
		ce->table = row->role;
		ce->sink = row->sink;
	} else if (java_io) {
		if (strcmp(name, "<init>") == 0)
			ce->table = R_STREAM_WRAP;
		else if (is_stream_out(name))
			ce->table = R_STREAM_OUT;
	}
}

struct ap_taint_callee *ap_taint_callee_table(struct ap_taint_ctx *c, uint32_t midx)
{
	static const struct ap_taint_callee none = {R_NONE, R_NONE, 0, false, NULL};
	if (midx >= c->n_callees)
		return (struct ap_taint_callee *)&none; /* never written: both roles are resolved */
	struct ap_taint_callee *ce = &c->callees[midx];
	if (ce->table == R_UNRESOLVED)
		resolve_table(c, midx, ce);
	return ce;
}

const struct ap_taint_callee *ap_taint_callee_of(struct ap_taint_ctx *c, uint32_t midx)
{
	struct ap_taint_callee *ce = ap_taint_callee_table(c, midx);
	if (ce->role != R_UNRESOLVED)
		return ce;
	ce->role = ce->table;
	const struct ap_kb_api *hits[2];
	size_t nh = kb_matches(c, midx, hits, 2);
	const struct ap_dex_method_id *mid = ap_dex_method_id(c->dex, midx);
	if (nh && mid && !returns_handle(c, mid)) {
		ce->role = R_SOURCE;
		ce->api = hits[0];
		ce->rematch = nh > 1;
	}
	return ce;
}

/* ---- requirements of a KB source (apis.tsv `requires`), checked on the argument registers */

static bool int_listed(const char *list, int32_t v)
{
	const char *p = list;
	while (*p) {
		char *end;
		long x = strtol(p, &end, 10);
		if (end == p)
			return false;
		if (x == v)
			return true;
		p = *end == '|' ? end + 1 : end;
	}
	return false;
}

static bool arg_meets(struct ap_taint_ctx *c, const struct ap_kb_api *api,
		      const struct ap_taint_reg *a)
{
	const char *rq = api->requires;
	if (!rq || !*rq || strcmp(rq, "broad_intent") == 0)
		return true;
	if (strncmp(rq, "string:", 7) == 0) {
		const char *s = a->str != AP_DEX_NO_INDEX ? ap_dex_string(c->dex, a->str) : NULL;
		return s && strcmp(s, rq + 7) == 0;
	}
	if (strcmp(rq, "uri") == 0)
		return a->uricat && ap_kb_category_within(c->kb, a->uricat, api->category);
	if (strncmp(rq, "int:", 4) == 0)
		return (a->flags & FLAG_LIT) && int_listed(rq + 4, a->lit);
	return false; /* a requirement this pass does not know: no source */
}

/* The KB entry a source call satisfies, given its argument registers, or NULL. */
const struct ap_kb_api *ap_taint_source_api(struct ap_taint_ctx *c,
					    const struct ap_taint_callee *ce, uint32_t midx,
					    const uint32_t *args, uint32_t n)
{
	const struct ap_kb_api *hits[8];
	size_t nh = 1;
	if (ce->rematch)
		nh = kb_matches(c, midx, hits, 8);
	else
		hits[0] = ce->api;
	for (size_t h = 0; h < nh && h < 8; h++) {
		const char *rq = hits[h]->requires;
		if (!rq || !*rq || strcmp(rq, "broad_intent") == 0)
			return hits[h];
		for (uint32_t i = 0; i < n; i++)
			if (arg_meets(c, hits[h], reg_at(c, args[i])))
				return hits[h];
	}
	return NULL;
}

/* KB entries of a field (Build.SERIAL, a content URI constant); only framework classes
 * carry them. */
size_t ap_taint_field_hits(struct ap_taint_ctx *c, uint32_t fidx, const struct ap_kb_api **hits,
			    size_t cap)
{
	const struct ap_dex_field_id *f = ap_dex_field_id(c->dex, fidx);
	const char *cls = f ? ap_dex_type(c->dex, f->class_idx) : NULL;
	const char *name = f ? ap_dex_string(c->dex, f->name_idx) : NULL;
	if (!cls || !name || strncmp(cls, "Landroid/", 9) != 0)
		return 0;
	return ap_kb_match_field(c->kb, cls, name, NULL, hits, cap);
}

bool ap_taint_is_kb_field(struct ap_taint_ctx *c, uint32_t fidx)
{
	if (fidx >= c->n_fields)
		return false;
	if (!c->field_src[fidx]) {
		const struct ap_kb_api *hit;
		c->field_src[fidx] = ap_taint_field_hits(c, fidx, &hit, 1) ? 2 : 1;
	}
	return c->field_src[fidx] == 2;
}
