/* Small text helpers shared by the decoders of escapes: JNI-mangled names (\_0xxxx units) and
 * the \uXXXX and \xNN escapes of our own reports read back. */
#ifndef AP_TEXT_H
#define AP_TEXT_H

#include <stddef.h>

/* The value of one hex digit, -1 when c is not one. */
static inline int ap_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Writes the BMP code point cp (< 0x10000) as UTF-8 to d; returns the bytes written (1..3).
 * Surrogates are written as they are (CESU-style), as the escapes that produce them carry them. */
static inline size_t ap_utf8_put(char *d, unsigned cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	d[0] = (char)(0xe0 | ((cp >> 12) & 0x0f));
	d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

#endif
