// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on module_enable_text_rox(): the point where the 6.10-6.14 loader has
 * finished writing a module's text (relocations, alternatives, ftrace NOPs)
 * and makes it read-only and executable.  Pooled text will be finalized here;
 * the wrapper runs in the loader's context, so it may sleep.
 */
#include <roxpool/core.h>
#include <roxpool/hooks.h>
#include <roxpool/ksym.h>

/**
 * rp_hook_module_enable_text_rox() - replaces module_enable_text_rox()
 * @mod: the module being formed
 *
 * Return: what the kernel's module_enable_text_rox() returned.
 */
int rp_hook_module_enable_text_rox(const struct module *mod)
{
	int ret;

	rp_count(RP_CNT_TEXT_ROX);
	ret = static_call(rp_module_enable_text_rox)(mod);
	rp_hook_leave();
	return ret;
}
