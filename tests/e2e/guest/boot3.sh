# SPDX-License-Identifier: GPL-2.0
# Third boot: the initramfs loaded roxpool with "enabled=0" from /etc/modprobe.d, so nothing is
# pooled. Then removal: dkms remove and dpkg --purge leave nothing behind.
. /rp/lib.sh
kver=$(uname -r)
pv=$(cat /rp/version)
census=/sys/kernel/debug/roxpool/census

check "roxpool loaded at boot" sh -c 'lsmod | grep -q "^roxpool "'
expect_eq "the first module loaded" "$(tail -n 1 /proc/modules | cut -d' ' -f1)" roxpool
cat "$RP_STATS"
expect_eq "enabled (modprobe.d: enabled=0)" "$(stat enabled)" 0
expect_eq "parameter" "$(cat "$RP_PARAM")" N
expect_eq "pool_allocs" "$(stat pool_allocs)" 0
expect_ge "pool_fallback_disabled" "$(stat pool_fallback_disabled)" 5
expect_eq "census: pooled modules" "$(sed -n 's/^pooled_modules: //p' "$census")" 0

log "roxpool-metrics.timer, enabled in boot 2, refreshes the metrics at boot"
prom=/var/lib/prometheus/node-exporter/roxpool.prom
expect_eq "timer enabled" "$(systemctl is-enabled roxpool-metrics.timer)" enabled
check "the metrics say enabled 0" wait_for 60 grep -qx 'roxpool_enabled 0' "$prom"
check "$prom parses" prom_parses "$prom"
expect_eq "pool_allocs_total" "$(prom_value "$prom" roxpool_pool_allocs_total)" 0

log "dkms remove roxpool/$pv --all"
check "dkms remove" dkms remove "roxpool/$pv" --all
dkms status | tee /tmp/status
expect_eq "dkms status after remove" "$(cat /tmp/status)" ""
expect_eq "roxpool.ko left in /usr/lib/modules" \
	"$(find /usr/lib/modules -name 'roxpool.ko*' | tr '\n' ' ')" ""
log "dpkg --purge roxpool-dkms"
check "dpkg --purge roxpool-dkms" dpkg --purge roxpool-dkms
for p in /var/lib/dkms/roxpool "/usr/src/roxpool-$pv" /etc/modprobe.d/roxpool.conf \
	/usr/lib/modules-load.d/roxpool.conf /usr/share/initramfs-tools/hooks/roxpool-dkms \
	/usr/share/initramfs-tools/scripts/init-top/roxpool /usr/sbin/roxpool-stat \
	/usr/lib/systemd/system/roxpool-metrics.service /usr/lib/systemd/system/roxpool-metrics.timer \
	/etc/systemd/system/timers.target.wants/roxpool-metrics.timer "$prom"; do
	check "gone: $p" test ! -e "$p"
done
check "roxpool-metrics.timer stopped" not systemctl is-active --quiet roxpool-metrics.timer
check "the initramfs no longer has roxpool" \
	sh -c "! lsinitramfs /boot/initrd.img-$kver | grep -E 'roxpool\.ko|init-top/roxpool|modprobe.d/roxpool'"
finish
