/* Internals shared by the call-graph files: the one hash map (callgraph_map.c), the class
 * hierarchy walks (callgraph_hier.c) and the per-method edge builder (callgraph_edges.c), which
 * callgraph.c drives. Not for use outside analyzer/callgraph*.c and entries.c. */
#ifndef AP_CALLGRAPH_INT_H
#define AP_CALLGRAPH_INT_H

#include "callgraph.h"

/* ---- callgraph_map.c --------------------------------------------------------------------- */

/* struct cg_map (callgraph.h): u64 key -> u32 value, never AP_CG_NONE. Integer keys are exact;
 * a string table stores the string's hash as the key and tells equal strings apart with an eq
 * callback on the stored value (a class id, a sub-signature id). */
typedef bool (*cg_map_eq)(const void *ctx, uint32_t val);

bool cg_map_init(struct cg_map *m, size_t expect);
/* The same for a string table (cg_map_find/cg_map_add only). */
bool cg_map_init_hashed(struct cg_map *m, size_t expect);
/* The same for the method table: node id -> its (class, sub-signature) key read from *nodes,
 * which must hold the node before it is added. */
bool cg_map_init_nodes(struct cg_map *m, size_t expect, const struct ap_cg_node *const *nodes);
void cg_map_fini(struct cg_map *m);
/* Value for an exact key, or AP_CG_NONE. */
uint32_t cg_map_get(const struct cg_map *m, uint64_t key);
/* Sets key (exact) to v, replacing an earlier value. False on OOM. */
bool cg_map_put(struct cg_map *m, uint64_t key, uint32_t v);
/* First value stored under hash h that eq accepts, or AP_CG_NONE. */
uint32_t cg_map_find(const struct cg_map *m, uint64_t h, cg_map_eq eq, const void *ctx);
/* Adds v under hash h (no replacement: strings with the same hash coexist). False on OOM. */
bool cg_map_add(struct cg_map *m, uint64_t h, uint32_t v);

/* A polynomial string hash, so the hash of a concatenation comes from its pieces' hashes:
 * sub-signatures are interned from (name, proto) without building "name(ARGS)RET" first. */
struct cg_hstr {
	uint64_t h, pow; /* pow = B^length */
};
struct cg_hstr cg_hash(const char *s, size_t n);
static inline uint64_t cg_hash_cat(struct cg_hstr a, struct cg_hstr b)
{
	return a.h * b.pow + b.h;
}

static inline uint64_t cg_key2(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

/* ---- callgraph.c ------------------------------------------------------------------------- */

/* Class id of desc (interned when new; AP_CG_NONE on OOM) / only when already seen. */
uint32_t cg_intern_class(struct ap_cg *cg, const char *desc);
uint32_t cg_find_class(const struct ap_cg *cg, const char *desc);
/* Sub-signature id of "name(ARGS)RET" given as name[0, name_len) and proto ("(ARGS)RET",
 * proto_h = cg_hash of it), interned when new (AP_CG_NONE on OOM); or of a whole string, only
 * when already seen. */
uint32_t cg_intern_sig(struct ap_cg *cg, const char *name, size_t name_len, const char *proto,
		       struct cg_hstr proto_h);
uint32_t cg_find_sig(const struct ap_cg *cg, const char *sig);

/* ---- callgraph_hier.c -------------------------------------------------------------------- */

uint32_t cg_resolve_up(const struct ap_cg *cg, uint32_t c, uint32_t sig);
bool cg_sig_has_name(const char *sig, const char *name);
/* True when name[0, name_len) is one of the '|'-separated names in list. */
bool ap_cg_name_in(const char *list, const char *name, size_t name_len);

/* ---- callgraph_edges.c ------------------------------------------------------------------- */

/* Adds every node's edges (cg->nodes complete, hierarchy linked). AP_OK or AP_ERR_NOMEM. */
int cg_build_edges(struct ap_cg *cg);

#endif
