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
 * into a new chunk or run at a random free slot, or the lowest free room
 * when random slots are taken.  New chunks are made whole or not at all: a
 * failure half way gives back the chunks made so far before the range
 * falls back with its own reason.
 *
 * Everything here runs under the pool mutex (pool_state.c) unless it says
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

#include <roxpool/ksym.h>
#include <roxpool/pgtable.h>
#include <roxpool/testing.h>

#include "pool_internal.h"

#define RP_CHUNK_RELEASE_DELAY	(5 * HZ)
/* Random 2 MiB slots tried for a new chunk before taking the lowest free. */
#define RP_SLOT_TRIES		8
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
 * 2 MiB of module space at the lowest free 2 MiB slot in [start, end).
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
	void *p = static_call(rp___vmalloc_node_range_noprof)
		(RP_CHUNK_BYTES, RP_CHUNK_BYTES, start, end,
		 GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, PAGE_KERNEL,
		 VM_ALLOW_HUGE_VMAP | VM_NO_GUARD, numa_node_id(),
		 __builtin_return_address(0));

	if (p)
		kmemleak_free(p);
	return p;
}

/* The module area's 2 MiB slots: the first, and how many there are. */
static unsigned long rp_slots(unsigned long *base)
{
	*base = ALIGN(MODULES_VADDR, RP_CHUNK_BYTES);
	return (MODULES_END - *base) / RP_CHUNK_BYTES;
}

/*
 * 2 MiB of module space at a random free slot, as unpredictable as the
 * kernel's own per-boot module area offset and more: redrawn per chunk.  A
 * crowded module area falls back to the lowest free slot.
 */
