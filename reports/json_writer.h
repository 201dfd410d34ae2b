/* A streaming JSON writer into an ap_buf: no tree, no allocation of its own. Its output is
 * byte-identical to json-c 0.16's json_object_to_json_string_ext() for the same values in the
 * same order (layout, string escaping, numbers), so the reports did not change when they stopped
 * building json-c trees (issue 9); tests/unit/reports/test_json_writer.c holds it to that. */
#ifndef AP_JSON_WRITER_H
#define AP_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ap_buf.h"

/* Layout flags, named after json-c's JSON_C_TO_STRING_* (0 = PLAIN). */
#define AP_JW_PRETTY 1u  /* newlines, two-space indent */
#define AP_JW_SPACED 2u  /* ": " after keys; without PRETTY also "{ " ", " " }" */
#define AP_JW_SLASH 4u   /* escape '/' as "\/" (json-c without NOSLASHESCAPE) */

struct ap_jw {
	struct ap_buf *out;
	unsigned flags;
	int level;      /* open containers (plus the start level) */
	bool had;       /* the innermost open container already has a member */
	bool after_key; /* a key was written, its value comes next */
};

/* Starts writing into out. level > 0 renders a value that json-c would print nested that deep
 * (its members indented level + 1 steps), to be spliced in with ap_jw_raw by another writer. */
void ap_jw_init(struct ap_jw *w, struct ap_buf *out, unsigned flags, int level);

void ap_jw_obj(struct ap_jw *w);
void ap_jw_obj_end(struct ap_jw *w);
void ap_jw_arr(struct ap_jw *w);
void ap_jw_arr_end(struct ap_jw *w);
/* An object member's name; the next call writes its value. */
void ap_jw_key(struct ap_jw *w, const char *k);

/* A string value (NULL writes null). ap_jw_strn may hold any byte, NUL included. */
void ap_jw_str(struct ap_jw *w, const char *s);
void ap_jw_strn(struct ap_jw *w, const char *s, size_t n);
void ap_jw_i64(struct ap_jw *w, int64_t v);
void ap_jw_u64(struct ap_jw *w, uint64_t v);
/* json-c's default double: "%.17g", ".0" added to integral values, NaN, Infinity, -Infinity. */
void ap_jw_double(struct ap_jw *w, double v);
void ap_jw_bool(struct ap_jw *w, bool v);
void ap_jw_null(struct ap_jw *w);
/* A value written verbatim (a preformatted number, or a value rendered by another writer). */
void ap_jw_raw(struct ap_jw *w, const char *text, size_t n);

/* A member in one call: ap_jw_key then the value. */
void ap_jw_kstr(struct ap_jw *w, const char *k, const char *s);
void ap_jw_ki64(struct ap_jw *w, const char *k, int64_t v);
void ap_jw_ku64(struct ap_jw *w, const char *k, uint64_t v);
void ap_jw_kbool(struct ap_jw *w, const char *k, bool v);

#endif
