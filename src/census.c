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
 *
 * Also the "chunks" file: each of roxpool's chunks with the page size and
 * protection of its direct-map alias.  The page tables are read here; the
 * pool only lists its chunks (rp_pool_visit_chunks()).
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/seq_file.h>
#include <asm/pgtable_types.h>

#include "census.h"
#include "chunk.h"
#include "ksym.h"
#include <roxpool/name.h>
#include "pgtable.h"
#include "pool.h"

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

/**
 * struct rp_chunk_info - where a chunk is, for one census pass
 * @addr: its address in module space
 * @alias_writable: its memory is writable through the direct map (must
 *	never be)
 */
struct rp_chunk_info {
	unsigned long addr;
	bool alias_writable;
};

/**
 * struct rp_chunk_list - the chunks as one census pass sees them
 * @info: one entry per chunk, by address
 * @n: entries used
 */
struct rp_chunk_list {
	struct rp_chunk_info info[RP_MAX_CHUNKS];
	unsigned int n;
};

/* Under the pool mutex: no chunk on the list is being released. */
static void rp_census_chunk(const struct rp_chunk_view *v, void *ctx)
{
	struct rp_chunk_list *l = ctx;

	if (l->n == RP_MAX_CHUNKS)
		return;
	l->info[l->n].addr = v->addr;
	l->info[l->n++].alias_writable = rp_pgt_alias_writable(v->pfn);
}

static bool rp_census_pooled(const struct rp_chunk_list *l, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (rp_chunk_contains(l->info[i].addr, addr))
			return true;
	return false;
}

/* Chunks whose memory is writable through the direct map (must be none). */
static unsigned int rp_census_alias_writable(const struct rp_chunk_list *l)
{
	unsigned int i, bad = 0;

	for (i = 0; i < l->n; i++)
		bad += l->info[i].alias_writable;
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
	struct rp_chunk_list *chunks;
	struct rp_census *c;
	struct module *mod;

	if (!mods || !mm) {
		seq_puts(m, "census unavailable: kernel symbols missing\n");
		return;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	chunks = kzalloc(sizeof(*chunks), GFP_KERNEL);
	if (!c || !chunks) {
		kfree(c);
		kfree(chunks);
		return;
	}

	rp_pool_visit_chunks(rp_census_chunk, chunks);
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
		pooled = rp_census_pooled(chunks, (unsigned long)core->base);
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
		   rp_census_alias_writable(chunks));
	kfree(chunks);
	kfree(c);
}

static const char *const rp_level_names[] = {
	[PG_LEVEL_4K]	= "4K",
	[PG_LEVEL_2M]	= "2M",
	[PG_LEVEL_1G]	= "1G",
};

/* One line of the "chunks" file; under the pool mutex. */
static void rp_census_show_chunk(const struct rp_chunk_view *v, void *ctx)
{
	unsigned long alias = (unsigned long)__va(v->pfn << PAGE_SHIFT);
	unsigned int level = 0;
	pte_t *pte = lookup_address(alias, &level);

	seq_printf(ctx, "0x%lx %s %u %u %u %s %s 0x%lx\n", v->addr,
		   v->split ? "split" : "pmd", v->used, v->free,
		   v->largest_free,
		   pte ? rp_name(rp_level_names, ARRAY_SIZE(rp_level_names),
				 level) : "-",
		   !pte ? "-" : (pte_flags(*pte) & _PAGE_RW) ? "rw" : "ro",
		   alias);
}

/**
 * rp_census_show_chunks() - one line per chunk, with its direct-map alias
 * @m: debugfs seq_file
 *
 * "address mapping used free largest_free alias_page alias_prot alias":
 * how the chunk is mapped now (one "pmd" leaf, or "split" while a range is
 * staged), its pages in ranges and free, its largest free extent (pages),
 * and the page size, protection and address of the direct map where its
 * memory also appears (2M or 1G and "ro" when nothing fragmented it).
 */
void rp_census_show_chunks(struct seq_file *m)
{
	rp_pool_visit_chunks(rp_census_show_chunk, m);
}
