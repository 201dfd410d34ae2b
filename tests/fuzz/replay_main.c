/* Replays a fuzz corpus without libFuzzer, so gcc builds and ctest run every kept input through
 * the same entry point. Usage: fuzz_<fmt> DIR|FILE... (directories are walked recursively). */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long n_run;

static void replay(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			size_t n = strlen(path) + strlen(e->d_name) + 2;
			char *child = malloc(n);
			snprintf(child, n, "%s/%s", path, e->d_name);
			replay(child);
			free(child);
		}
		closedir(d);
		return;
	}
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	uint8_t *buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	size_t n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	n_run++;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		replay(argv[i]);
	printf("replayed %lu inputs\n", n_run);
	if (n_run == 0) {
		fprintf(stderr, "no inputs found: a fuzz corpus must not be empty\n");
		return 1;
	}
	return 0;
}
