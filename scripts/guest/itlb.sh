# SPDX-License-Identifier: GPL-2.0
# The iTLB microbenchmark, guest side of scripts/itlb-bench; also runs as it
# is on a real machine with roxpool loaded (see README, "iTLB on real
# hardware").
#
# Usage: sh itlb.sh KODIR REPS ITERS [FUNCS]
#        sh itlb.sh --from-host NPARTS REPS ITERS [FUNCS]   (in scripts/vm-run:
#           fetch rp_itlb.ko and rp_itlb_p0..NPARTS-1.ko from the host first)
#
# KODIR holds rp_itlb.ko and rp_itlb_p*.ko.  REPS times, alternating, the
# modules are loaded with roxpool's switch off (the kernel's own placement,
# "stock") and on ("pooled"), the chain of FUNCS functions (0: all) runs
# ITERS calls, and the modules are unloaded.  With perf and a PMU, perf stat
# counts iTLB and dTLB misses around each run.  Prints "ITLB key value"
# lines; exits non-zero if a step fails or the text is not placed as the
# mode says.
set -u
if [ "$1" = --from-host ]; then
	KODIR=/tmp/itlb
	mkdir -p $KODIR
	i=0
	for m in rp_itlb $(seq 0 $(($2 - 1)) | sed 's/^/rp_itlb_p/'); do
		rp-host "$m.ko" > "$KODIR/$m.ko" || { echo "ITLB error fetch $m.ko"; exit 1; }
		i=$((i + 1))
	done
	echo "ITLB fetched $i modules ($(du -sk $KODIR | cut -f1) KiB)"
	shift 2
else
	KODIR=$1
	shift
fi
REPS=$1 ITERS=$2 FUNCS=${3:-0}
P=/sys/module/roxpool/parameters/enabled
C=/sys/kernel/debug/roxpool/census
R=/sys/module/rp_itlb/parameters
rc=0
if [ ! -w $P ] || [ ! -r $C ]; then
	echo "ITLB error roxpool is not loaded or debugfs is not mounted"
	exit 1
fi
PARTS=$(ls "$KODIR"/rp_itlb_p*.ko)
[ -n "$PARTS" ] || { echo "ITLB error no rp_itlb_p*.ko in $KODIR"; exit 1; }
NPARTS=$(echo "$PARTS" | wc -l)
MODE=$(sed -n 's/^mode: //p' /sys/kernel/debug/roxpool/stats)

# perf with a PMU: "iTLB-load-misses" counts as a number, not "<not supported>".
PERF=
if command -v perf > /dev/null 2>&1 &&
	perf stat -x, -e iTLB-load-misses -- true 2>&1 | grep -q '^[0-9][0-9]*,'; then
	PERF=perf
	echo "ITLB counters perf"
else
	echo "ITLB counters none"
fi

r=1
while [ $r -le "$REPS" ]; do
	for mode in stock pooled; do
		[ $mode = stock ] && echo 0 > $P || echo 1 > $P
		insmod "$KODIR/rp_itlb.ko" || { echo "ITLB error insmod rp_itlb"; exit 1; }
		for p in $PARTS; do
			insmod "$p" || { echo "ITLB error insmod $p"; exit 1; }
		done
		# Parts: pooled count, text bytes, 4K and 2M translations.
		place=$(awk '$1 ~ /^rp_itlb_p[0-9]+$/ { n++; t += $2; p += ($4 == "yes"); k += $5; m += $6 }
			END { printf "%d %d %d %d %d\n", n, p, t, k, m }' $C)
		# shellcheck disable=SC2086 # five numbers
		set -- $place
		if [ $r = 1 ]; then
			echo "ITLB parts $1"
			echo "ITLB text_bytes.$mode $3"
			echo "ITLB pooled.$mode $2"
			echo "ITLB tlb_4k.$mode $4"
			echo "ITLB tlb_2m.$mode $5"
		fi
		[ "$1" = "$NPARTS" ] || { echo "ITLB error census lists $1 of $NPARTS parts"; rc=1; }
		if [ "$MODE" = hook ]; then
			want=0
			[ $mode = pooled ] && want=$NPARTS
			[ "$2" = "$want" ] || { echo "ITLB error $mode: $2 parts pooled, want $want"; rc=1; }
		fi
		echo "$FUNCS" > $R/funcs
		echo "$ITERS" > $R/iters
		if [ -n "$PERF" ]; then
			perf stat -x, -a -o /tmp/itlb-perf.txt \
				-e iTLB-load-misses,iTLB-loads,dTLB-load-misses \
				-- sh -c "echo 1 > $R/run" || { echo "ITLB error run $mode"; rc=1; }
			awk -F, -v m=$mode '$3 != "" && $1 ~ /^[0-9]+$/ { print "ITLB " $3 "." m " " $1 }' \
				/tmp/itlb-perf.txt
		else
			echo 1 > $R/run || { echo "ITLB error run $mode"; rc=1; }
		fi
		# "funcs N iters N ns N ns_per_call X sum N"
		set -- $(cat $R/result)
		echo "ITLB funcs $2"
		echo "ITLB ns_per_call.$mode $8"
		for p in $PARTS; do
			m=${p##*/}
			rmmod "${m%.ko}" || { echo "ITLB error rmmod $m"; rc=1; }
		done
		rmmod rp_itlb || { echo "ITLB error rmmod rp_itlb"; rc=1; }
	done
	r=$((r + 1))
done
echo 1 > $P
exit $rc
