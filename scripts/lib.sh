# shellcheck shell=bash
# Common helpers for roxpool's test harness. Source it from a script in scripts/; do not run it.
#
# Environment:
#   ROXPOOL_CACHE   cache directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/roxpool)
#   ROXPOOL_DEBIAN_MIRROR, ROXPOOL_SECURITY_MIRROR
#                   override the archive URIs taken from the host's apt sources
#   ROXPOOL_KNOWN_REPORTS
#                   the kernel's own early reports (default scripts/kernel-own-reports): tests only

RP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RP_CACHE=${ROXPOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/roxpool}
RP_PROG=${0##*/}
RP_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
RP_CHROOT=$RP_CACHE/trixie-chroot # the build chroot of the "trixie" toolchain
export RP_CHROOT
RP_FLAVOURS='generic cloud rt' # Debian's amd64 kernel flavours (kernel_flavour)

# ---- messages -------------------------------------------------------------------------------
say()  { printf '==> %s\n' "$*" >&2; }
step() { local n=$1 m=$2; shift 2; printf '==> [%s/%s] %s\n' "$n" "$m" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$RP_PROG" "$*" >&2; }
die()  { printf '%s: error: %s\n' "$RP_PROG" "$*" >&2; exit 1; }
# usage [STATUS]: print the script's header comment (its documentation) and exit.
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit "${1:-2}"; }

# run_logged WHAT LOG SECONDS CMD...: run CMD with its output in LOG under a host timeout;
# on failure name the step, show the log's tail and its path, and return CMD's status.
run_logged() {
	local what=$1 log=$2 secs=$3 rc=0
	shift 3
	mkdir -p "$(dirname "$log")"
	timeout --kill-after=10 "$secs" "$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		{
			[ "$rc" -eq 124 ] && printf '%s: %s timed out after %ss\n' "$RP_PROG" "$what" "$secs"
			printf '%s: FAILED: %s (exit %s); last lines of %s:\n' "$RP_PROG" "$what" "$rc" "$log"
			tail -n 25 "$log" | sed 's/^/    /'
			printf '%s: full log: %s\n' "$RP_PROG" "$log"
		} >&2
	fi
	return "$rc"
}

# ---- host packages --------------------------------------------------------------------------
# need_pkgs PKG...: install the host packages that are missing (apt-get update at most once).
need_pkgs() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing host packages (need root to install): ${missing[*]}"
	say "installing host packages: ${missing[*]}"
	local log=$RP_CACHE/logs/apt-install.log
	if [ -z "${RP_APT_UPDATED:-}" ]; then
		run_logged "apt-get update" "$log" 600 apt-get update || exit 1
		export RP_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive run_logged "apt-get install ${missing[*]}" "$log" 1200 \
		apt-get install -y --no-install-recommends "${missing[@]}" || exit 1
}

# need_promtool: print the path of promtool, Prometheus's own checker of metrics files: the
# host's, or the one in Debian's prometheus package, taken out of the .deb into $RP_CACHE/tools
# (installing the package would also start a Prometheus server on the host).
need_promtool() {
	local tool=$RP_CACHE/tools/promtool tmp log=$RP_CACHE/logs/promtool.log
	if command -v promtool >/dev/null; then
		command -v promtool
		return 0
	fi
	if [ ! -x "$tool" ]; then
		need_pkgs apt dpkg tar
		say "fetching promtool from Debian's prometheus package (log: $log)"
		tmp=$(mktemp -d)
		if ! (cd "$tmp" && run_logged "apt-get download prometheus" "$log" 600 apt-get download prometheus); then
			run_logged "apt-get update" "$log" 600 apt-get update &&
				(cd "$tmp" && run_logged "apt-get download prometheus" "$log" 600 apt-get download prometheus) ||
				{ rm -rf "$tmp"; exit 1; }
		fi
		mkdir -p "$(dirname "$tool")"
		dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb | tar -xO ./usr/bin/promtool >"$tool.tmp" &&
			chmod 0755 "$tool.tmp" && mv "$tool.tmp" "$tool" || { rm -rf "$tmp" "$tool.tmp"; exit 1; }
		rm -rf "$tmp"
	fi
	printf '%s\n' "$tool"
}

