// SPDX-License-Identifier: GPL-2.0
/*
 * s3ctl: administer ks3.ko. All of it lives in cli.c and what it calls, so
 * the unit tests run the same code with their own output streams.
 */
#include "s3ctl.h"

int main(int argc, char **argv)
{
	return s3ctl_main(argc, argv, stdout, stderr);
}
