# SPDX-License-Identifier: GPL-2.0
#
# roxpool: build the module, run the tests, show the demo.
#
#   make                 build against the running kernel's headers
#   make KDIR=<dir>      build against any kernel build/headers tree
#   make check           everything: unit tests, checkpatch, builds, VM tests
#   make check-debug     the VM tests on kernels built with lockdep, KASAN, kmemleak, kCFI
#   make check-extra     all VM tests on the cloud and rt flavours and older 6.12 points
#   make check-dracut    the RPM's scriptlets and dracut early loading on Debian 13 (tests/dracut/run)
#   make demo            boot stock 6.12 in QEMU with roxpool and real modules
#   make deb             the roxpool-dkms Debian package (scripts/build-deb)
#   make rpm             the roxpool-dkms RPM for the RHEL family (scripts/build-rpm, docs/rpm.md)
#   make itlb-model      modeled iTLB misses, stock vs roxpool vs native (scripts/itlb-model)

KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tests/unit clean

unit:
	$(MAKE) -C tests/unit run

checkpatch:
	scripts/checkpatch

check:
	scripts/check

check-debug:
	scripts/check-lane debug

check-extra:
	scripts/check-lane extra

check-dracut:
	tests/dracut/run

demo:
	scripts/demo

deb:
	scripts/build-deb

rpm:
	scripts/build-rpm

itlb-model:
	scripts/itlb-model

.PHONY: all modules clean unit checkpatch check check-debug check-extra check-dracut demo deb rpm itlb-model
