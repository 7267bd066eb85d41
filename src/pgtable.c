// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table operations on the pool's chunks.
 *
 * A chunk is mapped by one read-only+executable PMD leaf while it is whole.
 * Staging a range splits it: a PTE table maps the same pages with the same
 * protections, and the range's PTEs are pointed at staging pages, RW+NX.
 * Unstaging points them back; once no range is staged the chunk is collapsed
 * into its leaf again.  At no point does any PTE or PMD map a page writable
 * and executable.
 *
 * Locking, as x86 CPA does it (arch/x86/mm/pat/set_memory.c): cpa_lock
 * around every change, pgd_lock inside it around PMD changes, TLB flushes
 * before cpa_lock is dropped.  Lockless walkers need more: text_poke() finds
 * the page behind module text with vmalloc_to_page() under text_mutex, and
 * that C function may read a PMD more than once, so a split (leaf to table)
 * or a collapse (table to leaf) under it could hand it the page-table page
 * instead of the text.  Both therefore run under text_mutex; a collapse
 * also under init_mm's mmap lock (ptdump, the census).  Walkers that take
 * neither (vmalloc_to_page() from /proc/kcore) may still read a chunk's
 * PTE table after a collapse: the table is kept, mapping the chunk's own
 * pages, until the chunk is given back.  The
 * whole lock order is in pool.c, next to the pool mutex.  The PMD is re-read under the
 * locks each time rather than trusted from the chunk's bookkeeping.
 */
#include <linux/mm.h>
#include <linux/lockdep.h>
#include <linux/mmap_lock.h>
#include <asm/tlbflush.h>

#include "ksym.h"
#include "pgtable.h"

static struct mm_struct *rp_init_mm(void)
{
	return (struct mm_struct *)rp_ksym_addr(RP_KSYM_INIT_MM);
}

static spinlock_t *rp_cpa_lock(void)
{
	return (spinlock_t *)rp_ksym_addr(RP_KSYM_CPA_LOCK);
}

static spinlock_t *rp_pgd_lock(void)
{
	return (spinlock_t *)rp_ksym_addr(RP_KSYM_PGD_LOCK);
}

static struct mutex *rp_text_mutex(void)
{
	return (struct mutex *)rp_ksym_addr(RP_KSYM_TEXT_MUTEX);
}

static void rp_flush(unsigned long start, unsigned long end)
{
	static_call(rp_flush_tlb_kernel_range)(start, end);
}

