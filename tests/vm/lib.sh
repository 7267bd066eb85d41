# SPDX-License-Identifier: GPL-2.0
# Helpers for roxpool's guest scripts (tests/vm/t-*.sh, scripts/guest/*.sh).
# scripts/vm-run copies this file into the guest as /rp/lib.sh; a test
# sources it, runs its steps, and exits 0 only if every check held.

RP_DEBUGFS=/sys/kernel/debug/roxpool
RP_STATS=$RP_DEBUGFS/stats
RP_PARAM=/sys/module/roxpool/parameters/enabled
RP_KO=/roxpool/roxpool.ko
RP_TRACING=/sys/kernel/tracing
rp_failures=0
# debug_pagealloc (the debug lane) maps the whole direct map with 4 KiB pages,
# so there a chunk's direct-map alias is 4K by the kernel's choice, not split.
RP_DIRECT_MAP_4K=0
grep -qw debug_pagealloc=on /proc/cmdline 2>/dev/null && RP_DIRECT_MAP_4K=1

log() { echo "[test] $*"; }

# fail MESSAGE: record a failed check (returns 1, so "|| more detail" works).
fail() {
	echo "[FAIL] $*"
	rp_failures=$((rp_failures + 1))
	return 1
}

ok() { echo "[ ok ] $*"; }

# check DESCRIPTION COMMAND...: run the command, report.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

# not COMMAND...: succeeds when the command fails (for check).
not() { ! "$@"; }

# expect_eq DESCRIPTION ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1 ($2)"; else fail "$1: got '$2', want '$3'"; fi
}

# expect_ge DESCRIPTION ACTUAL MINIMUM
expect_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then ok "$1 ($2 >= $3)"; else fail "$1: got '$2', want >= $3"; fi
}

# stat KEY: one value from roxpool's debugfs stats.
stat() {
	sed -n "s/^$1: //p" "$RP_STATS"
}

# census KEY: one total from roxpool's debugfs census.
census() {
	sed -n "s/^$1: //p" "$RP_DEBUGFS/census"
}

