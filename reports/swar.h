/* Byte-class tests on eight bytes at once (SWAR), for the renderers' hot loops: most strings in a
 * report need no escaping, and finding that out a byte at a time was a third of the JSON cost.
 * Each answers "is there any such byte" exactly; byte order does not matter. Internal. */
#ifndef AP_REPORTS_SWAR_H
#define AP_REPORTS_SWAR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define AP_SWAR_ONES 0x0101010101010101ull
#define AP_SWAR_HIGH 0x8080808080808080ull

static inline uint64_t ap_swar_load(const unsigned char *p)
{
	uint64_t x;
	memcpy(&x, p, sizeof x);
	return x;
}

/* Any byte < n, for n <= 0x80. */
static inline bool ap_swar_any_below(uint64_t x, unsigned n)
{
	return ((x - AP_SWAR_ONES * n) & ~x & AP_SWAR_HIGH) != 0;
}

static inline bool ap_swar_any_eq(uint64_t x, unsigned char c)
{
	return ap_swar_any_below(x ^ (AP_SWAR_ONES * c), 1);
}

/* Any byte >= 0x80. */
static inline bool ap_swar_any_high(uint64_t x)
{
	return (x & AP_SWAR_HIGH) != 0;
}

#endif
