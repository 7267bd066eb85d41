// SPDX-License-Identifier: GPL-2.0
/*
 * roxpool's state: the mode and its reason, the runtime on/off switch
 * (/sys/module/roxpool/parameters/enabled) and the load-time allow_untested
 * opt-in.
 *
 * The switch: off stops new pool allocations; what is pooled stays and is
 * freed normally.  Only exact boolean spellings are taken (rp_parse_bool());
 * anything else is refused with -EINVAL and changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/sysfs.h>

#include <roxpool/parse.h>
#include "state.h"

static enum rp_mode rp_current_mode = RP_MODE_OFF;
static const char *rp_current_reason = "not initialised";

enum rp_mode rp_mode(void)
{
	return rp_current_mode;
}

const char *rp_mode_reason(void)
{
	return rp_current_reason;
}

/**
 * rp_set_mode() - the mode roxpool runs in, decided once at load
 * @mode: the mode
 * @reason: why, a string that outlives roxpool's use of it
 */
void rp_set_mode(enum rp_mode mode, const char *reason)
{
	rp_current_mode = mode;
	rp_current_reason = reason;
}

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
 * allow_untested: pool on a kernel series the test matrix does not cover
 * (policy.h names the tested one).  Read once, at load; for people who
 * accept that roxpool was never run on their kernel.
 */
static bool rp_allow_untested_flag;
module_param_named(allow_untested, rp_allow_untested_flag, bool, 0444);
MODULE_PARM_DESC(allow_untested,
		 "Hook module text on a kernel series outside the tested one (6.12.y); default off");

bool rp_allow_untested(void)
{
	return rp_allow_untested_flag;
}
