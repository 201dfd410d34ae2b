/* PLACEHOLDER, replaced by the owner of 'apkpriv native' before anything lands. */
#include "cli.h"

#include <stdio.h>

int ap_cmd_native(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "apkpriv: 'native' is not built yet\n");
	return AP_EXIT_INTERNAL;
}
