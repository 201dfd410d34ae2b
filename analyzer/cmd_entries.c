/* PLACEHOLDER, replaced by the owner of 'apkpriv entries' before anything lands. */
#include "cli.h"

#include <stdio.h>

int ap_cmd_entries(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "apkpriv: 'entries' is not built yet\n");
	return AP_EXIT_INTERNAL;
}
