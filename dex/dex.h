/* The DEX module's public API: a bounds-checked parser of one DEX file (versions 035..041), a
 * decoder of every Dalvik instruction, and the per-method index (call sites, string loads, field
 * accesses, type references) that the privacy analysis queries. Knows nothing of privacy. */
#ifndef AP_DEX_H
#define AP_DEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_anomalies;
struct ap_buf;
struct ap_dex;

#define AP_DEX_NO_INDEX 0xffffffffu

/* dex: header_item, plus what we checked about it */
struct ap_dex_header {
	char magic[8];          /* "dex\n035\0" ... as in the file (may be garbage) */
	unsigned version;       /* 35..41; 0 when the magic is not a DEX version we know */
	uint32_t checksum;      /* adler32 as stored */
	uint32_t checksum_real; /* adler32 of bytes 12..end */
	bool checksum_ok;
	uint8_t signature[20];  /* SHA-1 as stored */
	bool signature_checked; /* false when opened with AP_DEX_OPEN_NO_SIGNATURE */
	bool signature_ok;      /* SHA-1 of bytes 32..end matches (false when not checked) */
	uint32_t file_size;     /* as stored */
	size_t real_size;       /* bytes we were given */
	uint32_t header_size, endian_tag;
	uint32_t link_size, link_off, map_off;
	uint32_t string_ids_size, string_ids_off;
	uint32_t type_ids_size, type_ids_off;
	uint32_t proto_ids_size, proto_ids_off;
	uint32_t field_ids_size, field_ids_off;
	uint32_t method_ids_size, method_ids_off;
	uint32_t class_defs_size, class_defs_off;
	uint32_t data_size, data_off;
};

/* Counts of what was actually loaded (a table cut short by EOF holds fewer than its header says). */
struct ap_dex_counts {
	uint32_t strings, types, protos, fields, methods, class_defs;
	uint32_t call_site_ids, method_handles;
	uint32_t method_defs;  /* encoded_methods over all class_data (direct + virtual) */
	uint32_t code_items;   /* method defs with code decoded */
	uint64_t code_units;   /* 16-bit code units decoded */
	uint32_t calls, string_loads, field_refs, type_refs;
};

struct ap_dex_proto {
	uint32_t shorty_idx;      /* string index */
	uint32_t return_type_idx; /* type index */
	const uint32_t *params;   /* type indices */
	uint32_t n_params;
};

struct ap_dex_field_id {
	uint32_t class_idx, type_idx, name_idx; /* type, type, string */
};

struct ap_dex_method_id {
	uint32_t class_idx, proto_idx, name_idx; /* type, proto, string */
};

/* One encoded_method of some class_data_item: a method a class defines. */
struct ap_dex_method {
	uint32_t method_idx;
	uint32_t access;        /* ACC_* flags */
	uint32_t code_off;      /* 0: abstract or native */
	uint32_t class_def;     /* index of the defining class_def */
	bool direct;            /* direct_methods list (static, private, constructors) */
	bool has_code;          /* a code_item was read and its instructions decoded */
	uint16_t registers, ins, outs, tries;
	uint32_t insns_size;    /* in 16-bit code units */
	uint32_t insns_off;     /* byte offset of insns[] in the file */
	/* this method's slice of the index arrays: [first, first + n) */
	uint32_t calls_first, calls_n;
	uint32_t strings_first, strings_n;
	uint32_t fields_first, fields_n;
	uint32_t types_first, types_n;
};

struct ap_dex_field {
	uint32_t field_idx;
	uint32_t access;
	bool is_static;
};

/* One class_def_item with its class_data decoded. */
struct ap_dex_class {
	uint32_t class_idx;         /* type index */
	uint32_t access;
	uint32_t superclass_idx;    /* type index or AP_DEX_NO_INDEX (java.lang.Object) */
	const uint32_t *interfaces; /* type indices */
	uint32_t n_interfaces;
	uint32_t source_file_idx;   /* string index or AP_DEX_NO_INDEX */
	uint32_t annotations_off, class_data_off, static_values_off;
	uint32_t methods_first;     /* into ap_dex_method_def(): direct ones then virtual ones */
	uint32_t n_direct, n_virtual;
	const struct ap_dex_field *fields; /* static then instance */
	uint32_t n_static_fields, n_instance_fields;
	bool duplicate;             /* an earlier class_def defines the same type (first wins) */
};

/* The index. caller is the method_idx of the method whose code holds the instruction; pc is in
 * 16-bit code units from the start of its insns. pc and opcode share one word (pc < 2^24: a
 * method has at most AP_MAX_CODE_UNITS units), which keeps these arrays, the bulk of the model,
 * 20-25% smaller; read them as values (their address cannot be taken). */
