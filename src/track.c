// SPDX-License-Identifier: GPL-2.0
/*
 * Which execmem ranges roxpool saw allocated, so that their frees can be
 * attributed and none is lost or counted twice.
 *
 * execmem_free() gets only a pointer; this table remembers what it was for.
 * Records are made in the allocation wrapper (process context, may sleep) and
 * dropped in the free wrapper; a spinlock suffices for the short lookups.
 */
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "counters.h"
#include "track.h"

#define RP_TRACK_BITS	9

/**
 * struct rp_track - one live allocation roxpool saw
 * @node: in rp_track_table, hashed by @ptr
 * @ptr: what execmem_alloc() returned
 * @class: who asked for it
 */
struct rp_track {
	struct hlist_node node;
	void *ptr;
	enum rp_class class;
};

static DEFINE_HASHTABLE(rp_track_table, RP_TRACK_BITS);
static DEFINE_SPINLOCK(rp_track_lock);

/**
 * rp_track_add() - remember a live allocation
 * @ptr: what execmem_alloc() returned, not NULL
 * @type: the execmem type it was asked for with
 * @class: who asked for it
 *
 * Counts the allocation.  Sleeps.  Without memory for the record the
 * allocation is counted as untracked instead, and so will its free be.
 */
void rp_track_add(void *ptr, unsigned int type, enum rp_class class)
{
	struct rp_track *t = kmalloc(sizeof(*t), GFP_KERNEL);

	if (!t) {
		rp_count(RP_CNT_TRACK_FAILED);
		return;
	}
	t->ptr = ptr;
	t->class = class;
	spin_lock(&rp_track_lock);
	hash_add(rp_track_table, &t->node, (unsigned long)ptr);
	spin_unlock(&rp_track_lock);
	rp_count_alloc(type, class);
}

/**
 * rp_track_del() - forget a live allocation because it is being freed
 * @ptr: the pointer given to execmem_free()
 * @class: set to who had asked for it
 *
 * Return: false if roxpool has no record of @ptr.
 */
bool rp_track_del(void *ptr, enum rp_class *class)
{
	struct rp_track *t, *found = NULL;

	spin_lock(&rp_track_lock);
	hash_for_each_possible(rp_track_table, t, node, (unsigned long)ptr) {
		if (t->ptr == ptr) {
			hash_del(&t->node);
			found = t;
			break;
		}
	}
	spin_unlock(&rp_track_lock);
	if (!found)
		return false;
	*class = found->class;
	kfree(found);
	return true;
}

/**
 * rp_track_exit() - drop every record; the hooks are gone by now
 */
void rp_track_exit(void)
{
	struct hlist_node *tmp;
	struct rp_track *t;
	unsigned int bkt;

	hash_for_each_safe(rp_track_table, bkt, tmp, t, node) {
		hash_del(&t->node);
		kfree(t);
	}
}
