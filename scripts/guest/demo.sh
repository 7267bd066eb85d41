# SPDX-License-Identifier: GPL-2.0
# Guest side of "make demo": roxpool on a stock kernel, real modules loaded
# and used, then what roxpool saw.
MODS="btrfs xfs ext4 vfat nls_cp437 nls_ascii brd loop dummy veth bridge 8021q vxlan wireguard tun"
S=/sys/kernel/debug/roxpool/stats

echo "== roxpool loaded on $(uname -r)"
grep -E '^(mode|reason|enabled|hooks):' $S
echo
echo "== loading real modules with kmod's modprobe: $MODS"
before=$(wc -l < /proc/modules)
for m in $MODS; do
	case $m in
	brd) modprobe brd rd_nr=1 rd_size=131072 ;;
	*) modprobe "$m" ;;
	esac || echo "modprobe $m failed"
done
echo "$(($(wc -l < /proc/modules) - before)) modules loaded (with dependencies)"
echo
echo "== using them"
mkdir -p /mnt
mkfs.btrfs -q -f /dev/ram0 >/dev/null && mount -t btrfs /dev/ram0 /mnt &&
	echo "hello from btrfs" > /mnt/hello && sync && cat /mnt/hello && umount /mnt
ip link add rp-br0 type bridge && ip link add rp-v0 type veth peer name rp-v1 &&
	ip link set rp-v0 master rp-br0 && ip link set rp-br0 up &&
	ip -br link show master rp-br0
echo
echo "== /sys/kernel/debug/roxpool/stats"
cat $S
echo
echo "== toggling: echo 0 > /sys/module/roxpool/parameters/enabled"
echo 0 > /sys/module/roxpool/parameters/enabled
grep '^enabled:' $S
echo 1 > /sys/module/roxpool/parameters/enabled
echo
# One line for the modules loaded: their translations with roxpool, from the census, and what
# stock 6.12 maps the same text with: one 4 KiB translation per page of each module's text.
C=/sys/kernel/debug/roxpool/census
awk '/^#/ || NF != 6 || $1 == "roxpool" { next }
	{ n++; text += $2; stock += int(($2 + 4095) / 4096) }
	END { printf "%d %d %d\n", n, text, stock }' $C | {
	read -r n text stock
	printf '== in one line: %s modules, %s KiB of text: with roxpool %s x 2M + %s x 4K translations (roxpool'"'"'s own text among the 4K); stock 6.12 would need %s x 4K\n' \
		"$n" $((text / 1024)) "$(sed -n 's/^text_tlb_2m: //p' $C)" "$(sed -n 's/^text_tlb_4k: //p' $C)" "$stock"
}