# ---- Debian archive, through a private apt configuration --------------------------------------
# The host's own apt configuration is never changed: lists, cache and sources live in $RP_CACHE/apt.

# host_apt_uris: every archive URI in the host's apt sources, one per line.
host_apt_uris() {
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			sed -n 's/^[[:space:]]*URIs:[[:space:]]*//p' | tr -s ' \t' '\n'
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]\+\).*/\2/p'
	} | sed 's:/*$::' | grep -v '^$' | awk '!seen[$0]++'
}

# debian_mirror / security_mirror: the archive URIs, from the host's sources.
debian_mirror() {
	local u=${ROXPOOL_DEBIAN_MIRROR:-}
	[ -n "$u" ] || u=$(host_apt_uris | grep -E '/debian$' | head -n 1) || true
	[ -n "$u" ] || u=$(host_apt_uris | grep -v -E 'debian-security$' | head -n 1) || true
	[ -n "$u" ] || die "no Debian archive URI found in the host's apt sources"
	printf '%s\n' "$u"
}
security_mirror() {
	local u=${ROXPOOL_SECURITY_MIRROR:-}
	[ -n "$u" ] || u=$(host_apt_uris | grep -E '/debian-security$' | head -n 1) || true
	[ -n "$u" ] || u="$(debian_mirror)-security"
	printf '%s\n' "$u"
}

RP_APT_DIR=$RP_CACHE/apt
RP_APT_OPTS=(-o "Dir::Etc::SourceList=$RP_APT_DIR/sources.list" -o Dir::Etc::SourceParts=-
	-o "Dir::State::Lists=$RP_APT_DIR/lists" -o "Dir::Cache=$RP_APT_DIR/cache"
	-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=-
	-o APT::Architecture=amd64 -o Acquire::Languages=none -q)
# usage: apt-get "${RP_APT_OPTS[@]}" ...; apt-cache "${RP_APT_OPTS[@]}" ...

# apt_private_update [force]: write the private sources.list (one entry per suite named in
# kernels.conf) and refresh its lists when they are missing, stale (>1 day) or the sources changed.
# shellcheck disable=SC2120 # fetch-kernel passes "force"
apt_private_update() {
	local force=${1:-} main sec suite new old
	need_pkgs apt debian-archive-keyring
	main=$(debian_mirror)
	sec=$(security_mirror)
	mkdir -p "$RP_APT_DIR/lists/partial" "$RP_APT_DIR/cache/archives/partial"
	new=$(for suite in $(kernel_suites); do
		case $suite in
		*-security) printf 'deb [signed-by=%s] %s %s main\n' "$RP_KEYRING" "$sec" "$suite" ;;
		*) printf 'deb [signed-by=%s] %s %s main\n' "$RP_KEYRING" "$main" "$suite" ;;
		esac
	done)
	old=$(cat "$RP_APT_DIR/sources.list" 2>/dev/null || true)
	if [ "$new" != "$old" ]; then
		printf '%s\n' "$new" >"$RP_APT_DIR/sources.list"
		force=1
	fi
	local stamp=$RP_APT_DIR/updated lock
	if [ -z "$force" ] && [ -f "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440)" ]; then
		return 0
	fi
	# One refresh at a time (make check's steps, other checkouts sharing the cache); whoever
	# waited finds the lists fresh.
	exec {lock}>"$RP_APT_DIR/update.lock"
	flock "$lock"
	if [ -z "$force" ] && [ -f "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440)" ]; then
		exec {lock}>&-
		return 0
	fi
	say "refreshing private package lists ($(kernel_suites | tr '\n' ' '))"
	run_logged "apt-get update (private lists)" "$RP_CACHE/logs/apt-update.log" 600 \
		apt-get "${RP_APT_OPTS[@]}" update || exit 1
	touch "$stamp"
	exec {lock}>&-
}

