# SPDX-License-Identifier: GPL-2.0
# kernels: all
# flavours: generic
# modules: btrfs xfs dummy
# vm-args: --host-hook "$RP_ROOT/tests/vm/metrics-host"
#
# roxpool-stat --json and --prometheus, checked by real parsers on the host
# (tests/vm/metrics-host: jq, and promtool from Debian's prometheus
# package): a snapshot of the debugfs files before and after loading real
# modules, each turned into both formats, which must hold exactly the
# snapshot's values; the counters rise and the modules appear as rows; the
# live output, --output written atomically, and the errors without roxpool.
. /rp/lib.sh
dbg=$RP_DEBUGFS

# snap NAME: save the debugfs files in /tmp/NAME, make both formats from that
# copy, send everything to the host and have it check the outputs.
snap() {
	log "snapshot $1: debugfs files, --json and --prometheus"
	mkdir -p "/tmp/$1"
	for f in stats census chunks; do
		cat "$dbg/$f" >"/tmp/$1/$f" || fail "read $dbg/$f"
	done
	/rp/roxpool-stat --dir "/tmp/$1" --json >"/tmp/$1.json" || fail "roxpool-stat --json ($1)"
	/rp/roxpool-stat --dir "/tmp/$1" --prometheus >"/tmp/$1.prom" || fail "roxpool-stat --prometheus ($1)"
	for f in stats census chunks; do rp-host put "$1.$f" <"/tmp/$1/$f" >/dev/null; done
	rp-host put "$1.json" <"/tmp/$1.json" >/dev/null
	rp-host put "$1.prom" <"/tmp/$1.prom" >/dev/null
	check "$1: JSON parses (jq), equals the debugfs files" rp-host json "$1"
	check "$1: promtool check metrics, samples equal the debugfs files" rp-host prometheus "$1"
}
# get NAME FILTER: a value of NAME.json, read by jq on the host.
get() { rp-host get "$@"; }
# prom NAME SERIES: the value of a sample in /tmp/NAME.prom.
prom() { prom_value "/tmp/$1.prom" "$2"; }

modules_save /tmp/mods
stats_save /tmp/stats0
snap before
modprobe btrfs && modprobe xfs && modprobe dummy || fail "modprobe"
snap after

expect_eq "schema_version" "$(get after .schema_version)" 1
expect_eq "mode" "$(get after .mode)" "$RP_MODE"
expect_eq "kernel" "$(get after .kernel)" "$(uname -r)"
expect_eq "btrfs: no row before" "$(get before 'any(.modules[];.name=="btrfs")')" false
expect_ge "census: modules rose by 3 or more" "$(get after .census.modules)" \
	$(($(get before .census.modules) + 3))
expect_eq "census: W+X pages" "$(get after .census.wx_pages)" 0
expect_eq "Prometheus: W+X pages" "$(prom after roxpool_census_wx_pages)" 0
if [ "$RP_MODE" = hook ]; then
	before=$(get before .stats.pool_allocs)
	expect_ge "pool_allocs rose by 3 or more" "$(get after .stats.pool_allocs)" $((before + 3))
	expect_eq "Prometheus: roxpool_pool_allocs_total as in stats" \
		"$(prom after roxpool_pool_allocs_total)" "$(sed -n 's/^pool_allocs: //p' /tmp/after/stats)"
	expect_ge "text_rox_calls rose by 3 or more" "$(get after .stats.text_rox_calls)" \
		$(($(get before .stats.text_rox_calls) + 3))
	expect_ge "census: pooled modules rose by 3 or more" "$(get after .census.pooled_modules)" \
		$(($(get before .census.pooled_modules) + 3))
	for m in btrfs xfs dummy; do
		expect_eq "$m: pooled row" "$(get after ".modules[]|select(.name==\"$m\")|.pooled")" true
		expect_eq "Prometheus: $m pooled" "$(prom after "roxpool_module_pooled{module=\"$m\"}")" 1
	done
	# (one chunk on stock kernels; under KASAN btrfs's text needs a run)
	want=$(awk '$1 == "btrfs" { print $6 "/" $5 }' "$RP_DEBUGFS/census")
	expect_eq "btrfs's 2M/4K translations as in the census" \
		"$(get after '.modules[]|select(.name=="btrfs")|"\(.tlb_2m)/\(.tlb_4k)"')" "$want"
	case $want in [1-9]*/0) ok "btrfs on 2M translations only ($want)" ;;
	*) fail "btrfs on 2M translations only ($want)" ;; esac
	expect_ge "chunks" "$(get after '.chunks|length')" 1
	expect_eq "one chunk row per chunk" "$(get after '.chunks|length')" "$(get after .stats.pool_chunks)"
	expect_eq "chunk aliases read-only" "$(get after '.chunks|map(select(.alias_prot!="ro"))|length')" 0
	[ "$RP_DIRECT_MAP_4K" = 1 ] ||
		expect_eq "chunk aliases not split to 4K" "$(get after '.chunks|map(select(.alias_page=="4K"))|length')" 0
	expect_ge "chunk 0 used bytes" "$(get after '.chunks[0].used_bytes')" 4096
