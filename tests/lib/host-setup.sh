#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the tests need on a fresh machine of this kind (Debian 12,
# root).  Quick when everything is there already.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PKGS="qemu-system-x86 debootstrap cpio busybox-static nfs-kernel-server rpcbind
nbd-server nbd-client e2fsprogs kmod xz-utils zstd iproute2 gcc make libc6-dev
shellcheck nfs-ganesha nfs-ganesha-vfs python3 gnuplot-nox"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing:$missing"
	apt-get update -qq
	# The host only uses these programs' files; keep its services stopped
	# (tests/lib/hostsrv.sh runs ganesha and nbd-server on loopback itself).
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$missing >/dev/null
	systemctl stop nfs-server rpcbind nbd-server nfs-ganesha >/dev/null 2>&1 || true
fi
mkdir -p "$NETVM_CACHE"
