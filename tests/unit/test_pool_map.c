// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/pool_map.c: chunk page maps and placement. */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <roxpool/pool_map.h>

/*
 * Readers of a map for the checks below: test helpers, not part of the
 * module (which needs only what pool_map.h declares).
 */
static bool rp_map_test(const struct rp_map *m, unsigned int page)
{
	return (m->bits[page / 64] >> (page % 64)) & 1;
}

/* All pages of a range taken (or all free); past the end never. */
static bool rp_map_range_is(const struct rp_map *m, unsigned int first,
			    unsigned int n, bool taken)
{
	unsigned int p;

	if (!n || first >= RP_CHUNK_PAGES || n > RP_CHUNK_PAGES - first)
		return false;
	for (p = first; p < first + n; p++)
		if (rp_map_test(m, p) != taken)
			return false;
	return true;
}

/* Number of runs of free pages. */
static unsigned int rp_map_free_extents(const struct rp_map *m)
{
	unsigned int p, n = 0;

	for (p = 0; p < RP_CHUNK_PAGES; p++)
		n += !rp_map_test(m, p) && (!p || rp_map_test(m, p - 1));
	return n;
}

/*
 * Best fit over chunks none of which follows another (each a run of one),
 * as chunks made at random slots are.
 */
static bool fit_one(const struct rp_map *const *maps, unsigned int nr,
		    unsigned int npages, struct rp_fit *fit)
{
	static const bool apart[64];

	return nr <= 64 && rp_map_best_fit_run(maps, apart, nr, npages, fit);
}

static void test_set_clear(void **state)
{
	struct rp_map m = { { 0 } };

	(void)state;
	assert_int_equal(rp_map_used(&m), 0);
	assert_int_equal(rp_map_largest_free(&m), RP_CHUNK_PAGES);
	assert_int_equal(rp_map_free_extents(&m), 1);
	rp_map_set(&m, 60, 10);		/* crosses a word boundary */
	assert_true(rp_map_range_is(&m, 60, 10, true));
	assert_false(rp_map_test(&m, 59));
	assert_false(rp_map_test(&m, 70));
	assert_int_equal(rp_map_used(&m), 10);
	assert_int_equal(rp_map_largest_free(&m), RP_CHUNK_PAGES - 70);
	assert_int_equal(rp_map_free_extents(&m), 2);
	rp_map_clear(&m, 62, 3);
	assert_int_equal(rp_map_used(&m), 7);
	assert_int_equal(rp_map_free_extents(&m), 3);
	rp_map_clear(&m, 60, 10);
	assert_int_equal(rp_map_used(&m), 0);
	/* Freeing coalesces: one extent again. */
	assert_int_equal(rp_map_free_extents(&m), 1);
	rp_map_set(&m, 0, RP_CHUNK_PAGES);
	assert_int_equal(rp_map_largest_free(&m), 0);
	assert_int_equal(rp_map_free_extents(&m), 0);
	/* Writes past the end are clipped. */
	rp_map_clear(&m, RP_CHUNK_PAGES - 1, 5);
	assert_int_equal(rp_map_used(&m), RP_CHUNK_PAGES - 1);
}

static void test_range_is(void **state)
{
	struct rp_map m = { { 0 } };

	(void)state;
	assert_true(rp_map_range_is(&m, 0, RP_CHUNK_PAGES, false));
	assert_false(rp_map_range_is(&m, 0, 0, false));
	assert_false(rp_map_range_is(&m, RP_CHUNK_PAGES, 1, false));
	assert_false(rp_map_range_is(&m, 500, 13, false));
	rp_map_set(&m, 100, 1);
	assert_false(rp_map_range_is(&m, 99, 2, false));
	assert_false(rp_map_range_is(&m, 99, 2, true));
}

