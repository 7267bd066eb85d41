# SPDX-License-Identifier: GPL-2.0
# kernels: all
# flavours: generic
# modules: btrfs xfs dummy
#
# roxpool-stat, the summary tool, on live statistics: it names the mode,
# shows one bar per chunk and the modules with their translations, and
# refreshes.
. /rp/lib.sh

modprobe btrfs && modprobe xfs && modprobe dummy || fail "modprobe"
/rp/roxpool-stat > /tmp/stat.txt 2>&1 || fail "roxpool-stat exit $?"
cat /tmp/stat.txt
check "names the kernel and mode" grep -q "^roxpool on $(uname -r): mode $RP_MODE " /tmp/stat.txt
check "census line" grep -qE '^census: [0-9]+ modules .* W\+X pages 0$' /tmp/stat.txt
check "btrfs among the top modules" grep -qE '^  btrfs +[0-9.]+ KiB' /tmp/stat.txt
if [ "$RP_MODE" = hook ]; then
	check "one bar per chunk" sh -c "[ \$(grep -c '^  0x[0-9a-f]* \[[#.]*\]' /tmp/stat.txt) = $(stat pool_chunks) ]"
	# (one chunk on stock kernels; under KASAN btrfs's text needs a run)
	check "btrfs pooled on 2M translations only" grep -qE '^  btrfs +[0-9.]+ KiB yes +0 +[1-9][0-9]*$' /tmp/stat.txt
fi
/rp/roxpool-stat 0.2 3 > /tmp/stat3.txt 2>&1 || fail "roxpool-stat 0.2 3"
expect_eq "refreshes COUNT times" "$(grep -c '^roxpool on ' /tmp/stat3.txt)" 3
/rp/roxpool-stat --dir /nonexistent > /tmp/err.txt 2>&1 && fail "roxpool-stat without statistics succeeded"
check "says why without statistics" grep -q 'cannot read /nonexistent/stats' /tmp/err.txt
finish