struct ap_dex_call {
	uint32_t caller;
	uint32_t pc : 24;
	uint32_t opcode : 8;
	uint32_t callee; /* method_idx; invoke-custom: the bootstrap method handle's method, or NO_INDEX */
	uint32_t aux;    /* invoke-polymorphic: proto_idx; invoke-custom: call_site_idx; else NO_INDEX */
};
struct ap_dex_string_load {
	uint32_t caller, pc, string_idx;
};
struct ap_dex_field_ref { /* iget*, iput*, sget*, sput* */
	uint32_t caller;
	uint32_t pc : 24;
	uint32_t opcode : 8;
	uint32_t field_idx;
};
struct ap_dex_type_ref { /* new-instance, const-class, check-cast, instance-of, new-array, filled-new-array */
	uint32_t caller;
	uint32_t pc : 24;
	uint32_t opcode : 8;
	uint32_t type_idx;
};

/* ---- opening ---------------------------------------------------------------------------- */

/* Parses buf as one DEX file. Borrows buf: buf must outlive dex. name is the entry name used in
 * anomalies ("classes2.dex"); an may be NULL. Everything is decoded in one pass: header, ids,
 * classes, code, the index; only the lookup tables (ap_dex_calls_to, ap_dex_loads_of,
 * ap_dex_accesses_of, ap_dex_refs_to_type, ap_dex_methods_of_type, ap_dex_method_by_idx) are
 * built on their first query, so an must outlive dex and one dex must not be queried from two
 * threads at once. Hostile input becomes anomalies (module "dex") and the rest is
 * still used: returns AP_OK with *out even then; AP_ERR_FORMAT (and *out NULL) only when the
 * buffer is not a DEX at all (too short for a header or no "dex\n" magic), AP_ERR_NOMEM when the
 * allocator fails. AP_ERR_LIMIT is returned with a partial *out when a cap was hit. The arena is
 * capped at AP_MAX_DEX_ARENA_FACTOR * len + 16 MiB. */
int ap_dex_open(const uint8_t *buf, size_t len, const char *name, struct ap_anomalies *an,
		struct ap_dex **out);
void ap_dex_close(struct ap_dex *dex); /* NULL is a no-op */

/* Skip the SHA-1 signature check at open (ART never checks it; it costs about as much as the
 * rest of the parse). ap_dex_verify_signature() does it later on demand. */
#define AP_DEX_OPEN_NO_SIGNATURE 0x1u
int ap_dex_open_ex(const uint8_t *buf, size_t len, const char *name, struct ap_anomalies *an,
		   unsigned flags, struct ap_dex **out);
/* Checks the signature now if it was skipped (an anomaly when it does not match). */
bool ap_dex_verify_signature(struct ap_dex *dex);

const struct ap_dex_header *ap_dex_header(const struct ap_dex *dex);
const struct ap_dex_counts *ap_dex_counts(const struct ap_dex *dex);
const char *ap_dex_name(const struct ap_dex *dex);
/* Bytes held by the model (arena plus index arrays). */
size_t ap_dex_mem_used(const struct ap_dex *dex);

/* ---- strings (MUTF-8 decoded to UTF-8) -------------------------------------------------- */

/* String idx as UTF-8, NUL-terminated, or NULL when out of range or unreadable. MUTF-8 C0 80
 * becomes a real NUL byte (so use ap_dex_string_len), a surrogate pair becomes one 4-byte UTF-8
 * sequence, a lone surrogate stays a 3-byte sequence (not valid UTF-8: ap_buf_add_escaped
 * escapes it as \xNN). */
const char *ap_dex_string(const struct ap_dex *dex, uint32_t idx);
size_t ap_dex_string_len(const struct ap_dex *dex, uint32_t idx);
/* Index of the string equal to s (NUL-terminated UTF-8), or -1. Binary search; a file whose
 * string_ids are not sorted is searched through a sorted copy of the indices. */
int64_t ap_dex_find_string(const struct ap_dex *dex, const char *s);
/* Appends string idx escaped (one line stays one line); "<bad string N>" when out of range. */
void ap_dex_add_string_escaped(const struct ap_dex *dex, uint32_t idx, struct ap_buf *b);

/* ---- ids -------------------------------------------------------------------------------- */

/* Type descriptor ("Lpkg/Class;", "[I"), or NULL when out of range. */
const char *ap_dex_type(const struct ap_dex *dex, uint32_t type_idx);
/* Type index of a descriptor, or -1. */
int64_t ap_dex_find_type(const struct ap_dex *dex, const char *descriptor);
const struct ap_dex_proto *ap_dex_proto(const struct ap_dex *dex, uint32_t proto_idx);
const struct ap_dex_field_id *ap_dex_field_id(const struct ap_dex *dex, uint32_t field_idx);
const struct ap_dex_method_id *ap_dex_method_id(const struct ap_dex *dex, uint32_t method_idx);