# expect_chunks_counted DESCRIPTION: no chunk is unaccounted for: created
# minus released equals the chunks in the pool, all three from one read of
# the statistics (the release work may run between separate reads).
expect_chunks_counted() {
	set -- "$1" $(awk -F': ' '$1 == "pool_chunks_created" { c = $2 }
		$1 == "pool_chunks_released" { r = $2 }
		$1 == "pool_chunks" { n = $2 }
		END { print c - r, n }' "$RP_STATS")
	expect_eq "$1: created - released = chunks" "$2" "$3"
}

# expect_chunks_mapped DESC: roxpool's 2 MiB vmalloc areas are the pool's
# chunks, none more.  A chunk of a run that failed half way is on no list
# and no counter: had it not been given back, only vmalloc would know it.
# Read until the two agree for a moment (the release work may give back a
# chunk between the two reads).
chunks_mapped() {
	cm_areas=$(grep -c ' \[roxpool\] pages=512 ' /proc/vmallocinfo)
	[ "$cm_areas" -eq "$(stat pool_chunks)" ]
}
expect_chunks_mapped() {
	if wait_for 10 chunks_mapped; then
		ok "$1: roxpool's 2 MiB vmalloc areas = chunks ($cm_areas)"
	else
		fail "$1: roxpool's 2 MiB vmalloc areas = chunks (got $cm_areas, want $(stat pool_chunks))"
	fi
}

# expect_pooled_2m MODULE DESC: MODULE's text is pooled on 2 MiB
# translations only, no more of them than it spans (ceil(text / 2 MiB) + 1:
# one chunk for most modules, a run under KASAN, which doubles btrfs's).
expect_pooled_2m() {
	set -- "$1" "$2" $(awk -v m="$1" '$1 == m { print $2, $4, $5, $6 }' "$RP_DEBUGFS/census")
	if [ "${4:-}" = yes ] && [ "$5" = 0 ] && [ "$6" -ge 1 ] &&
		[ "$6" -le $((($3 + 2097151) / 2097152 + 1)) ]; then
		ok "$2 ($1: $3 bytes on $6 2M)"
	else
		fail "$2 ($1: census '${3:-} ${4:-} ${5:-} ${6:-}', want pooled on 2M only)"
	fi
}

# kprobe_fires FUNCTION COMMAND...: a kprobe with a stack-trace trigger on
# the pooled FUNCTION fires while COMMAND runs (a shell function too), and
# the stack trace symbolizes through pooled code; the probe goes again.
kprobe_fires() {
	kf_fn=$1
	shift
	echo "p:rp_probe $kf_fn" > "$RP_TRACING/kprobe_events" || {
		fail "kprobe on $kf_fn"
		return 1
	}
	echo stacktrace > "$RP_TRACING/events/kprobes/rp_probe/trigger"
	echo 1 > "$RP_TRACING/events/kprobes/rp_probe/enable"
	echo > "$RP_TRACING/trace"
	"$@"
	echo 0 > "$RP_TRACING/events/kprobes/rp_probe/enable"
	check "kprobe on pooled $kf_fn fired" grep -q 'rp_probe:' "$RP_TRACING/trace"
	check "its stack trace symbolizes through pooled code" grep -q "=> $kf_fn" "$RP_TRACING/trace"
	echo '!stacktrace' > "$RP_TRACING/events/kprobes/rp_probe/trigger"
	echo '-:rp_probe' >> "$RP_TRACING/kprobe_events"
}

# stats_save FILE: keep a copy of all statistics.
stats_save() { cat "$RP_STATS" > "$1"; }

# stat_delta KEY BEFORE-FILE: how much KEY grew since the saved copy.
stat_delta() {
	before=$(sed -n "s/^$1: //p" "$2")
	echo $(($(stat "$1") - before))
}

# hooked FUNCTION: FUNCTION is redirected into roxpool by ftrace now.
hooked() {
	grep "^$1 (" "$RP_TRACING/enabled_functions" 2>/dev/null |
		grep -q 'rp_hook_redirect'
}

# any_roxpool_hook: some function is still redirected into roxpool.
any_roxpool_hook() {
	grep -q -e rp_hook_redirect -e roxpool "$RP_TRACING/enabled_functions" 2>/dev/null
}

# nr_modules: number of loaded modules.
nr_modules() { wc -l < /proc/modules; }

# modules_save FILE: remember which modules are loaded now.
modules_save() { cut -d' ' -f1 /proc/modules | sort > "$1"; }

# unload_since FILE: unload every module loaded since modules_save FILE,
# dependencies included, users before what they use.
unload_since() {
	pass=0
	while [ $pass -lt 20 ]; do
		left=0
		for m in $(cut -d' ' -f1 /proc/modules); do
			grep -qx "$m" "$1" && continue
			left=$((left + 1))
			# Only modules nothing uses any more (use count 0).
			[ "$(sed -n "s/^$m [0-9]* \([0-9]*\) .*/\1/p" /proc/modules)" = 0 ] &&
				rmmod "$m"
		done
		[ $left -eq 0 ] && return 0
		pass=$((pass + 1))
	done
	echo "modules still loaded:"
	grep -vxFf "$1" /proc/modules 2>/dev/null || grep -v -f "$1" /proc/modules
	return 1
}

# pool_empty: no pooled range is left, staged, live or being freed.
# in_chunks ADDR FILE: ADDR lies in one of the chunks of FILE, a copy of the chunks file (its
# first column: each chunk's address).
in_chunks() {
	while read -r chunk _; do
		[ $(($1 >= chunk && $1 < chunk + 2097152)) = 1 ] && return 0
	done <"$2"
	return 1
}
pool_empty() {
	[ "$(stat pool_ranges)" = 0 ] && [ "$(stat pool_bytes_allocated)" = 0 ]
}

# check_drained MODULES-FILE STATS-FILE: unload every module loaded since
# modules_save MODULES-FILE; then the pool must empty (after the free work)
# and every allocation since stats_save STATS-FILE must have been freed.
check_drained() {
	check "unload every module" unload_since "$1"
	check "pool empty" wait_for 20 pool_empty
	expect_eq "every pooled range freed" "$(stat pool_frees)" "$(stat pool_allocs)"
	expect_eq "loader frees = loader allocations" \
		"$(stat_delta free_class_loader "$2")" "$(stat_delta alloc_class_loader "$2")"
}

# wait_for SECONDS COMMAND...: poll until the command succeeds.
wait_for() {
	t=$(($1 * 10))
	shift
	while [ "$t" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

# prom_value FILE SERIES: the value of the sample SERIES (metric name and labels
# exactly as written) in a file of Prometheus metrics.
prom_value() {
	awk -v s="$2" '/^#/ { next } { v = $NF; sub(/ [^ ]*$/, "") } $0 == s { print v }' "$1"
}

# prom_parses FILE: FILE is Prometheus's text format as far as awk can tell:
# every sample is NAME{LABELS} VALUE, with HELP and TYPE lines for its name.
# (The tests also give the files to promtool, on the host.)
prom_parses() {
	awk '/^# HELP / { help[$3] = 1; next }
	/^# TYPE / { type[$3] = $4; next }
	/^#/ { next }
	{
		n++
		if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? -?[0-9][0-9.e+-]*$/) { print "bad sample: " $0; bad = 1 }
		name = $0; sub(/[{ ].*/, "", name)
		if (!(name in type) || !(name in help)) { print "no HELP or TYPE for " name; bad = 1 }
	}
	END { if (!n) print "no samples"; exit bad || !n }' "$1"
}

# churn MODULE...: load and unload the modules, one after the other, until
# /tmp/stop appears (run it in the background; the race tests race it).
churn() {
	while [ ! -e /tmp/stop ]; do
		for m in "$@"; do
			modprobe "$m" 2>/dev/null
			modprobe -r "$m" 2>/dev/null
		done
	done
}

# kernel_wx WHEN: the kernel's own W+X check, which walks every kernel page table
# (/sys/kernel/debug/check_wx_pages, CONFIG_DEBUG_WX: Debian's kernels have it), must pass.
kernel_wx() {
	[ -r /sys/kernel/debug/check_wx_pages ] ||
		{ fail "$1: no /sys/kernel/debug/check_wx_pages (CONFIG_DEBUG_WX) in $RP_KVER"; return; }
	expect_eq "$1: the kernel's W+X check (check_wx_pages)" "$(cat /sys/kernel/debug/check_wx_pages)" SUCCESS
}

# census_at_limit WHEN: every pooled module only on 2 MiB translations, no more of them than
# the pooled text needs plus one (the census's limit), no W+X page (census and the kernel's own
# check), no range staged, every chunk one PMD leaf. Sets $lim to that limit plus one.
census_at_limit() {
	local bad n2m
	bad=$(awk '!/^#/ && NF == 6 && $1 != "roxpool" && ($4 != "yes" || $5 != 0)' "$RP_DEBUGFS/census")
	if [ -n "$bad" ]; then
		fail "$1: modules not pooled or on 4 KiB translations: $bad"
	else
		ok "$1: $(census pooled_modules) modules pooled, all on 2 MiB translations"
	fi
	n2m=$(census text_tlb_2m)
	lim=$(($(census pooled_limit_2m) + 1))
	[ "$n2m" -le "$lim" ] && ok "$1: $n2m 2 MiB translations for $(census pooled_text_bytes) bytes (limit+1 $lim)" ||
		fail "$1: $n2m 2 MiB translations, more than $lim"
	expect_eq "$1: W+X pages in the module area" "$(census wx_pages)" 0
	kernel_wx "$1"
	expect_eq "$1: no range staged" "$(stat pool_staged)" 0
	expect_eq "$1: every chunk one PMD leaf" "$(stat pool_chunks_split)" 0
}

# hibernate: announce it (vm-run judges a boot that powers off after @@RP-HIBERNATE@@ as
# hibernated, see scripts/vm-run --then, --resume), then save the session to swap and power off.
# Returns in the resumed session (the next boot), or at once if hibernation failed (its status).
hibernate() {
	echo "@@RP-HIBERNATE@@" >/dev/kmsg
	echo disk >/sys/power/state
}

# suspend_mem SECONDS: suspend to RAM (S3, mem_sleep deep) and have the RTC wake the guest after
# SECONDS; returns after the wakeup, with echo's status. SECONDS must cover freezing the tasks (a
# module load in flight finishes first) and suspending the devices: an alarm that fires before
# the guest is asleep aborts the suspend (EBUSY), or never wakes it.
suspend_mem() {
	echo deep >/sys/power/mem_sleep || return 1
	echo 0 >/sys/class/rtc/rtc0/wakealarm
	echo "+$1" >/sys/class/rtc/rtc0/wakealarm || return 1
	echo mem >/sys/power/state
}

# need_module MODULE: true if this kernel has MODULE.  A flavour that lacks it
# (cloud has no GPU or some network drivers) is said so in the log and the
# test goes on without it; on the generic flavour a missing module fails.
need_module() {
	modinfo -n "$1" >/dev/null 2>&1 && return 0
	if [ "${RP_FLAVOUR:-generic}" = generic ]; then
		fail "module $1 missing from $RP_KVER"
	else
		log "module $1: not in the $RP_FLAVOUR flavour ($RP_KVER); going on without it"
	fi
	return 1
}

# finish: the test's verdict, as its exit status.
finish() {
	if [ "$rp_failures" -eq 0 ]; then
		log "all checks passed"
		exit 0
	fi
	log "$rp_failures check(s) failed"
	exit 1
}
