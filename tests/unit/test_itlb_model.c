// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for tools/itlb/itlb_model.c: the iTLB models fed with
 * synthetic page streams whose hits and misses are known.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/itlb/itlb_model.h"

#define K4 0x1000ull
#define M2 0x200000ull
#define KTEXT 0xffffffff81000000ull

struct tally {
	unsigned long l1_misses, walks;
};

/* Access page i of STRIDE-spaced pages of size PS, N pages, ROUNDS times round. */
static struct tally cycle(struct itlb *t, uint64_t base, uint64_t stride,
			  unsigned int n, unsigned int rounds, enum itlb_psize ps)
{
	struct tally s = { 0, 0 };
	unsigned int r, i;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++) {
			enum itlb_result res = itlb_access(t, base + i * stride, ps);

			s.l1_misses += res != ITLB_HIT_L1;
			s.walks += res == ITLB_WALK;
		}
	return s;
}

static struct itlb *tlb_of(const char *cpu)
{
	static struct itlb t;
	const struct itlb_cpu_geom *g = itlb_cpu_find(cpu);

	assert_non_null(g);
	assert_int_equal(itlb_init(&t, g), 0);
	return &t;
}

/* Every table row is usable: sets divide, each size has an array at each level. */
static void test_geometry_table(void **state)
{
	unsigned int c, i, ps;

	(void)state;
	assert_true(itlb_nr_cpus >= 2);
	for (c = 0; c < itlb_nr_cpus; c++) {
		const struct itlb_cpu_geom *g = &itlb_cpus[c];
		struct itlb t;

		assert_non_null(g->source);
		assert_int_equal(itlb_init(&t, g), 0);
		for (ps = 0; ps < ITLB_NR_PSIZE; ps++) {
			unsigned int in1 = 0, in2 = 0;

			for (i = 0; i < ITLB_MAX_ARRAYS; i++) {
				in1 += g->l1[i].entries && (g->l1[i].psizes & ITLB_PS(ps));
				in2 += g->l2[i].entries && (g->l2[i].psizes & ITLB_PS(ps));
			}
			assert_int_equal(in1, 1);
			assert_int_equal(in2, 1);
		}
		itlb_destroy(&t);
	}
	assert_null(itlb_cpu_find("no-such-cpu"));
}

/* Zen 3's fully associative 64-entry L1: 64 pages in a loop fit, 65 thrash (LRU). */
static void test_zen3_l1_capacity(void **state)
{
	struct itlb *t = tlb_of("zen3");
	struct tally s;

	(void)state;
	s = cycle(t, KTEXT, K4, 64, 1, ITLB_4K);
	assert_int_equal(s.l1_misses, 64);	/* cold */
	assert_int_equal(s.walks, 64);
	s = cycle(t, KTEXT, K4, 64, 10, ITLB_4K);
	assert_int_equal(s.l1_misses, 0);
	itlb_flush(t);
	cycle(t, KTEXT, K4, 65, 1, ITLB_4K);
	s = cycle(t, KTEXT, K4, 65, 10, ITLB_4K);
	assert_int_equal(s.l1_misses, 650);	/* LRU evicts the next one needed */
	assert_int_equal(s.walks, 0);		/* the 512-entry L2 holds them all */
	itlb_destroy(t);
}

/*
 * Zen 3's L2 (512 entries, 8-way: 64 sets): pages 64 pages apart share a
 * set.  Between rounds, 64 other pages (all in another set) flush the
 * fully associative L1, so every round reaches the L2.
 */
static struct tally zen3_set_rounds(struct itlb *t, unsigned int n, unsigned int rounds)
{
	struct tally s = { 0, 0 }, r;
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		r = cycle(t, KTEXT, 64 * K4, n, 1, ITLB_4K);
		s.l1_misses += r.l1_misses;
		s.walks += r.walks;
		cycle(t, KTEXT + 0x10000000ull + K4, 64 * K4, 64, 1, ITLB_4K);
	}
	return s;
}