/* Smali-style references into b: "Lpkg/Class;->name(ARGS)RET", "Lpkg/Class;->name:TYPE",
 * "(ARGS)RET". Out-of-range parts print as "<bad type N>" etc. Not escaped: pass the result
 * through ap_buf_add_escaped before output. */
void ap_dex_format_method(const struct ap_dex *dex, uint32_t method_idx, struct ap_buf *b);
void ap_dex_format_field(const struct ap_dex *dex, uint32_t field_idx, struct ap_buf *b);
void ap_dex_format_proto(const struct ap_dex *dex, uint32_t proto_idx, struct ap_buf *b);

/* method_ids whose class is descriptor and whose name is name (any proto): writes up to max
 * indices to out, returns how many exist. O(log n) lookups plus the matches. */
size_t ap_dex_find_methods(const struct ap_dex *dex, const char *class_descriptor,
			   const char *name, uint32_t *out, size_t max);
/* All method_ids of a class type (defined here or only referenced), as a slice. */
const uint32_t *ap_dex_methods_of_type(const struct ap_dex *dex, uint32_t type_idx, size_t *n);

/* ---- classes ---------------------------------------------------------------------------- */

uint32_t ap_dex_class_count(const struct ap_dex *dex);
const struct ap_dex_class *ap_dex_class_def(const struct ap_dex *dex, uint32_t class_def_idx);
uint32_t ap_dex_method_def_count(const struct ap_dex *dex);
const struct ap_dex_method *ap_dex_method_def(const struct ap_dex *dex, uint32_t i);
/* The class_def defining a type (the first one, as ART), or NULL. */
const struct ap_dex_class *ap_dex_class_by_type(const struct ap_dex *dex, uint32_t type_idx);
const struct ap_dex_class *ap_dex_class_by_descriptor(const struct ap_dex *dex, const char *desc);
/* The defining method of method_idx in this DEX (the first class_def wins), or NULL. */
const struct ap_dex_method *ap_dex_method_by_idx(const struct ap_dex *dex, uint32_t method_idx);

/* dex: encoded_value, as read from static_values or a call site. Arrays and annotations are not
 * expanded: off points at them. */
enum ap_dex_value_type {
	AP_DEXV_BYTE = 0x00, AP_DEXV_SHORT = 0x02, AP_DEXV_CHAR = 0x03, AP_DEXV_INT = 0x04,
	AP_DEXV_LONG = 0x06, AP_DEXV_FLOAT = 0x10, AP_DEXV_DOUBLE = 0x11,
	AP_DEXV_METHOD_TYPE = 0x15, AP_DEXV_METHOD_HANDLE = 0x16, AP_DEXV_STRING = 0x17,
	AP_DEXV_TYPE = 0x18, AP_DEXV_FIELD = 0x19, AP_DEXV_METHOD = 0x1a, AP_DEXV_ENUM = 0x1b,
	AP_DEXV_ARRAY = 0x1c, AP_DEXV_ANNOTATION = 0x1d, AP_DEXV_NULL = 0x1e, AP_DEXV_BOOLEAN = 0x1f,
};
struct ap_dex_value {
	uint8_t type;  /* enum ap_dex_value_type */
	uint64_t u;    /* raw value (sign-extended for signed types; float/double bits left-aligned
	                  as the format stores them, then shifted back); an index for the id types */
	uint32_t off;  /* byte offset of the value (of its header byte) */
};
/* Static field initial values of a class (the encoded_array at static_values_off): writes up to
 * max values, returns how many the array holds (0 when none or unreadable). */
size_t ap_dex_static_values(const struct ap_dex *dex, uint32_t class_def_idx,
			    struct ap_dex_value *out, size_t max);

/* ---- hierarchy -------------------------------------------------------------------------- */

/* Superclass type index of a type defined here, or AP_DEX_NO_INDEX. */
uint32_t ap_dex_superclass(const struct ap_dex *dex, uint32_t type_idx);
/* Whether type_idx is ancestor_idx or inherits from it (superclass chain and interfaces, within
 * this DEX; a chain leaving the DEX stops there). Bounded against cycles. */
bool ap_dex_is_subtype(const struct ap_dex *dex, uint32_t type_idx, uint32_t ancestor_idx);
/* For a method defined by a class here: the method_idx it overrides or implements in the nearest
 * superclass or interface whose declaration is visible in this DEX (same name and proto, not
 * private/static/constructor), or AP_DEX_NO_INDEX. Method refs to framework classes are visible
 * through method_ids even when the class is not defined here. */
uint32_t ap_dex_overridden(const struct ap_dex *dex, const struct ap_dex_method *m);

