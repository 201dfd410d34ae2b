/* Private to manifest/: the libxml2 side. AXML and plain-text XML both become an xmlDoc, and
 * the typed model is read from that tree. */
#ifndef AP_MF_TREE_H
#define AP_MF_TREE_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

struct ap_arena;
struct ap_anomalies;

/* ap_manifest.impl: the arena holding every model string, and the document. */
struct mf_impl {
	struct ap_arena *arena;
	xmlDocPtr doc;
};

/* Binary AXML -> *out (a document with the android: namespace). AP_OK when an element was
 * decoded (tolerated damage is in anomalies); AP_ERR_FORMAT when the bytes are not AXML;
 * AP_ERR_LIMIT when a cap stopped decoding early (a partial document is still returned). */
int mf_axml_to_doc(const uint8_t *buf, size_t len, struct ap_arena *arena,
		   struct ap_anomalies *an, xmlDocPtr *out);
/* Plain-text XML (no network, no entity expansion, no DTD loading) -> *out. */
int mf_text_to_doc(const uint8_t *buf, size_t len, struct ap_anomalies *an, xmlDocPtr *out);
/* True when buf looks like text XML (optional BOM, whitespace, then '<'). */
int mf_is_text_xml(const uint8_t *buf, size_t len);

#endif