else
	expect_eq "no hook" "$(get after .stats.hooks)" 0
	expect_eq "btrfs: a row, not pooled" "$(get after '.modules[]|select(.name=="btrfs")|.pooled')" false
	expect_eq "Prometheus: btrfs not pooled" "$(prom after 'roxpool_module_pooled{module="btrfs"}')" 0
	expect_eq "no chunk rows" "$(get after '.chunks|length')" 0
	expect_eq "pool_allocs" "$(prom after roxpool_pool_allocs_total)" 0
fi

log "live: --prometheus --output, --json"
mkdir -p /tmp/textfile
/rp/roxpool-stat --prometheus --output /tmp/textfile/roxpool.prom || fail "--prometheus --output"
expect_eq "text_rox_calls, live metric and debugfs" \
	"$(prom_value /tmp/textfile/roxpool.prom roxpool_text_rox_calls_total)" "$(stat text_rox_calls)"
expect_eq "census modules, live metric and debugfs" \
	"$(prom_value /tmp/textfile/roxpool.prom roxpool_census_modules)" \
	"$(sed -n 's/^modules: //p' $dbg/census)"
check "live: parses (awk)" prom_parses /tmp/textfile/roxpool.prom
expect_eq "only the file is left (no temporary file)" "$(ls -A /tmp/textfile)" roxpool.prom
expect_eq "readable by node_exporter's user" "$(command stat -c %a /tmp/textfile/roxpool.prom)" 644
rp-host put live.prom </tmp/textfile/roxpool.prom >/dev/null
check "live: promtool check metrics" rp-host prometheus live
/rp/roxpool-stat --json >/tmp/live.json || fail "--json"
rp-host put live.json </tmp/live.json >/dev/null
check "live: JSON parses" rp-host json live
expect_eq "live: btrfs row" "$(get live '.modules[]|select(.name=="btrfs")|.name')" btrfs

log "errors"
/rp/roxpool-stat --json --dir /nonexistent >/tmp/out 2>/tmp/err && fail "--json without statistics succeeded"
check "--json: says why" grep -q 'cannot read /nonexistent/stats' /tmp/err
check "--json: nothing on stdout" not test -s /tmp/out
/rp/roxpool-stat --json 1 2>/tmp/err
expect_eq "--json with INTERVAL: usage error" "$?" 2
check_drained /tmp/mods /tmp/stats0
check "rmmod roxpool" rmmod roxpool
/rp/roxpool-stat --prometheus --output /tmp/textfile/roxpool.prom 2>/tmp/err
expect_eq "--prometheus without roxpool: exit status" "$?" 1
check "--prometheus without roxpool: says why" grep -q "cannot read $dbg/stats" /tmp/err
expect_eq "--output replaced with roxpool_up 0" "$(grep -v '^#' /tmp/textfile/roxpool.prom)" "roxpool_up 0"
rp-host put down.prom </tmp/textfile/roxpool.prom >/dev/null
check "roxpool_up 0: promtool check metrics" rp-host prometheus down
/rp/roxpool-stat --json >/tmp/out 2>/tmp/err
expect_eq "--json without roxpool: exit status" "$?" 1
finish
