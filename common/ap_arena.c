/* Capped bump allocator: large requests get their own block, small ones share 64 KiB blocks. */
#include "ap_arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64u * 1024u)
#define ALIGN 16u

struct ap_arena_block {
	struct ap_arena_block *next;
	size_t size; /* usable bytes in data */
	size_t pos;
	_Alignas(16) unsigned char data[];
};

struct ap_arena *ap_arena_new(size_t cap)
{
	struct ap_arena *a = calloc(1, sizeof(*a));
	if (a)
		a->cap = cap;
	return a;
}

void ap_arena_free(struct ap_arena *a)
{
	if (!a)
		return;
	struct ap_arena_block *b = a->head;
	while (b) {
		struct ap_arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

static struct ap_arena_block *new_block(struct ap_arena *a, size_t size)
{
	size_t total = sizeof(struct ap_arena_block) + size;
	if (total < size || total > a->cap - a->used || a->used > a->cap) {
		a->limit_hit = true;
		return NULL;
	}
	struct ap_arena_block *b = malloc(total);
	if (!b)
		return NULL;
	b->size = size;
	b->pos = 0;
	a->used += total;
	return b;
}

void *ap_arena_alloc(struct ap_arena *a, size_t n)
{
	if (!a)
		return NULL;
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	struct ap_arena_block *b = a->head;
	if (!b || need > b->size - b->pos) {
		if (need > BLOCK_SIZE / 4) {
			/* big request: own block, linked behind the current head so the head keeps
			 * serving small requests */
			struct ap_arena_block *big = new_block(a, need);
			if (!big)
				return NULL;
			big->pos = need;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				big->next = NULL;
				a->head = big;
			}
			memset(big->data, 0, need);
			return big->data;
		}
		b = new_block(a, BLOCK_SIZE);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->pos;
	b->pos += need;
	memset(p, 0, need);
	return p;
}

void *ap_arena_calloc(struct ap_arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return ap_arena_alloc(a, count * size);
}

char *ap_arena_strndup(struct ap_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = ap_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ap_arena_strdup(struct ap_arena *a, const char *s)
{
	return ap_arena_strndup(a, s, strlen(s));
}
