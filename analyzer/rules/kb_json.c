/* The nested data files: categories.json, app_types.json, rules.json, scoring.json. The one
 * json-c user of the knowledge base: values are copied into the kb's arena and the json-c tree
 * is freed before returning. */
#include <string.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "analyzer/rules/kb_int.h"
#include "ap_limits.h"

static struct json_object *parse(struct ap_kb *kb, const struct kb_file *f)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error err;
	if (f->len > (size_t)INT32_MAX) {
		kb_anom(kb, f->name, "file too large for the JSON parser");
		return NULL;
	}
	tok = json_tokener_new_ex(AP_MAX_KB_JSON_DEPTH);
	if (!tok)
		return NULL;
	root = json_tokener_parse_ex(tok, f->text, (int)f->len);
	err = json_tokener_get_error(tok);
	if (!root || err != json_tokener_success) {
		kb_anom(kb, f->name, "not valid JSON at byte %zu: %s", json_tokener_get_parse_end(tok),
			json_tokener_error_desc(err == json_tokener_success ? json_tokener_continue : err));
		json_object_put(root);
		root = NULL;
	} else if (!json_object_is_type(root, json_type_object)) {
		kb_anom(kb, f->name, "top level is not a JSON object");
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

static struct json_object *get(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* A string member copied into the arena; NULL when absent, not a string or empty. */
static const char *str(struct ap_kb *kb, struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key, json_type_string);
	return v ? kb_strdup_opt(kb, json_object_get_string(v)) : NULL;
}

static bool boolean(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key, json_type_boolean);
	return v && json_object_get_boolean(v);
}

static double number(struct json_object *o, const char *key, double dflt)
{
	struct json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v))
		return dflt;
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
		return json_object_get_double(v);
	return dflt;
}

/* An array of strings (non-strings skipped). */
static struct ap_kb_strs strs(struct ap_kb *kb, struct json_object *o, const char *key)
{
	struct ap_kb_strs out = {NULL, 0};
	struct json_object *a = get(o, key, json_type_array);
	size_t n = a ? json_object_array_length(a) : 0, k = 0;
	const char **v;
	if (!n)
		return out;
	v = ap_arena_calloc(kb->arena, n, sizeof *v);
	if (!v)
		return out;
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		if (json_object_is_type(e, json_type_string) && json_object_get_string_len(e) > 0)
			v[k++] = kb_strdup(kb, json_object_get_string(e));
	}
	out.v = v;
	out.n = k;
	return out;
}

/* An array member that must exist, with at most AP_MAX_KB_ROWS items. */
static struct json_object *items(struct ap_kb *kb, const struct kb_file *f, struct json_object *root,
				 const char *key, size_t *n)
{
	struct json_object *a = get(root, key, json_type_array);
	if (!a) {
		kb_anom(kb, f->name, "no '%s' array", key);
		return NULL;
	}
	*n = json_object_array_length(a);
	if (*n > AP_MAX_KB_ROWS) {
		kb_anom(kb, f->name, "'%s' has %zu items, more than %u", key, *n, AP_MAX_KB_ROWS);
		return NULL;
	}
	return a;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct kb_name *)a)->name, ((const struct kb_name *)b)->name);
}

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct kb_ref *)a)->id, ((const struct kb_ref *)b)->id);
}

/* Adds the members of a {id: text} object to the reference table (later files extend it). */
static bool add_refs(struct ap_kb *kb, struct json_object *obj)
{
	size_t n = obj ? (size_t)json_object_object_length(obj) : 0, k = kb->n_refs;
	struct kb_ref *v;
	if (!n)
		return true;
	v = ap_arena_calloc(kb->arena, kb->n_refs + n, sizeof *v);
	if (!v)
		return false;
	if (kb->n_refs)
		memcpy(v, kb->refs, kb->n_refs * sizeof *v);
	json_object_object_foreach(obj, key, val)
	{
		if (!json_object_is_type(val, json_type_string))
			continue;
		v[k].id = kb_strdup(kb, key);
		v[k].text = kb_strdup(kb, json_object_get_string(val));
		k++;
	}
	qsort(v, k, sizeof *v, cmp_ref);
	kb->refs = v;
	kb->n_refs = k;
	return true;
}

/* ---- categories.json ------------------------------------------------------------------- */

