# SPDX-License-Identifier: GPL-2.0
# Guest side of scripts/bench: the reference module set loaded with
# roxpool's switch off (stock placement) and on (pooled), REPS times each,
# alternating, in one boot.  Prints "BENCH key value" lines for the host
# and saves the guest's page tables, as the host sees them, in the log
# directory (tlb.MODE.txt).
# Arguments: REPS MODES MODULE...; MODES is "stock pooled", or "native" on
# a kernel with its own ROX cache (the set is loaded as it is, REPS times).
# Helpers (stat, census, modules_save, unload_since): tests/vm/lib.sh,
# which scripts/vm-run puts at /rp/lib.sh.
. /rp/lib.sh
REPS=$1
MODES=$2
shift 2
MODS=$*
modules_save /tmp/base

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

r=1
while [ "$r" -le "$REPS" ]; do
	for mode in $MODES; do
		case $mode in
		stock) echo 0 > "$RP_PARAM" ;;
		pooled) echo 1 > "$RP_PARAM" ;;
		esac
		splits0=$(awk '$1 == "direct_map_level2_splits" { print $2 }' /proc/vmstat)
		t0=$(now_ms)
		for m in $MODS; do modprobe "$m" || echo "BENCH error modprobe-$m $mode"; done
		t1=$(now_ms)
		echo "BENCH load_ms.$mode $((t1 - t0))"
		if [ "$r" = 1 ]; then
			echo "BENCH modules.$mode $(census modules)"
			echo "BENCH text_bytes.$mode $(census text_bytes)"
			echo "BENCH tlb_4k.$mode $(census text_tlb_4k)"
			echo "BENCH tlb_2m.$mode $(census text_tlb_2m)"
			echo "BENCH limit_2m.$mode $(census limit_2m)"
			echo "BENCH wx_pages.$mode $(census wx_pages)"
			echo "BENCH chunks.$mode $(stat pool_chunks)"
			echo "BENCH pool_bytes.$mode $(stat pool_bytes)"
			echo "BENCH pool_allocated.$mode $(stat pool_bytes_allocated)"
			echo "BENCH vmalloc_kb.$mode $(awk '/VmallocUsed/ { print $2 }' /proc/meminfo)"
			splits1=$(awk '$1 == "direct_map_level2_splits" { print $2 }' /proc/vmstat)
			echo "BENCH l2_splits.$mode $((splits1 - splits0))"
			grep -E '^DirectMap' /proc/meminfo | tr -d ':' | awk -v m=$mode '{ print "BENCH " $1 "." m " " $2 }'
			sed "s/^/CENSUS.$mode /" "$RP_DEBUGFS/census"
			[ $mode = pooled ] && sed 's/^/CHUNKS /' "$RP_DEBUGFS/chunks"
			echo "BENCH execmem_areas.$mode $(grep -c 'execmem_alloc.* pages=512 ' /proc/vmallocinfo)"
			# The host's view, right after the census: nothing loads between.
			if rp-host tlb > /tmp/tlb.txt; then
				rp-host put tlb.$mode.txt < /tmp/tlb.txt > /dev/null ||
					echo "BENCH error put-tlb $mode"
			else
				echo "BENCH error info-tlb $mode"
			fi
		fi
		if [ $mode = pooled ]; then
			echo "BENCH churn_2m $(census text_tlb_2m)"
			echo "BENCH churn_limit $(census pooled_limit_2m)"
			echo "BENCH churn_overhead $(($(stat pool_bytes) - $(stat pool_bytes_allocated)))"
		fi
		t0=$(now_ms)
		unload_since /tmp/base || echo "BENCH error unload $mode"
		t1=$(now_ms)
		echo "BENCH unload_ms.$mode $((t1 - t0))"
	done
	r=$((r + 1))
done
# After everything is unloaded and the release delay (5 s) has passed.
sleep 12
echo "BENCH idle_chunks $(stat pool_chunks)"
echo "BENCH idle_pool_bytes $(stat pool_bytes)"
echo "BENCH stage_ns $(stat pool_stage_ns)"
echo "BENCH finalize_ns $(stat pool_finalize_ns)"
echo "BENCH bytes_copied $(stat pool_bytes_copied)"
