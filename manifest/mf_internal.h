/* Private to manifest/: the string pool shared by AXML and resources.arsc, the chunk header
 * reader, the typed-value renderer and the framework attribute table. */
#ifndef AP_MF_INTERNAL_H
#define AP_MF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ap_cursor.h"

struct ap_arena;
struct ap_anomalies;
struct ap_buf;

#define AP_ANDROID_NS "http://schemas.android.com/apk/res/android"

/* Chunk types (ResChunk_header.type). */
enum {
	RES_NULL_TYPE = 0x0000,
	RES_STRING_POOL_TYPE = 0x0001,
	RES_TABLE_TYPE = 0x0002,
	RES_XML_TYPE = 0x0003,
	RES_XML_START_NAMESPACE_TYPE = 0x0100,
	RES_XML_END_NAMESPACE_TYPE = 0x0101,
	RES_XML_START_ELEMENT_TYPE = 0x0102,
	RES_XML_END_ELEMENT_TYPE = 0x0103,
	RES_XML_CDATA_TYPE = 0x0104,
	RES_XML_RESOURCE_MAP_TYPE = 0x0180,
	RES_TABLE_PACKAGE_TYPE = 0x0200,
	RES_TABLE_TYPE_TYPE = 0x0201,
	RES_TABLE_TYPE_SPEC_TYPE = 0x0202,
	RES_TABLE_LIBRARY_TYPE = 0x0203,
};

/* Res_value data types. */
enum {
	TYPE_NULL = 0x00, TYPE_REFERENCE = 0x01, TYPE_ATTRIBUTE = 0x02, TYPE_STRING = 0x03,
	TYPE_FLOAT = 0x04, TYPE_DIMENSION = 0x05, TYPE_FRACTION = 0x06,
	TYPE_DYNAMIC_REFERENCE = 0x07, TYPE_DYNAMIC_ATTRIBUTE = 0x08,
	TYPE_INT_DEC = 0x10, TYPE_INT_HEX = 0x11, TYPE_INT_BOOLEAN = 0x12,
	TYPE_INT_COLOR_ARGB8 = 0x1c, TYPE_INT_COLOR_RGB8 = 0x1d, TYPE_INT_COLOR_ARGB4 = 0x1e,
	TYPE_INT_COLOR_RGB4 = 0x1f,
};

/* A chunk as located in its parent: [start, start+size) with the header fields as read, after
 * the caller's validation. */
struct mf_chunk {
	size_t start;
	uint16_t type;
	uint16_t header_size;
	uint32_t size;
};

/* Reads the 8-byte ResChunk_header at off in [0, len) and validates it: size is clamped to what
 * is left (anomaly), a size below 8 or a header size past size ends the walk (false, anomaly).
 * On true, the caller must advance by ch->size (>= 8): every step moves forward. */
bool mf_chunk_read(const uint8_t *buf, size_t len, size_t off, const char *module,
		   const char *where, struct ap_anomalies *an, struct mf_chunk *ch);

/* ResStringPool decoded into NUL-terminated UTF-8 strings (control bytes kept; invalid UTF-8/16
 * replaced by U+FFFD; a NUL inside a string ends it). Strings live in the arena. */
struct mf_pool {
	char **str;      /* NULL for a string that could not be read */
	uint32_t count;
	bool utf8;
};

/* Decodes the pool chunk at [ch->start, +ch->size) of buf. Tolerates a tampered string count or
 * offsets (bounded by the chunk, anomalies). false only when the arena cap is hit. */
bool mf_pool_read(const uint8_t *buf, size_t len, const struct mf_chunk *ch, const char *module,
		  const char *where, struct ap_arena *arena, struct ap_anomalies *an,
		  struct mf_pool *pool);
/* The string at index i, or NULL when out of range/unreadable (an accessor, never a raw index). */
const char *mf_pool_get(const struct mf_pool *pool, uint32_t i);

/* Renders a typed value the way aapt/apktool print it: "@0x7f0c001b", "?0x01010000", "true",
 * "0x10", "#ff00ff00", "12.0dip", ... (not for TYPE_STRING). */
void mf_render_value(uint8_t type, uint32_t data, char *out, size_t outsz);

struct ap_arsc;
/* The value of resid for locale (see ap_arsc_string), references followed (bounded). */
bool mf_arsc_value(const struct ap_arsc *arsc, uint32_t resid, const char *locale,
		   uint8_t *type, uint32_t *data);
/* String number i of the table's global pool, or NULL. */
const char *mf_arsc_pool_string(const struct ap_arsc *arsc, uint32_t i);

/* Framework attribute name for a resource id (0x0101xxxx), or NULL. */
const char *mf_attr_name(uint32_t resid);

#endif
