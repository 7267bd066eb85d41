// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: a livepatch of rp_test_provider's rp_test_provided(), which
 * then adds 100 instead of 1 (41 gives 141, not 42).  Patching a module's function applies when
 * that module loads and is reverted when it goes, so the livepatch test can
 * unload and reload the pooled provider under the patch.
 */
#include <linux/livepatch.h>
#include <linux/module.h>

static int rp_test_provided_patched(int x)
{
	return x + 100;
}

static struct klp_func rp_lp_funcs[] = {
	{
		.old_name = "rp_test_provided",
		.new_func = rp_test_provided_patched,
	},
	{ }
};

static struct klp_object rp_lp_objs[] = {
	{
		.name = "rp_test_provider",
		.funcs = rp_lp_funcs,
	},
	{ }
};

static struct klp_patch rp_lp_patch = {
	.mod = THIS_MODULE,
	.objs = rp_lp_objs,
};

static int __init rp_test_livepatch_init(void)
{
	return klp_enable_patch(&rp_lp_patch);
}
module_init(rp_test_livepatch_init);

static void __exit rp_test_livepatch_exit(void)
{
}
module_exit(rp_test_livepatch_exit);

MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("roxpool test: livepatch of the provider");
