#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build netvm-swap for one stock kernel inside that release's chroot, twice:
#   1. make W=1 on a copy of the tree: any compiler warning in our files fails;
#   2. dkms add, build and install, as a user would; the installed modules
#      are what the guests load.
# Output: $NETVM_OUT/build/SHORT/{netvm.ko,netvm_swap.ko,w1.log,dkms.log}
#
# usage: tests/lib/build.sh SHORTNAME
set -euo pipefail
. "$(dirname "$0")/common.sh"

short=${1:?usage: build.sh SHORTNAME}
root=$(chroot_dir "$short")
kver=$(kernel_version "$short")
out=$NETVM_OUT/build/$short
pkgver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
src=/usr/src/netvm-swap-$pkgver
rm -rf "$out"
mkdir -p "$out"

# The tree as git sees it (tracked and new files, not build products).
copy_tree() {
	local dest=$1
	rm -rf "$dest"
	mkdir -p "$dest"
	(cd "$TOP" && git ls-files -co --exclude-standard -z -- . ':!tests' ':!.ci' |
		xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$dest"
}

build() {
	log "$short: W=1 build against $kver"
	copy_tree "$root/tmp/netvm-w1"
	if ! in_chroot "$root" make -C /tmp/netvm-w1 KVER="$kver" W=1 -j2 >"$out/w1.log" 2>&1; then
		cat "$out/w1.log" >&2
		die "$short: W=1 build failed"
	fi
	if grep -E 'warning:|error:' "$out/w1.log" >&2; then
		die "$short: compiler warnings in our code (see $out/w1.log)"
	fi

	log "$short: dkms add/build/install"
	in_chroot "$root" dkms remove "netvm-swap/$pkgver" --all >/dev/null 2>&1 || true
	copy_tree "$root$src"
	{
		in_chroot "$root" dkms add "netvm-swap/$pkgver" &&
			in_chroot "$root" dkms build "netvm-swap/$pkgver" -k "$kver" &&
			in_chroot "$root" dkms install "netvm-swap/$pkgver" -k "$kver"
	} >"$out/dkms.log" 2>&1 || {
		cat "$out/dkms.log" >&2
		find "$root/var/lib/dkms/netvm-swap" -name make.log -exec cat {} + >&2 2>/dev/null || true
		die "$short: dkms failed"
	}
	local m f
	for m in netvm netvm_swap; do
		f=$(find "$root/lib/modules/$kver/updates" "$root/usr/lib/modules/$kver/updates" \
			-name "$m.ko*" 2>/dev/null | head -1)
		[ -n "$f" ] || die "$short: dkms installed no $m.ko"
		case $f in
		*.xz) xz -dc "$f" >"$out/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$out/$m.ko" ;;
		*.gz) gzip -dc "$f" >"$out/$m.ko" ;;
		*) cp "$f" "$out/$m.ko" ;;
		esac
	done
	modinfo -F vermagic "$out/netvm.ko" | grep -q "^$kver " ||
		die "$short: built for the wrong kernel: $(modinfo -F vermagic "$out/netvm.ko")"
	log "$short: modules built and installed by dkms"
}

with_lock "chroot-$short" build