static void test_best_fit_tightest(void **state)
{
	struct rp_map a = { { 0 } }, b = { { 0 } };
	const struct rp_map *maps[] = { &a, &b };
	struct rp_fit fit;

	(void)state;
	/* a: hole of 20 at 100; b: hole of 8 at 300 and the tail. */
	rp_map_set(&a, 0, 100);
	rp_map_set(&a, 120, RP_CHUNK_PAGES - 120);
	rp_map_set(&b, 0, 300);
	rp_map_set(&b, 308, 100);
	assert_true(fit_one(maps, 2, 8, &fit));
	assert_int_equal(fit.chunk, 1);
	assert_int_equal(fit.first, 300);
	assert_true(fit_one(maps, 2, 9, &fit));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 100);
	assert_true(fit_one(maps, 2, 21, &fit));
	assert_int_equal(fit.chunk, 1);
	assert_int_equal(fit.first, 408);
	assert_false(fit_one(maps, 2, 105, &fit));
	assert_false(fit_one(maps, 2, 0, &fit));
	assert_false(fit_one(maps, 2, RP_CHUNK_PAGES + 1, &fit));
	assert_false(fit_one(maps, 0, 1, &fit));
}

static void test_best_fit_ties(void **state)
{
	struct rp_map a = { { 0 } }, b = { { 0 } };
	const struct rp_map *maps[] = { &a, &b };
	struct rp_fit fit;

	(void)state;
	/* Equal holes everywhere: earliest chunk, lowest address. */
	rp_map_set(&a, 0, RP_CHUNK_PAGES);
	rp_map_clear(&a, 200, 4);
	rp_map_clear(&a, 10, 4);
	rp_map_set(&b, 0, RP_CHUNK_PAGES);
	rp_map_clear(&b, 0, 4);
	assert_true(fit_one(maps, 2, 4, &fit));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 10);
	assert_true(fit_one(maps, 2, 3, &fit));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 10);
}

/*
 * Place a sequence of sizes (in pages, a negative number frees the range
 * allocated that many steps before) with best fit, opening a chunk whenever
 * nothing fits; return the number of chunks used.
 */
#define MAX_CHUNKS 16
static unsigned int simulate(const int *seq, size_t n)
{
	static struct rp_map maps[MAX_CHUNKS];
	const struct rp_map *ptrs[MAX_CHUNKS];
	struct rp_fit placed[64];
	unsigned int nr = 0, i;

	memset(maps, 0, sizeof(maps));
	for (i = 0; i < MAX_CHUNKS; i++)
		ptrs[i] = &maps[i];
	for (i = 0; i < n; i++) {
		struct rp_fit fit;

		if (seq[i] < 0) {
			const struct rp_fit *f = &placed[i + seq[i]];

			rp_map_clear(&maps[f->chunk], f->first,
				     (unsigned int)seq[i + seq[i]]);
			continue;
		}
		if (!fit_one(ptrs, nr, seq[i], &fit)) {
			assert_true(nr < MAX_CHUNKS);
			fit.chunk = nr++;
			fit.first = 0;
		}
		rp_map_set(&maps[fit.chunk], fit.first, seq[i]);
		placed[i] = fit;
	}
	return nr;
}

static void test_packs_to_the_limit(void **state)
{
	/*
	 * Module text with transient init text between core allocations
	 * (core, init, free init): 1200 pages of core text in all, so
	 * ceil(1200 / 512) = 3 chunks are the physical limit.
	 */
	static const int seq[] = {
		300, 2, -1, 150, 1, -1, 40, 3, -1, 6,
		200, 1, -1, 90, 1, -1, 250, 2, -1, 100,
		60, 1, -1, 4,
	};

	(void)state;
	assert_int_equal(simulate(seq, sizeof(seq) / sizeof(seq[0])), 3);
}

