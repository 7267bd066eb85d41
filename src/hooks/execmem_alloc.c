// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on execmem_alloc(): every executable-memory allocation of the kernel
 * passes here.  The module loader's text is served from the pool; everything
 * else (ITS thunks, which come with text_mutex held, kprobes, ftrace, BPF,
 * module data) goes to the kernel untouched.  All are counted by type and by
 * caller class.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/compiler.h>

#include "../counters.h"
#include "../hooks.h"
#include "../ksym.h"
#include "../pool.h"
#include "../track.h"

/*
 * Kernel functions known to call execmem_alloc(), by class.  Any of them may
 * be inlined into another (6.12: module_memory_alloc() into move_module()
 * into load_module(), its_alloc() into apply_retpolines()), so all are
 * listed; absent names are skipped.
 */
static const struct {
	const char *name;
	enum rp_class class;
} rp_caller_names[] = {
	{ "module_memory_alloc", RP_CLASS_LOADER },
	{ "move_module", RP_CLASS_LOADER },
	{ "load_module", RP_CLASS_LOADER },
	{ "its_alloc", RP_CLASS_ITS },
	{ "its_allocate_thunk", RP_CLASS_ITS },
	{ "apply_retpolines", RP_CLASS_ITS },
	{ "apply_returns", RP_CLASS_ITS },
	{ "alloc_insn_page", RP_CLASS_KPROBES },
	{ "alloc_optinsn_page", RP_CLASS_KPROBES },
	{ "alloc_tramp", RP_CLASS_FTRACE },
	{ "create_trampoline", RP_CLASS_FTRACE },
	{ "bpf_jit_alloc_exec", RP_CLASS_BPF },
};

static struct rp_caller rp_callers[ARRAY_SIZE(rp_caller_names)];
static size_t rp_nr_callers;

/**
 * rp_callers_init() - find the extent of every known execmem_alloc() caller
 *
 * The module loader must be recognisable, or no allocation could ever be told
 * to be module text and roxpool would pool nothing, silently: one of the
 * loader functions found must itself contain the call to execmem_alloc()
 * (a function that is not inlined keeps its own name in the return address).
 *
 * Return: true if the loader's call to execmem_alloc() was found.
 */
bool rp_callers_init(void)
{
	unsigned long target = rp_ksym_addr(RP_KSYM_EXECMEM_ALLOC);
	bool loader = false;
	size_t i;

	rp_nr_callers = 0;
	for (i = 0; i < ARRAY_SIZE(rp_caller_names); i++) {
		struct rp_caller *c = &rp_callers[rp_nr_callers];
		long off;

		if (!rp_ksym_extent(rp_caller_names[i].name, &c->start,
				    &c->end))
			continue;
		c->class = rp_caller_names[i].class;
		rp_nr_callers++;
		if (c->class != RP_CLASS_LOADER || !target || loader)
			continue;
		off = rp_ksym_calls(c->start, c->end, target);
		if (off < 0)
			continue;
		loader = true;
		pr_info("the module loader calls execmem_alloc from %s+0x%lx\n",
			rp_caller_names[i].name, off);
	}
	if (!loader)
		pr_warn("no known module loader function calls execmem_alloc\n");
	return loader;
}

/* The wrapper stands in for the kernel function: same prototype. */
static_assert(__same_type(&rp_hook_execmem_alloc, &execmem_alloc));

/**
 * rp_hook_execmem_alloc() - replaces execmem_alloc() while roxpool is loaded
 * @type: execmem type asked for
 * @size: bytes asked for
 *
 * Runs in the caller's context: may sleep exactly when execmem_alloc() may.
 *
 * Return: a staged pool range for the loader's module text when the pool can
 * serve it, else what the kernel's execmem_alloc() returned.
 */
void *rp_hook_execmem_alloc(enum execmem_type type, size_t size)
{
	unsigned long caller = (unsigned long)__builtin_return_address(0);
	enum rp_class class = rp_classify(rp_callers, rp_nr_callers, caller,
					  type);
	void *ptr = NULL;

	if (class == RP_CLASS_LOADER && type == EXECMEM_MODULE_TEXT)
		ptr = rp_pool_alloc(size);
	if (!ptr)
		ptr = static_call(rp_execmem_alloc)(type, size);
	if (ptr)
		rp_track_add(ptr, type, class);
	else
		rp_count(RP_CNT_ALLOC_FAILED);
	rp_hook_leave();
	return ptr;
}
