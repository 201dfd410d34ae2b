/* The tabular signatures: permissions.tsv, apis.tsv, strings.tsv, network.tsv, native.tsv, and
 * their lookups (binary search over tables sorted at load time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/rules/kb_int.h"

static bool is_type_desc(const char *s)
{
	/* a DEX type descriptor: L...; or an array/primitive; no spaces or dots */
	size_t n = strlen(s);
	if (!n || strchr(s, ' ') || strchr(s, '.'))
		return false;
	return (s[0] == 'L' && s[n - 1] == ';') || s[0] == '[' || (n == 1 && strchr("ZBSCIJFDV", s[0]));
}

static bool is_proto(const char *s)
{
	const char *close;
	if (!strcmp(s, "*"))
		return true;
	close = strchr(s, ')');
	return s[0] == '(' && close && is_type_desc(close + 1);
}

/* ---- permissions.tsv ------------------------------------------------------------------- */

static int cmp_perm(const void *a, const void *b)
{
	return strcmp(((const struct ap_kb_permission *)a)->name,
		      ((const struct ap_kb_permission *)b)->name);
}

bool kb_load_permissions(struct ap_kb *kb, const struct kb_file *f)
{
	static const char *const cols[] = {"name", "protection", "dangerous", "categories"};
	int c[4];
	struct kb_tsv t;
	struct ap_kb_permission *v;
	size_t n = 0;
	if (!kb_tsv_parse(kb, f, &t) || !kb_tsv_require(kb, f, &t, cols, c, 4))
		return false;
	int c_since = kb_tsv_col(&t, "since_api"), c_purpose = kb_tsv_col(&t, "purpose");
	v = ap_arena_calloc(kb->arena, t.n_rows ? t.n_rows : 1, sizeof *v);
	if (!v)
		return false;
	for (size_t r = 0; r < t.n_rows; r++) {
		const char *name = kb_tsv_cell(&t, r, c[0]), *dang = kb_tsv_cell(&t, r, c[2]);
		if (!*name || (strcmp(dang, "yes") && strcmp(dang, "no"))) {
			kb_anom(kb, f->name, "line %zu: empty name or 'dangerous' not yes/no; row skipped",
				t.line[r]);
			continue;
		}
		v[n].name = kb_strdup(kb, name);
		v[n].protection = kb_strdup(kb, kb_tsv_cell(&t, r, c[1]));
		v[n].dangerous = !strcmp(dang, "yes");
		v[n].pi = kb_split(kb, kb_tsv_cell(&t, r, c[3]), ',');
		v[n].since_api = kb_cell_int(kb_tsv_cell(&t, r, c_since));
		v[n].purpose = kb_strdup_opt(kb, kb_tsv_cell(&t, r, c_purpose));
		n++;
	}
	qsort(v, n, sizeof *v, cmp_perm);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i].name, v[i - 1].name))
			kb_anom(kb, f->name, "permission %s listed twice; only one row is used", v[i].name);
	kb->perms = v;
	kb->n_perms = n;
	return true;
}

size_t ap_kb_permission_count(const struct ap_kb *kb)
{
	return kb->n_perms;
}

const struct ap_kb_permission *ap_kb_permission_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_perms ? &kb->perms[i] : NULL;
}

const struct ap_kb_permission *ap_kb_permission(const struct ap_kb *kb, const char *name)
{
	struct ap_kb_permission key = {0};
	const struct ap_kb_permission *p;
	char full[256];
	if (!name)
		return NULL;
	key.name = name;
	p = bsearch(&key, kb->perms, kb->n_perms, sizeof key, cmp_perm);
	if (p || strchr(name, '.'))
		return p;
	if ((size_t)snprintf(full, sizeof full, "android.permission.%s", name) >= sizeof full)
		return NULL;
	return ap_kb_permission(kb, full);
}

/* ---- apis.tsv -------------------------------------------------------------------------- */

static int cmp_cls_name(const char *c1, const char *n1, const char *c2, const char *n2)
{
	int r = strcmp(c1, c2);
	return r ? r : strcmp(n1, n2);
}

static int cmp_api(const void *a, const void *b)
{
	const struct ap_kb_api *x = a, *y = b;
	int r = cmp_cls_name(x->class_desc, x->name, y->class_desc, y->name);
	return r ? r : kb_cmp_str(x->proto, y->proto);
}

