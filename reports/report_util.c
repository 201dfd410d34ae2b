/* Escaping and ordering shared by every renderer, so a string from the APK reads the same in
 * the JSON, the terminal, SARIF and HTML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap_err.h"
#include "ap_limits.h"
#include "reports/report_util.h"
#include "reports/swar.h"

/* Length of a code point that must not reach any output raw (C1 control, U+200E/F, bidi
 * embeddings, overrides and isolates, U+2028/9), 0 otherwise; *cp gets the code point. The lead
 * bytes C2 and E2 are never continuation bytes, so matching them anywhere agrees with a decoder. */
static size_t hazard(const unsigned char *u, size_t n, unsigned *cp)
{
	if (n >= 2 && u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
		*cp = u[1];
		return 2;
	}
	if (n >= 3 && u[0] == 0xe2 && (u[1] == 0x80 || u[1] == 0x81)) {
		unsigned c = 0x2000u | ((unsigned)(u[1] & 0x3f) << 6) | (u[2] & 0x3fu);
		if ((u[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069)) {
			*cp = c;
			return 3;
		}
	}
	return 0;
}

size_t ap_rep_plain_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t x = ap_swar_load(u + i);
		if (ap_swar_any_below(x, 0x20) || ap_swar_any_high(x) || ap_swar_any_eq(x, 0x7f) ||
		    ap_swar_any_eq(x, '\\'))
			break;
	}
	while (i < n && u[i] >= 0x20 && u[i] < 0x7f && u[i] != '\\')
		i++;
	return i;
}

void ap_rep_esc(struct ap_buf *b, const char *s, size_t cap)
{
	if (!s)
		return;
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), lim = n;
	if (cap && n > cap) {
		lim = cap;
		while (lim > 0 && (u[lim] & 0xc0) == 0x80)
			lim--;
	}
	/* The common case, plain ASCII, in one copy (ap_buf_add_escaped would copy it as is). */
	size_t start = ap_rep_plain_len(s, lim), i = start;
	size_t max = b->max ? b->max : AP_MAX_BUF_DEFAULT;
	if (b->failed || b->len > max || start > max - b->len)
		start = i = 0; /* near the cap: ap_buf_add_escaped keeps the prefix that fits */
	ap_buf_add(b, s, start);
	while (i < lim) {
		if (u[i] != 0xc2 && u[i] != 0xe2) { /* the only lead bytes hazard() matches */
			i++;
			continue;
		}
		unsigned cp;
		size_t l = hazard(u + i, lim - i, &cp);
		if (!l) {
			i++;
			continue;
		}
		ap_buf_add_escaped(b, s + start, i - start, 0);
		ap_buf_addf(b, "\\u%04x", cp);
		i += l;
		start = i;
	}
	ap_buf_add_escaped(b, s + start, lim - start, 0);
	if (lim < n)
		ap_buf_add(b, "...", 3);
}

const char *ap_rep_escd(struct ap_buf *tmp, const char *s, size_t cap)
{
	ap_buf_reset(tmp);
	ap_rep_esc(tmp, s, cap);
	return tmp->data && !tmp->failed ? tmp->data : "";
}

void ap_rep_html_raw(struct ap_buf *b, const char *s)
{
	if (!s)
		return;
	size_t start = 0, i = 0;
	for (; s[i]; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		ap_buf_add(b, s + start, i - start);
		ap_buf_adds(b, rep);
		start = i + 1;
	}
	ap_buf_add(b, s + start, i - start);
}

void ap_rep_html(struct ap_buf *b, const char *s, size_t cap)
{
	if (!s)
		return;
	struct ap_buf tmp = AP_BUF_INIT;
	ap_buf_init(&tmp, 0);
	ap_rep_esc(&tmp, s, cap);
	if (tmp.failed)
		b->failed = true;
	else
		ap_rep_html_raw(b, tmp.data);
	ap_buf_free(&tmp);
}

void ap_rep_num(char *dst, size_t n, double v)
{
	if (!(v == v)) /* NaN */
		v = 0;
	snprintf(dst, n, "%.2f", v);
	char *dot = strchr(dst, '.');
	if (!dot)
		return;
	char *e = dst + strlen(dst) - 1;
	while (e > dot && *e == '0')
		*e-- = '\0';
	if (e == dot)
		*e = '\0';
	if (strcmp(dst, "-0") == 0)
		memcpy(dst, "0", 2);
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const struct ap_report *r, size_t ia, size_t ib)
{
	const struct ap_finding *a = &r->findings[ia], *b = &r->findings[ib];
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->points != b->points)
		return a->points > b->points ? -1 : 1;
	int c = cmp_str(a->rule, b->rule);
	if (c)
		return c;
	return ia < ib ? -1 : ia > ib;
}

size_t *ap_rep_finding_order(const struct ap_report *r)
{
	if (!r->n_findings)
		return NULL;
	size_t *idx = malloc(r->n_findings * sizeof *idx);
	if (!idx)
		return NULL;
	/* Insertion sort: findings are capped (AP_MAX_FINDINGS) and it needs no global context,
	 * unlike qsort, so renderers stay thread-safe. */
	for (size_t i = 0; i < r->n_findings; i++) {
		size_t j = i;
		while (j > 0 && cmp_finding(r, idx[j - 1], i) > 0) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = i;
	}
	return idx;
}

const char *ap_rep_entry_name(unsigned i)
{
	static const char *const names[] = {"startup", "background", "ui"};
	return i < 3 ? names[i] : "?";
}

uint64_t ap_rep_fnv(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	h ^= 0;
	h *= 0x100000001b3ull;
	return h;
}

int ap_rep_result(const struct ap_buf *out)
{
	return out->failed ? AP_ERR_LIMIT : AP_OK;
}
