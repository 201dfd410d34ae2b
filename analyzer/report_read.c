/* Reading apkpriv's JSON reports back (report_read.h): json-c parses, the fields are copied
 * into an ap_report arena and unescaped. */
#include "report_read.h"

#include "ap_arena.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"
#include "ap_text.h"
#include "reports/report.h"
#include "scan.h"

#include <json-c/json.h>

#include <stdlib.h>
#include <string.h>


/* Undoes ap_rep_esc (\\ \n \r \t \xNN \uXXXX) in place so that rendering a reused report
 * gives the bytes a fresh scan gives. */
static void unescape(char *s)
{
	if (!s)
		return;
	char *d = s;
	size_t i = 0;
	while (s[i]) {
		if (s[i] != '\\' || !s[i + 1]) {
			*d++ = s[i++];
			continue;
		}
		char c = s[i + 1];
		if (c == '\\' || c == 'n' || c == 'r' || c == 't') {
			*d++ = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : '\\';
			i += 2;
		} else if (c == 'x' && ap_hex_digit(s[i + 2]) >= 0 && ap_hex_digit(s[i + 3]) >= 0 &&
			   (ap_hex_digit(s[i + 2]) | ap_hex_digit(s[i + 3]))) {
			*d++ = (char)(ap_hex_digit(s[i + 2]) << 4 | ap_hex_digit(s[i + 3]));
			i += 4;
		} else if (c == 'u' && ap_hex_digit(s[i + 2]) >= 0 && ap_hex_digit(s[i + 3]) >= 0 &&
			   ap_hex_digit(s[i + 4]) >= 0 && ap_hex_digit(s[i + 5]) >= 0) {
			unsigned cp = (unsigned)(ap_hex_digit(s[i + 2]) << 12 | ap_hex_digit(s[i + 3]) << 8 |
						 ap_hex_digit(s[i + 4]) << 4 | ap_hex_digit(s[i + 5]));
			if (cp == 0) {
				*d++ = s[i++];
				continue;
			}
			d += ap_utf8_put(d, cp);
			i += 6;
		} else {
			*d++ = s[i++];
		}
	}
	*d = '\0';
}

/* Only what the summary row needs is read: versions, path, sha256, app package and version, app
 * type, score, grade, partial, findings (severity), PI categories and SDK ids. The file is our own
 * output but is still treated as untrusted (it may have been edited). */

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

/* A string member, unescaped, copied into the arena; NULL when absent or not a string. */
static const char *str(struct ap_arena *a, json_object *o, const char *k, bool *oom)
{
	json_object *v = get(o, k);
	if (!v || !json_object_is_type(v, json_type_string))
		return NULL;
	char *s = ap_arena_strdup(a, json_object_get_string(v));
	if (!s) {
		*oom = true;
		return NULL;
	}
	unescape(s);
	return s;
}

static size_t arr_len(json_object *v)
{
	return v && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
}

static void read_findings(struct ap_report *r, json_object *fa, bool *oom)
{
	size_t n = arr_len(fa);
	if (!n)
		return;
	r->findings = ap_arena_calloc(r->arena, n, sizeof *r->findings);
	if (!r->findings) {
		*oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *fo = json_object_array_get_idx(fa, i);
		const char *sev = str(r->arena, fo, "severity", oom);
		int sv = sev ? ap_severity_parse(sev) : -1;
		if (sv < 0) /* not one of ours: skip the finding, not the report */
			continue;
		struct ap_finding *f = &r->findings[r->n_findings++];
		f->severity = (enum ap_severity)sv;
		f->rule = str(r->arena, fo, "rule", oom);
		f->category = str(r->arena, fo, "category", oom);
		f->owner = str(r->arena, fo, "owner", oom);
		/* the first evidence's method: with rule, category and owner, a finding's fingerprint */
		json_object *ev = get(fo, "evidence");
		if (arr_len(ev)) {
			f->evidence = ap_arena_calloc(r->arena, 1, sizeof *f->evidence);
			if (!f->evidence) {
				*oom = true;
				continue;
			}
			f->evidence->method = str(r->arena, json_object_array_get_idx(ev, 0), "method",
						  oom);
			f->evidence->pc = -1;
			f->evidence->offset = -1;
			f->evidence->reachable = -1;
			f->n_evidence = 1;
		}
	}
}

static void read_lists(struct ap_report *r, json_object *root, bool *oom)
{
	json_object *pa = get(root, "pi"), *sa = get(root, "sdks");
	size_t np = arr_len(pa), ns = arr_len(sa);
	if (np && (r->pi = ap_arena_calloc(r->arena, np, sizeof *r->pi)) == NULL)
		*oom = true;
	for (size_t i = 0; r->pi && i < np; i++) {
		const char *c = str(r->arena, json_object_array_get_idx(pa, i), "category", oom);
		if (c)
			r->pi[r->n_pi++].category = c;
	}
	if (ns && (r->sdks = ap_arena_calloc(r->arena, ns, sizeof *r->sdks)) == NULL)
		*oom = true;
	for (size_t i = 0; r->sdks && i < ns; i++) {
		const char *id = str(r->arena, json_object_array_get_idx(sa, i), "id", oom);
		if (id)
			r->sdks[r->n_sdks++].id = id;
	}
}

