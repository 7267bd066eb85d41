// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/roxpool/: read-only statistics.
 *
 * Every file is read-only (0444, or 0400 where it shows kernel layout), so
 * they stay readable under lockdown, which refuses writable debugfs files.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <roxpool/core.h>
#include <roxpool/ksym.h>
#include <roxpool/pool.h>

static struct dentry *rp_debugfs_dir;

static void rp_seq_line(void *ctx, const char *line)
{
	seq_printf(ctx, "%s\n", line);
}

static int stats_show(struct seq_file *m, void *v)
{
	struct rp_stats s;

	rp_stats_read(&s);
	rp_stats_emit(&s, rp_seq_line, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int symbols_show(struct seq_file *m, void *v)
{
	rp_ksym_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(symbols);

static int allocations_show(struct seq_file *m, void *v)
{
	rp_pool_show_allocations(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(allocations);

static int chunks_show(struct seq_file *m, void *v)
{
	rp_pool_show_chunks(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(chunks);

static int census_show(struct seq_file *m, void *v)
{
	rp_census_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(census);

void rp_debugfs_init(void)
{
	/* debugfs is optional: failures leave roxpool working, unobserved. */
	rp_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0444, rp_debugfs_dir, NULL, &stats_fops);
	debugfs_create_file("symbols", 0400, rp_debugfs_dir, NULL,
			    &symbols_fops);
	debugfs_create_file("allocations", 0400, rp_debugfs_dir, NULL,
			    &allocations_fops);
	debugfs_create_file("census", 0444, rp_debugfs_dir, NULL,
			    &census_fops);
	debugfs_create_file("chunks", 0400, rp_debugfs_dir, NULL,
			    &chunks_fops);
}

void rp_debugfs_exit(void)
{
	debugfs_remove(rp_debugfs_dir);
}
