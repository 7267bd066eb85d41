# SPDX-License-Identifier: GPL-2.0
# Guest side of scripts/itlb-model: module-heavy workloads, each run with
# roxpool switched off (stock) and on (pooled) in one boot, or once on a
# kernel with the native ROX cache, each inside a measured phase of the
# host's iTLB model ("rp-host itlb-phase NAME" starts one, "-" ends it).
#
# Usage: sh itlb-model.sh NPARTS ITERS WORKLOAD...
#   WORKLOAD: itlb (the rp_itlb chain: NPARTS modules from the host, ITERS
#   calls), xfs, btrfs (metadata work on a brd RAM disk), net (pings and
#   small TCP between two network namespaces through veth, a bridge, VXLAN
#   and nf_tables with conntrack and NAT), crypt (dm-crypt I/O on brd)
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

# placed MODULE...: "MODEL place.NAME pooled/modules 4k 2m" for these
# modules: their text's 4K translations, and the distinct 2 MiB pages its
# 2M translations map (modules sharing a chunk share its translation).
# The text of a module is [base, base + core_text) with base from
# /proc/modules; the module area lies in the top 2 GiB, so the low 32 bits
# of an address tell its 2 MiB page.
placed() {
	awk -v l=" $* " '
	function lo32(a, i, v) {
		a = substr(a, length(a) - 7); v = 0
		for (i = 1; i <= 8; i++) v = v * 16 + index("0123456789abcdef", substr(a, i, 1)) - 1
		return v
	}
	FILENAME == "/proc/modules" { base[$1] = $6; next }
	index(l, " " $1 " ") {
		n++; p += ($4 == "yes"); k += $5
		if ($4 != "yes") u = u " " $1
		if ($6 > 0) {
			b = lo32(base[$1])
			for (q = int(b / 2097152); q <= int((b + $2 - 1) / 2097152); q++) pages[q] = 1
		}
	}
	END {
		for (q in pages) m++
		printf "%d/%d %d %d%s\n", p, n, k, m, (u && p) ? " (not pooled:" u ")" : ""
	}' /proc/modules $C
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
itlb_prepare() { :; }
itlb_unload() { :; }

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
fs_unload() { umount /mnt/fs; }

# A packet path through modules.  Namespace a reaches namespace b through
# the root namespace, which routes: a's packets go into a VXLAN tunnel
# (vxlan, udp_tunnel) over a veth pair whose root end is a bridge port; the
# root namespace takes them out of the tunnel and forwards them through
# nf_tables with connection tracking and NAT (masquerade: b sees the
# router's address) over a second veth pair to b.
NET_MODS="veth bridge vxlan nf_tables nft_chain_nat nft_ct nft_masq"
net_load() { for k in $NET_MODS; do modprobe "$k" || return 1; done; }
net_prepare() {
	ip netns add a && ip netns add b &&
	ip link add br0 type bridge && ip link set br0 up &&
	ip addr add 10.9.1.254/24 dev br0 &&
	ip link add va type veth peer name va1 && ip link set va netns a &&
	ip link set va1 master br0 && ip link set va1 up &&
	ip -n a addr add 10.9.1.1/24 dev va && ip -n a link set va up && ip -n a link set lo up &&
	ip link add vb type veth peer name vb1 && ip link set vb netns b &&
	ip addr add 10.9.2.254/24 dev vb1 && ip link set vb1 up &&
	ip -n b addr add 10.9.2.1/24 dev vb && ip -n b link set vb up && ip -n b link set lo up &&
	ip -n a link add vx0 type vxlan id 42 local 10.9.1.1 remote 10.9.1.254 dstport 4789 dev va &&
	ip -n a addr add 10.9.3.1/24 dev vx0 && ip -n a link set vx0 up &&
	ip link add vx0 type vxlan id 42 local 10.9.1.254 remote 10.9.1.1 dstport 4789 dev br0 &&
	ip addr add 10.9.3.254/24 dev vx0 && ip link set vx0 up &&
	ip -n a route add 10.9.2.0/24 via 10.9.3.254 &&
	echo 1 > /proc/sys/net/ipv4/ip_forward &&
	nft -f - <<'NFT'
table ip rp {
	chain rp_fwd {
		type filter hook forward priority 0; policy drop;
		ct state established,related counter accept
		iifname "vx0" oifname "vb1" ct state new counter accept
	}
	chain rp_post {
		type nat hook postrouting priority 100;
		oifname "vb1" counter masquerade
	}
}
NFT
}
# nft_packets CHAIN: the first rule counter's packets in CHAIN of table rp.
nft_packets() {
	nft list chain ip rp "$1" | sed -n 's/.*counter packets \([0-9]*\) .*/\1/p' | head -n 1
}
# Small packets, one at a time: 3,000 pings from namespace a to b, each sent
# as soon as the last reply came (busybox ping -A), then 10 TCP connections
# of 64 KiB in 1 KiB writes.  (Bulk TCP alone rides GSO: few, large packets.)
# Then the path is checked: the replies were forwarded as established
# connections, and each connection was masqueraded.
net_run() {
	ip netns exec a ping -A -q -c 3000 10.9.2.1 > /dev/null || return 1
	for _ in $(seq 10); do
		ip netns exec b nc -l -p 5001 > /dev/null &
		sleep 0.2
		dd if=/dev/zero bs=1k count=64 2>/dev/null | ip netns exec a nc -w 5 10.9.2.1 5001 ||
			{ kill $! 2>/dev/null; return 1; }
		wait
	done
	[ "$(nft_packets rp_fwd)" -ge 6000 ] || { echo "forwarded: $(nft_packets rp_fwd) < 6000"; return 1; }
	[ "$(nft_packets rp_post)" -ge 11 ] || { echo "masqueraded: $(nft_packets rp_post) < 11"; return 1; }
}
net_unload() {
	nft delete table ip rp 2>/dev/null
	echo 0 > /proc/sys/net/ipv4/ip_forward
	ip link del vx0 2>/dev/null; ip link del br0 2>/dev/null
	ip link del va1 2>/dev/null; ip link del vb1 2>/dev/null
	ip netns del a 2>/dev/null; ip netns del b 2>/dev/null
}

# dm-crypt I/O: a dm-crypt device (aes-xts-plain64, a fixed 512-bit key)
# over a 256 MiB brd RAM disk: 64 MiB written and read back twice through
# the page cache, dropped in between, so that every block is encrypted and
# decrypted by dm-crypt's workers (dm_crypt, xts and aesni_intel when the
# CPU has AES-NI, all modules).  Checked after the measured phase: the data
# reads back, and the RAM disk holds none of it in clear.
crypt_load() {
	modprobe brd rd_nr=1 rd_size=262144 && modprobe dm_crypt && modprobe xts || return 1
	modprobe aesni_intel 2>/dev/null || echo "MODEL note no AES-NI: aes-generic"
}
crypt_dev=
crypt_prepare() {
	key=$(seq 64 | awk '{ printf "%02x", $1 }')
	dmsetup --noudevsync create rpcrypt --table \
		"0 $(blockdev --getsz /dev/ram0) crypt aes-xts-plain64 $key 0 /dev/ram0 0" || return 1
	for d in /sys/block/dm-*; do
		[ "$(cat "$d/dm/name")" = rpcrypt ] && crypt_dev=/dev/${d##*/}
	done
	[ -b "$crypt_dev" ] || { echo "no block device for rpcrypt"; return 1; }
	yes roxpool-plaintext | head -c $((64 << 20)) > /tmp/plain || return 1
	echo "MODEL note xts(aes): $(awk '/^name/ { n = $3 } /^driver/ && n == "xts(aes)" { print $3; exit }' /proc/crypto)"
}
crypt_run() {
	for _ in 1 2; do
		dd if=/tmp/plain of="$crypt_dev" bs=64k conv=fsync 2>/dev/null || return 1
		echo 3 > /proc/sys/vm/drop_caches
		dd if="$crypt_dev" of=/dev/null bs=64k count=1024 2>/dev/null || return 1
		echo 3 > /proc/sys/vm/drop_caches
	done
}
crypt_unload() {
	crypt_ok=0
	[ "$(head -c $((64 << 20)) "$crypt_dev" | md5sum)" = "$(md5sum < /tmp/plain)" ] ||
		{ echo "dm-crypt: the data does not read back"; crypt_ok=1; }
	! head -c $((64 << 20)) /dev/ram0 | grep -q roxpool-plaintext ||
		{ echo "dm-crypt: plaintext on the RAM disk"; crypt_ok=1; }
	rm -f /tmp/plain
	dmsetup --noudevsync remove rpcrypt && return "$crypt_ok"
}

# modules_now: the names of the loaded modules, one per line.
modules_now() { cut -d' ' -f1 /proc/modules; }
# modules_new BEFORE: those not in the list BEFORE (a file).
modules_new() { modules_now | grep -vxF -f "$1"; }
# unload_new BEFORE: unload every module not in the list BEFORE (a file),
# users first, waiting up to 20 s for what lets go late (a network
# namespace's conntrack goes with the namespace, in a work item).
unload_new() {
	for _ in $(seq 40); do
		left=$(modules_new "$1")
		[ -n "$left" ] || return 0
		for k in $left; do
			[ "$(awk -v m="$k" '$1 == m { print $3 }' /proc/modules)" = 0 ] && rmmod "$k" 2>/dev/null
		done
		sleep 0.5
	done
	echo "still loaded: $(modules_new "$1" | tr '\n' ' ')"
	return 1
}

# run WORKLOAD MODE: load its modules in MODE, set up, measure, tear down,
# unload every module that came with it.  Workload W is the functions
# W_load, W_prepare, W_run and W_unload (fs_* for xfs and btrfs), given W.
run() {
	w=$1 m=$2 kind=$1
	case $w in
	xfs|btrfs) kind=fs ;;
	esac
	case $m in
	stock) echo 0 > $P ;;
	pooled) echo 1 > $P ;;
	esac
	modules_now > /tmp/mods.before
	if ! "${kind}_load" "$w"; then
		err "$w: loading its modules"
		unload_new /tmp/mods.before
		return
	fi
	if ! "${kind}_prepare" "$w"; then
		err "$w: setting up"
		"${kind}_unload" "$w"
		unload_new /tmp/mods.before
		return
	fi
	# shellcheck disable=SC2046 # a list of names
	echo "MODEL place.$w.$m $(placed $(modules_new /tmp/mods.before))"
	phase "$w.$m" "${kind}_run"
	"${kind}_unload" "$w" || err "$w: tearing down"
	unload_new /tmp/mods.before || err "$w: unloading its modules"
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
