/* The apkpriv command line: one function per subcommand, each in analyzer/cmd_<name>.c, and the
 * documented exit codes (docs/cli.md). */
#ifndef AP_CLI_H
#define AP_CLI_H

/* Exit codes. Documented in docs/cli.md and README; never renumbered. */
enum ap_exit {
	AP_EXIT_OK = 0,       /* analysed; anomalies, if any, are in the report */
	AP_EXIT_GATE = 1,     /* analysed, and a --fail-on/--fail-under gate tripped */
	AP_EXIT_USAGE = 2,    /* bad command line */
	AP_EXIT_INPUT = 3,    /* input unusable: unreadable, or not an APK/DEX/manifest/ELF at all */
	AP_EXIT_PARTIAL = 4,  /* analysed, but a limit or unreadable part left the result partial */
	AP_EXIT_INTERNAL = 70 /* a bug or out of memory */
};

/* argv[0] is the subcommand name. Each returns an enum ap_exit value. */
int ap_cmd_scan(int argc, char **argv);
int ap_cmd_manifest(int argc, char **argv);
int ap_cmd_dex(int argc, char **argv);
int ap_cmd_native(int argc, char **argv);
int ap_cmd_batch(int argc, char **argv);
int ap_cmd_entries(int argc, char **argv);

/* Installs the stderr log sink; verbose adds info/debug lines. */
void ap_cli_log_init(int verbose);

/* Directory of bundled samples compiled into the binary (AP_SAMPLES_DIR), used when `apkpriv`
 * runs with no arguments. */
const char *ap_cli_samples_dir(void);

#endif
