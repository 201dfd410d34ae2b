/* The row structs of the kb described field by field (kb_fields.h): what kb_gen writes and what
 * the compiled-vs-text unit test compares. A field added to a struct in kb.h or kb_int.h goes
 * here too; tests/unit/kb checks that these lists cover every byte of each struct. */
#include <stdbool.h>
#include <string.h>

#include "analyzer/rules/kb_fields.h"

#define F(T, m, t) {#m, offsetof(T, m), sizeof(((T *)0)->m), t}
#define STR_(x) #x
#define STR(x) STR_(x) /* expands T first: "struct ap_kb_sdk" */
#define DESC(T, v) {STR(T), sizeof(T), v, sizeof v / sizeof v[0]}

#define T struct ap_kb_category
static const struct kb_field f_cat[] = {
	F(T, id, KB_F_STR), F(T, parent, KB_F_STR), F(T, name_en, KB_F_STR),
	F(T, name_zh, KB_F_STR), F(T, sensitive, KB_F_BOOL), F(T, immutable, KB_F_BOOL),
	F(T, device_api, KB_F_BOOL), F(T, csac_class, KB_F_STR), F(T, csac_class_zh, KB_F_STR),
	F(T, children, KB_F_STRS), F(T, apis_from, KB_F_STRS), F(T, aliases, KB_F_STRS),
	F(T, refs, KB_F_STRS), F(T, sensitivity_basis, KB_F_STRS), F(T, note, KB_F_STR),
};
static const struct kb_struct_desc d_cat = DESC(T, f_cat);
#undef T

#define T struct kb_ref
static const struct kb_field f_ref[] = {F(T, id, KB_F_STR), F(T, text, KB_F_STR)};
static const struct kb_struct_desc d_ref = DESC(T, f_ref);
#undef T

#define T struct ap_kb_permission
static const struct kb_field f_perm[] = {
	F(T, name, KB_F_STR), F(T, protection, KB_F_STR), F(T, dangerous, KB_F_BOOL),
	F(T, pi, KB_F_STRS),  F(T, since_api, KB_F_INT),  F(T, purpose, KB_F_STR),
};
static const struct kb_struct_desc d_perm = DESC(T, f_perm);
#undef T

#define T struct ap_kb_api
static const struct kb_field f_api[] = {
	F(T, kind, KB_F_INT),         F(T, class_desc, KB_F_STR), F(T, name, KB_F_STR),
	F(T, proto, KB_F_STR),        F(T, category, KB_F_STR),   F(T, permissions, KB_F_STRS),
	F(T, min_api, KB_F_INT),      F(T, medium, KB_F_BOOL),    F(T, requires, KB_F_STR),
	F(T, note, KB_F_STR),
};
static const struct kb_struct_desc d_api = DESC(T, f_api);
#undef T

#define T struct ap_kb_string
static const struct kb_field f_str[] = {
	F(T, kind, KB_F_INT),  F(T, value, KB_F_STR),   F(T, match, KB_F_INT), F(T, category, KB_F_STR),
	F(T, where, KB_F_INT), F(T, medium, KB_F_BOOL), F(T, note, KB_F_STR),
};
static const struct kb_struct_desc d_str = DESC(T, f_str);
#undef T

#define T struct kb_strie_node
static const struct kb_field f_strie[] = {
	F(T, child, KB_F_I32),   F(T, sibling, KB_F_I32), F(T, exact, KB_F_I32),
	F(T, n_exact, KB_F_I32), F(T, prefix, KB_F_I32),  F(T, n_prefix, KB_F_I32),
	F(T, c, KB_F_BYTE),
};
static const struct kb_struct_desc d_strie = DESC(T, f_strie);
#undef T

#define T struct ap_kb_netapi
static const struct kb_field f_net[] = {
	F(T, class_desc, KB_F_STR), F(T, name, KB_F_STR), F(T, proto, KB_F_STR),
	F(T, library, KB_F_STR),    F(T, kind, KB_F_STR), F(T, note, KB_F_STR),
};
static const struct kb_struct_desc d_net = DESC(T, f_net);
#undef T

#define T struct ap_kb_native_sym
static const struct kb_field f_native[] = {
	F(T, symbol, KB_F_STR), F(T, kind, KB_F_STR), F(T, category, KB_F_STR), F(T, note, KB_F_STR),
};
static const struct kb_struct_desc d_native = DESC(T, f_native);
#undef T