static void test_run_fit(void **state)
{
	static struct rp_map m[4];
	const struct rp_map *maps[] = { &m[0], &m[1], &m[2], &m[3] };
	bool follows[] = { false, true, true, false };
	struct rp_fit fit;

	(void)state;
	memset(m, 0, sizeof(m));
	/* Any range up to the largest run; the tightest: chunk 3. */
	assert_true(rp_map_best_fit_run(maps, follows, 4, RP_CHUNK_PAGES, &fit));
	assert_int_equal(fit.chunk, 3);
	assert_int_equal(fit.first, 0);
	assert_false(rp_map_best_fit_run(maps, follows, 4, 0, &fit));
	assert_false(rp_map_best_fit_run(maps, follows, 4, RP_MAX_PAGES + 1, &fit));
	assert_false(rp_map_best_fit_run(maps, follows, 0, 600, &fit));
	/* Chunks 0-2 are one run; chunk 3 stands alone. */
	rp_map_set(&m[0], 0, 400);		/* 112 free at the end of 0 */
	rp_map_set(&m[2], 100, 412);		/* 100 free at the start of 2 */
	rp_map_set(&m[3], RP_CHUNK_PAGES - 1, 1);
	assert_true(rp_map_best_fit_run(maps, follows, 4, 724, &fit));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 400);
	assert_false(rp_map_best_fit_run(maps, follows, 4, 725, &fit));
	/* Not contiguous: chunk 3 never extends chunk 2. */
	rp_map_clear(&m[2], 100, 412);
	rp_map_set(&m[2], 0, 412);
	rp_map_set(&m[1], 0, RP_CHUNK_PAGES);
	assert_false(rp_map_best_fit_run(maps, follows, 4, 611, &fit));
	follows[3] = true;
	assert_true(rp_map_best_fit_run(maps, follows, 4, 611, &fit));
	assert_int_equal(fit.chunk, 2);
	assert_int_equal(fit.first, 412);
	/*
	 * A range that fits a chunk crosses into the next one of a run when
	 * that is the tightest hole: 100 pages of 2 and 11 of 3, exactly.
	 */
	rp_map_clear(&m[3], RP_CHUNK_PAGES - 1, 1);
	rp_map_set(&m[3], 11, RP_CHUNK_PAGES - 11);
	assert_true(rp_map_best_fit_run(maps, follows, 4, 111, &fit));
	assert_int_equal(fit.chunk, 2);
	assert_int_equal(fit.first, 412);
	/* Chunk 3 apart: the 112 pages at the end of chunk 0. */
	follows[3] = false;
	assert_true(rp_map_best_fit_run(maps, follows, 4, 111, &fit));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 400);
}

static void test_run_fit_tightest(void **state)
{
	static struct rp_map m[5];
	const struct rp_map *maps[] = { &m[0], &m[1], &m[2], &m[3], &m[4] };
	const bool follows[] = { false, true, false, true, true };
	struct rp_fit fit;

	(void)state;
	memset(m, 0, sizeof(m));
	/* Run 0-1: 1024 free; run 2-4: 700 free from 3 through 4. */
	rp_map_set(&m[2], 0, RP_CHUNK_PAGES);
	rp_map_set(&m[3], 0, 324);
	assert_true(rp_map_best_fit_run(maps, follows, 5, 700, &fit));
	assert_int_equal(fit.chunk, 3);
	assert_int_equal(fit.first, 324);
	assert_true(rp_map_best_fit_run(maps, follows, 5, 701, &fit));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 0);
	assert_false(rp_map_best_fit_run(maps, follows, 5, 1025, &fit));
}

static void test_run_chunks(void **state)
{
	(void)state;
	assert_int_equal(rp_run_chunks(513), 2);
	assert_int_equal(rp_run_chunks(1024), 2);
	assert_int_equal(rp_run_chunks(1726), 4);	/* amdgpu, 7 MB */
	assert_int_equal(rp_run_chunks(RP_MAX_PAGES), RP_MAX_RUN);
}

/*
 * Big and small modules mixed, loaded, unloaded and loaded again: a big
 * range opens a run of rp_run_chunks() new chunks when no run has room,
 * a small one a single chunk.  The chunks in use stay within the physical
 * limit plus one.
 */
#define MIX_CHUNKS 32
struct mix {
	struct rp_map maps[MIX_CHUNKS];
	const struct rp_map *ptrs[MIX_CHUNKS];
	bool follows[MIX_CHUNKS];
	unsigned int nr;
};

/*
 * Set (or clear) @n pages of the maps from page @first of map @c on,
 * crossing into the maps that follow, as a range crosses a run's chunks.
 */
