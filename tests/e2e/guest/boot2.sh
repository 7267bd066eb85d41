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

log "roxpool-metrics.timer: off after installation; the one command of the README turns it on"
prom=/var/lib/prometheus/node-exporter/roxpool.prom
expect_eq "timer off by default" "$(systemctl is-enabled roxpool-metrics.timer)" disabled
check "no metrics file yet" test ! -e "$prom"
check "systemctl enable --now roxpool-metrics.timer" systemctl enable --now roxpool-metrics.timer
check "the timer wrote $prom" wait_for 60 test -s "$prom"
check "the timer is active" systemctl is-active --quiet roxpool-metrics.timer
expect_eq "roxpool-metrics.service result" "$(systemctl show -P Result roxpool-metrics.service)" success
check "$prom parses (every sample typed and documented)" prom_parses "$prom"
expect_eq "roxpool_up" "$(prom_value "$prom" roxpool_up)" 1
expect_eq "mode in roxpool_info" "$(sed -n 's/^roxpool_info{.*mode="\([a-z]*\)".*/\1/p' "$prom")" hook
expect_eq "pooled modules: metric and census" "$(prom_value "$prom" roxpool_census_pooled_modules)" \
	"$(sed -n 's/^pooled_modules: //p' "$census")"
expect_eq "W+X pages" "$(prom_value "$prom" roxpool_census_wx_pages)" 0
log "trigger it: modprobe brd, systemctl start roxpool-metrics.service"
check "modprobe brd" modprobe brd rd_nr=1 rd_size=1024
check "systemctl start roxpool-metrics.service" systemctl start roxpool-metrics.service
expect_eq "brd pooled, in the refreshed file" "$(prom_value "$prom" 'roxpool_module_pooled{module="brd"}')" 1
check "parses" prom_parses "$prom"
# The host checks this copy with promtool (tests/e2e/run).
cp "$prom" /rp/boot2-metrics.prom
check "rmmod brd" rmmod brd

log "options roxpool enabled=0 in /etc/modprobe.d/roxpool.conf, update-initramfs -u"
echo 'options roxpool enabled=0' >>/etc/modprobe.d/roxpool.conf
t=$(date +%s)
check "update-initramfs -u" update-initramfs -u -k "$kver"
log "update-initramfs took $(($(date +%s) - t))s"
finish
