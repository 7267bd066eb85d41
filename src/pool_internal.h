/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pool's shared state, for the pool's own files only:
 *
 *   staging.c      staging pages: where the loader writes a module's text
 *   chunk.c        chunk lifecycle: create, place into, collapse, release
 *   vspace.c       free module space for new chunks
 *   range.c        range lifecycle: stage, finalize, free (the hooks' calls)
 *   pool.c         the state below and its mutex; opening, draining and
 *                  closing the pool
 *   pool_report.c  what the statistics, debugfs and the census read
 *
 * Everything here is protected by rp_pool_mutex unless it says otherwise;
 * its lock order is written next to it in pool.c.
 */
#ifndef ROXPOOL_POOL_INTERNAL_H
#define ROXPOOL_POOL_INTERNAL_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "chunk.h"
#include <roxpool/fallback.h>
#include "pool.h"

/**
 * enum rp_range_state - where a range is in its life (see pool.c)
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

/**
 * struct rp_pool_history - what the pool did since roxpool loaded
 * @allocs: ranges handed out
 * @frees: ranges given back
 * @finalized: staged ranges copied into their chunk
 * @bytes_copied: bytes written by text_poke_copy()
 * @stage_ns: time spent preparing staged ranges
 * @finalize_ns: time spent finalizing them
 * @chunks_created: chunks made
 * @chunks_released: chunks given back to the page allocator
 * @chunk_failures: chunks that could not be made
 */
struct rp_pool_history {
	u64 allocs;
	u64 frees;
	u64 finalized;
	u64 bytes_copied;
	u64 stage_ns;
	u64 finalize_ns;
	u64 chunks_created;
	u64 chunks_released;
	u64 chunk_failures;
};

/**
 * struct rp_chunk_plan - the new chunks that would make room for a range
 * @k: how many, one after the other; 0 if new chunks would not help
 * @at: where the first goes: right after the last chunk of a run (the
 *	range starts in that chunk's free tail), or 0 for a random place
 * @npages: the range's size
 */
struct rp_chunk_plan {
	unsigned int k;
	unsigned long at;
	unsigned int npages;
};

/* pool.c: the state */
extern struct mutex rp_pool_mutex;
extern struct list_head rp_chunks;
extern struct list_head rp_ranges;
extern struct list_head rp_freeing;
extern bool rp_pool_open;
extern struct rp_pool_history rp_history;
/* Atomic, no mutex: */
extern atomic_t rp_nr_ranges;
extern wait_queue_head_t rp_drain_wq;
extern atomic64_t rp_fallbacks[RP_FB_NR];
extern atomic64_t rp_collapse_refused;
/* Chunks CPA could not make writable again, left mapped (any context): */
extern atomic64_t rp_chunks_leaked;

/* staging.c */
struct page **rp_staging_alloc(unsigned int n);
void rp_staging_free(struct page **pages, unsigned int n);
void rp_staging_copy_in(unsigned long addr, struct page **pages,
			unsigned int n);

/* chunk.c */
struct rp_chunk *rp_chunk_place(unsigned int npages, unsigned int *first,
				enum rp_fallback *why,
				struct rp_chunk_plan *plan);
int rp_chunks_build(const struct rp_chunk_plan *plan, struct list_head *fresh,
		    enum rp_fallback *why);
bool rp_chunks_adopt(struct list_head *fresh);
void rp_chunks_discard(struct list_head *fresh);
void rp_span_start(struct rp_span *s, struct rp_chunk *c, unsigned int first,
		   unsigned int npages);
bool rp_span_next(struct rp_span *s);
bool rp_chunks_hold(unsigned long addr);
void rp_chunks_collapse(bool force);
void rp_chunks_release_later(void);
void rp_chunks_stop_release(void);
void rp_chunks_destroy_all(void);

/* vspace.c (no pool mutex needed) */
bool rp_vspace_pick(unsigned int k, unsigned long *addr);
bool rp_vspace_free(unsigned long addr, unsigned int k);

/* range.c */
void rp_pool_kick(void);
void rp_ranges_flush(void);

#endif /* ROXPOOL_POOL_INTERNAL_H */
