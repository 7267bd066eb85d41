# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: isofs dummy
#
# The tracepoints follow one module's journey through the pool: with the
# roxpool events enabled in tracefs, loading isofs shows roxpool_alloc,
# then roxpool_finalize naming isofs at the same address, for its core and
# its init text, at the addresses and sizes the allocations file lists;
# unloading it shows roxpool_free of that core range after its finalize.
# A load with the switch off shows roxpool_fallback reason=disabled.
. /rp/lib.sh

T=$RP_TRACING
ALLOC=$RP_DEBUGFS/allocations
MOD=isofs

for e in roxpool_alloc roxpool_finalize roxpool_free roxpool_fallback; do
	check "event $e in tracefs" test -r "$T/events/roxpool/$e/format"
done
echo 1 > "$T/events/roxpool/enable" || fail "enable the roxpool events"
: > "$T/trace"

modules_save /tmp/modules-before
stats_save /tmp/stats-before
modprobe $MOD || fail "modprobe $MOD"
# The core range the pool holds for the module, as "addr size".
core=$(awk -v m=$MOD '$4 == m && $5 == "core" { split($1, a, "-"); print a[1], $2 }' $ALLOC)
log "allocations: $MOD core text at ${core:-nothing}"
[ -n "$core" ] || fail "$MOD has no core range in $ALLOC"
addr=${core% *} size=${core#* }

# The events so far, one per line: "N event field=value...".
events() {
	sed -n 's/^.* \(roxpool_[a-z]*\): /\1 /p' "$T/trace" | awk '{ print NR, $0 }'
}
events > /tmp/ev-load.txt
cat /tmp/ev-load.txt
# line_of EVENT PATTERN: the first event line number of EVENT matching PATTERN.
line_of() {
	awk -v e="$1" -v p="$2" '$2 == e && $0 ~ p { print $1; exit }' /tmp/ev.txt
}
cp /tmp/ev-load.txt /tmp/ev.txt
a=$(line_of roxpool_alloc "addr=$addr size=$size ")
f=$(line_of roxpool_finalize "module=$MOD addr=$addr size=$size .* text=core")
log "core: alloc at event ${a:-none}, finalize at event ${f:-none}"
[ -n "$a" ] && [ -n "$f" ] && [ "$a" -lt "$f" ] &&
	ok "core text: roxpool_alloc then roxpool_finalize of $MOD at $addr" ||
	fail "core text: no alloc then finalize of $MOD at $addr ($size bytes)"
chunk=$(awk -v n="$f" '$1 == n { for (i = 3; i <= NF; i++) if ($i ~ /^chunk=/) print substr($i, 7) }' /tmp/ev.txt)
if [ -n "$chunk" ] && [ $((chunk % 2097152)) = 0 ] && [ $((addr - chunk)) -ge 0 ] &&
	[ $((addr - chunk)) -lt 2097152 ]; then
	ok "the range lies in chunk $chunk"
else
	fail "chunk '$chunk' does not hold $addr"
fi
# The init text: finalized, then freed once init ran.
iaddr=$(awk -v m=$MOD '$2 == "roxpool_finalize" && $0 ~ "module=" m " " && /text=init/ {
	sub("addr=", "", $4); print $4; exit }' /tmp/ev.txt)
if [ -n "$iaddr" ]; then
	wait_for 10 grep -q "roxpool_free: module=$MOD addr=$iaddr .*text=init" "$T/trace"
	events > /tmp/ev.txt
	ia=$(line_of roxpool_alloc "addr=$iaddr ")
	fi_=$(line_of roxpool_finalize "module=$MOD addr=$iaddr .*text=init")
	fr=$(line_of roxpool_free "module=$MOD addr=$iaddr .*text=init")
	[ -n "$ia" ] && [ -n "$fr" ] && [ "$ia" -lt "$fi_" ] && [ "$fi_" -lt "$fr" ] &&
		ok "init text: alloc, finalize, free at $iaddr" ||
		fail "init text at $iaddr: alloc ${ia:-none}, finalize $fi_, free ${fr:-none}"
else
	fail "no roxpool_finalize of $MOD's init text"
fi
check "no fallback while enabled" sh -c "! grep -q roxpool_fallback $T/trace"

rmmod $MOD || fail "rmmod $MOD"
no_range_of() { ! awk '{ print $4 }' $ALLOC | grep -qx "$1"; }
check "no range of $MOD left after rmmod" wait_for 20 no_range_of $MOD
events > /tmp/ev.txt
cat /tmp/ev.txt
fr=$(line_of roxpool_free "module=$MOD addr=$addr size=$size .*text=core")
[ -n "$fr" ] && [ "$fr" -gt "$f" ] && ok "core text: roxpool_free of $MOD at $addr after its finalize" ||
	fail "core text: no roxpool_free of $MOD at $addr after event $f"
expect_eq "one free event per pooled range freed" \
	"$(grep -c 'roxpool_free:' "$T/trace")" "$(stat_delta pool_frees /tmp/stats-before)"
expect_eq "one alloc event per pooled range" \
	"$(grep -c 'roxpool_alloc:' "$T/trace")" "$(stat_delta pool_allocs /tmp/stats-before)"

echo 0 > "$RP_PARAM"
: > "$T/trace"
modprobe dummy || fail "modprobe dummy"
check "switched off: roxpool_fallback reason=disabled" grep -q 'roxpool_fallback: reason=disabled' "$T/trace"
check "switched off: no roxpool_alloc" sh -c "! grep -q roxpool_alloc: $T/trace"
echo 1 > "$RP_PARAM"
echo 0 > "$T/events/roxpool/enable"
check_drained /tmp/modules-before /tmp/stats-before
finish
