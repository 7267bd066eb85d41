# SPDX-License-Identifier: GPL-2.0
# Guest side of scripts/itlb-model: module-heavy workloads, each run with
# roxpool switched off (stock) and on (pooled) in one boot, or once on a
# kernel with the native ROX cache, each inside a measured phase of the
# host's iTLB model ("rp-host itlb-phase NAME" starts one, "-" ends it).
#
# Usage: sh itlb-model.sh NPARTS ITERS WORKLOAD...
#   WORKLOAD: itlb (the rp_itlb chain: NPARTS modules from the host, ITERS
#   calls), xfs, btrfs (metadata work on a brd RAM disk), net (TCP through
#   veth and a bridge between two network namespaces: pings, small TCP)
# Prints "MODEL key value" lines; exits non-zero when a step fails.
# shellcheck disable=SC2317 # the workloads' functions run through phase
set -u
NPARTS=$1 ITERS=$2
shift 2
P=/sys/module/roxpool/parameters/enabled
C=/sys/kernel/debug/roxpool/census
MODE=$(sed -n 's/^mode: //p' /sys/kernel/debug/roxpool/stats)
rc=0
err() { echo "MODEL error $*"; rc=1; }
now() { cut -d' ' -f1 /proc/uptime; }

# phase NAME CMD...: run CMD inside measured phase NAME; print its guest time.
phase() {
	name=$1
	shift
	rp-host itlb-phase "$name" >/dev/null || err "itlb-phase $name"
	t0=$(now)
	"$@" || err "$name failed"
	t1=$(now)
	rp-host itlb-phase - >/dev/null || err "itlb-phase - after $name"
	echo "MODEL seconds.$name $(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')"
}

# placed MODULE...: "MODEL place.NAME pooled 4k 2m" for these modules.
placed() {
	awk -v l=" $* " 'index(l, " " $1 " ") { n++; p += ($4 == "yes"); k += $5; m += $6
			if ($4 != "yes") u = u " " $1 }
		END { printf "%d/%d %d %d%s\n", p, n, k, m, (u && p) ? " (not pooled:" u ")" : "" }' $C
}

# ---- the workloads ----
itlb_mods=
itlb_load() {
	mkdir -p /tmp/itlb
	itlb_mods="rp_itlb $(seq 0 $((NPARTS - 1)) | sed 's/^/rp_itlb_p/' | tr '\n' ' ')"
	for k in $itlb_mods; do
		[ -f "/tmp/itlb/$k.ko" ] || rp-host "$k.ko" > "/tmp/itlb/$k.ko" || { err "fetch $k.ko"; return 1; }
		insmod "/tmp/itlb/$k.ko" || { err "insmod $k"; return 1; }
	done
}
itlb_run() {
	echo 0 > /sys/module/rp_itlb/parameters/funcs
	echo "$ITERS" > /sys/module/rp_itlb/parameters/iters
	echo 1 > /sys/module/rp_itlb/parameters/run
}
itlb_unload() {
	for k in $itlb_mods; do [ "$k" = rp_itlb ] || rmmod "$k"; done
	rmmod rp_itlb
}

# brd: one 512 MiB RAM disk (mkfs.xfs wants more than 300 MB), filled only as written.
fs_load() { modprobe brd rd_nr=1 rd_size=524288 && modprobe "$1"; }
fs_prepare() {
	case $1 in
	xfs) mkfs.xfs -q -f /dev/ram0 ;;
	btrfs) mkfs.btrfs -q -f /dev/ram0 ;;
	esac > /dev/null && mkdir -p /mnt/fs && mount -t "$1" /dev/ram0 /mnt/fs
}
# Metadata: 2,000 files in 20 directories (bash redirections: no fork per
# file), a copy of the tree, stat of everything, renames, removal; twice.
fs_run() {
	for _ in 1 2; do
		for d in $(seq 20); do
			mkdir -p "/mnt/fs/t/d$d"
			for f in $(seq 100); do : > "/mnt/fs/t/d$d/f$f"; done
		done
		cp -a /mnt/fs/t /mnt/fs/u
		find /mnt/fs -type f | wc -l > /dev/null
		ls -lR /mnt/fs > /dev/null
		for d in $(seq 20); do mv "/mnt/fs/u/d$d" "/mnt/fs/u/e$d"; done
		rm -rf /mnt/fs/t /mnt/fs/u
		sync
	done
}
fs_unload() { umount /mnt/fs && modprobe -r "$1" && rmmod brd; }

