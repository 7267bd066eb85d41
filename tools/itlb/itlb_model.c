// SPDX-License-Identifier: GPL-2.0
/*
 * itlb_model: instruction TLB models with LRU replacement (see itlb_model.h).
 *
 * A lookup probes the first-level array that holds the page's size; on a
 * miss the second-level array that holds it; on a miss there too the page
 * is walked.  A miss fills every level it missed (the second level on a
 * walk, then the first), evicting the least recently used way of the set.
 * A second-level hit does not refresh anything in the first level beyond
 * the fill.  The set of a page is its page number (VA >> 12 or >> 21)
 * modulo the number of sets, and the tag carries the page size, so 4K
 * and 2M entries share an array the way the documented shared STLBs do.
 */
#include <stdlib.h>
#include <string.h>

#include "itlb_model.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The CPUs.  A new CPU is a new row; first level, then second level.
 */
const struct itlb_cpu_geom itlb_cpus[] = {
	{
		/*
		 * Intel 64 and IA-32 Architectures Optimization Reference
		 * Manual (order no. 248966), Skylake Server
		 * microarchitecture (also Cascade Lake), TLB parameters:
		 * instruction TLB 4 KB pages 128 entries 8-way, 2/4 MB pages
		 * 8 entries per thread fully associative; second-level TLB
		 * 4 KB + 2/4 MB pages 1,536 entries 12-way, shared by
		 * instructions and data (data use is not modeled).
		 */
		.name = "skylake-sp",
		.source = "Intel Optimization Reference Manual 248966, Skylake Server",
		.l1 = {
			{ "itlb-4k", 128, 8, ITLB_PS_4K },
			{ "itlb-2m", 8, 8, ITLB_PS_2M },
		},
		.l2 = {
			{ "stlb", 1536, 12, ITLB_PS_4K | ITLB_PS_2M },
		},
	},
	{
		/*
		 * Software Optimization Guide for AMD Family 19h Processors
		 * (pub. 56665), instruction TLBs: L1 instruction TLB 64
		 * entries, fully associative, all page sizes; L2 instruction
		 * TLB 512 entries, 8-way, 4K and 2M pages (1G pages are held
		 * as 2M there; there are none in the executable mappings
		 * modeled here).
		 */
		.name = "zen3",
		.source = "AMD Software Optimization Guide for Family 19h 56665",
		.l1 = {
			{ "l1-itlb", 64, 64, ITLB_PS_4K | ITLB_PS_2M },
		},
		.l2 = {
			{ "l2-itlb", 512, 8, ITLB_PS_4K | ITLB_PS_2M },
		},
	},
};

const unsigned int itlb_nr_cpus = ARRAY_SIZE(itlb_cpus);

const char *const itlb_region_name[ITLB_NR_REGION] = {
	[ITLB_USER] = "user",
	[ITLB_KERNEL] = "kernel",
	[ITLB_MODULE] = "module",
};

static const unsigned int itlb_shift[ITLB_NR_PSIZE] = {
	[ITLB_4K] = 12,
	[ITLB_2M] = 21,
};

const struct itlb_cpu_geom *itlb_cpu_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < itlb_nr_cpus; i++)
		if (!strcmp(itlb_cpus[i].name, name))
			return &itlb_cpus[i];
	return NULL;
}

static int itlb_array_init(struct itlb_array *a, const struct itlb_array_geom *g)
{
	memset(a, 0, sizeof(*a));
	if (!g->entries)
		return 0;
	if (!g->ways || g->entries % g->ways || !g->psizes)
		return -1;
	a->g = g;
	a->sets = g->entries / g->ways;
	a->way = calloc(g->entries, sizeof(*a->way));
	return a->way ? 0 : -1;
}

int itlb_init(struct itlb *t, const struct itlb_cpu_geom *g)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->g = g;
	for (i = 0; i < ITLB_MAX_ARRAYS; i++) {
		if (itlb_array_init(&t->l1[i], &g->l1[i]) ||
		    itlb_array_init(&t->l2[i], &g->l2[i])) {
			itlb_destroy(t);
			return -1;
		}
	}
	return 0;
}

