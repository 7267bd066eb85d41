# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: dummy veth isofs
#
# text_poke() on pooled code while its chunk is split and collapsed: the
# function tracer and a kprobe are switched on and off over and over on
# dummy's pooled functions (ftrace and kprobes patch them through
# text_poke(), which finds the page behind the text by a lockless page-table
# walk), while veth and isofs are loaded into the same chunk and unloaded
# (each load splits the chunk's PMD, each finished load collapses it).
# roxpool splits and collapses under text_mutex, as text_poke() walks, and
# re-reads the PMD each time.  A kthread of the test hog walks the chunk's
# page tables without a lock all along, as /proc/kcore does (a PTE table
# freed at a collapse would be read after its free: KASAN on the debug
# kernel).  dummy must work throughout; nothing is ever
# W+X; the pool drains.
. /rp/lib.sh

ROUNDS=${ROUNDS:-15}
TR=$RP_TRACING
CENSUS=$RP_DEBUGFS/census

modules_save /tmp/base
stats_save /tmp/before
modprobe dummy || fail "modprobe dummy"
check "dummy pooled" grep -qE '^dummy .* yes 0 1$' $CENSUS

# poke: patch dummy's text until /tmp/stop appears.
poke() {
	n=0
	while [ ! -e /tmp/stop ]; do
		echo ':mod:dummy' > $TR/set_ftrace_filter
		echo function > $TR/current_tracer
		echo 'p:rp_poke dummy:dummy_dev_init' >> $TR/kprobe_events
		echo 1 > $TR/events/kprobes/rp_poke/enable
		ip link add rp-p0 type dummy && ip link del rp-p0
		echo 0 > $TR/events/kprobes/rp_poke/enable
		echo '-:rp_poke' >> $TR/kprobe_events
		echo nop > $TR/current_tracer
		n=$((n + 1))
	done
	echo $n > /tmp/pokes
}

# A lockless page-table walker (vmalloc_to_page(), as /proc/kcore reads)
# over dummy's chunk all along: the walk may read a PMD just before a
# collapse and the PTE table after it, which must still be there.
# (The hog is loaded the stock way, or its text would go to the chunk.)
echo 0 >"$RP_PARAM"
insmod $RP_TESTS/rp_test_hog.ko walk_text="$(cat /sys/module/dummy/sections/.text)" ||
	fail "insmod hog walk_text"
echo 1 >"$RP_PARAM"
HOG=/sys/module/rp_test_hog/parameters
rm -f /tmp/stop
poke 2>/tmp/poke.err &
pid=$!
splits=$(stat pool_allocs)
r=1
while [ $r -le $ROUNDS ]; do
	modprobe veth || fail "round $r: modprobe veth"
	modprobe isofs || fail "round $r: modprobe isofs"
	modprobe -r veth isofs || fail "round $r: unload"
	r=$((r + 1))
done
touch /tmp/stop
wait $pid
log "the walker walked dummy's chunk $(cat $HOG/walks) times"
expect_ge "walks of the chunk" "$(cat $HOG/walks)" 2
expect_eq "pages of the chunk found unmapped by the walker" "$(cat $HOG/walk_holes)" 0
rmmod rp_test_hog || fail "rmmod hog"
splits=$(($(stat pool_allocs) - splits))
log "$(cat /tmp/pokes) rounds of ftrace and kprobe patching during $splits pooled loads"
expect_ge "patching rounds" "$(cat /tmp/pokes)" 2
expect_ge "pooled loads (each a split and a collapse)" "$splits" "$ROUNDS"
check "no tracing command failed" sh -c "! grep -q . /tmp/poke.err" || cat /tmp/poke.err
check "dummy works after" sh -c "ip link add rp-p1 type dummy && ip link del rp-p1"
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "modules loaded"
check_drained /tmp/base /tmp/before
finish
