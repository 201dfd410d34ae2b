/* Knowledge base loading. The built-in data is a static kb that kb_gen wrote at build time
 * (no parsing at start-up); with --rules DIR the text loader runs: each data file comes from DIR
 * when present there, else from the text copy embedded in the binary. Also the TSV splitter and
 * the referential-integrity pass that turns every category id into its canonical one. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer/rules/kb_int.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_file.h"
#include "ap_limits.h"

void kb_anom(struct ap_kb *kb, const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ap_anom_add(kb->an, "kb", where, AP_OFFSET_NONE, AP_ERR_FORMAT, "%s", msg);
}

int kb_cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : (b ? -1 : 0);
	return strcmp(a, b);
}

char *kb_strdup(struct ap_kb *kb, const char *s)
{
	return s ? ap_arena_strdup(kb->arena, s) : NULL;
}

const char *kb_strdup_opt(struct ap_kb *kb, const char *s)
{
	return s && *s ? ap_arena_strdup(kb->arena, s) : NULL;
}

struct ap_kb_strs kb_split(struct ap_kb *kb, const char *s, char sep)
{
	struct ap_kb_strs out = {NULL, 0};
	size_t n = 1, k = 0;
	const char *p;
	const char **v;
	if (!s || !*s)
		return out;
	for (p = s; *p; p++)
		n += *p == sep;
	v = ap_arena_calloc(kb->arena, n, sizeof *v);
	if (!v)
		return out;
	for (p = s; *p;) {
		const char *e = strchr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && (*p == ' '))
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len)
			v[k++] = ap_arena_strndup(kb->arena, p, len);
		if (!e)
			break;
		p = e + 1;
	}
	out.v = v;
	out.n = k;
	return out;
}

/* ---- TSV ------------------------------------------------------------------------------- */

/* Splits one line (NUL-terminated, modified in place) on tabs into an arena array. */
static char **split_line(struct ap_kb *kb, char *line, size_t *n_out)
{
	size_t n = 1, k = 0;
	char *p, **v;
	for (p = line; *p; p++)
		n += *p == '\t';
	v = ap_arena_calloc(kb->arena, n, sizeof *v);
	if (!v)
		return NULL;
	v[k++] = line;
	for (p = line; *p; p++) {
		if (*p == '\t') {
			*p = '\0';
			v[k++] = p + 1;
		}
	}
	*n_out = k;
	return v;
}

bool kb_tsv_parse(struct ap_kb *kb, const struct kb_file *f, struct kb_tsv *t)
{
	size_t n_lines = 1, i, lineno = 0;
	char *p = f->text, *end = f->text + f->len;
	memset(t, 0, sizeof *t);
	for (i = 0; i < f->len; i++)
		n_lines += f->text[i] == '\n';
	if (n_lines > AP_MAX_KB_ROWS) {
		ap_anom_add(kb->an, "kb", f->name, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "%zu lines, more than the %u allowed", n_lines, AP_MAX_KB_ROWS);
		return false;
	}
	t->rows = ap_arena_calloc(kb->arena, n_lines, sizeof *t->rows);
	t->line = ap_arena_calloc(kb->arena, n_lines, sizeof *t->line);
	if (!t->rows || !t->line)
		return false;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *line = p;
		size_t rawlen = (size_t)((nl ? nl : end) - line), n_cells = 0;
		char **cells;
		p = nl ? nl + 1 : end;
		lineno++;
		if (memchr(line, '\0', rawlen)) {
			kb_anom(kb, f->name, "line %zu holds a NUL byte; line skipped", lineno);
			continue;
		}
		line[rawlen] = '\0'; /* the newline, or the arena copy's own NUL */
		if (rawlen && line[rawlen - 1] == '\r')
			line[rawlen - 1] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		cells = split_line(kb, line, &n_cells);
		if (!cells)
			return false;
		if (!t->hdr) {
			t->hdr = cells;
			t->n_hdr = n_cells;
			continue;
		}
		if (n_cells > t->n_hdr) {
			kb_anom(kb, f->name, "line %zu has %zu cells, the header %zu; row skipped",
				lineno, n_cells, t->n_hdr);
			continue;
		}
		if (n_cells < t->n_hdr) {
			char **full = ap_arena_calloc(kb->arena, t->n_hdr, sizeof *full);
			if (!full)
				return false;
			memcpy(full, cells, n_cells * sizeof *cells);
			for (i = n_cells; i < t->n_hdr; i++)
				full[i] = (char *)"";
			cells = full;
		}
		t->line[t->n_rows] = lineno;
		t->rows[t->n_rows++] = cells;
	}
	if (!t->hdr) {
		kb_anom(kb, f->name, "no header row");
		return false;
	}
	return true;
}

int kb_tsv_col(const struct kb_tsv *t, const char *name)
{
	for (size_t i = 0; i < t->n_hdr; i++)
		if (!strcmp(t->hdr[i], name))
			return (int)i;
	return -1;
}

