/* PLACEHOLDER, replaced by the owner of 'apkpriv batch' before anything lands. */
#include "cli.h"

#include <stdio.h>

int ap_cmd_batch(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "apkpriv: 'batch' is not built yet\n");
	return AP_EXIT_INTERNAL;
}
