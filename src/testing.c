// SPDX-License-Identifier: GPL-2.0
/*
 * Test-build knobs (see testing.h).  Compiled only with ROXPOOL_TEST=y: the
 * parameters below do not exist in what DKMS or the Debian package build.
 *
 * fault_inject (0600): root arms failures of the pool's steps ("chunk",
 *	"staging", "collapse", "cpa", joined by commas, or "none").
 * delay_ms (0600): sleep this long at every enum rp_delay_point, so that a
 *	test can land a module load inside a window that is otherwise a few
 *	instructions wide.
 * ksym_hide (0400, at load): kernel symbols, joined by commas, that roxpool
 *	pretends not to find, as on a kernel without CONFIG_KALLSYMS_ALL.
 * release (0400, at load): the kernel release string the mode decision
 *	sees instead of uname -r, e.g. a point release the matrix does not
 *	hold; the running kernel's own checks (symbols, loader) still decide.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "ksym.h"
#include "testing.h"

static unsigned int rp_faults;
/* Run when the collapse fault is disarmed (the pool's kick, once it opens). */
static rp_test_fn rp_collapse_allowed;

static int rp_fault_set(const char *val, const struct kernel_param *kp)
{
	unsigned int mask, old;
	int err;

	err = rp_parse_faults(val, &mask);
	if (err)
		return err;
	old = xchg(&rp_faults, mask);
	if (old != mask)
		pr_info("fault injection: %s\n", val);
	/* Chunks left split while collapse was refused are collapsed now. */
	if ((old & RP_FAULT_COLLAPSE) && !(mask & RP_FAULT_COLLAPSE)) {
		rp_test_fn fn = READ_ONCE(rp_collapse_allowed);

		if (fn)
			fn();
	}
	return 0;
}

static int rp_fault_get(char *buf, const struct kernel_param *kp)
{
	char names[64];

	rp_format_faults(READ_ONCE(rp_faults), names, sizeof(names));
	return sysfs_emit(buf, "%s\n", names);
}

static const struct kernel_param_ops rp_fault_ops = {
	.set = rp_fault_set,
	.get = rp_fault_get,
};

module_param_cb(fault_inject, &rp_fault_ops, NULL, 0600);
MODULE_PARM_DESC(fault_inject,
		 "Test build: make pool steps fail (chunk,staging,collapse,cpa or none)");

bool rp_fault(unsigned int fault)
{
	return READ_ONCE(rp_faults) & fault;
}

static unsigned int rp_delay_ms;
module_param_named(delay_ms, rp_delay_ms, uint, 0600);
MODULE_PARM_DESC(delay_ms, "Test build: sleep this long at each race window");

void rp_test_delay(enum rp_delay_point point)
{
	unsigned int ms = READ_ONCE(rp_delay_ms);

	if (ms)
		msleep(ms);
}

static char *rp_ksym_hide = "";
module_param_named(ksym_hide, rp_ksym_hide, charp, 0400);
MODULE_PARM_DESC(ksym_hide,
		 "Test build: kernel symbols to pretend missing (comma-separated)");

bool rp_test_hidden(const char *sym)
{
	size_t len = strlen(sym);
	const char *s = rp_ksym_hide;

	while (s && *s) {
		if (!strncmp(s, sym, len) && (s[len] == ',' || !s[len]))
			return true;
		s = strchr(s, ',');
		if (s)
			s++;
	}
	return false;
}

static char *rp_release = "";
module_param_named(release, rp_release, charp, 0400);
MODULE_PARM_DESC(release,
		 "Test build: the kernel release the mode decision sees (default: uname -r)");

const char *rp_test_release(const char *release)
{
	return *rp_release ? rp_release : release;
}

/**
 * rp_test_on_collapse_allowed() - what to run when the collapse fault is
 * disarmed
 * @fn: the pool's kick: it collapses the chunks the fault left split
 *
 * The pool registers it when it opens; test knobs never call up into the
 * pool by name.
 */
void rp_test_on_collapse_allowed(rp_test_fn fn)
{
	WRITE_ONCE(rp_collapse_allowed, fn);
}

/**
 * rp_test_cpa_fault() - the CPA of a new chunk fails half way, if armed
 * @chunk: the chunk, just made read-only+executable
 * @pfn: its first page frame
 *
 * Leaves what a failed split of a 1 GiB direct-map page would leave: the
 * chunk's own leaf read-only+executable, its direct-map alias writable.
 *
 * Return: -ENOMEM when the "cpa" fault is armed, else 0.
 */
int rp_test_cpa_fault(unsigned long chunk, unsigned long pfn)
{
	if (!rp_fault(RP_FAULT_CPA))
		return 0;
	static_call(rp_set_memory_rw)((unsigned long)pfn_to_kaddr(pfn),
				      PTRS_PER_PMD);
	pr_info("fault injection: CPA of the chunk at %p fails\n",
		(void *)chunk);
	return -ENOMEM;
}