const char *kb_tsv_cell(const struct kb_tsv *t, size_t r, int c)
{
	if (c < 0 || (size_t)c >= t->n_hdr || r >= t->n_rows)
		return "";
	return t->rows[r][c];
}

int kb_cell_int(const char *s)
{
	long v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return INT_MAX;
	}
	return (int)v;
}

bool kb_tsv_require(struct ap_kb *kb, const struct kb_file *f, const struct kb_tsv *t,
		    const char *const *cols, int *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		idx[i] = kb_tsv_col(t, cols[i]);
		if (idx[i] < 0) {
			kb_anom(kb, f->name, "header lacks the column '%s'", cols[i]);
			return false;
		}
	}
	return true;
}

/* ---- sources --------------------------------------------------------------------------- */

static bool builtin_file(struct ap_kb *kb, const char *name, struct kb_file *f)
{
	for (size_t i = 0; i < ap_kb_builtin_count; i++) {
		if (!strcmp(ap_kb_builtin[i].name, name)) {
			f->name = name;
			f->len = ap_kb_builtin[i].len;
			f->text = ap_arena_strndup(kb->arena, (const char *)ap_kb_builtin[i].data,
						   f->len);
			f->from_dir = false;
			return f->text != NULL;
		}
	}
	return false;
}

/* 1 = loaded from dir, 0 = absent there, -1 = present but unreadable (anomaly). */
static int dir_file(struct ap_kb *kb, const char *dir, const char *name, struct kb_file *f)
{
	char path[4096];
	uint8_t *buf = NULL;
	size_t len = 0;
	struct stat st;
	int rc;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return 0;
	if (stat(path, &st) != 0)
		return 0;
	rc = ap_read_file(path, AP_MAX_KB_FILE, &buf, &len);
	if (rc != AP_OK) {
		ap_anom_add(kb->an, "kb", path, AP_OFFSET_NONE, rc, "cannot read: %s; using the built-in %s",
			    ap_strerror(rc), name);
		return -1;
	}
	f->name = name;
	f->len = len;
	f->text = ap_arena_strndup(kb->arena, (const char *)buf, len);
	f->from_dir = true;
	free(buf);
	return f->text ? 1 : -1;
}

typedef bool (*kb_loader)(struct ap_kb *kb, const struct kb_file *f);

static const struct {
	const char *name;
	kb_loader load;
} files[] = {
	/* categories first: everything else refers to them */
	{"categories.json", kb_load_categories},
	{"permissions.tsv", kb_load_permissions},
	{"apis.tsv", kb_load_apis},
	{"strings.tsv", kb_load_strings},
	{"network.tsv", kb_load_network},
	{"native.tsv", kb_load_native},
	{"sdks.tsv", kb_load_sdks},
	{"app_types.json", kb_load_app_types},
	{"rules.json", kb_load_rules},
	{"scoring.json", kb_load_scoring},
};

static void load_version(struct ap_kb *kb, const char *dir)
{
	struct kb_file f = {0};
	int got = dir ? dir_file(kb, dir, "VERSION", &f) : 0;
	if (got != 1 && !builtin_file(kb, "VERSION", &f)) {
		kb->version = "unknown";
		return;
	}
	/* first line, trimmed; printable ASCII only (it goes into every report) */
	size_t n = 0;
	while (n < f.len && f.text[n] != '\n' && f.text[n] != '\r')
		n++;
	while (n && f.text[n - 1] == ' ')
		n--;
	f.text[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)f.text[i] < 0x21 || (unsigned char)f.text[i] > 0x7e) {
			kb_anom(kb, "VERSION", "version holds a byte outside printable ASCII");
			kb->version = "invalid";
			return;
		}
	}
	kb->version = n ? f.text : "unknown";
}

int ap_kb_load(const char *dir, struct ap_anomalies *an, struct ap_kb **out)
{
	if (!dir && ap_kb_compiled) {
		/* read-only tables in the binary: nothing to parse, nothing to free */
		*out = (struct ap_kb *)ap_kb_compiled;
		return AP_OK;
	}
	return kb_load_text(dir, an, out);
}

