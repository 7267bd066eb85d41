// SPDX-License-Identifier: GPL-2.0
/*
 * Resolution of the unexported kernel functions roxpool needs, and the one
 * safe way to call them: static calls, which the kernel patches into direct
 * calls (see ksym.h for why indirect calls are not an option under IBT).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ksym.h"
#include <roxpool/name.h>
#include "testing.h"

DEFINE_STATIC_CALL_NULL(rp_kallsyms_lookup_name, kallsyms_lookup_name);
DEFINE_STATIC_CALL_NULL(rp_kallsyms_lookup_size_offset,
			kallsyms_lookup_size_offset);
DEFINE_STATIC_CALL_NULL(rp_execmem_alloc, execmem_alloc);
DEFINE_STATIC_CALL_NULL(rp_execmem_free, execmem_free);
DEFINE_STATIC_CALL_NULL(rp_module_enable_text_rox,
			rp_proto_module_enable_text_rox);
DEFINE_STATIC_CALL_NULL(rp_execmem_is_rox, rp_proto_execmem_is_rox);
DEFINE_STATIC_CALL_NULL(rp___vmalloc_node_range_noprof,
			__vmalloc_node_range_noprof);
DEFINE_STATIC_CALL_NULL(rp_set_memory_rox, set_memory_rox);
DEFINE_STATIC_CALL_NULL(rp_set_memory_nx, set_memory_nx);
DEFINE_STATIC_CALL_NULL(rp_set_memory_rw, set_memory_rw);
DEFINE_STATIC_CALL_NULL(rp_flush_tlb_kernel_range,
			rp_proto_flush_tlb_kernel_range);
DEFINE_STATIC_CALL_NULL(rp_text_poke_copy, text_poke_copy);
DEFINE_STATIC_CALL_NULL(rp_text_poke_set, text_poke_set);
DEFINE_STATIC_CALL_NULL(rp_find_vm_area, find_vm_area);

/**
 * enum rp_ksym_need - when a missing symbol is an error
 * @RP_NEED_ALWAYS: roxpool cannot load without it
 * @RP_NEED_POOL: needed to pool module text ("hook" mode)
 * @RP_NEED_OPTIONAL: exists on some kernels only
 */
enum rp_ksym_need {
	RP_NEED_ALWAYS,
	RP_NEED_POOL,
	RP_NEED_OPTIONAL,
};

/**
 * struct rp_ksym - one resolved kernel function
 * @name: its kallsyms name
 * @need: when its absence is an error
 * @key: the static call that reaches it; NULL for data
 * @tramp: that static call's trampoline
 * @addr: where it starts, 0 if not found
 * @seal: its IBT state, read from its first instruction
 *
 * The table is written once, in rp_ksym_init(), before anything can call
 * through it, and only read afterwards.
 */
struct rp_ksym {
	const char *name;
	enum rp_ksym_need need;
	struct static_call_key *key;
	void *tramp;
	unsigned long addr;
	enum rp_seal seal;
};