static void test_zen3_l2_conflict(void **state)
{
	struct itlb *t = tlb_of("zen3");
	struct tally s;

	(void)state;
	/* 8 pages in one set of 8 ways: L1 misses, L2 hits. */
	zen3_set_rounds(t, 8, 1);
	s = zen3_set_rounds(t, 8, 3);
	assert_int_equal(s.l1_misses, 24);
	assert_int_equal(s.walks, 0);
	/* 9 in one set: LRU evicts the next one needed: every access walks. */
	itlb_flush(t);
	zen3_set_rounds(t, 9, 1);
	s = zen3_set_rounds(t, 9, 3);
	assert_int_equal(s.walks, 27);
	/* ... while 9 such pages alone fit the L1. */
	itlb_flush(t);
	cycle(t, KTEXT, 64 * K4, 9, 1, ITLB_4K);
	s = cycle(t, KTEXT, 64 * K4, 9, 3, ITLB_4K);
	assert_int_equal(s.l1_misses, 0);
	/* 600 distinct pages: beyond the L2 (512): every access walks under LRU. */
	itlb_flush(t);
	cycle(t, KTEXT, K4, 600, 1, ITLB_4K);
	s = cycle(t, KTEXT, K4, 600, 2, ITLB_4K);
	assert_int_equal(s.walks, 1200);
	/* 500 fit the L2: misses in L1, no walk. */
	itlb_flush(t);
	cycle(t, KTEXT, K4, 500, 1, ITLB_4K);
	s = cycle(t, KTEXT, K4, 500, 2, ITLB_4K);
	assert_int_equal(s.l1_misses, 1000);
	assert_int_equal(s.walks, 0);
	itlb_destroy(t);
}

/* Skylake's L1 4K array: 128 entries, 8 ways, 16 sets. */
static void test_skylake_l1_sets(void **state)
{
	struct itlb *t = tlb_of("skylake-sp");
	struct tally s;

	(void)state;
	/* 8 pages 16 pages apart: one set, 8 ways: all hit once warm. */
	cycle(t, KTEXT, 16 * K4, 8, 1, ITLB_4K);
	s = cycle(t, KTEXT, 16 * K4, 8, 5, ITLB_4K);
	assert_int_equal(s.l1_misses, 0);
	/* 9 in one set: every access misses the L1 but hits the STLB (128 sets). */
	itlb_flush(t);
	cycle(t, KTEXT, 16 * K4, 9, 1, ITLB_4K);
	s = cycle(t, KTEXT, 16 * K4, 9, 5, ITLB_4K);
	assert_int_equal(s.l1_misses, 45);
	assert_int_equal(s.walks, 0);
	/* 128 consecutive pages fill all 16 sets exactly. */
	itlb_flush(t);
	cycle(t, KTEXT, K4, 128, 1, ITLB_4K);
	s = cycle(t, KTEXT, K4, 128, 3, ITLB_4K);
	assert_int_equal(s.l1_misses, 0);
	itlb_destroy(t);
}

/* Skylake's STLB: 1,536 entries, 12 ways, 128 sets. */
static void test_skylake_stlb(void **state)
{
	struct itlb *t = tlb_of("skylake-sp");
	struct tally s;

	(void)state;
	cycle(t, KTEXT, K4, 1536, 1, ITLB_4K);
	s = cycle(t, KTEXT, K4, 1536, 2, ITLB_4K);
	assert_int_equal(s.walks, 0);
	assert_int_equal(s.l1_misses, 2 * 1536);
	itlb_flush(t);
	/* One page more than the STLB: only its set (13 pages for 12 ways) thrashes. */
	cycle(t, KTEXT, K4, 1537, 1, ITLB_4K);
	s = cycle(t, KTEXT, K4, 1537, 2, ITLB_4K);
	assert_int_equal(s.walks, 2 * 13);
	/* 13 pages in every set: every access walks. */
	itlb_flush(t);
	cycle(t, KTEXT, K4, 13 * 128, 1, ITLB_4K);
	s = cycle(t, KTEXT, K4, 13 * 128, 2, ITLB_4K);
	assert_int_equal(s.walks, 2 * 13 * 128);
	/* 13 pages in one STLB set (128 pages apart), 4 in each L1 set: walk every time */
	itlb_flush(t);
	cycle(t, KTEXT, 128 * K4, 13, 1, ITLB_4K);
	s = cycle(t, KTEXT, 128 * K4, 13, 2, ITLB_4K);
	assert_int_equal(s.walks, 26);
	itlb_destroy(t);
}

