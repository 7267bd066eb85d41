// SPDX-License-Identifier: GPL-2.0
/*
 * Test module whose init fails: the loader has formed it (text live) and
 * must free core and init text again.
 */
#include <linux/module.h>

static noinline int rp_test_initfail_work(int x)
{
	return x * 3;
}

static int __init rp_test_initfail_init(void)
{
	pr_info("rp_test_initfail: running init (%d), then failing\n",
		rp_test_initfail_work(14));
	return -ENODEV;
}
module_init(rp_test_initfail_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("roxpool test: init fails");
