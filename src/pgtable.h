/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page-table operations on the pool's chunks (src/pgtable.c).
 */
#ifndef ROXPOOL_PGTABLE_H
#define ROXPOOL_PGTABLE_H

#include <linux/types.h>
#include <asm/pgtable.h>

#include "chunk.h"

bool rp_pgt_leaf(unsigned long addr, pmd_t *leaf);
bool rp_pgt_alias_writable(unsigned long pfn);
void rp_pgt_chunk_free(struct rp_chunk *c);
void rp_pgt_lock_tables(void);
void rp_pgt_unlock_tables(void);
int rp_pgt_split(struct rp_chunk *c);
void rp_pgt_stage(struct rp_chunk *c, unsigned long addr,
		  struct page **pages, unsigned int n);
void rp_pgt_unstage(struct rp_chunk *c, unsigned long addr, unsigned int n);
bool rp_pgt_collapse(struct rp_chunk *c);
void rp_pgt_lock_text(void);
void rp_pgt_unlock_text(void);
void rp_pgt_lock_walkers(void);
void rp_pgt_unlock_walkers(void);

/**
 * rp_pgt_leaf_is_rox() - is a PMD leaf read-only and executable?
 * @leaf: a present PMD leaf, as rp_pgt_leaf() read it
 *
 * Return: true if it is neither writable nor no-execute.
 */
static inline bool rp_pgt_leaf_is_rox(pmd_t leaf)
{
	return !(pmd_flags(leaf) & (_PAGE_RW | _PAGE_NX));
}

#endif /* ROXPOOL_PGTABLE_H */