#define T struct ap_kb_sdk
static const struct kb_field f_sdk[] = {
	F(T, id, KB_F_STR),         F(T, name, KB_F_STR),          F(T, name_zh, KB_F_STR),
	F(T, vendor, KB_F_STR),     F(T, country, KB_F_STR),       F(T, category, KB_F_STR),
	F(T, prefixes, KB_F_STRS),  F(T, infixes, KB_F_STRS),      F(T, domains, KB_F_STRS),
	F(T, known_pi, KB_F_STRS),  F(T, medium, KB_F_BOOL),       F(T, exodus_id, KB_F_INT),
};
static const struct kb_struct_desc d_sdk = DESC(T, f_sdk);
#undef T

#define T struct kb_trie_node
static const struct kb_field f_trie[] = {
	F(T, child, KB_F_I32), F(T, sibling, KB_F_I32), F(T, sdk, KB_F_I32), F(T, c, KB_F_BYTE),
};
static const struct kb_struct_desc d_trie = DESC(T, f_trie);
#undef T

#define T struct ap_kb_app_type
static const struct kb_field f_type[] = {
	F(T, id, KB_F_STR),
	F(T, number, KB_F_INT),
	F(T, name_zh, KB_F_STR),
	F(T, name_en, KB_F_STR),
	F(T, basic_function_zh, KB_F_STR),
	F(T, basic_function_en, KB_F_STR),
	F(T, no_pi_needed, KB_F_BOOL),
	F(T, necessary_pi, KB_F_STRS),
	F(T, device_pi_allowed, KB_F_STRS),
	F(T, local_only, KB_F_STRS),
	F(T, conditions, KB_F_STRS),
	F(T, hint_keywords, KB_F_STRS),
	F(T, hint_sdks, KB_F_STRS),
	F(T, hint_sdk_categories, KB_F_STRS),
};
static const struct kb_struct_desc d_type = DESC(T, f_type);
#undef T

#define T struct ap_kb_rule
static const struct kb_field f_rule[] = {
	F(T, id, KB_F_STR),
	F(T, code, KB_F_STR),
	F(T, title, KB_F_STR),
	F(T, title_zh, KB_F_STR),
	F(T, severity, KB_F_INT),
	F(T, severity_escalated, KB_F_INT),
	F(T, escalation, KB_F_STR),
	F(T, dimensions, KB_F_INT),
	F(T, needs_reachability, KB_F_BOOL),
	F(T, min_level, KB_F_INT),
	F(T, trigger, KB_F_STR),
	F(T, refs, KB_F_STRS),
	F(T, remediation, KB_F_STR),
};
static const struct kb_struct_desc d_rule = DESC(T, f_rule);
#undef T

void kb_tables_of(const struct ap_kb *kb, struct kb_table *t)
{
	const struct kb_table v[KB_N_TABLES] = {
		{"kb_cats", &d_cat, kb->cats, kb->n_cats},
		{"kb_refs", &d_ref, kb->refs, kb->n_refs},
		{"kb_perms", &d_perm, kb->perms, kb->n_perms},
		{"kb_apis", &d_api, kb->apis, kb->n_apis},
		{"kb_strs", &d_str, kb->strs, kb->n_strs},
		{"kb_strie", &d_strie, kb->strie, kb->n_strie},
		{"kb_net", &d_net, kb->net, kb->n_net},
		{"kb_natives", &d_native, kb->natives, kb->n_natives},
		{"kb_sdks", &d_sdk, kb->sdks, kb->n_sdks},
		{"kb_trie", &d_trie, kb->trie, kb->n_trie},
		{"kb_types", &d_type, kb->types, kb->n_types},
		{"kb_rules", &d_rule, kb->rules, kb->n_rules},
	};
	memcpy(t, v, sizeof v);
}

long kb_field_int(const void *row, const struct kb_field *f)
{
	const unsigned char *p = (const unsigned char *)row + f->off;
	int i;
	int32_t i32;
	bool b;
	switch (f->type) {
	case KB_F_INT:
		memcpy(&i, p, sizeof i);
		return i;
	case KB_F_I32:
		memcpy(&i32, p, sizeof i32);
		return i32;
	case KB_F_BOOL:
		memcpy(&b, p, sizeof b);
		return b;
	case KB_F_BYTE:
		return *p;
	default:
		return 0;
	}
}
