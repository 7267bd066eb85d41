/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unexported kernel symbols, resolved once at load, called safely.
 *
 * Nothing outside src/ksym.c calls a raw kernel address.  Most functions
 * roxpool needs are IBT-sealed on Debian kernels (their ENDBR64 is replaced by
 * a NOP because the kernel never takes their address), so an indirect call to
 * them would raise #CP on IBT hardware.  Each is therefore reached through a
 * static call: the kernel patches roxpool's call sites into direct calls to
 * the resolved address when the key is updated.
 */
#ifndef ROXPOOL_KSYM_H
#define ROXPOOL_KSYM_H

#include <linux/kallsyms.h>
#include <linux/static_call.h>
#include <linux/vmalloc.h>
#include <asm/set_memory.h>
#include <asm/text-patching.h>

#include "compat.h"

/* Typed after the kernel's own declarations wherever a header has one. */
DECLARE_STATIC_CALL(rp_kallsyms_lookup_name, kallsyms_lookup_name);
DECLARE_STATIC_CALL(rp_kallsyms_lookup_size_offset,
		    kallsyms_lookup_size_offset);
DECLARE_STATIC_CALL(rp_execmem_alloc, execmem_alloc);
DECLARE_STATIC_CALL(rp_execmem_free, execmem_free);
DECLARE_STATIC_CALL(rp_module_enable_text_rox,
		    rp_proto_module_enable_text_rox);
DECLARE_STATIC_CALL(rp_execmem_is_rox, rp_proto_execmem_is_rox);
DECLARE_STATIC_CALL(rp___vmalloc_node_range_noprof,
		    __vmalloc_node_range_noprof);
DECLARE_STATIC_CALL(rp_set_memory_rox, set_memory_rox);
DECLARE_STATIC_CALL(rp_set_memory_nx, set_memory_nx);
DECLARE_STATIC_CALL(rp_set_memory_rw, set_memory_rw);
DECLARE_STATIC_CALL(rp_flush_tlb_kernel_range,
		    rp_proto_flush_tlb_kernel_range);
DECLARE_STATIC_CALL(rp_text_poke_copy, text_poke_copy);
DECLARE_STATIC_CALL(rp_text_poke_set, text_poke_set);
DECLARE_STATIC_CALL(rp_find_vm_area, find_vm_area);

/**
 * enum rp_ksym_id - the kernel functions roxpool resolves
 * @RP_KSYM_KALLSYMS_LOOKUP_SIZE_OFFSET: for the extent of caller functions
 * @RP_KSYM_EXECMEM_ALLOC: hooked; the original is called from the wrapper
 * @RP_KSYM_EXECMEM_FREE: hooked; likewise
 * @RP_KSYM_MODULE_ENABLE_TEXT_ROX: hooked; its wrapper does its work itself
 *	and never calls the original
 * @RP_KSYM_EXECMEM_IS_ROX: 6.13+ only; tells whether the kernel pools itself
 * @RP_KSYM_EXECMEM_FILL_TRAPPING_INSNS: a sign only: x86's fill of the ROX
 *	cache (6.13+, or a backport of the cache)
 * @RP_KSYM_EXECMEM_CACHE_FREE: a sign only: the cache's free (6.13+, or a
 *	backport; static, so found only where it was not inlined)
 * @RP_KSYM_VMALLOC_NODE_RANGE: allocates the pool's chunks in module space
 * @RP_KSYM_SET_MEMORY_ROX: makes a new chunk and its direct-map alias ROX,
 *	and module text that is not pooled
 * @RP_KSYM_SET_MEMORY_NX: first half of giving a chunk back
 * @RP_KSYM_SET_MEMORY_RW: second half
 * @RP_KSYM_FLUSH_TLB_KERNEL_RANGE: after every page-table change
 * @RP_KSYM_TEXT_POKE_COPY: copies staged text into ROX pages
 * @RP_KSYM_TEXT_POKE_SET: refills freed ranges with INT3
 * @RP_KSYM_FIND_VM_AREA: flags text roxpool did not pool for a permission
 *	reset on free, as the kernel's module_enable_text_rox() does
 * @RP_KSYM_INIT_MM: data: the kernel page tables
 * @RP_KSYM_PGD_LOCK: data: held by CPA around PMD changes
 * @RP_KSYM_CPA_LOCK: data: serialises all page-attribute changes
 * @RP_KSYM_TEXT_MUTEX: data: held by everyone who patches kernel text
 * @RP_KSYM_MODULES: data: the list of loaded modules, for the census
 * @RP_KSYM_FREE_VMAP_AREA_LIST: data: vmalloc's free extents, by address,
 *	read to find free module space for new chunks (vspace.c)
 * @RP_KSYM_FREE_VMAP_AREA_LOCK: data: protects that list
 * @RP_KSYM_NR: number of entries
 */
enum rp_ksym_id {
	RP_KSYM_KALLSYMS_LOOKUP_SIZE_OFFSET,
	RP_KSYM_EXECMEM_ALLOC,
	RP_KSYM_EXECMEM_FREE,
	RP_KSYM_MODULE_ENABLE_TEXT_ROX,
	RP_KSYM_EXECMEM_IS_ROX,
	RP_KSYM_EXECMEM_FILL_TRAPPING_INSNS,
	RP_KSYM_EXECMEM_CACHE_FREE,
	RP_KSYM_VMALLOC_NODE_RANGE,
	RP_KSYM_SET_MEMORY_ROX,
	RP_KSYM_SET_MEMORY_NX,
	RP_KSYM_SET_MEMORY_RW,
	RP_KSYM_FLUSH_TLB_KERNEL_RANGE,
	RP_KSYM_TEXT_POKE_COPY,
	RP_KSYM_TEXT_POKE_SET,
	RP_KSYM_FIND_VM_AREA,
	RP_KSYM_INIT_MM,
	RP_KSYM_PGD_LOCK,
	RP_KSYM_CPA_LOCK,
	RP_KSYM_TEXT_MUTEX,
	RP_KSYM_MODULES,
	RP_KSYM_FREE_VMAP_AREA_LIST,
	RP_KSYM_FREE_VMAP_AREA_LOCK,
	RP_KSYM_NR,
};

/**
 * enum rp_seal - what the first instruction of a kernel function is
 * @RP_SEAL_NONE: no IBT landing pad at all (kernel built without IBT)
 * @RP_SEAL_ENDBR: ENDBR64: an indirect call would be allowed
 * @RP_SEAL_SEALED: ENDBR64 replaced by a 4-byte NOP: only direct calls work
 */
enum rp_seal {
	RP_SEAL_NONE,
	RP_SEAL_ENDBR,
	RP_SEAL_SEALED,
};

int rp_ksym_init(void);
const char *rp_ksym_pool_missing(void);
unsigned long rp_ksym_addr(enum rp_ksym_id id);
bool rp_ksym_has(enum rp_ksym_id id);
const char *rp_ksym_name(enum rp_ksym_id id);
bool rp_ksym_extent(const char *name, unsigned long *start, unsigned long *end);
long rp_ksym_calls(unsigned long start, unsigned long end,
		   unsigned long target);
void rp_ksym_show(struct seq_file *m);

#endif /* ROXPOOL_KSYM_H */
