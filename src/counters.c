// SPDX-License-Identifier: GPL-2.0
/*
 * roxpool's event counters.  Cheap to bump from any context; read into the
 * statistics snapshot that debugfs.c assembles.
 */
#include <linux/atomic.h>
#include <linux/minmax.h>

#include "counters.h"

static atomic64_t rp_alloc_by_type[RP_EXECMEM_NR + 1];
static atomic64_t rp_alloc_by_class[RP_CLASS_NR];
static atomic64_t rp_free_by_class[RP_CLASS_NR];
static atomic64_t rp_counters[RP_CNT_NR];

void rp_count(enum rp_counter c)
{
	atomic64_inc(&rp_counters[c]);
}

void rp_count_alloc(unsigned int type, enum rp_class class)
{
	atomic64_inc(&rp_alloc_by_type[min(type, RP_EXECMEM_UNKNOWN)]);
	atomic64_inc(&rp_alloc_by_class[class]);
}

void rp_count_free(enum rp_class class)
{
	atomic64_inc(&rp_free_by_class[class]);
}

/**
 * rp_counters_read() - read every counter into a statistics snapshot
 * @s: its counter fields are filled in, the rest is left alone
 *
 * Frees are read before allocations: a range is counted allocated before it
 * can be counted freed, so live = alloc - free never goes below zero even
 * while modules load and unload during the read.
 */
void rp_counters_read(struct rp_stats *s)
{
	unsigned int i;

	for (i = 0; i < RP_CLASS_NR; i++)
		s->free_by_class[i] = atomic64_read(&rp_free_by_class[i]);
	/* Pairs with the order of the wrappers: allocation counted first. */
	smp_rmb();
	for (i = 0; i < RP_CLASS_NR; i++)
		s->alloc_by_class[i] = atomic64_read(&rp_alloc_by_class[i]);
	for (i = 0; i <= RP_EXECMEM_NR; i++)
		s->alloc_by_type[i] = atomic64_read(&rp_alloc_by_type[i]);

	s->alloc_failed = atomic64_read(&rp_counters[RP_CNT_ALLOC_FAILED]);
	s->free_untracked = atomic64_read(&rp_counters[RP_CNT_FREE_UNTRACKED]);
	s->free_null = atomic64_read(&rp_counters[RP_CNT_FREE_NULL]);
	s->track_failed = atomic64_read(&rp_counters[RP_CNT_TRACK_FAILED]);
	s->text_rox = atomic64_read(&rp_counters[RP_CNT_TEXT_ROX]);
}
