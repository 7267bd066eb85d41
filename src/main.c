// SPDX-License-Identifier: GPL-2.0
/*
 * roxpool: module text of stock kernels in shared 2 MiB read-only+executable
 * pages.
 *
 * Load: resolve the kernel functions roxpool needs, decide the mode from the
 * running kernel (policy.c), hook execmem in "hook" mode, publish statistics.
 * Unload: close the pool and wait, uninterruptibly, until no pooled text is
 * left (only "rmmod -f" finds some), remove every hook and wait until no
 * task runs roxpool code.  If ftrace cannot remove a hook, the unload
 * never returns (hook.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/utsname.h>
#include <asm/cpufeature.h>

#include "debugfs.h"
#include "hooks.h"
#include "ksym.h"
#include <roxpool/parse.h>
#include "pool.h"
#include "state.h"
#include "testing.h"
#include "track.h"

static bool rp_native_rox(void)
{
	if (!rp_ksym_has(RP_KSYM_EXECMEM_IS_ROX))
		return false;
	return static_call(rp_execmem_is_rox)(EXECMEM_MODULE_TEXT);
}

/*
 * Every other sign of upstream's ROX cache, in the order they are asked:
 * the Kconfig symbol in the headers roxpool was built against (a test
 * build can pretend it away with ksym_hide), then two of its functions.
 */
static const char *rp_rox_code(void)
{
	if (IS_ENABLED(CONFIG_ARCH_HAS_EXECMEM_ROX) &&
	    !rp_test_hidden("CONFIG_ARCH_HAS_EXECMEM_ROX"))
		return "CONFIG_ARCH_HAS_EXECMEM_ROX";
	if (rp_ksym_has(RP_KSYM_EXECMEM_FILL_TRAPPING_INSNS))
		return rp_ksym_name(RP_KSYM_EXECMEM_FILL_TRAPPING_INSNS);
	if (rp_ksym_has(RP_KSYM_EXECMEM_CACHE_FREE))
		return rp_ksym_name(RP_KSYM_EXECMEM_CACHE_FREE);
	return NULL;
}

static int __init roxpool_init(void)
{
	struct rp_kernel_facts facts = {
		.strict_module_rwx = IS_ENABLED(CONFIG_STRICT_MODULE_RWX),
		.pmd_mappings = boot_cpu_has(X86_FEATURE_PSE),
		.lto = IS_ENABLED(CONFIG_LTO),
		.kasan_no_vmalloc = IS_ENABLED(CONFIG_KASAN) &&
				    !IS_ENABLED(CONFIG_KASAN_VMALLOC),
		.allow_untested = rp_allow_untested(),
	};
	const char *reason;
	enum rp_mode mode;
	int err;

	rp_compat_check_execmem_types();
	err = rp_ksym_init();
	if (err)
		return err;

	facts.native_rox = rp_native_rox();
	facts.rox_code = rp_rox_code();
	if (facts.rox_code && !facts.native_rox)
		pr_info("the kernel has a ROX cache's code (%s) but execmem_is_rox() %s: standing down\n",
			facts.rox_code,
			rp_ksym_has(RP_KSYM_EXECMEM_IS_ROX) ? "says no" :
			"was not found");
	facts.release = rp_test_release(init_utsname()->release);
	if (rp_parse_release(facts.release, &facts.version)) {
		pr_err("cannot parse kernel release %s\n", facts.release);
		return -EINVAL;
	}
	/* What the pool needs matters only where roxpool would pool. */
	if (!facts.native_rox && !facts.rox_code) {
		facts.missing_symbol = rp_ksym_pool_missing();
		facts.loader_found = !facts.missing_symbol && rp_callers_init();
	}
	mode = rp_policy_mode(&facts, &reason);
	if (mode == RP_MODE_HOOK) {
		/* The pool opens only once every hook is in. */
		err = rp_hooks_install();
		if (err)
			return err;
		rp_test_delay(RP_DELAY_HOOK_INSTALL);
		rp_pool_start();
	}
	rp_set_mode(mode, reason);
	rp_debugfs_init();
	pr_info("mode %s: %s\n", rp_mode_name(mode), reason);
	if (rp_policy_untested(&facts, mode))
		pr_warn("kernel %s was not tested with roxpool %s; pooling anyway, every runtime check passed; to stop: roxpool.enabled=0 (options roxpool enabled=0 in modprobe.d, or 0 in /sys/module/roxpool/parameters/enabled)\n",
			facts.release, ROXPOOL_VERSION);
	return 0;
}

static void __exit roxpool_exit(void)
{
	/*
	 * Close the pool and wait until no pooled text is left: only
	 * "rmmod -f" gets here with some, and then the hooks must outlive it.
	 */
	if (rp_mode() == RP_MODE_HOOK)
		rp_pool_drain();
	rp_debugfs_exit();
	if (rp_mode() == RP_MODE_HOOK) {
		rp_hooks_remove();
		rp_pool_exit();
	}
	rp_track_exit();
	pr_info("unloaded\n");
}

module_init(roxpool_init);
module_exit(roxpool_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The roxpool developers");
MODULE_DESCRIPTION("Module text in shared 2 MiB read-only+executable pages");
MODULE_VERSION(ROXPOOL_VERSION);
