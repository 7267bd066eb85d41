# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: virtio_blk brd xfs btrfs veth bridge isofs
# vm-args: --mem 2G --kernel-args watchdog_thresh=30 --disk swap.img:2G --resume vda --then "$RP_ROOT/tests/vm/t-sleep.sh"
#
# Sleep states with pooled text.  Pooled modules in use (xfs and btrfs on
# RAM disks with files written, a bridge and a veth pair into a network
# namespace, and virtio_blk, which writes the hibernation image) go through
# suspend to RAM (S3, woken by the RTC alarm) and hibernation (S4, to swap
# on a virtio disk; the second boot resumes the session from it), each while
# a loop loads and unloads isofs, and with a chunk split (PTE-mapped:
# the test build's collapse fault).  After each: files and network work, the
# census, the chunk report (direct-map aliases included) and the host's
# page tables of the module area are as before, nothing is W+X; then
# everything unloads, roxpool too.  Run with --no-load it is the control:
# the same sleep states without roxpool.  The session must really resume
# in the second QEMU: the host says which boot serves it (rp-host boot),
# tmpfs and the boot id survive, and the resumed kernel logs the restore.
# (watchdog_thresh=30: on the debug kernel the restoring kernel, roxpool
# not loaded, ran load_compressed_image() 25 s without rescheduling under
# TCG, over the default soft-lockup limit of 20 s; it is now 60 s.)
. /rp/lib.sh

if [ "$RP_BOOT" != 1 ]; then
	# The second boot ran its script afresh: init found no image to resume.
	fail "boot $RP_BOOT started afresh: the hibernated session was not resumed"
	dmesg | grep -E 'PM: |hibernat|resume' | tail -n 20
	finish
fi

ROX=0
[ -d /sys/module/roxpool ] && ROX=1
[ $ROX = 1 ] || log "control run: roxpool is not loaded"
echo 1 >/sys/power/pm_debug_messages

modules_save /tmp/modules-before
[ $ROX = 1 ] && stats_save /tmp/stats-before
log "loading modules"
modprobe virtio_blk && modprobe brd rd_nr=2 rd_size=327680 && modprobe xfs && modprobe btrfs &&
	modprobe veth && modprobe bridge || fail "modprobe"
wait_for 10 test -b /dev/vda || fail "no /dev/vda"

log "file systems and network"
mkdir -p /mnt/xfs /mnt/btrfs
head -c 4194304 /dev/urandom >/tmp/data
want=$(sha256sum </tmp/data)
mkfs.xfs -q -f /dev/ram0 && mount -t xfs /dev/ram0 /mnt/xfs && cp /tmp/data /mnt/xfs/data || fail "xfs"
mkfs.btrfs -q -f /dev/ram1 >/dev/null && mount -t btrfs /dev/ram1 /mnt/btrfs &&
	cp /tmp/data /mnt/btrfs/data || fail "btrfs"
sync
ip netns add rp-ns && ip link add rp-br0 type bridge && ip link add rp-v0 type veth peer name rp-v1 &&
	ip link set rp-v0 master rp-br0 && ip link set rp-v1 netns rp-ns &&
	ip addr add 10.77.0.1/24 dev rp-br0 && ip link set rp-br0 up && ip link set rp-v0 up &&
	ip -n rp-ns addr add 10.77.0.2/24 dev rp-v1 && ip -n rp-ns link set rp-v1 up || fail "network"
ping_ns() { ping -c 2 -W 2 10.77.0.2 >/dev/null 2>&1; }
check "ping through the bridge and veth into the namespace" wait_for 10 ping_ns

# use_check WHEN: the file systems read back, the network answers.
use_check() {
	echo 3 >/proc/sys/vm/drop_caches
	expect_eq "$1: xfs data read back" "$(sha256sum </mnt/xfs/data)" "$want"
	expect_eq "$1: btrfs data read back" "$(sha256sum </mnt/btrfs/data)" "$want"
	echo "$1" >/mnt/xfs/after && sync || fail "$1: write to xfs"
	check "$1: ping through the bridge and veth" wait_for 10 ping_ns
}

