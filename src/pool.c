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
 * Each range holds a reference on roxpool: while any pooled text exists the
 * hooks that know how to free it must stay.  A forced unload ignores that
 * reference, so unload first closes the pool and waits for it to drain (see
 * rp_pool_drain()).  Empty chunks are given back to the page allocator after
 * a delay; one is kept as a spare.
 *
 * Locking: rp_pool_mutex protects the chunk list, the maps and the ranges.
 * It is never held while text_mutex is taken (see pgtable.c for the order).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmemleak.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <asm/text-patching.h>

#include <roxpool/core.h>
#include <roxpool/ksym.h>
#include <roxpool/pool.h>
#include <roxpool/trace.h>

#define RP_CHUNK_RELEASE_DELAY	(5 * HZ)
#define RP_MAX_CHUNKS		((MODULES_END - MODULES_VADDR) / PMD_SIZE)

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
static atomic64_t rp_collapse_refused;
/* Set once at unload, under rp_pool_mutex: no new range after that. */
static bool rp_pool_closed;
/* Ranges not yet given back: read without the mutex by rp_pool_drain(). */
static atomic_t rp_nr_ranges = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(rp_drain_wq);

static void rp_free_work_fn(struct work_struct *work);
static void rp_release_work_fn(struct work_struct *work);
static DECLARE_WORK(rp_free_work, rp_free_work_fn);
static DECLARE_DELAYED_WORK(rp_release_work, rp_release_work_fn);

static const char *rp_state_name(enum rp_range_state state)
{
	switch (state) {
	case RP_STAGED:
		return "staged";
	case RP_LIVE:
		return "live";
	default:
		return "freeing";
	}
}

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

/* Give a chunk's memory back; its pages may be anything but executable. */
static void rp_chunk_destroy(unsigned long addr)
{
	/* NX first: CPA refuses to make executable memory writable. */
	static_call(rp_set_memory_nx)(addr, PTRS_PER_PMD);
	static_call(rp_set_memory_rw)(addr, PTRS_PER_PMD);
	/* vfree() tells kmemleak; the chunk was allocated without telling it. */
	kmemleak_alloc((void *)addr, PMD_SIZE, 0, GFP_KERNEL);
	vfree((void *)addr);
}

static void *rp_vmalloc_chunk(void)
{
	return static_call(rp___vmalloc_node_range_noprof)
		(PMD_SIZE, PMD_SIZE, MODULES_VADDR, MODULES_END,
		 GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL,
		 VM_ALLOW_HUGE_VMAP | VM_DEFER_KMEMLEAK, numa_node_id(),
		 __builtin_return_address(0));
}

/*
 * A new chunk: 2 MiB of module space backed by one physically contiguous,
 * aligned block (so its direct-map alias stays a 2 MiB page), mapped by one
 * PMD leaf, filled with INT3 while still writable, then made ROX together
 * with its alias.  Allocated on an explicit node: 6.12's vmalloc divides a
 * NUMA_NO_NODE huge request by the number of nodes and would map 4 KiB pages.
 */
static struct rp_chunk *rp_chunk_create(void)
{
	struct rp_chunk *c, *pos;
	void *p;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	p = rp_fault(RP_FAULT_CHUNK) ? NULL : rp_vmalloc_chunk();
	if (!p)
		goto fail;
	if (!rp_pgt_is_leaf((unsigned long)p)) {
		pr_warn_once("chunk at %p is not mapped by a PMD leaf; not pooling\n", p);
		kmemleak_alloc(p, PMD_SIZE, 0, GFP_KERNEL);
		vfree(p);
		goto fail;
	}
	memset(p, INT3_INSN_OPCODE, PMD_SIZE);
	static_call(rp_set_memory_rox)((unsigned long)p, PTRS_PER_PMD);
	if (!rp_pgt_leaf_is_rox((unsigned long)p, &c->leaf)) {
		pr_warn_once("chunk at %p did not stay one ROX PMD leaf; not pooling\n", p);
		rp_chunk_destroy((unsigned long)p);
		goto fail;
	}
	c->addr = (unsigned long)p;
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
	const struct rp_map *maps[64];
	struct rp_chunk *chunks[64], *c;
	unsigned int nr = 0;
	struct rp_fit fit;

	list_for_each_entry(c, &rp_chunks, node) {
		if (nr == ARRAY_SIZE(maps))
			break;
		chunks[nr] = c;
		maps[nr++] = &c->map;
	}
	if (rp_map_best_fit(maps, nr, npages, &fit)) {
		*first = fit.first;
		return chunks[fit.chunk];
	}
	if (nr == ARRAY_SIZE(maps) || nr >= RP_MAX_CHUNKS)
		return NULL;
	c = rp_chunk_create();
	*first = 0;
	return c;
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

