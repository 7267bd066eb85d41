/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One 2 MiB chunk of module space, as the page-table code (pgtable.c) and
 * the chunk lifecycle (chunk.c) share it.
 */
#ifndef ROXPOOL_CHUNK_H
#define ROXPOOL_CHUNK_H

#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/types.h>
#include <asm/pgtable.h>

#include <roxpool/pool_map.h>

/* The chunk geometry of pool_map.h is the kernel's PMD leaf of 4 KiB pages. */
static_assert(RP_CHUNK_BYTES == PMD_SIZE);
static_assert(RP_CHUNK_PAGES == PTRS_PER_PTE);

/**
 * struct rp_chunk - one 2 MiB chunk of module space
 * @node: in the pool's list of chunks, by address; a chunk that starts
 *	where the previous one on the list ends is in a run with it (chunk.c)
 * @addr: its first byte, 2 MiB aligned
 * @leaf: the read-only+executable PMD leaf that maps it while it is whole
 * @ptes: its PTE table while it is split (a range is staged), else NULL
 * @table: the page of that table, from the first split on, kept until the
 *	chunk is given back (rp_pgt_chunk_free()): a lockless walker that read
 *	the PMD before a collapse (vmalloc_to_page() from /proc/kcore holds no
 *	lock roxpool takes) still reads a table that maps the chunk's pages
 * @map: which pages belong to a range, or to its head
 * @head: its first pages, a random number of them, never handed out
 *	(module KASLR: every range in the chunk moves with it); in a new run
 *	only the first chunk has one
 * @staged: how many staged ranges have a part in it now
 * @empty_since: jiffies when its last range went, for the release delay
 *
 * Invariant: @ptes is NULL exactly when the chunk is mapped by @leaf; then
 * every page of it holds INT3, the text of a live range, or the old text of
 * a range being freed until the free work refills it with INT3.
 */
struct rp_chunk {
	struct list_head node;
	unsigned long addr;
	pmd_t leaf;
	pte_t *ptes;
	pte_t *table;
	struct rp_map map;
	unsigned int head;
	unsigned int staged;
	unsigned long empty_since;
};

/**
 * struct rp_span - a walk over the parts of a range, one per chunk it spans
 * @chunk: the chunk of this part
 * @first: its first page in @chunk
 * @n: its pages
 * @start: the chunk the range starts in
 * @left: pages of the range after this part
 *
 * A range larger than a chunk spans a run of chunks (chunk.c); each part is
 * in one chunk and is split, staged and mapped there.
 */
struct rp_span {
	struct rp_chunk *chunk;
	unsigned int first;
	unsigned int n;
	struct rp_chunk *start;
	unsigned int left;
};

/**
 * rp_chunk_contains() - is an address inside the chunk at @chunk?
 * @chunk: the chunk's first byte
 * @addr: the address
 *
 * Return: true if @addr is one of the chunk's RP_CHUNK_BYTES.
 */
static inline bool rp_chunk_contains(unsigned long chunk, unsigned long addr)
{
	return addr >= chunk && addr - chunk < RP_CHUNK_BYTES;
}

/* Pages of a chunk in ranges: its head is in the map but in no range. */
static inline unsigned int rp_chunk_used(const struct rp_chunk *c)
{
	return rp_map_used(&c->map) - c->head;
}

#endif /* ROXPOOL_CHUNK_H */