# snap DIR: the census, the chunk report and the executable entries of the module area
# (MODULES_VADDR..MODULES_END, as scripts/tlb-view counts them) in the
# host's view of the page tables (address, physical address, flags).
snap() {
	mkdir -p "$1"
	rp-host tlb >"$1/tlb" || fail "rp-host tlb"
	awk -F': ' '$1 >= "ffffffffc0000000" && $1 < "ffffffffff000000" { n = split($2, f, " ")
		if (f[n] ~ /^-/) print }' "$1/tlb" >"$1/tlb-exec"
	awk '$NF ~ /^-/ && $NF ~ /W$/' "$1/tlb" >"$1/tlb-wx"
	[ $ROX = 1 ] || return 0
	cat "$RP_DEBUGFS"/census >"$1/census"
	cat "$RP_DEBUGFS"/chunks >"$1/chunks"
	# Each chunk's direct-map alias (the chunk report's last column) as the host sees it: the
	# entry of its 2M page, else of its 1G page (a large entry at the 1G boundary may be the
	# first 2M page of a split 1G page: with 2 GiB of RAM, it is).
	: >"$1/alias"
	while read -r _ _ _ _ _ _ _ a; do
		a2m=$(printf '%016x' $((a & ~0x1fffff)))
		a1g=$(printf '%016x' $((a & ~0x3fffffff)))
		grep -m1 "^$a2m: " "$1/tlb" >>"$1/alias" ||
			grep -m1 "^$a1g: [0-9a-f]* ..P" "$1/tlb" >>"$1/alias" ||
			echo "$a2m: not mapped" >>"$1/alias"
	done <"$1/chunks"
}

# settled: the pool is as it was at the first snapshot (the churn's ranges freed, any chunk it
# added released again).
settled() { cmp -s /tmp/s0/chunks "$RP_DEBUGFS"/chunks; }

# compare WHEN DIR: the state in DIR is the first snapshot's.
compare() {
	expect_eq "$1: host: W+X entries" "$(wc -l <"$2/tlb-wx")" 0
	if cmp -s /tmp/s0/tlb-exec "$2/tlb-exec"; then
		ok "$1: host: the module area's $(wc -l <"$2/tlb-exec") executable entries as before"
	else
		fail "$1: host: executable entries of the module area differ"
		diff /tmp/s0/tlb-exec "$2/tlb-exec" | head -n 20
	fi
	kernel_wx "$1"
	[ $ROX = 1 ] || return 0
	if cmp -s /tmp/s0/census "$2/census"; then
		ok "$1: census as before ($(census pooled_modules) modules pooled, $(census text_tlb_2m) 2M translations)"
	else
		fail "$1: census differs"
		diff /tmp/s0/census "$2/census"
	fi
	if cmp -s /tmp/s0/chunks "$2/chunks"; then
		ok "$1: chunk report as before (aliases: $(awk '{ print $6 "/" $7 }' "$2/chunks" | sort | uniq -c | xargs))"
	else
		fail "$1: chunk report differs"
		diff /tmp/s0/chunks "$2/chunks"
	fi
	if cmp -s /tmp/s0/alias "$2/alias"; then
		ok "$1: host: the chunks' direct-map aliases as before"
	else
		fail "$1: host: the chunks' direct-map aliases differ"
		diff /tmp/s0/alias "$2/alias"
	fi
	# Flags: NX Global PSE Dirty Accessed PCD PWT User RW; an alias is a large page, not RW
	# (under debug_pagealloc a 4K page: the entry of its first page).
	alias_flags='^..P.....-$'
	[ "$RP_DIRECT_MAP_4K" = 0 ] || alias_flags='-$'
	expect_eq "$1: host: aliases that are not read-only large pages (4K: debug_pagealloc)" \
		"$(awk -v w="$alias_flags" '$NF !~ w' "$2/alias" | wc -l)" 0
	expect_eq "$1: W+X pages in the module area" "$(census wx_pages)" 0
	expect_eq "$1: chunks writable through the direct map" "$(census chunk_alias_writable)" 0
	expect_eq "$1: no range staged" "$(stat pool_staged)" 0
}

