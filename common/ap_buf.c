/* Capped growing buffer and the one escaper for attacker-controlled strings. */
#include "ap_buf.h"

#include "ap_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap_buf_init(struct ap_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->failed = false;
}

void ap_buf_free(struct ap_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}

void ap_buf_reset(struct ap_buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data)
		b->data[0] = '\0';
}

char *ap_buf_take(struct ap_buf *b)
{
	char *d = b->data;
	if (!d)
		d = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = false;
	return d;
}

static bool grow(struct ap_buf *b, size_t extra)
{
	size_t max = b->max ? b->max : AP_MAX_BUF_DEFAULT;
	if (b->failed)
		return false;
	if (extra > max || b->len > max - extra) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	char *p = realloc(b->data, ncap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = ncap;
	return true;
}

bool ap_buf_add(struct ap_buf *b, const void *p, size_t n)
{
	if (!grow(b, n))
		return false;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

bool ap_buf_adds(struct ap_buf *b, const char *s)
{
	return ap_buf_add(b, s, strlen(s));
}

bool ap_buf_addc(struct ap_buf *b, char c)
{
	return ap_buf_add(b, &c, 1);
}

bool ap_buf_vaddf(struct ap_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = true;
		return false;
	}
	if ((size_t)n < sizeof(small))
		return ap_buf_add(b, small, (size_t)n);
	if (!grow(b, (size_t)n))
		return false;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return true;
}

bool ap_buf_addf(struct ap_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ok = ap_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return ok;
}

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. Rejects overlongs and
 * surrogates so the output is valid UTF-8 for JSON and HTML. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Printable ASCII other than the backslash: copied as is. */
static bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

/* Appends a run of plain bytes with one copy. Byte by byte, a run that passes the cap keeps the
 * bytes that fit and then fails: do the same so a capped buffer holds the same prefix. */
static void add_plain_run(struct ap_buf *b, const unsigned char *p, size_t n)
{
	size_t max = b->max ? b->max : AP_MAX_BUF_DEFAULT;
	if (b->failed)
		return;
	if (b->len <= max && n > max - b->len) {
		size_t room = max - b->len;
		ap_buf_add(b, p, room);
		ap_buf_add(b, p + room, 1); /* sets failed */
		return;
	}
	ap_buf_add(b, p, n);
}

bool ap_buf_add_escaped(struct ap_buf *b, const char *s, size_t n, size_t max_in)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t lim = (max_in && n > max_in) ? max_in : n;
	size_t i = 0;
	while (i < lim) {
		unsigned char c = u[i];
		if (plain_byte(c)) {
			size_t j = i + 1;
			while (j < lim && plain_byte(u[j]))
				j++;
			add_plain_run(b, u + i, j - i);
			i = j;
		} else if (c == '\\') {
			ap_buf_add(b, "\\\\", 2);
			i++;
		} else if (c == '\n') {
			ap_buf_add(b, "\\n", 2);
			i++;
		} else if (c == '\r') {
			ap_buf_add(b, "\\r", 2);
			i++;
		} else if (c == '\t') {
			ap_buf_add(b, "\\t", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			ap_buf_addf(b, "\\x%02x", c);
			i++;
		} else {
			size_t l = utf8_len(u + i, lim - i);
			if (l == 0) {
				ap_buf_addf(b, "\\x%02x", c);
				i++;
			} else {
				/* U+0085, U+2028, U+2029 break lines in some viewers */
				if ((l == 2 && c == 0xc2 && u[i + 1] == 0x85) ||
				    (l == 3 && c == 0xe2 && u[i + 1] == 0x80 &&
				     (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)))
					ap_buf_addf(b, "\\u%s", l == 2 ? "0085" : (u[i + 2] == 0xa8 ? "2028" : "2029"));
				else
					ap_buf_add(b, u + i, l);
				i += l;
			}
		}
	}
	if (lim < n)
		ap_buf_add(b, "...", 3);
	return !b->failed;
}
