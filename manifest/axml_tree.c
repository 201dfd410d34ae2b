/* Binary XML (ResXMLTree) -> libxml2 document: walks the chunks of the XML file (string pool,
 * resource map, namespaces, elements, attributes) the way Android's ResXMLParser does, and
 * records what it tolerates. Attribute names are resolved by resource ID first, as Android does. */
#include "mf_internal.h"
#include "mf_tree.h"

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdio.h>
#include <string.h>

#define WHERE "AndroidManifest.xml"
#define MOD "axml"

struct walk {
	const uint8_t *buf;
	size_t len;
	struct ap_arena *arena;
	struct ap_anomalies *an;
	xmlDocPtr doc;
	struct mf_pool pool;
	bool have_pool;
	const uint8_t *resmap; /* borrowed: u32 ids */
	uint32_t n_resmap;
	xmlNodePtr stack[AP_MAX_AXML_DEPTH];
	unsigned depth;
	unsigned skip_depth;   /* > 0 while inside an ignored subtree */
	bool root_done;
	uint32_t nodes;
	/* namespaces announced by START_NAMESPACE, declared on the next element */
	struct { const char *prefix, *uri; } pending[16];
	unsigned n_pending;
	unsigned ns_gen;
	unsigned renamed, unnamed, dups, odd_hs;
	int err;
};

/* Copies s, replacing bytes that XML cannot carry (control bytes except \t\n\r) by "\xNN", so
 * every output of the tree stays well-formed. */
static char *clean_text(struct walk *w, const char *s)
{
	struct ap_buf b;
	ap_buf_init(&b, 1u << 24);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			ap_buf_addf(&b, "\\x%02x", *p);
		else
			ap_buf_addc(&b, (char)*p);
	}
	char *r = ap_arena_strdup(w->arena, b.data ? b.data : "");
	ap_buf_free(&b);
	return r;
}

/* An XML name from attacker text: characters that cannot appear in a name become '_'. */
static char *clean_name(struct walk *w, const char *s)
{
	if (!s || !*s)
		return ap_arena_strdup(w->arena, "_");
	char *r = ap_arena_strdup(w->arena, s);
	if (!r)
		return NULL;
	for (unsigned char *p = (unsigned char *)r; *p; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
			  *p >= 0x80 ||
			  (p != (unsigned char *)r && ((*p >= '0' && *p <= '9') || *p == '.' || *p == '-'));
		if (!ok)
			*p = '_';
	}
	return r;
}

static bool prefix_ok(const char *p)
{
	if (!p || !*p)
		return false;
	for (const char *q = p; *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '_' ||
		      (q != p && ((*q >= '0' && *q <= '9') || *q == '.' || *q == '-'))))
			return false;
	return strcmp(p, "xml") != 0 && strcmp(p, "xmlns") != 0;
}

/* A prefixed namespace for uri in scope at node, declared on the root (or node) if missing. */
static xmlNsPtr ns_for(struct walk *w, xmlNodePtr node, const char *uri, const char *want)
{
	xmlNsPtr ns = xmlSearchNsByHref(w->doc, node, (const xmlChar *)uri);
	if (ns && ns->prefix)
		return ns;
	xmlNodePtr host = xmlDocGetRootElement(w->doc);
	if (!host)
		host = node;
	char gen[32];
	const char *pfx = prefix_ok(want) ? want : NULL;
	for (int tries = 0; tries < 4; tries++) {
		if (!pfx) {
			snprintf(gen, sizeof(gen), "ns%u", w->ns_gen++);
			pfx = gen;
		}
		if (!xmlSearchNs(w->doc, node, (const xmlChar *)pfx)) {
			ns = xmlNewNs(host, (const xmlChar *)uri, (const xmlChar *)pfx);
			if (ns)
				return ns;
		}
		pfx = NULL;
	}
	return NULL;
}

static uint32_t resmap_id(const struct walk *w, uint32_t i)
{
	bool ok = true;
	if (i >= w->n_resmap)
		return 0;
	return ap_rd_u32le(w->resmap, (size_t)w->n_resmap * 4, (size_t)i * 4, &ok);
}

