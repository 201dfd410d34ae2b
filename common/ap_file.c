/* Whole-file reads with a cap, for inputs given on the command line and test fixtures, and the
 * read-only mapping the APK container uses for its (possibly large) input. */
#include "ap_file.h"

#include "ap_err.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The size of the regular file open on fd: AP_ERR_IO when it is not one, AP_ERR_LIMIT past max. */
static int regular_size(int fd, size_t max, size_t *n)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return AP_ERR_IO;
	if ((uint64_t)st.st_size > max)
		return AP_ERR_LIMIT;
	*n = (size_t)st.st_size;
	return AP_OK;
}

int ap_read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return AP_ERR_IO;
	uint8_t *buf = NULL;
	size_t n = 0;
	int err = regular_size(fileno(f), max, &n);
	if (err != AP_OK)
		goto out_close;
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

int ap_map_file(const char *path, size_t max, const uint8_t **out, size_t *len, bool *mapped)
{
	*out = NULL;
	*len = 0;
	*mapped = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return AP_ERR_IO;
	size_t n = 0;
	int err = regular_size(fd, max, &n);
	if (err != AP_OK)
		goto out_close;
	void *p = n ? mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	if (p != MAP_FAILED) {
		*out = p;
		*len = n;
		*mapped = true;
		goto out_close;
	}
	/* an empty file, or one the file system cannot map: read it */
	close(fd);
	uint8_t *buf;
	err = ap_read_file(path, max, &buf, len);
	*out = buf;
	return err;
out_close:
	close(fd);
	return err;
}

void ap_unmap_file(const uint8_t *p, size_t len, bool mapped)
{
	if (mapped)
		munmap((void *)(uintptr_t)p, len);
	else
		free((void *)(uintptr_t)p);
}

void ap_file_drop(const uint8_t *p, size_t len, bool mapped, size_t off, size_t n)
{
	if (!mapped || off >= len)
		return;
	if (n > len - off)
		n = len - off;
	long pg = sysconf(_SC_PAGESIZE);
	size_t page = pg > 0 ? (size_t)pg : 4096;
	/* the mapping starts on a page boundary: round the range inwards to whole pages, except
	 * that the last page of the file may be dropped whole */
	size_t first = (off + page - 1) / page * page;
	size_t end = off + n == len ? (len + page - 1) / page * page : (off + n) / page * page;
	if (end > first)
		madvise((void *)(uintptr_t)(p + first), end - first, MADV_DONTNEED);
}