# ---- judging a guest's kernel log -------------------------------------------------------------
# What fails a VM run, whoever boots it (scripts/vm-run, tests/e2e/run): a kernel report (BUG,
# WARNING, Oops, Call Trace, soft lockup, hung task, RCU stall, general protection, panic) and a
# taint other than out-of-tree (O, 4096) and unsigned (E, 8192). The debug kernels' checkers
# report through these too (lockdep "WARNING: possible circular locking", "BUG: KASAN",
# "BUG: KFENCE", page_table_check's "kernel BUG"), plus: kCFI's "CFI failure", UBSAN, lockdep's
# own assertions and INFO lines, the W+X check, and kmemleak's "unreferenced object" (from the
# guest's kmemleak scan at the end of the run, see scripts/guest/init).
RP_KMSG_BAD='BUG:|WARNING:|Oops|Call Trace|soft lockup|hung_task|blocked for more than|Kernel panic|general protection|kernel BUG|self-detected stall|detected stalls on|CFI failure|UBSAN:|DEBUG_LOCKS_WARN_ON|INFO: (possible|suspicious|trying to register)|W\+X mappings: FAILED|unreferenced object 0x'

# guest_kmsgs LOG: the kernel's messages in a console log: the dmesg dump the guest printed
# between @@RP-DMESG-BEGIN@@ and @@RP-DMESG-END@@ when it got that far (and kmemleak's report
# between its markers), else the whole log. A boot that resumed a hibernated session
# (@@RP-RESUME DEV@@) dumps the resumed kernel's log: the messages of the kernel that booted and
# loaded the image are only on the console, so its timestamped lines before the dump count too.
guest_kmsgs() {
	if grep -q '^@@RP-DMESG-END@@$' "$1"; then
		grep -q '@@RP-RESUME [^ ]*@@$' "$1" &&
			sed -n -e '/^@@RP-DMESG-BEGIN@@$/q' -e '/^\[ *[0-9]*\.[0-9]*\] /p' "$1"
		sed -n -e '/^@@RP-KMEMLEAK-BEGIN@@$/,/^@@RP-KMEMLEAK-END@@$/p' \
			-e '/^@@RP-DMESG-BEGIN@@$/,/^@@RP-DMESG-END@@$/p' "$1"
	else
		cat "$1"
	fi
}

