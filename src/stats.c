// SPDX-License-Identifier: GPL-2.0
/*
 * Text form of roxpool's statistics.
 *
 * No kernel needed: this file is also built by the user-space unit tests.
 */
#include <linux/kernel.h>

#include <roxpool/name.h>
#include <roxpool/pool_map.h>
#include <roxpool/stats.h>

#define RP_LINE_MAX	96

static void rp_emit_str(rp_emit_fn emit, void *ctx, const char *key,
			const char *val)
{
	char line[RP_LINE_MAX];

	snprintf(line, sizeof(line), "%s: %s", key, val ? val : "");
	emit(ctx, line);
}

static void rp_emit_u64(rp_emit_fn emit, void *ctx, const char *key,
			const char *sub, u64 val)
{
	char line[RP_LINE_MAX];

	if (sub)
		snprintf(line, sizeof(line), "%s_%s: %llu", key, sub,
			 (unsigned long long)val);
	else
		snprintf(line, sizeof(line), "%s: %llu", key,
			 (unsigned long long)val);
	emit(ctx, line);
}

static const char *const rp_fallback_names[RP_FB_NR] = {
	[RP_FB_DISABLED]	= "disabled",
	[RP_FB_TOO_LARGE]	= "too_large",
	[RP_FB_CHUNK]		= "no_chunk",
	[RP_FB_STAGING]		= "no_memory",
	[RP_FB_RUN_SPACE]	= "no_run_space",
	[RP_FB_RUN_HUGE]	= "no_huge_page",
	[RP_FB_RUN_BROKEN]	= "run_broken",
};

const char *rp_fallback_name(enum rp_fallback why)
{
	return rp_name(rp_fallback_names, ARRAY_SIZE(rp_fallback_names), why);
}

static void rp_pool_emit(const struct rp_pool_stats *p, rp_emit_fn emit,
			 void *ctx)
{
	u64 pool = p->chunks * RP_CHUNK_BYTES;
	unsigned int i;

	rp_emit_u64(emit, ctx, "pool_chunks", NULL, p->chunks);
	rp_emit_u64(emit, ctx, "pool_chunks_pmd", NULL, p->chunks_pmd);
	rp_emit_u64(emit, ctx, "pool_chunks_split", NULL, p->chunks_split);
	rp_emit_u64(emit, ctx, "pool_chunks_created", NULL, p->chunks_created);
	rp_emit_u64(emit, ctx, "pool_chunks_released", NULL,
		    p->chunks_released);
	rp_emit_u64(emit, ctx, "pool_chunk_failures", NULL, p->chunk_failures);
	rp_emit_u64(emit, ctx, "pool_chunks_leaked", NULL, p->chunks_leaked);
	rp_emit_u64(emit, ctx, "pool_collapse_refused", NULL,
		    p->collapse_refused);
	rp_emit_u64(emit, ctx, "pool_bytes", NULL, pool);
	rp_emit_u64(emit, ctx, "pool_bytes_allocated", NULL,
		    p->bytes_allocated);
	rp_emit_u64(emit, ctx, "pool_bytes_free", NULL,
		    pool - p->bytes_allocated);
	rp_emit_u64(emit, ctx, "pool_largest_free", NULL, p->largest_free);
	rp_emit_u64(emit, ctx, "pool_ranges", NULL, p->ranges);
	rp_emit_u64(emit, ctx, "pool_staged", NULL, p->staged);
	rp_emit_u64(emit, ctx, "pool_allocs", NULL, p->allocs);
	rp_emit_u64(emit, ctx, "pool_frees", NULL, p->frees);
	for (i = 0; i < RP_FB_NR; i++)
		rp_emit_u64(emit, ctx, "pool_fallback", rp_fallback_name(i),
			    p->fallbacks[i]);
	rp_emit_u64(emit, ctx, "pool_finalized", NULL, p->finalized);
	rp_emit_u64(emit, ctx, "pool_bytes_copied", NULL, p->bytes_copied);
	rp_emit_u64(emit, ctx, "pool_stage_ns", NULL, p->stage_ns);
	rp_emit_u64(emit, ctx, "pool_finalize_ns", NULL, p->finalize_ns);
}

/**
 * rp_stats_emit() - write statistics as "key: value" lines
 * @s: the snapshot
 * @emit: called once per line, in a fixed order
 * @ctx: passed to @emit
 *
 * Per-class "live" lines are allocations minus frees of the ranges roxpool
 * saw allocated: after every module loaded since roxpool came is unloaded,
 * live_class_loader is 0.
 */
void rp_stats_emit(const struct rp_stats *s, rp_emit_fn emit, void *ctx)
{
	u64 allocs = 0;
	unsigned int i;

	rp_emit_str(emit, ctx, "mode", s->mode);
	rp_emit_str(emit, ctx, "reason", s->reason);
	rp_emit_str(emit, ctx, "kernel", s->kernel);
	rp_emit_u64(emit, ctx, "enabled", NULL, s->enabled);
	rp_emit_u64(emit, ctx, "hooks", NULL, s->hooks);

	for (i = 0; i < RP_CLASS_NR; i++)
		allocs += s->alloc_by_class[i];
	rp_emit_u64(emit, ctx, "alloc_total", NULL, allocs);
	rp_emit_u64(emit, ctx, "alloc_failed", NULL, s->alloc_failed);
	for (i = 0; i <= RP_EXECMEM_NR; i++)
		rp_emit_u64(emit, ctx, "alloc_type", rp_type_name(i),
			    s->alloc_by_type[i]);
	for (i = 0; i < RP_CLASS_NR; i++)
		rp_emit_u64(emit, ctx, "alloc_class", rp_class_name(i),
			    s->alloc_by_class[i]);
	for (i = 0; i < RP_CLASS_NR; i++)
		rp_emit_u64(emit, ctx, "free_class", rp_class_name(i),
			    s->free_by_class[i]);
	for (i = 0; i < RP_CLASS_NR; i++)
		rp_emit_u64(emit, ctx, "live_class", rp_class_name(i),
			    s->alloc_by_class[i] - s->free_by_class[i]);
	rp_emit_u64(emit, ctx, "free_untracked", NULL, s->free_untracked);
	rp_emit_u64(emit, ctx, "free_null", NULL, s->free_null);
	rp_emit_u64(emit, ctx, "track_failed", NULL, s->track_failed);
	rp_emit_u64(emit, ctx, "text_rox_calls", NULL, s->text_rox);
	rp_pool_emit(&s->pool, emit, ctx);
}
