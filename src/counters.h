/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roxpool's event counters (src/counters.c): cheap to bump from any context.
 */
#ifndef ROXPOOL_COUNTERS_H
#define ROXPOOL_COUNTERS_H

#include <roxpool/classify.h>
#include <roxpool/stats.h>

/**
 * enum rp_counter - events counted by rp_count()
 * @RP_CNT_ALLOC_FAILED: execmem_alloc() returned NULL
 * @RP_CNT_FREE_UNTRACKED: execmem_free() of a range roxpool did not see
 *	allocated
 * @RP_CNT_FREE_NULL: execmem_free(NULL)
 * @RP_CNT_TRACK_FAILED: no memory for an allocation's tracking record
 * @RP_CNT_TEXT_ROX: module_enable_text_rox() calls
 * @RP_CNT_NR: number of counters
 */
enum rp_counter {
	RP_CNT_ALLOC_FAILED,
	RP_CNT_FREE_UNTRACKED,
	RP_CNT_FREE_NULL,
	RP_CNT_TRACK_FAILED,
	RP_CNT_TEXT_ROX,
	RP_CNT_NR,
};

void rp_count(enum rp_counter c);
void rp_count_alloc(unsigned int type, enum rp_class class);
void rp_count_free(enum rp_class class);
void rp_counters_read(struct rp_stats *s);

#endif /* ROXPOOL_COUNTERS_H */
