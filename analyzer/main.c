/* apkpriv: the command-line entry point. Dispatches to one function per subcommand; with no
 * arguments it scans the bundled samples. */
#include "cli.h"

#include "ap_diag.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AP_VERSION
#define AP_VERSION "0.0.0"
#endif
#ifndef AP_SAMPLES_DIR
#define AP_SAMPLES_DIR "samples/apk"
#endif

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} cmds[] = {
	{"scan", ap_cmd_scan, "analyse APKs and report privacy findings (default)"},
	{"batch", ap_cmd_batch, "scan a directory or list of APKs in isolated workers"},
	{"manifest", ap_cmd_manifest, "decode AndroidManifest.xml (XML, or the model with --json)"},
	{"dex", ap_cmd_dex, "list DEX call sites, string loads or counts"},
	{"native", ap_cmd_native, "analyse native lib/*/*.so code"},
	{"entries", ap_cmd_entries, "list the APK's entries as Android's installer sees them"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: apkpriv [COMMAND] [OPTIONS] FILE...\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\nWith no arguments, scans the bundled samples (%s).\n"
		   "'apkpriv COMMAND --help' for a command's options; exit codes in docs/cli.md.\n",
		AP_SAMPLES_DIR);
}

static void stderr_sink(enum ap_log_level lvl, const char *line, void *ctx)
{
	(void)ctx;
	static const char *tag[] = {"error", "warning", "info", "debug"};
	fprintf(stderr, "apkpriv: %s: %s\n", tag[lvl], line);
}

void ap_cli_log_init(int verbose)
{
	ap_log_set_sink(stderr_sink, NULL, verbose > 1 ? AP_LOG_DEBUG : verbose ? AP_LOG_INFO
									 : AP_LOG_WARN);
}

const char *ap_cli_samples_dir(void)
{
	const char *env = getenv("APKPRIV_SAMPLES");
	return env && *env ? env : AP_SAMPLES_DIR;
}

/* The input APK is mapped read-only (common/ap_file.c): if another process truncates it while it
 * is being read, the kernel raises SIGBUS on the next access to the lost pages. Say so and exit
 * with the input code instead of dying with "Bus error". Batch workers restore the default, so
 * the batch records such an input as a crash row. */
static void on_sigbus(int sig)
{
	static const char msg[] = "apkpriv: error: an input file shrank while it was being read "
				  "(SIGBUS); the scan stopped\n";
	(void)sig;
	ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)w;
	_exit(AP_EXIT_INPUT);
}

int main(int argc, char **argv)
{
	ap_cli_log_init(0);
	signal(SIGBUS, on_sigbus);
	if (argc < 2) {
		char *def[] = {"scan", NULL};
		return ap_cmd_scan(1, def);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return AP_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("apkpriv %s\n", AP_VERSION);
		return AP_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	/* `apkpriv FILE...` is `apkpriv scan FILE...` */
	if (argv[1][0] != '-' && access(argv[1], F_OK) != 0) {
		fprintf(stderr, "apkpriv: unknown command or missing file '%s'\n", argv[1]);
		usage(stderr);
		return AP_EXIT_USAGE;
	}
	argv[0] = "scan";
	return ap_cmd_scan(argc, argv);
}
