// SPDX-License-Identifier: GPL-2.0
/*
 * roxpool policy: which mode to run in on the running kernel.
 *
 * No kernel needed: this file is also built by the user-space unit tests.
 */
#include <linux/kernel.h>

#include <roxpool/name.h>
#include <roxpool/policy.h>

/**
 * rp_policy_mode() - choose roxpool's mode for a kernel
 * @facts: what was found out about the running kernel
 * @reason: set to a short human-readable explanation of the choice
 *
 * A kernel that already pools module text itself always wins: roxpool stands
 * down there.  Otherwise the hooks are only installed where the module loader
 * writes module text in place (6.10 up to, not including, 6.15), where
 * module text is meant to be read-only, where everything the pool needs was
 * found, and only on the kernel series the tests cover unless the user opted
 * in.  @reason is a static string or, for a missing symbol, a string that
 * lives as long as @facts->missing_symbol.
 *
 * Return: the mode to run in.
 */
enum rp_mode rp_policy_mode(const struct rp_kernel_facts *facts,
			    const char **reason)
{
	if (facts->native_rox) {
		*reason = "kernel has its own ROX cache for module text";
		return RP_MODE_NATIVE;
	}
	if (facts->version < RP_KVER(RP_KERNEL_MIN_VERSION,
				     RP_KERNEL_MIN_PATCHLEVEL, 0)) {
		*reason = "kernel older than 6.10 has no execmem";
		return RP_MODE_OFF;
	}
	if (facts->version >= RP_KVER(RP_KERNEL_NATIVE_VERSION,
				      RP_KERNEL_NATIVE_PATCHLEVEL, 0)) {
		*reason = "kernel 6.15+ without its ROX cache is not supported";
		return RP_MODE_OFF;
	}
	if (!facts->strict_module_rwx) {
		*reason = "CONFIG_STRICT_MODULE_RWX=n keeps module text writable";
		return RP_MODE_OFF;
	}
	if (!facts->pmd_mappings) {
		*reason = "CPU cannot map 2 MiB pages";
		return RP_MODE_OFF;
	}
	if (facts->lto) {
		*reason = "LTO kernel: callers of execmem_alloc cannot be told apart";
		return RP_MODE_OFF;
	}
	if (facts->kasan_no_vmalloc) {
		*reason = "KASAN without CONFIG_KASAN_VMALLOC is not supported";
		return RP_MODE_OFF;
	}
	if (facts->missing_symbol) {
		*reason = "kernel symbol missing (CONFIG_KALLSYMS_ALL?); see the kernel log";
		return RP_MODE_OFF;
	}
	if (!facts->loader_found) {
		*reason = "module loader's execmem_alloc call not in a known function";
		return RP_MODE_OFF;
	}
	if ((facts->version >> 8) != (RP_KVER(RP_KERNEL_TESTED_VERSION,
					      RP_KERNEL_TESTED_PATCHLEVEL, 0) >> 8) &&
	    !facts->allow_untested) {
		*reason = "untested kernel series (6.12.y is); allow_untested=1 pools anyway";
		return RP_MODE_OFF;
	}
	if ((facts->version >> 8) == (RP_KVER(RP_KERNEL_TESTED_VERSION,
					      RP_KERNEL_TESTED_PATCHLEVEL, 0) >> 8) &&
	    ((facts->version & 0xff) < RP_KERNEL_TESTED_SUBLEVEL_FIRST ||
	     (facts->version & 0xff) > RP_KERNEL_TESTED_SUBLEVEL_LAST))
		*reason = "module text allocations are hooked; 6.12.y outside the tested 107-117";
	else
		*reason = "module text allocations are hooked";
	return RP_MODE_HOOK;
}

static const char *const rp_mode_names[] = {
	[RP_MODE_OFF]		= "off",
	[RP_MODE_HOOK]		= "hook",
	[RP_MODE_NATIVE]	= "native",
};

const char *rp_mode_name(enum rp_mode mode)
{
	return rp_name(rp_mode_names, ARRAY_SIZE(rp_mode_names), mode);
}
