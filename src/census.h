/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The census: how module text and the pool's chunks are mapped, read from
 * the page tables (src/census.c).
 */
#ifndef ROXPOOL_CENSUS_H
#define ROXPOOL_CENSUS_H

#include <linux/seq_file.h>

void rp_census_show(struct seq_file *m);
void rp_census_show_chunks(struct seq_file *m);

#endif /* ROXPOOL_CENSUS_H */
