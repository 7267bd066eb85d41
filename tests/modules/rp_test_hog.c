// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: runs the guest short of memory or of module address space,
 * for the hostile-conditions tests.  Everything is given back at rmmod.
 *
 *   keep_mb=N     allocate pages until only N MiB are available
 *   fragment=1    ... then free every other page, and break up every free
 *                 2 MiB block that is left by keeping one page of it:
 *                 plenty free, but no 2 MiB block free anywhere, nor one
 *                 compaction could make (the hog's pages cannot move)
 *   vspace=1      reserve every free byte of the module area (no memory)
 *   purge_notifier=1  register a vmap purge notifier, which vmalloc calls
 *                 when a request fails even after a purge; it counts its
 *                 calls (purge_calls) and those made while text_mutex was
 *                 locked (purge_calls_text_mutex)
 *   walk_text=ADDR  a kthread walks the page tables of the 2 MiB around
 *                 ADDR with vmalloc_to_page(), page by page and over
 *                 again, with no lock, as /proc/kcore does, until rmmod;
 *                 it counts its walks (walks) and the pages it found
 *                 unmapped (walk_holes)
 *   kill_ftrace=1 call ftrace_kill(), as ftrace_bug() does on a failed
 *                 patch: ftrace stops for good, no ftrace_ops can be
 *                 unregistered any more (cannot be undone at rmmod)
 *   release_kb=N  (write, at run time) give back reservations, smallest
 *                 first, until at least N KiB of module space are free
 *   release_slots=N  (write, at run time) give back N single 2 MiB-aligned
 *                 slots, each with reserved space on both sides: room for
 *                 N chunks, none of them next to anything else free (not
 *                 to be mixed with release_kb, which then no longer gives
 *                 back the smallest first)
 *
 * The module area is reserved with __get_vm_area_caller(), which is not
 * exported: its address comes from a kprobe, and it is called through a
 * static call, a direct call, as roxpool calls what it resolves.  The
 * kprobe's address lies 4 bytes past the function's ENDBR64, so an
 * indirect call there fails kCFI's check (it reads the type hash 15 bytes
 * before its target, here the preamble's padding), and an indirect call to
 * a function objtool sealed faults on IBT hardware.
 */
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/static_call.h>
#include <linux/vmalloc.h>

#define RP_HOG_MAX_AREAS	512

static unsigned int keep_mb;
module_param(keep_mb, uint, 0444);
MODULE_PARM_DESC(keep_mb, "allocate memory until only this many MiB are available");
static bool fragment;
module_param(fragment, bool, 0444);
MODULE_PARM_DESC(fragment, "then free every other page");
static bool vspace;
module_param(vspace, bool, 0444);
MODULE_PARM_DESC(vspace, "reserve all free module address space");

static bool purge_notifier;
module_param(purge_notifier, bool, 0444);
MODULE_PARM_DESC(purge_notifier, "count vmalloc's purge notifier calls");
static unsigned int purge_calls, purge_calls_text_mutex;
module_param(purge_calls, uint, 0444);
MODULE_PARM_DESC(purge_calls, "purge notifier calls");
module_param(purge_calls_text_mutex, uint, 0444);
MODULE_PARM_DESC(purge_calls_text_mutex, "... made with text_mutex locked");

static unsigned long walk_text;
module_param(walk_text, ulong, 0444);
MODULE_PARM_DESC(walk_text, "walk the page tables of the 2 MiB around this address");
static unsigned int walks, walk_holes;
module_param(walks, uint, 0444);
MODULE_PARM_DESC(walks, "walks of those 2 MiB done");
module_param(walk_holes, uint, 0444);
MODULE_PARM_DESC(walk_holes, "pages found unmapped in them");
static struct task_struct *rp_hog_walker;

static bool kill_ftrace;
module_param(kill_ftrace, bool, 0444);
MODULE_PARM_DESC(kill_ftrace, "disable ftrace for good, as ftrace_bug() does");

static LIST_HEAD(rp_hog_pages);
static unsigned long rp_hog_nr_pages;
static struct vm_struct *rp_hog_areas[RP_HOG_MAX_AREAS];
static unsigned int rp_hog_nr_areas;
static unsigned long rp_hog_reserved;
DEFINE_STATIC_CALL_NULL(rp_hog_get_area, __get_vm_area_caller);
DEFINE_STATIC_CALL_NULL(rp_hog_ftrace_kill, ftrace_kill);
DEFINE_STATIC_CALL_NULL(rp_hog_lookup, kallsyms_lookup_name);
static struct mutex *rp_hog_text_mutex;
static bool rp_hog_watching;

/* Point a static call at an unexported function, found by a kprobe. */
static int rp_hog_resolve(const char *name, struct static_call_key *key,
			  void *tramp)
{
	struct kprobe kp = { .symbol_name = name };
	int err;

	err = register_kprobe(&kp);
	if (err)
		return err;
	/* kp.addr may lie past an ENDBR64: a direct call may start there */
	__static_call_update(key, tramp, kp.addr);
	unregister_kprobe(&kp);
	return 0;
}

/* Take every free 2 MiB block and give it back but for its first page. */
static void rp_hog_break_blocks(void)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;
	struct page *page;
	unsigned int i;

	while ((page = alloc_pages(gfp, PMD_ORDER))) {
		split_page(page, PMD_ORDER);
		for (i = 1; i < PTRS_PER_PMD; i++)
			__free_page(page + i);
		list_add(&page->lru, &rp_hog_pages);
		rp_hog_nr_pages++;
		cond_resched();
	}
}

