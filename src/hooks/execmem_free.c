// SPDX-License-Identifier: GPL-2.0
/*
 * Hook on execmem_free(): module unload, failed loads at any stage, init
 * sections freed from the do_free_init() work, kprobe/ftrace/BPF pages.
 */
#include "../counters.h"
#include "../hooks.h"
#include "../ksym.h"
#include "../pool.h"
#include "../track.h"

/* The wrapper stands in for the kernel function: same prototype. */
static_assert(__same_type(&rp_hook_execmem_free, &execmem_free));

/**
 * rp_hook_execmem_free() - replaces execmem_free() while roxpool is loaded
 * @ptr: what execmem_alloc() returned, or NULL
 */
void rp_hook_execmem_free(void *ptr)
{
	enum rp_class class;

	if (!ptr)
		rp_count(RP_CNT_FREE_NULL);
	else if (rp_track_del(ptr, &class))
		rp_count_free(class);
	else
		rp_count(RP_CNT_FREE_UNTRACKED);
	if (!ptr || !rp_pool_free(ptr))
		static_call(rp_execmem_free)(ptr);
	rp_hook_leave();
}
