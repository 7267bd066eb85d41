// SPDX-License-Identifier: GPL-2.0
/*
 * Range lifecycle: the hooks' entry points into the pool.  execmem_alloc()
 * stages a range (rp_pool_alloc()), module_enable_text_rox() makes it live
 * (rp_pool_finalize()), execmem_free() hands it to the free work
 * (rp_pool_free()), which refills it with INT3 and gives it back.  The
 * states are laid out in pool.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmemleak.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/text-patching.h>

#include "ksym.h"
#include "pgtable.h"
#include "state.h"
#include "testing.h"
#include <roxpool/trace.h>

#include "pool_internal.h"

static void rp_free_work_fn(struct work_struct *work);
static DECLARE_WORK(rp_free_work, rp_free_work_fn);

static void rp_fallback(enum rp_fallback why)
{
	atomic64_inc(&rp_fallbacks[why]);
	trace_roxpool_fallback(why);
}

/*
 * Begin a walk over the parts of a range, one per chunk it spans (chunk.c):
 * for (rp_range_span(&s, r); rp_span_next(&s);).
 */
static void rp_range_span(struct rp_span *s, const struct rp_range *r)
{
	rp_span_start(s, r->chunk, (r->addr - r->chunk->addr) >> PAGE_SHIFT,
		      r->npages);
}

/* The address of a part. */
static unsigned long rp_part_addr(const struct rp_span *s)
{
	return s->chunk->addr + ((unsigned long)s->first << PAGE_SHIFT);
}

/*
 * Split every chunk a new range will span.  On failure the chunks split so
 * far stay split, with nothing staged, until the free work collapses them.
 */
static int rp_range_split(struct rp_range *r)
{
	struct rp_span s;
	int err;

	for (rp_range_span(&s, r); rp_span_next(&s);) {
		if (s.chunk->ptes)
			continue;
		err = rp_pgt_split(s.chunk);
		if (err)
			return err;
	}
	return 0;
}

/* Map a range's staging pages, part by part; the chunks are split. */
static void rp_range_stage(struct rp_range *r)
{
	unsigned int done = 0;
	struct rp_span s;

	for (rp_range_span(&s, r); rp_span_next(&s);) {
		rp_map_set(&s.chunk->map, s.first, s.n);
		s.chunk->staged++;
		rp_pgt_stage(s.chunk, rp_part_addr(&s), r->staging + done, s.n);
		done += s.n;
	}
}

/* Map a staged range to its chunks' own pages again (INT3 or the text). */
static void rp_range_unstage(struct rp_range *r)
{
	struct rp_span s;

	for (rp_range_span(&s, r); rp_span_next(&s);)
		rp_pgt_unstage(s.chunk, rp_part_addr(&s), s.n);
}

/* No part of the range is staged any more: its chunks may collapse. */
static void rp_range_staged_done(struct rp_range *r)
{
	struct rp_span s;

	for (rp_range_span(&s, r); rp_span_next(&s);)
		s.chunk->staged--;
}

/*
 * kmemleak: a range is one object per chunk it touches.  The loader marks
 * the range not-leaked by its address, so an object starts there; and each
 * chunk's vm_struct still points kmemleak at the chunk's start (vmalloc's
 * excess reference), which must start an object or be in none: a range
 * spanning chunks as one object would have kmemleak's scan find that
 * address inside it and warn.
 */
static void rp_range_kmemleak(unsigned long addr, unsigned int npages,
			      bool alloc)
{
	unsigned long end = addr + ((unsigned long)npages << PAGE_SHIFT), next;

	for (; addr < end; addr = next) {
		next = min(ALIGN(addr + 1, RP_CHUNK_BYTES), end);
		if (alloc)
			kmemleak_alloc((void *)addr, next - addr, 0, GFP_KERNEL);
		else
			kmemleak_free((void *)addr);
	}
}