static void *rp_vmalloc_chunk(void)
{
	unsigned long base, slots = rp_slots(&base);
	unsigned int i;
	void *p;

	for (i = 0; i < RP_SLOT_TRIES; i++) {
		unsigned long start = base +
			(unsigned long)get_random_u32_below(slots) * RP_CHUNK_BYTES;

		p = rp_vmalloc_chunk_in(start, start + RP_CHUNK_BYTES);
		if (p)
			return p;
	}
	return rp_vmalloc_chunk_in(MODULES_VADDR, MODULES_END);
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

/* A new chunk for a range of @npages; see rp_chunk_init(). */
static struct rp_chunk *rp_chunk_create(unsigned int npages)
{
	enum rp_chunk_err err;
	struct rp_chunk *c;
	void *p;

	p = rp_vmalloc_chunk();
	c = p ? rp_chunk_init(p, &err) : NULL;
	if (!c) {
		rp_history.chunk_failures++;
		return NULL;
	}
	rp_chunk_set_head(c, RP_CHUNK_PAGES, npages);
	rp_chunk_add(c);
	return c;
}

/* Give back the chunks of a run that failed half way; none is on the list. */
static void rp_run_unwind(struct rp_chunk **run, unsigned int n)
{
	while (n--) {
		rp_chunk_destroy(run[n]->addr);
		kfree(run[n]);
	}
}

/*
 * Try to build a run of @k chunks whose first chunk goes at the lowest free
 * 2 MiB slot in [@lo, @hi).  Return 0 with the chunks in @run, or -EBUSY
 * with *@next past the slot that was taken (try again from there), or
 * -ENOSPC (no slot at all in the range), or -ENOMEM with *@why set.  On
 * failure nothing is left behind.
 */
static int rp_run_try(struct rp_chunk **run, unsigned int k,
		      unsigned long lo, unsigned long hi, unsigned long *next,
		      enum rp_fallback *why)
{
	unsigned long addr = 0;
	enum rp_chunk_err err;
	unsigned int i;
	void *p;

	for (i = 0; i < k; i++) {
		bool fault = i == 1 && rp_fault(RP_FAULT_RUN);
		unsigned long start = i ? addr + i * RP_CHUNK_BYTES : lo;
		unsigned long end = i ? start + RP_CHUNK_BYTES : hi;

		p = fault ? NULL : rp_vmalloc_chunk_in(start, end);
		if (!p) {
			rp_run_unwind(run, i);
			if (fault) {
				pr_info("fault injection: a run's second chunk fails\n");
				*why = RP_FB_RUN_BROKEN;
				return -ENOMEM;
			}
			if (!i)
				return -ENOSPC;
			/* That slot is taken: the run cannot start before it. */
			*next = start + RP_CHUNK_BYTES;
			return -EBUSY;
		}
		if (!i)
			addr = (unsigned long)p;
		run[i] = rp_chunk_init(p, &err);
		if (!run[i]) {
			rp_run_unwind(run, i);
			*why = err == RP_CHUNK_NO_HUGE ? RP_FB_RUN_HUGE :
			       RP_FB_RUN_BROKEN;
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * A new run of chunks for a range of @npages at a random 2 MiB slot with
 * room for the whole run, as a single chunk goes; when RP_SLOT_TRIES random
 * slots are taken, the lowest room there is.  Return its first chunk, or
 * NULL with *@why set.
 */
static struct rp_chunk *rp_run_create(unsigned int npages,
				      enum rp_fallback *why)
{
	unsigned long base, slots = rp_slots(&base);
	unsigned int k = rp_run_chunks(npages), i;
	struct rp_chunk *run[RP_MAX_RUN];
	unsigned long lo = MODULES_VADDR, next = 0;
	int ret = -ENOSPC;

	*why = RP_FB_RUN_SPACE;
	if (k > RP_MAX_RUN || slots < k)
		goto fail;
	for (i = 0; i < RP_SLOT_TRIES; i++) {
		unsigned long start = base + RP_CHUNK_BYTES *
			(unsigned long)get_random_u32_below(slots - k + 1);

		ret = rp_run_try(run, k, start, start + RP_CHUNK_BYTES, &next,
				 why);
		if (!ret || ret == -ENOMEM)
			break;
	}
	/* Crowded: the lowest room, each failure moving past a taken slot. */
	while (ret && ret != -ENOMEM) {
		if (lo + (unsigned long)k * RP_CHUNK_BYTES > MODULES_END)
			break;
		ret = rp_run_try(run, k, lo,
				 MODULES_END - (k - 1) * RP_CHUNK_BYTES, &next,
				 why);
		if (ret == -ENOSPC)
			break;
		lo = next;
	}
	if (ret)
		goto fail;
	rp_chunk_set_head(run[0], k * RP_CHUNK_PAGES, npages);
	for (i = 0; i < k; i++)
		rp_chunk_add(run[i]);
	return run[0];
fail:
	rp_history.chunk_failures++;
	return NULL;
}

/*
 * @added new chunks right after @c, the last chunk of its run.  Return 0,
 * or -ENOSPC or -EBUSY when that module space is taken, or -ENOMEM with
 * *@why set.
 */
static int rp_run_extend(struct rp_chunk *c, unsigned int added,
			 enum rp_fallback *why)
{
	unsigned long lo = c->addr + RP_CHUNK_BYTES, next;
	struct rp_chunk *run[RP_MAX_RUN];
	unsigned int i;
	int ret;

	if (added > RP_MAX_RUN || lo < c->addr ||
	    lo + (unsigned long)added * RP_CHUNK_BYTES > MODULES_END)
		return -ENOSPC;
	ret = rp_run_try(run, added, lo, lo + RP_CHUNK_BYTES, &next, why);
	if (ret)
		return ret;
	for (i = 0; i < added; i++)
		rp_chunk_add(run[i]);
	return 0;
}

/**
 * rp_chunk_place() - where a range of @npages goes
 * @npages: its size, 1 to RP_MAX_PAGES
 * @first: set to its first page in the chunk
 * @why: set to the reason when there is no room
 *
 * In this order of preference (pool_map.c decides, unit-tested): best fit
 * over the free space of the runs there are (a chunk on its own is a run
 * of one); for a range larger than a chunk, from the free tail of the last
 * chunk of a run into new chunks made right after it; a new chunk, or a
 * new run, at a random free slot.  The pool stays within RP_MAX_CHUNKS.
 *
 * Return: the chunk the range starts in (it continues into the chunks that
 * follow, rp_span_next()), or NULL.
 */
struct rp_chunk *rp_chunk_place(unsigned int npages, unsigned int *first,
				enum rp_fallback *why)
{
	const struct rp_map *maps[RP_MAX_CHUNKS];
	struct rp_chunk *chunks[RP_MAX_CHUNKS], *c;
	bool follows[RP_MAX_CHUNKS], skip[RP_MAX_CHUNKS] = { };
	unsigned int nr = 0, added;
	struct rp_fit fit;
	int ret;

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
	if (rp_fault(RP_FAULT_CHUNK))
		goto fail;
	while (rp_map_best_extension(maps, follows, skip, nr, npages, &fit,
				     &added) && nr + added <= RP_MAX_CHUNKS) {
		ret = rp_run_extend(chunks[fit.chunk], added, why);
		if (!ret) {
			*first = fit.first;
			return chunks[fit.chunk];
		}
		if (ret == -ENOMEM)
			goto fail;
		skip[fit.chunk] = true;
	}
	if (nr + rp_run_chunks(npages) > RP_MAX_CHUNKS)
		return NULL;
	c = npages > RP_CHUNK_PAGES ? rp_run_create(npages, why) :
				      rp_chunk_create(npages);
	if (c)
		*first = c->head;
	return c;
fail:
	rp_history.chunk_failures++;
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
		kfree(c);
	}
}
