/* One error enum for all of apkpriv. Append only: a value's number never changes or is reused,
 * because it appears in reports, logs and exit reasons. */
#ifndef AP_ERR_H
#define AP_ERR_H

enum ap_err {
	AP_OK = 0,               /* 0 */
	AP_ERR_NOMEM = 1,        /* 1: the allocator said no */
	AP_ERR_IO = 2,           /* 2: open/read/write of a path failed */
	AP_ERR_FORMAT = 3,       /* 3: input is not of the expected format at all */
	AP_ERR_TRUNCATED = 4,    /* 4: a structure runs past the end of its buffer */
	AP_ERR_RANGE = 5,        /* 5: an index or offset read from the file is out of range */
	AP_ERR_LIMIT = 6,        /* 6: a cap in common/ap_limits.h was hit */
	AP_ERR_UNSUPPORTED = 7,  /* 7: well-formed but a variant we do not handle */
	AP_ERR_USAGE = 8,        /* 8: caller or command-line misuse */
	AP_ERR_NOT_FOUND = 9,    /* 9: a named entry/item does not exist */
	AP_ERR_DEP = 10,         /* 10: a dependency (libzip, libxml2, capstone, json-c) failed */
	AP_ERR_CHECKSUM = 11,    /* 11: a checksum or CRC does not match */
	AP_ERR_TAMPER = 12,      /* 12: a known anti-analysis trick; tolerated as Android does */
	AP_ERR_TIMEOUT = 13,     /* 13: a time limit expired */
	AP_ERR_INTERNAL = 14,    /* 14: a bug in apkpriv (never caused by input) */
	AP_ERR__COUNT            /* keep last */
};

/* Short stable name ("truncated") and a human sentence for an error value. */
const char *ap_err_name(int err);
const char *ap_strerror(int err);

#endif
