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

#include <roxpool/compat.h>

/* Typed after the kernel's own declarations wherever a header has one. */
DECLARE_STATIC_CALL(rp_kallsyms_lookup_name, kallsyms_lookup_name);
DECLARE_STATIC_CALL(rp_kallsyms_lookup_size_offset,
		    kallsyms_lookup_size_offset);
DECLARE_STATIC_CALL(rp_execmem_alloc, execmem_alloc);
DECLARE_STATIC_CALL(rp_execmem_free, execmem_free);
DECLARE_STATIC_CALL(rp_module_enable_text_rox,
		    rp_proto_module_enable_text_rox);
DECLARE_STATIC_CALL(rp_execmem_is_rox, rp_proto_execmem_is_rox);

/**
 * enum rp_ksym_id - the kernel functions roxpool resolves
 * @RP_KSYM_KALLSYMS_LOOKUP_SIZE_OFFSET: for the extent of caller functions
 * @RP_KSYM_EXECMEM_ALLOC: hooked; the original is called from the wrapper
 * @RP_KSYM_EXECMEM_FREE: hooked; likewise
 * @RP_KSYM_MODULE_ENABLE_TEXT_ROX: hooked; likewise
 * @RP_KSYM_EXECMEM_IS_ROX: 6.13+ only; tells whether the kernel pools itself
 * @RP_KSYM_NR: number of entries
 */
enum rp_ksym_id {
	RP_KSYM_KALLSYMS_LOOKUP_SIZE_OFFSET,
	RP_KSYM_EXECMEM_ALLOC,
	RP_KSYM_EXECMEM_FREE,
	RP_KSYM_MODULE_ENABLE_TEXT_ROX,
	RP_KSYM_EXECMEM_IS_ROX,
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
unsigned long rp_ksym_addr(enum rp_ksym_id id);
bool rp_ksym_has(enum rp_ksym_id id);
const char *rp_ksym_name(enum rp_ksym_id id);
unsigned long rp_ksym_lookup(const char *name);
bool rp_ksym_extent(const char *name, unsigned long *start, unsigned long *end);
void rp_ksym_show(struct seq_file *m);

#endif /* ROXPOOL_KSYM_H */