/* ResXMLTree_attribute: ns, name, rawValue, Res_value{size, res0, dataType, data}. */
static void add_attr(struct walk *w, xmlNodePtr node, size_t off)
{
	struct ap_cur c = ap_cur_sub(w->buf, w->len, off, 20);
	uint32_t ns_i = ap_cur_u32le(&c), name_i = ap_cur_u32le(&c), raw_i = ap_cur_u32le(&c);
	ap_cur_skip(&c, 3);
	uint8_t type = ap_cur_u8(&c);
	uint32_t data = ap_cur_u32le(&c);
	if (!c.ok)
		return;
	const char *pool_name = mf_pool_get(&w->pool, name_i);
	const char *uri = ns_i == 0xffffffffu ? NULL : mf_pool_get(&w->pool, ns_i);
	const char *local = pool_name;
	uint32_t resid = resmap_id(w, name_i);
	const char *fw = (resid >> 16) == 0x0101 ? mf_attr_name(resid) : NULL;
	if (fw) {
		/* Android matches by resource id: the name string does not matter */
		if (!pool_name || strcmp(pool_name, fw) != 0 || !uri || strcmp(uri, AP_ANDROID_NS)) {
			if (w->renamed++ == 0)
				ap_anom_add(w->an, MOD, WHERE, off, AP_ERR_TAMPER,
					    "attribute name '%s' (namespace '%s') resolved by resource "
					    "id 0x%08x to android:%s",
					    pool_name ? pool_name : "(none)", uri ? uri : "", resid, fw);
		}
		local = fw;
		uri = AP_ANDROID_NS;
	} else if (!pool_name || !*pool_name) {
		if (w->unnamed++ == 0)
			ap_anom_add(w->an, MOD, WHERE, off, AP_ERR_TAMPER,
				    "attribute with empty or unreadable name (string %u, id 0x%08x)",
				    name_i, resid);
		return;
	}
	char *lname = clean_name(w, local);
	const char *sval = NULL;
	char num[64];
	if (type == TYPE_STRING) {
		sval = mf_pool_get(&w->pool, data);
		if (!sval)
			sval = mf_pool_get(&w->pool, raw_i);
	} else {
		mf_render_value(type, data, num, sizeof(num));
		sval = num;
	}
	char *val = clean_text(w, sval ? sval : "");
	if (!lname || !val)
		return;
	xmlNsPtr ns = NULL;
	if (uri && *uri)
		ns = ns_for(w, node, uri, strcmp(uri, AP_ANDROID_NS) == 0 ? "android" : NULL);
	if (xmlHasNsProp(node, (const xmlChar *)lname, ns ? ns->href : NULL)) {
		/* Android's TypedArray takes the first of duplicate attributes */
		if (w->dups++ == 0)
			ap_anom_add(w->an, MOD, WHERE, off, AP_ERR_TAMPER,
				    "duplicate attribute '%s' ignored (the first one wins)", lname);
		return;
	}
	xmlNewNsProp(node, ns, (const xmlChar *)lname, (const xmlChar *)val);
}

