// SPDX-License-Identifier: GPL-2.0
/*
 * Chunk lifecycle: a chunk is made when no chunk has room for a range,
 * split while a range of it is staged and collapsed into its PMD leaf again
 * afterwards (pgtable.c), and given back to the page allocator once it has
 * been empty for RP_CHUNK_RELEASE_DELAY; one empty chunk is kept as a spare.
 *
 * Runs.  A range larger than a chunk (amdgpu's 7 MB of text) goes into a
 * run: chunks whose addresses follow each other, each made like any other
 * chunk (its own vmalloc area of one physically contiguous 2 MiB block, its
 * own ROX PMD leaf, its own read-only 2 MiB direct-map alias); the run need
 * not be physically contiguous.  No chunk has vmalloc's guard page
 * (VM_NO_GUARD: nothing writes past a chunk, which is read-only), so that a
 * chunk can start where another ends.  Nothing else marks a run: two chunks
 * are in one when the second starts where the first ends, and the chunk
 * list is sorted by address, so a range that crosses into the next chunk
 * finds it next on the list (rp_span_next()).  While a range spans chunks,
 * each of them has its part set in its map, so none of them is released
 * under it and no chunk can come between them.  Each chunk is split,
 * staged, collapsed, refilled and released on its own; the free space of a
 * run's chunks serves any range.
 *
 * A range goes, in this order of preference (rp_chunk_place()): into the
 * free space of a run there is, which a range that fits a chunk may cross
 * too (the holes that unloads leave across a run's chunks are used); for a
 * range larger than a chunk, from the free tail of the last chunk of a run
 * into new chunks made right after it, when that needs no more new chunks
 * than a run of its own (small modules loaded first leave such tails);
 * into a new chunk or run at a random place with room for all of it.  New
 * chunks go only where vmalloc's free list shows the module space free
 * (vspace.c), so vmalloc is never made to fail; they are made with no lock
 * held (rp_chunks_build()), whole or not at all (a failure half way gives
 * back the chunks made so far before the range falls back with its own
 * reason), and put into the pool under its mutex (rp_chunks_adopt()).
 *
 * Everything here runs under the pool mutex (pool.c) unless it says
 * otherwise.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/text-patching.h>

#include "ksym.h"
#include "pgtable.h"
#include "testing.h"

#include "pool_internal.h"

#define RP_CHUNK_RELEASE_DELAY	(5 * HZ)
/* A chunk's first pages, below a random page under this, are never used. */
#define RP_HEAD_PAGES		16

static void rp_release_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(rp_release_work, rp_release_work_fn);

/*
 * Give a chunk's memory back; its pages may be anything but executable.  If
 * CPA cannot make them writable and non-executable again, they must not
 * reach the page allocator: the chunk is left in place, mapped, and counted.
 */
static bool rp_chunk_destroy(unsigned long addr)
{
	struct vm_struct *vm = static_call(rp_find_vm_area)((void *)addr);

	/* vfree() would reset such an area's alias 4 KiB at a time. */
	if (vm && WARN_ONCE(vm->flags & VM_FLUSH_RESET_PERMS,
			    "roxpool: chunk at %p flagged for a permission reset\n",
			    (void *)addr))
		vm->flags &= ~VM_FLUSH_RESET_PERMS;
	/* NX first: CPA refuses to make executable memory writable. */
	if (static_call(rp_set_memory_nx)(addr, RP_CHUNK_PAGES) ||
	    static_call(rp_set_memory_rw)(addr, RP_CHUNK_PAGES)) {
		pr_err("cannot make the chunk at %p writable again; left in place\n",
		       (void *)addr);
		atomic64_inc(&rp_chunks_leaked);
		return false;
	}
	/* vfree() tells kmemleak; the chunk lost its object at allocation. */
	kmemleak_alloc((void *)addr, RP_CHUNK_BYTES, 0, GFP_KERNEL);
	vfree((void *)addr);
	return true;
}

