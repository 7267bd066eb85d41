# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# modules: btrfs xfs ext4 vfat nls_cp437 nls_ascii squashfs isofs brd loop dummy veth bridge 8021q vxlan wireguard bonding tun
#
# Real distro modules, with their dependencies, loaded and used with roxpool
# hooked: every loader allocation is seen and classified, every free is
# matched to its allocation, nothing is lost or counted twice.
. /rp/lib.sh

MODS="btrfs xfs ext4 vfat nls_cp437 nls_ascii squashfs isofs brd loop dummy veth bridge 8021q vxlan wireguard bonding tun"

base_mods=$(nr_modules)
modules_save /tmp/modules-before
stats_save /tmp/before
for m in $MODS; do
	case $m in
	brd) modprobe brd rd_nr=2 rd_size=327680 ;;
	*) modprobe "$m" ;;
	esac || fail "modprobe $m"
done
loaded=$(($(nr_modules) - base_mods))
log "$loaded modules loaded (with dependencies):"
cut -d' ' -f1,2 /proc/modules | tr '\n' ' '
echo
expect_ge "modules loaded with dependencies" "$loaded" 16

# Use them: file systems mounted, written, read back.
mkdir -p /mnt/btrfs /mnt/xfs /mnt/ext4 /mnt/vfat
head -c 4194304 /dev/urandom > /tmp/data
want=$(sha256sum < /tmp/data)
mkfs.btrfs -q -f /dev/ram0 >/dev/null && mount -t btrfs /dev/ram0 /mnt/btrfs &&
	cp /tmp/data /mnt/btrfs/data && umount /mnt/btrfs &&
	mount -t btrfs /dev/ram0 /mnt/btrfs || fail "btrfs on ram0"
expect_eq "btrfs data read back" "$(sha256sum < /mnt/btrfs/data)" "$want"
mkfs.xfs -q -f /dev/ram1 && mount -t xfs /dev/ram1 /mnt/xfs &&
	cp /tmp/data /mnt/xfs/data && umount /mnt/xfs &&
	mount -t xfs /dev/ram1 /mnt/xfs || fail "xfs on ram1"
expect_eq "xfs data read back" "$(sha256sum < /mnt/xfs/data)" "$want"
dd if=/dev/zero of=/tmp/ext4.img bs=1M count=32 2>/dev/null
mkfs.ext4 -q -F /tmp/ext4.img && mount -o loop -t ext4 /tmp/ext4.img /mnt/ext4 &&
	cp /tmp/data /mnt/ext4/data || fail "ext4 on loop"
expect_eq "ext4 data read back" "$(sha256sum < /mnt/ext4/data)" "$want"
dd if=/dev/zero of=/tmp/vfat.img bs=1M count=16 2>/dev/null
mkdosfs /tmp/vfat.img >/dev/null && mount -o loop -t vfat /tmp/vfat.img /mnt/vfat &&
	cp /tmp/data /mnt/vfat/data || fail "vfat on loop"
expect_eq "vfat data read back" "$(sha256sum < /mnt/vfat/data)" "$want"

# Network devices created, configured and brought up.
ip link add rp-d0 type dummy &&
	ip link add rp-br0 type bridge &&
	ip link add rp-v0 type veth peer name rp-v1 &&
	ip link set rp-v0 master rp-br0 &&
	ip link add link rp-d0 name rp-d0.10 type vlan id 10 &&
	ip link add rp-vx0 type vxlan id 42 dstport 4789 dev rp-d0 &&
	ip link add rp-wg0 type wireguard &&
	ip link add rp-bond0 type bond &&
	ip tuntap add dev rp-tap0 mode tap || fail "create network devices"
for d in rp-d0 rp-br0 rp-v0 rp-v1 rp-d0.10 rp-vx0 rp-wg0 rp-bond0 rp-tap0; do
	ip link set "$d" up || fail "set $d up"
done
check "bridge has its veth port" sh -c "ip link show master rp-br0 | grep -q rp-v0"
check "vlan device exists" sh -c "ip -d link show rp-d0.10 | grep -q 'vlan protocol 802.1Q id 10'"

# The statistics saw every module: one module_enable_text_rox() per module
# formed, core text and data from the loader for each.
expect_eq "text_rox_calls = modules loaded" "$(stat_delta text_rox_calls /tmp/before)" "$loaded"
expect_ge "loader text allocations" "$(stat_delta alloc_type_module_text /tmp/before)" "$loaded"
expect_ge "loader data allocations" "$(stat_delta alloc_type_module_data /tmp/before)" "$loaded"
expect_ge "loader class allocations" "$(stat_delta alloc_class_loader /tmp/before)" $((2 * loaded))
expect_eq "no failed allocation" "$(stat_delta alloc_failed /tmp/before)" 0
expect_eq "no untracked allocation" "$(stat track_failed)" 0

# Take it all down again.
for d in /mnt/btrfs /mnt/xfs /mnt/ext4 /mnt/vfat; do umount "$d" || fail "umount $d"; done
losetup -D 2>/dev/null
for d in rp-tap0 rp-bond0 rp-wg0 rp-vx0 rp-d0.10 rp-v0 rp-br0 rp-d0; do
	ip link del "$d" 2>/dev/null
done
ip tuntap del dev rp-tap0 mode tap 2>/dev/null
check "unload every module loaded by the test" unload_since /tmp/modules-before
expect_eq "back to the modules at start" "$(nr_modules)" "$base_mods" ||
	cut -d" " -f1 /proc/modules

# Init sections are freed from a work item after an RCU grace period.
live_zero() { [ "$(stat live_class_loader)" = 0 ]; }
check "every loader allocation freed (live_class_loader 0)" wait_for 10 live_zero
expect_eq "loader frees = loader allocations" \
	"$(stat_delta free_class_loader /tmp/before)" \
	"$(stat_delta alloc_class_loader /tmp/before)"
expect_eq "no free of an unknown range" "$(stat_delta free_untracked /tmp/before)" 0
cat "$RP_STATS"
finish
