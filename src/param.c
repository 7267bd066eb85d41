// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/module/roxpool/parameters/enabled: the runtime on/off switch.
 *
 * Off stops new pool allocations; what is pooled stays and is freed normally.
 * Only exact boolean spellings are taken (rp_parse_bool()); anything else is
 * refused with -EINVAL and changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include <roxpool/core.h>
#include <roxpool/pool.h>

static bool rp_enabled_flag = true;

static int rp_enabled_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err;

	/* "roxpool.enabled" with no value on the command line means on. */
	if (!val)
		val = "1";
	err = rp_parse_bool(val, &on);
	if (err)
		return err;
	if (on != READ_ONCE(rp_enabled_flag))
		pr_info("%s\n", on ? "enabled" : "disabled");
	WRITE_ONCE(rp_enabled_flag, on);
	return 0;
}

static int rp_enabled_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", READ_ONCE(rp_enabled_flag) ? 'Y' : 'N');
}

static const struct kernel_param_ops rp_enabled_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = rp_enabled_set,
	.get = rp_enabled_get,
};

module_param_cb(enabled, &rp_enabled_ops, NULL, 0644);
MODULE_PARM_DESC(enabled,
		 "Serve new module text from the ROX pool (1/0, y/n, yes/no, on/off, true/false; default on)");

bool rp_enabled(void)
{
	return READ_ONCE(rp_enabled_flag);
}

/*
 * fault_inject: reserved for testing.  Root arms failures of the pool's
 * allocation paths ("chunk", "staging", "collapse", joined by commas, or
 * "none") to show that every load still succeeds, the fallback is counted
 * and nothing leaks.  Root only (0600); not in debugfs, which must stay
 * read-only.
 */
static unsigned int rp_faults;

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
	if ((old & RP_FAULT_COLLAPSE) && !(mask & RP_FAULT_COLLAPSE))
		rp_pool_kick();
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
		 "Testing only: make pool steps fail (chunk,staging,collapse or none)");

bool rp_fault(unsigned int fault)
{
	return READ_ONCE(rp_faults) & fault;
}
