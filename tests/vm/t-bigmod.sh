# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# skip-lanes: debug
# (the debug kernels leave out the GPU drivers: KASAN builds of amdgpu, i915,
# xe and nouveau would more than double a cold build; runs are covered
# there by KASAN-sized btrfs and xfs)
# modules: amdgpu i915 xe nouveau dummy veth bridge vfat isofs
# vm-args: --mem 2G --kernel-args watchdog_thresh=30
# (the hog below zeroes almost 2 GiB page by page, with the page allocator's
# own loops in between; under TCG on a loaded host that kept a CPU from the
# watchdog for 22 s of the default 20: a soft lockup is now 60 s)
#
# Module text larger than a chunk, pooled in runs of 2 MiB chunks: the GPU
# drivers (amdgpu's core text is about 7 MB, i915's 2.1 MB; xe and nouveau
# fit a chunk) load in parallel with small modules, with their
# dependencies, and are used as far as a machine without the hardware
# allows (amdgpu's KFD topology); a kprobe and the function tracer run on
# amdgpu's pooled code.  Then everything is unloaded and loaded again.
# Each time every pooled module is on 2 MiB translations only, no more of
# them than the pooled text needs plus one, the pool holds at most one
# chunk beyond that, nothing is W+X, and the host's view of the guest's
# page tables agrees: every chunk of every run is one executable read-only
# 2 MiB entry.  Last, a run that cannot be made falls back with its reason:
# forced by the test build's faults, and for real in memory with no free
# 2 MiB block (fragmented by the hog of t-pressure) and in a module area
# with no room for a run (filled by the hog of t-exhaust but for two lone
# 2 MiB slots), where no chunk
# of a half-made run may stay behind.
. /rp/lib.sh

MODS=$(sed -n 's/^# modules: //p' /rp/script.sh)
CENSUS=$RP_DEBUGFS/census
T=$RP_TRACING
F=/sys/module/roxpool/parameters/fault_inject
# field MODULE N: column N of the module's census line.
field() { awk -v m="$1" -v n="$2" '$1 == m { print $n }' $CENSUS; }

# load_parallel: every module of the set at once (i915 where the kernel
# has it).
load_parallel() {
	pids=
	for m in $MODS; do
		modinfo -n "$m" >/dev/null 2>&1 || { log "$m: not in $RP_KVER"; continue; }
		modprobe "$m" &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p" || fail "a parallel modprobe failed"
	done
}

# big WHEN: the GPU drivers' figures, and amdgpu (and i915) pooled on runs.
big() {
	for m in amdgpu i915 xe nouveau; do
		grep -q "^$m " /proc/modules || continue
		core=$(field $m 2)
		log "$1: $m core text $core bytes, pooled $(field $m 4), $(field $m 5) 4K, $(field $m 6) 2M"
	done
	for m in amdgpu i915; do
		grep -q "^$m " /proc/modules || continue
		core=$(field $m 2)
		[ "$core" -gt 2097152 ] || continue
		expect_eq "$1: $m (larger than a chunk) pooled" "$(field $m 4)" yes
		expect_ge "$1: $m on 2 MiB translations, at most ceil(text / 2 MiB) + 1" \
			$(((core + 2097151) / 2097152 + 1)) "$(field $m 6)"
	done
}

# check_census WHEN: every pooled module only on 2 MiB translations, no
# more of them than the pooled text needs plus one, no W+X page, the pool
# at most one chunk beyond the limit once the spares are gone.
check_census() {
	census_at_limit "$1"
	few() { [ "$(stat pool_chunks)" -le "$lim" ]; }
	check "$1: pool at most one chunk beyond the limit" wait_for 30 few ||
		log "$(stat pool_chunks) chunks"
	expect_eq "$1: chunk aliases writable" "$(census chunk_alias_writable)" 0
	for k in too_large no_chunk no_memory no_run_space no_huge_page run_broken; do
		expect_eq "$1: no fallback $k" "$(stat_delta pool_fallback_$k /tmp/before)" 0
	done
	big "$1"
}