bool kb_load_apis(struct ap_kb *kb, const struct kb_file *f)
{
	static const char *const cols[] = {"kind", "class", "name", "proto", "category"};
	int c[5];
	struct kb_tsv t;
	struct ap_kb_api *v;
	size_t n = 0;
	if (!kb_tsv_parse(kb, f, &t) || !kb_tsv_require(kb, f, &t, cols, c, 5))
		return false;
	int c_perm = kb_tsv_col(&t, "permissions"), c_min = kb_tsv_col(&t, "min_api"),
	    c_conf = kb_tsv_col(&t, "confidence"), c_req = kb_tsv_col(&t, "requires"),
	    c_note = kb_tsv_col(&t, "note");
	v = ap_arena_calloc(kb->arena, t.n_rows ? t.n_rows : 1, sizeof *v);
	if (!v)
		return false;
	for (size_t r = 0; r < t.n_rows; r++) {
		const char *kind = kb_tsv_cell(&t, r, c[0]), *cls = kb_tsv_cell(&t, r, c[1]);
		const char *name = kb_tsv_cell(&t, r, c[2]), *proto = kb_tsv_cell(&t, r, c[3]);
		const char *cat = kb_tsv_cell(&t, r, c[4]);
		enum ap_kb_api_kind k;
		if (!strcmp(kind, "method"))
			k = AP_KB_API_METHOD;
		else if (!strcmp(kind, "field"))
			k = AP_KB_API_FIELD;
		else if (!strcmp(kind, "uri_field"))
			k = AP_KB_API_URI_FIELD;
		else {
			kb_anom(kb, f->name, "line %zu: unknown kind '%s'; row skipped", t.line[r], kind);
			continue;
		}
		if (!is_type_desc(cls) || cls[0] != 'L' || !*name || !*cat ||
		    (k == AP_KB_API_METHOD ? !is_proto(proto) : !is_type_desc(proto))) {
			kb_anom(kb, f->name, "line %zu: malformed signature; row skipped", t.line[r]);
			continue;
		}
		v[n].kind = k;
		v[n].class_desc = kb_strdup(kb, cls);
		v[n].name = kb_strdup(kb, name);
		v[n].proto = strcmp(proto, "*") ? kb_strdup(kb, proto) : NULL;
		v[n].category = kb_strdup(kb, cat);
		v[n].permissions = kb_split(kb, kb_tsv_cell(&t, r, c_perm), ',');
		v[n].min_api = kb_cell_int(kb_tsv_cell(&t, r, c_min));
		v[n].medium = !strcmp(kb_tsv_cell(&t, r, c_conf), "medium");
		v[n].requires = kb_strdup_opt(kb, kb_tsv_cell(&t, r, c_req));
		v[n].note = kb_strdup_opt(kb, kb_tsv_cell(&t, r, c_note));
		n++;
	}
	qsort(v, n, sizeof *v, cmp_api);
	kb->apis = v;
	kb->n_apis = n;
	return true;
}

size_t ap_kb_api_count(const struct ap_kb *kb)
{
	return kb->n_apis;
}

const struct ap_kb_api *ap_kb_api_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_apis ? &kb->apis[i] : NULL;
}