/* ART's rule for several DEX files (classes.dex, classes2.dex, ...): the first file that defines
 * a class wins. Returns the index into dexes of that file and the class, or -1/NULL. */
int ap_dex_multi_find_class(struct ap_dex *const *dexes, size_t n, const char *descriptor,
			    const struct ap_dex_class **cls);

/* ---- instructions ----------------------------------------------------------------------- */

enum ap_dex_fmt {
	AP_FMT_10x, AP_FMT_12x, AP_FMT_11n, AP_FMT_11x, AP_FMT_10t, AP_FMT_20t, AP_FMT_22x,
	AP_FMT_21t, AP_FMT_21s, AP_FMT_21h, AP_FMT_21c, AP_FMT_23x, AP_FMT_22b, AP_FMT_22t,
	AP_FMT_22s, AP_FMT_22c, AP_FMT_30t, AP_FMT_32x, AP_FMT_31i, AP_FMT_31t, AP_FMT_31c,
	AP_FMT_35c, AP_FMT_3rc, AP_FMT_45cc, AP_FMT_4rcc, AP_FMT_51l,
	AP_FMT_PAYLOAD, /* packed-switch, sparse-switch, fill-array-data data (pseudo-instruction) */
};
enum ap_dex_ref {
	AP_REF_NONE, AP_REF_STRING, AP_REF_TYPE, AP_REF_FIELD, AP_REF_METHOD, AP_REF_PROTO,
	AP_REF_CALL_SITE, AP_REF_METHOD_HANDLE,
};
struct ap_dex_opinfo {
	const char *name;  /* dexdump/smali mnemonic: "invoke-virtual/range" */
	uint8_t fmt;       /* enum ap_dex_fmt */
	uint8_t width;     /* code units */
	uint8_t ref;       /* enum ap_dex_ref of the index operand */
	bool invoke;
};
const struct ap_dex_opinfo *ap_dex_opinfo(uint8_t opcode);

struct ap_dex_insn {
	uint8_t opcode;
	uint8_t fmt;         /* enum ap_dex_fmt */
	uint32_t width;      /* code units, payloads included */
	uint32_t a, b, c;    /* register operands vA vB vC as the format defines them */
	uint32_t args[5];    /* 35c/45cc argument registers */
	uint32_t n_args;     /* 35c/45cc: count; 3rc/4rcc: count (first register in c) */
	uint32_t index;      /* string/type/field/method/proto/call site/handle index, or NO_INDEX */
	uint32_t index2;     /* 45cc/4rcc: proto index */
	int64_t literal;     /* 11n 21s 21h 31i 51l 22b 22s (21h already shifted) */
	int32_t branch;      /* 10t 20t 30t 21t 22t 31t: relative target in code units */
	uint16_t payload;    /* AP_FMT_PAYLOAD: 0x0100, 0x0200 or 0x0300 */
};
/* Decodes the instruction at insns[pc] (n code units, already in host order). Returns its width,
 * or 0 when it runs past n (truncated). */
uint32_t ap_dex_insn_decode(const uint16_t *insns, uint32_t n, uint32_t pc, struct ap_dex_insn *out);
/* The same for a method of this DEX, reading straight from the file. */
uint32_t ap_dex_method_insn(const struct ap_dex *dex, const struct ap_dex_method *m, uint32_t pc,
			    struct ap_dex_insn *out);

/* ---- the index -------------------------------------------------------------------------- */

/* Whole arrays in file order of the defining methods (each method's slice is contiguous). */
const struct ap_dex_call *ap_dex_calls(const struct ap_dex *dex, size_t *n);
const struct ap_dex_string_load *ap_dex_string_loads(const struct ap_dex *dex, size_t *n);
const struct ap_dex_field_ref *ap_dex_field_refs(const struct ap_dex *dex, size_t *n);
const struct ap_dex_type_ref *ap_dex_type_refs(const struct ap_dex *dex, size_t *n);

/* Lookups: indices into the arrays above, in file order. */
const uint32_t *ap_dex_calls_to(const struct ap_dex *dex, uint32_t callee_method_idx, size_t *n);
const uint32_t *ap_dex_loads_of(const struct ap_dex *dex, uint32_t string_idx, size_t *n);
const uint32_t *ap_dex_accesses_of(const struct ap_dex *dex, uint32_t field_idx, size_t *n);
const uint32_t *ap_dex_refs_to_type(const struct ap_dex *dex, uint32_t type_idx, size_t *n);

/* Call sites of class->name with any proto: e.g. ("Landroid/telephony/TelephonyManager;",
 * "getDeviceId"). Calls fn for each; returns the count. */
size_t ap_dex_calls_to_named(const struct ap_dex *dex, const char *class_descriptor,
			     const char *name,
			     void (*fn)(const struct ap_dex_call *call, void *ctx), void *ctx);

#endif
