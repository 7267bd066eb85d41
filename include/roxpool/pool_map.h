/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page maps of the pool's 2 MiB chunks, and where a new range goes.
 *
 * Needs no kernel; unit-tested in user space.  Each chunk has one bit per
 * 4 KiB page, set while the page belongs to a range (staged, live or being
 * freed).  Free extents are the runs of clear bits, so freeing coalesces by
 * construction.
 */
#ifndef ROXPOOL_POOL_MAP_H
#define ROXPOOL_POOL_MAP_H

#include <linux/types.h>

/*
 * A chunk's geometry, defined here once: 2 MiB, one PMD leaf, 512 pages of
 * 4 KiB.  chunk.h checks both figures against the kernel's at build time.
 */
#define RP_CHUNK_PAGES	512
#define RP_CHUNK_BYTES	(RP_CHUNK_PAGES * 4096UL)

/*
 * The pool never has more chunks than this (128 MiB of module text, far more
 * than any system loads): placement looks at an array of this many maps, and
 * a range that fits in none of them is left to the kernel (RP_FB_CHUNK).
 */
#define RP_MAX_CHUNKS	64

#define RP_MAP_WORDS	(RP_CHUNK_PAGES / 64)

/*
 * A range larger than a chunk goes into a run: RP_MAX_RUN chunks at most,
 * virtually contiguous, each its own PMD leaf (32 MiB of text; amdgpu has
 * 7 MB).  Anything larger is left to the kernel (RP_FB_TOO_LARGE).
 */
#define RP_MAX_RUN	16
#define RP_MAX_PAGES	(RP_MAX_RUN * RP_CHUNK_PAGES)

/**
 * struct rp_map - which pages of one chunk are taken
 * @bits: bit n set = page n is part of a range
 */
struct rp_map {
	u64 bits[RP_MAP_WORDS];
};

/**
 * struct rp_fit - where a range of pages can go
 * @chunk: index of the chunk in the array given to rp_map_best_fit_run()
 * @first: first page in that chunk
 */
struct rp_fit {
	unsigned int chunk;
	unsigned int first;
};

void rp_map_set(struct rp_map *m, unsigned int first, unsigned int n);
void rp_map_clear(struct rp_map *m, unsigned int first, unsigned int n);
unsigned int rp_map_used(const struct rp_map *m);
unsigned int rp_map_largest_free(const struct rp_map *m);
bool rp_map_best_fit_run(const struct rp_map *const *maps, const bool *follows,
			 unsigned int nr, unsigned int npages,
			 struct rp_fit *fit);
unsigned int rp_run_chunks(unsigned int npages);
unsigned long rp_slot_starts(unsigned long start, unsigned long end,
			     unsigned long base, unsigned long limit,
			     unsigned int k, unsigned long *first);
unsigned int rp_map_free_tail(const struct rp_map *m);
bool rp_map_best_extension(const struct rp_map *const *maps,
			   const bool *follows, const bool *skip,
			   unsigned int nr, unsigned int npages,
			   struct rp_fit *fit, unsigned int *added);

#endif /* ROXPOOL_POOL_MAP_H */
