# SPDX-License-Identifier: GPL-2.0
# kernels: all
# flavours: generic cloud rt
# vm-args: --no-load
#
# Load and unload roxpool 50 times: every load reports, every unload removes
# every hook; options given at load time are honoured, bad ones refused.
. /rp/lib.sh

# The runner passes the mode kernels.conf expects on this kernel.
mode_want=${RP_MODE:?}
i=1
while [ $i -le 50 ]; do
	if ! insmod "$RP_KO"; then
		fail "insmod #$i"
		break
	fi
	m=$(stat mode)
	[ "$m" = "$mode_want" ] || fail "load #$i: mode '$m', want $mode_want"
	if [ "$mode_want" = hook ]; then
		hooked execmem_alloc || fail "load #$i: execmem_alloc not hooked"
	fi
	if ! rmmod roxpool; then
		fail "rmmod #$i"
		break
	fi
	if any_roxpool_hook; then
		fail "unload #$i left a hook behind"
		grep roxpool "$RP_TRACING/enabled_functions"
	fi
	[ -e /sys/module/roxpool ] && fail "unload #$i: /sys/module/roxpool remains"
	[ -e $RP_DEBUGFS ] && fail "unload #$i: debugfs dir remains"
	i=$((i + 1))
done
expect_eq "load/unload cycles" "$((i - 1))" 50
expect_eq "kernel log: loads" "$(dmesg | grep -c 'roxpool: mode ')" 50
expect_eq "kernel log: unloads" "$(dmesg | grep -c 'roxpool: unloaded')" 50

# Options at load time.
insmod "$RP_KO" enabled=0 || fail "insmod enabled=0"
expect_eq "enabled=0 at load" "$(stat enabled)" 0
rmmod roxpool
insmod "$RP_KO" enabled=off || fail "insmod enabled=off"
expect_eq "enabled=off at load" "$(stat enabled)" 0
rmmod roxpool
check "insmod enabled=maybe refused" sh -c "! insmod $RP_KO enabled=maybe 2>/dev/null"
check "nothing left after the refused load" sh -c "[ ! -e /sys/module/roxpool ]"
if any_roxpool_hook; then fail "hook left after the refused load"; else ok "no hook left after the refused load"; fi
finish
