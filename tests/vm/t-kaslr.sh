# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: isofs
#
# Module KASLR with pooled text: the kernel starts its module area at a
# random page offset each boot; a pooled module must be at least as hard to
# guess.  roxpool draws a random 2 MiB slot for every new chunk and leaves a
# random number of its first pages unused, so isofs (and cdrom, which it
# needs) move each time roxpool, and with it the pool, is loaded afresh
# within one boot.  Before, chunks came bottom-up and both landed at the same
# address each time.
. /rp/lib.sh

ROUNDS=${ROUNDS:-6}
CENSUS=$RP_DEBUGFS/census

modules_save /tmp/base
: > /tmp/isofs
: > /tmp/first
r=1
while [ $r -le $ROUNDS ]; do
	[ $r -eq 1 ] || insmod "$RP_KO" || fail "round $r: insmod roxpool"
	modprobe isofs || fail "round $r: modprobe isofs"
	check "round $r: isofs pooled" grep -qE '^isofs .* yes 0 1$' $CENSUS
	chunk=$(awk '{ print $1 }' $RP_DEBUGFS/chunks)
	# The first range of the chunk: the lowest address in it.
	first=$(awk '{ sub(/-.*/, "", $1); print $1 }' $RP_DEBUGFS/allocations |
		sort | head -n 1)
	log "round $r: chunk $chunk, isofs .text $(cat /sys/module/isofs/sections/.text), lowest range $first"
	cat /sys/module/isofs/sections/.text >> /tmp/isofs
	echo $((first - chunk)) >> /tmp/first
	unload_since /tmp/base || fail "round $r: unload isofs and cdrom"
	wait_for 20 pool_empty || fail "round $r: pool empty"
	rmmod roxpool || fail "round $r: rmmod roxpool"
	r=$((r + 1))
done
expect_eq "distinct addresses of isofs's text" "$(sort -u /tmp/isofs | wc -l)" "$ROUNDS"
expect_ge "distinct page offsets of the lowest range in the chunk" "$(sort -u /tmp/first | wc -l)" 2
finish
