/* PLACEHOLDER, replaced by the owner of 'apkpriv dex' before anything lands. */
#include "cli.h"

#include <stdio.h>

int ap_cmd_dex(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "apkpriv: 'dex' is not built yet\n");
	return AP_EXIT_INTERNAL;
}