if [ $ROX = 1 ]; then
	bad=$(awk '!/^#/ && NF == 6 && $1 != "roxpool" && $4 != "yes"' "$RP_DEBUGFS"/census)
	[ -z "$bad" ] && ok "every module loaded after roxpool is pooled ($(census pooled_modules))" ||
		fail "modules not pooled: $bad"
	cat "$RP_DEBUGFS"/chunks
	# (debug_pagealloc maps the whole direct map with 4K pages)
	check "chunks: one PMD leaf, alias read-only and 2M/1G (4K: debug_pagealloc)" sh -c \
		"! awk -v small=$RP_DIRECT_MAP_4K '\$2 != \"pmd\" || \$7 != \"ro\" ||
			(\$6 != \"2M\" && \$6 != \"1G\" && !(small && \$6 == \"4K\"))' $RP_DEBUGFS/chunks | grep -q ."
fi
log "first snapshot (info tlb)"
snap /tmp/s0
[ $ROX = 0 ] || { log "host: the chunks' direct-map aliases:"; cat /tmp/s0/alias; }
compare "before sleeping" /tmp/s0

# churn_start WHEN / churn_stop WHEN: isofs loaded and unloaded in a loop across the sleep, so
# that a module is being loaded or freed when the tasks are frozen; stopped and settled afterwards.
# The test build's collapse fault keeps the chunk isofs goes into split (PTE-mapped) meanwhile:
# a chunk sleeps split, and must collapse again once the fault is disarmed.
FAULT=/sys/module/roxpool/parameters/fault_inject
split() { [ "$(stat pool_chunks_split)" -ge 1 ]; }
whole() { [ "$(stat pool_chunks_split)" = 0 ]; }
churn_start() {
	if [ $ROX = 1 ]; then
		stats_save /tmp/stats-churn
		echo collapse >$FAULT || fail "$1: arm the collapse fault"
	fi
	rm -f /tmp/stop
	churn isofs &
	churn_pid=$!
	[ $ROX = 1 ] || return 0
	check "$1: a chunk is split (collapse fault) before sleeping" wait_for 60 split
	log "$1: pool: $(stat pool_chunks) chunks, $(stat pool_chunks_split) split, $(stat pool_ranges) ranges"
}
churn_stop() {
	if [ $ROX = 1 ]; then
		check "$1: the chunk is still split" split
		expect_eq "$1: host: W+X entries with the chunk split" \
			"$(rp-host tlb | awk '$NF ~ /^-/ && $NF ~ /W$/' | wc -l)" 0
	fi
	touch /tmp/stop
	wait "$churn_pid"
	modprobe -r isofs 2>/dev/null
	[ $ROX = 1 ] || return 0
	log "$1: isofs loaded $(stat_delta text_rox_calls /tmp/stats-churn) times across the sleep"
	echo none >$FAULT
	check "$1: disarmed, the chunk collapses" wait_for 10 whole
	check "$1: the pool settles back to the first snapshot's chunks" wait_for 30 settled
}
sleep_count() { dmesg | grep -c "$1"; }

# ---- suspend to RAM ----
log "suspend to RAM (S3), the RTC alarm wakes the guest in 10 s"
s3_ok=$(cat /sys/power/suspend_stats/success)
s3_lines=$(sleep_count 'ACPI: PM: Low-level resume complete')
churn_start "S3"
check "echo mem >/sys/power/state" suspend_mem 10
churn_stop "after S3"
expect_eq "S3: suspend_stats success" "$(cat /sys/power/suspend_stats/success)" $((s3_ok + 1))
expect_eq "S3: the kernel woke from S3 (low-level resume)" \
	"$(sleep_count 'ACPI: PM: Low-level resume complete')" $((s3_lines + 1))
use_check "after S3"
snap /tmp/s3
compare "after S3" /tmp/s3

# ---- hibernation ----
log "swap on /dev/vda"
mkswap /dev/vda >/dev/null && swapon /dev/vda || fail "swap on /dev/vda"
grep vda /proc/swaps
boot_id=$(cat /proc/sys/kernel/random/boot_id)
echo "$boot_id" >/tmp/marker
expect_eq "host: this is boot" "$(rp-host boot)" 1
log "hibernating (S4) to /dev/vda; the second boot resumes"
churn_start "S4"
t0=$(date +%s)
if hibernate; then
	ok "echo disk >/sys/power/state returned in the resumed session"
else
	fail "echo disk >/sys/power/state failed"
fi
log "back after $(($(date +%s) - t0)) s (wall clock)"
churn_stop "after S4"
expect_eq "host: the session now runs in boot" "$(rp-host boot)" 2
expect_eq "tmpfs marker from before hibernation" "$(cat /tmp/marker 2>/dev/null)" "$boot_id"
expect_eq "boot id" "$(cat /proc/sys/kernel/random/boot_id)" "$boot_id"
check "the resumed kernel logged the restore" sh -c \
	"dmesg | grep -q 'PM: hibernation: Hibernation image restored successfully'"
dmesg | grep -E 'PM: (hibernation|Image|Restoring|Loading|Writing|Basic)|Low-level resume|S4' | tail -n 12
use_check "after S4"
snap /tmp/s4
compare "after S4" /tmp/s4

# ---- everything down ----
log "unloading"
swapoff /dev/vda || fail "swapoff"
umount /mnt/xfs /mnt/btrfs || fail "umount"
ip link del rp-br0
ip netns del rp-ns
ip link del rp-v0 2>/dev/null
if [ $ROX = 1 ]; then
	check_drained /tmp/modules-before /tmp/stats-before
	grep -E '^pool_' "$RP_STATS"
	rmmod roxpool || fail "rmmod roxpool with the pool empty"
	check "roxpool gone" not test -d /sys/module/roxpool
else
	check "unload every module" unload_since /tmp/modules-before
fi
finish