static void rp_hog_memory(void)
{
	unsigned long keep = (unsigned long)keep_mb << (20 - PAGE_SHIFT);
	struct page *page, *tmp;
	unsigned long i = 0;

	while (si_mem_available() > keep) {
		page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
		if (!page)
			break;
		list_add(&page->lru, &rp_hog_pages);
		rp_hog_nr_pages++;
		cond_resched();
	}
	if (fragment) {
		list_for_each_entry_safe(page, tmp, &rp_hog_pages, lru) {
			if (i++ % 2)
				continue;
			list_del(&page->lru);
			__free_page(page);
			rp_hog_nr_pages--;
		}
		rp_hog_break_blocks();
	}
	pr_info("rp_test_hog: holding %lu MiB, %ld MiB available\n",
		rp_hog_nr_pages >> (20 - PAGE_SHIFT),
		si_mem_available() >> (20 - PAGE_SHIFT));
}

static int rp_hog_vspace(void)
{
	unsigned long size = SZ_64M;
	struct vm_struct *area;
	int err;

	err = rp_hog_resolve("__get_vm_area_caller",
			     &STATIC_CALL_KEY(rp_hog_get_area),
			     STATIC_CALL_TRAMP_ADDR(rp_hog_get_area));
	if (err)
		return err;

	while (size >= PAGE_SIZE && rp_hog_nr_areas < RP_HOG_MAX_AREAS) {
		area = static_call(rp_hog_get_area)(size,
						    VM_ALLOC | VM_NO_GUARD,
						    MODULES_VADDR, MODULES_END,
						    __builtin_return_address(0));
		if (!area) {
			size >>= 1;
			continue;
		}
		rp_hog_areas[rp_hog_nr_areas++] = area;
		rp_hog_reserved += size;
	}
	pr_info("rp_test_hog: reserved %lu KiB of module space in %u areas\n",
		rp_hog_reserved >> 10, rp_hog_nr_areas);
	return 0;
}

static int rp_hog_release(const char *val, const struct kernel_param *kp)
{
	unsigned long want, freed = 0;
	int err = kstrtoul(val, 0, &want);

	if (err)
		return err;
	want <<= 10;
	/* The areas were reserved largest first: give back from the end. */
	while (freed < want && rp_hog_nr_areas) {
		struct vm_struct *area = rp_hog_areas[--rp_hog_nr_areas];

		freed += get_vm_area_size(area);
		rp_hog_reserved -= get_vm_area_size(area);
		free_vm_area(area);
	}
	pr_info("rp_test_hog: released %lu KiB of module space\n", freed >> 10);
	return 0;
}

static const struct kernel_param_ops rp_hog_release_ops = {
	.set = rp_hog_release,
};

module_param_cb(release_kb, &rp_hog_release_ops, NULL, 0200);
MODULE_PARM_DESC(release_kb, "give back this many KiB of module space");

/*
 * Reserve [@start, @end) again, exactly: the module area's only free space
 * there, as it was just given back (vmalloc purges its lazily freed areas
 * when a first try fails).
 */
static struct vm_struct *rp_hog_take(unsigned long start, unsigned long end)
{
	return static_call(rp_hog_get_area)(end - start,
					    VM_ALLOC | VM_NO_GUARD, start, end,
					    __builtin_return_address(0));
}

/*
 * Give back the first 2 MiB-aligned slot that is at least 2 MiB into the
 * largest reservation, and reserve again what lies below and above it.
 */