static void maps_span(struct rp_map *maps, unsigned int c, unsigned int first,
		      unsigned int n, bool taken)
{
	while (n) {
		unsigned int part = RP_CHUNK_PAGES - first;

		if (part > n)
			part = n;
		if (taken)
			rp_map_set(&maps[c], first, part);
		else
			rp_map_clear(&maps[c], first, part);
		n -= part;
		c++;
		first = 0;
	}
}

static void mix_span(struct mix *x, const struct rp_fit *f, unsigned int n,
		     bool taken)
{
	maps_span(x->maps, f->chunk, f->first, n, taken);
}

static struct rp_fit mix_place(struct mix *x, unsigned int n)
{
	struct rp_fit fit;
	unsigned int k, i;
	bool ok = rp_map_best_fit_run(x->ptrs, x->follows, x->nr, n, &fit);

	if (!ok) {
		k = rp_run_chunks(n);
		assert_true(x->nr + k <= MIX_CHUNKS);
		for (i = 0; i < k; i++)
			x->follows[x->nr + i] = i > 0;
		fit.chunk = x->nr;
		fit.first = 0;
		x->nr += k;
	}
	mix_span(x, &fit, n, true);
	return fit;
}

static unsigned int mix_used_chunks(const struct mix *x)
{
	unsigned int c, n = 0;

	for (c = 0; c < x->nr; c++)
		n += rp_map_used(&x->maps[c]) > 0;
	return n;
}

#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
static void test_run_mixed(void **state)
{
	/* amdgpu, i915, xe, nouveau and small modules, pages of core text. */
	static const unsigned int sizes[] = {
		1726, 40, 517, 12, 330, 3, 300, 90, 150, 7, 60, 25, 200, 4,
	};
	static struct mix x;
	struct rp_fit placed[NSIZES];
	unsigned int i, round, total = 0;

	(void)state;
	memset(&x, 0, sizeof(x));
	for (i = 0; i < MIX_CHUNKS; i++)
		x.ptrs[i] = &x.maps[i];
	for (i = 0; i < NSIZES; i++) {
		placed[i] = mix_place(&x, sizes[i]);
		total += sizes[i];
	}
	assert_true(mix_used_chunks(&x) <=
		    (total + RP_CHUNK_PAGES - 1) / RP_CHUNK_PAGES + 1);
	/* Unload and reload the big ones, then every other module. */
	for (round = 0; round < 3; round++) {
		for (i = round % 2; i < NSIZES; i += 2)
			mix_span(&x, &placed[i], sizes[i], false);
		for (i = round % 2; i < NSIZES; i += 2)
			placed[i] = mix_place(&x, sizes[i]);
		assert_true(mix_used_chunks(&x) <=
			    (total + RP_CHUNK_PAGES - 1) / RP_CHUNK_PAGES + 1);
	}
}

static void test_free_tail(void **state)
{
	struct rp_map m = { { 0 } };

	(void)state;
	assert_int_equal(rp_map_free_tail(&m), RP_CHUNK_PAGES);
	rp_map_set(&m, 0, 253);
	assert_int_equal(rp_map_free_tail(&m), 259);
	rp_map_set(&m, 300, 1);
	assert_int_equal(rp_map_free_tail(&m), 211);
	rp_map_set(&m, RP_CHUNK_PAGES - 1, 1);
	assert_int_equal(rp_map_free_tail(&m), 0);
}

/*
 * Small modules loaded first left three chunks with free tails (what
 * parallel loads of the GPU set did); amdgpu and i915 come next.
 */
/*
 * A free extent longer than the largest range (a run of more than
 * RP_MAX_RUN empty chunks, which unloads leave behind) is a fit like any
 * other: placement once started with a bound of RP_MAX_PAGES + 1 and never
 * chose such an extent.
 */
