# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# variant: EPYC-Rome --cpu EPYC-Rome --allow-warning 'Speculative Return Stack Overflow: WARNING: See'
#
# Loads that fail after the module's text was allocated from the pool
# leave nothing behind: an unresolved symbol (fails while the text is
# staged) and an init function that fails (after the text went live).
. /rp/lib.sh

T=/roxpool/tests
stats_save /tmp/before

check "consumer without its provider fails to load" \
	sh -c "! insmod $T/rp_test_consumer.ko 2>/tmp/err"
check "... with an unknown symbol" sh -c "dmesg | grep -q 'rp_test_consumer: Unknown symbol rp_test_provided'"
check "its staged text went back to the pool" wait_for 10 pool_empty
expect_ge "pool served its text" "$(stat_delta pool_allocs /tmp/before)" 1
expect_eq "it was never finalized" "$(stat_delta pool_finalized /tmp/before)" 0

stats_save /tmp/mid
check "init failure is reported" sh -c "! insmod $T/rp_test_initfail.ko 2>/dev/null"
check "... after init ran" sh -c "dmesg | grep -q 'rp_test_initfail: running init (42), then failing'"
check "its live text went back to the pool" wait_for 10 pool_empty
expect_ge "its text was finalized first" "$(stat_delta pool_finalized /tmp/mid)" 1
expect_eq "every pooled range freed" "$(stat pool_frees)" "$(stat pool_allocs)"
expect_eq "no module left" "$(grep -c rp_test /proc/modules)" 0

# The pool still works: load the pair properly.
insmod $T/rp_test_provider.ko && insmod $T/rp_test_consumer.ko ||
	fail "provider and consumer load"
check "consumer ran" sh -c "dmesg | grep -q 'rp_test_consumer: 42'"
grep -E ' (yes|no) ' $RP_DEBUGFS/census | grep rp_test
check "both pooled" sh -c "[ \$(grep -cE '^rp_test_(provider|consumer) .* yes 0 1$' $RP_DEBUGFS/census) = 2 ]"
rmmod rp_test_consumer rp_test_provider || fail "rmmod"
check "pool empty at the end" wait_for 10 pool_empty
expect_eq "census: no W+X page" "$(sed -n 's/^wx_pages: //p' $RP_DEBUGFS/census)" 0
check "kernel log has no pool error" sh -c "! dmesg | grep -qi 'roxpool:.*\(not a range\|left in place\|not pooling\)'"
rmmod roxpool || fail "rmmod roxpool with the pool empty"
finish
