# SPDX-License-Identifier: GPL-2.0
# kernels: all
# flavours: generic
#
# The host's view of the guest's page tables (QEMU monitor "info tlb",
# fetched with "rp-host tlb"): roxpool's own text is mapped executable and
# read-only, in 4K pages or inside a 2M page.
. /rp/lib.sh

# The start of roxpool's core text, as /proc/modules gives it.
text=$(awk '$1 == "roxpool" { print $6 }' /proc/modules)
# Page addresses as "info tlb" prints them: 16 hex digits, no 0x.
va=$(printf '%016s' "${text#0x}" | tr ' ' 0)
page4k=${va%???}000
page2m=${va%?????}00000
rp-host tlb >/tmp/tlb.txt || fail "rp-host tlb"
expect_ge "lines of info tlb" "$(wc -l </tmp/tlb.txt)" 1000
# Under KASAN the host walks a saved moment itself (scripts/pt-walk); where
# QEMU's walk ends, the two must print the same, entry for entry.
if head -n 1 /tmp/tlb.txt | grep -q '^# pt-walk'; then
	log "$(head -n 1 /tmp/tlb.txt)"
elif rp-host tlb-check >/tmp/tlb-check.txt; then
	ok "the host's page-table walker agrees with info tlb: $(cat /tmp/tlb-check.txt)"
else
	sed 's/^/  /' /tmp/tlb-check.txt
	fail "the host's page-table walker differs from info tlb"
fi
# Flags: NX Global PSE Dirty Accessed PCD PWT User RW ('-' when clear).
line=$(grep -m1 -e "^$page4k: " -e "^$page2m: [0-9a-f]* ..P" /tmp/tlb.txt)
log "roxpool .text at $text: ${line:-not mapped}"
flags=${line##* }
expect_eq "roxpool text executable (no NX)" "${flags%????????}" -
expect_eq "roxpool text read-only (no RW)" "${flags#????????}" -
finish
