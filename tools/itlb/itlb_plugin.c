// SPDX-License-Identifier: GPL-2.0
/*
 * itlb_plugin: a QEMU TCG plugin that replays a guest's instruction-fetch
 * pages through the iTLB models of itlb_model.c and counts, per measured
 * phase, CPU model and region of the code (user, core kernel, modules):
 * instructions, first-level misses and walks.
 *
 * Every executed translation block is one fetch of the page of its first
 * instruction (and of the next page when the block crosses into it).
 * Page sizes come from the control file, which the host rewrites (a new
 * file renamed over it) at the start of a phase:
 *
 *	seq N			a new request when N changes
 *	phase NAME		start measuring phase NAME ("-": stop)
 *	huge ADDRESS		an executable 2 MiB page (hex), one a line
 *
 * The plugin looks at the file every few thousand blocks; on a new seq it
 * ends the running phase (its counts go to the output file), flushes the
 * models, starts the new phase and writes "N" to the acknowledgment file
 * (ctl path + ".ack"), which the host waits for.  Output lines:
 *
 *	itlb PHASE CPU REGION insns N l1_misses N walks N
 *	itlb PHASE - - blocks N seconds S
 *
 * Arguments: ctl=PATH out=PATH [cpus=NAME:NAME] [modules=START-END] (hex).
 * Built and run by scripts/itlb-model; needs QEMU's single-threaded TCG
 * (the callbacks are not locked).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <qemu-plugin.h>

#include "itlb_model.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define ITLB_POLL_BLOCKS	4096
#define ITLB_MAX_CPUS		8
#define ITLB_MAX_VCPUS		64

struct itlb_count {
	uint64_t insns, l1_misses, walks;
};

static const char *ctl_path, *out_path;
static char ack_path[4096];
static struct itlb_area area = { ITLB_MODULES_VADDR, ITLB_MODULES_END };
static const struct itlb_cpu_geom *cpus[ITLB_MAX_CPUS];
static unsigned int nr_cpus;
static unsigned int nr_vcpus;
static struct itlb *tlbs;		/* [vcpu][cpu] */
static struct itlb_map map;
static struct itlb_count count[ITLB_MAX_CPUS][ITLB_NR_REGION];
static char phase[128];
static bool measuring;
static long long seq = -1;
static uint64_t polls, blocks;
static struct timespec phase_start;
static struct stat ctl_st;

/*
 * A block's fetch, packed into the callback's data word: the canonical
 * 48-bit address in bits 0-47, the number of instructions in 48-61 and
 * whether it crosses into the next 4 KiB page in bit 62.
 */
#define TB_VA_BITS	48
#define TB_N_SHIFT	48
#define TB_N_MASK	0x3fffull
#define BIT_ULL(n)	(1ull << (n))
#define TB_CROSS	BIT_ULL(62)

static uint64_t tb_va(uint64_t d)
{
	uint64_t va = d & ((1ull << TB_VA_BITS) - 1);

	if (va & (1ull << (TB_VA_BITS - 1)))
		va |= ~((1ull << TB_VA_BITS) - 1);
	return va;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void phase_end(void)
{
	FILE *f;
	unsigned int c, r;

	if (!measuring)
		return;
	measuring = false;
	f = fopen(out_path, "a");
	if (!f) {
		fprintf(stderr, "itlb: %s: %s\n", out_path, strerror(errno));
		return;
	}
	for (c = 0; c < nr_cpus; c++)
		for (r = 0; r < ITLB_NR_REGION; r++)
			fprintf(f, "itlb %s %s %s insns %" PRIu64 " l1_misses %" PRIu64
				" walks %" PRIu64 "\n", phase, cpus[c]->name,
				itlb_region_name[r], count[c][r].insns,
				count[c][r].l1_misses, count[c][r].walks);
	fprintf(f, "itlb %s - - blocks %" PRIu64 " seconds %.3f huge_pages %zu\n",
		phase, blocks, since(&phase_start), map.n);
	fclose(f);
}

static void write_ack(long long n)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ack_path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%lld\n", n);
	fclose(f);
	rename(tmp, ack_path);
}

/* Read a changed control file; start or stop a phase when its seq is new. */
static void poll_ctl(void)
{
	char line[256], name[128] = "-";
	long long n = -1;
	struct stat st;
	unsigned int v, c;
	uint64_t va;
	FILE *f;

	if (stat(ctl_path, &st) || (st.st_ino == ctl_st.st_ino &&
				    st.st_mtim.tv_sec == ctl_st.st_mtim.tv_sec &&
				    st.st_mtim.tv_nsec == ctl_st.st_mtim.tv_nsec &&
				    st.st_size == ctl_st.st_size))
		return;
	f = fopen(ctl_path, "r");
	if (!f)
		return;
	ctl_st = st;
	/* The first lines say whether this is new: do not parse a map for nothing. */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "seq %lld", &n) == 1)
			continue;
		if (sscanf(line, "phase %127s", name) == 1)
			break;
	}
	if (n < 0 || n == seq) {
		fclose(f);
		return;
	}
	phase_end();
	itlb_map_free(&map);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "huge %" SCNx64, &va) == 1)
			itlb_map_add(&map, va);
	fclose(f);
	itlb_map_sort(&map);
	seq = n;
	if (strcmp(name, "-")) {
		snprintf(phase, sizeof(phase), "%s", name);
		memset(count, 0, sizeof(count));
		for (v = 0; v < nr_vcpus; v++)
			for (c = 0; c < nr_cpus; c++)
				itlb_flush(&tlbs[v * nr_cpus + c]);
		blocks = 0;
		clock_gettime(CLOCK_MONOTONIC, &phase_start);
		measuring = true;
	}
	write_ack(n);
}

