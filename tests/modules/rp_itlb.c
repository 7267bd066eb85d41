// SPDX-License-Identifier: GPL-2.0
/*
 * iTLB microbenchmark: a kernel thread calls the functions of the generated
 * rp_itlb_pN modules (see rp_itlb_gen) in a pseudo-random cycle, one
 * function, and so one 4 KiB page of module text, per call, and reports the
 * time per call.  Loaded stock, the text is mapped by one 4 KiB translation
 * per page and the cycle misses the iTLB once the pages outnumber its
 * entries; pooled by roxpool, a few 2 MiB translations map all of it.
 *
 * Parameters (/sys/module/rp_itlb/parameters/):
 *   funcs   functions in the cycle, 0 (default) for all that are loaded
 *   iters   calls timed per run (default 1000000)
 *   run     write anything: run once, in a kernel thread; the write returns
 *           when the run is done
 *   result  the last run: "funcs N iters N ns N ns_per_call X.YYY sum N"
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "rp_itlb.h"

#define RP_ITLB_MAX_PARTS	64

static DEFINE_MUTEX(rp_itlb_mutex);
static const struct rp_itlb_part *rp_itlb_parts[RP_ITLB_MAX_PARTS];

static unsigned int funcs;
module_param(funcs, uint, 0644);
MODULE_PARM_DESC(funcs, "functions in the cycle (0: all loaded)");
static unsigned long iters = 1000000;
module_param(iters, ulong, 0644);
MODULE_PARM_DESC(iters, "calls timed per run");

/**
 * struct rp_itlb_job - one run, shared by the writer and its kernel thread
 * @fns: the functions, in the order of the parts
 * @next: the cycle: after fns[i] comes fns[next[i]]; one cycle through all
 * @n: number of functions
 * @iters: calls to time
 * @ns: time the timed calls took
 * @sum: what the chain computed, so that nothing can be left out
 * @done: completed by the thread, which touches nothing of the job after
 */
struct rp_itlb_job {
	rp_itlb_fn *fns;
	unsigned int *next;
	unsigned int n;
	unsigned long iters;
	u64 ns;
	unsigned long sum;
	struct completion done;
};

static char rp_itlb_result[128] = "none";

