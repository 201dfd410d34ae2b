/* Stable names for the report model's enums; these strings are part of the JSON schema. */
#include <string.h>

#include "analyzer/report_model.h"

const char *ap_via_name(enum ap_via v)
{
	switch (v) {
	case AP_VIA_PERMISSION: return "permission";
	case AP_VIA_DEX_API: return "dex_api";
	case AP_VIA_DEX_STRING: return "dex_string";
	case AP_VIA_REFLECTION: return "reflection";
	case AP_VIA_NATIVE: return "native";
	case AP_VIA_MANIFEST: return "manifest";
	case AP_VIA_RESOURCE: return "resource";
	}
	return "unknown";
}

static const char *const sev_names[] = {"info", "low", "medium", "high"};

const char *ap_severity_name(enum ap_severity s)
{
	if ((unsigned)s < sizeof sev_names / sizeof sev_names[0])
		return sev_names[s];
	return "unknown";
}

int ap_severity_parse(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < (int)(sizeof sev_names / sizeof sev_names[0]); i++)
		if (strcmp(s, sev_names[i]) == 0)
			return i;
	return -1;
}