/* LRU order, not FIFO: re-using the oldest entry saves it from eviction. */
static void test_lru_order(void **state)
{
	struct itlb *t = tlb_of("skylake-sp");
	unsigned int i;

	(void)state;
	/* One L1 set (stride 16 pages): fill 8 ways with pages 0..7. */
	for (i = 0; i < 8; i++)
		assert_int_not_equal(itlb_access(t, KTEXT + i * 16 * K4, ITLB_4K), ITLB_HIT_L1);
	/* Touch page 0: now page 1 is the LRU. */
	assert_int_equal(itlb_access(t, KTEXT, ITLB_4K), ITLB_HIT_L1);
	/* Page 8 evicts page 1, not page 0. */
	assert_int_equal(itlb_access(t, KTEXT + 8 * 16 * K4, ITLB_4K), ITLB_WALK);
	assert_int_equal(itlb_access(t, KTEXT, ITLB_4K), ITLB_HIT_L1);
	assert_int_equal(itlb_access(t, KTEXT + 1 * 16 * K4, ITLB_4K), ITLB_HIT_L2);
	/* ...which evicted page 2 (the LRU then) from the L1 */
	assert_int_equal(itlb_access(t, KTEXT + 3 * 16 * K4, ITLB_4K), ITLB_HIT_L1);
	assert_int_equal(itlb_access(t, KTEXT + 2 * 16 * K4, ITLB_4K), ITLB_HIT_L2);
	itlb_destroy(t);
}

/* Mixed sizes: Skylake keeps 2M pages in their own 8-entry L1 array. */
static void test_mixed_sizes(void **state)
{
	struct itlb *t = tlb_of("skylake-sp");
	struct itlb *z;
	struct tally s;

	(void)state;
	/* 8 huge pages and 128 small ones live side by side in the L1 */
	cycle(t, 0xffffffffc0000000ull, M2, 8, 1, ITLB_2M);
	cycle(t, KTEXT, K4, 128, 1, ITLB_4K);
	s = cycle(t, 0xffffffffc0000000ull, M2, 8, 3, ITLB_2M);
	assert_int_equal(s.l1_misses, 0);
	s = cycle(t, KTEXT, K4, 128, 3, ITLB_4K);
	assert_int_equal(s.l1_misses, 0);
	/* 9 huge pages thrash the 2M array, and hit the shared STLB. */
	cycle(t, 0xffffffffc0000000ull, M2, 9, 1, ITLB_2M);
	s = cycle(t, 0xffffffffc0000000ull, M2, 9, 3, ITLB_2M);
	assert_int_equal(s.l1_misses, 27);
	assert_int_equal(s.walks, 0);
	/* A 4K and a 2M entry of the same address are different entries. */
	itlb_flush(t);
	assert_int_equal(itlb_access(t, KTEXT, ITLB_2M), ITLB_WALK);
	assert_int_equal(itlb_access(t, KTEXT, ITLB_4K), ITLB_WALK);
	assert_int_equal(itlb_access(t, KTEXT + 0x1000, ITLB_2M), ITLB_HIT_L1);
	itlb_destroy(t);

	/* Zen 3: one L1 for all sizes: 32 huge + 32 small fill it; 33 + 32 do not. */
	z = tlb_of("zen3");
	cycle(z, 0xffffffffc0000000ull, M2, 32, 1, ITLB_2M);
	cycle(z, KTEXT, K4, 32, 1, ITLB_4K);
	s = cycle(z, 0xffffffffc0000000ull, M2, 32, 2, ITLB_2M);
	assert_int_equal(s.l1_misses, 0);
	s = cycle(z, KTEXT, K4, 32, 2, ITLB_4K);
	assert_int_equal(s.l1_misses, 0);
	itlb_destroy(z);
}