static void test_fit_long_extent(void **state)
{
	static struct rp_map m[RP_MAX_RUN + 2];
	const struct rp_map *maps[RP_MAX_RUN + 2];
	bool follows[RP_MAX_RUN + 2];
	struct rp_fit fit = { 99, 99 };
	unsigned int i;

	(void)state;
	for (i = 0; i < RP_MAX_RUN + 2; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		maps[i] = &m[i];
		follows[i] = i > 0;
	}
	rp_map_set(&m[0], 0, 3);	/* the run's head */
	assert_true(rp_map_best_fit_run(maps, follows, RP_MAX_RUN + 2, 1, &fit));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 3);
	assert_true(rp_map_best_fit_run(maps, follows, RP_MAX_RUN + 2,
					RP_MAX_PAGES, &fit));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 3);
}

/* New chunks in a free extent of module space: 2 MiB slots inside both. */
static void test_slot_starts(void **state)
{
	const unsigned long M = RP_CHUNK_BYTES;
	const unsigned long base = 0xffffffffc0000000UL;
	const unsigned long limit = 0xffffffffff000000UL;
	unsigned long first = 0;

	(void)state;
	/* An aligned extent of 4 slots: 4 starts for one chunk, 2 for 3. */
	assert_int_equal(rp_slot_starts(base + M, base + 5 * M, base, limit, 1,
					&first), 4);
	assert_true(first == base + M);
	assert_int_equal(rp_slot_starts(base + M, base + 5 * M, base, limit, 3,
					&first), 2);
	/* Unaligned ends cut off the partial slots. */
	assert_int_equal(rp_slot_starts(base + M + 4096, base + 5 * M - 4096,
					base, limit, 1, &first), 2);
	assert_true(first == base + 2 * M);
	/* Less than a slot, or fewer slots than chunks: no start. */
	first = 7;
	assert_int_equal(rp_slot_starts(base + 4096, base + M + 8192, base,
					limit, 1, &first), 0);
	assert_int_equal(rp_slot_starts(base, base + 2 * M, base, limit, 3,
					&first), 0);
	assert_int_equal(rp_slot_starts(base, base + 2 * M, base, limit, 0,
					&first), 0);
	assert_true(first == 7);
	/* Clipped to the module area at both ends. */
	assert_int_equal(rp_slot_starts(base - 8 * M, base + 2 * M, base, limit,
					1, &first), 2);
	assert_true(first == base);
	assert_int_equal(rp_slot_starts(limit - 3 * M, ~0UL, base, limit, 1,
					&first), 3);
	assert_true(first == limit - 3 * M);
	/* Outside the area altogether, even next to the top of the space. */
	assert_int_equal(rp_slot_starts(limit, ~0UL, base, limit, 1, &first), 0);
	assert_int_equal(rp_slot_starts(0x1000, base, base, limit, 1, &first), 0);
	/* The whole area: every slot. */
	assert_int_equal(rp_slot_starts(1, ~0UL, base, limit, 1, &first),
			 (limit - base) / M);
}