# kmsg_scan [ALLOWFILE [KNOWNFILE]]: read kernel messages on stdin; print "bad LINE" for the first
# kernel report that is neither allowed nor known, then "allowed N", the number of reports
# allowed, and "known N NAME…", the kernel's own reports found (scripts/kernel-own-reports).
# A report runs from "cut here" (or its first bad line) to "end trace"; a KASAN or KFENCE report
# to its closing line of "=". It is allowed when one of its lines matches one of the EREs in
# ALLOWFILE, one per line; known when it matches every ERE of one of KNOWNFILE's entries, the
# first one on its first bad line. Lines of the @@RP-…@@ markers are never reports.
kmsg_scan() {
	awk -v allowfile="${1:-/dev/null}" -v knownfile="${2:-/dev/null}" -v bad="$RP_KMSG_BAD" '
	BEGIN {
		while ((getline a < allowfile) > 0) if (a != "") allow[++na] = a
		while ((getline a < knownfile) > 0) {
			if (a ~ /^#/ || a == "") continue
			if (a ~ /^report /) { kname[++nk] = substr(a, 8); kn[nk] = 0; continue }
			if (nk) kre[nk, ++kn[nk]] = a
		}
	}
	function close_report(   k, j, all) {
		if (first != "") {
			if (ok) nallowed++
			else {
				for (k = 1; k <= nk && !ok; k++) {
					all = kn[k] > 0 && first ~ kre[k, 1]
					for (j = 2; j <= kn[k] && all; j++) all = ((k, j) in seen)
					if (all) { nknown++; knames = knames " " kname[k]; ok = 1 }
				}
				if (!ok && found == "") found = first
			}
		}
		inrep = 0; first = ""; ok = 0; nlines = 0; split("", seen)
	}
	{
		if ($0 ~ /^@@RP-KMEMLEAK-END@@$/) { close_report(); next }
		if ($0 ~ /-+\[ cut here \]-+/ || $0 ~ /unreferenced object 0x/) { close_report(); inrep = 1 }
		if ($0 ~ bad && $0 !~ /^@@RP-/) { if (!inrep) { inrep = 1 } if (first == "") first = $0 }
		if (inrep) {
			for (i = 1; i <= na; i++) if ($0 ~ allow[i]) ok = 1
			for (k = 1; k <= nk; k++) for (j = 2; j <= kn[k]; j++) if ($0 ~ kre[k, j]) seen[k, j] = 1
			if ($0 ~ /---\[ end (trace|Kernel panic)/ || ++nlines > 200 ||
			    (first ~ /BUG: K(ASAN|FENCE):/ && $0 != first && $0 ~ /\] =+$/)) close_report()
		}
	}
	END {
		close_report(); if (found != "") print "bad " found; print "allowed " nallowed + 0
		print "known " nknown + 0 knames
	}'
}

# taint_ok TAINT [NALLOWED [BITS]]: TAINT (/proc/sys/kernel/tainted) has no bit but O and E, W
# when NALLOWED > 0 reports were allowed, and the BITS allowed besides (vm-run --allow-taint).
taint_ok() {
	local ok_bits=$((4096 | 8192 | ${3:-0}))
	[ "${2:-0}" -gt 0 ] && ok_bits=$((ok_bits | 512))
	[ -n "$1" ] && [ -z "${1//[0-9]/}" ] && [ $(($1 & ~ok_bits)) -eq 0 ]
}

# The kernel's own early reports that void a boot (see the file; ROXPOOL_KNOWN_REPORTS replaces
# it, for tests/boot-taint only).
RP_KNOWN_REPORTS=${ROXPOOL_KNOWN_REPORTS:-$RP_ROOT/scripts/kernel-own-reports}

# guest_verdict LOG QRC HOST_TMO ELAPSED [ALLOWFILE [EXTRA_TAINT [QEMU_DEBUG_LOG]]]: judge one boot
# from its console LOG (the @@RP-…@@ markers of scripts/guest/init or tests/e2e/guest/run) and QEMU's
# exit status QRC. Prints "CODE REASON": 0 and nothing for a pass; else vm-run's exit codes (see
# its --help): 70 panic, 71 hang, 72 stopped without end marker or triple fault, 66 roxpool.ko did
# not load, 67 a kernel report, 68 taint, 69 the script timed out, or the script's own exit status;
# 73 for a boot that hibernated: the guest announced it (@@RP-HIBERNATE@@ in the kernel log) and
# QEMU exited normally at the power-off, with no kernel report (that boot passes only if a later
# boot resumes it: scripts/vm-run --then --resume); 74 for a void boot: the guest ran nothing
# because the kernel tainted itself before userspace (@@RP-BOOT-TAINTED n@@), and every report of
# the boot is one of the kernel's own early ones ($RP_KNOWN_REPORTS): the caller boots again.
guest_verdict() {
	local log=$1 qrc=$2 host_tmo=$3 elapsed=$4 allowfile=${5:-/dev/null} extra_taint=${6:-0}
	local qdebug=${7:-} scan bad nallowed panic taint status known
	vmarker() { sed -n "s/^.*@@RP-$1\( \(.*\)\)\{0,1\}@@\$/\2/p" "$log" | tail -n 1; }
	scan=$(guest_kmsgs "$log" | kmsg_scan "$allowfile")
	bad=$(sed -n 's/^bad //p' <<<"$scan" | sed -e 's/^\[ *[0-9.]*\] //')
	nallowed=$(sed -n 's/^allowed //p' <<<"$scan")
	if ! grep -q '^@@RP-END@@$' "$log"; then
		panic=$(grep -m1 -E 'Kernel panic - not syncing' "$log" | sed -e 's/^\[ *[0-9.]*\] //' || true)
		[ "$bad" != "$panic" ] || bad=
		if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
			echo "71 hang: no end marker after ${host_tmo}s, QEMU killed by the host timeout${bad:+; first trouble: $bad}"
		elif [ -n "$panic" ]; then
			echo "70 kernel panic after ${elapsed}s: $panic${bad:+; first trouble: $bad}"
		elif [ -n "$qdebug" ] && grep -q '^Triple fault' "$qdebug" 2>/dev/null; then
			echo "72 triple fault (the CPU reset itself) after ${elapsed}s; CPU state in $qdebug${bad:+; first trouble: $bad}"
		elif [ "$qrc" -eq 0 ] && grep -q '@@RP-HIBERNATE@@$' "$log"; then
			if [ -n "$bad" ]; then
				echo "67 guest log (hibernating): $bad"
			else
				echo "73 hibernated after ${elapsed}s: powered off with the session saved; no boot resumed it"
			fi
		else
			echo "72 guest stopped without end marker (QEMU exit $qrc)${bad:+; first trouble: $bad}"
		fi
		return 0
	fi
	if grep -q '^@@RP-BOOT-TAINTED [0-9]*@@$' "$log"; then
		# The kernel tainted itself before userspace: init ran nothing. Void if every report
		# is one of the kernel's own early ones, so that the caller boots again.
		scan=$(guest_kmsgs "$log" | kmsg_scan /dev/null "$RP_KNOWN_REPORTS")
		bad=$(sed -n 's/^bad //p' <<<"$scan" | sed -e 's/^\[ *[0-9.]*\] //')
		known=$(sed -n 's/^known [1-9][0-9]* //p' <<<"$scan")
		if [ -n "$bad" ]; then
			echo "67 guest log, before userspace: $bad"
		elif [ -n "$known" ]; then
			echo "74 void boot: the kernel's own early report ($known) tainted it before userspace"
		else
			echo "68 kernel tainted before userspace: $(vmarker BOOT-TAINTED), with no report"
		fi
		return 0
	fi
	if grep -q '@@RP-INSMOD-FAILED' "$log"; then
		echo "66 roxpool.ko failed to load: $(grep -m1 'rp-init: insmod' "$log" | sed 's/^rp-init: //')"
		return 0
	fi
	[ -z "$bad" ] || { echo "67 guest log: $bad"; return 0; }
	taint=$(vmarker TAINT)
	taint_ok "$taint" "${nallowed:-0}" "$extra_taint" || {
		echo "68 kernel tainted: ${taint:-?}"
		return 0
	}
	if grep -q '@@RP-TIMEOUT[ @]' "$log"; then
		status=$(vmarker TIMEOUT)
		echo "69 script timed out${status:+ after ${status}s}"
		return 0
	fi
	status=$(vmarker STATUS)
	echo "${status:-1}"
}

# ---- kernel matrix --------------------------------------------------------------------------
RP_KCONF=$RP_ROOT/scripts/kernels.conf

# kernels_conf: the matrix without comments: "version suite toolchain mode lane" per line.
kernels_conf() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$RP_KCONF"; }
# kernel_versions [LANE]: the entries of LANE (default $ROXPOOL_LANE, else "check"; "all": every
# one) as kernels.conf names them: pinned versions and "newest" names (matrix_kernels resolves).
kernel_versions() {
	kernels_conf | awk -v l="${1:-${ROXPOOL_LANE:-check}}" 'l == "all" || $5 == l { print $1 }'
}
kernel_suites() { kernels_conf | awk '{print $2}' | awk '!seen[$0]++'; }

# kernel_field VERSION FIELD(suite|toolchain|mode|lane): from VERSION's line, or for a version
# that a "newest" entry stands for (6.12.118+deb12 for 6.12.newest+deb12), from that entry's.
kernel_field() {
	local col
	case $2 in suite) col=2 ;; toolchain) col=3 ;; mode) col=4 ;; lane) col=5 ;; *) die "bad field $2" ;; esac
	kernels_conf | awk -v v="$1" -v c="$col" '
		$1 == v { exact = $c }
		$1 ~ /\.newest\+/ && newest == "" {
			re = $1; gsub(/[.+]/, "[&]", re); sub(/newest/, "[0-9]+", re)
			if (v ~ ("^" re "$")) newest = $c
		}
		END { if (exact != "") print exact; else if (newest != "") print newest; else exit 1 }' ||
		die "kernel $1 is not in $RP_KCONF (known: $(kernel_versions all | tr '\n' ' '))"
}