void itlb_destroy(struct itlb *t)
{
	unsigned int i;

	for (i = 0; i < ITLB_MAX_ARRAYS; i++) {
		free(t->l1[i].way);
		free(t->l2[i].way);
		t->l1[i].way = NULL;
		t->l2[i].way = NULL;
	}
}

void itlb_flush(struct itlb *t)
{
	unsigned int i;

	for (i = 0; i < ITLB_MAX_ARRAYS; i++) {
		if (t->l1[i].way)
			memset(t->l1[i].way, 0, t->l1[i].g->entries * sizeof(struct itlb_way));
		if (t->l2[i].way)
			memset(t->l2[i].way, 0, t->l2[i].g->entries * sizeof(struct itlb_way));
	}
	t->last_valid = false;
}

/* The array of a level that holds pages of size PS (NULL: none does). */
static struct itlb_array *itlb_pick(struct itlb_array *level, enum itlb_psize ps)
{
	unsigned int i;

	for (i = 0; i < ITLB_MAX_ARRAYS; i++)
		if (level[i].way && (level[i].g->psizes & ITLB_PS(ps)))
			return &level[i];
	return NULL;
}

/* Look TAG up in A; on a miss, fill it in place of the set's LRU way. */
static bool itlb_lookup_fill(struct itlb_array *a, uint64_t vpn, uint64_t tag)
{
	struct itlb_way *set = &a->way[(vpn % a->sets) * a->g->ways];
	struct itlb_way *victim = set;
	unsigned int w;

	a->clock++;
	for (w = 0; w < a->g->ways; w++) {
		if (set[w].stamp && set[w].tag == tag) {
			set[w].stamp = a->clock;
			return true;
		}
		if (set[w].stamp < victim->stamp)
			victim = &set[w];
	}
	victim->tag = tag;
	victim->stamp = a->clock;
	return false;
}

enum itlb_result itlb_access(struct itlb *t, uint64_t va, enum itlb_psize ps)
{
	uint64_t vpn = va >> itlb_shift[ps];
	uint64_t tag = vpn << 1 | ps;
	struct itlb_array *l1, *l2;
	bool hit;

	/* The last page used is its array's most recently used entry: LRU order stays. */
	if (t->last_valid && t->last_tag == tag)
		return ITLB_HIT_L1;
	t->last_tag = tag;
	t->last_valid = true;

	l1 = itlb_pick(t->l1, ps);
	l2 = itlb_pick(t->l2, ps);
	if (l1 && itlb_lookup_fill(l1, vpn, tag))
		return ITLB_HIT_L1;
	hit = l2 && itlb_lookup_fill(l2, vpn, tag);
	return hit ? ITLB_HIT_L2 : ITLB_WALK;
}

void itlb_map_init(struct itlb_map *m)
{
	memset(m, 0, sizeof(*m));
}

void itlb_map_free(struct itlb_map *m)
{
	free(m->huge);
	itlb_map_init(m);
}

int itlb_map_add(struct itlb_map *m, uint64_t va)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		uint64_t *p = realloc(m->huge, cap * sizeof(*p));

		if (!p)
			return -1;
		m->huge = p;
		m->cap = cap;
	}
	m->huge[m->n++] = va & ~((1ull << 21) - 1);
	return 0;
}

static int itlb_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void itlb_map_sort(struct itlb_map *m)
{
	size_t i, n = 0;

	qsort(m->huge, m->n, sizeof(*m->huge), itlb_cmp_u64);
	for (i = 0; i < m->n; i++)
		if (!n || m->huge[n - 1] != m->huge[i])
			m->huge[n++] = m->huge[i];
	m->n = n;
}

enum itlb_psize itlb_map_psize(const struct itlb_map *m, uint64_t va)
{
	uint64_t base = va & ~((1ull << 21) - 1);
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->huge[mid] == base)
			return ITLB_2M;
		if (m->huge[mid] < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ITLB_4K;
}

enum itlb_region itlb_region_of(const struct itlb_area *a, uint64_t va)
{
	if (va < ITLB_USER_END)
		return ITLB_USER;
	if (va >= a->mod_start && va < a->mod_end)
		return ITLB_MODULE;
	return ITLB_KERNEL;
}