/* A fixed xorshift64 sequence: the same cycle on every run and machine. */
static u64 rp_itlb_rand(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Sattolo's shuffle: a random permutation that is one single cycle. */
static void rp_itlb_make_cycle(unsigned int *next, unsigned int n)
{
	unsigned int *order, i, j;
	u64 s = 0x2545f4914f6cdd1dULL;

	order = kvmalloc_array(n, sizeof(*order), GFP_KERNEL);
	if (!order) {
		for (i = 0; i < n; i++)
			next[i] = (i + 1) % n;
		return;
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = rp_itlb_rand(&s) % i;
		swap(order[i], order[j]);
	}
	for (i = 0; i < n; i++)
		next[order[i]] = order[(i + 1) % n];
	kvfree(order);
}

static int rp_itlb_thread(void *arg)
{
	struct rp_itlb_job *job = arg;
	unsigned long sum = 0, i;
	unsigned int at = 0;
	u64 t0;

	/* One lap untimed: page tables and caches warm, as far as they fit. */
	for (i = 0; i < job->n; i++) {
		sum = job->fns[at](sum);
		at = job->next[at];
	}
	t0 = ktime_get_ns();
	for (i = 0; i < job->iters; i++) {
		sum = job->fns[at](sum);
		at = job->next[at];
		if (!(i & 0xfffff))
			cond_resched();
	}
	job->ns = ktime_get_ns() - t0;
	job->sum = sum;
	kthread_complete_and_exit(&job->done, 0);
}

/* Run once with the parts loaded now; rp_itlb_mutex held. */
static int rp_itlb_run(void)
{
	struct rp_itlb_job job = { .iters = iters };
	unsigned int total = 0, i, j;
	struct task_struct *t;
	u64 ps;

	for (i = 0; i < RP_ITLB_MAX_PARTS; i++)
		if (rp_itlb_parts[i])
			total += rp_itlb_parts[i]->n;
	job.n = funcs && funcs < total ? funcs : total;
	if (!job.n || !job.iters)
		return -ENOENT;
	job.fns = kvmalloc_array(total, sizeof(*job.fns), GFP_KERNEL);
	job.next = kvmalloc_array(job.n, sizeof(*job.next), GFP_KERNEL);
	if (!job.fns || !job.next) {
		kvfree(job.fns);
		kvfree(job.next);
		return -ENOMEM;
	}
	total = 0;
	for (i = 0; i < RP_ITLB_MAX_PARTS; i++)
		for (j = 0; rp_itlb_parts[i] && j < rp_itlb_parts[i]->n; j++)
			job.fns[total++] = rp_itlb_parts[i]->fns[j];
	rp_itlb_make_cycle(job.next, job.n);
	init_completion(&job.done);
	t = kthread_run(rp_itlb_thread, &job, "rp_itlb");
	if (IS_ERR(t)) {
		kvfree(job.fns);
		kvfree(job.next);
		return PTR_ERR(t);
	}
	wait_for_completion(&job.done);
	ps = div64_u64(job.ns * 1000, job.iters);
	snprintf(rp_itlb_result, sizeof(rp_itlb_result),
		 "funcs %u iters %lu ns %llu ns_per_call %llu.%03llu sum %lx",
		 job.n, job.iters, job.ns, div_u64(ps, 1000), ps % 1000,
		 job.sum);
	pr_info("%s\n", rp_itlb_result);
	kvfree(job.fns);
	kvfree(job.next);
	return 0;
}

static int rp_itlb_run_set(const char *val, const struct kernel_param *kp)
{
	int ret;

	mutex_lock(&rp_itlb_mutex);
	ret = rp_itlb_run();
	mutex_unlock(&rp_itlb_mutex);
	return ret;
}

static const struct kernel_param_ops rp_itlb_run_ops = {
	.set = rp_itlb_run_set,
};
module_param_cb(run, &rp_itlb_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "write to run the chain once");

static int rp_itlb_result_get(char *buf, const struct kernel_param *kp)
{
	int ret;

	mutex_lock(&rp_itlb_mutex);
	ret = sysfs_emit(buf, "%s\n", rp_itlb_result);
	mutex_unlock(&rp_itlb_mutex);
	return ret;
}

static const struct kernel_param_ops rp_itlb_result_ops = {
	.get = rp_itlb_result_get,
};
module_param_cb(result, &rp_itlb_result_ops, NULL, 0444);
MODULE_PARM_DESC(result, "the last run");

/**
 * rp_itlb_add_part() - make a generated module's functions part of the chain
 * @part: its functions; they stay until rp_itlb_del_part()
 *
 * A run holds rp_itlb_mutex throughout, so a part cannot go while its
 * functions are being called.
 *
 * Return: 0, or -ENOSPC when RP_ITLB_MAX_PARTS are loaded.
 */
int rp_itlb_add_part(const struct rp_itlb_part *part)
{
	int i, ret = -ENOSPC;

	mutex_lock(&rp_itlb_mutex);
	for (i = 0; i < RP_ITLB_MAX_PARTS; i++) {
		if (!rp_itlb_parts[i]) {
			rp_itlb_parts[i] = part;
			ret = 0;
			break;
		}
	}
	mutex_unlock(&rp_itlb_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(rp_itlb_add_part);

/**
 * rp_itlb_del_part() - take a generated module's functions out of the chain
 * @part: what rp_itlb_add_part() was given
 */
void rp_itlb_del_part(const struct rp_itlb_part *part)
{
	int i;

	mutex_lock(&rp_itlb_mutex);
	for (i = 0; i < RP_ITLB_MAX_PARTS; i++)
		if (rp_itlb_parts[i] == part)
			rp_itlb_parts[i] = NULL;
	mutex_unlock(&rp_itlb_mutex);
}
EXPORT_SYMBOL_GPL(rp_itlb_del_part);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("roxpool iTLB benchmark: a pseudo-random chain of calls");