static void test_extension(void **state)
{
	static struct rp_map m[3];
	const struct rp_map *maps[] = { &m[0], &m[1], &m[2] };
	bool follows[] = { false, false, false };
	bool skip[] = { false, false, false };
	struct rp_fit fit;
	unsigned int added;

	(void)state;
	memset(m, 0, sizeof(m));
	rp_map_set(&m[0], 0, 253);		/* tail 259 */
	rp_map_set(&m[1], 0, 324);		/* tail 188 */
	rp_map_set(&m[2], 0, 349);		/* tail 163 */
	/* amdgpu, 1726 pages: 3 new chunks after chunk 0 instead of 4. */
	assert_true(rp_map_best_extension(maps, follows, skip, 3, 1726, &fit,
					  &added));
	assert_int_equal(fit.chunk, 0);
	assert_int_equal(fit.first, 253);
	assert_int_equal(added, 3);
	/*
	 * Its next slot taken: no other tail saves a chunk, but extending
	 * one keeps the tail's pages free at the end of the new chunks.
	 */
	skip[0] = true;
	assert_true(rp_map_best_extension(maps, follows, skip, 3, 1726, &fit,
					  &added));
	assert_int_equal(fit.chunk, 2);
	assert_int_equal(added, 4);
	/* i915, 517 pages: one new chunk; the tightest fit is after 2. */
	assert_true(rp_map_best_extension(maps, follows, skip, 3, 517, &fit,
					  &added));
	assert_int_equal(fit.chunk, 2);
	assert_int_equal(fit.first, 349);
	assert_int_equal(added, 1);
	/* Only the last chunk of a run is extended. */
	skip[0] = false;
	follows[1] = true;
	assert_true(rp_map_best_extension(maps, follows, skip, 3, 517, &fit,
					  &added));
	assert_int_equal(fit.chunk, 2);
	skip[1] = skip[2] = true;	/* chunk 0 is left: not last of its run */
	assert_false(rp_map_best_extension(maps, follows, skip, 3, 517, &fit,
					   &added));
	skip[1] = skip[2] = false;
	/*
	 * As many new chunks as a run of its own: still extend, so that the
	 * tail's pages stay free at the end of the new chunks.
	 */
	follows[1] = follows[2] = false;
	assert_true(rp_map_best_extension(maps, follows, skip, 3, 1400, &fit,
					  &added));
	assert_int_equal(added, rp_run_chunks(1400));
	assert_int_equal(fit.chunk, 2);
	/* Not for ranges that fit a chunk: they get a chunk of their own. */
	assert_false(rp_map_best_extension(maps, follows, skip, 3, 200, &fit,
					   &added));
}

/*
 * The module area as 2 MiB slots, some taken by the kernel's own module
 * allocations; chunks at slots, made and given back as rp_chunk_place()
 * and the release work do: best fit over the free space of the runs there
 * are; else, for a range larger than a chunk, the free tail of a run
 * extended with new chunks right after it; else a new chunk or run at a
 * random free slot (the lowest after eight tries), its first pages a
 * random head.
 */
#define SLOTS 96
struct area {
	struct rp_map maps[SLOTS];
	bool chunk[SLOTS];	/* a chunk is at this slot */
	bool taken[SLOTS];	/* the kernel's own allocations are here */
	unsigned int head[SLOTS];
	/* the chunks, by address, for pool_map.c */
	const struct rp_map *ptrs[SLOTS];
	bool follows[SLOTS];
	unsigned int slot_of[SLOTS];
	unsigned int nr;
};

struct placed {
	unsigned int slot, first, n;
};

static void area_index(struct area *a)
{
	unsigned int s;

	a->nr = 0;
	for (s = 0; s < SLOTS; s++) {
		if (!a->chunk[s])
			continue;
		a->follows[a->nr] = a->nr && a->slot_of[a->nr - 1] + 1 == s;
		a->slot_of[a->nr] = s;
		a->ptrs[a->nr++] = &a->maps[s];
	}
}

static void area_span(struct area *a, const struct placed *p, bool taken)
{
	unsigned int s;

	for (s = p->slot; s < p->slot + rp_run_chunks(p->first + p->n); s++)
		assert_true(a->chunk[s]);
	maps_span(a->maps, p->slot, p->first, p->n, taken);
}

static bool area_free(const struct area *a, unsigned int s, unsigned int k)
{
	unsigned int i;

	if (s + k > SLOTS)
		return false;
	for (i = 0; i < k; i++)
		if (a->chunk[s + i] || a->taken[s + i])
			return false;
	return true;
}

static void area_make(struct area *a, unsigned int s, unsigned int k,
		      unsigned int head)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		memset(&a->maps[s + i], 0, sizeof(a->maps[s + i]));
		a->chunk[s + i] = true;
		a->head[s + i] = 0;
	}
	a->head[s] = head;
	rp_map_set(&a->maps[s], 0, head);
}

static struct placed area_place(struct area *a, unsigned int n)
{
	bool skip[SLOTS] = { false };
	struct placed p = { .n = n };
	unsigned int k, added, s, i, room;
	struct rp_fit fit;

