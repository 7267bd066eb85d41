/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The iTLB microbenchmark: rp_itlb runs the chain, the generated
 * rp_itlb_pN modules hold the functions it calls.
 */
#ifndef RP_ITLB_H
#define RP_ITLB_H

#include <linux/module.h>

/* Never the value of the chain's accumulator in practice: see rp_itlb_gen. */
#define RP_ITLB_PAD_KEY	0x5a5a5a5a5a5a5a5aUL

typedef unsigned long (*rp_itlb_fn)(unsigned long x);

/**
 * struct rp_itlb_part - the functions of one generated module
 * @owner: that module
 * @fns: its functions, in address order
 * @n: how many
 */
struct rp_itlb_part {
	struct module *owner;
	const rp_itlb_fn *fns;
	unsigned int n;
};

int rp_itlb_add_part(const struct rp_itlb_part *part);
void rp_itlb_del_part(const struct rp_itlb_part *part);

#endif /* RP_ITLB_H */