/* ResXMLTree_attrExt after the node header. */
static void start_element(struct walk *w, const struct mf_chunk *ch)
{
	size_t hs = ch->header_size;
	if (hs < 16) {
		ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_TAMPER,
			    "element node header size %zu below 16; using 16", hs);
		hs = 16;
	} else if (hs != 16 && w->odd_hs++ == 0) {
		/* Android finds the element data at headerSize: honour it, as it does */
		ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_TAMPER,
			    "element node header size %zu (expected 16)", hs);
	}
	struct ap_cur c = ap_cur_sub(w->buf, w->len, ch->start, ch->size);
	ap_cur_seek(&c, hs);
	size_t ext = ch->start + hs;
	uint32_t ns_i = ap_cur_u32le(&c), name_i = ap_cur_u32le(&c);
	uint16_t attr_start = ap_cur_u16le(&c), attr_size = ap_cur_u16le(&c);
	uint16_t attr_count = ap_cur_u16le(&c);
	if (!c.ok) {
		ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_TRUNCATED,
			    "element chunk too short; element skipped");
		return;
	}
	if (w->skip_depth || (w->root_done && w->depth == 0) || w->depth >= AP_MAX_AXML_DEPTH) {
		if (!w->skip_depth) {
			if (w->depth >= AP_MAX_AXML_DEPTH) {
				ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_LIMIT,
					    "elements nested deeper than %u ignored",
					    AP_MAX_AXML_DEPTH);
				w->err = AP_ERR_LIMIT;
			} else {
				ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_TAMPER,
					    "second top-level element ignored");
			}
		}
		w->skip_depth++;
		return;
	}
	const char *name = mf_pool_get(&w->pool, name_i);
	if (!name || !*name)
		ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_RANGE,
			    "element name string %u unreadable", name_i);
	char *ename = clean_name(w, name);
	if (!ename)
		return;
	xmlNodePtr node = xmlNewDocNode(w->doc, NULL, (const xmlChar *)ename, NULL);
	if (!node) {
		w->err = AP_ERR_NOMEM;
		return;
	}
	uint32_t line = ap_rd_u32le(w->buf, w->len, ch->start + 8, &(bool){true});
	node->line = line > 65535 ? 65535 : (unsigned short)line;
	if (w->depth == 0) {
		xmlDocSetRootElement(w->doc, node);
		w->root_done = true;
	} else {
		xmlAddChild(w->stack[w->depth - 1], node);
	}
	w->stack[w->depth++] = node;
	for (unsigned i = 0; i < w->n_pending; i++) {
		const char *p = w->pending[i].prefix, *u = w->pending[i].uri;
		if (!u || xmlSearchNsByHref(w->doc, node, (const xmlChar *)u))
			continue;
		if (!prefix_ok(p) || !xmlNewNs(node, (const xmlChar *)u, (const xmlChar *)p))
			ns_for(w, node, u, NULL);
	}
	w->n_pending = 0;
	const char *euri = ns_i == 0xffffffffu ? NULL : mf_pool_get(&w->pool, ns_i);
	if (euri && *euri)
		xmlSetNs(node, ns_for(w, node, euri, NULL));

	if (attr_size < 20) {
		if (attr_count)
			ap_anom_add(w->an, MOD, WHERE, ext, AP_ERR_TAMPER,
				    "attribute size %u below 20; using 20", attr_size);
		attr_size = 20;
	}
	if (attr_count > AP_MAX_AXML_ATTRS) {
		ap_anom_add(w->an, MOD, WHERE, ext, AP_ERR_LIMIT,
			    "%u attributes on one element; reading %u", attr_count,
			    AP_MAX_AXML_ATTRS);
		attr_count = AP_MAX_AXML_ATTRS;
	}
	size_t chunk_end = ch->start + ch->size;
	for (uint32_t i = 0; i < attr_count; i++) {
		uint64_t a = (uint64_t)ext + attr_start + (uint64_t)i * attr_size;
		if (a > chunk_end || 20 > chunk_end - a) {
			ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_TRUNCATED,
				    "attribute %u of %u outside the element chunk", i, attr_count);
			break;
		}
		add_attr(w, node, (size_t)a);
	}
}

static void end_element(struct walk *w, const struct mf_chunk *ch)
{
	if (w->skip_depth) {
		w->skip_depth--;
		return;
	}
	if (w->depth == 0) {
		ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_TAMPER,
			    "end of element without a start; ignored");
		return;
	}
	w->depth--;
}

static void start_namespace(struct walk *w, const struct mf_chunk *ch)
{
	size_t hs = ch->header_size < 16 ? 16 : ch->header_size;
	struct ap_cur c = ap_cur_sub(w->buf, w->len, ch->start, ch->size);
	ap_cur_seek(&c, hs);
	uint32_t p = ap_cur_u32le(&c), u = ap_cur_u32le(&c);
	if (!c.ok || w->n_pending >= sizeof(w->pending) / sizeof(w->pending[0]))
		return;
	const char *uri = mf_pool_get(&w->pool, u);
	if (!uri)
		return;
	w->pending[w->n_pending].prefix = mf_pool_get(&w->pool, p);
	w->pending[w->n_pending].uri = uri;
	w->n_pending++;
}

static void walk_chunk(struct walk *w, const struct mf_chunk *ch)
{
	switch (ch->type) {
	case RES_STRING_POOL_TYPE:
		if (w->have_pool) {
			ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_TAMPER,
				    "second string pool ignored");
			return;
		}
		if (!mf_pool_read(w->buf, w->len, ch, MOD, WHERE, w->arena, w->an, &w->pool))
			w->err = AP_ERR_LIMIT;
		w->have_pool = true;
		return;
	case RES_XML_RESOURCE_MAP_TYPE:
		if (!w->resmap) {
			w->resmap = w->buf + ch->start + ch->header_size;
			w->n_resmap = (uint32_t)((ch->size - ch->header_size) / 4);
		}
		return;
	case RES_XML_START_NAMESPACE_TYPE:
		start_namespace(w, ch);
		return;
	case RES_XML_END_NAMESPACE_TYPE:
	case RES_XML_CDATA_TYPE:
		return;
	case RES_XML_START_ELEMENT_TYPE:
		if (++w->nodes > AP_MAX_AXML_NODES) {
			if (w->nodes == AP_MAX_AXML_NODES + 1)
				ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_LIMIT,
					    "more than %u elements; the rest ignored",
					    AP_MAX_AXML_NODES);
			w->err = AP_ERR_LIMIT;
			return;
		}
		start_element(w, ch);
		return;
	case RES_XML_END_ELEMENT_TYPE:
		if (w->nodes <= AP_MAX_AXML_NODES)
			end_element(w, ch);
		return;
	default:
		ap_anom_add(w->an, MOD, WHERE, ch->start, AP_ERR_TAMPER,
			    "unknown chunk type 0x%04x (%u bytes) skipped", ch->type, ch->size);
		return;
	}
}