# ---- the newest 6.12 of a suite ---------------------------------------------------------------
# An entry of kernels.conf whose version has "newest" for its sublevel (6.12.newest+deb12,
# 6.12.newest+deb13-cloud) stands for the newest point of that series, tag and flavour that its
# suite serves with headers, resolved when the matrix runs: "make check" follows Debian's kernel
# updates without an edit. It is never in the tested set that the module is built with (see
# scripts/tested-releases.awk): pin it to make it tested.

# kernel_is_newest NAME: NAME is a "newest" entry.
kernel_is_newest() { case $1 in *.newest+*) return 0 ;; esac; return 1; }

# kernel_resolve NAME: the version NAME stands for now: NAME itself unless it is a "newest" entry;
# for one, the highest sublevel whose linux-image- and linux-headers-VERSION-amd64 are both in its
# suite's package lists (refreshed when older than a day). Cached until the lists next change.
# Fails, saying why, when the lists hold none.
kernel_resolve() {
	local name=$1 suite cache=$RP_APT_DIR/newest ere cands c v best='' mad pkgs=()
	kernel_is_newest "$name" || { printf '%s\n' "$name"; return 0; }
	suite=$(kernel_field "$name" suite)
	(apt_private_update) >&2 || return 1
	if [ "$cache" -nt "$RP_APT_DIR/updated" ] &&
		v=$(awk -v n="$name" '$1 == n { print $2; f = 1 } END { exit !f }' "$cache"); then
		printf '%s\n' "$v"
		return 0
	fi
	ere=$(printf '%s' "$name" | sed -e 's/[.+]/[&]/g' -e 's/newest/[0-9]+/')
	mapfile -t cands < <(apt-cache "${RP_APT_OPTS[@]}" pkgnames "linux-headers-${name%%.newest*}." |
		sed -n 's/^linux-headers-\(.*\)-amd64$/\1/p' | grep -E "^$ere\$" | sort -rV)
	if [ "${#cands[@]}" -gt 0 ]; then
		for c in "${cands[@]}"; do pkgs+=("linux-image-$c-amd64" "linux-headers-$c-amd64"); done
		mad=$(apt-cache "${RP_APT_OPTS[@]}" madison "${pkgs[@]}" 2>/dev/null |
			awk -F' *[|] *' -v s="$suite" '{ gsub(/ /, "", $1); split($3, u, " ") } u[2] ~ ("^" s "/") { print $1 }')
		for c in "${cands[@]}"; do
			grep -qx "linux-image-$c-amd64" <<<"$mad" && grep -qx "linux-headers-$c-amd64" <<<"$mad" &&
				{ best=$c; break; }
		done
	fi
	if [ -z "$best" ]; then
		warn "$name: $suite serves no linux-image- and linux-headers-VERSION-amd64 with VERSION ~ ^$ere\$"
		return 1
	fi
	{ awk -v n="$name" '$1 != n' "$cache" 2>/dev/null; printf '%s %s\n' "$name" "$best"; } >"$cache.$$" &&
		mv "$cache.$$" "$cache"
	printf '%s\n' "$best"
}

