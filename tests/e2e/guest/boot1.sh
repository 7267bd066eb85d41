# SPDX-License-Identifier: GPL-2.0
# First boot of the Debian 13 image, on Debian's own initramfs: install roxpool-dkms as a user
# would (dpkg -i: its postinst runs dkms add, build and install; its trigger regenerates the
# initramfs), then the kernel upgrade path (headers of 7.3.4 in the image: the hook their
# package runs), then use the module: load, toggle, pool real modules, unload.
. /rp/lib.sh
kver=$(uname -r)
up=7.3.4+deb13-amd64
pv=$(cat /rp/version)

log "dpkg -i roxpool-dkms_${pv}_all.deb (dkms add, build and install for $kver)"
t=$(date +%s)
check "dpkg -i roxpool-dkms" dpkg -i "/rp/roxpool-dkms_${pv}_all.deb"
log "dpkg -i took $(($(date +%s) - t))s"
dkms status | tee /tmp/status
check "dkms status: installed for $kver" grep -q "^roxpool/$pv, $kver, x86_64: installed" /tmp/status
ko=$(modinfo -k "$kver" -F filename roxpool)
check "DKMS made its signing key (MOK)" test -s /var/lib/dkms/mok.pub
expect_eq "roxpool.ko signed by DKMS's key" "$(modinfo -k "$kver" -F signer roxpool)" "DKMS module signing key"
check "roxpool.ko in updates/dkms ($ko)" test -f "$ko" -a "${ko#*/updates/dkms/roxpool.ko}" != "$ko"
lsinitramfs "/boot/initrd.img-$kver" >/tmp/initrd.list
check "the initramfs has roxpool.ko" grep -q '/updates/dkms/roxpool.ko' /tmp/initrd.list
check "the initramfs has init-top/roxpool" grep -q '^scripts/init-top/roxpool$' /tmp/initrd.list
check "the initramfs has modprobe.d/roxpool.conf" grep -q '^etc/modprobe.d/roxpool.conf$' /tmp/initrd.list
check "init-top/roxpool runs before init-top/udev" \
	sh -c "unmkinitramfs /boot/initrd.img-$kver /tmp/ird >/dev/null 2>&1 &&
		f=\$(find /tmp/ird -path '*scripts/init-top/ORDER' | head -n 1) && cat \$f &&
		[ \$(grep -n init-top/roxpool \$f | cut -d: -f1) -lt \$(grep -n init-top/udev \$f | cut -d: -f1) ]"
rm -rf /tmp/ird

log "kernel upgrade: the headers of $up are installed; run the hook their postinst runs"
t=$(date +%s)
check "/etc/kernel/header_postinst.d/dkms $up" /etc/kernel/header_postinst.d/dkms "$up"
log "dkms autoinstall for $up took $(($(date +%s) - t))s"
dkms status | tee /tmp/status
check "dkms status: installed for $up" grep -q "^roxpool/$pv, $up, x86_64: installed" /tmp/status
# Only headers of $up: no modules.dep to find it by name.
ko_up=$(find "/usr/lib/modules/$up/updates/dkms" -name 'roxpool.ko*' | head -n 1)
expect_eq "vermagic of $ko_up" "$(modinfo -F vermagic "$ko_up" | cut -d' ' -f1)" "$up"

log "modprobe roxpool"
check "modprobe roxpool" modprobe roxpool
check "lsmod shows roxpool" sh -c 'lsmod | grep -q "^roxpool "'
cat "$RP_STATS"
expect_eq "mode" "$(stat mode)" hook
expect_eq "enabled" "$(stat enabled)" 1
echo 0 >"$RP_PARAM"
expect_eq "enabled after echo 0" "$(stat enabled)" 0
echo 1 >"$RP_PARAM"
expect_eq "enabled after echo 1" "$(stat enabled)" 1

modules_save /tmp/mods
stats_save /tmp/stats
log "modprobe brd xfs; an ext4 file system on a RAM disk"
check "modprobe brd" modprobe brd rd_nr=1 rd_size=16384
check "modprobe xfs" modprobe xfs
expect_ge "modules pooled (pool_allocs delta)" "$(stat_delta pool_allocs /tmp/stats)" 2
expect_ge "text_rox_calls delta" "$(stat_delta text_rox_calls /tmp/stats)" 2
census=/sys/kernel/debug/roxpool/census
for m in brd xfs; do
	expect_eq "census: $m pooled" "$(awk -v m="$m" '$1 == m { print $4 }' "$census")" yes
done
check "mkfs.ext4 on /dev/ram0" mkfs.ext4 -q /dev/ram0
mkdir -p /mnt/ram
check "mount /dev/ram0" mount /dev/ram0 /mnt/ram
echo roxpool >/mnt/ram/f
sync
expect_eq "read back" "$(cat /mnt/ram/f)" roxpool
umount /mnt/ram
roxpool-stat
check_drained /tmp/mods /tmp/stats
check "rmmod roxpool" rmmod roxpool
finish
