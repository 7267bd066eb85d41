/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pool: module text in 2 MiB read-only+executable chunks.  What the
 * hooks, main.c and the reporting above it may call; the pool's own files
 * share more through src/pool_internal.h.
 */
#ifndef ROXPOOL_POOL_H
#define ROXPOOL_POOL_H

#include <linux/seq_file.h>
#include <linux/types.h>

#include <roxpool/stats.h>

/**
 * struct rp_chunk_view - one chunk as the reporting sees it
 * @addr: its address in module space
 * @pfn: its first page frame (its direct-map alias starts there)
 * @split: mapped by a PTE table now (a range is staged), not by its leaf
 * @used: its pages in ranges
 * @free: its pages free (neither in a range nor in its head)
 * @largest_free: its largest free extent, pages
 */
struct rp_chunk_view {
	unsigned long addr;
	unsigned long pfn;
	bool split;
	unsigned int used;
	unsigned int free;
	unsigned int largest_free;
};

/* Called by rp_pool_visit_chunks() once per chunk. */
typedef void (*rp_chunk_fn)(const struct rp_chunk_view *c, void *ctx);

/* pool.c: opening and closing */
void rp_pool_start(void);
void rp_pool_drain(void);
void rp_pool_exit(void);

/* range.c: the hooks' entry points */
void *rp_pool_alloc(size_t size);
bool rp_pool_free(void *ptr);
bool rp_pool_finalize(void *base, const char *owner, bool init);
void rp_pool_collapse(void);

/* pool_report.c: for the statistics, debugfs and the census */
void rp_pool_read(struct rp_pool_stats *s);
void rp_pool_show_allocations(struct seq_file *m);
void rp_pool_visit_chunks(rp_chunk_fn fn, void *ctx);

#endif /* ROXPOOL_POOL_H */
