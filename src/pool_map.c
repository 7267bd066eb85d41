// SPDX-License-Identifier: GPL-2.0
/*
 * Page maps of the pool's chunks and the placement policy.
 *
 * No kernel needed: this file is also built by the user-space unit tests.
 */
#include <linux/kernel.h>

#include <roxpool/pool_map.h>

static bool rp_map_test(const struct rp_map *m, unsigned int page)
{
	return (m->bits[page / 64] >> (page % 64)) & 1;
}

static void rp_map_assign(struct rp_map *m, unsigned int first,
			  unsigned int n, bool taken)
{
	unsigned int p;

	for (p = first; p < first + n && p < RP_CHUNK_PAGES; p++) {
		if (taken)
			m->bits[p / 64] |= 1ULL << (p % 64);
		else
			m->bits[p / 64] &= ~(1ULL << (p % 64));
	}
}

void rp_map_set(struct rp_map *m, unsigned int first, unsigned int n)
{
	rp_map_assign(m, first, n, true);
}

void rp_map_clear(struct rp_map *m, unsigned int first, unsigned int n)
{
	rp_map_assign(m, first, n, false);
}

unsigned int rp_map_used(const struct rp_map *m)
{
	unsigned int p, n = 0;

	for (p = 0; p < RP_CHUNK_PAGES; p++)
		n += rp_map_test(m, p);
	return n;
}

/*
 * Walk the free extents of a map: from page *pos on, find the next run of
 * free pages; return its length (0 when there is none) and its start in
 * *first, and move *pos past it.
 */
static unsigned int rp_map_next_extent(const struct rp_map *m,
				       unsigned int *pos, unsigned int *first)
{
	unsigned int p = *pos, start;

	while (p < RP_CHUNK_PAGES && rp_map_test(m, p))
		p++;
	start = p;
	while (p < RP_CHUNK_PAGES && !rp_map_test(m, p))
		p++;
	*pos = p;
	*first = start;
	return p - start;
}

unsigned int rp_map_largest_free(const struct rp_map *m)
{
	unsigned int pos = 0, first, len, best = 0;

	while ((len = rp_map_next_extent(m, &pos, &first)))
		best = max(best, len);
	return best;
}

/**
 * rp_run_chunks() - how many chunks a new run for a range needs
 * @npages: size of the range
 *
 * Return: ceil(@npages / RP_CHUNK_PAGES): a run holds the range at the
 * physical limit; the run's tail serves other ranges.
 */
unsigned int rp_run_chunks(unsigned int npages)
{
	return (npages + RP_CHUNK_PAGES - 1) / RP_CHUNK_PAGES;
}

/**
 * rp_slot_starts() - where new chunks can go in a free extent of module space
 * @start: the extent's first byte
 * @end: the byte after it
 * @base: the module area's first 2 MiB-aligned byte
 * @limit: the byte after the module area
 * @k: how many chunks, one after the other (a run, or one chunk)
 * @first: set to the lowest address the chunks can start at
 *
 * The chunks are 2 MiB-aligned slots of module space, all inside both the
 * extent and the module area.
 *
 * Return: how many starts there are, 2 MiB apart from *@first on; 0 if the
 * extent has no room (then *@first is not set).
 */
unsigned long rp_slot_starts(unsigned long start, unsigned long end,
			     unsigned long base, unsigned long limit,
			     unsigned int k, unsigned long *first)
{
	unsigned long lo = start > base ? start : base;
	unsigned long hi = end < limit ? end : limit;

	if (!k || lo >= hi || hi - lo < RP_CHUNK_BYTES)
		return 0;
	lo = (lo + RP_CHUNK_BYTES - 1) & ~(RP_CHUNK_BYTES - 1);
	hi &= ~(RP_CHUNK_BYTES - 1);
	if (lo >= hi || (hi - lo) / RP_CHUNK_BYTES < k)
		return 0;
	*first = lo;
	return (hi - lo) / RP_CHUNK_BYTES - k + 1;
}

/* Page @g of the run of chunks that starts with maps[c0]. */
static bool rp_run_test(const struct rp_map *const *maps, unsigned int c0,
			unsigned int g)
{
	return rp_map_test(maps[c0 + g / RP_CHUNK_PAGES], g % RP_CHUNK_PAGES);
}

