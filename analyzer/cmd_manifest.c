/* PLACEHOLDER, replaced by the owner of 'apkpriv manifest' before anything lands. */
#include "cli.h"

#include <stdio.h>

int ap_cmd_manifest(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "apkpriv: 'manifest' is not built yet\n");
	return AP_EXIT_INTERNAL;
}
