# SPDX-License-Identifier: GPL-2.0
#
# netvm-swap top-level Makefile.
#
#   make                   build the modules for the running kernel
#   make KVER=<release>    ... for another installed kernel (or KDIR=<dir>)
#   make tools             build nfsswapctl
#   make install           install modules (and run depmod) for KVER
#   make demo              boot an NFS server and a thin client in QEMU, swap over NFS (KERNEL=6.1)
#   make check             run every test (installs what it needs); KERNELS="6.1 7.2" for a subset
#
# The kernel's build system reads Kbuild, not this file.  DKMS appends
# KERNELRELEASE=<release> to make; KVER is what selects the kernel here.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
KERNELS ?=

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -f compat/netvm_features.h compat/probes.log

check:
	tests/run $(if $(KERNELS),--kernels "$(KERNELS)")

demo:
	tests/demo $(if $(KERNEL),--kernel $(KERNEL))

.PHONY: all modules modules_install install clean check demo