net_load() { modprobe veth && modprobe bridge; }
net_prepare() {
	ip netns add a && ip netns add b &&
	ip link add br0 type bridge && ip link set br0 up &&
	ip link add va type veth peer name va1 && ip link add vb type veth peer name vb1 &&
	ip link set va netns a && ip link set vb netns b &&
	ip link set va1 master br0 && ip link set vb1 master br0 &&
	ip link set va1 up && ip link set vb1 up &&
	ip -n a addr add 10.9.0.1/24 dev va && ip -n a link set va up && ip -n a link set lo up &&
	ip -n b addr add 10.9.0.2/24 dev vb && ip -n b link set vb up && ip -n b link set lo up
}
# Small packets, one at a time: 3,000 pings from namespace a to b, each sent
# as soon as the last reply came (busybox ping -A), then 10 TCP connections
# of 64 KiB in 1 KiB writes.  (Bulk TCP alone rides GSO: few, large packets.)
net_run() {
	ip netns exec a ping -A -q -c 3000 10.9.0.2 > /dev/null || return 1
	for _ in $(seq 10); do
		ip netns exec b nc -l -p 5001 > /dev/null &
		sleep 0.2
		dd if=/dev/zero bs=1k count=64 2>/dev/null | ip netns exec a nc -w 5 10.9.0.2 5001 ||
			{ kill $! 2>/dev/null; return 1; }
		wait
	done
}
net_unload() {
	ip link del br0 2>/dev/null; ip link del va1 2>/dev/null; ip link del vb1 2>/dev/null
	ip netns del a 2>/dev/null; ip netns del b 2>/dev/null
	sleep 1
	modprobe -r veth && modprobe -r bridge || return 1
	# bridge's dependencies, if modprobe -r left them
	for k in stp llc; do grep -q "^$k " /proc/modules && rmmod "$k"; done
	true
}

# run WORKLOAD MODE: load its modules in MODE, measure, unload.
run() {
	w=$1 m=$2
	case $m in
	stock) echo 0 > $P ;;
	pooled) echo 1 > $P ;;
	esac
	case $w in
	itlb) itlb_load || return; mods=$itlb_mods ;;
	xfs|btrfs) fs_load "$w" || { err "modprobe $w"; return; }
		fs_prepare "$w" || { err "mkfs/mount $w"; umount /mnt/fs; modprobe -r "$w"; rmmod brd; return; }
		mods="brd $w" ;;
	net) net_load || { err "modprobe veth bridge"; return; }
		net_prepare || { err "network setup"; net_unload; return; }
		mods="veth bridge stp llc" ;;
	esac
	# shellcheck disable=SC2086 # a list of names
	echo "MODEL place.$w.$m $(placed $mods)"
	case $w in
	itlb) phase "$w.$m" itlb_run ;;
	xfs|btrfs) phase "$w.$m" fs_run ;;
	net) phase "$w.$m" net_run ;;
	esac
	case $w in
	itlb) itlb_unload || err "unload rp_itlb" ;;
	xfs|btrfs) fs_unload "$w" || err "unload $w" ;;
	net) net_unload || err "unload net" ;;
	esac
}

echo "MODEL mode $MODE"
for w in "$@"; do
	if [ "$MODE" = hook ]; then
		run "$w" stock
		run "$w" pooled
	else
		run "$w" native
	fi
done
[ "$MODE" = hook ] && echo 1 > $P
exit $rc
