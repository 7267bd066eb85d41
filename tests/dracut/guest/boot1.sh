# SPDX-License-Identifier: GPL-2.0
# First boot of tests/dracut/run, on the image's initramfs-tools initramfs: Debian's dracut, as
# RHEL configures it (hostonly), then the roxpool-dkms RPM installed as rpm -i would: its payload
# into / and its %post run by /bin/sh with $1 = 1. That scriptlet runs the real dkms (add, build,
# install) and the real dracut -f for the running kernel, whose new initramfs the second boot uses.
. /rp/lib.sh
kver=$(uname -r)
pv=$(cat /rp/version)
ird=/boot/initrd.img-$kver # where Debian's dracut writes it (RHEL's: /boot/initramfs-$kver.img)

log "dracut from Debian 13 (dracut-core, dracut-install; initramfs-tools stays installed)"
check "dpkg -i dracut-core dracut-install" dpkg -i /rp/debs/dracut-install_*.deb /rp/debs/dracut-core_*.deb
echo 'hostonly="yes"' >/etc/dracut.conf.d/01-dist.conf # RHEL's /usr/lib/dracut/dracut.conf.d/01-dist.conf

log "roxpool-dkms-$pv-1.noarch.rpm: its files into / (rpm2cpio), then its %post with \$1 = 1"
check "the RPM's files unpacked" tar -C / -xf /rp/rpm-payload.tar
check "/etc/dracut.conf.d/roxpool.conf: force_drivers" grep -qx 'force_drivers+=" roxpool "' /etc/dracut.conf.d/roxpool.conf
before=$(date -r "$ird" +%s)
t=$(date +%s)
check "%post 1 (sh)" sh -c 'sh /rp/post.sh 1 >/tmp/post.log 2>&1'
sed 's/^/    %post: /' /tmp/post.log | grep -v '^    %post: *$' | tail -n 30
log "%post took $(($(date +%s) - t))s"
dkms status | tee /tmp/status
check "dkms status: installed for $kver" grep -q "^roxpool/$pv, $kver, x86_64: installed" /tmp/status
# 7.3.4's headers are in the image, not its kernel: not the newest installed kernel.
expect_eq "dkms status: nothing else" "$(grep -c . /tmp/status)" 1
check "%post regenerated $ird" test "$(date -r "$ird" +%s)" -gt "$before"
lsinitrd "$ird" >/tmp/lsinitrd 2>&1
check "the initramfs is dracut's" grep -q '^dracut modules:' /tmp/lsinitrd
check "the initramfs has roxpool.ko" grep -q "usr/lib/modules/$kver/updates/dkms/roxpool.ko" /tmp/lsinitrd
check "the initramfs has modprobe.d/roxpool.conf" grep -q ' etc/modprobe.d/roxpool.conf$' /tmp/lsinitrd
expect_eq "rd.driver.pre in the initramfs (force_drivers)" \
	"$(lsinitrd -f etc/cmdline.d/20-force_drivers.conf "$ird" 2>/dev/null)" "rd.driver.pre=roxpool"
finish
