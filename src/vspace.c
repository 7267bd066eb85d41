// SPDX-License-Identifier: GPL-2.0
/*
 * Free module space for new chunks, read from vmalloc's own list of free
 * extents (free_vmap_area_list, sorted by address, under
 * free_vmap_area_lock).  vmalloc is only ever asked for a chunk at a slot
 * that list showed free: a request vmalloc cannot serve runs its overflow
 * path before it fails, a purge of every lazily freed area with a global
 * TLB flush and then the vmap purge notifier chain, which takes GPU
 * drivers' locks (i915's runtime PM and GGTT).  Probing random slots did
 * that for every slot that was taken, under text_mutex.
 *
 * Space freed lazily (vfree() defers the unmap) is not in the list until a
 * purge: when the list has no room, one purge is made here, with no lock
 * held, and the list is read again.  vmalloc would purge the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/limits.h>
#include <linux/list.h>
#include <linux/random.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "ksym.h"

#include "pool_internal.h"

#define RP_AREA_BASE	ALIGN(MODULES_VADDR, RP_CHUNK_BYTES)

static struct list_head *rp_free_list(void)
{
	return (struct list_head *)rp_ksym_addr(RP_KSYM_FREE_VMAP_AREA_LIST);
}

static spinlock_t *rp_free_lock(void)
{
	return (spinlock_t *)rp_ksym_addr(RP_KSYM_FREE_VMAP_AREA_LOCK);
}

/*
 * The starts of @k free slots in a row in the module area, counted from
 * the top (the module area is the top of vmalloc's space: the walk ends
 * below it).  With @pick below the count, *@addr is set to the @pick-th.
 * Under free_vmap_area_lock.
 */
static unsigned long rp_vspace_scan(unsigned int k, unsigned long pick,
				    unsigned long *addr)
{
	unsigned long n = 0, c, first;
	struct vmap_area *va;

	list_for_each_entry_reverse(va, rp_free_list(), list) {
		if (va->va_end <= MODULES_VADDR)
			break;
		c = rp_slot_starts(va->va_start, va->va_end, RP_AREA_BASE,
				   MODULES_END, k, &first);
		if (pick >= n && pick - n < c)
			*addr = first + (pick - n) * RP_CHUNK_BYTES;
		n += c;
	}
	return n;
}

/**
 * rp_vspace_pick() - a random place for new chunks in the module area
 * @k: how many chunks, one after the other
 * @addr: set to the first one's address
 *
 * Uniform over every start of @k free 2 MiB slots in a row (module KASLR:
 * the kernel's own module area offset has no more entropy).  Sleeps: with
 * no room in vmalloc's free list, lazily freed areas are purged first.
 *
 * Return: false if the module area has no room.
 */
bool rp_vspace_pick(unsigned int k, unsigned long *addr)
{
	unsigned long n;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass)
			vm_unmap_aliases();
		spin_lock(rp_free_lock());
		n = rp_vspace_scan(k, ULONG_MAX, addr);
		if (n)
			rp_vspace_scan(k, get_random_u32_below(min_t(unsigned long,
								     n, U32_MAX)),
				       addr);
		spin_unlock(rp_free_lock());
		if (n)
			return true;
	}
	return false;
}

/**
 * rp_vspace_free() - are @k 2 MiB slots from @addr on free module space?
 * @addr: the first slot, 2 MiB aligned
 * @k: how many
 *
 * Never sleeps and purges nothing: lazily freed space reads as taken.
 *
 * Return: true if vmalloc's free list has them all in one extent.
 */
bool rp_vspace_free(unsigned long addr, unsigned int k)
{
	unsigned long end = addr + (unsigned long)k * RP_CHUNK_BYTES;
	struct vmap_area *va;
	bool found = false;

	if (end <= addr || addr < MODULES_VADDR || end > MODULES_END)
		return false;
	spin_lock(rp_free_lock());
	list_for_each_entry_reverse(va, rp_free_list(), list) {
		if (va->va_end <= addr)
			break;
		if (va->va_start <= addr && va->va_end >= end) {
			found = true;
			break;
		}
	}
	spin_unlock(rp_free_lock());
	return found;
}
