# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic cloud rt
# modules: btrfs xfs f2fs nilfs2 udf isofs vfat nls_cp437 nls_ascii squashfs overlay zram lz4 loop brd dm_crypt raid456 nf_tables nft_ct nft_nat nf_conntrack bridge 8021q vxlan geneve wireguard tun veth dummy bonding openvswitch cifs nfsv4 ceph ext4
# vm-args: --mem 2G
# variant: EPYC-Rome --cpu EPYC-Rome --allow-warning 'Speculative Return Stack Overflow: WARNING: See'
#
# The pool on a real module set: 34 distro modules with their dependencies
# (file systems, networking, crypto) loaded, used, traced, probed, unloaded
# and loaded again.  Every pooled module's text is mapped by 2 MiB
# translations only, no more of them than the text needs plus one, free pool
# space is INT3, nothing is W+X, and the host's view of the guest page
# tables agrees.  (sctp, in the benchmark set, is left out: its kernel
# sockets pin it, so it can never be unloaded.)
. /rp/lib.sh

MODS=$(sed -n 's/^# modules: //p' /rp/script.sh)
CENSUS=$RP_DEBUGFS/census
ALLOC=$RP_DEBUGFS/allocations
T=$RP_TRACING

load_all() {
	for m in $MODS; do
		need_module "$m" || continue
		case $m in
		brd) modprobe brd rd_nr=2 rd_size=327680 ;;
		zram) modprobe zram num_devices=1 ;;
		*) modprobe "$m" ;;
		esac || fail "modprobe $m"
	done
}

modules_save /tmp/modules-before
t0=$(date +%s)
load_all
loaded=$(($(nr_modules) - $(wc -l < /tmp/modules-before)))
log "$loaded modules loaded in $(($(date +%s) - t0)) s"
expect_ge "modules loaded with dependencies" "$loaded" 60
for k in 0 1 2 3; do
	v=$(stat pool_fallback_$(echo "disabled too_large no_chunk no_memory" | cut -d' ' -f$((k + 1))))
	[ "$v" = 0 ] || fail "fallback $k: $v"