static int from_json(json_object *root, struct ap_report *r)
{
	bool oom = false;
	json_object *v = get(root, "schema");
	if (!v || !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), AP_REPORT_SCHEMA) != 0)
		return AP_ERR_FORMAT;
	json_object *tool = get(root, "tool"), *in = get(root, "input"), *app = get(root, "app");
	json_object *score = get(root, "score");
	r->tool_version = str(r->arena, tool, "version", &oom);
	r->rules_version = str(r->arena, tool, "rules_version", &oom);
	r->path = str(r->arena, in, "path", &oom);
	r->sha256 = str(r->arena, in, "sha256", &oom);
	r->input_kind = str(r->arena, in, "kind", &oom);
	r->package = str(r->arena, app, "package", &oom);
	r->version_name = str(r->arena, app, "version_name", &oom);
	v = get(app, "version_code");
	r->version_code = v && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
	r->app_type = str(r->arena, get(root, "app_type"), "id", &oom);
	r->grade = str(r->arena, score, "grade", &oom);
	v = get(score, "total");
	if (v && (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		r->score_total = json_object_get_double(v);
	v = get(root, "partial");
	r->partial = v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
	r->partial_reason = str(r->arena, root, "partial_reason", &oom);
	read_findings(r, get(root, "findings"), &oom);
	read_lists(r, root, &oom);
	r->deterministic = get(root, "elapsed_ms") == NULL;
	return oom ? AP_ERR_NOMEM : AP_OK;
}

/* One report object into a fresh arena. */
static int one_report(json_object *root, struct ap_report **out)
{
	*out = NULL;
	if (!json_object_is_type(root, json_type_object))
		return AP_ERR_FORMAT;
	struct ap_arena *a = ap_arena_new(AP_MAX_REPORT_ARENA);
	struct ap_report *r = a ? ap_arena_calloc(a, 1, sizeof *r) : NULL;
	if (!r) {
		ap_arena_free(a);
		return AP_ERR_NOMEM;
	}
	r->arena = a;
	int rc = from_json(root, r);
	if (rc != AP_OK) {
		ap_report_free(r);
		return rc;
	}
	*out = r;
	return AP_OK;
}

static int parse_file(const char *path, json_object **root)
{
	*root = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = ap_read_file(path, AP_MAX_REPORT_READ, &buf, &len);
	if (rc != AP_OK)
		return rc;
	if (len > (size_t)AP_MAX_REPORT_READ || len > 0x7fffffff) {
		free(buf);
		return AP_ERR_LIMIT;
	}
	json_tokener *tok = json_tokener_new_ex(AP_MAX_REPORT_JSON_DEPTH);
	json_object *j = tok ? json_tokener_parse_ex(tok, (const char *)buf, (int)len) : NULL;
	bool parsed = tok && j && json_tokener_get_error(tok) == json_tokener_success;
	if (tok)
		json_tokener_free(tok);
	free(buf);
	if (!tok) {
		json_object_put(j);
		return AP_ERR_NOMEM;
	}
	if (!parsed) {
		json_object_put(j);
		return AP_ERR_FORMAT;
	}
	*root = j;
	return AP_OK;
}

int ap_report_read(const char *path, struct ap_report **out)
{
	json_object *root;
	*out = NULL;
	int rc = parse_file(path, &root);
	if (rc != AP_OK)
		return rc;
	rc = one_report(root, out);
	json_object_put(root);
	return rc;
}

void ap_report_read_free(struct ap_report **reps, size_t n)
{
	for (size_t i = 0; reps && i < n; i++)
		ap_report_free(reps[i]);
	free(reps);
}

int ap_report_read_all(const char *path, struct ap_report ***reps, size_t *n)
{
	json_object *root;
	*reps = NULL;
	*n = 0;
	int rc = parse_file(path, &root);
	if (rc != AP_OK)
		return rc;
	bool is_array = json_object_is_type(root, json_type_array);
	size_t want = is_array ? json_object_array_length(root) : 1;
	struct ap_report **v = calloc(want ? want : 1, sizeof *v);
	size_t k = 0;
	rc = v ? AP_OK : AP_ERR_NOMEM;
	for (size_t i = 0; rc == AP_OK && i < want; i++) {
		json_object *o = is_array ? json_object_array_get_idx(root, i) : root;
		int orc = one_report(o, &v[k]);
		if (orc == AP_OK)
			k++;
		else if (orc == AP_ERR_NOMEM)
			rc = orc; /* an element that is not one of our reports is skipped */
	}
	json_object_put(root);
	if (rc == AP_OK && k == 0)
		rc = AP_ERR_FORMAT;
	if (rc != AP_OK) {
		ap_report_read_free(v, k);
		return rc;
	}
	*reps = v;
	*n = k;
	return AP_OK;
}
