/* Internals of the knowledge base shared by the kb_*.c files: the struct behind struct ap_kb,
 * the embedded-file table, and the small TSV and list helpers the loaders use. */
#ifndef AP_KB_INT_H
#define AP_KB_INT_H

#include <stdint.h>

#include "analyzer/rules/kb.h"
#include "ap_arena.h"

/* One embedded data file; the generated C file (embed.cmake) defines the table. data is
 * NUL-terminated (len does not count the NUL). The text loader reads them for --rules DIR (a file
 * absent from DIR, or unusable there, falls back to its built-in twin) and kb_gen reads them at
 * build time. */
struct ap_kb_blob {
	const char *name;
	const unsigned char *data;
	size_t len;
};
extern const struct ap_kb_blob ap_kb_builtin[];
extern const size_t ap_kb_builtin_count;

/* The built-in data already loaded, as static tables that kb_gen (analyzer/rules/gen/) wrote at
 * build time from the text loader's result: ap_kb_load(NULL, ...) returns it without parsing.
 * NULL inside kb_gen itself. */
extern const struct ap_kb *const ap_kb_compiled;

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
/* strings.tsv values in a byte trie: one walk over a string finds its exact entries and every
 * prefix entry it starts with. exact/prefix: first index into strs of the entries whose value
 * ends at this node (equal values are adjacent once sorted), -1 = none; n_*: how many. */
struct kb_strie_node {
	int32_t child, sibling;
	int32_t exact, n_exact, prefix, n_prefix;
	unsigned char c;
};
/* Bits of the SDK infix filter: the first two bytes of each infix, hashed. */
#define KB_INFIX_PAIR_BITS 4096u

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
	struct kb_strie_node *strie;    /* node 0 is the root */
	size_t n_strie;
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
	/* positions of a class name that may start an infix; infix_short: an infix of one byte,
	 * which the filter cannot hold (then every infix is searched the slow way) */
	uint64_t infix_pairs[KB_INFIX_PAIR_BITS / 64];
	bool infix_short;
	int infix_first; /* the first byte of every infix, or -1 when they differ */

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

/* Loads from the embedded text files, then the files present in dir (NULL = none): what
 * ap_kb_load did before the compiled kb, kept for --rules DIR, kb_gen and the drift test. */
int kb_load_text(const char *dir, struct ap_anomalies *an, struct ap_kb **out);
/* Hash of two adjacent bytes into the infix filter. */
static inline unsigned kb_infix_pair(unsigned char a, unsigned char b)
{
	return ((unsigned)a * 131u + b) % KB_INFIX_PAIR_BITS;
}

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
