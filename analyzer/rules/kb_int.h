/* Internals of the knowledge base shared by the kb_*.c files: the struct behind struct ap_kb,
 * the embedded-file table, and the small TSV and list helpers the loaders use. */
#ifndef AP_KB_INT_H
#define AP_KB_INT_H

#include <stdint.h>

#include "analyzer/rules/kb.h"
#include "ap_arena.h"

/* One embedded data file; the generated C file (embed.cmake) defines the table. data is
 * NUL-terminated (len does not count the NUL). */
struct ap_kb_blob {
	const char *name;
	const unsigned char *data;
	size_t len;
};
extern const struct ap_kb_blob ap_kb_builtin[];
extern const size_t ap_kb_builtin_count;

struct kb_name {           /* sorted name -> category (canonical ids and aliases) */
	const char *name;
	const struct ap_kb_category *cat;
};
struct kb_ref {
	const char *id;
	const char *text;
};
struct kb_trie_node {
	int32_t child, sibling, sdk;
	unsigned char c;
};

struct ap_kb {
	struct ap_arena *arena;
	struct ap_anomalies *an;
	const char *version;
	const char *origin;

	struct ap_kb_category *cats;
	size_t n_cats;
	struct kb_name *names;
	size_t n_names;
	struct kb_ref *refs;
	size_t n_refs;

	struct ap_kb_permission *perms; /* sorted by name */
	size_t n_perms;
	struct ap_kb_api *apis;         /* sorted by class, name */
	size_t n_apis;
	struct ap_kb_string *strs;      /* sorted: exact entries by value, then prefix entries */
	size_t n_strs, n_strs_exact;
	struct ap_kb_netapi *net;       /* sorted by class, name */
	size_t n_net;
	struct ap_kb_native_sym *natives; /* sorted by symbol */
	size_t n_natives;

	struct ap_kb_sdk *sdks;         /* file order */
	size_t n_sdks;
	const struct ap_kb_sdk **sdk_by_id; /* sorted by id */
	struct kb_trie_node *trie;      /* node 0 is the root */
	size_t n_trie;
	const struct ap_kb_sdk **infix_sdk; /* parallel to infix_str */
	const char **infix_str;
	size_t n_infix;

	struct ap_kb_app_type *types;
	size_t n_types;
	struct ap_kb_rule *rules;
	size_t n_rules;
	struct ap_kb_scoring scoring;
};

/* A loaded data file: text is an arena copy, NUL-terminated. */
struct kb_file {
	const char *name;  /* "sdks.tsv" */
	char *text;
	size_t len;
	bool from_dir;
};

/* A parsed TSV: rows of cells (header row excluded), column lookup by header name. */
struct kb_tsv {
	char **hdr;
	size_t n_hdr;
	char ***rows;
	size_t *line;  /* 1-based line of each row, for anomalies */
	size_t n_rows;
};
/* Splits f into rows; false (with an anomaly) when there is no header. Rows with fewer cells
 * than the header are padded with "" (missing trailing empties are common in hand edits). */
bool kb_tsv_parse(struct ap_kb *kb, const struct kb_file *f, struct kb_tsv *t);
int kb_tsv_col(const struct kb_tsv *t, const char *name);
/* Cell of row r at column c ("" when c < 0). */
const char *kb_tsv_cell(const struct kb_tsv *t, size_t r, int c);
/* A small non-negative decimal integer cell ("" or junk -> 0; capped at INT_MAX). */
int kb_cell_int(const char *s);
/* Checks that every listed column exists; anomaly naming the first that does not. */
bool kb_tsv_require(struct ap_kb *kb, const struct kb_file *f, const struct kb_tsv *t,
		    const char *const *cols, int *idx, size_t n);

/* Splits a comma-separated cell into an arena string list (empty items dropped). */
struct ap_kb_strs kb_split(struct ap_kb *kb, const char *s, char sep);
char *kb_strdup(struct ap_kb *kb, const char *s); /* NULL for NULL; "" stays "" */
/* NULL for NULL or "". */
const char *kb_strdup_opt(struct ap_kb *kb, const char *s);
void kb_anom(struct ap_kb *kb, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kb_cmp_str(const char *a, const char *b); /* strcmp with NULL < "" */

/* The per-file loaders. Each returns false when the file as a whole is unusable (then the
 * caller retries with the built-in copy); row problems are anomalies and the row is skipped. */
bool kb_load_categories(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_app_types(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_rules(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_scoring(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_permissions(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_apis(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_strings(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_network(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_native(struct ap_kb *kb, const struct kb_file *f);
bool kb_load_sdks(struct ap_kb *kb, const struct kb_file *f);

/* After loading: resolve every category id used anywhere to its canonical id, anomaly for
 * unknown ones (referential integrity). */
void kb_check_refs(struct ap_kb *kb);
/* Canonical id for a name or alias, NULL when unknown. */
const char *kb_canon(const struct ap_kb *kb, const char *id);

#endif
