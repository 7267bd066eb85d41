// SPDX-License-Identifier: GPL-2.0
/*
 * Chunk lifecycle: a chunk is made when no chunk has room for a range,
 * split while a range of it is staged and collapsed into its PMD leaf again
 * afterwards (pgtable.c), and given back to the page allocator once it has
 * been empty for RP_CHUNK_RELEASE_DELAY; one empty chunk is kept as a spare.
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
		rp_history.chunks_leaked++;
		return false;
	}
	/* vfree() tells kmemleak; the chunk lost its object at allocation. */
	kmemleak_alloc((void *)addr, RP_CHUNK_BYTES, 0, GFP_KERNEL);
	vfree((void *)addr);
	return true;
}

/*
 * kmemleak: vmalloc registers the whole chunk as one object, but each
 * range in it gets its own (the loader tracks module memory by range), and
 * kmemleak refuses overlapping objects: it would disable itself at the first
 * range.  So the chunk's object goes at once.  (VM_DEFER_KMEMLEAK would skip
 * it only under KASAN without KASAN_VMALLOC, where roxpool does not pool.)
 */
static void *rp_vmalloc_chunk_in(unsigned long start, unsigned long end)
{
	void *p = static_call(rp___vmalloc_node_range_noprof)
		(RP_CHUNK_BYTES, RP_CHUNK_BYTES, start, end,
		 GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL,
		 VM_ALLOW_HUGE_VMAP, numa_node_id(),
		 __builtin_return_address(0));

	if (p)
		kmemleak_free(p);
	return p;
}

/*
 * 2 MiB of module space at a random free slot, as unpredictable as the
 * kernel's own per-boot module area offset and more: redrawn per chunk.  A
 * slot's area also holds vmalloc's guard page, which spills into the next
 * slot.  A crowded module area falls back to the lowest free slot.
 */
static void *rp_vmalloc_chunk(void)
{
	unsigned long base = ALIGN(MODULES_VADDR, RP_CHUNK_BYTES);
	unsigned long slots = (MODULES_END - base) / RP_CHUNK_BYTES - 1;
	unsigned int i;
	void *p;

	for (i = 0; i < RP_SLOT_TRIES; i++) {
		unsigned long start = base +
			(unsigned long)get_random_u32_below(slots) * RP_CHUNK_BYTES;

		p = rp_vmalloc_chunk_in(start, start + RP_CHUNK_BYTES + PAGE_SIZE);
		if (p)
			return p;
	}
	return rp_vmalloc_chunk_in(MODULES_VADDR, MODULES_END);
}

/*
 * A new chunk: 2 MiB of module space backed by one physically contiguous,
 * aligned block (so its direct-map alias stays a 2 MiB page), mapped by one
 * PMD leaf, filled with INT3 while still writable, then made ROX together
 * with its alias.  Allocated on an explicit node: 6.12's vmalloc divides a
 * NUMA_NO_NODE huge request by the number of nodes and would map 4 KiB pages.
 * Used only once CPA reported success and both the leaf and every page of
 * the alias are seen read-only: a writable alias would make the text
 * writable behind the census's back.  Its head is drawn so that a range of
 * @npages still fits after it.
 */
static struct rp_chunk *rp_chunk_create(unsigned int npages)
{
	struct rp_chunk *c, *pos;
	unsigned long addr;
	void *p;
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	p = rp_fault(RP_FAULT_CHUNK) ? NULL : rp_vmalloc_chunk();
	if (!p)
		goto fail;
	addr = (unsigned long)p;
	if (!rp_pgt_leaf(addr, &c->leaf)) {
		pr_warn_once("chunk at %p is not mapped by a PMD leaf; not pooling\n", p);
		kmemleak_alloc(p, RP_CHUNK_BYTES, 0, GFP_KERNEL);
		vfree(p);
		goto fail;
	}
	memset(p, INT3_INSN_OPCODE, RP_CHUNK_BYTES);
	err = static_call(rp_set_memory_rox)(addr, RP_CHUNK_PAGES);
	if (!err)
		err = rp_test_cpa_fault(addr, pmd_pfn(c->leaf));
	if (err || !rp_pgt_leaf(addr, &c->leaf) ||
	    !rp_pgt_leaf_is_rox(c->leaf) ||
	    rp_pgt_alias_writable(pmd_pfn(c->leaf))) {
		pr_warn("chunk at %p: CPA %d, or its leaf or direct-map alias not read-only; not pooling\n",
			p, err);
		rp_chunk_destroy(addr);
		goto fail;
	}
	c->addr = addr;
	c->head = get_random_u32_below(min_t(unsigned int, RP_HEAD_PAGES,
					     RP_CHUNK_PAGES - npages + 1));
	rp_map_set(&c->map, 0, c->head);
	/* Keep the list sorted by address: placement prefers low chunks. */
	list_for_each_entry(pos, &rp_chunks, node)
		if (pos->addr > c->addr)
			break;
	list_add_tail(&c->node, &pos->node);
	rp_history.chunks_created++;
	return c;
fail:
	rp_history.chunk_failures++;
	kfree(c);
	return NULL;
}

/**
 * rp_chunk_place() - where a range of @npages goes
 * @npages: its size, 1 to RP_CHUNK_PAGES
 * @first: set to its first page in the chunk
 *
 * Best fit over the chunks there are (pool_map.c); a new chunk if none has
 * room and the pool has fewer than RP_MAX_CHUNKS.
 *
 * Return: the chunk, or NULL.
 */
struct rp_chunk *rp_chunk_place(unsigned int npages, unsigned int *first)
{
	const struct rp_map *maps[RP_MAX_CHUNKS];
	struct rp_chunk *chunks[RP_MAX_CHUNKS], *c;
	unsigned int nr = 0;
	struct rp_fit fit;

	list_for_each_entry(c, &rp_chunks, node) {
		if (nr == RP_MAX_CHUNKS)
			break;
		chunks[nr] = c;
		maps[nr++] = &c->map;
	}
	if (rp_map_best_fit(maps, nr, npages, &fit)) {
		*first = fit.first;
		return chunks[fit.chunk];
	}
	if (nr == RP_MAX_CHUNKS)
		return NULL;
	c = rp_chunk_create(npages);
	if (c)
		*first = c->head;
	return c;
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
