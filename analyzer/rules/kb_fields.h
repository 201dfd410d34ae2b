/* Field-by-field descriptions of the kb's row structs, shared by kb_gen (which writes each table as
 * C source) and the unit test that compares the compiled kb with the text loader: one list of
 * fields to keep current, which the test also checks against the struct layouts. */
#ifndef AP_KB_FIELDS_H
#define AP_KB_FIELDS_H

#include <stddef.h>

#include "analyzer/rules/kb_int.h"

enum kb_ftype {
	KB_F_STR,  /* const char * (NULL kept apart from "") */
	KB_F_STRS, /* struct ap_kb_strs */
	KB_F_INT,  /* int, enum or unsigned of sizeof(int) */
	KB_F_I32,  /* int32_t */
	KB_F_BOOL,
	KB_F_BYTE, /* unsigned char */
};

struct kb_field {
	const char *name;
	size_t off, size;
	enum kb_ftype type;
};

struct kb_struct_desc {
	const char *type; /* "struct ap_kb_sdk" */
	size_t size;
	const struct kb_field *f;
	size_t n;
};

/* One table of rows in a loaded kb: the variable kb_gen names it, its layout, the rows. */
struct kb_table {
	const char *var; /* "kb_sdks" */
	const struct kb_struct_desc *d;
	const void *rows;
	size_t n;
};

#define KB_N_TABLES 12
/* Fills t[KB_N_TABLES] with the row tables of kb, in a fixed order. */
void kb_tables_of(const struct ap_kb *kb, struct kb_table *t);
/* Value of an integer-like field of a row (KB_F_INT, I32, BOOL, BYTE). */
long kb_field_int(const void *row, const struct kb_field *f);

#endif
