# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: dummy
#
# Loads the kernel refuses, at each stage: a vermagic mismatch and a missing
# signature (refused before any memory is allocated: the pool must not even
# see them), an unknown relocation type and a symbol CRC mismatch (refused
# after the text was pooled: the range must be freed).  The unknown-symbol
# and init failures are in t-pool-fail.  The broken modules are copies of
# the test modules made by tests/modules/mangle-ko.
. /rp/lib.sh

T=$RP_TESTS
modules_save /tmp/base
stats_save /tmp/before

# freed_since FILE: every range pooled since stats_save FILE was freed.
freed_since() { [ "$(stat_delta pool_frees "$1")" = "$(stat_delta pool_allocs "$1")" ]; }

# reject NAME KO MESSAGE POOLED: insmod KO must fail, the kernel must log
# MESSAGE, POOLED (0 or 1) says whether its text reached the pool first,
# and afterwards every range it had in the pool is freed.
reject() {
	stats_save /tmp/r
	check "$1: refused" sh -c "! insmod $T/$2 2>/tmp/err"
	sed 's/^/    /' /tmp/err
	check "$1: the kernel says why ($3)" sh -c "dmesg | grep -q '$3'"
	if [ "$4" = 1 ]; then
		expect_ge "$1: its text was pooled first" "$(stat_delta pool_allocs /tmp/r)" 1
	else
		expect_eq "$1: the pool never saw it" "$(stat_delta pool_allocs /tmp/r)" 0
	fi
	check "$1: every range it had in the pool freed" wait_for 20 freed_since /tmp/r
	expect_eq "$1: no test module left" "$(grep -c '^rp_test' /proc/modules)" "${5:-0}"
}

reject "vermagic mismatch" rp_test_badmagic.ko "version magic .* should be" 0
reject "unknown relocation" rp_test_badreloc.ko "Unknown rela relocation: 255" 1
insmod $T/rp_test_provider.ko || fail "insmod provider"
reject "symbol CRC mismatch" rp_test_badcrc.ko "disagrees about version of symbol rp_test_provided" 1 1
rmmod rp_test_provider || fail "rmmod provider"
check "the good copies still load" sh -c "insmod $T/rp_test_provider.ko && insmod $T/rp_test_consumer.ko"
check "... pooled" sh -c "[ \$(grep -cE '^rp_test_(provider|consumer) .* yes 0 1$' $RP_DEBUGFS/census) = 2 ]"
rmmod rp_test_consumer rp_test_provider || fail "rmmod the test modules"

log "signatures enforced from now on"
echo 1 > /sys/module/module/parameters/sig_enforce || fail "enforce signatures"
reject "unsigned module" rp_test_provider.ko "Loading of unsigned module is rejected" 0
check "... with EKEYREJECTED" grep -q 'Key was rejected by service' /tmp/err
check "a signed distro module still loads" modprobe dummy
check "... pooled" grep -qE '^dummy [0-9]+ [0-9]+ yes 0 1$' $RP_DEBUGFS/census
check "... and works" sh -c "ip link add rp-r0 type dummy && ip link del rp-r0"
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $RP_DEBUGFS/census)" 0
check_drained /tmp/base /tmp/before
finish
