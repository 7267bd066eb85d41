// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: exports a symbol for rp_test_consumer.  Loading the consumer
 * without it fails in the loader after the consumer's text was allocated
 * ("Unknown symbol"), which is what the failed-load test needs.
 */
#include <linux/module.h>

#include "rp_test.h"

int rp_test_provided(int x)
{
	return x + 1;
}
EXPORT_SYMBOL_GPL(rp_test_provided);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("roxpool test: symbol provider");
