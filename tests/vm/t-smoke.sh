# SPDX-License-Identifier: GPL-2.0
# kernels: all
# flavours: generic cloud rt
# core: yes
#
# Smoke test of the VM harness: the guest booted the kernel asked for, and
# roxpool.ko, which /init loaded, is live.
. /rp/lib.sh

expect_eq "kernel" "$(uname -r)" "$RP_UNAME"
check "/sys/module/roxpool exists" test -d /sys/module/roxpool
expect_eq "roxpool state" "$(cat /sys/module/roxpool/initstate 2>/dev/null)" live
finish
