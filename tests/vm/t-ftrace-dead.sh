# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: dummy
#
# ftrace dies under roxpool's hooks: ftrace_bug() (a call site that could
# not be patched) calls ftrace_kill(), after which no ftrace_ops can be
# unregistered, so the call sites keep leading to roxpool's ops and
# wrappers.  The test hog calls ftrace_kill() itself.  A plain rmmod of
# roxpool must then never free it: its exit says why and waits for ever,
# and the kernel goes on loading, using and unloading modules through the
# hooks that are left (the stock way, the pool being closed).  An unload
# that returned would leave every later module load to run freed code.
. /rp/lib.sh

T=$RP_TESTS
roxpool_state() { sed -n 's/^roxpool [0-9]* [0-9-]* [^ ]* \([A-Za-z]*\) .*/\1/p' /proc/modules; }
stuck() { dmesg | grep -q 'roxpool: hooks cannot be removed (ftrace is disabled)'; }

for f in execmem_alloc execmem_free module_enable_text_rox; do
	check "$f hooked" hooked $f
done
cp "$RP_DEBUGFS"/chunks /tmp/chunks
insmod $T/rp_test_hog.ko kill_ftrace=1 || fail "insmod rp_test_hog kill_ftrace=1"
check "the hog called ftrace_kill()" sh -c "dmesg | grep -q 'rp_test_hog: calling ftrace_kill()'"
# A dead ftrace answers kernel.ftrace_enabled with ENODEV.
check "ftrace is off for good (kernel.ftrace_enabled: ENODEV)" \
	not sh -c 'cat /proc/sys/kernel/ftrace_enabled 2>/dev/null'
rmmod rp_test_hog || fail "rmmod rp_test_hog"
check "pool empty" wait_for 20 pool_empty

log "rmmod roxpool, in the background"
rmmod roxpool >/tmp/rmmod.out 2>&1 &
rmpid=$!
check "roxpool's exit says its hooks cannot be removed" wait_for 20 stuck
dmesg | grep 'roxpool: ' | tail -n 5 | sed 's/^/  dmesg: /'
check "... naming each hook" sh -c "[ \$(dmesg | grep -c 'roxpool: cannot unhook') = 3 ]"
sleep 2
check "the rmmod waits on" kill -0 $rmpid
expect_eq "roxpool stays, going" "$(roxpool_state)" Unloading

# Every module load and unload now goes through roxpool's wrappers.
for i in 1 2 3; do
	modprobe dummy || fail "modprobe dummy ($i)"
	text=$(cat /sys/module/dummy/sections/.text)
	check "dummy's text ($text) is the kernel's, outside every chunk ($i)" \
		not in_chunks "$text" /tmp/chunks
	check "dummy works ($i)" sh -c "ip link add rp-d0 type dummy && ip link del rp-d0"
	rmmod dummy || fail "rmmod dummy ($i)"
done
check "the rmmod still waits" kill -0 $rmpid
finish
