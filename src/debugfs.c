// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/roxpool/: read-only statistics.
 *
 * The top of the reporting: each file shows what a layer below reports, and
 * "stats" is the snapshot assembled here from all of them (state, counters,
 * hooks, pool).  Nothing but main.c calls into this file.
 *
 * Every file is read-only (0444, or 0400 where it shows kernel addresses),
 * so they stay readable under lockdown, which refuses writable debugfs files.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "census.h"
#include "counters.h"
#include "debugfs.h"
#include "hooks.h"
#include "ksym.h"
#include "pool.h"
#include "state.h"

static struct dentry *rp_debugfs_dir;

static void rp_seq_line(void *ctx, const char *line)
{
	seq_printf(ctx, "%s\n", line);
}

/* One consistent-enough reading of everything the statistics show. */
static void rp_stats_read(struct rp_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->mode = rp_mode_name(rp_mode());
	s->reason = rp_mode_reason();
	s->kernel = init_utsname()->release;
	s->enabled = rp_enabled();
	s->hooks = rp_hooks_installed();
	rp_counters_read(s);
	rp_pool_read(&s->pool);
}

static void rp_show_stats(struct seq_file *m)
{
	struct rp_stats s;

	rp_stats_read(&s);
	rp_stats_emit(&s, rp_seq_line, m);
}

static const struct {
	const char *name;
	umode_t mode;
	void (*show)(struct seq_file *m);
} rp_files[] = {
	{ "stats", 0444, rp_show_stats },
	{ "census", 0444, rp_census_show },
	{ "symbols", 0400, rp_ksym_show },
	{ "allocations", 0400, rp_pool_show_allocations },
	{ "chunks", 0400, rp_census_show_chunks },
};

static int rp_file_show(struct seq_file *m, void *v)
{
	void (*show)(struct seq_file *m) = m->private;

	show(m);
	return 0;
}

static int rp_file_open(struct inode *inode, struct file *file)
{
	return single_open(file, rp_file_show, inode->i_private);
}

static const struct file_operations rp_file_fops = {
	.owner = THIS_MODULE,
	.open = rp_file_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

void rp_debugfs_init(void)
{
	unsigned int i;

	/* debugfs is optional: failures leave roxpool working, unobserved. */
	rp_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	for (i = 0; i < ARRAY_SIZE(rp_files); i++)
		debugfs_create_file(rp_files[i].name, rp_files[i].mode,
				    rp_debugfs_dir, rp_files[i].show,
				    &rp_file_fops);
}

void rp_debugfs_exit(void)
{
	debugfs_remove(rp_debugfs_dir);
}
