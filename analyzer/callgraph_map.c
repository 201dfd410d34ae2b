/* The call graph's one hash map: u64 keys to u32 ids, open addressing with linear probing. The
 * class and sub-signature tables key it by a string hash (kept as a 32-bit tag: the strings
 * themselves tell equal from colliding), the method and CHA-set tables by a (class id,
 * sub-signature id) pair (the method table reads it from the node). */
#include "callgraph_int.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cg_hstr cg_hash(const char *s, size_t n)
{
	struct cg_hstr r = {0, 1};
	for (size_t i = 0; i < n; i++) {
		r.h = r.h * 1099511628211ull + (uint8_t)s[i] + 1;
		r.pow *= 1099511628211ull;
	}
	return r;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* Load factor: a table holds at most 5/8 of its slots. Below that linear probing stays short
 * (about 3.5 probes for a miss), and a table sized from the DEX counts is not over-provisioned:
 * the capacity is any number, not a power of two, so it follows the count instead of doubling
 * past it (the method table of a 70 000-method app: 113 000 slots, not 262 144). */
#define LOAD_NUM 5u
#define LOAD_DEN 8u
#define CAP_MIN 16u
#define CAP_MAX ((size_t)1 << 30)

static size_t cap_for(size_t n)
{
	if (n > CAP_MAX / LOAD_DEN * LOAD_NUM)
		return CAP_MAX;
	size_t c = n / LOAD_NUM * LOAD_DEN + LOAD_DEN;
	return c < CAP_MIN ? CAP_MIN : c;
}

/* The home slot of key: the high bits of the mixed key scaled to cap (no power of two needed). */
static size_t home(uint64_t key, size_t cap)
{
	return (size_t)(((mix(key) >> 32) * (uint64_t)cap) >> 32);
}

static inline uint64_t slot_key(const struct cg_map *m, size_t i)
{
	if (m->keys)
		return m->keys[i];
	if (m->tags)
		return m->tags[i];
	const struct ap_cg_node *n = &(*m->nodes)[m->vals[i]];
	return cg_key2(n->cls, n->sig);
}

enum slots { SLOTS_KEYS, SLOTS_TAGS, SLOTS_NODES };

/* vals, and keys or tags as the kind of map asks (the other left NULL). */
static bool alloc_slots(size_t cap, enum slots kind, uint64_t **keys, uint32_t **tags,
			uint32_t **vals)
{
	*keys = kind == SLOTS_KEYS ? malloc(cap * sizeof **keys) : NULL;
	*tags = kind == SLOTS_TAGS ? malloc(cap * sizeof **tags) : NULL;
	*vals = malloc(cap * sizeof **vals);
	if ((kind == SLOTS_KEYS && !*keys) || (kind == SLOTS_TAGS && !*tags) || !*vals) {
		free(*keys);
		free(*tags);
		free(*vals);
		return false;
	}
	memset(*vals, 0xff, cap * sizeof **vals); /* AP_CG_NONE: empty */
	return true;
}

static enum slots kind_of(const struct cg_map *m)
{
	return m->nodes ? SLOTS_NODES : m->tags ? SLOTS_TAGS : SLOTS_KEYS;
}

static bool init(struct cg_map *m, size_t expect, enum slots kind,
		 const struct ap_cg_node *const *nodes)
{
	m->n = 0;
	m->nodes = nodes;
	m->cap = cap_for(expect);
	if (alloc_slots(m->cap, kind, &m->keys, &m->tags, &m->vals))
		return true;
	m->cap = 0;
	return false;
}

bool cg_map_init(struct cg_map *m, size_t expect)
{
	return init(m, expect, SLOTS_KEYS, NULL);
}

bool cg_map_init_hashed(struct cg_map *m, size_t expect)
{
	return init(m, expect, SLOTS_TAGS, NULL);
}

bool cg_map_init_nodes(struct cg_map *m, size_t expect, const struct ap_cg_node *const *nodes)
{
	/* most lookups here miss (cg_resolve_up asks each superclass in turn) and a miss probes up
	 * to an empty slot: with 4-byte slots, a table a third emptier is cheap */
	return init(m, expect < SIZE_MAX / 2 ? expect + expect / 2 : expect, SLOTS_NODES, nodes);
}

void cg_map_fini(struct cg_map *m)
{
	free(m->keys);
	free(m->tags);
	free(m->vals);
	m->keys = NULL;
	m->tags = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

static bool grow(struct cg_map *m)
{
	size_t nc = cap_for(m->n + m->n / 2 + 1); /* half as many items again */
	uint64_t *k;
	uint32_t *t, *v;
	if (nc <= m->cap || !alloc_slots(nc, kind_of(m), &k, &t, &v))
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->vals[i] == AP_CG_NONE)
			continue;
		uint64_t key = slot_key(m, i);
		size_t j = home(key, nc);
		while (v[j] != AP_CG_NONE)
			j = j + 1 == nc ? 0 : j + 1;
		if (k)
			k[j] = key;
		if (t)
			t[j] = (uint32_t)key;
		v[j] = m->vals[i];
	}
	free(m->keys);
	free(m->tags);
	free(m->vals);
	m->keys = k;
	m->tags = t;
	m->vals = v;
	m->cap = nc;
	return true;
}

uint32_t cg_map_get(const struct cg_map *m, uint64_t key)
{
	for (size_t i = home(key, m->cap);; i = i + 1 == m->cap ? 0 : i + 1) {
		if (m->vals[i] == AP_CG_NONE || slot_key(m, i) == key)
			return m->vals[i];
	}
}

/* A string hash as a tag map keeps it. */
static uint64_t tag_of(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

uint32_t cg_map_find(const struct cg_map *m, uint64_t h, cg_map_eq eq, const void *ctx)
{
	if (m->tags)
		h = tag_of(h);
	for (size_t i = home(h, m->cap);; i = i + 1 == m->cap ? 0 : i + 1) {
		if (m->vals[i] == AP_CG_NONE)
			return AP_CG_NONE;
		if (slot_key(m, i) == h && eq(ctx, m->vals[i]))
			return m->vals[i];
	}
}

/* Slot for key: its own when replace and present, else the first empty one. */
static bool insert(struct cg_map *m, uint64_t key, uint32_t v, bool replace)
{
	if ((m->n + 1) * LOAD_DEN > m->cap * LOAD_NUM && !grow(m))
		return false;
	size_t i = home(key, m->cap);
	while (m->vals[i] != AP_CG_NONE && !(replace && slot_key(m, i) == key))
		i = i + 1 == m->cap ? 0 : i + 1;
	if (m->vals[i] == AP_CG_NONE)
		m->n++;
	if (m->keys)
		m->keys[i] = key;
	if (m->tags)
		m->tags[i] = (uint32_t)key;
	m->vals[i] = v;
	assert(slot_key(m, i) == key); /* a node added before it is stored: the caller's bug */
	return true;
}

bool cg_map_put(struct cg_map *m, uint64_t key, uint32_t v)
{
	return insert(m, key, v, true);
}

bool cg_map_add(struct cg_map *m, uint64_t h, uint32_t v)
{
	return insert(m, m->tags ? tag_of(h) : h, v, false);
}
