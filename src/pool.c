// SPDX-License-Identifier: GPL-2.0
/*
 * The pool: module text in 2 MiB read-only+executable chunks.  This file
 * holds the pool's shared state and its lock, and opens, drains and closes
 * it; the other pool files are listed in pool_internal.h.
 *
 * A range of a chunk goes through these states:
 *
 *   free -> STAGED -> LIVE -> FREEING -> free
 *              \_______________/
 *
 * free     its pages hold INT3, mapped ROX; the chunk's map has them clear.
 * STAGED   handed to the module loader by execmem_alloc(); its PTEs map
 *          fresh staging pages RW+NX, so the loader writes the module at its
 *          final address while the chunk's own pages stay INT3 and every
 *          other range of the chunk stays ROX.
 * LIVE     module_enable_text_rox() pointed the PTEs back at the chunk,
 *          copied the staged text in with text_poke_copy() and freed the
 *          staging pages; once no range of the chunk is staged the chunk is
 *          one PMD leaf again.
 * FREEING  execmem_free() was called; a work item refills the range with
 *          INT3 (or drops its staging pages if it never went live) and
 *          clears it in the map.  Deferred because execmem_free() callers
 *          may hold text_mutex, which text_poke_set() takes.
 *
 * The pool is open only while all three hooks are in (rp_pool_start() after
 * they are installed, rp_pool_drain() before any is removed).  Each range
 * holds a reference on roxpool, taken under the pool mutex before the range
 * is published: while any pooled text exists the hooks that know how to free
 * it must stay, and a plain rmmod is refused.  A forced unload ignores that
 * reference, so unload first closes the pool and waits, uninterruptibly, for
 * it to drain.  Empty chunks are given back to the page allocator after a
 * delay; one is kept as a spare.
 *
 * Placement is randomised like the kernel's module area (module KASLR): a
 * new chunk goes to a random free 2 MiB slot of the module area, and a
 * random number of its first pages (its head, under RP_HEAD_PAGES) is never
 * handed out, so that every range in it moves with the chunk's own offset.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/freezer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/wait.h>

#include "testing.h"

#include "pool_internal.h"

/*
 * rp_pool_mutex protects the chunk list, the maps, the ranges, the history
 * and rp_pool_open.
 *
 * Lock order (held under module_mutex when called from
 * complete_formation()):
 *
 *   text_mutex -> init_mm's mmap lock -> rp_pool_mutex -> cpa_lock -> pgd_lock
 *
 * text_mutex is taken before rp_pool_mutex whenever a chunk may be split or
 * collapsed (pgtable.c says why), init_mm's mmap lock before it whenever a
 * chunk may be collapsed; never the other way.  cpa_lock and pgd_lock are
 * taken inside it by pgtable.c only.  A new chunk is made with none of
 * these held but init_mm's mmap lock, around vmalloc's mapping of it
 * (rp_pgt_lock_tables()).
 */
DEFINE_MUTEX(rp_pool_mutex);
LIST_HEAD(rp_chunks);
LIST_HEAD(rp_ranges);
LIST_HEAD(rp_freeing);
/* New ranges may be handed out: all hooks are in and unload has not begun. */
bool rp_pool_open;
struct rp_pool_history rp_history;

/* Ranges not yet given back: read without the mutex by rp_pool_drain(). */
atomic_t rp_nr_ranges = ATOMIC_INIT(0);
DECLARE_WAIT_QUEUE_HEAD(rp_drain_wq);
atomic64_t rp_fallbacks[RP_FB_NR];
atomic64_t rp_collapse_refused;
atomic64_t rp_chunks_leaked;

/* How often a forced unload names the modules it still waits for. */
#define RP_DRAIN_REPORT		(10 * HZ)

