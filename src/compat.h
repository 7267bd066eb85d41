/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the code compiles around between the kernels roxpool builds for:
 * mirrored kernel enums checked at build time, prototypes no header offers
 * modules, the ftrace and RCU-tasks variants.
 *
 * Version facts that decide something live where they decide it: the
 * supported, native and tested ranges in policy.h (read by Kbuild and the
 * mode decision), the loader functions that call execmem_alloc() on each
 * version in hooks/execmem_alloc.c, 6.12's vmalloc node rule in chunk.c.
 * Tested: 6.12 (Debian 12 and 13), 7.3 (native ROX cache, stand-down).
 */
#ifndef ROXPOOL_COMPAT_H
#define ROXPOOL_COMPAT_H

#include <linux/build_bug.h>
#include <linux/execmem.h>
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include <roxpool/classify.h>
#include <roxpool/policy.h>

/* classify.h mirrors enum execmem_type so that it builds in user space. */
static inline void rp_compat_check_execmem_types(void)
{
	BUILD_BUG_ON(EXECMEM_MODULE_TEXT != RP_EXECMEM_MODULE_TEXT);
	BUILD_BUG_ON(EXECMEM_KPROBES != RP_EXECMEM_KPROBES);
	BUILD_BUG_ON(EXECMEM_FTRACE != RP_EXECMEM_FTRACE);
	BUILD_BUG_ON(EXECMEM_BPF != RP_EXECMEM_BPF);
	BUILD_BUG_ON(EXECMEM_MODULE_DATA != RP_EXECMEM_MODULE_DATA);
}

/*
 * Prototypes of kernel functions roxpool calls that no public header declares
 * for modules: module_enable_text_rox() is in kernel/module/internal.h (6.4+);
 * execmem_is_rox() appeared in 6.13 and is a static inline where the kernel
 * has no ROX cache; flush_tlb_kernel_range() is declared only for built-in
 * code.  They give the static calls in ksym.h their types and are never
 * defined: the calls reach the kernel's functions.
 */
int rp_proto_module_enable_text_rox(const struct module *mod);
bool rp_proto_execmem_is_rox(enum execmem_type type);
void rp_proto_flush_tlb_kernel_range(unsigned long start, unsigned long end);

/*
 * ftrace callbacks redirect through ftrace_regs.  x86_64 has had
 * DYNAMIC_FTRACE_WITH_ARGS since 5.x, where the ip is in ftrace_regs without
 * SAVE_REGS; ftrace_regs_set_instruction_pointer() has its current name
 * since 6.0.
 */
#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
#define RP_FTRACE_OPS_REGS	0
#else
#define RP_FTRACE_OPS_REGS	FTRACE_OPS_FL_SAVE_REGS
#endif

/*
 * A task redirected into one of roxpool's wrappers may be preempted anywhere
 * in it.  RCU-tasks waits until every task has passed a voluntary context
 * switch, so afterwards none is still on roxpool's text.  Kernels without
 * TASKS_RCU are not preemptible in kernel code and plain RCU suffices.
 */
static inline void rp_compat_sync_tasks(void)
{
#ifdef CONFIG_TASKS_RCU
	synchronize_rcu_tasks();
#else
	synchronize_rcu();
#endif
}

#endif /* ROXPOOL_COMPAT_H */
