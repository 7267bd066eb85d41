#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unit tests of the guest log scan (scripts/lib.sh: kmsg_scan, guest_verdict) and of the kernel's
# own early reports it knows (scripts/kernel-own-reports): exactly the report recorded in
# data/kasan-la57-identify-cpu.log (6.12.117+debug, booted without roxpool) voids a boot that ran
# nothing; any change to its shape, any other report, and that report in a boot that ran its
# script still fail. Prints "[       OK ] name" or "[  FAILED  ] name" per case, as cmocka does.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lib.sh
. "$here/../../scripts/lib.sh"
report=$here/data/kasan-la57-identify-cpu.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# check NAME GOT WANT: WANT is an ERE that GOT must match as a whole.
check() {
	if [[ $2 =~ ^$3$ ]]; then
		printf '[       OK ] test_%s\n' "$1"
	else
		printf '[  FAILED  ] test_%s\n  got:  %s\n  want: %s\n' "$1" "${2//$'\n'/ | }" "$3"
		fails=$((fails + 1))
	fi
}
# scan [SED]: the scan, with the kernel's own reports, of the report edited by SED.
scan() { sed -e "${1:-}" "$report" | kmsg_scan /dev/null "$RP_KNOWN_REPORTS" | tr '\n' '|'; }
name=6.12-kasan-la57-identify-cpu

check known_as_recorded "$(scan)" "allowed 0\|known 1 $name\|"
check known_with_rip_in_cpu_detect \
	"$(scan 's/RIP: 0010:identify_cpu+/RIP: 0010:cpu_detect+/; s/? identify_cpu+0x29f/identify_cpu+0x29f/')" \
	"allowed 0\|known 1 $name\|"
check unknown_without_the_list "$(sed -n p "$report" | kmsg_scan | tr '\n' '|')" \
	"bad \[ *0.005994\] BUG: KASAN: wild-memory-access in do_raw_spin_lock.*\|allowed 0\|known 0\|"
check known_late_in_a_slow_boot "$(scan 's/^\[    0\.005994\]/[    1.757262]/')" "allowed 0\|known 1 $name\|"
check bad_not_from_start_kernel "$(scan 's/ start_kernel+/ kernel_init+/')" "bad .*BUG: KASAN: wild.*"
check bad_other_kasan_report "$(scan 's/wild-memory-access/slab-use-after-free/')" "bad .*slab-use-after-free.*"
check bad_other_lock "$(scan 's/in do_raw_spin_lock+/in do_raw_spin_unlock+/')" "bad .*do_raw_spin_unlock.*"
check bad_read "$(scan 's/Write of size 4/Read of size 4/')" "bad .*wild-memory-access.*"
check bad_4level_address "$(scan 's/at addr ff11/at addr ffff/')" "bad .*wild-memory-access.*"
check bad_other_task "$(scan 's|by task swapper/0/0|by task modprobe/77|')" "bad .*wild-memory-access.*"
check bad_not_in_an_interrupt "$(scan '/handle_edge_irq/d')" "bad .*wild-memory-access.*"
check bad_outside_identify_cpu "$(scan 's/identify_cpu/setup_arch/g')" "bad .*wild-memory-access.*"
check bad_not_at_boot "$(scan 's/arch_cpu_finalize_init/do_init_module/g')" "bad .*wild-memory-access.*"
# The KASAN report ends at its closing line of "=": a report printed right after it is its own.
check bad_warning_after_it \
	"$(scan '/Disabling lock debugging/a [    0.006100] WARNING: CPU: 0 PID: 0 at kernel/foo.c:1 foo+0x1/0x2')" \
	"bad .*WARNING: CPU: 0 PID: 0 at kernel/foo.c:1.*\|allowed 0\|known 1 $name\|"

# guest_verdict on a guest log: the void boot's markers (scripts/guest/init) around DMESG.
# verdict TAINTED [SED]: the verdict of a boot that powered off early (TAINTED) or ran its script.
verdict() {
	local log=$tmp/console.log
	{
		echo "@@RP-BOOTED 6.12.117+debug@@"
		if [ "$1" = tainted ]; then
			echo "@@RP-BOOT-TAINTED 32@@"
		else
			printf '%s\n' "rp-init: insmod /roxpool/roxpool.ko: ok" "@@RP-STATUS 0@@" "@@RP-TAINT 12320@@"
		fi
		echo "@@RP-DMESG-BEGIN@@"
		sed -e "${2:-}" "$report"
		echo "@@RP-DMESG-END@@"
		echo "@@RP-END@@"
	} >"$log"
	guest_verdict "$log" 0 600 100
}
check verdict_void_boot "$(verdict tainted)" \
	"74 void boot: the kernel's own early report \($name\) tainted it before userspace"
check verdict_other_early_report "$(verdict tainted 's/wild-memory-access/slab-out-of-bounds/')" \
	"67 guest log, before userspace: BUG: KASAN: slab-out-of-bounds in do_raw_spin_lock.*"
check verdict_taint_without_report "$(verdict tainted '/BUG: KASAN/,/^\[ *0.005994\] =\+$/d')" \
	"68 kernel tainted before userspace: 32, with no report"
check verdict_known_report_in_a_run "$(verdict ran)" "67 guest log: BUG: KASAN: wild-memory-access in .*"

[ "$fails" = 0 ]
