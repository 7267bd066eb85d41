# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: dummy
# vm-args: --allow-taint K
#
# Livepatch, kprobes and the function tracer on pooled code while its module
# unloads and loads again.  A livepatch (itself pooled) redirects the pooled
# provider's function; the provider is unloaded and reloaded under the patch
# (klp reverts and re-applies it, writing ftrace calls into pooled text);
# a kprobe and a function-tracer filter on the same function stay active
# while the provider goes.  No crash, nothing W+X, nothing leaked.  Taint K
# is the kernel's mark of a livepatch.
. /rp/lib.sh

T=$RP_TESTS
TR=$RP_TRACING
LP=/sys/kernel/livepatch/rp_test_livepatch
CENSUS=$RP_DEBUGFS/census
modules_save /tmp/base
stats_save /tmp/before

# consumer_says: what rp_test_provided(41) returns now, through the consumer.
consumer_says() {
	dmesg -c > /dev/null
	insmod $T/rp_test_consumer.ko || return 1
	rmmod rp_test_consumer
	dmesg | sed -n 's/.*rp_test_consumer: \([0-9]*\)$/\1/p' | tail -n 1
}
settled() { [ "$(cat $LP/transition 2>/dev/null)" = 0 ]; }
census_ok() {
	expect_eq "$1: census W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
	kernel_wx "$1"
}

insmod $T/rp_test_provider.ko || fail "insmod provider"
expect_eq "unpatched" "$(consumer_says)" 42
insmod $T/rp_test_livepatch.ko || fail "insmod livepatch"
check "the patch settles" wait_for 60 settled
check "provider and livepatch pooled" sh -c \
	"[ \$(grep -cE '^rp_test_(provider|livepatch) .* yes 0 1$' $CENSUS) = 2 ]"
expect_eq "patched" "$(consumer_says)" 141
census_ok "patched"

log "the provider goes and comes back under the patch"
rmmod rp_test_provider || fail "rmmod provider under the patch"
insmod $T/rp_test_provider.ko || fail "insmod provider under the patch"
check "pooled again" grep -qE '^rp_test_provider .* yes 0 1$' $CENSUS
expect_eq "patched on arrival" "$(consumer_says)" 141
census_ok "reloaded"

log "a kprobe and the function tracer on it as well"
echo 'p:rp_lp_probe rp_test_provider:rp_test_provided' >> $TR/kprobe_events || fail "kprobe event"
echo 1 > $TR/events/kprobes/rp_lp_probe/enable || fail "enable kprobe"
echo rp_test_provided > $TR/set_ftrace_filter || fail "ftrace filter"
echo function > $TR/current_tracer || fail "function tracer"
expect_eq "still patched" "$(consumer_says)" 141
check "the kprobe fired" grep -q rp_lp_probe $TR/trace
check "the function tracer saw it" grep -q 'rp_test_provided' $TR/trace
rmmod rp_test_provider || fail "rmmod provider with patch, kprobe and tracer on it"
check "the kprobe event outlives the module (disarmed)" sh -c "grep -q 'rp_lp_probe' $TR/kprobe_events"
insmod $T/rp_test_provider.ko || fail "insmod provider again"
expect_eq "patched after all that" "$(consumer_says)" 141
echo nop > $TR/current_tracer
echo > $TR/set_ftrace_filter
echo 0 > $TR/events/kprobes/rp_lp_probe/enable
echo '-:rp_lp_probe' >> $TR/kprobe_events || fail "remove kprobe event"
census_ok "traced"

log "the patch goes"
echo 0 > $LP/enabled || fail "disable the patch"
gone() { [ ! -d $LP ]; }
check "the patch is removed" wait_for 60 gone
expect_eq "unpatched again" "$(consumer_says)" 42
rmmod rp_test_livepatch || fail "rmmod livepatch"
rmmod rp_test_provider || fail "rmmod provider"
check_drained /tmp/base /tmp/before
census_ok "drained"
finish
