// SPDX-License-Identifier: GPL-2.0
/*
 * The pool: module text in 2 MiB read-only+executable chunks.
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
 *
 * Locking: rp_pool_mutex protects the chunk list, the maps, the ranges and
 * rp_pool_open.  Lock order (held under module_mutex when called from
 * complete_formation()): text_mutex, init_mm's mmap lock, rp_pool_mutex,
 * cpa_lock, pgd_lock.  text_mutex is taken before rp_pool_mutex whenever a
 * chunk may be split or collapsed (pgtable.c says why); never the other way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmemleak.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <asm/text-patching.h>

#include <roxpool/ksym.h>
#include <roxpool/name.h>
#include <roxpool/pool.h>
#include <roxpool/state.h>
#include <roxpool/testing.h>
#include <roxpool/trace.h>

#define RP_CHUNK_RELEASE_DELAY	(5 * HZ)
/* How often a forced unload names the modules it still waits for. */
#define RP_DRAIN_REPORT		(10 * HZ)
/* Random 2 MiB slots tried for a new chunk before taking the lowest free. */
#define RP_SLOT_TRIES		8
/* A chunk's first pages, below a random page under this, are never used. */
#define RP_HEAD_PAGES		16

/**
 * enum rp_range_state - where a range is in its life (see the top)
 * @RP_STAGED: the loader is forming the module in staging pages
 * @RP_LIVE: the text is in the chunk, read-only and executable
 * @RP_FREEING: freed by the kernel, waiting for the free work
 */
enum rp_range_state {
	RP_STAGED,
	RP_LIVE,
	RP_FREEING,
};

/**
 * struct rp_range - one module text allocation served from the pool
 * @node: in rp_ranges, or in rp_freeing once freed
 * @chunk: the chunk it is in
 * @addr: its first byte, what execmem_alloc() returned
 * @npages: its size in pages
 * @state: see enum rp_range_state
 * @staging: the staging pages while staged, else NULL
 * @owner: name of the module whose text it holds, once finalized
 * @init: it holds that module's init text
 */
struct rp_range {
	struct list_head node;
	struct rp_chunk *chunk;
	unsigned long addr;
	unsigned int npages;
	enum rp_range_state state;
	struct page **staging;
	char owner[MODULE_NAME_LEN];
	bool init;
};

static DEFINE_MUTEX(rp_pool_mutex);
static LIST_HEAD(rp_chunks);
static LIST_HEAD(rp_ranges);
static LIST_HEAD(rp_freeing);

static atomic64_t rp_fallbacks[RP_FB_NR];
static u64 rp_allocs, rp_frees, rp_finalized, rp_bytes_copied;
static u64 rp_stage_ns, rp_finalize_ns;
static u64 rp_chunks_created, rp_chunks_released, rp_chunk_failures;
static u64 rp_chunks_leaked;
static atomic64_t rp_collapse_refused;
/* New ranges may be handed out: all hooks are in and unload has not begun. */
static bool rp_pool_open;
/* Ranges not yet given back: read without the mutex by rp_pool_drain(). */
static atomic_t rp_nr_ranges = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(rp_drain_wq);

static void rp_free_work_fn(struct work_struct *work);
static void rp_release_work_fn(struct work_struct *work);
static DECLARE_WORK(rp_free_work, rp_free_work_fn);
static DECLARE_DELAYED_WORK(rp_release_work, rp_release_work_fn);

static const char *const rp_range_state_names[] = {
	[RP_STAGED]	= "staged",
	[RP_LIVE]	= "live",
	[RP_FREEING]	= "freeing",
};

static void rp_free_pages(struct page **pages, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pages[i])
			__free_page(pages[i]);
	kfree(pages);
}

static struct page **rp_alloc_pages(unsigned int n)
{
	struct page **pages;
	unsigned int i;

	if (rp_fault(RP_FAULT_STAGING))
		return NULL;
	pages = kcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			rp_free_pages(pages, n);
			return NULL;
		}
	}
	return pages;
}

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
		rp_chunks_leaked++;
		return false;
	}
	/* vfree() tells kmemleak; the chunk was allocated without telling it. */
	kmemleak_alloc((void *)addr, RP_CHUNK_BYTES, 0, GFP_KERNEL);
	vfree((void *)addr);
	return true;
}

