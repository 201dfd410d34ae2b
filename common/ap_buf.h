/* A growing byte/string buffer with a size cap (after curl's dynbuf). Failure is sticky: once
 * an append fails (cap or OOM), later appends do nothing and `failed` stays set. data is always
 * NUL-terminated when non-NULL. */
#ifndef AP_BUF_H
#define AP_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_buf {
	char *data;
	size_t len;
	size_t cap;   /* allocated */
	size_t max;   /* hard cap on len; 0 means AP_MAX_BUF_DEFAULT */
	bool failed;
};

#define AP_BUF_INIT {NULL, 0, 0, 0, false}

void ap_buf_init(struct ap_buf *b, size_t max);
void ap_buf_free(struct ap_buf *b);
void ap_buf_reset(struct ap_buf *b); /* len = 0, keeps memory, clears failed */
/* Hands the NUL-terminated data to the caller (free() it) and resets b. */
char *ap_buf_take(struct ap_buf *b);

bool ap_buf_add(struct ap_buf *b, const void *p, size_t n);
bool ap_buf_adds(struct ap_buf *b, const char *s);
bool ap_buf_addc(struct ap_buf *b, char c);
bool ap_buf_addf(struct ap_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool ap_buf_vaddf(struct ap_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Appends attacker-controlled bytes so that one line stays one line: printable ASCII and valid
 * UTF-8 pass through, backslash becomes \\, \n \r \t are written as such, other control bytes
 * and invalid UTF-8 become \xNN. At most max_in input bytes are read (0 = all), the rest is
 * replaced by "...". */
bool ap_buf_add_escaped(struct ap_buf *b, const char *s, size_t n, size_t max_in);

#endif