/* First index whose (class, name) is >= the key. */
static size_t api_lower(const struct ap_kb *kb, const char *cls, const char *name)
{
	size_t lo = 0, hi = kb->n_apis;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_cls_name(kb->apis[mid].class_desc, kb->apis[mid].name, cls, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t match_api(const struct ap_kb *kb, const char *cls, const char *name,
			const char *proto, bool want_field, const struct ap_kb_api **out,
			size_t cap)
{
	size_t n = 0;
	if (!kb || !cls || !name)
		return 0;
	for (size_t i = api_lower(kb, cls, name); i < kb->n_apis; i++) {
		const struct ap_kb_api *a = &kb->apis[i];
		if (strcmp(a->class_desc, cls) || strcmp(a->name, name))
			break;
		if ((a->kind != AP_KB_API_METHOD) != want_field)
			continue;
		if (proto && a->proto && strcmp(proto, a->proto))
			continue;
		if (out && n < cap)
			out[n] = a;
		n++;
	}
	return n;
}

size_t ap_kb_match_method(const struct ap_kb *kb, const char *class_desc, const char *name,
			  const char *proto, const struct ap_kb_api **out, size_t cap)
{
	return match_api(kb, class_desc, name, proto, false, out, cap);
}

size_t ap_kb_match_field(const struct ap_kb *kb, const char *class_desc, const char *name,
			 const char *type, const struct ap_kb_api **out, size_t cap)
{
	return match_api(kb, class_desc, name, type, true, out, cap);
}

/* ---- strings.tsv ----------------------------------------------------------------------- */

static int cmp_str_entry(const void *a, const void *b)
{
	const struct ap_kb_string *x = a, *y = b;
	if (x->match != y->match)
		return x->match == AP_KB_MATCH_EXACT ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* The node for value (created when missing), or -1 when the arena is full. */
static int32_t strie_node(struct ap_kb *kb, const char *value)
{
	int32_t node = 0;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		int32_t ch = kb->strie[node].child;
		while (ch >= 0 && kb->strie[ch].c != *p)
			ch = kb->strie[ch].sibling;
		if (ch < 0) {
			struct kb_strie_node *e = &kb->strie[kb->n_strie];
			ch = (int32_t)kb->n_strie++;
			e->c = *p;
			e->child = -1;
			e->exact = e->prefix = -1;
			e->sibling = kb->strie[node].child;
			kb->strie[node].child = ch;
		}
		node = ch;
	}
	return node;
}

/* Puts the sorted strs into the trie: each run of equal values marks its end node. */
static bool build_strie(struct ap_kb *kb)
{
	size_t chars = 1;
	for (size_t i = 0; i < kb->n_strs; i++)
		chars += strlen(kb->strs[i].value);
	kb->strie = ap_arena_calloc(kb->arena, chars, sizeof *kb->strie);
	if (!kb->strie)
		return false;
	kb->n_strie = 1;
	kb->strie[0].child = kb->strie[0].sibling = kb->strie[0].exact = kb->strie[0].prefix = -1;
	for (size_t i = 0; i < kb->n_strs; i++) {
		struct kb_strie_node *e = &kb->strie[strie_node(kb, kb->strs[i].value)];
		bool exact = kb->strs[i].match == AP_KB_MATCH_EXACT;
		int32_t *first = exact ? &e->exact : &e->prefix, *n = exact ? &e->n_exact : &e->n_prefix;
		if (*first < 0)
			*first = (int32_t)i;
		(*n)++;
	}
	return true;
}

static const struct {
	const char *name;
	enum ap_kb_str_kind kind;
} str_kinds[] = {
	{"const", AP_KB_STR_CONST},          {"content_uri", AP_KB_STR_CONTENT_URI},
	{"reflect_class", AP_KB_STR_REFLECT_CLASS}, {"reflect_method", AP_KB_STR_REFLECT_METHOD},
	{"sysprop", AP_KB_STR_SYSPROP},      {"path", AP_KB_STR_PATH},
};

bool kb_load_strings(struct ap_kb *kb, const struct kb_file *f)
{
	static const char *const cols[] = {"kind", "value", "match", "category", "where"};
	int c[5];
	struct kb_tsv t;
	struct ap_kb_string *v;
	size_t n = 0, n_exact = 0;
	if (!kb_tsv_parse(kb, f, &t) || !kb_tsv_require(kb, f, &t, cols, c, 5))
		return false;
	int c_conf = kb_tsv_col(&t, "confidence"), c_note = kb_tsv_col(&t, "note");
	v = ap_arena_calloc(kb->arena, t.n_rows ? t.n_rows : 1, sizeof *v);
	if (!v)
		return false;
	for (size_t r = 0; r < t.n_rows; r++) {
		const char *kind = kb_tsv_cell(&t, r, c[0]), *val = kb_tsv_cell(&t, r, c[1]);
		const char *match = kb_tsv_cell(&t, r, c[2]), *where = kb_tsv_cell(&t, r, c[4]);
		size_t k;
		for (k = 0; k < sizeof str_kinds / sizeof str_kinds[0]; k++)
			if (!strcmp(kind, str_kinds[k].name))
				break;
		if (k == sizeof str_kinds / sizeof str_kinds[0] || !*val ||
		    (strcmp(match, "exact") && strcmp(match, "prefix")) ||
		    (strcmp(where, "dex") && strcmp(where, "native") && strcmp(where, "any")) ||
		    !*kb_tsv_cell(&t, r, c[3])) {
			kb_anom(kb, f->name, "line %zu: bad kind, match, where or empty value; row skipped",
				t.line[r]);
			continue;
		}
		v[n].kind = str_kinds[k].kind;
		v[n].value = kb_strdup(kb, val);
		v[n].match = strcmp(match, "exact") ? AP_KB_MATCH_PREFIX : AP_KB_MATCH_EXACT;
		v[n].category = kb_strdup(kb, kb_tsv_cell(&t, r, c[3]));
		v[n].where = !strcmp(where, "dex")      ? AP_KB_WHERE_DEX
			     : !strcmp(where, "native") ? AP_KB_WHERE_NATIVE
							: AP_KB_WHERE_DEX | AP_KB_WHERE_NATIVE;
		v[n].medium = !strcmp(kb_tsv_cell(&t, r, c_conf), "medium");
		v[n].note = kb_strdup_opt(kb, kb_tsv_cell(&t, r, c_note));
		n_exact += v[n].match == AP_KB_MATCH_EXACT;
		n++;
	}
	qsort(v, n, sizeof *v, cmp_str_entry);
	kb->strs = v;
	kb->n_strs = n;
	kb->n_strs_exact = n_exact;
	return build_strie(kb);
}

size_t ap_kb_string_count(const struct ap_kb *kb)
{
	return kb->n_strs;
}

const struct ap_kb_string *ap_kb_string_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_strs ? &kb->strs[i] : NULL;
}

static size_t add_hits(const struct ap_kb *kb, int32_t first, int32_t count, unsigned where,
		       const struct ap_kb_string **out, size_t cap, size_t n)
{
	for (int32_t i = first; i >= 0 && i < first + count; i++) {
		if (!(kb->strs[i].where & where))
			continue;
		if (out && n < cap)
			out[n] = &kb->strs[i];
		n++;
	}
	return n;
}

static int32_t strie_child(const struct ap_kb *kb, int32_t node, unsigned char c)
{
	int32_t ch = kb->strie[node].child;
	while (ch >= 0 && kb->strie[ch].c != c)
		ch = kb->strie[ch].sibling;
	return ch;
}

/* Two walks down the trie (most strings leave it at their first byte): the first finds the
 * exact entries, reported first as the sorted table has them; the second collects the prefix
 * entries from the shortest value to the longest. */
size_t ap_kb_match_string(const struct ap_kb *kb, const char *s, unsigned where,
			  const struct ap_kb_string **out, size_t cap)
{
	const unsigned char *p;
	size_t n = 0;
	int32_t node = 0;
	if (!kb || !s || !kb->n_strie)
		return 0;
	for (p = (const unsigned char *)s; *p && node >= 0; p++)
		node = strie_child(kb, node, *p);
	if (node > 0)
		n = add_hits(kb, kb->strie[node].exact, kb->strie[node].n_exact, where, out, cap, n);
	node = 0;
	for (p = (const unsigned char *)s; *p; p++) {
		node = strie_child(kb, node, *p);
		if (node < 0)
			break;
		n = add_hits(kb, kb->strie[node].prefix, kb->strie[node].n_prefix, where, out, cap, n);
	}
	return n;
}

/* ---- network.tsv ----------------------------------------------------------------------- */

static int cmp_net(const void *a, const void *b)
{
	const struct ap_kb_netapi *x = a, *y = b;
	int r = cmp_cls_name(x->class_desc, x->name, y->class_desc, y->name);
	return r ? r : kb_cmp_str(x->proto, y->proto);
}

bool kb_load_network(struct ap_kb *kb, const struct kb_file *f)
{
	static const char *const cols[] = {"class", "name", "proto", "library", "kind"};
	int c[5];
	struct kb_tsv t;
	struct ap_kb_netapi *v;
	size_t n = 0;
	if (!kb_tsv_parse(kb, f, &t) || !kb_tsv_require(kb, f, &t, cols, c, 5))
		return false;
	int c_note = kb_tsv_col(&t, "note");
	v = ap_arena_calloc(kb->arena, t.n_rows ? t.n_rows : 1, sizeof *v);
	if (!v)
		return false;
	for (size_t r = 0; r < t.n_rows; r++) {
		const char *cls = kb_tsv_cell(&t, r, c[0]), *proto = kb_tsv_cell(&t, r, c[2]);
		if (!is_type_desc(cls) || !*kb_tsv_cell(&t, r, c[1]) || !is_proto(proto) ||
		    !*kb_tsv_cell(&t, r, c[4])) {
			kb_anom(kb, f->name, "line %zu: malformed signature; row skipped", t.line[r]);
			continue;
		}
		v[n].class_desc = kb_strdup(kb, cls);
		v[n].name = kb_strdup(kb, kb_tsv_cell(&t, r, c[1]));
		v[n].proto = strcmp(proto, "*") ? kb_strdup(kb, proto) : NULL;
		v[n].library = kb_strdup(kb, kb_tsv_cell(&t, r, c[3]));
		v[n].kind = kb_strdup(kb, kb_tsv_cell(&t, r, c[4]));
		v[n].note = kb_strdup_opt(kb, kb_tsv_cell(&t, r, c_note));
		n++;
	}
	qsort(v, n, sizeof *v, cmp_net);
	kb->net = v;
	kb->n_net = n;
	return true;
}

size_t ap_kb_netapi_count(const struct ap_kb *kb)
{
	return kb->n_net;
}

const struct ap_kb_netapi *ap_kb_netapi_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_net ? &kb->net[i] : NULL;
}

