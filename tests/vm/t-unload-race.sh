# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: dummy veth isofs
# vm-args: --no-load
#
# rmmod roxpool while other modules load and unload: each attempt is either
# refused (pooled text is live, or a load holds a range) or a clean unload
# after which nothing pooled is left behind.  Never half: a range handed out
# after rmmod passed its reference check would outlive the hooks, and its
# free would reach vfree().  The test build's delay_ms widens the window
# between a range's publication and its return to the loader.  Every round
# ends with everything unloaded; the log scan catches any vfree() warning.
. /rp/lib.sh

ROUNDS=${ROUNDS:-8}

modules_save /tmp/base
# roxpool is unloaded by the test itself, never by unload_since.
echo roxpool >> /tmp/base
refused=0 racing=0
r=1
while [ $r -le $ROUNDS ]; do
	insmod "$RP_KO" delay_ms=100 || fail "round $r: insmod roxpool"
	rm -f /tmp/stop
	churn dummy veth isofs &
	pid=$!
	sleep 1
	tries=0
	while grep -q '^roxpool ' /proc/modules && [ $tries -lt 100 ]; do
		if rmmod roxpool 2>/dev/null; then
			racing=$((racing + 1))
		else
			refused=$((refused + 1))
			expect_eq "round $r: refused rmmod leaves the hooks" "$(stat hooks)" 3 >/dev/null
		fi
		tries=$((tries + 1))
	done
	touch /tmp/stop
	wait $pid
	if grep -q '^roxpool ' /proc/modules; then
		log "round $r: roxpool stayed (pooled text live at every attempt)"
		unload_since /tmp/base || fail "round $r: unload everything"
		wait_for 20 pool_empty || fail "round $r: pool empty"
		rmmod roxpool || fail "round $r: rmmod roxpool with nothing pooled"
	else
		log "round $r: unloaded after $tries attempts, with loads going on"
		unload_since /tmp/base || fail "round $r: unload everything after roxpool"
	fi
	check "round $r: no hook left" not any_roxpool_hook
	r=$((r + 1))
done
log "$refused attempts refused, $racing unloads while modules loaded"
expect_ge "some attempts were refused" "$refused" 1
expect_ge "some unloads raced loads" "$racing" 1
# A plain rmmod that passed its reference check finds no range: the drain,
# which waits for pooled text, is for rmmod -f only.
check "no plain rmmod entered the forced-unload wait" \
	sh -c "! dmesg | grep -q 'forced unload: waiting'"
finish