# kernel_served VERSION: VERSION can be booted: fetched already (or a debug-lane build), or its
# suite's package lists hold its image and headers.
kernel_served() {
	[ -f "$(kernel_dir "$1")/kernel.env" ] && return 0
	[ "$(kernel_field "$1" lane)" = debug ] && return 0
	(apt_private_update) >&2 || return 1
	[ "$(apt-cache "${RP_APT_OPTS[@]}" madison "linux-image-$1-amd64" "linux-headers-$1-amd64" 2>/dev/null |
		awk -F' *[|] *' -v s="$(kernel_field "$1" suite)" '{ split($3, u, " ") } u[2] ~ ("^" s "/")' |
		wc -l)" -ge 2 ]
}

# kernel_superseded VERSION: VERSION is pinned and a "newest" entry of its suite, flavour and lane
# now resolves to another version (cached resolutions only: matrix_kernels made them). make check
# runs only the core tests on it then, as on the extra lane, so that the newest point takes its
# place and the run's time stays the same.
kernel_superseded() {
	local e r
	kernel_is_newest "$1" && return 1
	for e in $(kernels_conf | awk -v s="$(kernel_field "$1" suite)" -v l="$(kernel_field "$1" lane)" \
		'$1 ~ /\.newest\+/ && $2 == s && $5 == l { print $1 }'); do
		[ "$(kernel_flavour "$e")" = "$(kernel_flavour "$1")" ] || continue
		r=$(awk -v n="$e" '$1 == n { print $2 }' "$RP_APT_DIR/newest" 2>/dev/null)
		[ -n "$r" ] && [ "$r" != "$1" ] && return 0
	done
	return 1
}

