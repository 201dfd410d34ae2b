/* `apkpriv batch`'s input list: every file under a folder (sorted, so the output order is fixed)
 * or the paths listed in an @LIST file. batch.h describes the rules. */
#include "batch.h"

#include "ap_buf.h"
#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct plist {
	char **v;
	size_t n, cap;
};

static int plist_add(struct plist *l, const char *a, const char *b)
{
	if (l->n >= AP_MAX_BATCH_INPUTS)
		return AP_ERR_LIMIT;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 256;
		char **q = realloc(l->v, nc * sizeof *q);
		if (!q)
			return AP_ERR_NOMEM;
		l->v = q;
		l->cap = nc;
	}
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	bool slash = b && la && a[la - 1] != '/';
	char *s = malloc(la + lb + 2);
	if (!s)
		return AP_ERR_NOMEM;
	memcpy(s, a, la);
	if (slash)
		s[la++] = '/';
	if (b)
		memcpy(s + la, b, lb);
	s[la + lb] = '\0';
	l->v[l->n++] = s;
	return AP_OK;
}

static int walk(struct plist *l, const char *dir, const struct stat *skip, unsigned depth)
{
	if (depth > AP_MAX_BATCH_DEPTH) {
		ap_log(AP_LOG_WARN, "batch", "%s: deeper than %u directories, not walked", dir,
		       AP_MAX_BATCH_DEPTH);
		return AP_OK;
	}
	DIR *d = opendir(dir);
	if (!d)
		return depth ? (ap_log(AP_LOG_WARN, "batch", "%s: %s", dir, strerror(errno)), AP_OK)
			     : AP_ERR_IO;
	int rc = AP_OK;
	struct dirent *e;
	struct ap_buf p = AP_BUF_INIT;
	ap_buf_init(&p, 0);
	while (rc == AP_OK && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		ap_buf_reset(&p);
		ap_buf_adds(&p, dir);
		if (p.len && p.data[p.len - 1] != '/')
			ap_buf_addc(&p, '/');
		ap_buf_adds(&p, e->d_name);
		if (p.failed) {
			rc = AP_ERR_NOMEM;
			break;
		}
		struct stat st;
		if (lstat(p.data, &st) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			/* a symlink to a file is an input; a symlinked directory is not followed (loops) */
			if (stat(p.data, &st) != 0 || !S_ISREG(st.st_mode))
				continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (skip && st.st_dev == skip->st_dev && st.st_ino == skip->st_ino)
				continue;
			rc = walk(l, p.data, skip, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rc = plist_add(l, p.data, NULL);
		}
	}
	closedir(d);
	ap_buf_free(&p);
	return rc;
}

static int read_list(struct plist *l, const char *file)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		return AP_ERR_IO;
	int rc = AP_OK;
	char *line = NULL;
	size_t cap = 0, total = 0;
	ssize_t got;
	while (rc == AP_OK && (got = getline(&line, &cap, f)) >= 0) {
		total += (size_t)got;
		if (total > AP_MAX_BATCH_LIST) {
			rc = AP_ERR_LIMIT;
			break;
		}
		size_t len = strlen(line); /* a NUL byte ends the path */
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		rc = plist_add(l, line, NULL);
	}
	if (rc == AP_OK && ferror(f))
		rc = AP_ERR_IO;
	free(line);
	fclose(f);
	return rc;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void ap_batch_paths_free(char **paths, size_t n)
{
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}

int ap_batch_inputs(const char *arg, const char *skip_dir, char ***paths, size_t *n)
{
	*paths = NULL;
	*n = 0;
	struct plist l = {0};
	int rc;
	struct stat st, skip;
	bool have_skip = skip_dir && stat(skip_dir, &skip) == 0;
	if (arg[0] == '@')
		rc = read_list(&l, arg + 1);
	else if (stat(arg, &st) != 0)
		rc = AP_ERR_IO;
	else if (S_ISDIR(st.st_mode))
		rc = walk(&l, arg, have_skip ? &skip : NULL, 0);
	else
		rc = plist_add(&l, arg, NULL);
	if (rc != AP_OK) {
		ap_batch_paths_free(l.v, l.n);
		return rc;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, cmp_path);
	*paths = l.v;
	*n = l.n;
	return AP_OK;
}