/*
 * 2 MiB of module space at the lowest free 2 MiB slot in [start, end), in
 * practice the one slot vspace.c found free.
 *
 * kmemleak: vmalloc registers the whole chunk as one object, but each
 * range in it gets its own (the loader tracks module memory by range), and
 * kmemleak refuses overlapping objects: it would disable itself at the first
 * range.  So the chunk's object goes at once.  (VM_DEFER_KMEMLEAK would skip
 * it only under KASAN without KASAN_VMALLOC, where roxpool does not pool.)
 *
 * A chunk is opportunistic, as a transparent huge page is: __GFP_NORETRY
 * keeps the kernel to asynchronous compaction for the 2 MiB block and to no
 * OOM kill for the 4 KiB fallback, and the module text falls back instead.
 * (Synchronous compaction of a fragmented machine could hold the loader,
 * and text_mutex with it, for seconds: a soft lockup under TCG.)
 */
static void *rp_vmalloc_chunk_in(unsigned long start, unsigned long end)
{
	void *p;

	rp_pgt_lock_tables();
	p = static_call(rp___vmalloc_node_range_noprof)
		(RP_CHUNK_BYTES, RP_CHUNK_BYTES, start, end,
		 GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, PAGE_KERNEL,
		 VM_ALLOW_HUGE_VMAP | VM_NO_GUARD, numa_node_id(),
		 __builtin_return_address(0));
	rp_pgt_unlock_tables();

	if (p)
		kmemleak_free(p);
	return p;
}

/**
 * enum rp_chunk_err - why rp_chunk_init() could not make a chunk
 * @RP_CHUNK_NO_HUGE: vmalloc mapped 4 KiB pages: no 2 MiB block was free
 * @RP_CHUNK_BROKEN: no memory for its bookkeeping, or its CPA failed or
 *	left its leaf or its alias writable
 */
enum rp_chunk_err {
	RP_CHUNK_NO_HUGE,
	RP_CHUNK_BROKEN,
};

/*
 * A new chunk from 2 MiB of module space @p, backed (if vmalloc could) by
 * one physically contiguous, aligned block (so its direct-map alias stays a
 * 2 MiB page), mapped by one PMD leaf, filled with INT3 while still
 * writable, then made ROX together with its alias.  Allocated on an
 * explicit node: 6.12's vmalloc divides a NUMA_NO_NODE huge request by the
 * number of nodes and would map 4 KiB pages.  Used only once CPA reported
 * success and both the leaf and every page of the alias are seen read-only:
 * a writable alias would make the text writable behind the census's back.
 * On failure @p is given back and *@err says why.  Not yet on the list.
 */
static struct rp_chunk *rp_chunk_init(void *p, enum rp_chunk_err *err)
{
	unsigned long addr = (unsigned long)p;
	struct rp_chunk *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c || !rp_pgt_leaf(addr, &c->leaf)) {
		if (c)
			pr_warn_once("chunk at %p is not mapped by a PMD leaf; not pooling\n",
				     p);
		*err = c ? RP_CHUNK_NO_HUGE : RP_CHUNK_BROKEN;
		kmemleak_alloc(p, RP_CHUNK_BYTES, 0, GFP_KERNEL);
		vfree(p);
		kfree(c);
		return NULL;
	}
	memset(p, INT3_INSN_OPCODE, RP_CHUNK_BYTES);
	ret = static_call(rp_set_memory_rox)(addr, RP_CHUNK_PAGES);
	if (!ret)
		ret = rp_test_cpa_fault(addr, pmd_pfn(c->leaf));
	if (ret || !rp_pgt_leaf(addr, &c->leaf) ||
	    !rp_pgt_leaf_is_rox(c->leaf) ||
	    rp_pgt_alias_writable(pmd_pfn(c->leaf))) {
		pr_warn("chunk at %p: CPA %d, or its leaf or direct-map alias not read-only; not pooling\n",
			p, ret);
		rp_chunk_destroy(addr);
		*err = RP_CHUNK_BROKEN;
		kfree(c);
		return NULL;
	}
	c->addr = addr;
	return c;
}

/* Put a new chunk on the list, which is sorted by address. */
static void rp_chunk_add(struct rp_chunk *c)
{
	struct rp_chunk *pos;

	list_for_each_entry(pos, &rp_chunks, node)
		if (pos->addr > c->addr)
			break;
	list_add_tail(&c->node, &pos->node);
	rp_history.chunks_created++;
}