static int rp_hog_release_slot(void)
{
	struct vm_struct *area, *below, *above;
	unsigned long start, end, slot;
	unsigned int i, big = 0;

	if (!rp_hog_nr_areas || rp_hog_nr_areas == RP_HOG_MAX_AREAS)
		return -ENOSPC;
	for (i = 1; i < rp_hog_nr_areas; i++)
		if (get_vm_area_size(rp_hog_areas[i]) >
		    get_vm_area_size(rp_hog_areas[big]))
			big = i;
	area = rp_hog_areas[big];
	start = (unsigned long)area->addr;
	end = start + get_vm_area_size(area);
	slot = ALIGN(start + PMD_SIZE, PMD_SIZE);
	if (slot + 2 * PMD_SIZE > end)
		return -ENOSPC;
	free_vm_area(area);
	below = rp_hog_take(start, slot);
	above = rp_hog_take(slot + PMD_SIZE, end);
	if (!below || !above) {
		/* Module space taken in between: give back all of it. */
		if (below)
			free_vm_area(below);
		if (above)
			free_vm_area(above);
		rp_hog_areas[big] = rp_hog_areas[--rp_hog_nr_areas];
		rp_hog_reserved -= end - start;
		return -EBUSY;
	}
	rp_hog_areas[big] = below;
	rp_hog_areas[rp_hog_nr_areas++] = above;
	rp_hog_reserved -= PMD_SIZE;
	pr_info("rp_test_hog: released the 2 MiB slot at module area + %lu KiB\n",
		(slot - MODULES_VADDR) >> 10);
	return 0;
}

static int rp_hog_release_slots(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int err = kstrtouint(val, 0, &n);

	while (!err && n--)
		err = rp_hog_release_slot();
	return err;
}

static const struct kernel_param_ops rp_hog_release_slots_ops = {
	.set = rp_hog_release_slots,
};

module_param_cb(release_slots, &rp_hog_release_slots_ops, NULL, 0200);
MODULE_PARM_DESC(release_slots, "give back this many lone 2 MiB slots");

/* vmalloc's last resort before it fails a request. */
static int rp_hog_purge(struct notifier_block *nb, unsigned long action,
			void *data)
{
	purge_calls++;
	if (mutex_is_locked(rp_hog_text_mutex))
		purge_calls_text_mutex++;
	return NOTIFY_DONE;
}

static struct notifier_block rp_hog_purge_nb = {
	.notifier_call = rp_hog_purge,
};

static int rp_hog_watch_purges(void)
{
	int err;

	err = rp_hog_resolve("kallsyms_lookup_name",
			     &STATIC_CALL_KEY(rp_hog_lookup),
			     STATIC_CALL_TRAMP_ADDR(rp_hog_lookup));
	if (err)
		return err;
	rp_hog_text_mutex = (struct mutex *)static_call(rp_hog_lookup)("text_mutex");
	if (!rp_hog_text_mutex)
		return -ENOENT;
	err = register_vmap_purge_notifier(&rp_hog_purge_nb);
	rp_hog_watching = !err;
	return err;
}

/* A lockless page-table walker over 2 MiB of module text. */
static int rp_hog_walk(void *data)
{
	unsigned long base = walk_text & PMD_MASK, off;

	while (!kthread_should_stop()) {
		for (off = 0; off < PMD_SIZE; off += PAGE_SIZE)
			if (!vmalloc_to_page((void *)(base + off)))
				WRITE_ONCE(walk_holes, walk_holes + 1);
		WRITE_ONCE(walks, walks + 1);
		cond_resched();
	}
	return 0;
}

static void rp_hog_free(void)
{
	struct page *page, *tmp;

	if (rp_hog_walker)
		kthread_stop(rp_hog_walker);
	rp_hog_walker = NULL;
	if (rp_hog_watching)
		unregister_vmap_purge_notifier(&rp_hog_purge_nb);
	rp_hog_watching = false;
	list_for_each_entry_safe(page, tmp, &rp_hog_pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	while (rp_hog_nr_areas)
		free_vm_area(rp_hog_areas[--rp_hog_nr_areas]);
}

static int __init rp_hog_init(void)
{
	int err = 0;

	if (keep_mb)
		rp_hog_memory();
	if (vspace)
		err = rp_hog_vspace();
	if (!err && purge_notifier)
		err = rp_hog_watch_purges();
	if (!err && walk_text) {
		rp_hog_walker = kthread_run(rp_hog_walk, NULL, "rp_hog_walk");
		err = PTR_ERR_OR_ZERO(rp_hog_walker);
		if (err)
			rp_hog_walker = NULL;
	}
	if (!err && kill_ftrace) {
		err = rp_hog_resolve("ftrace_kill",
				     &STATIC_CALL_KEY(rp_hog_ftrace_kill),
				     STATIC_CALL_TRAMP_ADDR(rp_hog_ftrace_kill));
		if (!err) {
			pr_info("rp_test_hog: calling ftrace_kill()\n");
			static_call(rp_hog_ftrace_kill)();
		}
	}
	if (err)
		rp_hog_free();
	return err;
}
module_init(rp_hog_init);

static void __exit rp_hog_exit(void)
{
	rp_hog_free();
	pr_info("rp_test_hog: everything given back\n");
}
module_exit(rp_hog_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("roxpool test: memory and module space hog");
