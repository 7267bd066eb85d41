# SPDX-License-Identifier: GPL-2.0
# kernels: all
# flavours: generic
# modules: dummy
# vm-args: --no-load
#
# Kernel symbols that some kernels lack.  The test build's ksym_hide makes
# roxpool not find them, as on a kernel without CONFIG_KALLSYMS_ALL (data
# symbols), or one whose module loader calls execmem_alloc from a function
# roxpool does not know.  roxpool must then stand down (mode off, a reason
# that says why), still report, and unload without touching what it did
# not find: before, every unload took text_mutex, found or not.
# Last, the decision on a 6.12 release the matrix does not hold (the test
# build's release= makes the policy see one): roxpool pools, says "untested
# point release" in its reason and warns once in the kernel log; a failed
# runtime check still turns it off there, without the warning.
. /rp/lib.sh

MODE=$1
CENSUS=$RP_DEBUGFS/census
reason() { stat reason; }
mode_when_hidden=off
[ "$MODE" = native ] && mode_when_hidden=native

modules_save /tmp/base
log "text_mutex and init_mm hidden"
insmod "$RP_KO" ksym_hide=text_mutex,init_mm,pgd_lock || fail "insmod with symbols hidden"
expect_eq "mode" "$(stat mode)" "$mode_when_hidden"
expect_eq "hooks" "$(stat hooks)" 0
if [ "$MODE" = hook ]; then
	check "the reason names KALLSYMS_ALL ($(reason))" grep -q 'reason: .*KALLSYMS_ALL' $RP_STATS
	check "the log names the symbol" \
		sh -c "dmesg | grep -qE 'cannot find kernel symbol (init_mm|text_mutex|pgd_lock): not pooling'"
fi
check "stats readable" grep -q '^mode: ' $RP_STATS
check "census says what it lacks" grep -q 'census unavailable' $CENSUS
modprobe dummy || fail "modprobe dummy"
check "dummy works" sh -c "ip link add rp-k0 type dummy && ip link del rp-k0"
rmmod dummy || fail "rmmod dummy"
rmmod roxpool || fail "rmmod roxpool with symbols hidden"
check "no hook left" not any_roxpool_hook

if [ "$MODE" = hook ]; then
	log "the loader's functions hidden"
	insmod "$RP_KO" ksym_hide=load_module,move_module,module_memory_alloc ||
		fail "insmod with the loader hidden"
	expect_eq "mode" "$(stat mode)" off
	check "the reason names the loader ($(reason))" grep -q "reason: module loader" $RP_STATS
	rmmod roxpool || fail "rmmod roxpool"

	for rel in 6.12.999+deb12-amd64 6.12.0-55.24.1.el10_0.x86_64; do
		log "an untested release: $rel"
		dmesg -c >/dev/null
		insmod "$RP_KO" release="$rel" || fail "insmod with release=$rel"
		expect_eq "mode" "$(stat mode)" hook
		check "the reason says untested ($(reason))" \
			grep -q 'reason: .*; untested point release$' $RP_STATS
		check "one warning in the log" \
			sh -c "[ \$(dmesg | grep -c 'roxpool: kernel $rel was not tested with roxpool .*enabled=0') -eq 1 ]"
		modprobe dummy || fail "modprobe dummy"
		expect_pooled_2m dummy "dummy pooled on $rel"
		rmmod dummy || fail "rmmod dummy"
		rmmod roxpool || fail "rmmod roxpool"
	done
	log "an untested release whose loader is not found"
	dmesg -c >/dev/null
	insmod "$RP_KO" release=6.12.999+deb12-amd64 ksym_hide=load_module,move_module,module_memory_alloc ||
		fail "insmod with release= and the loader hidden"
	expect_eq "mode" "$(stat mode)" off
	check "no warning then" not sh -c "dmesg | grep -q 'was not tested'"
	rmmod roxpool || fail "rmmod roxpool"

	log "nothing hidden"
	dmesg -c >/dev/null
	insmod "$RP_KO" || fail "insmod roxpool"
	expect_eq "mode" "$(stat mode)" hook
	# The matrix's pinned kernels are tested; a newest point it resolved is not, until pinned.
	if grep -q 'reason: .*untested point release' $RP_STATS; then
		check "untested ($(reason)): warned" sh -c "dmesg | grep -q 'was not tested with roxpool'"
	else
		check "tested ($(reason)): no warning" not sh -c "dmesg | grep -q 'was not tested'"
	fi
	check "the loader's call was found" \
		sh -c "dmesg | grep -qE 'the module loader calls execmem_alloc from [a-z_]+\+0x[0-9a-f]+'"
	dmesg | grep 'module loader calls' | sed 's/^/  dmesg: /'
	rmmod roxpool || fail "rmmod roxpool"
fi
unload_since /tmp/base || fail "unload"
finish
