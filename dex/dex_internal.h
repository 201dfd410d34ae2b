/* Private to dex/: the ap_dex model and the steps of ap_dex_open, one per on-disk structure. */
#ifndef AP_DEX_INTERNAL_H
#define AP_DEX_INTERNAL_H

#include "dex.h"

#include "ap_arena.h"
#include "ap_cursor.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

/* 8 bytes a string: pure ASCII ones (almost all) are borrowed from the file, where they are
 * NUL-terminated already; the rest are decoded once into dex->decoded. */
struct dex_str {
	uint32_t off; /* into dex->buf, or into dex->decoded when len has DEX_STR_DECODED; */
	uint32_t len; /* DEX_STR_BAD when unreadable */
};
#define DEX_STR_DECODED 0x80000000u
#define DEX_STR_BAD 0xffffffffu

/* Item indices sorted by key (ties in item order): the items of key k are a run of idx, found
 * by binary search on the items' keys. No per-key start array: on a large DEX those cost as
 * much as the index itself (one u32 per method id, string, field or type) for the few hundred
 * keys a scan asks about. */
struct dex_csr {
	uint32_t *idx;        /* NULL when the cap was hit */
	const uint8_t *items; /* the array sorted (borrowed from the model) */
	size_t n_idx, stride, key_off;
	uint32_t n_keys;
};

struct dex_vec {
	void *p;
	size_t n, cap, elsz;
	size_t hint; /* expected items per KiB of DEX */
};

struct ap_dex {
	const uint8_t *buf;
	size_t len;
	char *name;
	struct ap_anomalies *an;
	struct ap_arena *arena;
	size_t mem_cap;  /* arena cap; vectors count against it too */
	size_t vec_bytes;
	int status;      /* AP_OK or AP_ERR_LIMIT */
	unsigned flags;  /* AP_DEX_OPEN_* */

	struct ap_dex_header hdr;
	struct ap_dex_counts cnt;

	struct dex_str *strings;
	struct dex_vec decoded;   /* UTF-8 of the strings that are not pure ASCII, NUL after each */
	uint32_t *sorted_strings; /* NULL when string_ids are sorted */
	uint32_t *types;          /* descriptor string idx */
	bool types_sorted;
	struct ap_dex_proto *protos;
	struct ap_dex_field_id *fields;
	struct ap_dex_method_id *methods;
	uint32_t call_site_ids_off, method_handles_off; /* from the map list, 0 when absent */

	struct ap_dex_class *classes;
	struct ap_dex_method *mdefs;
	int32_t *class_of_type;   /* type idx -> class_def idx, -1 */
	int32_t *mdef_of_method;  /* method idx -> method def idx, -1 */
	struct dex_csr methods_by_class;

	struct dex_vec calls, sloads, frefs, trefs;
	/* lookup tables, built on first query (see dex_lookup) */
	unsigned lookups_tried;   /* DEX_LK_* */
	struct dex_csr calls_by_callee, loads_by_string, refs_by_field, refs_by_type;
	uint64_t units_budget;   /* code units we are still willing to decode */
	bool budget_spent;
};

/* dex_open.c */
void dex_anom(struct ap_dex *dex, uint64_t off, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void *dex_alloc(struct ap_dex *dex, size_t count, size_t size);
/* Makes room for extra more items; the caller stores them at v->p[v->n...]. False when the cap
 * is hit. */
bool dex_vec_reserve(struct ap_dex *dex, struct dex_vec *v, size_t extra);
void dex_vec_shrink(struct ap_dex *dex, struct dex_vec *v);
static inline bool dex_vec_room(struct ap_dex *dex, struct dex_vec *v)
{
	return v->n < v->cap || dex_vec_reserve(dex, v, 1);
}

/* dex_opcodes.c */
extern const struct ap_dex_opinfo dex_ops[256];

/* dex_header.c */
int dex_read_header(struct ap_dex *dex);
void dex_read_map(struct ap_dex *dex);
uint32_t dex_adler32(const uint8_t *p, size_t n);
void dex_sha1(const uint8_t *p, size_t n, uint8_t out[20]);
void dex_check_signature(struct ap_dex *dex);
/* Checks that a table of count items of size bytes at off fits; returns the count that fits
 * (anomaly when fewer). */
uint32_t dex_table_fit(struct ap_dex *dex, const char *what, uint32_t off, uint32_t count,
		       uint32_t size);

/* dex_strings.c */
void dex_read_strings(struct ap_dex *dex);

/* dex_ids.c */
void dex_read_ids(struct ap_dex *dex);
const uint32_t *dex_type_list(struct ap_dex *dex, uint32_t off, uint32_t *count);

/* dex_class.c */
void dex_read_classes(struct ap_dex *dex);

/* dex_code.c */
void dex_read_code(struct ap_dex *dex, struct ap_dex_method *m);

/* dex_index.c */
void dex_index_method(struct ap_dex *dex, struct ap_dex_method *m, const uint8_t *insns);
/* The lookup tables are built on first query, not at open: a caller that only walks the arrays
 * (the CLI, the dexdump check) never pays for them. This is why an ap_dex must not be queried
 * from two threads at once (apkpriv's batch forks instead). */
enum {
	DEX_LK_CALLS = 1, DEX_LK_LOADS = 2, DEX_LK_FIELDS = 4, DEX_LK_TYPES = 8,
	DEX_LK_METHODS_BY_CLASS = 16, DEX_LK_MDEF = 32,
};
/* The table DEX_LK_CALLS..DEX_LK_METHODS_BY_CLASS, built now if it was not yet (idx is NULL
 * when the cap was hit). */
const struct dex_csr *dex_lookup(const struct ap_dex *dex, unsigned which);
/* The indices of the items with key k (*n of them), or NULL when the table is missing or
 * k >= n_keys. */
const uint32_t *dex_csr_row(const struct dex_csr *c, uint32_t key, size_t *n);
/* method idx -> method def idx (-1 none), or NULL when the cap was hit. */
const int32_t *dex_mdef_of_method(const struct ap_dex *dex);
void dex_csr_build(struct ap_dex *dex, struct dex_csr *csr, uint32_t n_keys, const void *items,
		   size_t n_items, size_t stride, size_t key_off);

/* dex_value.c */
/* Reads one encoded_value at c (skipping nested arrays/annotations, depth-bounded). */
bool dex_read_value(const struct ap_dex *dex, struct ap_cur *c, struct ap_dex_value *v, int depth);
uint32_t dex_call_site_bootstrap(const struct ap_dex *dex, uint32_t call_site_idx);

/* code units: insns are little-endian in the file */
static inline uint16_t dex_unit(const uint8_t *insns, uint32_t i)
{
	return (uint16_t)(insns[2 * (size_t)i] | (insns[2 * (size_t)i + 1] << 8));
}

#endif
