/* ResChunk_header reading shared by AXML and resources.arsc, and the rendering of typed
 * values (Res_value) as aapt prints them. */
#include "mf_internal.h"

#include "ap_diag.h"
#include "ap_err.h"

#include <stdio.h>
#include <string.h>

bool mf_chunk_read(const uint8_t *buf, size_t len, size_t off, const char *module,
		   const char *where, struct ap_anomalies *an, struct mf_chunk *ch)
{
	struct ap_cur c = ap_cur_sub(buf, len, off, len - (off <= len ? off : len));
	ch->start = off;
	ch->type = ap_cur_u16le(&c);
	ch->header_size = ap_cur_u16le(&c);
	ch->size = ap_cur_u32le(&c);
	if (!c.ok) {
		if (off < len)
			ap_anom_add(an, module, where, off, AP_ERR_TRUNCATED,
				    "%zu trailing bytes are not a chunk", len - off);
		return false;
	}
	size_t left = len - off;
	if (ch->size < 8) {
		/* a zero-size chunk would loop forever: stop here, as Android does */
		ap_anom_add(an, module, where, off, AP_ERR_TAMPER,
			    "chunk type 0x%04x with size %u; stopping", ch->type, ch->size);
		return false;
	}
	if (ch->size > left) {
		ap_anom_add(an, module, where, off, AP_ERR_TRUNCATED,
			    "chunk type 0x%04x size 0x%x runs past the end (0x%zx left); clamped",
			    ch->type, ch->size, left);
		ch->size = (uint32_t)left;
	}
	if (ch->header_size < 8 || ch->header_size > ch->size) {
		ap_anom_add(an, module, where, off, AP_ERR_TAMPER,
			    "chunk type 0x%04x header size %u outside [8, %u]; using 8", ch->type,
			    ch->header_size, ch->size);
		ch->header_size = 8;
	}
	return true;
}

static float complex_value(uint32_t data)
{
	static const float radix[4] = {1.0f / 256, 1.0f / (1 << 7) / 256, 1.0f / (1 << 15) / 256,
				       1.0f / (1 << 23) / 256};
	int32_t mantissa = (int32_t)(data & 0xffffff00u);
	return (float)mantissa * radix[(data >> 4) & 3];
}

void mf_render_value(uint8_t type, uint32_t data, char *out, size_t outsz)
{
	static const char *dim_units[16] = {"px", "dip", "sp", "pt", "in", "mm"};
	float f;
	switch (type) {
	case TYPE_NULL:
		snprintf(out, outsz, "%s", data == 1 ? "@empty" : "");
		break;
	case TYPE_REFERENCE:
	case TYPE_DYNAMIC_REFERENCE:
		if (data == 0)
			snprintf(out, outsz, "@null");
		else
			snprintf(out, outsz, "@0x%08x", data);
		break;
	case TYPE_ATTRIBUTE:
	case TYPE_DYNAMIC_ATTRIBUTE:
		snprintf(out, outsz, "?0x%08x", data);
		break;
	case TYPE_FLOAT:
		memcpy(&f, &data, sizeof(f));
		snprintf(out, outsz, "%g", (double)f);
		break;
	case TYPE_DIMENSION: {
		const char *u = dim_units[data & 0xf];
		snprintf(out, outsz, "%g%s", (double)complex_value(data), u ? u : "?");
		break;
	}
	case TYPE_FRACTION:
		snprintf(out, outsz, "%g%s", (double)complex_value(data) * 100,
			 (data & 0xf) == 1 ? "%p" : "%");
		break;
	case TYPE_INT_HEX:
		snprintf(out, outsz, "0x%x", data);
		break;
	case TYPE_INT_BOOLEAN:
		snprintf(out, outsz, "%s", data ? "true" : "false");
		break;
	case TYPE_INT_COLOR_ARGB8:
	case TYPE_INT_COLOR_ARGB4:
		snprintf(out, outsz, "#%08x", data);
		break;
	case TYPE_INT_COLOR_RGB8:
	case TYPE_INT_COLOR_RGB4:
		snprintf(out, outsz, "#%06x", data & 0xffffff);
		break;
	case TYPE_INT_DEC:
	default: /* unknown types: Android treats 0x10..0x1f as integers */
		snprintf(out, outsz, "%d", (int32_t)data);
		break;
	}
}