bool kb_load_categories(struct ap_kb *kb, const struct kb_file *f)
{
	struct json_object *root = parse(kb, f), *arr, *classes;
	struct ap_kb_category *v;
	struct kb_name *names;
	size_t n = 0, k = 0, n_names = 0;
	bool ok = false;
	if (!root)
		return false;
	arr = items(kb, f, root, "categories", &n);
	if (!arr)
		goto out_put;
	classes = get(root, "csac_classes", json_type_object);
	v = ap_arena_calloc(kb->arena, n ? n : 1, sizeof *v);
	if (!v)
		goto out_put;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		struct ap_kb_category *c = &v[k];
		const char *sens;
		c->id = str(kb, o, "id");
		if (!c->id) {
			kb_anom(kb, f->name, "categories[%zu] has no id; skipped", i);
			continue;
		}
		c->parent = str(kb, o, "parent");
		c->name_en = str(kb, o, "name_en");
		c->name_zh = str(kb, o, "name_zh");
		sens = str(kb, o, "sensitivity");
		if (!sens || (strcmp(sens, "sensitive") && strcmp(sens, "general")))
			kb_anom(kb, f->name, "category %s: sensitivity is not sensitive/general", c->id);
		c->sensitive = sens && !strcmp(sens, "sensitive");
		c->immutable = boolean(o, "immutable");
		c->device_api = !kb_cmp_str(str(kb, o, "origin"), "device_api");
		c->csac_class = str(kb, o, "csac_class");
		c->csac_class_zh = c->csac_class ? str(kb, classes, c->csac_class) : NULL;
		c->children = strs(kb, o, "children");
		c->apis_from = strs(kb, o, "apis_from");
		c->aliases = strs(kb, o, "aliases");
		c->refs = strs(kb, o, "refs");
		c->sensitivity_basis = strs(kb, o, "sensitivity_basis");
		c->note = str(kb, o, "note");
		n_names += 1 + c->aliases.n;
		k++;
	}
	names = ap_arena_calloc(kb->arena, n_names ? n_names : 1, sizeof *names);
	if (!names)
		goto out_put;
	n_names = 0;
	for (size_t i = 0; i < k; i++) {
		names[n_names].name = v[i].id;
		names[n_names++].cat = &v[i];
		for (size_t j = 0; j < v[i].aliases.n; j++) {
			names[n_names].name = v[i].aliases.v[j];
			names[n_names++].cat = &v[i];
		}
	}
	qsort(names, n_names, sizeof *names, cmp_name);
	for (size_t i = 1; i < n_names; i++)
		if (!strcmp(names[i].name, names[i - 1].name))
			kb_anom(kb, f->name, "the id or alias '%s' names two categories", names[i].name);
	kb->refs = NULL;
	kb->n_refs = 0;
	if (!add_refs(kb, get(root, "refs", json_type_object)))
		goto out_put;
	kb->cats = v;
	kb->n_cats = k;
	kb->names = names;
	kb->n_names = n_names;
	ok = true;
out_put:
	json_object_put(root);
	return ok;
}

/* ---- app_types.json -------------------------------------------------------------------- */

bool kb_load_app_types(struct ap_kb *kb, const struct kb_file *f)
{
	struct json_object *root = parse(kb, f), *arr;
	struct ap_kb_app_type *v;
	size_t n = 0, k = 0;
	bool ok = false;
	if (!root)
		return false;
	arr = items(kb, f, root, "types", &n);
	if (!arr)
		goto out_put;
	v = ap_arena_calloc(kb->arena, n ? n : 1, sizeof *v);
	if (!v)
		goto out_put;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i), *h;
		struct ap_kb_app_type *t = &v[k];
		t->id = str(kb, o, "id");
		t->number = (int)number(o, "number", 0);
		if (!t->id || t->number <= 0) {
			kb_anom(kb, f->name, "types[%zu] has no id or number; skipped", i);
			continue;
		}
		t->name_zh = str(kb, o, "name_zh");
		t->name_en = str(kb, o, "name_en");
		t->basic_function_zh = str(kb, o, "basic_function_zh");
		t->basic_function_en = str(kb, o, "basic_function_en");
		t->no_pi_needed = boolean(o, "no_pi_needed");
		t->necessary_pi = strs(kb, o, "necessary_pi");
		t->device_pi_allowed = strs(kb, o, "device_pi_allowed");
		t->local_only = strs(kb, o, "local_only");
		t->conditions = strs(kb, o, "conditions");
		h = get(o, "hints", json_type_object);
		t->hint_keywords = strs(kb, h, "keywords");
		t->hint_sdks = strs(kb, h, "sdks");
		t->hint_sdk_categories = strs(kb, h, "sdk_categories");
		if (t->no_pi_needed && t->necessary_pi.n)
			kb_anom(kb, f->name, "type %s needs no PI yet lists necessary PI", t->id);
		k++;
	}
	kb->types = v;
	kb->n_types = k;
	ok = true;
out_put:
	json_object_put(root);
	return ok;
}

/* ---- rules.json ------------------------------------------------------------------------ */

