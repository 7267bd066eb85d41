// SPDX-License-Identifier: GPL-2.0
/*
 * The census: how module text is mapped, read from the page tables.
 *
 * For every loaded module, how many 4 KiB and how many 2 MiB translations
 * map its text: the iTLB entries it needs.  For the whole module area, how
 * many pages are mapped writable and executable (must be none), and how many
 * of roxpool's chunks can be written through their direct-map alias (must be
 * none: the module area scan cannot see that).  It needs no hook, so it
 * reports on every kernel, the kernel's own ROX cache included.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <asm/pgtable_types.h>

#include <roxpool/ksym.h>
#include <roxpool/pool.h>

#define RP_AREA_PMDS	((MODULES_END - MODULES_VADDR) / PMD_SIZE + 1)

/**
 * struct rp_census - what one census pass found
 * @seen_2m: which 2 MiB slots of the module area were counted already
 * @text_4k: distinct 4 KiB translations that map module text
 * @text_2m: distinct 2 MiB translations that map module text
 * @text_bytes: bytes of module text
 * @pooled_bytes: of those, in roxpool's chunks
 * @modules: modules counted
 * @pooled_modules: modules whose core text is pooled
 */
struct rp_census {
	DECLARE_BITMAP(seen_2m, RP_AREA_PMDS);
	unsigned long text_4k;
	unsigned long text_2m;
	unsigned long text_bytes;
	unsigned long pooled_bytes;
	unsigned int modules;
	unsigned int pooled_modules;
};

/* Count the translations of [start, start + size); add them to @c. */
static void rp_census_range(struct rp_census *c, unsigned long start,
			    unsigned long size, unsigned long *n4k,
			    unsigned long *n2m)
{
	unsigned long addr = start & PAGE_MASK, end = start + size;
	unsigned long last_2m = 0;

	while (addr < end) {
		unsigned int level;
		pte_t *pte = lookup_address(addr, &level);

		if (!pte || !pte_present(*pte)) {
			addr += PAGE_SIZE;
			continue;
		}
		if (level == PG_LEVEL_4K) {
			(*n4k)++;
			c->text_4k++;
			addr += PAGE_SIZE;
			continue;
		}
		/* A large leaf: counted once per module and once in total. */
		if ((addr & PMD_MASK) != last_2m) {
			unsigned long slot = (addr - MODULES_VADDR) >> PMD_SHIFT;

			last_2m = addr & PMD_MASK;
			(*n2m)++;
			if (slot < RP_AREA_PMDS && !test_and_set_bit(slot, c->seen_2m))
				c->text_2m++;
		}
		addr = (addr & PMD_MASK) + PMD_SIZE;
	}
}

/* Pages of the module area mapped writable and executable. */
static unsigned long rp_census_wx(unsigned long *exec_4k,
				  unsigned long *exec_2m)
{
	unsigned long addr = MODULES_VADDR, wx = 0;

	while (addr < MODULES_END) {
		unsigned int level;
		pte_t *pte = lookup_address(addr, &level);
		unsigned long step = PAGE_SIZE, pages = 1;
		pteval_t f;

		if (level == PG_LEVEL_2M) {
			step = PMD_SIZE - (addr & ~PMD_MASK);
			pages = PTRS_PER_PTE;
		}
		if (pte && pte_present(*pte)) {
			f = pte_flags(*pte);
			if (!(f & _PAGE_NX)) {
				if (level == PG_LEVEL_2M)
					(*exec_2m)++;
				else
					(*exec_4k)++;
				if (f & _PAGE_RW)
					wx += pages;
			}
		}
		addr += step;
	}
	return wx;
}

static bool rp_in_chunks(const struct rp_chunk_info *chunks, unsigned int n,
			 unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (addr >= chunks[i].addr && addr - chunks[i].addr < RP_CHUNK_BYTES)
			return true;
	return false;
}