/*
 * One allocation at a time makes new chunks: concurrent loads that all
 * found no room would otherwise each make their own, and a machine short
 * of free 2 MiB blocks would spend them on chunks that stay empty.  Taken
 * with no other lock held, before text_mutex and the pool mutex.
 */
static DEFINE_MUTEX(rp_build_mutex);

/*
 * Room for a range of @npages, in the chunks there are or in new ones,
 * which are made with no lock held but rp_build_mutex (rp_chunks_build())
 * and put into the pool before it is asked again.  Return the chunk the
 * range starts in and *@first, with text_mutex and the pool mutex held (a
 * split changes a PMD that text_poke() may be walking) and the range's
 * reference on roxpool taken; or NULL with neither held and *@why set.
 */
static struct rp_chunk *rp_range_place(unsigned int npages,
				       unsigned int *first,
				       enum rp_fallback *why)
{
	struct rp_chunk_plan plan;
	struct rp_chunk *c = NULL;
	bool building = false;
	LIST_HEAD(fresh);
	int built = 0;

	for (;;) {
		rp_pgt_lock_text();
		mutex_lock(&rp_pool_mutex);
		if (!list_empty(&fresh))
			rp_chunks_adopt(&fresh);
		/*
		 * The range's reference on roxpool is taken before it is
		 * published: once roxpool is going (rmmod passed its refcount
		 * check) no range can appear any more.
		 */
		if (!rp_pool_open || !try_module_get(THIS_MODULE)) {
			*why = RP_FB_DISABLED;
			break;
		}
		c = rp_chunk_place(npages, first, why, &plan);
		if (c)
			break;
		module_put(THIS_MODULE);
		/* Room made twice and taken twice by concurrent loads: enough. */
		if (!plan.k || built == 2)
			break;
		mutex_unlock(&rp_pool_mutex);
		rp_pgt_unlock_text();
		/* Chunks the pool had no place for. */
		rp_chunks_discard(&fresh);
		if (!building) {
			/* Whoever held it may have made room: ask again first. */
			mutex_lock(&rp_build_mutex);
			building = true;
			continue;
		}
		built++;
		if (rp_chunks_build(&plan, &fresh, why)) {
			mutex_unlock(&rp_build_mutex);
			return NULL;
		}
	}
	if (building)
		mutex_unlock(&rp_build_mutex);
	if (c) {
		/* New chunks past RP_MAX_CHUNKS (rare): back at once. */
		rp_chunks_discard(&fresh);
		return c;
	}
	mutex_unlock(&rp_pool_mutex);
	rp_pgt_unlock_text();
	rp_chunks_discard(&fresh);
	return NULL;
}

/**
 * rp_pool_alloc() - serve one module text allocation of the loader
 * @size: bytes asked for
 *
 * Sleeps.  On success the range is STAGED: writable at its final address,
 * never executable, until rp_pool_finalize().
 *
 * Return: the range, or NULL (counted by reason) to let the kernel allocate.
 */