	area_index(a);
	if (rp_map_best_fit_run(a->ptrs, a->follows, a->nr, n, &fit)) {
		p.slot = a->slot_of[fit.chunk];
		p.first = fit.first;
		goto done;
	}
	while (rp_map_best_extension(a->ptrs, a->follows, skip, a->nr, n,
				     &fit, &added)) {
		s = a->slot_of[fit.chunk];
		if (area_free(a, s + 1, added)) {
			area_make(a, s + 1, added, 0);
			p.slot = s;
			p.first = fit.first;
			goto done;
		}
		skip[fit.chunk] = true;
	}
	k = rp_run_chunks(n);
	for (i = 0; i < 8; i++) {
		s = (unsigned int)rand() % (SLOTS - k + 1);
		if (area_free(a, s, k))
			break;
	}
	for (s = i < 8 ? s : 0; !area_free(a, s, k); s++)
		assert_true(s < SLOTS);
	room = k * RP_CHUNK_PAGES - n + 1;
	area_make(a, s, k, (unsigned int)rand() % (room < 16 ? room : 16));
	p.slot = s;
	p.first = a->head[s];
done:
	area_span(a, &p, true);
	return p;
}

/* The release work: empty chunks go, all but one spare. */
static void area_release(struct area *a)
{
	bool spare = false;
	unsigned int s;

	for (s = 0; s < SLOTS; s++) {
		if (!a->chunk[s] || rp_map_used(&a->maps[s]) != a->head[s])
			continue;
		if (!spare) {
			spare = true;
			continue;
		}
		a->chunk[s] = false;
	}
}

/* 2 MiB frames that hold text (a chunk's head pages are no text). */
static unsigned int area_frames(const struct area *a)
{
	unsigned int s, n = 0;

	for (s = 0; s < SLOTS; s++)
		n += a->chunk[s] && rp_map_used(&a->maps[s]) > a->head[s];
	return n;
}

/*
 * The GPU set of tests/vm/t-bigmod.sh in pages of core text: amdgpu, i915,
 * xe, nouveau as measured on 6.12.117+deb13, and their dependencies and the
 * small modules (drm, ttm, the display helpers, bridge, fat...) as
 * 6.12 builds them, 12.8 MB in all.
 */
static const unsigned int gpu_set[] = {
	1726, 517, 335, 315, 60, 20, 20, 30, 8, 4, 2, 10, 4, 12, 8, 1, 1,
	1, 4, 1, 1, 5, 40, 1, 1, 2, 14, 5,
};
#define GPU_N (sizeof(gpu_set) / sizeof(gpu_set[0]))

static unsigned int gpu_limit(void)
{
	unsigned int i, total = 0;

	for (i = 0; i < GPU_N; i++)
		total += gpu_set[i];
	return (total + RP_CHUNK_PAGES - 1) / RP_CHUNK_PAGES + 1;
}

static void shuffle(unsigned int *order, unsigned int n)
{
	unsigned int i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = (unsigned int)rand() % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

/*
 * Load the modules in @order: each one's core text, then its init text,
 * which the loader frees once the next module has its core text (what
 * parallel loads interleave).
 */
static void gpu_load(struct area *a, struct placed *core,
		     const unsigned int *order, unsigned int n)
{
	struct placed init = { 0 };
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned int m = order[i];

		core[m] = area_place(a, gpu_set[m]);
		if (init.n)
			area_span(a, &init, false);
		init = area_place(a, gpu_set[m] / 8 + 1);
	}
	area_span(a, &init, false);
}

/*
 * Parallel loads in the model: the GPU set in 500 random orders, unloaded
 * in another and loaded again, three rounds each: at most one 2 MiB frame
 * of text more than packed tightly (t-bigmod asserts the same on real
 * kernels; the worst here is that one frame, in 3 of the 1,500 rounds).
 */
