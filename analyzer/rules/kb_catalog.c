/* Lookups over the nested data: PI categories (ids, aliases, ancestry), regulation references,
 * the 39 app types (necessity and inference hints), rules and the scoring weights. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/rules/kb_int.h"

/* ---- categories ------------------------------------------------------------------------ */

size_t ap_kb_category_count(const struct ap_kb *kb)
{
	return kb->n_cats;
}

const struct ap_kb_category *ap_kb_category_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_cats ? &kb->cats[i] : NULL;
}

const struct ap_kb_category *ap_kb_category(const struct ap_kb *kb, const char *id)
{
	size_t lo = 0, hi;
	if (!kb || !id)
		return NULL;
	hi = kb->n_names;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(kb->names[mid].name, id);
		if (!r)
			return kb->names[mid].cat;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *kb_canon(const struct ap_kb *kb, const char *id)
{
	const struct ap_kb_category *c = ap_kb_category(kb, id);
	return c ? c->id : NULL;
}

bool ap_kb_category_within(const struct ap_kb *kb, const char *cat, const char *anc)
{
	const struct ap_kb_category *c = ap_kb_category(kb, cat), *a = ap_kb_category(kb, anc);
	/* parent chains are short; the bound stops a cycle in a hand-edited file */
	for (int depth = 0; c && a && depth < 16; depth++) {
		if (c == a)
			return true;
		c = ap_kb_category(kb, c->parent);
	}
	return false;
}

const char *ap_kb_ref_text(const struct ap_kb *kb, const char *ref_id)
{
	size_t lo = 0, hi;
	if (!kb || !ref_id)
		return NULL;
	hi = kb->n_refs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(kb->refs[mid].id, ref_id);
		if (!r)
			return kb->refs[mid].text;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- app types ------------------------------------------------------------------------- */

size_t ap_kb_app_type_count(const struct ap_kb *kb)
{
	return kb->n_types;
}

const struct ap_kb_app_type *ap_kb_app_type_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_types ? &kb->types[i] : NULL;
}

const struct ap_kb_app_type *ap_kb_app_type(const struct ap_kb *kb, const char *id)
{
	for (size_t i = 0; kb && id && i < kb->n_types; i++)
		if (!strcmp(kb->types[i].id, id))
			return &kb->types[i];
	return NULL;
}

const struct ap_kb_app_type *ap_kb_app_type_by_number(const struct ap_kb *kb, int number)
{
	for (size_t i = 0; kb && i < kb->n_types; i++)
		if (kb->types[i].number == number)
			return &kb->types[i];
	return NULL;
}

static bool in_list(const struct ap_kb *kb, const struct ap_kb_strs *l, const char *cat)
{
	for (size_t i = 0; i < l->n; i++)
		if (ap_kb_category_within(kb, cat, l->v[i]))
			return true;
	return false;
}

bool ap_kb_app_type_needs(const struct ap_kb *kb, const struct ap_kb_app_type *t, const char *cat)
{
	if (!kb || !t || !cat)
		return false;
	return in_list(kb, &t->necessary_pi, cat) || in_list(kb, &t->device_pi_allowed, cat);
}

bool ap_kb_app_type_local_only(const struct ap_kb *kb, const struct ap_kb_app_type *t,
			       const char *cat)
{
	return kb && t && cat && in_list(kb, &t->local_only, cat);
}

/* Case-insensitive (ASCII) search of kw in text; short ASCII keywords must stand alone. */
static bool has_keyword(const char *text, const char *kw)
{
	size_t kl = strlen(kw), tl = strlen(text);
	bool ascii = true, whole;
	for (size_t i = 0; i < kl; i++)
		ascii = ascii && (unsigned char)kw[i] < 0x80;
	whole = ascii && kl <= 3;
	if (!kl || kl > tl)
		return false;
	for (size_t i = 0; i + kl <= tl; i++) {
		size_t j = 0;
		while (j < kl && tolower((unsigned char)text[i + j]) == tolower((unsigned char)kw[j]))
			j++;
		if (j < kl)
			continue;
		if (!whole)
			return true;
		if ((i == 0 || !isalpha((unsigned char)text[i - 1])) &&
		    (i + kl == tl || !isalpha((unsigned char)text[i + kl])))
			return true;
	}
	return false;
}

const char *ap_kb_app_type_keyword(const struct ap_kb_app_type *t, const char *text)
{
	for (size_t i = 0; t && text && i < t->hint_keywords.n; i++)
		if (has_keyword(text, t->hint_keywords.v[i]))
			return t->hint_keywords.v[i];
	return NULL;
}

/* ---- rules and scoring ----------------------------------------------------------------- */

const char *ap_kb_severity_name(enum ap_kb_severity s)
{
	static const char *const names[] = {"info", "low", "medium", "high"};
	return (unsigned)s < 4 ? names[s] : "info";
}

size_t ap_kb_rule_count(const struct ap_kb *kb)
{
	return kb->n_rules;
}

const struct ap_kb_rule *ap_kb_rule_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_rules ? &kb->rules[i] : NULL;
}

const struct ap_kb_rule *ap_kb_rule(const struct ap_kb *kb, const char *id)
{
	for (size_t i = 0; kb && id && i < kb->n_rules; i++)
		if (!strcmp(kb->rules[i].id, id))
			return &kb->rules[i];
	return NULL;
}

const struct ap_kb_scoring *ap_kb_scoring(const struct ap_kb *kb)
{
	return &kb->scoring;
}

const char *ap_kb_grade(const struct ap_kb *kb, double score)
{
	const struct ap_kb_scoring *s = &kb->scoring;
	for (size_t i = 0; i < s->n_grades; i++)
		if (score >= s->grades[i].min)
			return s->grades[i].grade;
	return s->n_grades ? s->grades[s->n_grades - 1].grade : "?";
}
