/* Growing a malloc'd array: the one helper every module uses instead of its own realloc loop. */
#ifndef AP_VEC_H
#define AP_VEC_H

#include <stdbool.h>
#include <stddef.h>

/* Makes *p (an array of elem-byte items with *cap slots) hold at least need items, doubling
 * from 16. False, with *p and *cap untouched, on overflow or when realloc fails. */
bool ap_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
