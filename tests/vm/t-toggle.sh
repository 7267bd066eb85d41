# SPDX-License-Identifier: GPL-2.0
# kernels: all
# flavours: generic
#
# The sysfs toggle takes exact boolean spellings and refuses anything else
# with EINVAL, leaving the state unchanged; concurrent writers are safe.
. /rp/lib.sh

# write_value: write /tmp/value to the toggle in one write() call.
write_value() {
	dd if=/tmp/value of="$RP_PARAM" bs=8192 2>/tmp/dd.err
	rc=$?
	grep -v records /tmp/dd.err >&2
	return $rc
}
# set_raw VALUE: write VALUE, no newline added.
set_raw() { printf '%s' "$1" > /tmp/value && write_value; }
# printf_to FORMAT: write what printf FORMAT prints.
# shellcheck disable=SC2059 # the format is the value under test
printf_to() { printf "$1" > /tmp/value && write_value; }

for v in 0 1 n y N Y no yes NO YES off on OFF ON false true FALSE TRUE; do
	case $v in
	0|n|N|no|NO|off|OFF|false|FALSE) want=N stat_want=0 ;;
	*) want=Y stat_want=1 ;;
	esac
	set_raw "$v" 2>/tmp/err || fail "write '$v' refused: $(cat /tmp/err)"
	expect_eq "write '$v'" "$(cat $RP_PARAM)" "$want"
	expect_eq "stats after '$v'" "$(stat enabled)" "$stat_want"
	echo "$v" > "$RP_PARAM" || fail "echo '$v' refused"
	expect_eq "echo '$v' (with newline)" "$(cat $RP_PARAM)" "$want"
done

# refuse LABEL WRITER...: the write must fail with EINVAL and change nothing.
refuse() {
	label=$1
	shift
	before=$(cat $RP_PARAM)
	if "$@" 2>/tmp/err; then
		fail "write $label accepted"
	elif ! grep -q 'Invalid argument' /tmp/err; then
		fail "write $label: not EINVAL: $(cat /tmp/err)"
	fi
	expect_eq "unchanged after $label" "$(cat $RP_PARAM)" "$before"
}
echo_to() { printf '%s\n' "$1" > /tmp/value && write_value; }

# A whole page of '1' (the most sysfs passes on), written without newline.
big=$(head -c 4096 /dev/zero | tr '\0' '1')
for state in 0 1; do
	echo $state > "$RP_PARAM"
	for bad in "" " " " 1" "1 " "2" "-1" "yes please" "tru" "o" "0x1" "y y"; do
		refuse "'$bad'" echo_to "$bad"
	done
	refuse "'1\\n\\n'" printf_to '1\n\n'
	refuse "'\\t0'" printf_to '\t0'
	refuse "4 KiB of '1'" set_raw "$big"
done

# Concurrent writers: four loops toggling, one reading the stats.
echo 1 > "$RP_PARAM"
for w in 1 2 3 4; do
	(
		i=0
		while [ $i -lt 200 ]; do
			echo $((i % 2)) > "$RP_PARAM" || exit 1
			echo maybe > "$RP_PARAM" 2>/dev/null && exit 1
			i=$((i + 1))
		done
	) &
done
(i=0; while [ $i -lt 200 ]; do cat "$RP_STATS" > /dev/null || exit 1; i=$((i + 1)); done) &
rc=0
for j in $(jobs -p); do wait "$j" || rc=1; done
expect_eq "concurrent writers and readers" "$rc" 0
v=$(cat $RP_PARAM)
case $v in Y|N) ok "state is a boolean after the race ($v)" ;; *) fail "state '$v'" ;; esac
expect_eq "stats agree with sysfs" "$(stat enabled)" "$([ "$v" = Y ] && echo 1 || echo 0)"
finish