/* The PMD entry that maps @addr; NULL if a level above has none or is a leaf. */
static pmd_t *rp_pgt_pmd(unsigned long addr)
{
	pgd_t *pgd = pgd_offset(rp_init_mm(), addr);
	p4d_t *p4d;
	pud_t *pud;

	if (pgd_none(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_leaf(*pud))
		return NULL;
	return pmd_offset(pud, addr);
}

/**
 * rp_pgt_leaf() - is a chunk mapped by one PMD leaf?
 * @addr: the chunk
 * @leaf: set to the PMD entry when it is a present leaf
 *
 * Return: true for a present 2 MiB mapping.
 */
bool rp_pgt_leaf(unsigned long addr, pmd_t *leaf)
{
	pmd_t *pmd = rp_pgt_pmd(addr);
	pmd_t v;

	if (!pmd)
		return false;
	v = READ_ONCE(*pmd);
	if (!pmd_present(v) || !pmd_leaf(v))
		return false;
	*leaf = v;
	return true;
}

/* Is any page of [@addr, @end) mapped writable, whatever its page size? */
static bool rp_pgt_range_writable(unsigned long addr, unsigned long end)
{
	while (addr < end) {
		unsigned long size = PAGE_SIZE;
		unsigned int level;
		pte_t *pte = lookup_address(addr, &level);

		if (pte && pte_present(*pte)) {
			if (pte_flags(*pte) & _PAGE_RW)
				return true;
			size = page_level_size(level);
		}
		addr = (addr & ~(size - 1)) + size;
	}
	return false;
}

/**
 * rp_pgt_alias_writable() - can a chunk's memory be written through one of
 * its aliases?
 * @pfn: the chunk's first page frame
 *
 * The direct map has an alias of every block; a block of the kernel
 * image's freed __init memory has a second one in the kernel's high
 * mapping (__START_KERNEL_map), mapped RW+NX after the free unless PTI
 * unmapped it.  CPA makes both read-only with the chunk, but ignores a
 * failure on the high one ("the high mapping range is imprecise"), so both
 * are looked at, every page of them, whatever page size maps it.
 *
 * Return: true if any page of the 2 MiB block is mapped writable there.
 */
bool rp_pgt_alias_writable(unsigned long pfn)
{
	unsigned long addr = (unsigned long)pfn_to_kaddr(pfn);
	phys_addr_t phys = PFN_PHYS(pfn);

	if (rp_pgt_range_writable(addr, addr + PMD_SIZE))
		return true;
	/* Outside the image's mapping, the high map has no entries. */
	if (phys < phys_base || phys - phys_base >= KERNEL_IMAGE_SIZE)
		return false;
	addr = __START_KERNEL_map + (unsigned long)(phys - phys_base);
	return rp_pgt_range_writable(addr, addr + PMD_SIZE);
}

/* The protection of each 4 KiB page of a whole chunk. */
static pgprot_t rp_chunk_pte_prot(const struct rp_chunk *c)
{
	return pgprot_large_2_4k(pmd_pgprot(c->leaf));
}

/**
 * rp_pgt_split() - map a whole chunk by a PTE table instead of its leaf
 * @c: the chunk, whole
 *
 * The table maps the same pages with the same protection, so nothing that
 * runs from the chunk notices.  Called with text_mutex and the pool mutex
 * held.
 *
 * Return: 0, or -ENOMEM or -EBUSY (the chunk stays whole).
 */
int rp_pgt_split(struct rp_chunk *c)
{
	unsigned long pfn = pmd_pfn(c->leaf);
	pgprot_t prot = rp_chunk_pte_prot(c);
	pmd_t *pmd = rp_pgt_pmd(c->addr);
	pte_t *ptes;
	unsigned int i;

	lockdep_assert_held(rp_text_mutex());
	if (WARN_ON_ONCE(c->ptes || !pmd))
		return -EINVAL;
	if (!c->table)
		c->table = (pte_t *)get_zeroed_page(GFP_KERNEL);
	ptes = c->table;
	if (!ptes)
		return -ENOMEM;
	/* A walker still on the old table reads the same entries meanwhile. */
	for (i = 0; i < PTRS_PER_PTE; i++)
		ptes[i] = pfn_pte(pfn + i, prot);

	spin_lock(rp_cpa_lock());
	spin_lock(rp_pgd_lock());
	/* Only the leaf roxpool made: anything else is not roxpool's to touch. */
	if (WARN_ONCE(pmd_val(READ_ONCE(*pmd)) != pmd_val(c->leaf),
		      "roxpool: chunk at %p: its PMD changed behind roxpool\n",
		      (void *)c->addr)) {
		spin_unlock(rp_pgd_lock());
		spin_unlock(rp_cpa_lock());
		return -EBUSY;
	}
	set_pmd(pmd, __pmd(__pa(ptes) | _KERNPG_TABLE));
	spin_unlock(rp_pgd_lock());
	/* A page's translation changes size: flush before anyone relies on it. */
	rp_flush(c->addr, c->addr + PMD_SIZE);
	spin_unlock(rp_cpa_lock());
	c->ptes = ptes;
	return 0;
}

/**
 * rp_pgt_stage() - map staging pages RW+NX over a range of a split chunk
 * @c: the chunk, split
 * @addr: the range, page aligned, inside @c
 * @pages: one staging page per page of the range
 * @n: number of pages
 *
 * Called with the pool mutex held.
 */
void rp_pgt_stage(struct rp_chunk *c, unsigned long addr,
		  struct page **pages, unsigned int n)
{
	unsigned int first = (addr - c->addr) >> PAGE_SHIFT, i;

	spin_lock(rp_cpa_lock());
	for (i = 0; i < n; i++)
		set_pte(&c->ptes[first + i], mk_pte(pages[i], PAGE_KERNEL));
	rp_flush(addr, addr + ((unsigned long)n << PAGE_SHIFT));
	spin_unlock(rp_cpa_lock());
}

/**
 * rp_pgt_unstage() - map a staged range to its chunk's own pages again
 * @c: the chunk, split
 * @addr: the range
 * @n: number of pages
 *
 * The range then reads as what the chunk holds there (INT3 for a range that
 * never went live), read-only and executable.  Called with the pool mutex
 * held.
 */
void rp_pgt_unstage(struct rp_chunk *c, unsigned long addr, unsigned int n)
{
	unsigned int first = (addr - c->addr) >> PAGE_SHIFT, i;
	unsigned long pfn = pmd_pfn(c->leaf);
	pgprot_t prot = rp_chunk_pte_prot(c);

	spin_lock(rp_cpa_lock());
	for (i = first; i < first + n; i++)
		set_pte(&c->ptes[i], pfn_pte(pfn + i, prot));
	rp_flush(addr, addr + ((unsigned long)n << PAGE_SHIFT));
	spin_unlock(rp_cpa_lock());
}

/**
 * rp_pgt_collapse() - map a split chunk by its leaf again
 * @c: the chunk, split, with no range staged
 *
 * Checks that every PTE maps the chunk's own page with the chunk's
 * protection first; anything else stays split.  The caller holds text_mutex,
 * init_mm's mmap lock and the pool mutex.
 *
 * Return: true if the chunk is whole again.
 */
bool rp_pgt_collapse(struct rp_chunk *c)
{
	unsigned long pfn = pmd_pfn(c->leaf);
	pgprot_t prot = rp_chunk_pte_prot(c);
	pmd_t *pmd = rp_pgt_pmd(c->addr);
	pte_t *ptes = c->ptes;
	unsigned int i;

	lockdep_assert_held(rp_text_mutex());
	if (WARN_ON_ONCE(!ptes || c->staged || !pmd))
		return false;

	spin_lock(rp_cpa_lock());
	/* Still roxpool's table, and every entry what a collapse may cover. */
	if (pmd_val(READ_ONCE(*pmd)) != pmd_val(__pmd(__pa(ptes) | _KERNPG_TABLE)))
		goto keep;
	for (i = 0; i < PTRS_PER_PTE; i++)
		if (pte_val(READ_ONCE(ptes[i])) != pte_val(pfn_pte(pfn + i, prot)))
			goto keep;
	spin_lock(rp_pgd_lock());
	set_pmd(pmd, c->leaf);
	spin_unlock(rp_pgd_lock());
	rp_flush(c->addr, c->addr + PMD_SIZE);
	spin_unlock(rp_cpa_lock());
	/*
	 * No TLB can reach the table any more, but a lockless walker that
	 * read the PMD before may still read it: it stays, as it is.
	 */
	c->ptes = NULL;
	return true;
keep:
	spin_unlock(rp_cpa_lock());
	return false;
}

/**
 * rp_pgt_chunk_free() - give back a chunk's PTE table page
 * @c: a chunk given back, or never on the pool's list, and whole
 */
void rp_pgt_chunk_free(struct rp_chunk *c)
{
	if (WARN_ON_ONCE(c->ptes))
		return;
	free_page((unsigned long)c->table);
	c->table = NULL;
}

/**
 * rp_pgt_lock_text() - keep text_poke() off the chunks' PMDs
 *
 * Before a chunk may be split.  Pairs with rp_pgt_unlock_text().
 */
void rp_pgt_lock_text(void)
{
	mutex_lock(rp_text_mutex());
}

void rp_pgt_unlock_text(void)
{
	mutex_unlock(rp_text_mutex());
}

/**
 * rp_pgt_lock_walkers() - keep every lockless page-table walker out
 *
 * Before a chunk may be collapsed.  Pairs with rp_pgt_unlock_walkers().
 */
void rp_pgt_lock_walkers(void)
{
	rp_pgt_lock_text();
	mmap_write_lock(rp_init_mm());
}

void rp_pgt_unlock_walkers(void)
{
	mmap_write_unlock(rp_init_mm());
	rp_pgt_unlock_text();
}

/**
 * rp_pgt_lock_tables() - keep the walkers that lock out of the module area
 *
 * Around vmalloc's mapping of a new chunk: a PMD leaf over a slot whose
 * old PTE table is still in place frees that table (vmap_try_huge_pmd(),
 * pmd_free_pte_page()), and the census and ptdump walk the module area
 * under init_mm's mmap lock.  Without text_mutex: nothing text_poke()
 * walks changes.  Pairs with rp_pgt_unlock_tables().
 */
void rp_pgt_lock_tables(void)
{
	mmap_write_lock(rp_init_mm());
}

void rp_pgt_unlock_tables(void)
{
	mmap_write_unlock(rp_init_mm());
}
