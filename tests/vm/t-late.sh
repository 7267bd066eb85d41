# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: btrfs dummy
# vm-args: --no-load
#
# roxpool loaded after other modules, and loaded twice: the modules that
# came first keep their text where it is, are reported as not pooled, and
# unload cleanly; a second load is refused and changes nothing.
. /rp/lib.sh

CENSUS=$RP_DEBUGFS/census
modprobe dummy || fail "modprobe dummy before roxpool"
insmod "$RP_KO" || fail "insmod roxpool"
check "a second insmod is refused" sh -c "! insmod $RP_KO 2>/tmp/err"
check "... as already loaded" grep -q 'File exists' /tmp/err
expect_eq "hooks after the refused load" "$(stat hooks)" 3
expect_eq "one roxpool" "$(grep -c '^roxpool ' /proc/modules)" 1

check "dummy, loaded first, reported not pooled on 4 KiB pages" \
	grep -qE '^dummy [0-9]+ [0-9]+ no [1-9][0-9]* 0$' $CENSUS
check "dummy still works" sh -c "ip link add rp-d0 type dummy && ip link del rp-d0"
stats_save /tmp/before
modules_save /tmp/base
modprobe btrfs || fail "modprobe btrfs"
expect_pooled_2m btrfs "btrfs, loaded after, pooled"
rmmod dummy || fail "rmmod dummy"
expect_ge "its text freed as untracked, by the kernel" "$(stat_delta free_untracked /tmp/before)" 1
check "unload btrfs and its dependencies" unload_since /tmp/base
check "pool empty" wait_for 20 pool_empty
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "modules loaded"
rmmod roxpool || fail "rmmod roxpool"
finish
