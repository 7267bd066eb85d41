/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roxpool version policy: the supported kernels and the mode decision.
 *
 * This header needs no kernel: it is built into the module and into the
 * user-space unit tests.  The supported kernel range is declared here once;
 * Kbuild reads RP_KERNEL_MIN_* to refuse older kernels at build time, and a
 * unit test keeps the DKMS BUILD_EXCLUSIVE_KERNEL pattern in step with it.
 */
#ifndef ROXPOOL_POLICY_H
#define ROXPOOL_POLICY_H

#include <linux/types.h>

/* Oldest kernel with execmem_alloc()/execmem_free(). */
#define RP_KERNEL_MIN_VERSION		6
#define RP_KERNEL_MIN_PATCHLEVEL	10

/* First kernel whose x86 module loader uses the native ROX cache design. */
#define RP_KERNEL_NATIVE_VERSION	6
#define RP_KERNEL_NATIVE_PATCHLEVEL	15

/*
 * The kernel series the test matrix covers (scripts/kernels.conf): hook mode
 * is chosen there only, unless the allow_untested parameter asks for it.
 */
#define RP_KERNEL_TESTED_VERSION	6
#define RP_KERNEL_TESTED_PATCHLEVEL	12

/*
 * Within that series a release is tested when the matrix boots it: its
 * uname -r is one of the release strings Kbuild generates from kernels.conf
 * (scripts/tested-releases.awk), matched exactly.  Any other 6.12 release
 * (the next Debian point, another distribution's 6.12) still pools when
 * every runtime check passes, with a warning in the kernel log and
 * "untested point release" in the mode reason.
 */

#define RP_KVER(a, b, c)	(((a) << 16) + ((b) << 8) + (c))

/**
 * enum rp_mode - what roxpool does on the running kernel
 * @RP_MODE_OFF: stood down: no hooks, statistics only (see the reason).
 * @RP_MODE_HOOK: execmem is hooked and module text can be pooled.
 * @RP_MODE_NATIVE: the kernel has its own ROX cache for module text; no
 *	hooks, statistics and census only.
 */
enum rp_mode {
	RP_MODE_OFF,
	RP_MODE_HOOK,
	RP_MODE_NATIVE,
};

/**
 * struct rp_kernel_facts - what decides the mode, gathered at load time
 * @release: the running kernel's release string (uname -r).
 * @version: LINUX_VERSION_CODE-style version of the running kernel.
 * @strict_module_rwx: CONFIG_STRICT_MODULE_RWX is set.  Without it module
 *	text is meant to stay writable (kernel debugging); pooling it ROX would
 *	break that, as upstream learned in 6.16 (47410d839fcd).
 * @pmd_mappings: the CPU maps 2 MiB pages (X86_FEATURE_PSE; not on Xen PV).
 * @native_rox: execmem_is_rox(EXECMEM_MODULE_TEXT) exists and is true.
 * @rox_code: the first other sign of upstream's ROX cache (6.13+, or a
 *	backport of it to an older series, as SUSE's 6.12 carries) that was
 *	found: CONFIG_ARCH_HAS_EXECMEM_ROX in the headers roxpool was built
 *	against, or one of the cache's functions; NULL if none.  A backport
 *	may inline or rename execmem_is_rox(): no single sign decides.
 * @lto: the kernel was built with LTO: functions may be inlined across
 *	files, so the loader's call to execmem_alloc() may sit in any of them.
 * @kasan_no_vmalloc: KASAN without KASAN_VMALLOC: a chunk's shadow is not
 *	what KASAN expects of module space.
 * @allow_untested: the allow_untested parameter: pool on a kernel series
 *	outside the tested one.
 * @missing_symbol: the first kernel symbol pooling needs that was not
 *	found, or NULL.
 * @loader_found: the module loader's call to execmem_alloc() was found in
 *	a function roxpool can recognise as the caller.
 */
struct rp_kernel_facts {
	const char *release;
	unsigned int version;
	bool strict_module_rwx;
	bool pmd_mappings;
	bool native_rox;
	const char *rox_code;
	bool lto;
	bool kasan_no_vmalloc;
	bool allow_untested;
	const char *missing_symbol;
	bool loader_found;
};

enum rp_mode rp_policy_mode(const struct rp_kernel_facts *facts,
			    const char **reason);
bool rp_release_tested(const char *release);
bool rp_policy_untested(const struct rp_kernel_facts *facts,
			enum rp_mode mode);
const char *rp_mode_name(enum rp_mode mode);

#endif /* ROXPOOL_POLICY_H */
