/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roxpool module state shared between its files.
 */
#ifndef ROXPOOL_CORE_H
#define ROXPOOL_CORE_H

#include <linux/types.h>

#include <roxpool/classify.h>
#include <roxpool/policy.h>
#include <roxpool/stats.h>

/* main.c */
enum rp_mode rp_mode(void);
const char *rp_mode_reason(void);

/* param.c: the sysfs toggle and the load-time opt-in */
bool rp_enabled(void);
bool rp_allow_untested(void);

/* counters.c */
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
void rp_stats_read(struct rp_stats *s);

/* track.c: which live execmem ranges roxpool saw allocated */
void rp_track_add(void *ptr, unsigned int type, enum rp_class class);
bool rp_track_del(void *ptr, enum rp_class *class);
void rp_track_exit(void);

/* debugfs.c */
void rp_debugfs_init(void);
void rp_debugfs_exit(void);

#endif /* ROXPOOL_CORE_H */