int kb_load_text(const char *dir, struct ap_anomalies *an, struct ap_kb **out)
{
	struct ap_kb *kb;
	struct stat st;
	*out = NULL;
	if (dir) {
		errno = 0;
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			ap_anom_add(an, "kb", dir, AP_OFFSET_NONE, AP_ERR_IO,
				    "rules directory cannot be opened: %s",
				    errno ? strerror(errno) : "not a directory");
			return AP_ERR_IO;
		}
	} else if (ap_kb_builtin_count == 0) {
		return AP_ERR_NOT_FOUND;
	}
	kb = calloc(1, sizeof *kb);
	if (!kb)
		return AP_ERR_NOMEM;
	kb->arena = ap_arena_new(AP_MAX_KB_ARENA);
	if (!kb->arena) {
		free(kb);
		return AP_ERR_NOMEM;
	}
	kb->an = an;
	kb->origin = dir ? ap_arena_strdup(kb->arena, dir) : "builtin";
	load_version(kb, dir);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct kb_file f = {0};
		int got = dir ? dir_file(kb, dir, files[i].name, &f) : 0;
		if (got == 1) {
			if (files[i].load(kb, &f))
				continue;
			kb_anom(kb, files[i].name, "unusable file in %s; using the built-in one", dir);
		}
		if (!builtin_file(kb, files[i].name, &f)) {
			kb_anom(kb, files[i].name, "no built-in copy of this data file");
			continue;
		}
		if (!files[i].load(kb, &f))
			kb_anom(kb, files[i].name, "the built-in data file is unusable");
	}
	if (kb->arena->limit_hit) {
		ap_anom_add(an, "kb", kb->origin, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "knowledge base exceeds %u bytes", AP_MAX_KB_ARENA);
		ap_kb_free(kb);
		return AP_ERR_LIMIT;
	}
	kb_check_refs(kb);
	ap_log(AP_LOG_DEBUG, "kb", "loaded %s (version %s): %zu categories, %zu APIs, %zu SDKs",
	       kb->origin, kb->version, kb->n_cats, kb->n_apis, kb->n_sdks);
	*out = kb;
	return AP_OK;
}

void ap_kb_free(struct ap_kb *kb)
{
	if (!kb || kb == ap_kb_compiled)
		return;
	ap_arena_free(kb->arena);
	free(kb);
}

const char *ap_kb_version(const struct ap_kb *kb)
{
	return kb && kb->version ? kb->version : "unknown";
}

const char *ap_kb_origin(const struct ap_kb *kb)
{
	return kb ? kb->origin : NULL;
}

/* ---- referential integrity ------------------------------------------------------------- */

/* Canonicalises one id in place; anomaly when unknown. */
static void fix_id(struct ap_kb *kb, const char **id, const char *file, const char *owner)
{
	const char *c;
	if (!*id)
		return;
	c = kb_canon(kb, *id);
	if (c)
		*id = c;
	else
		kb_anom(kb, file, "%s refers to the unknown PI category '%s'", owner, *id);
}

static void fix_list(struct ap_kb *kb, struct ap_kb_strs *l, const char *file, const char *owner)
{
	for (size_t i = 0; i < l->n; i++)
		fix_id(kb, (const char **)&l->v[i], file, owner);
}

static void check_refs_list(struct ap_kb *kb, const struct ap_kb_strs *l, const char *file,
			    const char *owner)
{
	for (size_t i = 0; i < l->n; i++)
		if (!ap_kb_ref_text(kb, l->v[i]))
			kb_anom(kb, file, "%s cites the unknown reference '%s'", owner, l->v[i]);
}

void kb_check_refs(struct ap_kb *kb)
{
	size_t i;
	for (i = 0; i < kb->n_cats; i++) {
		struct ap_kb_category *c = &kb->cats[i];
		fix_id(kb, &c->parent, "categories.json", c->id);
		fix_list(kb, &c->children, "categories.json", c->id);
		fix_list(kb, &c->apis_from, "categories.json", c->id);
		check_refs_list(kb, &c->refs, "categories.json", c->id);
	}
	for (i = 0; i < kb->n_perms; i++)
		fix_list(kb, &kb->perms[i].pi, "permissions.tsv", kb->perms[i].name);
	for (i = 0; i < kb->n_apis; i++)
		fix_id(kb, &kb->apis[i].category, "apis.tsv", kb->apis[i].name);
	for (i = 0; i < kb->n_strs; i++)
		fix_id(kb, &kb->strs[i].category, "strings.tsv", kb->strs[i].value);
	for (i = 0; i < kb->n_natives; i++)
		fix_id(kb, &kb->natives[i].category, "native.tsv", kb->natives[i].symbol);
	for (i = 0; i < kb->n_sdks; i++)
		fix_list(kb, &kb->sdks[i].known_pi, "sdks.tsv", kb->sdks[i].id);
	for (i = 0; i < kb->n_types; i++) {
		struct ap_kb_app_type *t = &kb->types[i];
		fix_list(kb, &t->necessary_pi, "app_types.json", t->id);
		fix_list(kb, &t->device_pi_allowed, "app_types.json", t->id);
		fix_list(kb, &t->local_only, "app_types.json", t->id);
		for (size_t j = 0; j < t->hint_sdks.n; j++)
			if (!ap_kb_sdk(kb, t->hint_sdks.v[j]))
				kb_anom(kb, "app_types.json", "%s hints at the unknown SDK '%s'", t->id,
					t->hint_sdks.v[j]);
	}
	for (i = 0; i < kb->n_rules; i++)
		check_refs_list(kb, &kb->rules[i].refs, "rules.json", kb->rules[i].id);
}
