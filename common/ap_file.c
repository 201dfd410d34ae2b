/* Whole-file reads with a cap, for inputs given on the command line and test fixtures. */
#include "ap_file.h"

#include "ap_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int ap_read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return AP_ERR_IO;
	struct stat st;
	int err = AP_OK;
	uint8_t *buf = NULL;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		err = AP_ERR_IO;
		goto out_close;
	}
	if ((uint64_t)st.st_size > max) {
		err = AP_ERR_LIMIT;
		goto out_close;
	}
	size_t n = (size_t)st.st_size;
	buf = malloc(n ? n : 1);
	if (!buf) {
		err = AP_ERR_NOMEM;
		goto out_close;
	}
	if (n && fread(buf, 1, n, f) != n) {
		free(buf);
		buf = NULL;
		err = AP_ERR_IO;
		goto out_close;
	}
	*out = buf;
	*len = n;
out_close:
	fclose(f);
	return err;
}
