# SPDX-License-Identifier: GPL-2.0
#
# netvm-swap top-level Makefile.
#
#   make                   build the modules for the running kernel
#   make KVER=<release>    ... for another installed kernel (or KDIR=<dir>)
#   make tools             build nfsswapctl
#   make install           install modules (and run depmod) for KVER
#   make install-tools     install nfsswapctl and the thin-client pieces of
#                          thinclient/ (config, systemd unit and generator,
#                          initramfs hook)
#                          under DESTDIR; PREFIX=/usr/local by default
#   make demo              boot an NFS server and a thin client in QEMU, swap over NFS (KERNEL=6.1)
#   make check             run every test (installs what it needs); KERNELS="6.1 7.2" for a subset
#   make bench             swap benchmark (tests/bench/README.md); KERNELS= SERVERS= WORKLOADS= RUNS=
#
# The kernel's build system reads Kbuild, not this file.  DKMS appends
# KERNELRELEASE=<release> to make; KVER is what selects the kernel here.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
UNITDIR ?= $(SYSCONFDIR)/systemd/system
GENERATORDIR ?= $(SYSCONFDIR)/systemd/system-generators
INITRAMFSDIR ?= $(SYSCONFDIR)/initramfs-tools
INSTALL ?= install
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

tools:
	$(MAKE) -C tools

# The configuration is installed only where there is none: never overwritten.
# nfsswapctl and the unit read /etc/netvm-swap.conf whatever SYSCONFDIR says:
# SYSCONFDIR, UNITDIR, GENERATORDIR and INITRAMFSDIR only move where the
# files go.
install-tools:
	$(MAKE) -C tools install DESTDIR="$(DESTDIR)" SBINDIR="$(SBINDIR)"
	$(INSTALL) -d "$(DESTDIR)$(SYSCONFDIR)" "$(DESTDIR)$(UNITDIR)" "$(DESTDIR)$(GENERATORDIR)" \
		"$(DESTDIR)$(INITRAMFSDIR)/hooks" "$(DESTDIR)$(INITRAMFSDIR)/scripts/nfs-bottom"
	[ -e "$(DESTDIR)$(SYSCONFDIR)/netvm-swap.conf" ] || \
		$(INSTALL) -m 0644 thinclient/netvm-swap.conf "$(DESTDIR)$(SYSCONFDIR)/netvm-swap.conf"
	sed 's|@SBINDIR@|$(SBINDIR)|g' thinclient/netvm-swap.service >"$(DESTDIR)$(UNITDIR)/netvm-swap.service.new"
	chmod 0644 "$(DESTDIR)$(UNITDIR)/netvm-swap.service.new"
	mv "$(DESTDIR)$(UNITDIR)/netvm-swap.service.new" "$(DESTDIR)$(UNITDIR)/netvm-swap.service"
	sed 's|@SBINDIR@|$(SBINDIR)|g' thinclient/netvm-swap-generator \
		>"$(DESTDIR)$(GENERATORDIR)/netvm-swap-generator.new"
	chmod 0755 "$(DESTDIR)$(GENERATORDIR)/netvm-swap-generator.new"
	mv "$(DESTDIR)$(GENERATORDIR)/netvm-swap-generator.new" "$(DESTDIR)$(GENERATORDIR)/netvm-swap-generator"
	sed 's|@SBINDIR@|$(SBINDIR)|g' thinclient/initramfs-tools/hooks/netvm-swap \
		>"$(DESTDIR)$(INITRAMFSDIR)/hooks/netvm-swap.new"
	chmod 0755 "$(DESTDIR)$(INITRAMFSDIR)/hooks/netvm-swap.new"
	mv "$(DESTDIR)$(INITRAMFSDIR)/hooks/netvm-swap.new" "$(DESTDIR)$(INITRAMFSDIR)/hooks/netvm-swap"
	$(INSTALL) -m 0755 thinclient/initramfs-tools/scripts/nfs-bottom/netvm-swap \
		"$(DESTDIR)$(INITRAMFSDIR)/scripts/nfs-bottom/netvm-swap"

check:
	tests/run $(if $(KERNELS),--kernels "$(KERNELS)")

demo:
	tests/demo $(if $(KERNEL),--kernel $(KERNEL))

bench:
	tests/bench/run $(if $(KERNELS),--kernels "$(KERNELS)") \
		$(if $(SERVERS),--servers "$(SERVERS)") $(if $(WORKLOADS),--workloads "$(WORKLOADS)") \
		$(if $(BACKENDS),--backends "$(BACKENDS)") $(if $(RUNS),--runs $(RUNS))

.PHONY: all modules modules_install install tools install-tools clean check demo bench
