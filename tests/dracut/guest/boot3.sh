# SPDX-License-Identifier: GPL-2.0
# Third boot of tests/dracut/run, on the initramfs the erase left: the system boots without
# roxpool and without a trace of it.
. /rp/lib.sh
check "roxpool not loaded" not sh -c 'lsmod | grep -q "^roxpool "'
check "no /etc/dracut.conf.d/roxpool.conf" test ! -e /etc/dracut.conf.d/roxpool.conf
# shellcheck disable=SC2016 # expanded by the inner shell
check "no failed unit" sh -c 'test -z "$(systemctl --failed --no-legend --plain | grep -v roxpool-e2e)"'
finish
