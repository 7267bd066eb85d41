/* SPDX-License-Identifier: GPL-2.0 */
/*
 * itlb_model: a model of a CPU's instruction TLBs (a first level and a
 * second level, each one or two set-associative arrays with LRU
 * replacement), fed with the pages of instruction fetches.  Plain C with
 * no QEMU in it, so that tests/unit can drive it with synthetic streams;
 * tools/itlb/itlb_plugin.c feeds it from QEMU.
 */
#ifndef ITLB_MODEL_H
#define ITLB_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum itlb_psize {
	ITLB_4K,
	ITLB_2M,
	ITLB_NR_PSIZE,
};

#define ITLB_PS(ps)	(1u << (ps))
#define ITLB_PS_4K	ITLB_PS(ITLB_4K)
#define ITLB_PS_2M	ITLB_PS(ITLB_2M)

/* One array: ENTRIES entries in ENTRIES / WAYS sets (WAYS == ENTRIES: fully associative). */
struct itlb_array_geom {
	const char *name;
	unsigned int entries;
	unsigned int ways;
	unsigned int psizes;	/* ITLB_PS_* it holds */
};

#define ITLB_MAX_ARRAYS	2

/* A CPU: its first-level iTLB arrays and its second-level (STLB / L2 iTLB) arrays. */
struct itlb_cpu_geom {
	const char *name;
	const char *source;	/* where the geometry is documented */
	struct itlb_array_geom l1[ITLB_MAX_ARRAYS];	/* .entries 0: unused */
	struct itlb_array_geom l2[ITLB_MAX_ARRAYS];
};

extern const struct itlb_cpu_geom itlb_cpus[];
extern const unsigned int itlb_nr_cpus;

const struct itlb_cpu_geom *itlb_cpu_find(const char *name);

struct itlb_way {
	uint64_t tag;		/* page number << 1 | page size */
	uint64_t stamp;		/* last use; 0: invalid */
};

struct itlb_array {
	const struct itlb_array_geom *g;
	unsigned int sets;
	uint64_t clock;
	struct itlb_way *way;	/* sets * g->ways */
};

struct itlb {
	const struct itlb_cpu_geom *g;
	struct itlb_array l1[ITLB_MAX_ARRAYS];
	struct itlb_array l2[ITLB_MAX_ARRAYS];
	/* The page of the last access: it is the most recently used entry of its L1 array. */
	uint64_t last_tag;
	bool last_valid;
};

enum itlb_result {
	ITLB_HIT_L1,	/* first level hit */
	ITLB_HIT_L2,	/* first level miss, second level hit */
	ITLB_WALK,	/* miss in both: a page walk */
};

int itlb_init(struct itlb *t, const struct itlb_cpu_geom *g);
void itlb_destroy(struct itlb *t);
void itlb_flush(struct itlb *t);
enum itlb_result itlb_access(struct itlb *t, uint64_t va, enum itlb_psize ps);

/*
 * Page sizes of executable memory: the bases of the 2 MiB pages, sorted;
 * everything else is 4 KiB.
 */
struct itlb_map {
	uint64_t *huge;
	size_t n, cap;
};

void itlb_map_init(struct itlb_map *m);
void itlb_map_free(struct itlb_map *m);
int itlb_map_add(struct itlb_map *m, uint64_t va);	/* any address in the 2M page */
void itlb_map_sort(struct itlb_map *m);			/* after the adds, before lookups */
enum itlb_psize itlb_map_psize(const struct itlb_map *m, uint64_t va);

/* Where code lives (x86_64, 4-level paging; the module area is a parameter). */
enum itlb_region {
	ITLB_USER,
	ITLB_KERNEL,
	ITLB_MODULE,
	ITLB_NR_REGION,
};

extern const char *const itlb_region_name[ITLB_NR_REGION];

struct itlb_area {
	uint64_t mod_start, mod_end;	/* [start, end) */
};

#define ITLB_MODULES_VADDR	0xffffffffc0000000ull	/* __START_KERNEL_map + 1 GiB (KASLR) */
#define ITLB_MODULES_END	0xffffffffff000000ull
#define ITLB_USER_END		0x0000800000000000ull

enum itlb_region itlb_region_of(const struct itlb_area *a, uint64_t va);

#endif /* ITLB_MODEL_H */