/* What the module text costs: 3,000 functions on their own pages. */
static void test_pooled_vs_4k(void **state)
{
	struct itlb *t = tlb_of("skylake-sp");
	struct tally s4, s2;

	(void)state;
	cycle(t, 0xffffffffc0000000ull, K4, 3000, 1, ITLB_4K);
	s4 = cycle(t, 0xffffffffc0000000ull, K4, 3000, 2, ITLB_4K);
	itlb_flush(t);
	cycle(t, 0xffffffffc0000000ull, K4, 3000, 1, ITLB_2M);
	s2 = cycle(t, 0xffffffffc0000000ull, K4, 3000, 2, ITLB_2M);
	assert_int_equal(s4.walks, 6000);
	assert_int_equal(s2.l1_misses, 0);
	itlb_destroy(t);
}

static void test_map(void **state)
{
	struct itlb_map m;

	(void)state;
	itlb_map_init(&m);
	assert_int_equal(itlb_map_psize(&m, KTEXT), ITLB_4K);
	assert_int_equal(itlb_map_add(&m, 0xffffffffc0400000ull), 0);
	assert_int_equal(itlb_map_add(&m, KTEXT + 0x1234), 0);	/* rounded down */
	assert_int_equal(itlb_map_add(&m, KTEXT), 0);		/* duplicate */
	itlb_map_sort(&m);
	assert_int_equal(m.n, 2);
	assert_int_equal(itlb_map_psize(&m, KTEXT), ITLB_2M);
	assert_int_equal(itlb_map_psize(&m, KTEXT + M2 - 1), ITLB_2M);
	assert_int_equal(itlb_map_psize(&m, KTEXT + M2), ITLB_4K);
	assert_int_equal(itlb_map_psize(&m, KTEXT - 1), ITLB_4K);
	assert_int_equal(itlb_map_psize(&m, 0xffffffffc05fffffull), ITLB_2M);
	assert_int_equal(itlb_map_psize(&m, 0xffffffffc0200000ull), ITLB_4K);
	itlb_map_free(&m);
}

static void test_region(void **state)
{
	struct itlb_area a = { ITLB_MODULES_VADDR, ITLB_MODULES_END };

	(void)state;
	assert_int_equal(itlb_region_of(&a, 0x401000), ITLB_USER);
	assert_int_equal(itlb_region_of(&a, 0x7fffffffffffull), ITLB_USER);
	assert_int_equal(itlb_region_of(&a, KTEXT), ITLB_KERNEL);
	assert_int_equal(itlb_region_of(&a, 0xffffffffbfffffffull), ITLB_KERNEL);
	assert_int_equal(itlb_region_of(&a, 0xffffffffc0000000ull), ITLB_MODULE);
	assert_int_equal(itlb_region_of(&a, 0xfffffffffeffffffull), ITLB_MODULE);
	assert_int_equal(itlb_region_of(&a, 0xffffffffff000000ull), ITLB_KERNEL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_table),
		cmocka_unit_test(test_zen3_l1_capacity),
		cmocka_unit_test(test_zen3_l2_conflict),
		cmocka_unit_test(test_skylake_l1_sets),
		cmocka_unit_test(test_skylake_stlb),
		cmocka_unit_test(test_lru_order),
		cmocka_unit_test(test_mixed_sizes),
		cmocka_unit_test(test_pooled_vs_4k),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_region),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
