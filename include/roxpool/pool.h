/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pool: module text in 2 MiB read-only+executable chunks.
 */
#ifndef ROXPOOL_POOL_H
#define ROXPOOL_POOL_H

#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <asm/pgtable.h>

#include <roxpool/pool_map.h>
#include <roxpool/stats.h>

/* The chunk geometry of pool_map.h is the kernel's PMD leaf of 4 KiB pages. */
static_assert(RP_CHUNK_BYTES == PMD_SIZE);
static_assert(RP_CHUNK_PAGES == PTRS_PER_PTE);

/**
 * struct rp_chunk - one 2 MiB chunk of module space
 * @node: in the pool's list of chunks, by address
 * @addr: its first byte, 2 MiB aligned
 * @leaf: the read-only+executable PMD leaf that maps it while it is whole
 * @ptes: its PTE table while it is split (a range is staged), else NULL
 * @map: which pages belong to a range, or to its head
 * @head: its first pages, a random number of them, never handed out
 *	(module KASLR: every range in the chunk moves with it)
 * @staged: how many of its ranges are staged now
 * @empty_since: jiffies when its last range went, for the release delay
 *
 * Invariant: @ptes is NULL exactly when the chunk is mapped by @leaf; then
 * every page of it is either part of a live range or holds INT3.
 */
struct rp_chunk {
	struct list_head node;
	unsigned long addr;
	pmd_t leaf;
	pte_t *ptes;
	struct rp_map map;
	unsigned int head;
	unsigned int staged;
	unsigned long empty_since;
};

/**
 * struct rp_chunk_info - where a chunk is, for the census
 * @addr: its address in module space
 * @alias_writable: its memory is writable through the direct map (must
 *	never be)
 */
struct rp_chunk_info {
	unsigned long addr;
	bool alias_writable;
};

/* pgtable.c: the page-table operations on a chunk. */
bool rp_pgt_leaf(unsigned long addr, pmd_t *leaf);
bool rp_pgt_leaf_is_rox(unsigned long addr, pmd_t *leaf);
bool rp_pgt_alias_writable(unsigned long pfn);
int rp_pgt_split(struct rp_chunk *c);
void rp_pgt_stage(struct rp_chunk *c, unsigned long addr,
		  struct page **pages, unsigned int n);
void rp_pgt_unstage(struct rp_chunk *c, unsigned long addr, unsigned int n);
bool rp_pgt_collapse(struct rp_chunk *c);
void rp_pgt_lock_text(void);
void rp_pgt_unlock_text(void);
void rp_pgt_lock_walkers(void);
void rp_pgt_unlock_walkers(void);

/* pool.c */
void rp_pool_start(void);
void rp_pool_drain(void);
void rp_pool_exit(void);
void *rp_pool_alloc(size_t size);
bool rp_pool_free(void *ptr);
bool rp_pool_finalize(void *base, const char *owner, bool init);
void rp_pool_collapse(void);
void rp_pool_read(struct rp_pool_stats *s);
void rp_pool_show_allocations(struct seq_file *m);
void rp_pool_show_chunks(struct seq_file *m);
unsigned int rp_pool_chunks(struct rp_chunk_info *info, unsigned int max);
void rp_pool_kick(void);

/* census.c */
void rp_census_show(struct seq_file *m);

#endif /* ROXPOOL_POOL_H */