void *rp_pool_alloc(size_t size)
{
	unsigned int npages = PAGE_ALIGN(size) >> PAGE_SHIFT, first;
	u64 t0 = ktime_get_ns();
	enum rp_fallback why;
	struct rp_range *r;
	struct rp_chunk *c;
	struct rp_span s;

	if (!rp_enabled()) {
		rp_fallback(RP_FB_DISABLED);
		return NULL;
	}
	if (!npages || npages > RP_MAX_PAGES) {
		rp_fallback(RP_FB_TOO_LARGE);
		return NULL;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (r)
		r->staging = rp_staging_alloc(npages);
	if (!r || !r->staging) {
		kfree(r);
		rp_fallback(RP_FB_STAGING);
		return NULL;
	}

	c = rp_range_place(npages, &first, &why);
	if (!c) {
		rp_fallback(why);
		goto fail;
	}
	r->chunk = c;
	r->addr = c->addr + ((unsigned long)first << PAGE_SHIFT);
	r->npages = npages;
	r->state = RP_STAGED;
	if (rp_range_split(r)) {
		/* New chunks left empty go back with the release work. */
		for (rp_range_span(&s, r); rp_span_next(&s);)
			if (!rp_chunk_used(s.chunk))
				s.chunk->empty_since = jiffies;
		module_put(THIS_MODULE);
		mutex_unlock(&rp_pool_mutex);
		rp_pgt_unlock_text();
		rp_fallback(RP_FB_STAGING);
		/* Chunks of a run split before the failure: whole again. */
		rp_pool_kick();
		rp_chunks_release_later();
		goto fail;
	}
	rp_range_stage(r);
	list_add_tail(&r->node, &rp_ranges);
	atomic_inc(&rp_nr_ranges);
	rp_history.allocs++;
	rp_history.stage_ns += ktime_get_ns() - t0;
	mutex_unlock(&rp_pool_mutex);
	rp_pgt_unlock_text();

	/* The loader marks its allocation not-leaked: give kmemleak objects. */
	rp_range_kmemleak(r->addr, npages, true);
	rp_test_delay(RP_DELAY_ALLOC);
	pr_debug("staged %u pages at %p\n", npages, (void *)r->addr);
	trace_roxpool_alloc(r->addr, (unsigned long)npages << PAGE_SHIFT, c->addr);
	return (void *)r->addr;
fail:
	rp_staging_free(r->staging, npages);
	kfree(r);
	return NULL;
}

static struct rp_range *rp_find_range(unsigned long addr)
{
	struct rp_range *r;

	list_for_each_entry(r, &rp_ranges, node)
		if (r->addr == addr)
			return r;
	return NULL;
}

/**
 * rp_pool_free() - take back a range the kernel frees
 * @ptr: what execmem_free() was given
 *
 * Never sleeps long and takes no lock but the pool mutex: callers may hold
 * text_mutex.  The range is refilled by the free work.
 *
 * Return: false if @ptr is not the pool's (the kernel frees it).
 */
bool rp_pool_free(void *ptr)
{
	unsigned long addr = (unsigned long)ptr;
	struct rp_range *r;
	unsigned int npages;

	mutex_lock(&rp_pool_mutex);
	r = rp_find_range(addr);
	if (!r) {
		bool inside = rp_chunks_hold(addr);

		mutex_unlock(&rp_pool_mutex);
		/* Never let vfree() see an address inside a chunk. */
		WARN_ONCE(inside, "roxpool: free of %p: inside the pool, not a range\n",
			  ptr);
		return inside;
	}
	r->state = RP_FREEING;
	npages = r->npages;
	trace_roxpool_free(r->owner, addr, (unsigned long)npages << PAGE_SHIFT,
			   r->chunk->addr, r->init);
	/*
	 * kmemleak's objects go before the range can: once on rp_freeing the
	 * free work may give its pages back and a new load take the same
	 * address, and kmemleak disables itself at an overlapping object.
	 */
	rp_range_kmemleak(addr, npages, false);
	list_move_tail(&r->node, &rp_freeing);
	mutex_unlock(&rp_pool_mutex);
	queue_work(system_unbound_wq, &rp_free_work);
	return true;
}

/**
 * rp_pool_finalize() - make one staged range of a module live
 * @base: the module text's address, pooled or not
 * @owner: the module's name
 * @init: it is the module's init text
 *
 * Called in place of module_enable_text_rox(), for each text of the module,
 * fully formed.  Sleeps; takes text_mutex.  Chunks are collapsed afterwards
 * by rp_pool_collapse().
 *
 * Return: false if @base is not a staged pool range (the caller then makes
 * that text read-only+executable the kernel's way).
 */
bool rp_pool_finalize(void *base, const char *owner, bool init)
{
	unsigned long addr = (unsigned long)base;
	u64 t0 = ktime_get_ns();
	struct page **pages;
	struct rp_range *r;
	unsigned int n;

	mutex_lock(&rp_pool_mutex);
	r = rp_find_range(addr);
	if (!r || r->state != RP_STAGED || !r->staging) {
		mutex_unlock(&rp_pool_mutex);
		return false;
	}
	/* Back to the chunks' own pages: INT3, read-only, executable. */
	rp_range_unstage(r);
	pages = r->staging;
	r->staging = NULL;
	n = r->npages;
	strscpy(r->owner, owner, sizeof(r->owner));
	r->init = init;
	mutex_unlock(&rp_pool_mutex);

	/* The module is not live yet: nothing runs this text meanwhile. */
	rp_staging_copy_in(addr, pages, n);
	rp_staging_free(pages, n);

	mutex_lock(&rp_pool_mutex);
	r->state = RP_LIVE;
	rp_range_staged_done(r);
	rp_history.finalized++;
	rp_history.bytes_copied += (u64)n << PAGE_SHIFT;
	rp_history.finalize_ns += ktime_get_ns() - t0;
	trace_roxpool_finalize(owner, addr, (unsigned long)n << PAGE_SHIFT,
			       r->chunk->addr, init);
	mutex_unlock(&rp_pool_mutex);
	pr_debug("%s: %s text live at %p, %u pages\n", owner,
		 init ? "init" : "core", base, n);
	return true;
}

/**
 * rp_pool_collapse() - map every split chunk with no staged range by its
 * PMD leaf again
 *
 * Takes text_mutex: the caller must hold neither it nor the pool mutex.
 */
void rp_pool_collapse(void)
{
	rp_chunks_collapse(false);
}

/* Free work: refill every freed range with INT3 and give it back. */
static void rp_free_work_fn(struct work_struct *work)
{
	struct rp_range *r;
	bool empty = false;
	struct rp_span s;

	for (;;) {
		mutex_lock(&rp_pool_mutex);
		r = list_first_entry_or_null(&rp_freeing, struct rp_range,
					     node);
		if (!r) {
			mutex_unlock(&rp_pool_mutex);
			break;
		}
		list_del(&r->node);
		if (r->staging) {
			/* Never went live: the chunks' pages are still INT3. */
			rp_range_unstage(r);
			rp_range_staged_done(r);
			mutex_unlock(&rp_pool_mutex);
			rp_staging_free(r->staging, r->npages);
		} else {
			mutex_unlock(&rp_pool_mutex);
			static_call(rp_text_poke_set)((void *)r->addr,
						      INT3_INSN_OPCODE,
						      (size_t)r->npages << PAGE_SHIFT);
		}
		mutex_lock(&rp_pool_mutex);
		for (rp_range_span(&s, r); rp_span_next(&s);) {
			rp_map_clear(&s.chunk->map, s.first, s.n);
			if (!rp_chunk_used(s.chunk)) {
				s.chunk->empty_since = jiffies;
				empty = true;
			}
		}
		rp_history.frees++;
		mutex_unlock(&rp_pool_mutex);
		kfree(r);
		module_put(THIS_MODULE);
		if (atomic_dec_and_test(&rp_nr_ranges))
			wake_up(&rp_drain_wq);
	}
	rp_chunks_collapse(false);
	if (empty)
		rp_chunks_release_later();
}

/**
 * rp_pool_kick() - run the free work: frees pending ranges, then collapses
 * every chunk that can be collapsed
 */
void rp_pool_kick(void)
{
	/* Closed: rp_pool_exit() may have flushed the work already. */
	mutex_lock(&rp_pool_mutex);
	if (rp_pool_open)
		queue_work(system_unbound_wq, &rp_free_work);
	mutex_unlock(&rp_pool_mutex);
}

/**
 * rp_ranges_flush() - wait until the free work is done
 *
 * At unload, once the pool is closed and drained.
 */
void rp_ranges_flush(void)
{
	flush_work(&rp_free_work);
}
