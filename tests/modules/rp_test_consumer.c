// SPDX-License-Identifier: GPL-2.0
/* Test module: needs rp_test_provided() from rp_test_provider. */
#include <linux/module.h>

#include "rp_test.h"

static int __init rp_test_consumer_init(void)
{
	pr_info("rp_test_consumer: %d\n", rp_test_provided(41));
	return 0;
}
module_init(rp_test_consumer_init);

static void __exit rp_test_consumer_exit(void)
{
}
module_exit(rp_test_consumer_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("roxpool test: symbol consumer");
