// SPDX-License-Identifier: GPL-2.0
/*
 * What the pool tells the reporting above it: its part of the statistics,
 * the "allocations" debugfs file, and a view of each chunk for the census
 * (which reads the page tables itself, census.c).  Everything is read under
 * the pool mutex, so no chunk is being released meanwhile.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include <roxpool/name.h>

#include "pool_internal.h"

static const char *const rp_range_state_names[] = {
	[RP_STAGED]	= "staged",
	[RP_LIVE]	= "live",
	[RP_FREEING]	= "freeing",
};

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
	s->chunks_created = rp_history.chunks_created;
	s->chunks_released = rp_history.chunks_released;
	s->chunk_failures = rp_history.chunk_failures;
	s->chunks_leaked = atomic64_read(&rp_chunks_leaked);
	s->collapse_refused = atomic64_read(&rp_collapse_refused);
	s->allocs = rp_history.allocs;
	s->frees = rp_history.frees;
	s->finalized = rp_history.finalized;
	s->bytes_copied = rp_history.bytes_copied;
	s->stage_ns = rp_history.stage_ns;
	s->finalize_ns = rp_history.finalize_ns;
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
 * rp_pool_visit_chunks() - show every chunk, by address, to a reader
 * @fn: called once per chunk, under the pool mutex: it must not sleep long
 *	nor take a lock that comes before the pool mutex (pool.c)
 * @ctx: passed to @fn
 *
 * Under the mutex no chunk on the list is being released, so @fn may read
 * the page tables that map a chunk and its direct-map alias.
 */
void rp_pool_visit_chunks(rp_chunk_fn fn, void *ctx)
{
	struct rp_chunk_view v;
	struct rp_chunk *c;

	mutex_lock(&rp_pool_mutex);
	list_for_each_entry(c, &rp_chunks, node) {
		v.addr = c->addr;
		v.pfn = pmd_pfn(c->leaf);
		v.split = c->ptes;
		v.used = rp_chunk_used(c);
		v.free = RP_CHUNK_PAGES - c->head - v.used;
		v.largest_free = rp_map_largest_free(&c->map);
		fn(&v, ctx);
	}
	mutex_unlock(&rp_pool_mutex);
}
