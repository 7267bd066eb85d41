# SPDX-License-Identifier: GPL-2.0
# Second boot of tests/dracut/run, on the initramfs the RPM's %post made with dracut: roxpool was
# loaded in the initramfs before systemd-udevd started (dracut-pre-udev.service, which modprobes
# rd.driver.pre from force_drivers, is ordered before it), and the modules loaded after it are
# pooled: virtio_blk and ext4 among them. Then the erase: %preun and %postun with
# $1 = 0 around the removal of the package's files, as rpm -e runs them.
. /rp/lib.sh
kver=$(uname -r)
ird=/boot/initrd.img-$kver
census=/sys/kernel/debug/roxpool/census

check "roxpool loaded at boot" sh -c 'lsmod | grep -q "^roxpool "'
journalctl -b -o short-monotonic --no-pager >/tmp/journal
cp /tmp/journal /rp/boot2-journal.txt # for a look from the host
grep -E "roxpool|dracut-pre-udev|Starting systemd-udevd|Switching root" /tmp/journal | head -n 12
# mono PATTERN: the monotonic time of the first journal line matching PATTERN (ERE).
mono() { grep -m1 -E "$1" /tmp/journal | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'; }
t_pre=$(mono 'Starting dracut-pre-udev\.service')
t_rox=$(mono 'kernel: roxpool: mode ')
t_udev=$(mono 'Starting systemd-udevd\.service')
t_root=$(mono 'Switching root')
log "roxpool loaded at ${t_rox:-?}s, dracut-pre-udev (rd.driver.pre) started at ${t_pre:-?}s," \
	"systemd-udevd at ${t_udev:-?}s, switch to the real root at ${t_root:-?}s"
check "the journal has all four" test -n "$t_pre" -a -n "$t_rox" -a -n "$t_udev" -a -n "$t_root"
check "roxpool loaded before systemd-udevd started" awk -v r="$t_rox" -v u="$t_udev" 'BEGIN { exit !(r < u) }'
check "dracut-pre-udev ran before systemd-udevd" awk -v p="$t_pre" -v u="$t_udev" 'BEGIN { exit !(p < u) }'
check "roxpool loaded in the initramfs" awk -v r="$t_rox" -v s="$t_root" 'BEGIN { exit !(r < s) }'
# Whoever came first in the initramfs: systemd-modules-load (dracut copies
# /usr/lib/modules-load.d/roxpool.conf; that unit is not ordered against systemd-udevd) or
# dracut-pre-udev's modprobe of rd.driver.pre (ordered before it).
log "loaded by: $(grep -m1 -E "Inserted module 'roxpool'|modprobe.*roxpool" /tmp/journal || echo '(not in the journal)')"
# /proc/modules lists the newest module first: those above roxpool were loaded after it.
after=$(cut -d' ' -f1 /proc/modules | sed '/^roxpool$/q' | grep -vx roxpool | tr '\n' ' ')
before=$(cut -d' ' -f1 /proc/modules | sed '1,/^roxpool$/d' | tr '\n' ' ')
log "modules loaded before roxpool (by systemd itself and its first units): ${before:-none}"
expect_ge "modules loaded after roxpool" "$(echo "$after" | wc -w)" 10
cat "$RP_STATS"
expect_eq "mode" "$(stat mode)" hook
expect_eq "enabled" "$(stat enabled)" 1
expect_ge "pool_allocs right after boot" "$(stat pool_allocs)" 5
cat "$census"
expect_eq "modules loaded after roxpool and not pooled" \
	"$(for m in $after; do awk -v m="$m" '$1 == m && $4 != "yes" { printf "%s ", $1 }' "$census"; done)" ""
for m in virtio_blk ext4; do
	[ -d "/sys/module/$m/sections" ] || continue # built in
	expect_eq "census: $m (loaded by udev in the initramfs) pooled" "$(awk -v m="$m" '$1 == m { print $4 }' "$census")" yes
done
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' "$census")" 0

log "rpm -e: %preun 0, the package's files removed, %postun 0"
t=$(date +%s)
check "%preun 0 (sh)" sh -c 'sh /rp/preun.sh 0 >/tmp/preun.log 2>&1'
sed 's/^/    %preun: /' /tmp/preun.log | tail -n 10
while read -r f; do [ -d "$f" ] || rm -f "$f"; done </rp/rpm-files
sed -n 's|^\(/usr/src/roxpool-[^/]*\)/.*|\1|p' /rp/rpm-files | sort -u | xargs -r rm -rf
check "%postun 0 (sh)" sh -c 'sh /rp/postun.sh 0 >/tmp/postun.log 2>&1'
sed 's/^/    %postun: /' /tmp/postun.log | tail -n 10
log "the erase took $(($(date +%s) - t))s"
expect_eq "dkms status after the erase" "$(dkms status roxpool 2>/dev/null)" ""
check "no roxpool.ko left in /usr/lib/modules/$kver" sh -c "! find /usr/lib/modules/$kver -name 'roxpool.ko*' | grep -q ."
lsinitrd "$ird" >/tmp/lsinitrd 2>&1
check "the initramfs %postun made is dracut's" grep -q '^dracut modules:' /tmp/lsinitrd
check "the initramfs has no roxpool.ko now" not grep -q 'roxpool\.ko' /tmp/lsinitrd
check "nor rd.driver.pre=roxpool" not sh -c "lsinitrd -f etc/cmdline.d/20-force_drivers.conf '$ird' 2>/dev/null | grep -q roxpool"
# roxpool stays loaded until the next boot (the modules it pools are in use): boot 3.
finish
