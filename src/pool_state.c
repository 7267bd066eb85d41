// SPDX-License-Identifier: GPL-2.0
/*
 * The pool's state, shared by its files (pool_internal.h), and the lock
 * that protects it.  Defined here, below every file that uses it, so that
 * none of them reaches up for it.
 */
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/wait.h>

#include "pool_internal.h"

/*
 * rp_pool_mutex protects the chunk list, the maps, the ranges, the history
 * and rp_pool_open.
 *
 * Lock order (held under module_mutex when called from
 * complete_formation()):
 *
 *   text_mutex -> init_mm's mmap lock -> rp_pool_mutex -> cpa_lock -> pgd_lock
 *
 * text_mutex is taken before rp_pool_mutex whenever a chunk may be split or
 * collapsed (pgtable.c says why), init_mm's mmap lock before it whenever a
 * chunk may be collapsed; never the other way.  cpa_lock and pgd_lock are
 * taken inside it by pgtable.c only.  A new chunk is made with none of
 * these held but init_mm's mmap lock, around vmalloc's mapping of it
 * (rp_pgt_lock_tables()).
 */
DEFINE_MUTEX(rp_pool_mutex);
LIST_HEAD(rp_chunks);
LIST_HEAD(rp_ranges);
LIST_HEAD(rp_freeing);
/* New ranges may be handed out: all hooks are in and unload has not begun. */
bool rp_pool_open;
struct rp_pool_history rp_history;

/* Ranges not yet given back: read without the mutex by rp_pool_drain(). */
atomic_t rp_nr_ranges = ATOMIC_INIT(0);
DECLARE_WAIT_QUEUE_HEAD(rp_drain_wq);
atomic64_t rp_fallbacks[RP_FB_NR];
atomic64_t rp_collapse_refused;
atomic64_t rp_chunks_leaked;
