#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare one stock Debian kernel for the tests: a chroot of its release with
# that release's compiler, dkms and kernel headers, and the kernel image and
# modules extracted for booting in QEMU.  Cached in $NETVM_CACHE.
#
# usage: tests/lib/kernel.sh SHORTNAME   (5.10, 6.1, 6.12 or 7.2)
set -euo pipefail
. "$(dirname "$0")/common.sh"

short=${1:?usage: kernel.sh SHORTNAME}
suite=$(kernel_suite "$short") || die "unknown kernel '$short' (one of: $ALL_KERNELS)"
root=$(chroot_dir "$short")
kdir=$(kernel_dir "$short")

make_chroot() {
	[ -e "$root/.netvm-ready" ] && return 0
	log "$short: debootstrap $suite"
	rm -rf "$root"
	mkdir -p "$root"
	debootstrap --variant=minbase --include=gcc,make,dkms,kmod,xz-utils,zstd \
		"$suite" "$root" "$(debian_mirror)" >"$root.debootstrap.log" 2>&1 ||
		{ tail -20 "$root.debootstrap.log" >&2; die "debootstrap $suite failed"; }
	# Keep the chroot's own documentation and caches small.
	# Unstable's Release file may be older than its validity window in the
	# archive snapshot this machine uses.
	printf 'APT::Install-Recommends "false";\nAcquire::Check-Valid-Until "false";\n' \
		>"$root/etc/apt/apt.conf.d/90netvm"
	touch "$root/.netvm-ready"
}

# Install the release's current headers meta package; print the kernel release.
install_headers() {
	if [ -e "$root/.netvm-headers" ] && [ "$(find "$root/.netvm-headers" -mtime -1)" ]; then
		cat "$root/.netvm-headers"
		return
	fi
	log "$short: installing linux-headers-amd64 in $suite"
	in_chroot "$root" apt-get update -qq >&2
	in_chroot "$root" apt-get install -y -qq linux-headers-amd64 >&2
	local kver
	kver=$(in_chroot "$root" sh -c 'ls -d /lib/modules/*/build' |
		sed 's|/lib/modules/\([^/]*\)/build|\1|' | sort -V | tail -1)
	[ -n "$kver" ] || die "$short: no kernel headers installed"
	echo "$kver" >"$root/.netvm-headers"
	echo "$kver"
}

# Download the image (and on newer releases, its split module packages)
# matching the headers and extract them.
extract_image() {
	local kver=$1
	[ -e "$kdir/kver" ] && [ "$(cat "$kdir/kver")" = "$kver" ] && [ -e "$kdir/vmlinuz" ] && return 0
	log "$short: downloading kernel $kver"
	local pkgs
	pkgs=$(in_chroot "$root" apt-cache depends --recurse --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
		"linux-image-$kver" | grep '^linux-' | grep -F -- "-$kver" | sort -u | tr "\n" " ")
	[ -n "$pkgs" ] || die "$short: no image packages for $kver"
	rm -rf "$kdir"
	mkdir -p "$kdir/root" "$root/tmp/netvm-debs"
	rm -f "$root/tmp/netvm-debs"/*.deb
	# shellcheck disable=SC2086
	in_chroot "$root" sh -c "cd /tmp/netvm-debs && apt-get download -qq $pkgs" >&2
	local deb
	for deb in "$root"/tmp/netvm-debs/*.deb; do
		dpkg-deb -x "$deb" "$kdir/root"
	done
	local vmlinuz
	vmlinuz=$(find "$kdir/root" -name "vmlinuz-$kver" -o -name vmlinuz -path "*$kver*" | head -1)
	[ -n "$vmlinuz" ] || die "$short: no vmlinuz in $pkgs"
	ln -sf "${vmlinuz#"$kdir/"}" "$kdir/vmlinuz"
	local mods
	mods=$(find "$kdir/root" -type d -path "*/modules/$kver" | head -1)
	[ -n "$mods" ] || die "$short: no modules directory for $kver"
	ln -sfn "${mods#"$kdir/"}" "$kdir/modules"
	# Merged-/usr packages: give depmod and modprobe -d the usual layout.
	[ -e "$kdir/root/lib/modules/$kver" ] || ln -sfn usr/lib "$kdir/root/lib"
	depmod -b "$kdir/root" "$kver"
	grep -E '^CONFIG_(NFS_SWAP|KPROBES|DYNAMIC_FTRACE_WITH_REGS|DYNAMIC_FTRACE_WITH_ARGS|X86_KERNEL_IBT)=' \
		$(find "$kdir/root" -name "config-$kver" -o -name config -path "*$kver*") \
		>"$kdir/config-summary" || true
	echo "$kver" >"$kdir/kver"
}

prepare() {
	make_chroot
	local kver
	kver=$(install_headers)
	case $kver in
	"$short".*) ;;
	*) log "warning: $suite now ships $kver, not $short.x" ;;
	esac
	extract_image "$kver"
	log "$short: ready ($kver)"
}

with_lock "kernel-$short" prepare
