/* Test helpers: corpus location, reference tools, TSV tables. */
#include "ap_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *ap_t_corpus_dir(void)
{
	static char path[4096];
	static int state; /* 0 unknown, 1 present, 2 absent */
	if (state == 0) {
		const char *shared = getenv("AP_SHARED_DIR");
		if (!shared)
			shared = AP_SHARED_DIR;
		snprintf(path, sizeof(path), "%s/corpus", shared);
		struct stat st;
		char manifest[4200];
		snprintf(manifest, sizeof(manifest), "%s/MANIFEST.tsv", path);
		state = (stat(manifest, &st) == 0) ? 1 : 2;
	}
	return state == 1 ? path : NULL;
}

bool ap_t_have_tool(const char *prog)
{
	const char *p = getenv("PATH");
	if (!p)
		return false;
	char *dup = strdup(p);
	bool found = false;
	for (char *save = NULL, *d = strtok_r(dup, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char full[4096];
		snprintf(full, sizeof(full), "%s/%s", d, prog);
		found = access(full, X_OK) == 0;
	}
	free(dup);
	return found;
}

char *ap_t_run(char *const argv[], size_t max, int *status)
{
	int fd[2];
	*status = -1;
	if (pipe(fd) != 0)
		return NULL;
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		FILE *devnull = freopen("/dev/null", "w", stderr);
		(void)devnull;
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	size_t cap = 65536, len = 0;
	char *out = malloc(cap);
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap *= 2;
			out = realloc(out, cap);
		}
		ssize_t n = read(fd[0], out + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len > max) {
			len = max;
			break;
		}
	}
	close(fd[0]);
	out[len] = '\0';
	int st;
	if (waitpid(pid, &st, 0) == pid)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out;
}

uint8_t *ap_t_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n > 0 ? (size_t)n : 0;
	return buf;
}

bool ap_t_tsv_load(const char *path, struct ap_t_tsv *t)
{
	size_t len;
	memset(t, 0, sizeof(*t));
	uint8_t *raw = ap_t_slurp(path, &len);
	if (!raw)
		return false;
	t->text = realloc(raw, len + 1);
	t->text[len] = '\0';
	size_t cap = 64;
	t->rows = malloc(cap * sizeof(*t->rows));
	char *save = NULL;
	for (char *line = strtok_r(t->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t ncols = 1;
		for (char *p = line; *p; p++)
			ncols += *p == '\t';
		char **cols = calloc((ncols > t->n_cols ? ncols : t->n_cols) + 1, sizeof(char *));
		size_t j = 0;
		char *start = line;
		for (char *p = line;; p++) {
			if (*p == '\t' || *p == '\0' || *p == '\r') {
				char end = *p;
				*p = '\0';
				cols[j++] = start;
				start = p + 1;
				if (end == '\0' || end == '\r')
					break;
			}
		}
		if (t->n_rows == cap) {
			cap *= 2;
			t->rows = realloc(t->rows, cap * sizeof(*t->rows));
		}
		t->rows[t->n_rows++] = cols;
		if (t->n_rows == 1)
			t->n_cols = j;
		else
			for (; j < t->n_cols; j++)
				cols[j] = "";
	}
	return t->n_rows > 0;
}

void ap_t_tsv_free(struct ap_t_tsv *t)
{
	for (size_t i = 0; i < t->n_rows; i++)
		free(t->rows[i]);
	free(t->rows);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

int ap_t_tsv_col(const struct ap_t_tsv *t, const char *name)
{
	for (size_t j = 0; t->n_rows && j < t->n_cols; j++)
		if (strcmp(t->rows[0][j], name) == 0)
			return (int)j;
	return -1;
}

char *ap_t_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *ap_t_smali(const char *src, int api, int *status)
{
	char out[] = "/tmp/ap_t_smali_XXXXXX";
	int fd = mkstemp(out);
	*status = -1;
	if (fd < 0)
		return NULL;
	close(fd);
	char *in = src[0] == '/' ? strdup(src) : ap_t_path(AP_SOURCE_DIR, src);
	char level[16];
	snprintf(level, sizeof level, "%d", api);
	char *argv[8] = {"smali", "a", "-o", out};
	size_t n = 4;
	if (api > 0) {
		argv[n++] = "--api";
		argv[n++] = level;
	}
	argv[n++] = in;
	argv[n] = NULL;
	free(ap_t_run(argv, 1 << 20, status));
	free(in);
	return strdup(out);
}