/* Its head: a random number of first pages, so that @npages still fit. */
static void rp_chunk_set_head(struct rp_chunk *c, unsigned int pages,
			      unsigned int npages)
{
	c->head = get_random_u32_below(min_t(unsigned int, RP_HEAD_PAGES,
					     pages - npages + 1));
	rp_map_set(&c->map, 0, c->head);
}

/* Give back new chunks that are on no list but @fresh. */
void rp_chunks_discard(struct list_head *fresh)
{
	struct rp_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, fresh, node) {
		list_del(&c->node);
		rp_chunk_destroy(c->addr);
		kfree(c);
	}
}

/*
 * Make @k chunks at @addr, @addr + 2 MiB, ... onto @fresh.  Return 0, or
 * -EBUSY when a slot was taken since vmalloc's free list showed it free
 * (try another), or -ENOMEM with *@why set.  On failure @fresh is empty.
 */
static int rp_chunks_make(unsigned long addr, unsigned int k, bool run,
			  struct list_head *fresh, enum rp_fallback *why)
{
	enum rp_chunk_err err;
	struct rp_chunk *c;
	unsigned int i;
	void *p;

	for (i = 0; i < k; i++) {
		unsigned long slot = addr + i * RP_CHUNK_BYTES;
		bool fault = i == 1 && rp_fault(RP_FAULT_RUN);

		p = fault ? NULL : rp_vmalloc_chunk_in(slot, slot + RP_CHUNK_BYTES);
		if (!p) {
			rp_chunks_discard(fresh);
			if (fault)
				pr_info("fault injection: a run's second chunk fails\n");
			else if (!rp_vspace_free(slot, 1))
				return -EBUSY;
			/* Free and yet refused: no memory. */
			*why = run ? RP_FB_RUN_BROKEN : RP_FB_CHUNK;
			return -ENOMEM;
		}
		c = rp_chunk_init(p, &err);
		if (!c) {
			rp_chunks_discard(fresh);
			*why = !run ? RP_FB_CHUNK : err == RP_CHUNK_NO_HUGE ?
			       RP_FB_RUN_HUGE : RP_FB_RUN_BROKEN;
			return -ENOMEM;
		}
		list_add_tail(&c->node, fresh);
	}
	return 0;
}

/**
 * rp_chunks_build() - make the new chunks a range needs
 * @plan: what rp_chunk_place() asked for
 * @fresh: an empty list; set to the new chunks, by address
 * @why: set to the reason when they cannot be made
 *
 * Called with no lock held: making a chunk allocates and fills 2 MiB and
 * changes its attributes and its alias's (CPA, TLB flushes), none of which
 * needs text_mutex or the pool mutex.  New chunks go at a random place
 * with room for all of them (vspace.c), or right after the run @plan
 * names.  They are made whole or not at all.
 *
 * Return: 0, or -ENOSPC or -ENOMEM with *@why set.
 */
int rp_chunks_build(const struct rp_chunk_plan *plan, struct list_head *fresh,
		    enum rp_fallback *why)
{
	bool run = plan->npages > RP_CHUNK_PAGES;
	unsigned long addr = plan->at;
	int tries, ret = -ENOSPC;

	*why = run ? RP_FB_RUN_SPACE : RP_FB_CHUNK;
	/* A slot taken since the free list was read: once more elsewhere. */
	for (tries = 0; tries < 2; tries++) {
		if (!plan->at && !rp_vspace_pick(plan->k, &addr))
			break;
		ret = rp_chunks_make(addr, plan->k, run, fresh, why);
		if (ret != -EBUSY || plan->at)
			break;
	}
	if (ret) {
		mutex_lock(&rp_pool_mutex);
		rp_history.chunk_failures++;
		mutex_unlock(&rp_pool_mutex);
		return ret == -ENOMEM ? -ENOMEM : -ENOSPC;
	}
	if (!plan->at)
		rp_chunk_set_head(list_first_entry(fresh, struct rp_chunk, node),
				  plan->k * RP_CHUNK_PAGES, plan->npages);
	return 0;
}

