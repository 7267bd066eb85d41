// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on module_enable_text_rox(): the point where the 6.10-6.14 loader has
 * finished writing a module's text (relocations, alternatives, ftrace NOPs)
 * and makes it read-only and executable.  Pooled text is finalized here, in
 * the loader's context (it may sleep).  The kernel's own function is never
 * called: for pooled text it would mark the whole chunk's vm area for a
 * permission reset on free (set_vm_flush_reset_perms()), and vfree() would
 * then split the chunk's direct-map alias into 4 KiB pages.  Text that is
 * not pooled (too large, pool switched off or exhausted between the two
 * allocations) gets exactly what the kernel would have given it.
 */
#include "../counters.h"
#include "../hooks.h"
#include "../ksym.h"
#include "../pool.h"

/*
 * The kernel's module_enable_text_rox() for one text that is not pooled,
 * as 6.10-6.14 do it with CONFIG_STRICT_MODULE_RWX (which hook mode
 * requires): flag its own vm area for a permission reset, make it ROX.
 */
static int rp_stock_text_rox(const struct module_memory *mem)
{
	struct vm_struct *vm = static_call(rp_find_vm_area)(mem->base);

	if (vm)
		vm->flags |= VM_FLUSH_RESET_PERMS;
	return static_call(rp_set_memory_rox)((unsigned long)mem->base,
					      mem->size >> PAGE_SHIFT);
}

/* The wrapper stands in for the kernel function: same prototype. */
static_assert(__same_type(&rp_hook_module_enable_text_rox,
			  &rp_proto_module_enable_text_rox));

/**
 * rp_hook_module_enable_text_rox() - replaces module_enable_text_rox()
 * @mod: the module being formed
 *
 * Each text of @mod, core then init as the kernel goes, is either finalized
 * in the pool or made ROX the kernel's way; the first failure stops, as in
 * the kernel.
 *
 * Return: 0, or the error of the kernel's way for unpooled text.
 */
int rp_hook_module_enable_text_rox(const struct module *mod)
{
	static const enum mod_mem_type types[] = { MOD_TEXT, MOD_INIT_TEXT };
	bool pooled = false;
	unsigned int i;
	int ret = 0;

	rp_count(RP_CNT_TEXT_ROX);
	for (i = 0; i < ARRAY_SIZE(types) && !ret; i++) {
		const struct module_memory *mem = &mod->mem[types[i]];

		if (!mem->base)
			continue;
		if (rp_pool_finalize(mem->base, mod->name,
				     types[i] == MOD_INIT_TEXT))
			pooled = true;
		else
			ret = rp_stock_text_rox(mem);
	}
	if (pooled)
		rp_pool_collapse();
	rp_hook_leave();
	return ret;
}
