/* Names and messages for enum ap_err. */
#include "ap_err.h"

static const struct {
	const char *name;
	const char *msg;
} errs[AP_ERR__COUNT] = {
	[AP_OK] = {"ok", "success"},
	[AP_ERR_NOMEM] = {"nomem", "out of memory"},
	[AP_ERR_IO] = {"io", "input/output error"},
	[AP_ERR_FORMAT] = {"format", "not a recognised format"},
	[AP_ERR_TRUNCATED] = {"truncated", "structure runs past end of data"},
	[AP_ERR_RANGE] = {"range", "index or offset out of range"},
	[AP_ERR_LIMIT] = {"limit", "resource limit reached"},
	[AP_ERR_UNSUPPORTED] = {"unsupported", "unsupported variant"},
	[AP_ERR_USAGE] = {"usage", "usage error"},
	[AP_ERR_NOT_FOUND] = {"not_found", "not found"},
	[AP_ERR_DEP] = {"dependency", "a library reported an error"},
	[AP_ERR_CHECKSUM] = {"checksum", "checksum mismatch"},
	[AP_ERR_TAMPER] = {"tamper", "anti-analysis tampering"},
	[AP_ERR_TIMEOUT] = {"timeout", "time limit expired"},
	[AP_ERR_INTERNAL] = {"internal", "internal error"},
};

const char *ap_err_name(int err)
{
	if (err < 0 || err >= AP_ERR__COUNT || !errs[err].name)
		return "unknown";
	return errs[err].name;
}

const char *ap_strerror(int err)
{
	if (err < 0 || err >= AP_ERR__COUNT || !errs[err].msg)
		return "unknown error";
	return errs[err].msg;
}
