// SPDX-License-Identifier: GPL-2.0
/*
 * roxpool policy: which mode to run in on the running kernel.
 *
 * No kernel needed: this file is also built by the user-space unit tests.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include <roxpool/name.h>
#include <roxpool/policy.h>
/* Generated at build time from scripts/kernels.conf (Kbuild, tests/unit/Makefile). */
#include <roxpool_tested.h>

/*
 * The releases the matrix tests roxpool on, exactly as uname -r prints them:
 * the pinned hook kernels of kernels.conf's check and extra lanes.  Entries
 * that name "the newest 6.12 of a suite" resolve only when the matrix runs
 * and are not here: a build cannot know what the archive will serve.  make
 * check runs the whole suite on such a point and says when kernels.conf
 * does not pin it; the release is tested from the commit that pins it.
 */
static const char *const rp_tested_releases[] = { RP_TESTED_RELEASES NULL };

/**
 * rp_release_tested() - the test matrix boots this kernel release
 * @release: a uname -r string, e.g. "6.12.118+deb12-amd64"
 *
 * Exact match only: a sublevel range would call another 6.12 tested
 * ("6.12.0-55.24.1.el10_0.x86_64", or a Debian point between two pinned
 * ones) although no lane ran roxpool on it.
 *
 * Return: true if @release is in the tested set.
 */
bool rp_release_tested(const char *release)
{
	const char *const *r;

	if (!release)
		return false;
	for (r = rp_tested_releases; *r; r++)
		if (!strcmp(*r, release))
			return true;
	return false;
}

static bool rp_tested_series(unsigned int version)
{
	unsigned int tested = RP_KVER(RP_KERNEL_TESTED_VERSION,
				      RP_KERNEL_TESTED_PATCHLEVEL, 0);

	return (version >> 8) == (tested >> 8);
}

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
 * in.  Within that series a release the matrix does not hold pools as well:
 * the runtime checks above decide, and the reason says it is untested.
 * @reason is a static string or, for a missing symbol, a string that lives
 * as long as @facts->missing_symbol.
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
	/* Never hook next to a cache that could not be asked. */
	if (facts->rox_code) {
		*reason = "kernel carries a ROX cache's code (see the kernel log); no hooks";
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
	if (!rp_tested_series(facts->version) && !facts->allow_untested) {
		*reason = "untested kernel series (6.12.y is); allow_untested=1 pools anyway";
		return RP_MODE_OFF;
	}
	/*
	 * Every runtime check passed.  A release the matrix never booted pools
	 * too, so that a kernel update does not silently turn pooling off; the
	 * reason and a warning at load (rp_policy_untested()) say so.
	 */
	if (!rp_tested_series(facts->version))
		*reason = "module text allocations are hooked; untested series, allow_untested=1";
	else if (!rp_release_tested(facts->release))
		*reason = "module text allocations are hooked; untested point release";
	else
		*reason = "module text allocations are hooked";
	return RP_MODE_HOOK;
}

/**
 * rp_policy_untested() - roxpool pools on a release the matrix never ran
 * @facts: what rp_policy_mode() decided on
 * @mode: what it decided
 *
 * The caller warns once in the kernel log when this is true: the user ran
 * code on a kernel it was never tested on and should know how to stop it.
 *
 * Return: true if @mode hooks and @facts->release is not in the tested set.
 */
bool rp_policy_untested(const struct rp_kernel_facts *facts, enum rp_mode mode)
{
	return mode == RP_MODE_HOOK && !rp_release_tested(facts->release);
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