/**
 * rp_chunks_adopt() - put new chunks into the pool
 * @fresh: from rp_chunks_build(); emptied on success
 *
 * They are empty: the release work gives them back after the delay if no
 * range comes to them.
 *
 * Return: false if they would take the pool past RP_MAX_CHUNKS (they stay
 * on @fresh, for rp_chunks_discard(): rp_range_place() gives them back).
 */
bool rp_chunks_adopt(struct list_head *fresh)
{
	unsigned int nr = list_count_nodes(&rp_chunks);
	struct rp_chunk *c, *tmp;

	if (nr + list_count_nodes(fresh) > RP_MAX_CHUNKS)
		return false;
	list_for_each_entry_safe(c, tmp, fresh, node) {
		list_del(&c->node);
		c->empty_since = jiffies;
		rp_chunk_add(c);
	}
	rp_chunks_release_later();
	return true;
}

/**
 * rp_chunk_place() - where a range of @npages goes
 * @npages: its size, 1 to RP_MAX_PAGES
 * @first: set to its first page in the chunk
 * @why: set to the reason when there is no room
 * @plan: set to the new chunks that would make room (@plan->k is 0 when
 *	none would), for rp_chunks_build()
 *
 * In this order of preference (pool_map.c decides, unit-tested): best fit
 * over the free space of the runs there are (a chunk on its own is a run
 * of one); for a range larger than a chunk, from the free tail of the last
 * chunk of a run into new chunks right after it, where that module space
 * is free; a new chunk, or a new run, at a random free slot.  The pool
 * stays within RP_MAX_CHUNKS.  Makes no chunk itself: the caller makes the
 * chunks of @plan with no lock held and asks again.
 *
 * Return: the chunk the range starts in (it continues into the chunks that
 * follow, rp_span_next()), or NULL.
 */
struct rp_chunk *rp_chunk_place(unsigned int npages, unsigned int *first,
				enum rp_fallback *why,
				struct rp_chunk_plan *plan)
{
	const struct rp_map *maps[RP_MAX_CHUNKS];
	struct rp_chunk *chunks[RP_MAX_CHUNKS], *c;
	bool follows[RP_MAX_CHUNKS], skip[RP_MAX_CHUNKS] = { };
	unsigned int nr = 0, added;
	struct rp_fit fit;

	plan->k = 0;
	plan->at = 0;
	plan->npages = npages;
	list_for_each_entry(c, &rp_chunks, node) {
		if (nr == RP_MAX_CHUNKS)
			break;
		follows[nr] = nr && chunks[nr - 1]->addr + RP_CHUNK_BYTES == c->addr;
		chunks[nr] = c;
		maps[nr++] = &c->map;
	}
	if (rp_map_best_fit_run(maps, follows, nr, npages, &fit)) {
		*first = fit.first;
		return chunks[fit.chunk];
	}
	*why = RP_FB_CHUNK;
	if (rp_fault(RP_FAULT_CHUNK)) {
		rp_history.chunk_failures++;
		return NULL;
	}
	while (rp_map_best_extension(maps, follows, skip, nr, npages, &fit,
				     &added) && nr + added <= RP_MAX_CHUNKS) {
		unsigned long at = chunks[fit.chunk]->addr + RP_CHUNK_BYTES;

		if (rp_vspace_free(at, added)) {
			plan->k = added;
			plan->at = at;
			return NULL;
		}
		skip[fit.chunk] = true;
	}
	if (nr + rp_run_chunks(npages) <= RP_MAX_CHUNKS)
		plan->k = rp_run_chunks(npages);
	return NULL;
}

/**
 * rp_span_start() - begin walking the parts of a range, chunk by chunk
 * @s: the walk
 * @c: the chunk the range starts in
 * @first: its first page there
 * @npages: its size; beyond @c it continues in the chunks that follow
 */
void rp_span_start(struct rp_span *s, struct rp_chunk *c, unsigned int first,
		   unsigned int npages)
{
	s->chunk = NULL;
	s->start = c;
	s->first = first;
	s->n = 0;
	s->left = npages;
}

/**
 * rp_span_next() - the next part of a range: s->chunk, s->first, s->n
 * @s: the walk
 *
 * The range's pages are set in the maps of the chunks it spans, so none of
 * them is released and none can come between them: the next part is in
 * the next chunk on the list, which starts where the previous one ends.
 *
 * Return: false when the range has no more parts.
 */
