# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: btrfs xfs ext4 bridge dummy
#
# Memory pressure.  With every free 2 MiB block broken up (a hog holds every
# other page and one page of each block left, unmovable), a chunk needs the
# kernel to compact memory or the load falls back; with the guest a few MiB
# from running out, modules load (or fail cleanly).  Either way every text
# request is pooled or counted as a fallback, nothing is W+X, nothing leaks,
# and with the hog gone the pool drains and pools again.  (Chunk failures
# themselves are forced deterministically in t-faults; a run of chunks in
# fragmented memory is t-bigmod's.)
. /rp/lib.sh

T=$RP_TESTS
CENSUS=$RP_DEBUGFS/census
SET="btrfs xfs ext4 bridge dummy"
stats_save /tmp/before
mem() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }

# load_set: modprobe every module of SET, count those that loaded.
load_set() {
	n=0
	for m in $SET; do modprobe "$m" 2>/dev/null && n=$((n + 1)); done
	echo $n
}

# accounted SAVED: every text request since SAVED was pooled or fell back
# with a reason: between the text allocations that succeeded and those plus
# every failed allocation.
accounted() {
	served=$(stat_delta pool_allocs "$1")
	for k in $(sed -n 's/^\(pool_fallback_[a-z_]*\):.*/\1/p' "$RP_STATS"); do
		served=$((served + $(stat_delta "$k" "$1")))
	done
	text=$(stat_delta alloc_type_module_text "$1")
	expect_ge "text requests pooled or counted as fallbacks" "$served" "$text"
	expect_ge "... and no more than were made" "$((text + $(stat_delta alloc_failed "$1")))" "$served"
}
vmstat() { sed -n "s/^$1 //p" /proc/vmstat; }

log "fragmented memory: no free 2 MiB block left"
expect_eq "no chunk yet" "$(stat pool_chunks)" 0
insmod $T/rp_test_hog.ko keep_mb=96 fragment=1 || fail "insmod hog (fragment)"
modules_save /tmp/base
dmesg | grep 'rp_test_hog: holding' | tail -n 1 | sed 's/^/  /'
log "buddyinfo (free blocks by order 0-10):"
sed 's/^/  /' /proc/buddyinfo
compact0=$(vmstat compact_success)
expect_eq "modules of the set loaded" "$(load_set)" 5
log "chunks made $(stat pool_chunks) (by compaction: $(($(vmstat compact_success) - compact0)) successes)," \
	"chunk failures $(stat pool_chunk_failures), fallbacks: no_chunk $(stat pool_fallback_no_chunk)," \
	"no_memory $(stat pool_fallback_no_memory)"
accounted /tmp/before
expect_eq "pooled modules on 2 MiB pages only" \
	"$(grep -cE '^[a-z0-9_]+ [0-9]+ [0-9]+ yes [1-9][0-9]* ' $CENSUS)" 0
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "modules loaded"
check "dummy works" sh -c "ip link add rp-p0 type dummy && ip link del rp-p0"

check "unload the set" unload_since /tmp/base
rmmod rp_test_hog || fail "rmmod hog"

log "near out of memory: 24 MiB available"
stats_save /tmp/tight
insmod $T/rp_test_hog.ko keep_mb=24 || fail "insmod hog (tight)"
modules_save /tmp/base
dmesg | grep 'rp_test_hog: holding' | tail -n 1 | sed 's/^/  /'
loaded=$(load_set)
log "$loaded of 5 modules loaded; pooled $(stat_delta pool_allocs /tmp/tight) ranges;" \
	"fallbacks: no_chunk $(stat_delta pool_fallback_no_chunk /tmp/tight)," \
	"no_memory $(stat_delta pool_fallback_no_memory /tmp/tight)"
expect_ge "the small modules still load" "$loaded" 1
accounted /tmp/tight
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "modules loaded"
check "unload the set" unload_since /tmp/base
rmmod rp_test_hog || fail "rmmod hog"
check "pool empty" wait_for 20 pool_empty

log "memory back: the set pools again"
modules_save /tmp/base
expect_eq "modules of the set loaded" "$(load_set)" 5
expect_pooled_2m btrfs "btrfs pooled"
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "modules loaded"
check_drained /tmp/base /tmp/before
finish
