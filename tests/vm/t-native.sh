# SPDX-License-Identifier: GPL-2.0
# kernels: native
# flavours: generic
# modules: btrfs dummy
#
# On a kernel with its own ROX cache for module text roxpool installs no
# hook, says so, reports "native", and modules load as the kernel does it.
. /rp/lib.sh

expect_eq "mode" "$(stat mode)" native
expect_eq "hooks installed" "$(stat hooks)" 0
check "kernel log says why" sh -c "dmesg | grep -q 'roxpool: mode native: kernel has its own ROX cache'"
check "no function redirected into roxpool" sh -c "! grep -q -e roxpool -e rp_hook $RP_TRACING/enabled_functions"
check "execmem_is_rox resolved" grep -qE '^execmem_is_rox +(endbr|sealed|none) +static_call$' $RP_DEBUGFS/symbols

stats_save /tmp/before
modprobe btrfs || fail "modprobe btrfs"
modprobe dummy || fail "modprobe dummy"
ip link add rp-d0 type dummy && ip link set rp-d0 up || fail "dummy device"
expect_eq "nothing counted: no hooks" "$(stat_delta alloc_total /tmp/before)" 0
# Its cache areas: 512 pages allocated by execmem_alloc itself (not _rw).
check "the kernel's own ROX cache has 2 MiB areas" sh -c "grep 'execmem_alloc+' /proc/vmallocinfo | grep -q 'pages=512 '"
# The census reports on the kernel's own cache too.
cat $RP_DEBUGFS/census
check "census lists btrfs" grep -qE '^btrfs [0-9]+ [0-9]+ no [0-9]+ [0-9]+$' $RP_DEBUGFS/census
expect_eq "census: nothing pooled by roxpool" "$(sed -n 's/^pooled_modules: //p' $RP_DEBUGFS/census)" 0
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $RP_DEBUGFS/census)" 0
expect_ge "census: the kernel's cache maps some text with 2 MiB pages" \
	"$(sed -n 's/^area_exec_2m: //p' $RP_DEBUGFS/census)" 1
ip link del rp-d0
modprobe -r dummy btrfs || fail "modprobe -r"
rmmod roxpool || fail "rmmod roxpool"
check "unloaded cleanly" sh -c "[ ! -e /sys/module/roxpool ]"
finish