/* Chunks whose memory is writable through the direct map (must be none). */
static unsigned int rp_census_alias_writable(const struct rp_chunk_info *chunks,
					     unsigned int n)
{
	unsigned int i, bad = 0;

	for (i = 0; i < n; i++)
		bad += chunks[i].alias_writable;
	return bad;
}

/**
 * rp_census_show() - the census, as a debugfs file
 * @m: seq_file
 *
 * One line per module, "name core_text_bytes init_text_bytes pooled 4k 2m",
 * then "key: value" totals.  Holds init_mm's mmap lock against roxpool's own
 * page-table frees, and RCU for the module list.
 */
void rp_census_show(struct seq_file *m)
{
	struct list_head *mods = (void *)rp_ksym_addr(RP_KSYM_MODULES);
	struct mm_struct *mm = (void *)rp_ksym_addr(RP_KSYM_INIT_MM);
	unsigned long exec_4k = 0, exec_2m = 0, wx;
	struct rp_chunk_info *chunks;
	struct rp_census *c;
	struct module *mod;
	unsigned int nchunks;

	if (!mods || !mm) {
		seq_puts(m, "census unavailable: kernel symbols missing\n");
		return;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	chunks = kcalloc(RP_MAX_CHUNKS, sizeof(*chunks), GFP_KERNEL);
	if (!c || !chunks) {
		kfree(c);
		kfree(chunks);
		return;
	}

	nchunks = rp_pool_chunks(chunks, RP_MAX_CHUNKS);
	seq_puts(m, "# module core_text init_text pooled tlb_4k tlb_2m\n");
	mmap_read_lock(mm);
	rcu_read_lock();
	list_for_each_entry_rcu(mod, mods, list) {
		const struct module_memory *core = &mod->mem[MOD_TEXT];
		const struct module_memory *init = &mod->mem[MOD_INIT_TEXT];
		unsigned long n4k = 0, n2m = 0;
		bool pooled;

		if (mod->state == MODULE_STATE_UNFORMED || !core->base)
			continue;
		pooled = rp_in_chunks(chunks, nchunks,
				      (unsigned long)core->base);
		rp_census_range(c, (unsigned long)core->base, core->size, &n4k,
				&n2m);
		if (init->base)
			rp_census_range(c, (unsigned long)init->base,
					init->size, &n4k, &n2m);
		c->modules++;
		c->text_bytes += core->size;
		if (pooled) {
			c->pooled_modules++;
			c->pooled_bytes += core->size;
		}
		seq_printf(m, "%s %u %u %s %lu %lu\n", mod->name, core->size,
			   init->base ? init->size : 0, pooled ? "yes" : "no",
			   n4k, n2m);
	}
	rcu_read_unlock();
	wx = rp_census_wx(&exec_4k, &exec_2m);
	mmap_read_unlock(mm);

	seq_printf(m, "modules: %u\n", c->modules);
	seq_printf(m, "text_bytes: %lu\n", c->text_bytes);
	seq_printf(m, "pooled_modules: %u\n", c->pooled_modules);
	seq_printf(m, "pooled_text_bytes: %lu\n", c->pooled_bytes);
	seq_printf(m, "text_tlb_4k: %lu\n", c->text_4k);
	seq_printf(m, "text_tlb_2m: %lu\n", c->text_2m);
	seq_printf(m, "limit_2m: %lu\n", DIV_ROUND_UP(c->text_bytes, PMD_SIZE));
	seq_printf(m, "pooled_limit_2m: %lu\n",
		   DIV_ROUND_UP(c->pooled_bytes, PMD_SIZE));
	seq_printf(m, "area_exec_4k: %lu\n", exec_4k);
	seq_printf(m, "area_exec_2m: %lu\n", exec_2m);
	seq_printf(m, "wx_pages: %lu\n", wx);
	seq_printf(m, "chunk_alias_writable: %u\n",
		   rp_census_alias_writable(chunks, nchunks));
	kfree(chunks);
	kfree(c);
}