#define RP_KSYM(id, sym, nd)						\
	[id] = {							\
		.name = #sym,						\
		.need = nd,						\
		.key = &STATIC_CALL_KEY(rp_##sym),			\
		.tramp = STATIC_CALL_TRAMP_ADDR(rp_##sym),		\
	}
/* Looked up only to learn whether the kernel has it. */
#define RP_KSIGN(id, sym)						\
	[id] = {							\
		.name = #sym,						\
		.need = RP_NEED_OPTIONAL,				\
	}
#define RP_KDATA(id, sym)						\
	[id] = {							\
		.name = #sym,						\
		.need = RP_NEED_POOL,					\
	}

static struct rp_ksym rp_ksyms[RP_KSYM_NR] = {
	RP_KSYM(RP_KSYM_KALLSYMS_LOOKUP_SIZE_OFFSET,
		kallsyms_lookup_size_offset, RP_NEED_ALWAYS),
	RP_KSYM(RP_KSYM_EXECMEM_ALLOC, execmem_alloc, RP_NEED_POOL),
	RP_KSYM(RP_KSYM_EXECMEM_FREE, execmem_free, RP_NEED_POOL),
	RP_KSYM(RP_KSYM_MODULE_ENABLE_TEXT_ROX, module_enable_text_rox,
		RP_NEED_POOL),
	RP_KSYM(RP_KSYM_EXECMEM_IS_ROX, execmem_is_rox, RP_NEED_OPTIONAL),
	RP_KSIGN(RP_KSYM_EXECMEM_FILL_TRAPPING_INSNS, execmem_fill_trapping_insns),
	RP_KSIGN(RP_KSYM_EXECMEM_CACHE_FREE, execmem_cache_free),
	RP_KSYM(RP_KSYM_VMALLOC_NODE_RANGE, __vmalloc_node_range_noprof,
		RP_NEED_POOL),
	RP_KSYM(RP_KSYM_SET_MEMORY_ROX, set_memory_rox, RP_NEED_POOL),
	RP_KSYM(RP_KSYM_SET_MEMORY_NX, set_memory_nx, RP_NEED_POOL),
	RP_KSYM(RP_KSYM_SET_MEMORY_RW, set_memory_rw, RP_NEED_POOL),
	RP_KSYM(RP_KSYM_FLUSH_TLB_KERNEL_RANGE, flush_tlb_kernel_range,
		RP_NEED_POOL),
	RP_KSYM(RP_KSYM_TEXT_POKE_COPY, text_poke_copy, RP_NEED_POOL),
	RP_KSYM(RP_KSYM_TEXT_POKE_SET, text_poke_set, RP_NEED_POOL),
	RP_KSYM(RP_KSYM_FIND_VM_AREA, find_vm_area, RP_NEED_POOL),
	RP_KDATA(RP_KSYM_INIT_MM, init_mm),
	RP_KDATA(RP_KSYM_PGD_LOCK, pgd_lock),
	RP_KDATA(RP_KSYM_CPA_LOCK, cpa_lock),
	RP_KDATA(RP_KSYM_TEXT_MUTEX, text_mutex),
	RP_KDATA(RP_KSYM_MODULES, modules),
	RP_KDATA(RP_KSYM_FREE_VMAP_AREA_LIST, free_vmap_area_list),
	RP_KDATA(RP_KSYM_FREE_VMAP_AREA_LOCK, free_vmap_area_lock),
};

static enum rp_seal rp_lookup_name_seal;

static const u8 rp_endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
static const u8 rp_seal_nop[4] = { 0x66, 0x0f, 0x1f, 0x00 };

static enum rp_seal rp_read_seal(unsigned long addr)
{
	u8 insn[4];

	if (copy_from_kernel_nofault(insn, (void *)addr, sizeof(insn)))
		return RP_SEAL_NONE;
	if (!memcmp(insn, rp_endbr64, sizeof(insn)))
		return RP_SEAL_ENDBR;
	if (!memcmp(insn, rp_seal_nop, sizeof(insn)))
		return RP_SEAL_SEALED;
	return RP_SEAL_NONE;
}

static const char *const rp_seal_names[] = {
	[RP_SEAL_NONE]		= "none",
	[RP_SEAL_ENDBR]		= "endbr",
	[RP_SEAL_SEALED]	= "sealed",
};

static const char *rp_seal_name(enum rp_seal seal)
{
	return rp_name(rp_seal_names, ARRAY_SIZE(rp_seal_names), seal);
}

/*
 * kallsyms_lookup_name() is not exported since 5.7; a kprobe on it tells where
 * it is.  On IBT kernels the kprobe sits after the 4-byte landing pad
 * (arch_adjust_kprobe_addr()), so the symbol offset it reports is 4, not 0:
 * ask kallsyms (through the exported sprint_symbol()) for the offset instead
 * of guessing from the bytes around it.
 */
static unsigned long rp_find_kallsyms_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	char buf[KSYM_SYMBOL_LEN];
	unsigned long addr, off;
	const char *plus;

	if (register_kprobe(&kp))
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (strncmp(buf, "kallsyms_lookup_name+", 21) || !plus ||
	    sscanf(plus, "+%lx", &off) != 1 || off > 16)
		return 0;
	return addr - off;
}

/**
 * rp_ksym_lookup() - address of any kernel symbol, 0 if there is none
 * @name: kallsyms name
 *
 * A test build can pretend a symbol is missing (testing.h).
 *
 * Return: the address; only for comparisons, never to be called.
 */
static unsigned long rp_ksym_lookup(const char *name)
{
	if (rp_test_hidden(name))
		return 0;
	return static_call(rp_kallsyms_lookup_name)(name);
}

/**
 * rp_ksym_init() - resolve every kernel function roxpool calls
 *
 * Fails with -ENOENT, naming the symbol, if a required one is missing.  Must
 * run before any static call in ksym.h is used.
 *
 * Return: 0 or a negative errno.
 */
int rp_ksym_init(void)
{
	unsigned long lookup;
	unsigned int i, sealed = 0, found = 0;

	lookup = rp_find_kallsyms_lookup_name();
	if (!lookup) {
		pr_err("cannot find kernel symbol kallsyms_lookup_name (needs CONFIG_KPROBES and CONFIG_KALLSYMS)\n");
		return -ENOENT;
	}
	rp_lookup_name_seal = rp_read_seal(lookup);
	__static_call_update(&STATIC_CALL_KEY(rp_kallsyms_lookup_name),
			     STATIC_CALL_TRAMP_ADDR(rp_kallsyms_lookup_name),
			     (void *)lookup);

	for (i = 0; i < RP_KSYM_NR; i++) {
		struct rp_ksym *k = &rp_ksyms[i];

		k->addr = rp_ksym_lookup(k->name);
		if (!k->addr) {
			if (k->need != RP_NEED_ALWAYS)
				continue;
			pr_err("cannot find kernel symbol %s\n", k->name);
			return -ENOENT;
		}
		if (!k->key)
			continue;
		k->seal = rp_read_seal(k->addr);
		__static_call_update(k->key, k->tramp, (void *)k->addr);
		found++;
		if (k->seal == RP_SEAL_SEALED)
			sealed++;
	}
	pr_debug("resolved %u kernel functions, %u IBT-sealed, all called directly\n",
		 found + 1, sealed + (rp_lookup_name_seal == RP_SEAL_SEALED));
	return 0;
}

/**
 * rp_ksym_pool_missing() - is everything needed for pooling there?
 *
 * Return: NULL, or the name of the first missing symbol (also logged).
 */
const char *rp_ksym_pool_missing(void)
{
	unsigned int i;

	for (i = 0; i < RP_KSYM_NR; i++) {
		if (rp_ksyms[i].need == RP_NEED_POOL && !rp_ksyms[i].addr) {
			pr_warn("cannot find kernel symbol %s: not pooling\n",
				rp_ksyms[i].name);
			return rp_ksyms[i].name;
		}
	}
	return NULL;
}

unsigned long rp_ksym_addr(enum rp_ksym_id id)
{
	return rp_ksyms[id].addr;
}

bool rp_ksym_has(enum rp_ksym_id id)
{
	return rp_ksyms[id].addr != 0;
}

const char *rp_ksym_name(enum rp_ksym_id id)
{
	return rp_ksyms[id].name;
}

/**
 * rp_ksym_extent() - the address range of a kernel function
 * @name: kallsyms name
 * @start: first byte
 * @end: one past the last byte
 *
 * Return: false if the kernel has no such symbol.
 */
bool rp_ksym_extent(const char *name, unsigned long *start, unsigned long *end)
{
	unsigned long addr, size, off;

	addr = rp_ksym_lookup(name);
	if (!addr ||
	    !static_call(rp_kallsyms_lookup_size_offset)(addr, &size, &off))
		return false;
	*start = addr - off;
	*end = *start + size;
	return true;
}

/**
 * rp_ksym_calls() - does a kernel function call another one directly?
 * @start: first byte of the caller
 * @end: one past its last byte
 * @target: the callee
 *
 * Looks for a CALL or JMP rel32 whose destination is @target or, with
 * call-depth tracking, the accounting thunk in the 16 bytes of padding just
 * before it.  A byte scan, not a disassembly: a false match needs the exact
 * 32-bit displacement to appear by chance, which the callers accept.
 *
 * Return: the offset of the first such instruction in the caller, or -1.
 */
long rp_ksym_calls(unsigned long start, unsigned long end,
		   unsigned long target)
{
	unsigned long addr;
	u8 insn[5];
	s32 rel;

	for (addr = start; addr + sizeof(insn) <= end; addr++) {
		unsigned long dest;

		if (copy_from_kernel_nofault(insn, (void *)addr, sizeof(insn)))
			return -1;
		if (insn[0] != 0xe8 && insn[0] != 0xe9)
			continue;
		memcpy(&rel, &insn[1], sizeof(rel));
		dest = addr + sizeof(insn) + rel;
		if (dest <= target && dest + 16 >= target)
			return addr - start;
	}
	return -1;
}

/*
 * Proof of the safe call path: every one of roxpool's static call sites
 * (outside its freed init text) must now be a direct CALL (e8) or, for a
 * tail call, JMP (e9) to the resolved function, or to the call-depth
 * accounting thunk in the function's padding just before it.  Sites of a
 * function this kernel lacks (never called) are "unset".  Nothing is left as
 * an indirect call that IBT would check.
 */
static void rp_ksym_show_sites(struct seq_file *m)
{
#ifdef CONFIG_HAVE_STATIC_CALL_INLINE
	const struct static_call_site *site = THIS_MODULE->static_call_sites;
	unsigned int i, j, direct = 0, unset = 0, other = 0;

	for (i = 0; i < THIS_MODULE->num_static_call_sites; i++, site++) {
		unsigned long addr = (unsigned long)&site->addr + site->addr;
		unsigned long key = ((unsigned long)&site->key + site->key) &
				    ~STATIC_CALL_SITE_FLAGS;
		unsigned long target = 0, dest;
		u8 insn[5];
		s32 rel;

		if (site->key & STATIC_CALL_SITE_INIT)
			continue;
		if (key == (unsigned long)&STATIC_CALL_KEY(rp_kallsyms_lookup_name))
			target = (unsigned long)static_call_query(rp_kallsyms_lookup_name);
		for (j = 0; j < RP_KSYM_NR; j++)
			if (rp_ksyms[j].key && key == (unsigned long)rp_ksyms[j].key)
				target = rp_ksyms[j].addr;
		if (!target) {
			unset++;
			continue;
		}
		if (copy_from_kernel_nofault(insn, (void *)addr, 5) ||
		    (insn[0] != 0xe8 && insn[0] != 0xe9)) {
			other++;
			continue;
		}
		memcpy(&rel, &insn[1], sizeof(rel));
		dest = addr + 5 + rel;
		if (dest <= target && dest + 16 >= target)
			direct++;
		else
			other++;
	}
	seq_printf(m, "static_call_sites: %u direct, %u unset, %u other\n",
		   direct, unset, other);
#else
	seq_puts(m, "static_call_sites: out-of-line trampolines only\n");
#endif
}

/**
 * rp_ksym_show() - list the resolved functions and their IBT state
 * @m: debugfs seq_file
 */
void rp_ksym_show(struct seq_file *m)
{
	unsigned int i;

	seq_printf(m, "%-28s %-7s %s\n", "symbol", "ibt", "call");
	seq_printf(m, "%-28s %-7s %s\n", "kallsyms_lookup_name",
		   rp_seal_name(rp_lookup_name_seal), "static_call");
	for (i = 0; i < RP_KSYM_NR; i++) {
		const struct rp_ksym *k = &rp_ksyms[i];

		if (!k->addr)
			seq_printf(m, "%-28s %-7s %s\n", k->name, "-", "absent");
		else if (!k->key)
			seq_printf(m, "%-28s %-7s %s\n", k->name, "-", "data");
		else
			seq_printf(m, "%-28s %-7s %s\n", k->name,
				   rp_seal_name(k->seal), "static_call");
	}
	rp_ksym_show_sites(m);
}