/*
 * wait_event_idle_timeout() for the pool to drain, but freezable: TASK_IDLE
 * is neither woken by signals nor counted by the hung-task detector, and
 * TASK_FREEZABLE lets suspend and hibernation freeze the task in the wait
 * (the kernel has wait_event_freezable_timeout() only for interruptible
 * waits).  The caller holds no lock: a frozen task would hold it until
 * thaw.  Return: 0 on timeout, else the jiffies left.
 */
static long rp_drain_wait(long timeout)
{
	long __ret = timeout;

	might_sleep();
	if (!___wait_cond_timeout(!atomic_read(&rp_nr_ranges)))
		__ret = ___wait_event(rp_drain_wq,
				      ___wait_cond_timeout(!atomic_read(&rp_nr_ranges)),
				      (TASK_IDLE | TASK_FREEZABLE), 0, timeout,
				      __ret = schedule_timeout(__ret));
	return __ret;
}

/* Name the modules whose pooled text is still there; the mutex is held. */
static void rp_pool_name_waited_for(void)
{
	struct rp_range *r;

	list_for_each_entry(r, &rp_ranges, node)
		pr_warn("  %s %s text, %u pages\n",
			r->owner[0] ? r->owner : "(loading)",
			r->init ? "init" : "core", r->npages);
}

/**
 * rp_pool_start() - open the pool; every hook is in place
 */
void rp_pool_start(void)
{
	/* A test build collapses at once when a collapse fault is disarmed. */
	rp_test_on_collapse_allowed(rp_pool_kick);
	mutex_lock(&rp_pool_mutex);
	rp_pool_open = true;
	mutex_unlock(&rp_pool_mutex);
}

/**
 * rp_pool_drain() - close the pool and wait until no pooled text is left
 *
 * Called first at unload, with the hooks still in place.  A plain rmmod
 * gets here only with an empty pool (every range holds a reference on
 * roxpool, taken before the range was published), but "rmmod -f" does not
 * look at references: it gets here while pooled modules are still loaded.
 * Their text must not outlive the hooks that free it (the kernel would hand
 * an address inside a chunk to vfree() and free the whole chunk under its
 * neighbours), so wait until those modules are unloaded, naming them every
 * RP_DRAIN_REPORT.  The wait cannot be interrupted, not even by SIGKILL: an
 * unload that gave up here would have to leave with the hooks.  It is an
 * idle wait, so the hung-task detector leaves it alone, and a freezable
 * one: ->exit() runs with no lock held, so suspend and hibernation freeze
 * the waiting task and thaw it into the same wait (a TASK_IDLE sleep alone
 * refused to freeze and failed every suspend).  New module text goes to
 * the kernel from the start of the wait on.
 */
void rp_pool_drain(void)
{
	bool waited;

	mutex_lock(&rp_pool_mutex);
	rp_pool_open = false;
	waited = !list_empty(&rp_ranges);
	if (waited) {
		pr_warn("forced unload: waiting until these modules are unloaded (this wait cannot be interrupted):\n");
		rp_pool_name_waited_for();
	}
	mutex_unlock(&rp_pool_mutex);
	/* The condition must not sleep: the task is not running there. */
	while (!rp_drain_wait(RP_DRAIN_REPORT)) {
		mutex_lock(&rp_pool_mutex);
		pr_warn("forced unload: still waiting for:\n");
		rp_pool_name_waited_for();
		mutex_unlock(&rp_pool_mutex);
	}
	if (waited)
		pr_info("pooled text all freed; unloading\n");
}

/**
 * rp_pool_exit() - give every chunk back; the hooks are gone by now
 *
 * rp_pool_drain() emptied the pool.  Should a range still be there, live text
 * may run from the chunks: they are left in place (leaked) rather than freed
 * under it.
 */
void rp_pool_exit(void)
{
	rp_ranges_flush();
	rp_chunks_stop_release();
	if (!list_empty(&rp_ranges) || !list_empty(&rp_freeing)) {
		pr_crit("unloaded with pooled text live; its chunks are left in place\n");
		return;
	}
	rp_chunks_destroy_all();
}