bool rp_span_next(struct rp_span *s)
{
	if (!s->left)
		return false;
	if (s->chunk) {
		s->chunk = list_next_entry(s->chunk, node);
		s->first = 0;
	} else {
		s->chunk = s->start;
	}
	s->n = min(s->left, RP_CHUNK_PAGES - s->first);
	s->left -= s->n;
	return true;
}

/**
 * rp_chunks_hold() - is an address inside one of the chunks?
 * @addr: the address
 *
 * Return: true if it is.
 */
bool rp_chunks_hold(unsigned long addr)
{
	struct rp_chunk *c;

	list_for_each_entry(c, &rp_chunks, node)
		if (rp_chunk_contains(c->addr, addr))
			return true;
	return false;
}

/**
 * rp_chunks_collapse() - collapse every chunk that is split with no range
 * staged
 * @force: ignore an armed collapse fault (at unload)
 *
 * Takes text_mutex, init_mm's mmap lock and the pool mutex: the caller holds
 * none of them.
 */
void rp_chunks_collapse(bool force)
{
	struct rp_chunk *c;

	if (!force && rp_fault(RP_FAULT_COLLAPSE)) {
		atomic64_inc(&rp_collapse_refused);
		return;
	}
	rp_pgt_lock_walkers();
	mutex_lock(&rp_pool_mutex);
	list_for_each_entry(c, &rp_chunks, node)
		if (c->ptes && !c->staged)
			rp_pgt_collapse(c);
	mutex_unlock(&rp_pool_mutex);
	rp_pgt_unlock_walkers();
}

/**
 * rp_chunks_release_later() - give back the chunks left empty, after the
 * delay
 */
void rp_chunks_release_later(void)
{
	schedule_delayed_work(&rp_release_work, RP_CHUNK_RELEASE_DELAY);
}

/* Release work: give back empty chunks, keeping one spare. */
static void rp_release_work_fn(struct work_struct *work)
{
	struct rp_chunk *c, *tmp;
	bool spare = false, again = false;
	LIST_HEAD(release);

	mutex_lock(&rp_pool_mutex);
	list_for_each_entry_safe(c, tmp, &rp_chunks, node) {
		if (rp_chunk_used(c) || c->ptes)
			continue;
		if (!spare) {
			spare = true;
			continue;
		}
		if (time_before(jiffies, c->empty_since + RP_CHUNK_RELEASE_DELAY)) {
			again = true;
			continue;
		}
		list_move(&c->node, &release);
		rp_history.chunks_released++;
	}
	mutex_unlock(&rp_pool_mutex);
	list_for_each_entry_safe(c, tmp, &release, node) {
		if (!rp_chunk_destroy(c->addr)) {
			mutex_lock(&rp_pool_mutex);
			rp_history.chunks_released--;
			mutex_unlock(&rp_pool_mutex);
		}
		rp_pgt_chunk_free(c);
		kfree(c);
	}
	if (again)
		rp_chunks_release_later();
}

/**
 * rp_chunks_stop_release() - no release work runs or is pending afterwards
 *
 * At unload, once the free work is done.  Called without the pool mutex.
 */
void rp_chunks_stop_release(void)
{
	cancel_delayed_work_sync(&rp_release_work);
}

/**
 * rp_chunks_destroy_all() - give every chunk back; no range is left
 *
 * At unload, after rp_chunks_stop_release(), without the pool mutex.  A
 * chunk that cannot be made whole again is left in place.
 */
void rp_chunks_destroy_all(void)
{
	struct rp_chunk *c, *tmp;

	/* Chunks left split by an armed collapse fault: whole again first. */
	rp_chunks_collapse(true);
	list_for_each_entry_safe(c, tmp, &rp_chunks, node) {
		list_del(&c->node);
		if (c->ptes) {
			pr_crit("chunk at %p still split at unload; left in place\n",
				(void *)c->addr);
			continue;
		}
		if (rp_chunk_destroy(c->addr))
			rp_history.chunks_released++;
		rp_pgt_chunk_free(c);
		kfree(c);
	}
}