static void fetch(struct itlb *t, struct itlb_count *cnt, uint64_t va,
		  enum itlb_psize ps)
{
	enum itlb_result res = itlb_access(t, va, ps);

	if (res != ITLB_HIT_L1)
		cnt->l1_misses++;
	if (res == ITLB_WALK)
		cnt->walks++;
}

static void tb_exec(unsigned int vcpu, void *data)
{
	uint64_t d = (uintptr_t)data;
	uint64_t va, next = 0;
	enum itlb_psize ps, ps2 = ITLB_4K;
	enum itlb_region r;
	unsigned int c, n;
	bool cross;

	if (++polls % ITLB_POLL_BLOCKS == 0)
		poll_ctl();
	if (!measuring || vcpu >= nr_vcpus)
		return;
	blocks++;
	va = tb_va(d);
	n = (d >> TB_N_SHIFT) & TB_N_MASK;
	r = itlb_region_of(&area, va);
	ps = itlb_map_psize(&map, va);
	cross = d & TB_CROSS;
	if (cross) {
		next = (va | 0xfff) + 1;
		ps2 = itlb_map_psize(&map, next);
		/* Within one 2 MiB page the second fetch is the same entry. */
		cross = ps2 == ITLB_4K || (next >> 21) != (va >> 21);
	}
	for (c = 0; c < nr_cpus; c++) {
		struct itlb *t = &tlbs[vcpu * nr_cpus + c];
		struct itlb_count *cnt = &count[c][r];

		cnt->insns += n;
		fetch(t, cnt, va, ps);
		if (cross)
			fetch(t, cnt, next, ps2);
	}
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t va = qemu_plugin_tb_vaddr(tb), last, d;
	struct qemu_plugin_insn *insn;

	if (!n)
		return;
	insn = qemu_plugin_tb_get_insn(tb, n - 1);
	last = qemu_plugin_insn_vaddr(insn) + qemu_plugin_insn_size(insn) - 1;
	d = (va & ((1ull << TB_VA_BITS) - 1)) | ((uint64_t)(n & TB_N_MASK) << TB_N_SHIFT);
	if ((last >> 12) != (va >> 12))
		d |= TB_CROSS;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS,
					     (void *)(uintptr_t)d);
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
	phase_end();
}

static int parse_cpus(char *list)
{
	char *name;

	nr_cpus = 0;
	for (name = strtok(list, ":"); name; name = strtok(NULL, ":")) {
		if (nr_cpus == ITLB_MAX_CPUS || !itlb_cpu_find(name)) {
			fprintf(stderr, "itlb: unknown or too many cpus: %s\n", name);
			return -1;
		}
		cpus[nr_cpus++] = itlb_cpu_find(name);
	}
	return nr_cpus ? 0 : -1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	unsigned int i;
	int a;

	for (i = 0; i < itlb_nr_cpus && i < ITLB_MAX_CPUS; i++)
		cpus[nr_cpus++] = &itlb_cpus[i];
	for (a = 0; a < argc; a++) {
		char *v = strchr(argv[a], '=');

		if (!v) {
			fprintf(stderr, "itlb: bad argument %s\n", argv[a]);
			return -1;
		}
		*v++ = '\0';
		if (!strcmp(argv[a], "ctl")) {
			ctl_path = v;
		} else if (!strcmp(argv[a], "out")) {
			out_path = v;
		} else if (!strcmp(argv[a], "cpus")) {
			if (parse_cpus(v))
				return -1;
		} else if (!strcmp(argv[a], "modules")) {
			if (sscanf(v, "%" SCNx64 "-%" SCNx64, &area.mod_start,
				   &area.mod_end) != 2)
				return -1;
		} else {
			fprintf(stderr, "itlb: unknown argument %s\n", argv[a]);
			return -1;
		}
	}
	if (!ctl_path || !out_path || !info->system_emulation) {
		fprintf(stderr, "itlb: needs ctl=PATH out=PATH, system emulation\n");
		return -1;
	}
	snprintf(ack_path, sizeof(ack_path), "%s.ack", ctl_path);
	nr_vcpus = info->system.max_vcpus;
	if (nr_vcpus > ITLB_MAX_VCPUS)
		nr_vcpus = ITLB_MAX_VCPUS;
	tlbs = calloc((size_t)nr_vcpus * nr_cpus, sizeof(*tlbs));
	if (!tlbs)
		return -1;
	for (i = 0; i < nr_vcpus * nr_cpus; i++)
		if (itlb_init(&tlbs[i], cpus[i % nr_cpus]))
			return -1;
	itlb_map_init(&map);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
