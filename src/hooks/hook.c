// SPDX-License-Identifier: GPL-2.0
/*
 * Installing and removing roxpool's ftrace hooks.
 *
 * Lifetime: a task redirected into a wrapper may sleep there (vmalloc,
 * text_poke) for a long time.  The ftrace callback counts it in before the
 * redirect, with preemption still off, and the wrapper counts itself out as
 * its last action; removal waits for the count to drain and then for an
 * RCU-tasks grace period, so no task is left on roxpool's text when the
 * module goes away.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/freezer.h>
#include <linux/ftrace.h>
#include <linux/sched.h>
#include <linux/wait_bit.h>

#include "../hooks.h"
#include "../ksym.h"
#include "../testing.h"

/**
 * struct rp_hook - one hooked kernel function
 * @sym: which resolved symbol it hooks
 * @wrapper: where its calls go instead
 * @ops: the ftrace_ops that redirects them
 * @installed: the ops are registered
 */
struct rp_hook {
	enum rp_ksym_id sym;
	void *wrapper;
	struct ftrace_ops ops;
	bool installed;
};

static atomic_t rp_hooks_inflight = ATOMIC_INIT(0);

static void notrace rp_hook_redirect(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *ops,
				     struct ftrace_regs *fregs)
{
	struct rp_hook *hook = container_of(ops, struct rp_hook, ops);

	/* roxpool's own call of the original: let it run. */
	if (within_module(parent_ip, THIS_MODULE))
		return;
	atomic_inc(&rp_hooks_inflight);
	ftrace_regs_set_instruction_pointer(fregs, (unsigned long)hook->wrapper);
}

/*
 * PERMANENT: while the hooks are registered, sysctl kernel.ftrace_enabled
 * cannot turn them off behind roxpool's back (a pool address freed without
 * the hook would reach vfree()).
 */
#define RP_HOOK_FLAGS	(FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_RECURSION | \
			 FTRACE_OPS_FL_PERMANENT | RP_FTRACE_OPS_REGS)

#define RP_HOOK(id, fn)							\
	{								\
		.sym = id,						\
		.wrapper = fn,						\
		.ops = { .func = rp_hook_redirect, .flags = RP_HOOK_FLAGS }, \
	}

/*
 * Installed in this order, removed in the reverse one: the hooks that finish
 * and free pooled text are in place before the one that hands it out, and
 * stay until after it is gone.  The pool itself only opens once all three
 * are in (rp_pool_start()) and closes before any is removed
 * (rp_pool_drain()), so no range is ever handed out without both of them.
 */
static struct rp_hook rp_hooks[] = {
	RP_HOOK(RP_KSYM_EXECMEM_FREE, rp_hook_execmem_free),
	RP_HOOK(RP_KSYM_MODULE_ENABLE_TEXT_ROX, rp_hook_module_enable_text_rox),
	RP_HOOK(RP_KSYM_EXECMEM_ALLOC, rp_hook_execmem_alloc),
};

/**
 * rp_hook_leave() - a wrapper is done with roxpool's text
 *
 * The last call of every wrapper, after it called the original.
 */
void rp_hook_leave(void)
{
	if (atomic_dec_and_test(&rp_hooks_inflight))
		wake_up_var(&rp_hooks_inflight);
}

static int rp_hook_install(struct rp_hook *hook)
{
	unsigned long addr = rp_ksym_addr(hook->sym);
	const char *name = rp_ksym_name(hook->sym);
	int err;

	err = ftrace_set_filter_ip(&hook->ops, addr, 0, 0);
	if (err) {
		pr_err("cannot trace %s: %d (is it in available_filter_functions?)\n",
		       name, err);
		return err;
	}
	err = register_ftrace_function(&hook->ops);
	if (err) {
		pr_err("cannot hook %s: %d (another IPMODIFY user such as livepatch, or ftrace_enabled=0?)\n",
		       name, err);
		ftrace_set_filter_ip(&hook->ops, addr, 1, 0);
		return err;
	}
	hook->installed = true;
	return 0;
}

/* Return: 0, or the error that left the hook in place. */
static int rp_hook_uninstall(struct rp_hook *hook)
{
	int err;

	if (!hook->installed)
		return 0;
	/*
	 * Fails for registered ops only once ftrace is dead (ftrace_bug()
	 * called ftrace_kill(): -ENODEV); the call site then stays patched
	 * to this ops for good.
	 */
	err = unregister_ftrace_function(&hook->ops);
	if (err) {
		pr_crit("cannot unhook %s: %d; its calls still come to roxpool\n",
			rp_ksym_name(hook->sym), err);
		return err;
	}
	ftrace_set_filter_ip(&hook->ops, rp_ksym_addr(hook->sym), 1, 0);
	hook->installed = false;
	return 0;
}

/*
 * A hook could not be removed: its call site still leads to roxpool's
 * ftrace_ops and wrapper, so roxpool's memory must never be freed.  The
 * unload (or the failed load) never ends: the task sleeps here for ever, freezable (suspend
 * still works) and out of the hung-task detector's sight.  The wrappers
 * go on serving the kernel its own way (the pool is closed).
 */
static void rp_hooks_stuck(void)
{
	pr_crit("hooks cannot be removed (ftrace is disabled): roxpool stays loaded and this task waits for ever; reboot to unload it\n");
	for (;;) {
		set_current_state(TASK_IDLE | TASK_FREEZABLE);
		schedule();
	}
}

/**
 * rp_hooks_install() - hook every function in the table
 *
 * All or nothing: on failure the hooks installed so far are removed.
 *
 * Return: 0 or a negative errno.
 */
int rp_hooks_install(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(rp_hooks); i++) {
		err = rp_hook_install(&rp_hooks[i]);
		if (err) {
			rp_hooks_remove();
			return err;
		}
		rp_test_delay(RP_DELAY_HOOK_INSTALL);
	}
	return 0;
}

/**
 * rp_hooks_remove() - unhook everything and wait until no task is in a wrapper
 *
 * After it returns no call can enter roxpool through a hook, and none that
 * did is still running roxpool's code.  It does not return when a hook
 * cannot be removed (rp_hooks_stuck()): neither the failed load nor the
 * unload that called it may free roxpool then.
 */
void rp_hooks_remove(void)
{
	unsigned int i;
	int err = 0;

	for (i = ARRAY_SIZE(rp_hooks); i-- > 0;)
		err |= rp_hook_uninstall(&rp_hooks[i]);
	if (err)
		rp_hooks_stuck();
	wait_var_event(&rp_hooks_inflight, !atomic_read(&rp_hooks_inflight));
	rp_compat_sync_tasks();
}

unsigned int rp_hooks_installed(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(rp_hooks); i++)
		n += rp_hooks[i].installed;
	return n;
}