static void *rp_vmalloc_chunk_in(unsigned long start, unsigned long end)
{
	return static_call(rp___vmalloc_node_range_noprof)
		(RP_CHUNK_BYTES, RP_CHUNK_BYTES, start, end,
		 GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL,
		 VM_ALLOW_HUGE_VMAP | VM_DEFER_KMEMLEAK, numa_node_id(),
		 __builtin_return_address(0));
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
	if (err || !rp_pgt_leaf_is_rox(addr, &c->leaf) ||
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
	rp_chunks_created++;
	return c;
fail:
	rp_chunk_failures++;
	kfree(c);
	return NULL;
}

/* Where a range of @npages goes; a new chunk if none has room. */
static struct rp_chunk *rp_place(unsigned int npages, unsigned int *first)
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

/* Pages of a chunk in ranges: its head is in the map but in no range. */
static unsigned int rp_chunk_used(const struct rp_chunk *c)
{
	return rp_map_used(&c->map) - c->head;
}

static void rp_fallback(enum rp_fallback why)
{
	atomic64_inc(&rp_fallbacks[why]);
	trace_roxpool_fallback(why);
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
	struct rp_range *r;
	struct rp_chunk *c;

	if (!rp_enabled()) {
		rp_fallback(RP_FB_DISABLED);
		return NULL;
	}
	if (!npages || npages > RP_CHUNK_PAGES) {
		rp_fallback(RP_FB_TOO_LARGE);
		return NULL;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (r)
		r->staging = rp_alloc_pages(npages);
	if (!r || !r->staging) {
		kfree(r);
		rp_fallback(RP_FB_STAGING);
		return NULL;
	}

	/* A split changes a PMD that text_poke() may be walking. */
	rp_pgt_lock_text();
	mutex_lock(&rp_pool_mutex);
	/*
	 * The range's reference on roxpool is taken before it is published:
	 * once roxpool is going (rmmod passed its refcount check) no range
	 * can appear any more.
	 */
	if (!rp_pool_open || !try_module_get(THIS_MODULE)) {
		mutex_unlock(&rp_pool_mutex);
		rp_pgt_unlock_text();
		rp_fallback(RP_FB_DISABLED);
		goto fail;
	}
	c = rp_place(npages, &first);
	if (!c) {
		module_put(THIS_MODULE);
		mutex_unlock(&rp_pool_mutex);
		rp_pgt_unlock_text();
		rp_fallback(RP_FB_CHUNK);
		goto fail;
	}
	if (!c->ptes && rp_pgt_split(c)) {
		/* A new chunk left empty goes back with the release work. */
		if (!rp_chunk_used(c))
			c->empty_since = jiffies;
		module_put(THIS_MODULE);
		mutex_unlock(&rp_pool_mutex);
		rp_pgt_unlock_text();
		rp_fallback(RP_FB_STAGING);
		schedule_delayed_work(&rp_release_work, RP_CHUNK_RELEASE_DELAY);
		goto fail;
	}
	r->chunk = c;
	r->addr = c->addr + ((unsigned long)first << PAGE_SHIFT);
	r->npages = npages;
	r->state = RP_STAGED;
	rp_map_set(&c->map, first, npages);
	c->staged++;
	rp_pgt_stage(c, r->addr, r->staging, npages);
	list_add_tail(&r->node, &rp_ranges);
	atomic_inc(&rp_nr_ranges);
	rp_allocs++;
	rp_stage_ns += ktime_get_ns() - t0;
	mutex_unlock(&rp_pool_mutex);
	rp_pgt_unlock_text();

	/* The loader marks its allocation not-leaked: give kmemleak an object. */
	kmemleak_alloc((void *)r->addr, (size_t)npages << PAGE_SHIFT, 0,
		       GFP_KERNEL);
	rp_test_delay(RP_DELAY_ALLOC);
	pr_debug("staged %u pages at %p\n", npages, (void *)r->addr);
	trace_roxpool_alloc(r->addr, (unsigned long)npages << PAGE_SHIFT, c->addr);
	return (void *)r->addr;
fail:
	rp_free_pages(r->staging, npages);
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

static bool rp_in_pool(unsigned long addr)
{
	struct rp_chunk *c;

	list_for_each_entry(c, &rp_chunks, node)
		if (addr >= c->addr && addr - c->addr < RP_CHUNK_BYTES)
			return true;
	return false;
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

	mutex_lock(&rp_pool_mutex);
	r = rp_find_range(addr);
	if (!r) {
		bool inside = rp_in_pool(addr);

		mutex_unlock(&rp_pool_mutex);
		/* Never let vfree() see an address inside a chunk. */
		WARN_ONCE(inside, "roxpool: free of %p: inside the pool, not a range\n",
			  ptr);
		return inside;
	}
	r->state = RP_FREEING;
	trace_roxpool_free(r->owner, addr, (unsigned long)r->npages << PAGE_SHIFT,
			   r->chunk->addr, r->init);
	list_move_tail(&r->node, &rp_freeing);
	mutex_unlock(&rp_pool_mutex);
	kmemleak_free(ptr);
	queue_work(system_unbound_wq, &rp_free_work);
	return true;
}

/*
 * Collapse every chunk that is split with no range staged.  Takes
 * text_mutex: the caller must not hold it, nor the pool mutex.  @force
 * ignores an armed collapse fault (at unload).
 */
static void rp_collapse_chunks(bool force)
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

/* Copy staged text into the chunk, in one text_poke_copy() when possible. */
static void rp_copy_in(unsigned long addr, struct page **pages,
		       unsigned int n)
{
	void *src = vmap(pages, n, VM_MAP, PAGE_KERNEL_RO);
	unsigned int i;

	if (src) {
		static_call(rp_text_poke_copy)((void *)addr, src,
					       (size_t)n << PAGE_SHIFT);
		vunmap(src);
		return;
	}
	for (i = 0; i < n; i++)
		static_call(rp_text_poke_copy)((void *)(addr + i * PAGE_SIZE),
					       page_address(pages[i]),
					       PAGE_SIZE);
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
	/* Back to the chunk's own pages: INT3, read-only, executable. */
	rp_pgt_unstage(r->chunk, addr, r->npages);
	pages = r->staging;
	r->staging = NULL;
	n = r->npages;
	strscpy(r->owner, owner, sizeof(r->owner));
	r->init = init;
	mutex_unlock(&rp_pool_mutex);

	/* The module is not live yet: nothing runs this text meanwhile. */
	rp_copy_in(addr, pages, n);
	rp_free_pages(pages, n);

	mutex_lock(&rp_pool_mutex);
	r->state = RP_LIVE;
	r->chunk->staged--;
	rp_finalized++;
	rp_bytes_copied += (u64)n << PAGE_SHIFT;
	rp_finalize_ns += ktime_get_ns() - t0;
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
	rp_collapse_chunks(false);
}

/* Free work: refill every freed range with INT3 and give it back. */
static void rp_free_work_fn(struct work_struct *work)
{
	struct rp_range *r;
	bool empty = false;

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
			/* Never went live: the chunk's pages are still INT3. */
			rp_pgt_unstage(r->chunk, r->addr, r->npages);
			r->chunk->staged--;
			mutex_unlock(&rp_pool_mutex);
			rp_free_pages(r->staging, r->npages);
		} else {
			mutex_unlock(&rp_pool_mutex);
			static_call(rp_text_poke_set)((void *)r->addr,
						      INT3_INSN_OPCODE,
						      (size_t)r->npages << PAGE_SHIFT);
		}
		mutex_lock(&rp_pool_mutex);
		rp_map_clear(&r->chunk->map, (r->addr - r->chunk->addr) >> PAGE_SHIFT,
			     r->npages);
		if (!rp_chunk_used(r->chunk)) {
			r->chunk->empty_since = jiffies;
			empty = true;
		}
		rp_frees++;
		mutex_unlock(&rp_pool_mutex);
		kfree(r);
		module_put(THIS_MODULE);
		if (atomic_dec_and_test(&rp_nr_ranges))
			wake_up(&rp_drain_wq);
	}
	rp_collapse_chunks(false);
	if (empty)
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
		rp_chunks_released++;
	}
	mutex_unlock(&rp_pool_mutex);
	list_for_each_entry_safe(c, tmp, &release, node) {
		if (!rp_chunk_destroy(c->addr)) {
			mutex_lock(&rp_pool_mutex);
			rp_chunks_released--;
			mutex_unlock(&rp_pool_mutex);
		}
		kfree(c);
	}
	if (again)
		schedule_delayed_work(&rp_release_work, RP_CHUNK_RELEASE_DELAY);
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
 * idle wait, so the hung-task detector leaves it alone.  New module text
 * goes to the kernel from the start of the wait on.
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
	while (!wait_event_idle_timeout(rp_drain_wq, !atomic_read(&rp_nr_ranges),
					RP_DRAIN_REPORT)) {
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
	struct rp_chunk *c, *tmp;

	flush_work(&rp_free_work);
	cancel_delayed_work_sync(&rp_release_work);
	if (!list_empty(&rp_ranges) || !list_empty(&rp_freeing)) {
		pr_crit("unloaded with pooled text live; its chunks are left in place\n");
		return;
	}
	/* Chunks left split by an armed collapse fault: whole again first. */
	rp_collapse_chunks(true);
	list_for_each_entry_safe(c, tmp, &rp_chunks, node) {
		list_del(&c->node);
		if (c->ptes) {
			pr_crit("chunk at %p still split at unload; left in place\n",
				(void *)c->addr);
			continue;
		}
		if (rp_chunk_destroy(c->addr))
			rp_chunks_released++;
		kfree(c);
	}
}

/**
 * rp_pool_read() - the pool part of the statistics
 * @s: filled in
 */
void rp_pool_read(struct rp_pool_stats *s)
{
	struct rp_range *r;
	struct rp_chunk *c;
	unsigned int i;

	mutex_lock(&rp_pool_mutex);
	list_for_each_entry(c, &rp_chunks, node) {
		s->chunks++;
		if (c->ptes)
			s->chunks_split++;
		else
			s->chunks_pmd++;
		s->bytes_allocated += (u64)rp_chunk_used(c) << PAGE_SHIFT;
		s->largest_free = max_t(u64, s->largest_free,
					(u64)rp_map_largest_free(&c->map) << PAGE_SHIFT);
	}
	list_for_each_entry(r, &rp_ranges, node) {
		s->ranges++;
		s->staged += r->state == RP_STAGED;
	}
	list_for_each_entry(r, &rp_freeing, node)
		s->ranges++;
	s->chunks_created = rp_chunks_created;
	s->chunks_released = rp_chunks_released;
	s->chunk_failures = rp_chunk_failures;
	s->chunks_leaked = rp_chunks_leaked;
	s->collapse_refused = atomic64_read(&rp_collapse_refused);
	s->allocs = rp_allocs;
	s->frees = rp_frees;
	s->finalized = rp_finalized;
	s->bytes_copied = rp_bytes_copied;
	s->stage_ns = rp_stage_ns;
	s->finalize_ns = rp_finalize_ns;
	mutex_unlock(&rp_pool_mutex);
	for (i = 0; i < RP_FB_NR; i++)
		s->fallbacks[i] = atomic64_read(&rp_fallbacks[i]);
}

static void rp_show_range(struct seq_file *m, const struct rp_range *r)
{
	seq_printf(m, "0x%lx-0x%lx %8lu %-7s %s %s\n", r->addr,
		   r->addr + ((unsigned long)r->npages << PAGE_SHIFT),
		   (unsigned long)r->npages << PAGE_SHIFT,
		   rp_name(rp_range_state_names,
			   ARRAY_SIZE(rp_range_state_names), r->state),
		   r->owner[0] ? r->owner : "-",
		   r->owner[0] ? (r->init ? "init" : "core") : "-");
}

/**
 * rp_pool_show_allocations() - one line per pooled range
 * @m: debugfs seq_file
 */
void rp_pool_show_allocations(struct seq_file *m)
{
	struct rp_range *r;

	mutex_lock(&rp_pool_mutex);
	list_for_each_entry(r, &rp_ranges, node)
		rp_show_range(m, r);
	list_for_each_entry(r, &rp_freeing, node)
		rp_show_range(m, r);
	mutex_unlock(&rp_pool_mutex);
}

/**
 * rp_pool_chunks() - where the chunks are, now
 * @info: filled with each chunk's address and the state of its alias
 * @max: room in @info
 *
 * Return: the number of chunks written.
 */
unsigned int rp_pool_chunks(struct rp_chunk_info *info, unsigned int max)
{
	struct rp_chunk *c;
	unsigned int n = 0;

	mutex_lock(&rp_pool_mutex);
	list_for_each_entry(c, &rp_chunks, node) {
		if (n == max)
			break;
		info[n].addr = c->addr;
		/* Under the mutex: no chunk on the list is being released. */
		info[n++].alias_writable =
			rp_pgt_alias_writable(pmd_pfn(c->leaf));
	}
	mutex_unlock(&rp_pool_mutex);
	return n;
}

static const char *const rp_level_names[] = {
	[PG_LEVEL_4K]	= "4K",
	[PG_LEVEL_2M]	= "2M",
	[PG_LEVEL_1G]	= "1G",
};

/**
 * rp_pool_show_chunks() - one line per chunk, with its direct-map alias
 * @m: debugfs seq_file
 *
 * "address mapping used free largest_free alias_page alias_prot alias":
 * how the chunk is mapped now (one "pmd" leaf, or "split" while a range is
 * staged), its pages in ranges and free, its largest free extent (pages),
 * and the page size, protection and address of the direct map where its
 * memory also appears (2M or 1G and "ro" when nothing fragmented it).
 */
void rp_pool_show_chunks(struct seq_file *m)
{
	struct rp_chunk *c;

	mutex_lock(&rp_pool_mutex);
	list_for_each_entry(c, &rp_chunks, node) {
		unsigned long alias = (unsigned long)__va(pmd_pfn(c->leaf) << PAGE_SHIFT);
		unsigned int used = rp_chunk_used(c), level = 0;
		pte_t *pte = lookup_address(alias, &level);

		seq_printf(m, "0x%lx %s %u %u %u %s %s 0x%lx\n", c->addr,
			   c->ptes ? "split" : "pmd", used,
			   RP_CHUNK_PAGES - c->head - used,
			   rp_map_largest_free(&c->map),
			   pte ? rp_name(rp_level_names, ARRAY_SIZE(rp_level_names),
					 level) : "-",
			   !pte ? "-" : (pte_flags(*pte) & _PAGE_RW) ? "rw" : "ro",
			   alias);
	}
	mutex_unlock(&rp_pool_mutex);
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
