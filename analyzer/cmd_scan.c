/* PLACEHOLDER, replaced by the owner of 'apkpriv scan' before anything lands. */
#include "cli.h"

#include <stdio.h>

int ap_cmd_scan(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "apkpriv: 'scan' is not built yet\n");
	return AP_EXIT_INTERNAL;
}
