# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# variant: stuff --cpu Skylake-Client-v4 --kernel-args retbleed=stuff
#
# roxpool in hook mode on a stock 6.12: hooks in place with IPMODIFY,
# symbols resolved with their IBT state, statistics readable and read-only.
. /rp/lib.sh

expect_eq "mode" "$(stat mode)" hook
expect_eq "hooks installed" "$(stat hooks)" 3
expect_eq "enabled by default" "$(stat enabled)" 1
expect_eq "kernel reported" "$(stat kernel)" "$(uname -r)"
expect_eq "sysfs toggle reads Y" "$(cat $RP_PARAM)" Y

for f in execmem_alloc execmem_free module_enable_text_rox; do
	check "$f hooked through ftrace" hooked "$f"
done
grep -E 'execmem|text_rox' "$RP_TRACING/enabled_functions"

# Every resolved function is reached through a static call, and its IBT
# state (endbr, sealed, none) is reported.
cat $RP_DEBUGFS/symbols
for f in kallsyms_lookup_name kallsyms_lookup_size_offset execmem_alloc \
	 execmem_free module_enable_text_rox; do
	check "$f resolved, IBT state known, called by static call" \
		grep -qE "^$f +(endbr|sealed|none) +static_call$" \
		$RP_DEBUGFS/symbols
done
# The safe call path itself: the kernel patched every static call site of
# roxpool into a direct call (or jump) to its target; none is indirect.
sites=$(sed -n 's/^static_call_sites: \([0-9]*\) direct, [0-9]* unset, \([0-9]*\) other$/\1 \2/p' \
	$RP_DEBUGFS/symbols)
expect_ge "static call sites patched to direct calls" "${sites% *}" 10
expect_eq "static call sites left indirect" "${sites#* }" 0
# Debian kernels are built with X86_KERNEL_IBT: the loader's helpers are sealed.
check "execmem_alloc reported sealed" \
	grep -qE '^execmem_alloc +sealed' $RP_DEBUGFS/symbols

# Read-only debugfs (lockdown allows only that), root-only symbols.
expect_eq "stats mode" "$(ls -l $RP_STATS | cut -c1-10)" "-r--r--r--"
expect_eq "symbols mode" "$(ls -l $RP_DEBUGFS/symbols | cut -c1-10)" "-r--------"
expect_eq "toggle mode" "$(ls -l $RP_PARAM | cut -c1-10)" "-rw-r--r--"
check "stats refuses writes" sh -c "! echo 1 > $RP_STATS 2>/dev/null"
check "kernel log names the mode" sh -c "dmesg | grep -q 'roxpool: mode hook'"

cat "$RP_STATS"
finish
