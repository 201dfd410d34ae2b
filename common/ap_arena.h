/* A bump allocator with a hard byte cap. Each parsed artifact (one DEX, one manifest, one ELF)
 * owns one; closing the artifact frees everything at once. Hitting the cap returns NULL and sets
 * limit_hit, which the owner turns into AP_ERR_LIMIT plus an anomaly. */
#ifndef AP_ARENA_H
#define AP_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct ap_arena_block;

struct ap_arena {
	struct ap_arena_block *head;
	size_t used; /* bytes handed out, including block headers */
	size_t cap;  /* hard cap on used */
	bool limit_hit;
};

struct ap_arena *ap_arena_new(size_t cap);
void ap_arena_free(struct ap_arena *a); /* NULL is a no-op */

/* n bytes, 16-byte aligned, zeroed. NULL when the cap would be passed or malloc fails. */
void *ap_arena_alloc(struct ap_arena *a, size_t n);
/* count * size bytes with overflow check. */
void *ap_arena_calloc(struct ap_arena *a, size_t count, size_t size);
/* Copies n bytes and adds a NUL. */
char *ap_arena_strndup(struct ap_arena *a, const char *s, size_t n);
char *ap_arena_strdup(struct ap_arena *a, const char *s);

#endif
