#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guests' initramfs for one kernel: busybox, the NFS and NBD
# server and client programs, our test programs and tools (static), the test
# cases, the stock kernel's modules that the tests need and our modules.
#
# usage: tests/lib/initramfs.sh base        the kernel-independent part, once a run
#        tests/lib/initramfs.sh SHORTNAME   -> $NETVM_OUT/initramfs-SHORT.cpio.gz
set -euo pipefail
. "$(dirname "$0")/common.sh"

base=$NETVM_OUT/initramfs/base

# Stock modules the guests use; dependencies come along.  The server's
# (kernel nfsd over ext4) only in the server kernel's initramfs: a client
# guest of 160 MB unpacks all of its initramfs into memory, and 7.2's with
# them failed to unpack ("Initramfs unpacking failed: write error").
GUEST_MODULES="virtio_pci virtio_net virtio_blk virtio_rng nfs nfsv3 nfsv4 nbd zram tcp_diag dm_crypt xts aesni_intel"
SERVER_MODULES="nfsd ext4"
# Dynamic programs from this (bookworm) host, copied with their libraries.
HOST_PROGRAMS="rpc.nfsd rpc.mountd exportfs rpcbind nbd-server nbd-client ss"

copy_with_libs() {
	local prog=$1 dest=$2 lib
	install -D -m 0755 "$prog" "$dest/usr/sbin/$(basename "$prog")"
	for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
		[ -e "$dest$lib" ] || install -D -m 0755 "$lib" "$dest$lib"
	done
}

build_base() {
	local b=$base.new p name
	rm -rf "$b"
	mkdir -p "$b"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,var/lib/nfs}
	mkdir -p "$b/usr/lib/netvm-test/cases"
	install -m 0755 /bin/busybox "$b/bin/busybox"
	for p in $(/bin/busybox --list-full); do
		case $p in */busybox) continue ;; esac
		[ -e "$b/$p" ] || ln -s /bin/busybox "$b/$p"
	done
	for name in $HOST_PROGRAMS; do
		p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$name") ||
			die "$name is not installed on this host (tests/lib/host-setup.sh)"
		copy_with_libs "$p" "$b"
	done
	# perf, for tests/bench/run --profile only (24 MB: not in every guest's RAM).
	if [ -n "${NETVM_GUEST_PERF:-}" ]; then
		p=$(command -v perf) || die "perf is not installed on this host (linux-perf)"
		copy_with_libs "$p" "$b"
	fi
	cp /etc/netconfig "$b/etc/" 2>/dev/null || true
	printf 'root:x:0:0:root:/root:/bin/sh\n_rpc:x:100:65534::/run/rpcbind:/bin/false\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$b/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$b/etc/group"
	printf 'sunrpc 111/tcp\nsunrpc 111/udp\nnfs 2049/tcp\nnbd 10809/tcp\nmountd 20048/tcp\n' >"$b/etc/services"
	echo "127.0.0.1 localhost" >"$b/etc/hosts"

	# Test programs and the user tool, static so any guest runs them.
	for p in "$TOP"/tests/guest/src/*.c; do
		gcc -O2 -Wall -Wextra -Werror -static -o "$b/usr/bin/$(basename "$p" .c)" "$p" ||
			die "cannot build $p"
	done
	if [ -e "$TOP/tools/Makefile" ]; then
		make -s -C "$TOP/tools" clean >/dev/null
		make -s -C "$TOP/tools" LDFLAGS=-static >&2 || die "cannot build tools/"
		install -m 0755 "$TOP/tools/nfsswapctl" "$b/usr/bin/"
		make -s -C "$TOP/tools" clean >/dev/null
	fi

	install -m 0755 "$TOP/tests/guest/init" "$b/init"
	install -m 0644 "$TOP"/tests/guest/*.sh "$b/usr/lib/netvm-test/"
	# Pending cases too: tests/run --pending runs them by name.
	cp "$TOP"/tests/guest/cases/*.sh "$TOP"/tests/guest/pending/*.sh \
		"$b/usr/lib/netvm-test/cases/" 2>/dev/null || true
	rm -rf "$base"
	mv "$b" "$base"
}

build_modules() {
	local m=$1 line f rel
	rm -rf "$m"
	mkdir -p "$m/lib/modules/$kver"
	local mods=$GUEST_MODULES
	[ "$short" != "$SERVER_KERNEL" ] || mods="$mods $SERVER_MODULES"
	modprobe -a -d "$kdir/root" -S "$kver" --show-depends $mods |
		awk '$1 == "insmod" { print $2 }' | sort -u |
		while read -r f; do
			rel=${f#"$kdir/root/"}
			rel=lib/${rel#*lib/}
			install -D -m 0644 "$f" "$m/$rel"
			case $rel in
			*.xz) xz -d "$m/$rel" ;;
			*.zst) zstd -q --rm -d "$m/$rel" ;;
			esac
		done
	cp "$kdir/modules/modules.builtin" "$kdir/modules/modules.order" "$m/lib/modules/$kver/"
	cp "$kdir/modules/modules.builtin.modinfo" "$m/lib/modules/$kver/" 2>/dev/null || true
	# Our modules, when this kernel's build ran (the server guest needs none).
	for f in "$NETVM_OUT/build/$short"/*.ko; do
		[ -e "$f" ] && install -D -m 0644 "$f" "$m/lib/modules/$kver/updates/${f##*/}"
	done
	depmod -b "$m" "$kver"
}

if [ "${1:?usage: initramfs.sh base|SHORTNAME}" = base ]; then
	build_base
	exit
fi
short=$1
kdir=$(kernel_dir "$short")
kver=$(kernel_version "$short")
out=$NETVM_OUT/initramfs-$short.cpio.gz
[ -e "$base/init" ] || die "build the base first: initramfs.sh base"
mods=$NETVM_OUT/initramfs/modules-$short
build_modules "$mods"
(
	cd "$base" && find . | LC_ALL=C sort | cpio -o -H newc --quiet
	cd "$mods" && find . | LC_ALL=C sort | cpio -o -H newc --quiet
) | gzip -1 >"$out"
log "$short: initramfs $(du -h "$out" | cut -f1)"
