/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who called execmem_alloc()?  Needs no kernel; unit-tested in user space.
 */
#ifndef ROXPOOL_CLASSIFY_H
#define ROXPOOL_CLASSIFY_H

#include <linux/types.h>

/*
 * execmem_type values, the same from 6.10 to 7.3 (include/linux/execmem.h).
 * Mirrored here so that this file builds without the kernel; compat.h checks
 * them against the kernel's enum at build time.
 */
#define RP_EXECMEM_MODULE_TEXT	0
#define RP_EXECMEM_KPROBES	1
#define RP_EXECMEM_FTRACE	2
#define RP_EXECMEM_BPF		3
#define RP_EXECMEM_MODULE_DATA	4
#define RP_EXECMEM_NR		5
/* Statistics slot for a type roxpool does not know. */
#define RP_EXECMEM_UNKNOWN	RP_EXECMEM_NR

/**
 * enum rp_class - the kernel component an execmem allocation is for
 * @RP_CLASS_LOADER: the module loader (module text and data, core and init).
 * @RP_CLASS_ITS: ITS thunk pages (6.12.29+); allocated with text_mutex held.
 * @RP_CLASS_KPROBES: kprobe instruction slots.
 * @RP_CLASS_FTRACE: ftrace trampolines.
 * @RP_CLASS_BPF: BPF JIT images.
 * @RP_CLASS_OTHER: anything else.
 * @RP_CLASS_NR: number of classes.
 */
enum rp_class {
	RP_CLASS_LOADER,
	RP_CLASS_ITS,
	RP_CLASS_KPROBES,
	RP_CLASS_FTRACE,
	RP_CLASS_BPF,
	RP_CLASS_OTHER,
	RP_CLASS_NR,
};

/**
 * struct rp_caller - a kernel function known to call execmem_alloc()
 * @start: first byte of the function
 * @end: one past its last byte
 * @class: what its allocations are for
 */
struct rp_caller {
	unsigned long start;
	unsigned long end;
	enum rp_class class;
};

enum rp_class rp_classify(const struct rp_caller *callers, size_t n,
			  unsigned long ret_ip, unsigned int type);
const char *rp_class_name(enum rp_class class);
const char *rp_type_name(unsigned int type);

#endif /* ROXPOOL_CLASSIFY_H */
