# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: dummy veth isofs
# vm-args: --no-load
#
# roxpool loaded while other modules load and unload, over and over: the
# situation at boot, where systemd-modules-load runs beside udev's coldplug.
# A load that lands while roxpool's hooks go in must never get pooled text
# without the hooks that finish and free it (its staging pages would be made
# read-only by the kernel and later handed out by the page allocator, and a
# failed load would vfree() a whole chunk).  The test build's delay_ms widens
# the window between the hooks and the pool's opening to twice a churn cycle
# (at least 150 ms: a cycle takes seconds under KASAN and lockdep), so that
# loads land in it; they must fall back (counted as "disabled") until all
# hooks are in.  Every round ends
# with everything unloaded, the pool drained and no hook left.
. /rp/lib.sh

ROUNDS=${ROUNDS:-10}
D=/sys/module/roxpool/parameters/delay_ms

# centis: the time since boot in hundredths of a second.
centis() { awk '{ sub(/\./, "", $1); print $1 + 0 }' /proc/uptime; }

modules_save /tmp/base
t0=$(centis)
for m in dummy veth isofs; do
	{ modprobe "$m" && modprobe -r "$m"; } || fail "modprobe $m"
done
cycle=$((($(centis) - t0) * 10))
delay=$((cycle * 2))
[ "$delay" -ge 150 ] || delay=150
log "a churn cycle took $cycle ms: the install window is $delay ms"
# roxpool is unloaded by the test itself, never by unload_since.
echo roxpool >> /tmp/base
window=0 pooled=0
r=1
while [ $r -le $ROUNDS ]; do
	rm -f /tmp/stop
	churn dummy veth isofs &
	pid=$!
	sleep 0.$((r % 5))
	insmod "$RP_KO" delay_ms=$delay || fail "round $r: insmod roxpool"
	echo 0 > $D
	sleep 1
	touch /tmp/stop
	wait $pid
	unload_since /tmp/base || fail "round $r: unload everything"
	wait_for 20 pool_empty || fail "round $r: pool empty"
	w=$(stat pool_fallback_disabled)
	p=$(stat pool_allocs)
	expect_eq "round $r: hooks" "$(stat hooks)" 3
	expect_eq "round $r: every pooled range freed" "$(stat pool_frees)" "$p"
	log "round $r: $w loads during the install window, $p ranges pooled"
	window=$((window + w))
	pooled=$((pooled + p))
	rmmod roxpool || fail "round $r: rmmod roxpool"
	check "round $r: no hook left" not any_roxpool_hook
	r=$((r + 1))
done
log "$window loads landed while the hooks went in, $pooled ranges pooled after"
expect_ge "loads raced the installation" "$window" 1
expect_ge "loads pooled once it was in" "$pooled" 1
finish
