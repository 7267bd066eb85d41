// SPDX-License-Identifier: GPL-2.0
/*
 * Staging pages: where the module loader writes a module's text while its
 * range is STAGED (pool.c).  They are mapped RW+NX at the range's final
 * address (pgtable.c); once the module is formed their content is copied
 * into the chunk in one go and they are freed.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "ksym.h"
#include "testing.h"

#include "pool_internal.h"

/**
 * rp_staging_free() - free staging pages
 * @pages: from rp_staging_alloc(), or an array of @n being filled
 * @n: how many
 */
void rp_staging_free(struct page **pages, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pages[i])
			__free_page(pages[i]);
	kvfree(pages);
}

/**
 * rp_staging_alloc() - pages for a range's text while the loader writes it
 * @n: how many
 *
 * Sleeps.
 *
 * Return: an array of @n pages, or NULL.
 */
struct page **rp_staging_alloc(unsigned int n)
{
	struct page **pages;
	unsigned int i;

	if (rp_fault(RP_FAULT_STAGING))
		return NULL;
	/* Up to 64 KiB of pointers: no contiguous block needed for them. */
	pages = kvcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			rp_staging_free(pages, n);
			return NULL;
		}
	}
	return pages;
}

/**
 * rp_staging_copy_in() - copy staged text into its chunk
 * @addr: the range, mapped read-only+executable by the chunk again
 * @pages: its staging pages
 * @n: how many
 *
 * In one text_poke_copy() when the pages can be mapped together, else page
 * by page.  Sleeps; takes text_mutex.
 */
void rp_staging_copy_in(unsigned long addr, struct page **pages,
			unsigned int n)
{
	void *src = vmap(pages, n, VM_MAP, PAGE_KERNEL_RO);
	unsigned int i;

	if (src) {
		static_call(rp_text_poke_copy)((void *)addr, src,
					       (size_t)n << PAGE_SHIFT);
		vunmap(src);
		return;
	}
	for (i = 0; i < n; i++)
		static_call(rp_text_poke_copy)((void *)(addr + i * PAGE_SIZE),
					       page_address(pages[i]),
					       PAGE_SIZE);
}