static void test_gpu_set_orders(void **state)
{
	static struct area a;
	struct placed core[GPU_N];
	unsigned int order[GPU_N], seed, i, round;

	(void)state;
	for (seed = 1; seed <= 500; seed++) {
		srand(seed);
		memset(&a, 0, sizeof(a));
		/* The kernel's modules from before roxpool: a few slots. */
		i = (unsigned int)rand() % (SLOTS - 4);
		a.taken[i] = a.taken[i + 1] = a.taken[i + 2] = true;
		for (i = 0; i < GPU_N; i++)
			order[i] = i;
		for (round = 0; round < 3; round++) {
			shuffle(order, GPU_N);
			gpu_load(&a, core, order, GPU_N);
			assert_in_range(area_frames(&a), 1, gpu_limit());
			shuffle(order, GPU_N);
			for (i = 0; i < GPU_N; i++)
				area_span(&a, &core[order[i]], false);
			area_release(&a);
			assert_in_range(area_frames(&a), 0, 0);
		}
	}
}

/*
 * The churn set of tests/vm/t-churn.sh as the debug kernel (KASAN) builds
 * it, in pages of core text: 74 modules with their dependencies, 18.5 MB
 * (btrfs, xfs, f2fs, cifs, ext4 and nilfs2 over a chunk or near one).
 */
static const unsigned int churn_set[] = {
	980, 760, 520, 610, 470, 260, 230, 160, 150, 120, 95, 90, 80, 70, 60,
	55, 50, 45, 40, 38, 36, 34, 32, 30, 28, 26, 24, 22, 20, 20, 18, 18,
	16, 16, 14, 14, 12, 12, 12, 10, 10, 10, 9, 9, 8, 8, 8, 7, 7, 6, 6, 6,
	5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1,
};
#define CHURN_N (sizeof(churn_set) / sizeof(churn_set[0]))

/*
 * t-churn in the model: the whole set loaded in a random order, a random
 * half unloaded, loaded again in another order, four rounds, 500 seeds.
 * Text does not move, so the holes that unloads leave stay where they
 * are; with the whole set loaded again the worst of the 2,000 rounds
 * takes 14 frames for 11 of text (17 when a range that fit a chunk could
 * not use a hole that crossed two chunks of a run, and a range larger
 * than a chunk extended a run only to save a chunk).
 */
static void test_churn_orders(void **state)
{
	static struct area a;
	struct placed core[CHURN_N];
	unsigned int order[CHURN_N], seed, i, round, total = 0, worst = 0;
	bool loaded[CHURN_N];

	(void)state;
	for (i = 0; i < CHURN_N; i++)
		total += churn_set[i];
	for (seed = 1; seed <= 500; seed++) {
		srand(seed);
		memset(&a, 0, sizeof(a));
		memset(loaded, 0, sizeof(loaded));
		for (i = 0; i < CHURN_N; i++)
			order[i] = i;
		for (round = 0; round < 4; round++) {
			shuffle(order, CHURN_N);
			for (i = 0; i < CHURN_N; i++) {
				if (loaded[order[i]])
					continue;
				core[order[i]] = area_place(&a, churn_set[order[i]]);
				loaded[order[i]] = true;
			}
			if (area_frames(&a) > worst)
				worst = area_frames(&a);
			for (i = 0; i < CHURN_N; i++) {
				if (rand() % 2)
					continue;
				area_span(&a, &core[i], false);
				loaded[i] = false;
			}
			area_release(&a);
		}
	}
	assert_in_range(worst, 1, (total + RP_CHUNK_PAGES - 1) / RP_CHUNK_PAGES + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_clear),
		cmocka_unit_test(test_range_is),
		cmocka_unit_test(test_best_fit_tightest),
		cmocka_unit_test(test_best_fit_ties),
		cmocka_unit_test(test_packs_to_the_limit),
		cmocka_unit_test(test_run_fit),
		cmocka_unit_test(test_run_fit_tightest),
		cmocka_unit_test(test_run_chunks),
		cmocka_unit_test(test_run_mixed),
		cmocka_unit_test(test_free_tail),
		cmocka_unit_test(test_fit_long_extent),
		cmocka_unit_test(test_slot_starts),
		cmocka_unit_test(test_extension),
		cmocka_unit_test(test_gpu_set_orders),
		cmocka_unit_test(test_churn_orders),
	};

	return cmocka_run_group_tests_name("pool_map", tests, NULL, NULL);
}
