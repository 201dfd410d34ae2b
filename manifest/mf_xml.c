/* Plain-text AndroidManifest.xml through libxml2 (no network, no entity substitution, no DTD
 * loading: XXE and entity bombs cannot happen), and the document back to indented XML text. */
#include "manifest.h"
#include "mf_internal.h"
#include "mf_tree.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <libxml/parser.h>
#include <string.h>

int mf_is_text_xml(const uint8_t *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < len && buf[i] == '<';
}

/* Removes entity reference nodes under n (in elements and attribute values). Their children
 * belong to the DTD's entities, which are freed next. Depth is bounded by libxml2's own
 * nesting limit. */
static void drop_entity_refs(xmlNodePtr n)
{
	xmlNodePtr next;
	for (xmlNodePtr c = n; c; c = next) {
		next = c->next;
		if (c->type == XML_ENTITY_REF_NODE) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			continue;
		}
		if (c->type == XML_ELEMENT_NODE)
			for (xmlAttrPtr a = c->properties; a; a = a->next)
				drop_entity_refs(a->children);
		if (c->type == XML_ELEMENT_NODE || c->type == XML_ATTRIBUTE_NODE)
			drop_entity_refs(c->children);
	}
}

/* Drops any DTD and every reference to its entities: they expand to nothing, so no value can
 * be inflated or read from a file through an entity. */
static void drop_dtd(xmlDocPtr doc, struct ap_anomalies *an)
{
	xmlDtdPtr dtd = xmlGetIntSubset(doc);
	if (!dtd)
		return;
	drop_entity_refs(xmlDocGetRootElement(doc));
	ap_anom_add(an, "manifest", "AndroidManifest.xml", AP_OFFSET_NONE, AP_ERR_TAMPER,
		    "text manifest carries a DTD; ignored (entities are not expanded)");
	xmlUnlinkNode((xmlNodePtr)dtd);
	xmlFreeDtd(dtd);
	doc->intSubset = NULL;
}

int mf_text_to_doc(const uint8_t *buf, size_t len, struct ap_anomalies *an, xmlDocPtr *out)
{
	*out = NULL;
	if (len > AP_MAX_AXML_BYTES || len > (size_t)INT32_MAX)
		return AP_ERR_LIMIT;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return AP_ERR_NOMEM;
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
		   XML_PARSE_RECOVER;
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, (const char *)buf, (int)len, "AndroidManifest.xml",
					  NULL, opts);
	if (doc && !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		ap_anom_add(an, "manifest", "AndroidManifest.xml", AP_OFFSET_NONE, AP_ERR_FORMAT,
			    "text XML is not well-formed (line %d: %s); recovered what parses",
			    e ? e->line : 0, e && e->message ? e->message : "?");
	}
	xmlFreeParserCtxt(ctxt);
	if (!doc)
		return AP_ERR_FORMAT;
	drop_dtd(doc, an);
	if (!xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		return AP_ERR_FORMAT;
	}
	*out = doc;
	return AP_OK;
}

int ap_mf_to_xml(const struct ap_manifest *m, struct ap_buf *out)
{
	const struct mf_impl *impl = m ? m->impl : NULL;
	if (!impl || !impl->doc)
		return AP_ERR_USAGE;
	xmlChar *mem = NULL;
	int size = 0;
	xmlDocDumpFormatMemoryEnc(impl->doc, &mem, &size, "UTF-8", 1);
	if (!mem)
		return AP_ERR_NOMEM;
	bool ok = ap_buf_add(out, mem, (size_t)size);
	xmlFree(mem);
	return ok ? AP_OK : AP_ERR_LIMIT;
}
