# SPDX-License-Identifier: GPL-2.0
#
# roxpool: build the module, install it with DKMS, run the tests, show the demo.
# "make help" lists the targets.

KDIR ?= /lib/modules/$(shell uname -r)/build
# The kernel "make install" builds for.
KVER ?= $(shell uname -r)

# DKMS: the name and version of dkms.conf, the sources of scripts/module-sources.conf.
DKMS_NAME := roxpool
DKMS_VERSION := $(shell cat VERSION)
DKMS_SRC := /usr/src/$(DKMS_NAME)-$(DKMS_VERSION)
MODULE_SRCS = $(shell sed -e 's/\#.*//' scripts/module-sources.conf)

all: modules

modules: ## build against the running kernel's headers (KDIR=<dir>: any build/headers tree)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean: ## remove what the build and the unit tests left
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tests/unit clean

help: ## list the targets
	@echo 'Targets (make TARGET):'
	@sed -n 's/^\([a-z-]*\):.*## \(.*\)/\1\t\2/p' $(firstword $(MAKEFILE_LIST)) | \
		awk -F '\t' '{ printf "  %-14s %s\n", $$1, $$2 }'

install: ## as root: DKMS add, build, install of this tree for the running kernel (KVER=...)
	@test "$$(id -u)" = 0 || { echo "make install: run it as root" >&2; exit 1; }
	@command -v dkms >/dev/null || { echo "make install: needs dkms (apt install dkms)" >&2; exit 1; }
	@! dpkg-query -W -f='$${Status}' roxpool-dkms 2>/dev/null | grep -q 'ok installed' || \
		{ echo "make install: the roxpool-dkms package is installed; apt purge roxpool-dkms first" >&2; exit 1; }
	grep -qx 'PACKAGE_VERSION="$(DKMS_VERSION)"' dkms.conf
	if dkms status -m $(DKMS_NAME) -v $(DKMS_VERSION) | grep -q .; then \
		dkms remove $(DKMS_NAME)/$(DKMS_VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -a --parents $(MODULE_SRCS) dkms.conf $(DKMS_SRC)/
	dkms add $(DKMS_NAME)/$(DKMS_VERSION)
	dkms build $(DKMS_NAME)/$(DKMS_VERSION) -k $(KVER)
	dkms install $(DKMS_NAME)/$(DKMS_VERSION) -k $(KVER)

uninstall: ## as root: dkms remove --all of what "make install" installed, and its source
	@test "$$(id -u)" = 0 || { echo "make uninstall: run it as root" >&2; exit 1; }
	@! dpkg-query -W -f='$${Status}' roxpool-dkms 2>/dev/null | grep -q 'ok installed' || \
		{ echo "make uninstall: the roxpool-dkms package owns it; apt purge roxpool-dkms" >&2; exit 1; }
	grep -qx 'PACKAGE_VERSION="$(DKMS_VERSION)"' dkms.conf
	if dkms status -m $(DKMS_NAME) -v $(DKMS_VERSION) | grep -q .; then \
		dkms remove $(DKMS_NAME)/$(DKMS_VERSION) --all; fi
	rm -rf $(DKMS_SRC)

unit: ## the user-space unit tests (tests/unit), the docs' link check among them
	$(MAKE) -C tests/unit run

checkpatch: ## checkpatch.pl --strict over src/ and include/
	scripts/checkpatch

check: ## everything: unit tests, checkpatch, builds, VM tests, the DKMS end-to-end test
	scripts/check

check-quick: ## scripts/check --quick: unit tests, checkpatch, builds, dkms build; no VM
	scripts/check --quick

check-debug: ## the VM tests on kernels built with lockdep, KASAN, kmemleak, kCFI
	scripts/check-lane debug

check-extra: ## all VM tests on the cloud and rt flavours and older 6.12 points
	scripts/check-lane extra

check-dracut: ## the RPM's scriptlets and dracut early loading on Debian 13 (tests/dracut/run)
	tests/dracut/run

demo: ## boot stock 6.12 in QEMU with roxpool and real modules
	scripts/demo

deb: ## the roxpool-dkms Debian package (scripts/build-deb)
	scripts/build-deb

rpm: ## the roxpool-dkms RPM for the RHEL family (scripts/build-rpm, docs/rpm.md)
	scripts/build-rpm

itlb-model: ## modeled iTLB misses, stock vs roxpool vs native (scripts/itlb-model)
	scripts/itlb-model

.PHONY: all modules clean help install uninstall unit checkpatch check check-quick check-debug \
	check-extra check-dracut demo deb rpm itlb-model
