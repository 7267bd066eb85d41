# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: dummy
#
# Module address space exhausted (rp_test_hog reserves all of it).  With a
# small hole left and no chunk, no 2 MiB chunk fits: the load falls back
# to the kernel, which fits the module in the hole.  With no hole at all
# and a spare chunk, the text is pooled but the kernel cannot place the
# module's data: the load fails with ENOMEM and the pooled range is freed.
# (The kernel's execmem allocates with __GFP_NOWARN and only logs "unable to
# allocate memory": no report to excuse.)
. /rp/lib.sh

T=$RP_TESTS
CENSUS=$RP_DEBUGFS/census
HOG=/sys/module/rp_test_hog/parameters/release_kb
modules_save /tmp/base
stats_save /tmp/before

log "module space full but for a 1 MiB hole; no chunk yet"
expect_eq "no chunk yet" "$(stat pool_chunks)" 0
# The hog itself is loaded the stock way, or its text would make a chunk.
echo 0 > "$RP_PARAM"
insmod $T/rp_test_hog.ko vspace=1 || fail "insmod hog"
echo 1 > "$RP_PARAM"
echo 1024 > $HOG || fail "release 1 MiB"
dmesg | grep 'rp_test_hog: re' | sed 's/^/  /'
modprobe dummy || fail "modprobe dummy with a 1 MiB hole"
expect_eq "no chunk could be made" "$(stat pool_chunks)" 0
expect_ge "counted as a chunk failure" "$(stat_delta pool_chunk_failures /tmp/before)" 1
expect_ge "... and a no_chunk fallback" "$(stat_delta pool_fallback_no_chunk /tmp/before)" 1
check "dummy on 4 KiB pages, not pooled" grep -qE '^dummy [0-9]+ [0-9]+ no [1-9][0-9]* 0$' $CENSUS
check "dummy works" sh -c "ip link add rp-x0 type dummy && ip link del rp-x0"
rmmod dummy || fail "rmmod dummy"
rmmod rp_test_hog || fail "rmmod hog"

log "a spare chunk, then module space full with no hole"
modprobe dummy || fail "modprobe dummy"
check "dummy pooled" grep -qE '^dummy [0-9]+ [0-9]+ yes 0 1$' $CENSUS
rmmod dummy || fail "rmmod dummy"
check "pool empty" wait_for 20 pool_empty
expect_eq "one spare chunk" "$(stat pool_chunks)" 1
insmod $T/rp_test_hog.ko vspace=1 || fail "insmod hog"
# The hog's init text is freed by a work item after its init: not counted.
no_init_text() { ! grep -q ' init$' $RP_DEBUGFS/allocations; }
check "the hog's init text freed" wait_for 20 no_init_text
stats_save /tmp/full
check "modprobe dummy fails" sh -c "! modprobe dummy 2>/tmp/err"
sed 's/^/  /' /tmp/err
check "... with ENOMEM" grep -q 'Cannot allocate memory' /tmp/err
check "the kernel said why" sh -c "dmesg | grep -q 'execmem: unable to allocate memory'"
expect_ge "its text was pooled first" "$(stat_delta pool_allocs /tmp/full)" 1
freed_again() { [ "$(stat_delta pool_frees /tmp/full)" = "$(stat_delta pool_allocs /tmp/full)" ]; }
check "... and freed again" wait_for 20 freed_again
expect_eq "only the hog's text is left in the pool" \
	"$(awk '{ printf "%s ", $4 }' $RP_DEBUGFS/allocations)" "rp_test_hog "
expect_eq "no dummy" "$(grep -c '^dummy ' /proc/modules)" 0
rmmod rp_test_hog || fail "rmmod hog"

log "space back"
modprobe dummy || fail "modprobe dummy"
check "dummy pooled" grep -qE '^dummy [0-9]+ [0-9]+ yes 0 1$' $CENSUS
check "dummy works" sh -c "ip link add rp-x1 type dummy && ip link del rp-x1"
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $CENSUS)" 0
kernel_wx "modules loaded"
check_drained /tmp/base /tmp/before
finish
