// SPDX-License-Identifier: GPL-2.0
/*
 * Text form of roxpool's statistics.
 *
 * No kernel needed: this file is also built by the user-space unit tests.
 */
#include <linux/kernel.h>

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
}
