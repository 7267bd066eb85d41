# SPDX-License-Identifier: GPL-2.0
# kernels: native
# flavours: generic
# modules: btrfs dummy
#
# On a kernel with its own ROX cache for module text roxpool installs no
# hook, says so, reports "native", and modules load as the kernel does it.
# Each sign of the cache alone is enough (below).
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

# No single sign of the cache decides: a backport may inline or rename
# execmem_is_rox().  Each sign alone (the test build's ksym_hide hides the
# others, the Kconfig symbol included) stands roxpool down; with none left
# this 7.x kernel is off, and hooked nowhere either.
CFG=CONFIG_ARCH_HAS_EXECMEM_ROX IS=execmem_is_rox FILL=execmem_fill_trapping_insns FREE=execmem_cache_free
in_kallsyms() { grep -q " $1\$" /proc/kallsyms; }
# sign NAME HIDE WANT: load with HIDE hidden; the mode must be WANT, with no hook.
sign() {
	insmod "$RP_KO" ksym_hide="$2" || { fail "insmod ksym_hide=$2"; return; }
	expect_eq "$1 alone: mode" "$(stat mode)" "$3"
	expect_eq "$1 alone: hooks installed" "$(stat hooks)" 0
	check "$1 alone: no function redirected into roxpool" \
		sh -c "! grep -q -e roxpool -e rp_hook $RP_TRACING/enabled_functions"
	dmesg | grep 'roxpool: ' | tail -n 2 | sed 's/^/  /'
	rmmod roxpool || fail "$1 alone: rmmod roxpool"
}
sign "execmem_is_rox" "$CFG,$FILL,$FREE" native
sign "$CFG" "$IS,$FILL,$FREE" native
check "... and the log names it" sh -c "dmesg | grep -q 'ROX cache.s code ($CFG) but execmem_is_rox() was not found'"
if in_kallsyms $FILL; then
	sign "$FILL" "$CFG,$IS,$FREE" native
else
	fail "$FILL not in this kernel's kallsyms"
fi
if in_kallsyms $FREE; then
	sign "$FREE" "$CFG,$IS,$FILL" native
else
	log "$FREE is inlined in this kernel: not a sign here"
fi
sign "no sign" "$CFG,$IS,$FILL,$FREE" off
finish
