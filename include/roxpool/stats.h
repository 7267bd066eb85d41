/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roxpool statistics: the snapshot and its text form.
 *
 * Needs no kernel; unit-tested in user space.  The module fills a snapshot
 * from its counters and rp_stats_emit() turns it into the "key: value" lines
 * of /sys/kernel/debug/roxpool/stats.  The keys are an interface: scripts and
 * tests read them, so add keys, do not rename them.
 */
#ifndef ROXPOOL_STATS_H
#define ROXPOOL_STATS_H

#include <linux/types.h>

#include <roxpool/classify.h>

/**
 * struct rp_stats - one consistent-enough reading of the counters
 * @mode: rp_mode_name() of the current mode
 * @reason: why that mode was chosen
 * @kernel: release string of the running kernel
 * @enabled: the sysfs toggle
 * @hooks: number of ftrace hooks installed now
 * @alloc_by_type: successful execmem_alloc() calls per execmem type
 * @alloc_by_class: successful execmem_alloc() calls per caller class
 * @free_by_class: execmem_free() calls of ranges roxpool saw allocated
 * @alloc_failed: execmem_alloc() calls that returned NULL
 * @free_untracked: execmem_free() calls of ranges roxpool did not see
 *	allocated (allocated before it loaded, or its tracking record could not
 *	be allocated)
 * @free_null: execmem_free(NULL) calls
 * @track_failed: allocations whose tracking record could not be allocated
 * @text_rox: module_enable_text_rox() calls (one per module formed)
 */
struct rp_stats {
	const char *mode;
	const char *reason;
	const char *kernel;
	bool enabled;
	unsigned int hooks;
	u64 alloc_by_type[RP_EXECMEM_NR + 1];
	u64 alloc_by_class[RP_CLASS_NR];
	u64 free_by_class[RP_CLASS_NR];
	u64 alloc_failed;
	u64 free_untracked;
	u64 free_null;
	u64 track_failed;
	u64 text_rox;
};

/* Receives one complete "key: value" line, without a newline. */
typedef void (*rp_emit_fn)(void *ctx, const char *line);

void rp_stats_emit(const struct rp_stats *s, rp_emit_fn emit, void *ctx);

#endif /* ROXPOOL_STATS_H */