# matrix_kernels [LANE]: the kernels to test on LANE (as kernel_versions), "newest" entries
# resolved, each version once: a newest point that is also pinned on the lane is the pinned one.
# A kernel the archive no longer serves (and the cache does not hold) is skipped, with a
# warning, and so is a "newest" entry that does not resolve: neither fails the run.
matrix_kernels() {
	local lane=${1:-${ROXPOOL_LANE:-check}} k v seen=' '
	for k in $(kernel_versions "$lane"); do
		kernel_is_newest "$k" || seen+="$k "
	done
	for k in $(kernel_versions "$lane"); do
		if kernel_is_newest "$k"; then
			v=$(kernel_resolve "$k") || { warn "skipped $k: it does not resolve"; continue; }
			case $seen in *" $v "*) continue ;; esac
			seen+="$v "
			if kernels_conf | awk -v v="$v" '$1 == v { f = 1 } END { exit !f }'; then
				say "$k is $v"
			else
				say "$k is $v, which kernels.conf does not pin: its suite runs here, and roxpool calls it tested once a commit pins it"
			fi
		else
			v=$k
		fi
		if ! kernel_served "$v"; then
			warn "skipped $v: $(kernel_field "$v" suite) no longer serves it (superseded?) and the cache does not hold it; pin a newer one in scripts/kernels.conf"
			continue
		fi
		printf '%s\n' "$v"
	done
}

# kernel_flavour VERSION: Debian's flavour of the kernel: cloud (VERSION ends in -cloud), rt (-rt)
# or generic (the plain amd64 flavour, and the debug lane's builds of it).
kernel_flavour() {
	case $1 in
	*-cloud) echo cloud ;;
	*-rt) echo rt ;;
	*) echo generic ;;
	esac
}

# kernel_dir VERSION: where fetch-kernel unpacks it.
kernel_dir() { printf '%s/kernels/%s\n' "$RP_CACHE" "$1"; }

# load_kernel VERSION: set KUNAME KROOT VMLINUZ MODDIR KHDR for a fetched kernel.
load_kernel() {
	local env
	env=$(kernel_dir "$1")/kernel.env
	[ -f "$env" ] || die "kernel $1 is not fetched (run scripts/fetch-kernel $1)"
	# shellcheck source=/dev/null
	. "$env"
}

# ensure_kernel VERSION: fetch it if needed, then load_kernel.
ensure_kernel() {
	if [ ! -f "$(kernel_dir "$1")/kernel.env" ]; then
		"$RP_ROOT/scripts/fetch-kernel" "$1" >&2 || return 1
	fi
	load_kernel "$1"
}

# ---- building the module --------------------------------------------------------------------
# What build-module and dkms-build copy out of the repository (those that exist): the module's
# sources (scripts/module-sources.conf, which debian/rules installs too), dkms.conf, the test modules.
mapfile -t RP_MODULE_SRCS < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$RP_ROOT/scripts/module-sources.conf")
RP_MODULE_SRCS+=(dkms.conf tests/modules)

# module_out VERSION: the build directory of VERSION inside the repo (gitignored).
module_out() { printf '%s/build/%s\n' "$RP_ROOT" "$1"; }

# sources_hash: a hash of the module sources' contents (not their times).
sources_hash() {
	local p existing=()
	for p in "${RP_MODULE_SRCS[@]}"; do [ -e "$RP_ROOT/$p" ] && existing+=("$p"); done
	[ "${#existing[@]}" -gt 0 ] || die "no module sources in $RP_ROOT (${RP_MODULE_SRCS[*]})"
	(cd "$RP_ROOT" && find "${existing[@]}" -type f -print0 | sort -z | xargs -0 sha256sum) |
		sha256sum | cut -c1-16
}

