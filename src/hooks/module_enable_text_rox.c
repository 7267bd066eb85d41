// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on module_enable_text_rox(): the point where the 6.10-6.14 loader has
 * finished writing a module's text (relocations, alternatives, ftrace NOPs)
 * and makes it read-only and executable.  Pooled text is finalized here, in
 * the loader's context (it may sleep), and the kernel's own set_memory_rox()
 * is skipped for it: it would only find ROX memory, and would mark the whole
 * chunk's vm area for a permission reset on free.
 */
#include <roxpool/core.h>
#include <roxpool/hooks.h>
#include <roxpool/ksym.h>
#include <roxpool/pool.h>

/**
 * rp_hook_module_enable_text_rox() - replaces module_enable_text_rox()
 * @mod: the module being formed
 *
 * Return: 0 if all of @mod's text is pooled, else what the kernel's
 * module_enable_text_rox() returned.
 */
int rp_hook_module_enable_text_rox(const struct module *mod)
{
	int ret = 0;

	rp_count(RP_CNT_TEXT_ROX);
	if (rp_pool_finalize(mod))
		ret = static_call(rp_module_enable_text_rox)(mod);
	rp_hook_leave();
	return ret;
}
