// SPDX-License-Identifier: GPL-2.0
/*
 * Classify execmem_alloc() calls by their caller.
 *
 * The execmem type alone does not say who is asking: on 6.12 both the module
 * loader and the ITS thunk allocator ask for EXECMEM_MODULE_TEXT, and only the
 * loader's requests may ever be pooled (its_alloc() holds text_mutex and makes
 * its page ROX itself).  The return address decides; the type is the fallback
 * for callers that were inlined somewhere roxpool does not know.
 *
 * No kernel needed: this file is also built by the user-space unit tests.
 */
#include <linux/kernel.h>

#include <roxpool/classify.h>
#include <roxpool/name.h>

/**
 * rp_classify() - tell who an execmem allocation is for
 * @callers: address ranges of the known callers
 * @n: number of entries in @callers
 * @ret_ip: return address of the execmem_alloc() call
 * @type: the execmem_type that was asked for
 *
 * Return: the class of the first range holding @ret_ip; failing that, the
 * class implied by @type (kprobes, ftrace, BPF), else %RP_CLASS_OTHER.
 */
enum rp_class rp_classify(const struct rp_caller *callers, size_t n,
			  unsigned long ret_ip, unsigned int type)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ret_ip >= callers[i].start && ret_ip < callers[i].end)
			return callers[i].class;
	}
	switch (type) {
	case RP_EXECMEM_KPROBES:
		return RP_CLASS_KPROBES;
	case RP_EXECMEM_FTRACE:
		return RP_CLASS_FTRACE;
	case RP_EXECMEM_BPF:
		return RP_CLASS_BPF;
	default:
		return RP_CLASS_OTHER;
	}
}

static const char *const rp_class_names[RP_CLASS_NR] = {
	[RP_CLASS_LOADER]	= "loader",
	[RP_CLASS_ITS]		= "its",
	[RP_CLASS_KPROBES]	= "kprobes",
	[RP_CLASS_FTRACE]	= "ftrace",
	[RP_CLASS_BPF]		= "bpf",
	[RP_CLASS_OTHER]	= "other",
};

const char *rp_class_name(enum rp_class class)
{
	return rp_name(rp_class_names, ARRAY_SIZE(rp_class_names), class);
}

static const char *const rp_type_names[RP_EXECMEM_NR + 1] = {
	[RP_EXECMEM_MODULE_TEXT]	= "module_text",
	[RP_EXECMEM_KPROBES]		= "kprobes",
	[RP_EXECMEM_FTRACE]		= "ftrace",
	[RP_EXECMEM_BPF]		= "bpf",
	[RP_EXECMEM_MODULE_DATA]	= "module_data",
	[RP_EXECMEM_UNKNOWN]		= "unknown",
};

const char *rp_type_name(unsigned int type)
{
	return rp_type_names[type < RP_EXECMEM_NR ? type : RP_EXECMEM_UNKNOWN];
}