const struct ap_kb_netapi *ap_kb_match_netapi(const struct ap_kb *kb, const char *cls,
					       const char *name, const char *proto)
{
	size_t lo = 0, hi = kb->n_net;
	if (!cls || !name)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_cls_name(kb->net[mid].class_desc, kb->net[mid].name, cls, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < kb->n_net; i++) {
		const struct ap_kb_netapi *e = &kb->net[i];
		if (strcmp(e->class_desc, cls) || strcmp(e->name, name))
			break;
		if (!proto || !e->proto || !strcmp(proto, e->proto))
			return e;
	}
	return NULL;
}

/* ---- native.tsv ------------------------------------------------------------------------ */

static int cmp_native(const void *a, const void *b)
{
	return strcmp(((const struct ap_kb_native_sym *)a)->symbol,
		      ((const struct ap_kb_native_sym *)b)->symbol);
}

bool kb_load_native(struct ap_kb *kb, const struct kb_file *f)
{
	static const char *const cols[] = {"symbol", "kind"};
	int c[2];
	struct kb_tsv t;
	struct ap_kb_native_sym *v;
	size_t n = 0;
	if (!kb_tsv_parse(kb, f, &t) || !kb_tsv_require(kb, f, &t, cols, c, 2))
		return false;
	int c_cat = kb_tsv_col(&t, "category"), c_note = kb_tsv_col(&t, "note");
	v = ap_arena_calloc(kb->arena, t.n_rows ? t.n_rows : 1, sizeof *v);
	if (!v)
		return false;
	for (size_t r = 0; r < t.n_rows; r++) {
		if (!*kb_tsv_cell(&t, r, c[0]) || !*kb_tsv_cell(&t, r, c[1])) {
			kb_anom(kb, f->name, "line %zu: empty symbol or kind; row skipped", t.line[r]);
			continue;
		}
		v[n].symbol = kb_strdup(kb, kb_tsv_cell(&t, r, c[0]));
		v[n].kind = kb_strdup(kb, kb_tsv_cell(&t, r, c[1]));
		v[n].category = kb_strdup_opt(kb, kb_tsv_cell(&t, r, c_cat));
		v[n].note = kb_strdup_opt(kb, kb_tsv_cell(&t, r, c_note));
		n++;
	}
	qsort(v, n, sizeof *v, cmp_native);
	kb->natives = v;
	kb->n_natives = n;
	return true;
}

size_t ap_kb_native_count(const struct ap_kb *kb)
{
	return kb->n_natives;
}

const struct ap_kb_native_sym *ap_kb_native_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_natives ? &kb->natives[i] : NULL;
}

const struct ap_kb_native_sym *ap_kb_native_symbol(const struct ap_kb *kb, const char *symbol)
{
	struct ap_kb_native_sym key = {0};
	if (!symbol)
		return NULL;
	key.symbol = symbol;
	return bsearch(&key, kb->natives, kb->n_natives, sizeof key, cmp_native);
}
