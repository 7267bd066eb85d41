/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a loader text allocation was not pooled.  Each reason's name, defined
 * once in stats.c (rp_fallback_name()), appears as pool_fallback_<name> in
 * the statistics and as reason=<name> in the roxpool_fallback tracepoint.
 *
 * Needs no kernel; built into the module and the user-space unit tests.
 */
#ifndef ROXPOOL_FALLBACK_H
#define ROXPOOL_FALLBACK_H

/**
 * enum rp_fallback - why a loader text allocation was not pooled
 * @RP_FB_DISABLED: the sysfs switch is off, or the pool is closed (its hooks
 *	are still being installed, or roxpool is unloading)
 * @RP_FB_TOO_LARGE: larger than the largest run (RP_MAX_RUN chunks)
 * @RP_FB_CHUNK: no room and no new chunk (allocation or PMD mapping failed,
 *	or the pool has RP_MAX_CHUNKS chunks)
 * @RP_FB_STAGING: no memory for the staging pages or the PTE table
 * @RP_FB_RUN_SPACE: larger than a chunk, and the module area has no
 *	virtually contiguous room for a run of new chunks
 * @RP_FB_RUN_HUGE: larger than a chunk, and a chunk of the new run got no
 *	2 MiB block of memory (fragmented memory: vmalloc mapped 4 KiB pages)
 * @RP_FB_RUN_BROKEN: larger than a chunk, and the new run failed half way
 *	(a chunk's CPA, or its memory); the chunks made so far are given back
 * @RP_FB_NR: number of reasons
 */
enum rp_fallback {
	RP_FB_DISABLED,
	RP_FB_TOO_LARGE,
	RP_FB_CHUNK,
	RP_FB_STAGING,
	RP_FB_RUN_SPACE,
	RP_FB_RUN_HUGE,
	RP_FB_RUN_BROKEN,
	RP_FB_NR,
};

const char *rp_fallback_name(enum rp_fallback why);

#endif /* ROXPOOL_FALLBACK_H */
