# SPDX-License-Identifier: GPL-2.0
# Shared settings and helpers for the test harness (sourced, not run).

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Everything downloaded or built once per machine lives here, outside the
# work tree, so that a fresh clone (CI) reuses it.
NETVM_CACHE=${NETVM_CACHE:-/var/cache/netvm-swap}
# Per-run output: built modules, initramfs images, guest logs.
NETVM_OUT=${NETVM_OUT:-$TOP/tests/out/check}
ALL_KERNELS="5.10 6.1 6.12 7.2"
# The NFS/NBD server guest always runs the host release's kernel.
SERVER_KERNEL=6.1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Debian release that ships the stock kernel of a short kernel name.
kernel_suite() {
	case $1 in
	5.10) echo bullseye ;;
	6.1) echo bookworm ;;
	6.12) echo trixie ;;
	7.2) echo sid ;;
	*) return 1 ;;
	esac
}

# The Debian archive this machine's apt already uses (never typed here).
debian_mirror() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	uri=$(awk '/^deb / && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	[ -n "$uri" ] || die "no Debian mirror configured in apt"
	echo "$uri"
}

chroot_dir() { echo "$NETVM_CACHE/chroot/$(kernel_suite "$1")"; }
kernel_dir() { echo "$NETVM_CACHE/kernel/$1"; }
# Kernel release string (uname -r) of a prepared short name.
kernel_version() { cat "$(kernel_dir "$1")/kver"; }

# Run a command inside a release chroot with /proc, /sys and /dev available.
in_chroot() {
	local dir=$1
	shift
	mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
	mountpoint -q "$dir/sys" || mount -t sysfs sysfs "$dir/sys"
	mountpoint -q "$dir/dev" || mount --bind /dev "$dir/dev"
	chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# Serialise work on one shared cache entry between concurrent runs.
with_lock() {
	local name=$1
	shift
	mkdir -p "$NETVM_CACHE/locks"
	(
		flock 9
		"$@"
	) 9>"$NETVM_CACHE/locks/$name"
}