static int severity(const char *s)
{
	static const char *const names[] = {"info", "low", "medium", "high"};
	for (int i = 0; s && i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

bool kb_load_rules(struct ap_kb *kb, const struct kb_file *f)
{
	struct json_object *root = parse(kb, f), *arr;
	struct ap_kb_rule *v;
	size_t n = 0, k = 0;
	bool ok = false;
	if (!root)
		return false;
	arr = items(kb, f, root, "rules", &n);
	if (!arr)
		goto out_put;
	v = ap_arena_calloc(kb->arena, n ? n : 1, sizeof *v);
	if (!v || !add_refs(kb, get(root, "references", json_type_object)))
		goto out_put;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(arr, i), *dims;
		struct ap_kb_rule *r = &v[k];
		int sev, esc;
		const char *lvl;
		r->id = str(kb, o, "id");
		r->title = str(kb, o, "title");
		sev = severity(str(kb, o, "severity"));
		if (!r->id || !r->title || sev < 0) {
			kb_anom(kb, f->name, "rules[%zu] lacks id, title or a known severity; skipped", i);
			continue;
		}
		esc = get(o, "severity_escalated", json_type_string)
			      ? severity(str(kb, o, "severity_escalated"))
			      : sev;
		if (esc < 0) {
			kb_anom(kb, f->name, "rule %s: unknown severity_escalated", r->id);
			esc = sev;
		}
		r->code = str(kb, o, "code");
		r->title_zh = str(kb, o, "title_zh");
		r->severity = (enum ap_kb_severity)sev;
		r->severity_escalated = (enum ap_kb_severity)esc;
		r->escalation = str(kb, o, "escalation");
		dims = get(o, "dimensions", json_type_array);
		for (size_t j = 0; dims && j < json_object_array_length(dims); j++) {
			int d = json_object_get_int(json_object_array_get_idx(dims, j));
			if (d >= 1 && d <= 3)
				r->dimensions |= 1u << d;
			else
				kb_anom(kb, f->name, "rule %s: dimension %d is not 1, 2 or 3", r->id, d);
		}
		r->needs_reachability = boolean(o, "needs_reachability");
		lvl = str(kb, o, "min_level");
		r->min_level = lvl && lvl[0] == 'L' && lvl[1] >= '0' && lvl[1] <= '4' && !lvl[2]
				       ? lvl[1] - '0'
				       : 0;
		r->trigger = str(kb, o, "trigger");
		r->refs = strs(kb, o, "refs");
		r->remediation = str(kb, o, "remediation");
		k++;
	}
	kb->rules = v;
	kb->n_rules = k;
	ok = true;
out_put:
	json_object_put(root);
	return ok;
}

/* ---- scoring.json ---------------------------------------------------------------------- */

bool kb_load_scoring(struct ap_kb *kb, const struct kb_file *f)
{
	static const char *const sev[] = {"info", "low", "medium", "high"};
	struct json_object *root = parse(kb, f), *pts, *lv, *gr, *dims;
	struct ap_kb_scoring s;
	bool ok = false;
	if (!root)
		return false;
	memset(&s, 0, sizeof s);
	pts = get(root, "points", json_type_object);
	lv = get(root, "evidence_levels", json_type_object);
	gr = get(root, "grades", json_type_array);
	if (!pts || !lv || !gr) {
		kb_anom(kb, f->name, "needs 'points', 'evidence_levels' and 'grades'");
		goto out_put;
	}
	s.start = number(root, "start", 100);
	s.no_pi_multiplier = number(root, "no_pi_type_multiplier", 1);
	s.floor = number(root, "floor", 0);
	for (int i = 0; i < 4; i++)
		s.points[i] = number(pts, sev[i], 0);
	for (int i = 0; i < 5; i++) {
		char key[3] = {'L', (char)('0' + i), 0};
		s.level_weight[i] = number(lv, key, 1);
	}
	for (size_t i = 0; i < json_object_array_length(gr) && s.n_grades < AP_KB_MAX_GRADES; i++) {
		struct json_object *g = json_object_array_get_idx(gr, i);
		const char *name = str(kb, g, "grade");
		double min = number(g, "min", -1);
		if (!name || min < 0 || (s.n_grades && min >= s.grades[s.n_grades - 1].min)) {
			kb_anom(kb, f->name, "grades[%zu] needs a grade and a min below the previous one", i);
			continue;
		}
		s.grades[s.n_grades].min = min;
		s.grades[s.n_grades++].grade = name;
	}
	if (!s.n_grades) {
		kb_anom(kb, f->name, "no usable grade");
		goto out_put;
	}
	dims = get(root, "dimensions", json_type_array);
	for (size_t i = 0; dims && i < json_object_array_length(dims); i++) {
		struct json_object *d = json_object_array_get_idx(dims, i);
		int id = (int)number(d, "id", 0);
		if (id >= 1 && id <= 3)
			s.dimension_name[id] = str(kb, d, "name");
	}
	kb->scoring = s;
	ok = true;
out_put:
	json_object_put(root);
	return ok;
}
