# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: btrfs xfs ext4 f2fs nilfs2 udf bridge vxlan geneve wireguard openvswitch bonding dummy
#
# Who can see and change what.  Nothing of roxpool in sysfs or debugfs is
# writable by anyone but root; files that print kernel addresses are
# root-only and the world-readable ones print none; an unprivileged user
# can neither switch the pool nor arm a fault.  Many readers of a long
# allocations list at once, whole or a byte at a time, all get the same
# complete list, also while modules come and go.
. /rp/lib.sh

DBG=$RP_DEBUGFS
PARAMS=/sys/module/roxpool/parameters
ALLOC=$DBG/allocations
for m in $(sed -n 's/^# modules: //p' /rp/script.sh); do modprobe "$m" || fail "modprobe $m"; done

log "permissions"
for f in $DBG/* $PARAMS/*; do
	printf '  %s\n' "$(busybox stat -c '%a %u:%g %n' "$f")"
	[ "$(busybox stat -c %u "$f")" = 0 ] || fail "$f not owned by root"
	[ $((0$(busybox stat -c %a "$f") & 022)) = 0 ] || fail "$f writable by group or others"
done
for f in allocations chunks symbols; do
	expect_eq "$f (kernel addresses) root-only" "$(busybox stat -c %a $DBG/$f)" 400
done
for f in stats census; do
	check "$f, world-readable, shows no kernel address" not grep -qiE '(0x)?ffff[0-9a-f]{12}' $DBG/$f
done
expect_eq "fault_inject root-only" "$(busybox stat -c %a $PARAMS/fault_inject)" 600
check "allocations does show addresses (the check above can fail)" grep -qiE '0xffff[0-9a-f]{12}' $ALLOC

log "an unprivileged user"
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
echo 'nogroup:x:65534:' >> /etc/group
as_nobody() { su -s /bin/sh nobody -c "$1" 2>/dev/null; }
check "cannot switch the pool off" not as_nobody "echo 0 > $PARAMS/enabled"
expect_eq "... which stays on" "$(cat $PARAMS/enabled)" Y
check "cannot arm a fault" not as_nobody "echo chunk > $PARAMS/fault_inject"
expect_eq "... none armed" "$(cat $PARAMS/fault_inject)" none
check "cannot read the allocations" not as_nobody "cat $ALLOC"
check "can read the switch" as_nobody "cat $PARAMS/enabled >/dev/null"

log "many readers"
n=$(wc -l < $ALLOC)
expect_eq "allocations: one line per range" "$n" "$(stat pool_ranges)"
expect_ge "a long list" "$n" 40
cat $ALLOC > /tmp/ref
i=0
while [ $i -lt 16 ]; do
	(j=0; while [ $j -lt 10 ]; do cat $ALLOC > /tmp/r.$i.$j; j=$((j + 1)); done) &
	i=$((i + 1))
done
dd if=$ALLOC of=/tmp/bytewise bs=1 2>/dev/null &
dd if=$ALLOC of=/tmp/odd bs=77 2>/dev/null &
wait
diffs=0
for f in /tmp/r.* /tmp/bytewise /tmp/odd; do cmp -s /tmp/ref "$f" || diffs=$((diffs + 1)); done
expect_eq "162 reads, all complete and equal" "$diffs" 0
log "readers while modules come and go"
(i=0; while [ $i -lt 5 ]; do modprobe -r bonding dummy; modprobe bonding; modprobe dummy; i=$((i + 1)); done) &
loader=$!
i=0
while [ $i -lt 8 ]; do
	(j=0; while [ $j -lt 10 ]; do cat $ALLOC $DBG/census $DBG/chunks $RP_STATS > /tmp/m.$i.$j; j=$((j + 1)); done) &
	i=$((i + 1))
done
wait
bad=0
for f in /tmp/m.*; do
	# Every allocations line whole: "start-end size state owner kind".
	grep -E '^0x[0-9a-f]+-' "$f" | grep -vqE '^0x[0-9a-f]+-0x[0-9a-f]+ +[0-9]+ (staged|live|freeing) +[a-z0-9_-]+ (core|init|-)$' &&
		bad=$((bad + 1))
done
expect_eq "80 reads during loads, every line whole" "$bad" 0
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' $DBG/census)" 0
finish
