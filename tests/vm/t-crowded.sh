# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: xfs btrfs amdgpu
# vm-args: --mem 2G
#
# New chunks in a crowded module area, without making vmalloc fail.  The
# test hog reserves the whole module area and gives back its smallest
# reservations until 64 MiB are free (scattered holes, lazily freed), and
# watches vmalloc's purge notifier.  Then xfs and btrfs (a chunk) and
# amdgpu (about 7 MB of text: a run of four chunks) load.  Every 2 MiB
# request roxpool makes must succeed at once: a request vmalloc fails
# runs its overflow path first (a purge of all lazily freed areas with a
# global TLB flush, then the purge notifiers, which take GPU drivers'
# locks), and none of that may happen under text_mutex.  Probing random
# slots made vmalloc fail several times per new chunk.  The figures of
# the vmalloc trace events are printed per chunk.
. /rp/lib.sh

T=$RP_TRACING
CENSUS=$RP_DEBUGFS/census
HOG=/sys/module/rp_test_hog/parameters
field() { awk -v m="$1" -v n="$2" '$1 == m { print $n }' $CENSUS; }
# events KIND: the trace's alloc_vmap_area events of 2 MiB, 2 MiB-aligned requests (roxpool's
# chunks) that succeeded (ok) or failed (failed).
events() {
	grep 'alloc_vmap_area:' $T/trace | grep -c "size=2097152 align=2097152 .*failed=$([ "$1" = failed ] && echo 1 || echo 0)"
}

modules_save /tmp/base
stats_save /tmp/before
# The hog itself is loaded the stock way, or its text would make a chunk.
echo 0 >"$RP_PARAM"
insmod $RP_TESTS/rp_test_hog.ko vspace=1 purge_notifier=1 || fail "insmod hog"
echo 1 >"$RP_PARAM"
echo 65536 >$HOG/release_kb || fail "release 64 MiB"
dmesg | grep 'rp_test_hog: re' | sed 's/^/  /'

echo 1 >$T/events/vmalloc/alloc_vmap_area/enable &&
	echo 1 >$T/events/vmalloc/purge_vmap_area_lazy/enable || fail "vmalloc trace events"
echo >$T/trace
chunks0=$(stat pool_chunks)
for m in xfs btrfs amdgpu; do
	modprobe $m || fail "modprobe $m"
	log "$m: core text $(field $m 2) bytes, pooled $(field $m 4); pool $(stat pool_chunks) chunks"
done
echo 0 >$T/events/vmalloc/alloc_vmap_area/enable
echo 0 >$T/events/vmalloc/purge_vmap_area_lazy/enable
new=$(($(stat_delta pool_chunks_created /tmp/before)))
for m in xfs btrfs amdgpu; do
	expect_eq "$m pooled" "$(field $m 4)" yes
done
expect_ge "amdgpu is larger than three chunks (a run)" "$(field amdgpu 2)" 6291457
expect_eq "amdgpu on 2 MiB translations only" "$(field amdgpu 5)" 0
expect_ge "... four of them" "$(field amdgpu 6)" 4
expect_ge "new chunks made" "$new" 2
# The purges counted are mostly the kernel's own: CPA (set_memory_ro() of
# every module's data) purges lazily freed areas first.
log "$new new chunks: $(events ok) 2 MiB requests served, $(events failed) failed;" \
	"$(grep -c 'purge_vmap_area_lazy:' $T/trace) purges, $(cat $HOG/purge_calls) purge notifier calls"
allocs=$(stat_delta pool_allocs /tmp/before)
log "staging: $(($(stat_delta pool_stage_ns /tmp/before) / 1000)) us for $allocs ranges, chunks made included"
expect_eq "2 MiB requests that vmalloc failed" "$(events failed)" 0
expect_eq "2 MiB requests served, one per new chunk" "$(events ok)" "$new"
expect_eq "purge notifier calls with text_mutex locked" "$(cat $HOG/purge_calls_text_mutex)" 0
expect_eq "purge notifier calls" "$(cat $HOG/purge_calls)" 0
expect_eq "no chunk failure" "$(stat_delta pool_chunk_failures /tmp/before)" 0
rmmod rp_test_hog || fail "rmmod hog"
census_at_limit "crowded"

check "unload every module" unload_since /tmp/base
check "pool empty" wait_for 20 pool_empty
finish