# copy_sources DEST: a fresh copy of the module sources in DEST.
copy_sources() {
	local p
	mkdir -p "$1"
	for p in "${RP_MODULE_SRCS[@]}"; do
		[ -e "$RP_ROOT/$p" ] || continue
		mkdir -p "$1/$(dirname "$p")"
		cp -a "$RP_ROOT/$p" "$1/$p"
	done
}

# toolchain_prefix VERSION DIR...: set RP_TC to the command prefix that runs a build for VERSION
# in its toolchain (kernels.conf), with DIR... visible at the same paths (the chroot bind-mounts).
toolchain_prefix() {
	local ver=$1 tc d
	shift
	tc=$(kernel_field "$ver" toolchain)
	case $tc in
	host)
		need_pkgs gcc-12 make dwarves libelf-dev bc kmod xz-utils zstd
		RP_TC=(env)
		;;
	trixie | trixie-llvm)
		if [ "$tc" = trixie ]; then "$RP_ROOT/scripts/build-chroot"; else "$RP_ROOT/scripts/build-chroot" --llvm; fi
		RP_TC=("$RP_ROOT/scripts/in-chroot")
		for d in "$@"; do RP_TC+=(--bind "$d"); done
		RP_TC+=(--)
		# clang/LLVM for the kernel and every module built against it (make reads LLVM from the environment).
		[ "$tc" = trixie ] || RP_TC+=(env LLVM=1)
		;;
	*) die "unknown toolchain '$tc' for $ver in $RP_KCONF" ;;
	esac
}

# ---- defaults and benchmark output ----------------------------------------------------------
# default_kernel: the kernel a script boots when not told which: Debian 13's stock kernel, the
# first pinned hook kernel of kernels.conf whose version ends in +deb13; if the archive no longer
# serves it (and the cache does not hold it), the newest point of its suite (kernel_or_newest).
default_kernel() {
	local k
	k=$(kernels_conf | awk '$4 == "hook" && $5 == "check" && $1 ~ /^[0-9.]+\+deb13$/ { print $1; exit }')
	[ -n "$k" ] || die "no hook kernel ending in +deb13 in $RP_KCONF"
	kernel_or_newest "$k"
}

# kernel_or_newest VERSION: VERSION if it is served (kernel_served), else, with a line saying so,
# what the "newest" entry of its suite and flavour resolves to; else VERSION (fetching it fails
# and says why).
kernel_or_newest() {
	local e r
	kernel_is_newest "$1" || ! kernel_served "$1" 2>/dev/null || { printf '%s\n' "$1"; return 0; }
	for e in $(kernels_conf | awk -v s="$(kernel_field "$1" suite)" '$1 ~ /\.newest\+/ && $2 == s { print $1 }'); do
		[ "$(kernel_flavour "$e")" = "$(kernel_flavour "$1")" ] || continue
		r=$(kernel_resolve "$e") || continue
		[ "$r" = "$1" ] || say "$1 is no longer served by $(kernel_field "$1" suite): using its newest 6.12, $r ($e in scripts/kernels.conf)"
		printf '%s\n' "$r"
		return 0
	done
	printf '%s\n' "$1"
}

# native_kernel: the check lane's kernel with the native ROX cache (the benchmarks' comparison, the
# end-to-end test's "kernel upgrade").
native_kernel() {
	local k
	k=$(kernels_conf | awk '$4 == "native" && $5 == "check" { print $1; exit }')
	[ -n "$k" ] || die "no native kernel of the check lane in $RP_KCONF"
	printf '%s\n' "$k"
}

# bench_value TAG KEY FILE: the first value of a "TAG KEY VALUE" line of a guest's benchmark
# output; bench_values TAG KEY FILE: all of them, one a line.
bench_value() { awk -v t="$1" -v k="$2" '$1 == t && $2 == k { print $3; exit }' "$3"; }
bench_values() { awk -v t="$1" -v k="$2" '$1 == t && $2 == k { print $3 }' "$3"; }

# median: the median of the numbers on stdin, one a line.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
