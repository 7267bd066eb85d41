# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic cloud rt
# core: yes
# modules: btrfs xfs dummy veth
#
# Fault injection (the root-only fault_inject parameter of test builds): a
# chunk whose CPA fails half way, a chunk that cannot be made, staging pages
# that cannot be had, a collapse refused.
# Every load still succeeds, the fallback is counted with its reason, and
# nothing leaks.
. /rp/lib.sh

F=/sys/module/roxpool/parameters/fault_inject
CENSUS=$RP_DEBUGFS/census
# pooled MODULE: yes or no, from the census.
pooled() { awk -v m="$1" '$1 == m { print $4 }' $CENSUS; }

expect_eq "fault_inject is root-only" "$(ls -l $F | cut -c1-10)" "-rw-------"
expect_eq "nothing armed at load" "$(cat $F)" none
modules_save /tmp/modules-before
stats_save /tmp/before

# The CPA of the first chunk fails half way: its own leaf is ROX but its
# direct-map alias stays writable (what a failed split of a 1 GiB page
# leaves).  The chunk is not used but given back; no alias stays writable.
echo cpa > $F
modprobe dummy || fail "modprobe dummy with cpa fault"
expect_eq "dummy not pooled" "$(pooled dummy)" no
expect_ge "chunk failure counted" "$(stat_delta pool_chunk_failures /tmp/before)" 1
expect_eq "no chunk exists" "$(stat pool_chunks)" 0
expect_eq "no chunk leaked" "$(stat pool_chunks_leaked)" 0
expect_eq "census: chunk aliases writable" "$(sed -n 's/^chunk_alias_writable: //p' $CENSUS)" 0
check "the CPA failure was logged" sh -c "dmesg | grep -q 'CPA -12, or its leaf or direct-map alias not read-only'"
echo none > $F
rmmod dummy || fail "rmmod dummy"

# No chunk can be made: btrfs loads from the kernel's own allocation.
echo chunk > $F
modprobe btrfs || fail "modprobe btrfs with chunk fault"
expect_eq "btrfs not pooled" "$(pooled btrfs)" no
expect_ge "fallback no_chunk counted" "$(stat_delta pool_fallback_no_chunk /tmp/before)" 1
expect_ge "chunk failure counted" "$(stat_delta pool_chunk_failures /tmp/before)" 1
expect_eq "no chunk exists" "$(stat pool_chunks)" 0
echo none > $F

# No staging memory: xfs loads unpooled.
echo staging > $F
modprobe xfs || fail "modprobe xfs with staging fault"
expect_eq "xfs not pooled" "$(pooled xfs)" no
expect_ge "fallback no_memory counted" "$(stat_delta pool_fallback_no_memory /tmp/before)" 1
echo none > $F

# Collapse refused: dummy is pooled, its chunk stays split (still ROX,
# never W+X) until the fault is disarmed.
echo collapse > $F
modprobe dummy || fail "modprobe dummy with collapse fault"
expect_eq "dummy pooled" "$(pooled dummy)" yes
expect_ge "collapse refused" "$(stat_delta pool_collapse_refused /tmp/before)" 1
expect_ge "its chunk stays split" "$(stat pool_chunks_split)" 1
expect_eq "W+X pages while split" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "modules loaded"
check "dummy works while split" sh -c "ip link add rp-d0 type dummy && ip link del rp-d0"
echo none > $F
whole() { [ "$(stat pool_chunks_split)" = 0 ]; }
check "disarming collapses the chunk" wait_for 10 whole
expect_eq "dummy on one 2M translation again" "$(awk '$1 == "dummy" { print $5, $6 }' $CENSUS)" "0 1"

# Several at once, then bad input refused with the state unchanged.
echo chunk,staging > $F || fail "arm two faults"
expect_eq "two faults armed" "$(cat $F)" "chunk,staging"
modprobe veth || fail "modprobe veth with two faults"
expect_eq "veth not pooled" "$(pooled veth)" no
for bad in bogus "chunk," "" "none,chunk" "all"; do
	echo "$bad" > $F 2>/dev/null && fail "fault_inject took '$bad'"
	expect_eq "unchanged after '$bad'" "$(cat $F)" "chunk,staging"
done
echo none > $F

# Nothing leaked.
check_drained /tmp/modules-before /tmp/before
rmmod roxpool || fail "rmmod roxpool"
finish