int mf_axml_to_doc(const uint8_t *buf, size_t len, struct ap_arena *arena,
		   struct ap_anomalies *an, xmlDocPtr *out)
{
	*out = NULL;
	if (len > AP_MAX_AXML_BYTES) {
		ap_anom_add(an, MOD, WHERE, AP_OFFSET_NONE, AP_ERR_LIMIT,
			    "%zu bytes; reading the first %u", len, AP_MAX_AXML_BYTES);
		len = AP_MAX_AXML_BYTES;
	}
	/* ResXMLTree_header. Android checks little of it: a wrong type or size in the file header
	 * is a known anti-analysis trick, so AXML is recognised by the string pool after it. */
	struct ap_cur c = ap_cur_make(buf, len);
	uint16_t type = ap_cur_u16le(&c), hs = ap_cur_u16le(&c);
	uint32_t size = ap_cur_u32le(&c);
	uint16_t next = ap_cur_u16le(&c);
	if (!c.ok)
		return AP_ERR_FORMAT;
	if (hs < 8 || hs > 64 || hs > len)
		hs = 8;
	bool pool_next = ap_rd_u16le(buf, len, hs, &(bool){true}) == RES_STRING_POOL_TYPE;
	if (type != RES_XML_TYPE) {
		if (!pool_next && next != RES_STRING_POOL_TYPE)
			return AP_ERR_FORMAT;
		ap_anom_add(an, MOD, WHERE, 0, AP_ERR_TAMPER,
			    "file chunk type 0x%04x is not RES_XML_TYPE (0x0003)", type);
	}
	if (!pool_next) {
		if (next == RES_STRING_POOL_TYPE) {
			ap_anom_add(an, MOD, WHERE, 2, AP_ERR_TAMPER,
				    "file header size %u; the string pool is at 8", hs);
			hs = 8;
		} else if (type != RES_XML_TYPE) {
			return AP_ERR_FORMAT;
		}
	} else if (hs != 8) {
		ap_anom_add(an, MOD, WHERE, 2, AP_ERR_TAMPER, "file header size %u (expected 8)", hs);
	}
	if (size != len) {
		/* Android reads up to the declared size when it is smaller; a larger one it refuses,
		 * but the bytes are all there, so read what exists */
		ap_anom_add(an, MOD, WHERE, 4, AP_ERR_TAMPER,
			    "file header says 0x%x bytes, the file has 0x%zx", size, len);
		if (size >= hs && size < len)
			len = size;
	}

	struct walk *w = ap_arena_alloc(arena, sizeof(*w));
	if (!w)
		return AP_ERR_LIMIT;
	w->buf = buf;
	w->len = len;
	w->arena = arena;
	w->an = an;
	w->doc = xmlNewDoc((const xmlChar *)"1.0");
	if (!w->doc)
		return AP_ERR_NOMEM;
	size_t off = hs;
	struct mf_chunk ch;
	while (off < len && !w->err) {
		if (!mf_chunk_read(buf, len, off, MOD, WHERE, an, &ch))
			break;
		if (ch.type != RES_STRING_POOL_TYPE && ch.type != RES_XML_RESOURCE_MAP_TYPE &&
		    ch.type != RES_NULL_TYPE && !w->have_pool) {
			ap_anom_add(an, MOD, WHERE, off, AP_ERR_FORMAT,
				    "node chunk before the string pool");
		}
		walk_chunk(w, &ch);
		off += ch.size; /* >= 8: each step advances */
	}
	if (w->depth && !w->err)
		ap_anom_add(an, MOD, WHERE, off, AP_ERR_TRUNCATED,
			    "document ends with %u element(s) still open", w->depth);
	if (!xmlDocGetRootElement(w->doc)) {
		xmlFreeDoc(w->doc);
		return w->err ? w->err : AP_ERR_FORMAT;
	}
	*out = w->doc;
	return w->err == AP_ERR_NOMEM ? AP_ERR_NOMEM : (w->err ? AP_ERR_LIMIT : AP_OK);
}
