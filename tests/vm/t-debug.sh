# SPDX-License-Identifier: GPL-2.0
# kernels: 6.12.117+debug 6.12.117+kcfi
# flavours: generic
# modules: xfs brd dummy veth
#
# The debug lane's checkers are really on, so that a clean run of the VM
# suite on these kernels means something (make check-debug): lockdep,
# KASAN, KFENCE, kmemleak, debug_pagealloc, page_table_check and the W+X
# check on +debug; kCFI with IBT on +kcfi, roxpool itself built with it.
# Then pooled modules are loaded, used and unloaded with every checker
# watching, and lockdep must still be on at the end (it turns itself off
# after its first report).
. /rp/lib.sh

CENSUS=/sys/kernel/debug/roxpool/census
DBG=/sys/kernel/debug
case $RP_KVER in
*+debug)
	check "lockdep on" grep -q '^ *debug_locks: *1' /proc/lockdep_stats
	check "KASAN initialized" sh -c "dmesg | grep -q 'KernelAddressSanitizer initialized'"
	check "KFENCE on" grep -q '^enabled: 1' $DBG/kfence/stats
	check "kmemleak on" test -w $DBG/kmemleak
	check "debug_pagealloc on" grep -qw debug_pagealloc=on /proc/cmdline
	check "page_table_check built in" sh -c "grep -q ' page_table_check_set$' /proc/kallsyms || grep -q ' __page_table_check' /proc/kallsyms"
	check "the kernel's W+X check present" test -r $DBG/check_wx_pages
	;;
*+kcfi)
	# kCFI puts a __cfi_ preamble symbol before every address-taken function.
	check "kernel built with kCFI" grep -q ' __cfi_' /proc/kallsyms
	# (a module's symbols end in a tab and "[name]")
	check "roxpool built with kCFI" sh -c "grep '[[:space:]]\[roxpool\]\$' /proc/kallsyms | grep -q ' __cfi_'"
	# No TCG CPU model has IBT, so the kernel picks plain kCFI over FineIBT:
	# the IBT build (ENDBR, sealing, the boot-time rewrite of every module's
	# call sites in apply_fineibt()) runs, the ENDBR check does not.
	check "kernel built with IBT" grep -q ' ibt_selftest_noendbr$' /proc/kallsyms
	check "kCFI in use (not off, not FineIBT)" sh -c "dmesg | grep -q 'Using kCFI'"
	check "the kernel's W+X check present" test -r $DBG/check_wx_pages
	;;
*) fail "not a debug-lane kernel: $RP_KVER" ;;
esac

modules_save /tmp/base
stats_save /tmp/stats0
modprobe xfs || fail "modprobe xfs"
modprobe veth || fail "modprobe veth"
modprobe dummy || fail "modprobe dummy"
# KASAN's inline checks double module text: xfs may be too large for a chunk.
cat $CENSUS
check "veth and dummy pooled" sh -c "awk '(\$1 == \"veth\" || \$1 == \"dummy\") && \$4 == \"yes\"' $CENSUS | wc -l | grep -qx 2"
case $RP_KVER in
*+debug)
	check "kmemleak still on after pooled loads" sh -c "! dmesg | grep -q 'Kernel memory leak detector disabled'" ;;
*+kcfi)
	# The stack calls veth's net_device_ops through pointers: each call
	# checks the type hash in the preamble that was copied into the pool.
	check "pooled veth's text carries kCFI preambles" sh -c "grep '[[:space:]]\[veth\]\$' /proc/kallsyms | grep -q ' __cfi_veth_'" ;;
esac
check "veth pair works" sh -c "ip link add rp-a type veth peer name rp-b && ip link set rp-a up && ip link set rp-b up && ip link del rp-a"
modprobe brd rd_nr=1 rd_size=327680 || fail "modprobe brd"
mkdir -p /mnt/x
check "xfs on a ram disk works" sh -c "mkfs.xfs -q -f /dev/ram0 && mount -t xfs /dev/ram0 /mnt/x && echo hi > /mnt/x/f && grep -q hi /mnt/x/f && umount /mnt/x"
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "pooled modules loaded"
check_drained /tmp/base /tmp/stats0
[ -r /proc/lockdep_stats ] && check "lockdep still on" grep -q '^ *debug_locks: *1' /proc/lockdep_stats
finish
