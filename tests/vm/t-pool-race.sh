# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic cloud rt
# modules: btrfs xfs ext4 vfat nls_cp437 nls_ascii isofs squashfs bridge 8021q vxlan veth dummy tun bonding
#
# Concurrency: four loaders cycle distinct module groups on 2 vCPUs while a
# fifth races modprobe -r against them, the switch is toggled at random and
# the debugfs files are read all along.  Afterwards: every module unloads,
# the pool is empty, nothing leaked, the census is clean.
. /rp/lib.sh

ROUNDS=${ROUNDS:-6}
modules_save /tmp/modules-before
stats_save /tmp/before

# loader NAME MODULE...: load and unload a group ROUNDS times, count loads.
loader() {
	name=$1
	shift
	n=0
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		for m in "$@"; do modprobe "$m" 2>/dev/null && n=$((n + 1)); done
		for m in "$@"; do modprobe -r "$m" 2>/dev/null; done
		r=$((r + 1))
	done
	echo "$n" > "/tmp/loads.$name"
}

loader fs1 btrfs &
loader fs2 xfs ext4 &
loader fs3 vfat isofs squashfs &
loader net bridge 8021q vxlan veth bonding &
# A load racing an unload of the same module.
(i=0; while [ $i -lt $((ROUNDS * 4)) ]; do modprobe dummy 2>/dev/null; i=$((i + 1)); done) &
(i=0; while [ $i -lt $((ROUNDS * 4)) ]; do modprobe -r dummy 2>/dev/null; i=$((i + 1)); done) &
workers=$(jobs -p)
# The switch flips at random while all that runs, and readers read.
(
	while :; do
		echo $((RANDOM % 2)) > "$RP_PARAM"
		cat $RP_DEBUGFS/allocations > /dev/null
		# W+X is checked while ranges are staged (RW+NX) and being freed.
		cat $RP_DEBUGFS/census "$RP_STATS" > /tmp/snap
		echo "$(sed -n 's/^wx_pages: //p' /tmp/snap) $(sed -n 's/^pool_staged: //p' /tmp/snap)" >> /tmp/wx
		sleep 0.0$((RANDOM % 9))
	done
) &
toggler=$!
for p in $workers; do wait "$p"; done
kill "$toggler"
wait "$toggler" 2>/dev/null
echo 1 > "$RP_PARAM"

reads=$(wc -l < /tmp/wx)
expect_ge "census reads during the race" "$reads" 10
expect_eq "... none saw a W+X page" "$(awk '$1 != 0' /tmp/wx | wc -l)" 0
log "$(awk '$2 > 0' /tmp/wx | wc -l) of $reads census reads were taken with text staged"

loads=0
for f in /tmp/loads.*; do loads=$((loads + $(cat "$f"))); done
log "$loads loads by the group loaders, $(stat_delta text_rox_calls /tmp/before) modules formed in all"
expect_ge "loads" "$loads" $((ROUNDS * 8))
log "pooled $(stat_delta pool_allocs /tmp/before) ranges, fallbacks: disabled $(stat pool_fallback_disabled), no_chunk $(stat pool_fallback_no_chunk), no_memory $(stat pool_fallback_no_memory)"
expect_ge "some text was pooled" "$(stat_delta pool_allocs /tmp/before)" 1
expect_ge "some loads ran switched off" "$(stat pool_fallback_disabled)" 1

check_drained /tmp/modules-before /tmp/before
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $RP_DEBUGFS/census)" 0
kernel_wx "modules loaded"
expect_eq "no chunk split" "$(stat pool_chunks_split)" 0
chunks_spare() { [ "$(stat pool_chunks)" -le 1 ]; }
check "chunks given back, at most one spare" wait_for 30 chunks_spare
rmmod roxpool || fail "rmmod roxpool"
finish
