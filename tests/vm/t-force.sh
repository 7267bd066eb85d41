# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic cloud rt
# core: cloud rt
# modules: dummy
# vm-args: --allow-taint R
#
# rmmod -f with pooled text live (Debian builds MODULE_FORCE_UNLOAD=y): the
# forced unload must not take the hooks away from text that still needs
# them.  roxpool closes the pool and waits until the pooled modules are
# gone, naming them every 10 s; SIGKILL does not end that wait (a killed
# wait used to let the hooks go, and the next unload of a pooled module
# freed its whole chunk under its neighbours).  Meanwhile new modules load
# the stock way (and debugfs refuses to open the going module's files), and
# suspend to RAM and hibernation (to its snapshot) succeed, the wait going
# on after each.  Then it unloads for real: no hook left, no chunk left, and it loads again.
# Taint R (forced rmmod) is the kernel's own mark of rmmod -f.
. /rp/lib.sh

T=$RP_TESTS
CENSUS=$RP_DEBUGFS/census
roxpool_state() { sed -n 's/^roxpool [0-9]* [0-9-]* [^ ]* \([A-Za-z]*\) .*/\1/p' /proc/modules; }
roxpool_gone() { ! grep -q '^roxpool ' /proc/modules; }
waiting() { dmesg | grep -q 'forced unload: waiting until these modules are unloaded'; }

insmod $T/rp_test_provider.ko && insmod $T/rp_test_consumer.ko || fail "load the test modules"
check "both pooled" sh -c "[ \$(grep -cE '^rp_test_(provider|consumer) .* yes 0 1$' $CENSUS) = 2 ]"
check "plain rmmod refused while text is pooled" sh -c "! rmmod roxpool 2>/dev/null"

cp $RP_DEBUGFS/chunks /tmp/chunks
expect_ge "chunks to compare with" "$(wc -l < /tmp/chunks)" 1
log "rmmod -f roxpool, in the background"
rmmod -f roxpool > /tmp/rmmod.out 2>&1 &
rmpid=$!
check "the forced unload waits for the pooled modules" wait_for 20 waiting
dmesg | grep -A3 'forced unload: waiting' | sed 's/^/  dmesg: /'
check "... naming them" sh -c "dmesg | grep -q '  rp_test_consumer core text'"
expect_eq "roxpool is going" "$(roxpool_state)" Unloading
check "the rmmod -f is still running" kill -0 $rmpid

log "SIGKILL the rmmod -f"
kill -9 $rmpid
sleep 2
check "the rmmod -f survives SIGKILL" kill -0 $rmpid
expect_eq "roxpool is still going" "$(roxpool_state)" Unloading
for f in execmem_alloc execmem_free module_enable_text_rox; do
	check "$f still hooked" hooked $f
done
still() { dmesg | grep -q 'forced unload: still waiting for:'; }
check "it names the modules again after 10 s" wait_for 20 still

# The wait is freezable: suspend and hibernation freeze the rmmod -f and
# thaw it into the same wait.  (An idle wait alone refused to freeze: the
# freezer gave up after 20 s and the suspend failed with EBUSY.)
nstill() { dmesg | grep -c 'forced unload: still waiting for:'; }
more_still() { [ "$(nstill)" -gt "$1" ]; }
if grep -qw mem /sys/power/state; then
	log "suspend to RAM (S3) while the forced unload waits; the RTC wakes the guest"
	s3_ok=$(cat /sys/power/suspend_stats/success)
	n=$(nstill)
	check "echo mem >/sys/power/state" suspend_mem 10
	expect_eq "S3: suspend_stats success" "$(cat /sys/power/suspend_stats/success)" $((s3_ok + 1))
	check "S3: no task refused to freeze" sh -c "! dmesg | grep -q 'refusing to freeze'"
	check "S3: the rmmod -f waits on" kill -0 $rmpid
	expect_eq "S3: roxpool is still going" "$(roxpool_state)" Unloading
	check "S3: the wait names the modules again" wait_for 20 more_still "$n"
elif [ "${RP_FLAVOUR:-generic}" = generic ]; then
	fail "no suspend to RAM in /sys/power/state ($(cat /sys/power/state))"
else
	log "no suspend to RAM on the $RP_FLAVOUR flavour ($(cat /sys/power/state)); skipped"
fi
if grep -qw disk /sys/power/state && [ -w /sys/power/pm_test ]; then
	# Hibernation up to its image (pm_test core: tasks frozen, devices
	# quiesced, CPUs down, the snapshot taken), then back: no swap needed.
	log "hibernation to the snapshot (pm_test core) while the forced unload waits"
	n=$(nstill)
	echo core >/sys/power/pm_test
	check "echo disk >/sys/power/state (pm_test core)" sh -c 'echo disk >/sys/power/state'
	echo none >/sys/power/pm_test
	check "S4: no task refused to freeze" sh -c "! dmesg | grep -q 'refusing to freeze'"
	check "S4: the rmmod -f waits on" kill -0 $rmpid
	check "S4: the wait names the modules again" wait_for 20 more_still "$n"
elif [ "${RP_FLAVOUR:-generic}" = generic ]; then
	fail "no hibernation test in /sys/power ($(cat /sys/power/state))"
fi

# debugfs refuses to open a going module's files (ENXIO): judge from outside.
modprobe dummy || fail "modprobe dummy while roxpool is going"
text=$(cat /sys/module/dummy/sections/.text)
check "dummy's text ($text) is outside every chunk" not in_chunks "$text" /tmp/chunks
check "dummy works" sh -c "ip link add rp-f0 type dummy && ip link del rp-f0"

log "unload the pooled modules"
rmmod rp_test_consumer rp_test_provider || fail "rmmod the test modules"
check "the forced unload finishes" wait_for 30 roxpool_gone
wait $rmpid
log "rmmod -f exit status $? (killed: 137; $(cat /tmp/rmmod.out))"
check "... after the pooled text was freed" sh -c "dmesg | grep -q 'pooled text all freed; unloading'"
check "no hook left" not any_roxpool_hook
check "no roxpool address in the ftrace records" sh -c "! grep -q roxpool $RP_TRACING/enabled_functions"
check "the pool's chunks were given back" sh -c "! dmesg | grep -q 'left in place'"
check "the kernel is tainted R (forced unload)" sh -c "[ \$((\$(cat /proc/sys/kernel/tainted) & 8)) -ne 0 ]"

log "load roxpool again"
insmod "$RP_KO" || fail "insmod roxpool again"
expect_eq "hooks" "$(stat hooks)" 3
check "dummy, loaded while roxpool was going, is not pooled (4 KiB pages)" \
	grep -qE '^dummy [0-9]+ [0-9]+ no [1-9][0-9]* 0$' $CENSUS
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "modules loaded"
rmmod dummy || fail "rmmod dummy"
insmod $T/rp_test_provider.ko || fail "insmod provider"
check "pooled again" grep -qE '^rp_test_provider .* yes 0 1$' $CENSUS
rmmod rp_test_provider || fail "rmmod provider"
check "pool empty" wait_for 20 pool_empty
rmmod roxpool || fail "plain rmmod roxpool"
check "no hook left" not any_roxpool_hook
finish