# host WHEN: the host's page tables agree, chunk by chunk: each one
# executable read-only 2 MiB entry and nothing else inside it; no W+X entry.
host() {
	rp-host tlb > /tmp/tlb.txt || fail "$1: info tlb"
	expect_eq "$1: host: W+X entries" "$(awk '$NF ~ /^-/ && $NF ~ /W$/' /tmp/tlb.txt | wc -l)" 0
	n=0
	for a in $(cut -d' ' -f1 $RP_DEBUGFS/chunks); do
		c=$(printf '%x' $((a)))
		line=$(grep "^$c: " /tmp/tlb.txt)
		case ${line##* } in
		-?P?????-) n=$((n + 1)) ;;
		*) fail "$1: host: chunk $c: '$line'" ;;
		esac
		inside=0
		for e in $(grep "^$(echo "$c" | cut -c1-10)" /tmp/tlb.txt | cut -d: -f1); do
			[ $(((0x$e ^ 0x$c) >> 21)) = 0 ] && inside=$((inside + 1))
		done
		[ "$inside" = 1 ] || fail "$1: host: $inside entries inside chunk $c"
	done
	expect_eq "$1: host: chunks that are one executable read-only 2M entry" "$n" "$(stat pool_chunks)"
	# Every 2 MiB frame of amdgpu's core text is such an entry.
	for r in $(awk '$4 == "amdgpu" && $5 == "core" { print $1 }' $RP_DEBUGFS/allocations); do
		s=$((${r%-*})) e=$((${r#*-}))
		f=$((s & ~0x1fffff)) frames=0
		while [ $f -lt $e ]; do
			line=$(grep "^$(printf '%x' $f): " /tmp/tlb.txt)
			case ${line##* } in
			-?P?????-) frames=$((frames + 1)) ;;
			*) fail "$1: host: amdgpu frame $(printf '%x' $f): '$line'" ;;
			esac
			f=$((f + 0x200000))
		done
		log "$1: host: amdgpu core text $r on $frames executable 2M entries"
		expect_eq "$1: host and census agree on amdgpu's 2M translations" "$frames" "$(field amdgpu 6)"
	done
}

modules_save /tmp/base
stats_save /tmp/before
t0=$(date +%s)
load_parallel
log "loaded in parallel in $(($(date +%s) - t0)) s: $(($(nr_modules) - $(wc -l < /tmp/base))) modules"
check "amdgpu loaded" grep -q '^amdgpu ' /proc/modules
cat $RP_DEBUGFS/chunks
check_census "after loading"
host "after loading"
grep -E '^pool_(chunks|bytes|ranges)' $RP_STATS

# Use amdgpu as far as no hardware allows: its KFD topology, read through
# its own sysfs code.  The function tracer shows which amdgpu functions run;
# a kprobe on one of them fires and its stack trace symbolizes.
topology() { cat /sys/class/kfd/kfd/topology/system_properties /sys/class/kfd/kfd/topology/generation_id >/dev/null; }
check "amdgpu's KFD topology reads" topology
echo > $T/trace
echo ':mod:amdgpu' > $T/set_ftrace_filter && echo function > $T/current_tracer ||
	fail "function tracer on amdgpu"
topology
cp $T/trace /tmp/ftrace.txt
echo nop > $T/current_tracer
echo > $T/set_ftrace_filter
grep -v '^#' /tmp/ftrace.txt | head -5
# The first traced function whose name kprobe_events takes as it is.
fn=$(awk '!/^#/ { for (i = 2; i <= NF; i++) if ($i ~ /^<-/ && $(i - 1) !~ /\./) { print $(i - 1); exit } }' /tmp/ftrace.txt)
log "function tracer: $(grep -vc '^#' /tmp/ftrace.txt) amdgpu calls, first '$fn'"
check "function tracer traced pooled amdgpu code" test -n "$fn"
[ -z "$fn" ] || kprobe_fires "$fn" topology
ip link add rp-d0 type dummy && ip link add rp-v0 type veth peer name rp-v1 &&
	ip link add rp-br0 type bridge && ip link set rp-v0 master rp-br0 ||
	fail "small modules' devices"
ip link del rp-br0; ip link del rp-v0; ip link del rp-d0
check_census "after tracing and probing"

# Unload everything: the pool empties and gives its chunks back.
n2m1=$(census text_tlb_2m)
check_drained /tmp/base /tmp/before
spare() { [ "$(stat pool_chunks)" -le 1 ]; }
check "chunks given back, at most one spare" wait_for 30 spare
expect_chunks_counted "no chunk leaked"

# Reload, in parallel again.
load_parallel
cat $RP_DEBUGFS/chunks
check_census "after reloading"
host "after reloading"
log "2 MiB translations: $n2m1 the first time, $(census text_tlb_2m) now"
check_drained /tmp/base /tmp/before

# No run can be made: amdgpu falls back with the reason, nothing is left.
# (Empty chunks stay for a few seconds and would take it: wait for them
# to go, all but the spare.)
check "chunks given back, at most one spare" wait_for 30 spare
stats_save /tmp/faults
echo chunk > $F
modprobe amdgpu || fail "modprobe amdgpu with the chunk fault"
echo none > $F
expect_eq "chunk fault: amdgpu not pooled" "$(field amdgpu 4)" no
expect_ge "... counted as no_chunk" "$(stat_delta pool_fallback_no_chunk /tmp/faults)" 1
expect_eq "... W+X pages" "$(census wx_pages)" 0
check_drained /tmp/base /tmp/before
check "chunks given back, at most one spare" wait_for 30 spare
echo > $T/trace
echo 1 > $T/events/roxpool/roxpool_fallback/enable
echo run > $F
modprobe amdgpu || fail "modprobe amdgpu with the run fault"
echo none > $F
echo 0 > $T/events/roxpool/roxpool_fallback/enable
expect_eq "run fault: amdgpu not pooled" "$(field amdgpu 4)" no
expect_ge "... counted as run_broken" "$(stat_delta pool_fallback_run_broken /tmp/faults)" 1
check "... and traced: roxpool_fallback reason=run_broken" grep -q 'roxpool_fallback: reason=run_broken' $T/trace
expect_eq "... no chunk leaked" "$(stat pool_chunks_leaked)" 0
expect_eq "... every chunk one PMD leaf" "$(stat pool_chunks_split)" 0
expect_eq "... chunk aliases writable" "$(census chunk_alias_writable)" 0
check_drained /tmp/base /tmp/before

# Memory with no free 2 MiB block, nor one compaction could make.
check "chunks given back, at most one spare" wait_for 30 spare
insmod $RP_TESTS/rp_test_hog.ko keep_mb=96 fragment=1 || fail "insmod hog (fragment)"
dmesg | grep 'rp_test_hog: holding' | tail -n 1 | sed 's/^/  /'
stats_save /tmp/run
echo > $T/trace
echo 1 > $T/events/roxpool/roxpool_fallback/enable
modprobe amdgpu || fail "modprobe amdgpu"
echo 0 > $T/events/roxpool/roxpool_fallback/enable
core=$(awk '$1 == "amdgpu" { print $2 }' $CENSUS)
log "amdgpu: core text $core bytes; $(grep '^amdgpu ' $CENSUS);" \
	"chunks made $(stat_delta pool_chunks_created /tmp/run)," \
	"no_huge_page $(stat_delta pool_fallback_no_huge_page /tmp/run)"
expect_ge "amdgpu's core text is larger than a chunk" "$core" 2097153
if grep -qE '^amdgpu [0-9]+ [0-9]+ yes ' $CENSUS; then
	# Compaction found the blocks after all: then only on 2 MiB pages.
	check "amdgpu pooled on 2 MiB pages only" grep -qE '^amdgpu [0-9]+ [0-9]+ yes 0 [1-9]' $CENSUS
else
	expect_ge "amdgpu not pooled: counted as no_huge_page" \
		"$(stat_delta pool_fallback_no_huge_page /tmp/run)" 1
	check "... and traced: roxpool_fallback reason=no_huge_page" \
		grep -q 'roxpool_fallback: reason=no_huge_page' $T/trace
fi
expect_chunks_counted "no chunk of a half-made run left"
expect_chunks_mapped "... nor unknown to the pool"
expect_eq "no chunk leaked" "$(stat pool_chunks_leaked)" 0
expect_eq "every chunk one PMD leaf" "$(stat pool_chunks_split)" 0
expect_eq "chunk aliases writable" "$(census chunk_alias_writable)" 0
expect_eq "census: W+X pages" "$(census wx_pages)" 0
kernel_wx "amdgpu loaded"
# (this unloads the hog too: it came after /tmp/base)
check_drained /tmp/base /tmp/before

# A module area with two lone free 2 MiB slots, each between reserved
# space: room for chunks, none for amdgpu's run of four, nor for a run of
# the pool to grow into (with the hog's smallest reservations given back
# instead, a 4 MiB piece next to the spare chunk made room for one in 1 of
# 3 runs).  A run begun in such a slot fails at its second chunk and must
# leave nothing behind.  Its dependencies are loaded first, so that its own
# text is what asks.
check "chunks given back, at most one spare" wait_for 30 spare
modprobe amdgpu && rmmod amdgpu || fail "amdgpu's dependencies"
# amdgpu's empty run goes, all but a spare: less than 4 MiB free then.
# Its text is freed by a work item: until then the run counts as used, and
# the hog would reserve around chunks that are given back a moment later,
# making room for a run (4 of 5 runs on deb13).  And the release work counts
# a chunk gone before its vfree().
no_amdgpu_range() { ! awk '$4 == "amdgpu"' $RP_DEBUGFS/allocations | grep -q .; }
check "amdgpu's text freed" wait_for 30 no_amdgpu_range
little_free() {
	[ "$(stat pool_bytes_free)" -lt 4194304 ] && chunks_mapped
}
check "amdgpu's chunks given back" wait_for 30 little_free
echo 0 > "$RP_PARAM"
insmod $RP_TESTS/rp_test_hog.ko vspace=1 || fail "insmod hog (vspace)"
echo 1 > "$RP_PARAM"
echo 2 > /sys/module/rp_test_hog/parameters/release_slots || fail "release two slots"
dmesg | grep 'rp_test_hog: re' | tail -n 3 | sed 's/^/  /'
stats_save /tmp/space
echo > $T/trace
echo 1 > $T/events/roxpool/roxpool_fallback/enable
if modprobe amdgpu 2>/tmp/err; then
	log "amdgpu loaded the kernel's way: $(grep '^amdgpu ' $CENSUS)"
else
	log "amdgpu did not load: $(cat /tmp/err)"
fi
echo 0 > $T/events/roxpool/roxpool_fallback/enable
log "fallbacks traced: $(grep -o 'reason=[a-z_]*' $T/trace | sort | uniq -c | xargs)"
expect_ge "no room for a run: counted as no_run_space" \
	"$(stat_delta pool_fallback_no_run_space /tmp/space)" 1
check "... and traced: roxpool_fallback reason=no_run_space" \
	grep -q 'roxpool_fallback: reason=no_run_space' $T/trace
expect_chunks_counted "no chunk of a half-made run left"
expect_chunks_mapped "... nor unknown to the pool"
expect_eq "no chunk leaked" "$(stat pool_chunks_leaked)" 0
expect_eq "every chunk one PMD leaf" "$(stat pool_chunks_split)" 0
expect_eq "census: W+X pages" "$(census wx_pages)" 0
check_drained /tmp/base /tmp/before
rmmod roxpool || fail "rmmod roxpool"
finish