done
census_at_limit "after loading"
# Chunks: whole, and their direct-map alias read-only and not split below
# 2 MiB ("address mapping used free largest alias_page alias_prot").
cat $RP_DEBUGFS/chunks
check "every chunk one PMD leaf, alias read-only 2M/1G (4K: debug_pagealloc)" sh -c \
	"! awk -v small=$RP_DIRECT_MAP_4K '\$2 != \"pmd\" || \$7 != \"ro\" ||
		(\$6 != \"2M\" && \$6 != \"1G\" && !(small && \$6 == \"4K\"))' $RP_DEBUGFS/chunks | grep -q ."
# roxpool cannot go while its pool holds live text, and trying changes nothing.
check "rmmod roxpool refused while pooled text is live" sh -c "! rmmod roxpool 2>/tmp/rmmod.err"
check "... with a clear message" grep -q 'in use' /tmp/rmmod.err
expect_eq "... and the hooks stay" "$(stat hooks)" 3
grep -E '^pool_(chunks|bytes|ranges|finalized|bytes_copied)' $RP_STATS

# Use them.
mkdir -p /mnt/btrfs /mnt/xfs /mnt/ovl /tmp/lower /tmp/upper /tmp/work /mnt/zram
head -c 2097152 /dev/urandom > /tmp/data
want=$(sha256sum < /tmp/data)
mkfs.btrfs -q -f /dev/ram0 >/dev/null && mount -t btrfs /dev/ram0 /mnt/btrfs &&
	cp /tmp/data /mnt/btrfs/data || fail "btrfs"
mkfs.xfs -q -f /dev/ram1 && mount -t xfs /dev/ram1 /mnt/xfs || fail "xfs"
echo lower > /tmp/lower/f
mount -t overlay overlay -o lowerdir=/tmp/lower,upperdir=/tmp/upper,workdir=/tmp/work /mnt/ovl &&
	echo upper >> /mnt/ovl/f || fail "overlay"
expect_eq "overlay copy-up" "$(cat /tmp/upper/f | tr '\n' ' ')" "lower upper "
echo lz4 > /sys/block/zram0/comp_algorithm && echo 64M > /sys/block/zram0/disksize &&
	mkfs.ext4 -q /dev/zram0 && mount -t ext4 /dev/zram0 /mnt/zram &&
	cp /tmp/data /mnt/zram/data && sync || fail "ext4 on zram (lz4)"
ip link add rp-br0 type bridge && ip link add rp-v0 type veth peer name rp-v1 &&
	ip link set rp-v0 master rp-br0 && ip link add rp-d0 type dummy &&
	ip link add link rp-d0 name rp-d0.7 type vlan id 7 &&
	ip link add rp-vx0 type vxlan id 7 dstport 4789 dev rp-d0 &&
	ip link add rp-gn0 type geneve id 7 remote 127.0.0.1 &&
	ip link add rp-wg0 type wireguard && ip link add rp-bond0 type bond &&
	ip tuntap add dev rp-tap0 mode tap || fail "network devices"
for d in rp-br0 rp-v0 rp-v1 rp-d0 rp-d0.7 rp-vx0 rp-gn0 rp-wg0 rp-bond0 rp-tap0; do
	ip link set "$d" up || fail "up $d"
done

# A kprobe on a pooled function fires, and its stack trace symbolizes
# through pooled code.
kprobe_fires btrfs_sync_fs sync

# The function tracer on a pooled module's functions, then off again.
echo > $T/trace
echo ':mod:dummy' > $T/set_ftrace_filter && echo function > $T/current_tracer ||
	fail "function tracer on dummy"
ip link add rp-d1 type dummy && ip link del rp-d1
# Read before switching the tracer off: that clears the buffer.
cp $T/trace /tmp/ftrace.txt
echo nop > $T/current_tracer
echo > $T/set_ftrace_filter
check "function tracer traced pooled dummy code" grep -q 'dummy_' /tmp/ftrace.txt

# Jump labels in pooled code flip: enabling xfs's tracepoints patches the
# static branches in xfs's text.
echo > $T/trace
echo 1 > $T/events/xfs/enable || fail "enable xfs events"
cp /tmp/data /mnt/xfs/data && sync
echo 0 > $T/events/xfs/enable
check "xfs tracepoints (static keys in pooled text) fired" grep -q 'xfs_' $T/trace
expect_eq "xfs data read back" "$(sha256sum < /mnt/xfs/data)" "$want"
expect_eq "btrfs data read back" "$(sha256sum < /mnt/btrfs/data)" "$want"
expect_eq "ext4-on-zram data read back" "$(sha256sum < /mnt/zram/data)" "$want"
census_at_limit "after tracing and probing"

# Free pool space reads back as INT3, and the host's page tables agree
# with the census: pooled text only on executable, read-only 2M entries,
# no W+X entry anywhere.
rp-host tlb > /tmp/tlb.txt || fail "info tlb"
expect_eq "host: W+X entries" "$(awk '$NF ~ /^-/ && $NF ~ /W$/' /tmp/tlb.txt | wc -l)" 0
sed 's/ .*//' $ALLOC > /tmp/ranges
chunks=$(sed 's/-.*//' $ALLOC | while read -r a; do printf '%x\n' $((a & ~0x1fffff)); done | sort -u)
for c in $chunks; do
	line=$(grep "^$c: " /tmp/tlb.txt)
	flags=${line##* }
	case $flags in
	-?P?????-) ok "host: chunk $c is one executable read-only 2M entry" ;;
	*) fail "host: chunk $c: '$line'" ;;
	esac
	# Entries whose address lies in the chunk (prefilter on the 16 MiB
	# window, then compare the 2 MiB frame).
	n=0
	for a in $(grep "^$(echo "$c" | cut -c1-10)" /tmp/tlb.txt | cut -d: -f1); do
		[ $(((0x$a ^ 0x$c) >> 21)) = 0 ] && n=$((n + 1))
	done
	expect_eq "host: entries inside chunk $c" "$n" 1
	# First page of the chunk that no range covers.
	free=
	p=$((0x$c))
	while [ $p -lt $((0x$c + 0x200000)) ]; do
		used=0
		while read -r r; do
			s=$((${r%-*})) e=$((${r#*-}))
			[ $p -ge $s ] && [ $p -lt $e ] && used=1 && break
		done < /tmp/ranges
		[ $used = 0 ] && free=$p && break
		p=$((p + 4096))
	done
	[ -n "$free" ] || continue
	out=$(rp-host monitor "x /64xb $(printf '0x%x' $free)")
	if echo "$out" | sed 's/^[^:]*://' | tr ' ' '\n' | grep -v '^$' | grep -qv 0xcc; then
		fail "free pool page $(printf '%x' $free) is not INT3: $out"
	else
		ok "free pool page $(printf '%x' $free) reads INT3"
	fi
done

# Take everything down: the pool empties, chunks go back (one spare).
umount /mnt/btrfs /mnt/xfs /mnt/ovl /mnt/zram
echo 1 > /sys/block/zram0/reset
for d in rp-tap0 rp-bond0 rp-wg0 rp-gn0 rp-vx0 rp-d0.7 rp-d0 rp-v0 rp-br0; do
	ip link del "$d" 2>/dev/null
done
ip tuntap del dev rp-tap0 mode tap 2>/dev/null
census1=$(census text_tlb_2m)
check "unload every module" unload_since /tmp/modules-before
check "pool empty after the free work" wait_for 20 pool_empty
chunks_spare() { [ "$(stat pool_chunks)" -le 1 ]; }
check "chunks given back, at most one spare" wait_for 30 chunks_spare
expect_chunks_counted "no chunk leaked"
expect_eq "every pooled range freed" "$(stat pool_frees)" "$(stat pool_allocs)"

# Load again: the same census.
load_all
census_at_limit "after reloading"
expect_eq "same 2 MiB translations as the first time" "$(census text_tlb_2m)" "$census1"
unload_since /tmp/modules-before || fail "second unload"
check "pool empty again" wait_for 20 pool_empty
grep -E '^pool_' $RP_STATS
rmmod roxpool || fail "rmmod roxpool with the pool empty"
finish
