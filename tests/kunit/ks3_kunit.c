// SPDX-License-Identifier: GPL-2.0
/*
 * ks3_test.ko: KUnit suites for ks3. The module's own objects are linked in
 * (see the top-level Kbuild), so each suite calls internal functions
 * directly; suites run when this module loads.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests for ks3");
MODULE_AUTHOR("The ks3 developers");
MODULE_LICENSE("GPL");
