# SPDX-License-Identifier: GPL-2.0
# Second boot, on the initramfs the guest regenerated when roxpool-dkms was installed: roxpool
# loaded before udev loaded the boot's drivers, so they are pooled. Then "enabled=0" in
# /etc/modprobe.d/roxpool.conf and update-initramfs, for the third boot.
. /rp/lib.sh
kver=$(uname -r)
census=/sys/kernel/debug/roxpool/census

check "roxpool loaded at boot" sh -c 'lsmod | grep -q "^roxpool "'
# /proc/modules lists the newest module first.
expect_eq "the first module loaded" "$(tail -n 1 /proc/modules | cut -d' ' -f1)" roxpool
cat "$RP_STATS"
expect_eq "mode" "$(stat mode)" hook
expect_eq "enabled" "$(stat enabled)" 1
expect_ge "pool_allocs right after boot" "$(stat pool_allocs)" 5
expect_ge "text_rox_calls" "$(stat text_rox_calls)" 5
cat "$census"
expect_eq "modules not pooled (roxpool's own text aside)" \
	"$(awk 'NF == 6 && $1 !~ /^#/ && $4 != "yes" && $1 != "roxpool" { printf "%s ", $1 }' "$census")" ""
for m in virtio_blk ext4; do
	[ -d "/sys/module/$m/sections" ] || continue # built in
	expect_eq "census: $m (loaded at boot) pooled" "$(awk -v m="$m" '$1 == m { print $4 }' "$census")" yes
done
expect_eq "census: W+X pages" "$(sed -n 's/^wx_pages: //p' "$census")" 0
roxpool-stat -n 5
journalctl -b -o short-monotonic --no-pager -k -g 'roxpool' | head -n 5

log "options roxpool enabled=0 in /etc/modprobe.d/roxpool.conf, update-initramfs -u"
echo 'options roxpool enabled=0' >>/etc/modprobe.d/roxpool.conf
t=$(date +%s)
check "update-initramfs -u" update-initramfs -u -k "$kver"
log "update-initramfs took $(($(date +%s) - t))s"
finish