/**
 * rp_map_best_fit_run() - choose where a range goes
 * @maps: the chunks' maps, by address
 * @follows: follows[c] is true when chunk c starts where chunk c - 1 ends
 *	(virtually contiguous: the two belong to one run)
 * @nr: number of chunks
 * @npages: size of the range, 1 to RP_MAX_PAGES
 * @fit: the choice: the chunk the range starts in and its first page there
 *
 * A range may cross from a chunk into the next only when the two are
 * virtually contiguous: each chunk is its own PMD leaf, so the range is
 * still mapped by 2 MiB translations, one per chunk it touches.  Best fit
 * over the free extents of each run of contiguous chunks, read as one map
 * (a chunk on its own is a run of one); among equal extents the earliest.
 * An exact fit leaves no hole; a tight fit keeps large extents for large
 * modules.  The kernel's own cache (6.13+) takes the first extent that
 * fits, which on a typical module set opens one 2 MiB area more than the
 * text needs.
 *
 * Return: false if no run has room (new chunks are needed).
 */
bool rp_map_best_fit_run(const struct rp_map *const *maps, const bool *follows,
			 unsigned int nr, unsigned int npages,
			 struct rp_fit *fit)
{
	unsigned int c0, c1, best_len = 0;	/* 0: no fit yet */

	if (!npages || npages > RP_MAX_PAGES)
		return false;
	for (c0 = 0; c0 < nr; c0 = c1) {
		unsigned int g = 0, end, start;

		for (c1 = c0 + 1; c1 < nr && follows[c1]; c1++)
			;
		end = (c1 - c0) * RP_CHUNK_PAGES;
		while (g < end) {
			while (g < end && rp_run_test(maps, c0, g))
				g++;
			start = g;
			while (g < end && !rp_run_test(maps, c0, g))
				g++;
			if (g - start < npages ||
			    (best_len && g - start >= best_len))
				continue;
			best_len = g - start;
			fit->chunk = c0 + start / RP_CHUNK_PAGES;
			fit->first = start % RP_CHUNK_PAGES;
		}
	}
	return best_len > 0;
}

/**
 * rp_map_free_tail() - the free pages at the end of a chunk
 * @m: its map
 *
 * Return: how many of its last pages are free.
 */
unsigned int rp_map_free_tail(const struct rp_map *m)
{
	unsigned int p = RP_CHUNK_PAGES;

	while (p && !rp_map_test(m, p - 1))
		p--;
	return RP_CHUNK_PAGES - p;
}

/**
 * rp_map_best_extension() - extend a run with new chunks for a large range
 * @maps: the chunks' maps, by address
 * @follows: as for rp_map_best_fit_run()
 * @skip: chunks not to extend (their next 2 MiB of module space is taken)
 * @nr: number of chunks
 * @npages: size of the range, more than RP_CHUNK_PAGES, at most RP_MAX_PAGES
 * @fit: the choice: the last chunk of a run and the first page of its free
 *	tail, where the range starts
 * @added: set to the number of new chunks to make right after that chunk
 *
 * When no run has room, a range larger than a chunk starts in the free
 * tail of the last chunk of a run and goes on into new chunks made right
 * after it.  It never needs more new chunks than a run of its own
 * (rp_run_chunks()), often fewer; with as many, the new chunks keep the
 * tail's pages free at their end, where a run of its own would have left
 * them behind in the old chunk (small modules loaded first leave such
 * tails).  Chooses the fewest new chunks, then the tightest fit, then the
 * earliest chunk.  A range that fits a chunk gets a chunk of its own, and
 * with it one 2 MiB translation.
 *
 * Return: false if no run's last chunk has a free tail to extend.
 */
bool rp_map_best_extension(const struct rp_map *const *maps,
			   const bool *follows, const bool *skip,
			   unsigned int nr, unsigned int npages,
			   struct rp_fit *fit, unsigned int *added)
{
	unsigned int c, best_k = rp_run_chunks(npages), best_left = 0;
	bool found = false;

	if (npages <= RP_CHUNK_PAGES || npages > RP_MAX_PAGES)
		return false;
	for (c = 0; c < nr; c++) {
		unsigned int tail, k, left;

		if (skip[c] || (c + 1 < nr && follows[c + 1]))
			continue;
		tail = rp_map_free_tail(maps[c]);
		if (!tail)
			continue;
		k = rp_run_chunks(npages - tail);
		left = k * RP_CHUNK_PAGES - (npages - tail);
		if (tail >= npages || k > best_k ||
		    (found && k == best_k && left >= best_left))
			continue;
		found = true;
		best_k = k;
		best_left = left;
		fit->chunk = c;
		fit->first = RP_CHUNK_PAGES - tail;
	}
	*added = best_k;
	return found;
}
