/* The call graph's one hash map: u64 keys to u32 ids, open addressing with linear probing. The
 * class and sub-signature tables key it by a string hash, the method and CHA-set tables by a
 * (class id, sub-signature id) pair. */
#include "callgraph_int.h"

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

static size_t pow2_for(size_t n)
{
	size_t c = 1024;
	while (c < 2 * n && c < ((size_t)1 << 30))
		c *= 2;
	return c;
}

static bool alloc_slots(size_t cap, uint64_t **keys, uint32_t **vals)
{
	*keys = malloc(cap * sizeof **keys);
	*vals = malloc(cap * sizeof **vals);
	if (!*keys || !*vals) {
		free(*keys);
		free(*vals);
		return false;
	}
	memset(*vals, 0xff, cap * sizeof **vals); /* AP_CG_NONE: empty */
	return true;
}

bool cg_map_init(struct cg_map *m, size_t expect)
{
	m->n = 0;
	m->cap = pow2_for(expect);
	if (alloc_slots(m->cap, &m->keys, &m->vals))
		return true;
	m->cap = 0;
	return false;
}

void cg_map_fini(struct cg_map *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

static bool grow(struct cg_map *m)
{
	size_t nc = m->cap * 2;
	uint64_t *k;
	uint32_t *v;
	if (!alloc_slots(nc, &k, &v))
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->vals[i] == AP_CG_NONE)
			continue;
		size_t j = mix(m->keys[i]) & (nc - 1);
		while (v[j] != AP_CG_NONE)
			j = (j + 1) & (nc - 1);
		k[j] = m->keys[i];
		v[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = k;
	m->vals = v;
	m->cap = nc;
	return true;
}

uint32_t cg_map_get(const struct cg_map *m, uint64_t key)
{
	size_t mask = m->cap - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		if (m->vals[i] == AP_CG_NONE || m->keys[i] == key)
			return m->vals[i];
	}
}

uint32_t cg_map_find(const struct cg_map *m, uint64_t h, cg_map_eq eq, const void *ctx)
{
	size_t mask = m->cap - 1;
	for (size_t i = mix(h) & mask;; i = (i + 1) & mask) {
		if (m->vals[i] == AP_CG_NONE)
			return AP_CG_NONE;
		if (m->keys[i] == h && eq(ctx, m->vals[i]))
			return m->vals[i];
	}
}

/* Slot for key: its own when replace and present, else the first empty one. */
static bool insert(struct cg_map *m, uint64_t key, uint32_t v, bool replace)
{
	if ((m->n + 1) * 2 > m->cap && !grow(m))
		return false;
	size_t mask = m->cap - 1;
	size_t i = mix(key) & mask;
	while (m->vals[i] != AP_CG_NONE && !(replace && m->keys[i] == key))
		i = (i + 1) & mask;
	if (m->vals[i] == AP_CG_NONE)
		m->n++;
	m->keys[i] = key;
	m->vals[i] = v;
	return true;
}

bool cg_map_put(struct cg_map *m, uint64_t key, uint32_t v)
{
	return insert(m, key, v, true);
}

bool cg_map_add(struct cg_map *m, uint64_t h, uint32_t v)
{
	return insert(m, h, v, false);
}
