/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/debug/roxpool/ (src/debugfs.c).
 */
#ifndef ROXPOOL_DEBUGFS_H
#define ROXPOOL_DEBUGFS_H

void rp_debugfs_init(void);
void rp_debugfs_exit(void);

#endif /* ROXPOOL_DEBUGFS_H */