	mutex_lock(&rp_pool_mutex);
	if (rp_pool_closed) {
		mutex_unlock(&rp_pool_mutex);
		rp_fallback(RP_FB_DISABLED);
		goto fail;
	}
	c = rp_place(npages, &first);
	if (!c) {
		mutex_unlock(&rp_pool_mutex);
		rp_fallback(RP_FB_CHUNK);
		goto fail;
	}
	if (!c->ptes && rp_pgt_split(c)) {
		/* A new chunk left empty goes back with the release work. */
		if (!rp_map_used(&c->map))
			c->empty_since = jiffies;
		mutex_unlock(&rp_pool_mutex);
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

	/* The loader marks its allocation not-leaked: give kmemleak an object. */
	kmemleak_alloc((void *)r->addr, (size_t)npages << PAGE_SHIFT, 0,
		       GFP_KERNEL);
	__module_get(THIS_MODULE);
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
		if (addr >= c->addr && addr < c->addr + PMD_SIZE)
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

/* Finalize one staged range; false if @base is not a staged pool range. */
static bool rp_finalize_range(void *base, const char *owner, bool init)
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
 * rp_pool_finalize() - make a module's pooled text live
 * @mod: the module, fully formed, about to have its text made ROX
 *
 * Called in place of module_enable_text_rox().  Sleeps; takes text_mutex.
 *
 * Return: true if some text of @mod is not pooled, so the kernel's own
 * module_enable_text_rox() must still run (for pooled text it then finds
 * read-only+executable memory and changes nothing).
 */
bool rp_pool_finalize(const struct module *mod)
{
	static const enum mod_mem_type types[] = { MOD_TEXT, MOD_INIT_TEXT };
	bool pooled = false, unpooled = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		const struct module_memory *mem = &mod->mem[types[i]];

		if (!mem->base || !mem->size)
			continue;
		if (rp_finalize_range(mem->base, mod->name,
				      types[i] == MOD_INIT_TEXT))
			pooled = true;
		else
			unpooled = true;
	}
	if (pooled)
		rp_collapse_chunks(false);
	return unpooled;
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
		if (!rp_map_used(&r->chunk->map)) {
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
		if (rp_map_used(&c->map) || c->ptes)
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
		rp_chunk_destroy(c->addr);
		kfree(c);
	}
	if (again)
		schedule_delayed_work(&rp_release_work, RP_CHUNK_RELEASE_DELAY);
}

/**
 * rp_pool_drain() - close the pool and wait until no pooled text is left
 *
 * Called first at unload, with the hooks still in place.  A plain rmmod
 * gets here only with an empty pool (every range holds a reference on
 * roxpool), but "rmmod -f" does not look at references: it gets here while
 * pooled modules are still loaded.  Their text must not outlive the hooks
 * that free it (the kernel would hand an address inside a chunk to vfree()),
 * so wait, killably, until those modules are unloaded.  New text goes to
 * the kernel from now on.
 *
 * Return: true once the pool is empty; false if the wait was killed with
 * pooled text still live.
 */
bool rp_pool_drain(void)
{
	unsigned int n = 0;
	struct rp_range *r;

	mutex_lock(&rp_pool_mutex);
	rp_pool_closed = true;
	list_for_each_entry(r, &rp_ranges, node) {
		if (!n++)
			pr_warn("forced unload: waiting until these modules are unloaded (kill rmmod to give up):\n");
		pr_warn("  %s %s text, %u pages\n", r->owner[0] ? r->owner : "(loading)",
			r->init ? "init" : "core", r->npages);
	}
	mutex_unlock(&rp_pool_mutex);
	/* The condition must not sleep: the task is not running there. */
	if (!wait_event_killable(rp_drain_wq, !atomic_read(&rp_nr_ranges))) {
		if (n)
			pr_info("pooled text all freed; unloading\n");
		return true;
	}
	return false;
}

/**
 * rp_pool_exit() - give every chunk back; the hooks are gone by now
 *
 * rp_pool_drain() emptied the pool unless its wait was killed: then live
 * text may still run from the chunks, and they are left in place (leaked)
 * rather than freed under it.
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
		rp_chunk_destroy(c->addr);
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
		s->bytes_allocated += (u64)rp_map_used(&c->map) << PAGE_SHIFT;
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
		   rp_state_name(r->state), r->owner[0] ? r->owner : "-",
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
 * @addrs: filled with chunk addresses
 * @max: room in @addrs
 *
 * Return: the number of chunks written.
 */
unsigned int rp_pool_chunks(unsigned long *addrs, unsigned int max)
{
	struct rp_chunk *c;
	unsigned int n = 0;

	mutex_lock(&rp_pool_mutex);
	list_for_each_entry(c, &rp_chunks, node) {
		if (n == max)
			break;
		addrs[n++] = c->addr;
	}
	mutex_unlock(&rp_pool_mutex);
	return n;
}

static const char *rp_level_name(unsigned int level)
{
	switch (level) {
	case PG_LEVEL_4K:
		return "4K";
	case PG_LEVEL_2M:
		return "2M";
	case PG_LEVEL_1G:
		return "1G";
	default:
		return "?";
	}
}

/**
 * rp_pool_show_chunks() - one line per chunk, with its direct-map alias
 * @m: debugfs seq_file
 *
 * "address mapping used free largest_free alias_page alias_prot": how the
 * chunk is mapped now (one "pmd" leaf, or "split" while a range is staged),
 * its pages in ranges and free, its largest free extent (pages), and the
 * page size and protection of the direct map where its memory also appears
 * (2M or 1G and "ro" when nothing fragmented it).
 */
void rp_pool_show_chunks(struct seq_file *m)
{
	struct rp_chunk *c;

	mutex_lock(&rp_pool_mutex);
	list_for_each_entry(c, &rp_chunks, node) {
		unsigned long alias = (unsigned long)__va(pmd_pfn(c->leaf) << PAGE_SHIFT);
		unsigned int used = rp_map_used(&c->map), level = 0;
		pte_t *pte = lookup_address(alias, &level);

		seq_printf(m, "0x%lx %s %u %u %u %s %s\n", c->addr,
			   c->ptes ? "split" : "pmd", used, RP_CHUNK_PAGES - used,
			   rp_map_largest_free(&c->map),
			   pte ? rp_level_name(level) : "-",
			   !pte ? "-" : (pte_flags(*pte) & _PAGE_RW) ? "rw" : "ro");
	}
	mutex_unlock(&rp_pool_mutex);
}

/**
 * rp_pool_kick() - run the free work: frees pending ranges, then collapses
 * every chunk that can be collapsed
 */
void rp_pool_kick(void)
{
	if (rp_mode() == RP_MODE_HOOK)
		queue_work(system_unbound_wq, &rp_free_work);
}
