#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
# memory: 256
# Every refusal of NFSSWAP_IOC_ATTACH / NFSSWAP_IOC_DETACH returns the errno
# documented in include/uapi/nfsswap.h (over NFS 4.2 and 3), an unprivileged
# caller gets EPERM, nfsswapctl turns the errors into hints, and nothing
# leaks: no device is left behind and the module unloads afterwards.
. /usr/lib/netvm-test/lib.sh

# probe EXPECT SWAPPROBE-ARGS: the raw operation must end with EXPECT
probe() {
	want=$1
	shift
	out=$(swapprobe -e "$want" "$@" 2>&1) || fail "swapprobe $*: $out (want $want)"
	log "swapprobe $*: $out"
}

# tool_says SUBSTRING ARGS: nfsswapctl ARGS must fail (exit 1) saying SUBSTRING
tool_says() {
	want=$1
	shift
	out=$(nfsswapctl "$@" 2>&1)
	rc=$?
	[ $rc = 1 ] || fail "nfsswapctl $*: exit $rc, want 1: $out"
	case $out in
	*"$want"*) log "nfsswapctl $*: $out" ;;
	*) fail "nfsswapctl $*: '$out' does not say '$want'" ;;
	esac
}

no_devices() {
	for d in /sys/block/nfsswap*; do
		[ -e "$d" ] && fail "$1: device $d left behind"
	done
	[ -z "$(nfsswapctl list)" ] || fail "$1: nfsswapctl list is not empty"
}

# Without the module, the tool says how to load it.
if [ ! -e /sys/module/netvm_swap ]; then
	dd if=/dev/zero of=early bs=1M count=1 2>/dev/null
	tool_says "modprobe netvm_swap" attach early
fi
modprobe netvm_swap || fail "modprobe netvm_swap"
[ -c /dev/nfsswap-control ] || fail "no /dev/nfsswap-control"

nfs_mount 4.2 /mnt/v42
nfs_mount 3 /mnt/v3

for v in v42 v3; do
	p=/mnt/$v/t20-$v
	log "--- NFS $v"
	dd if=/dev/zero of=$p-good bs=1M count=8 2>/dev/null || fail "cannot write $p-good"

	# A good file attaches; attaching it twice is refused.
	out=$(swapprobe -e ok attach $p-good) || fail "attach $p-good: $out"
	idx=${out#ok }
	log "attach $p-good: $out"
	[ -e /sys/block/nfsswap$idx ] || fail "no /sys/block/nfsswap$idx"
	probe EBUSY attach $p-good
	tool_says "already attached" attach $p-good
	# The other uid cannot detach it.
	probe EPERM -u 65534 detach "$idx"
	probe ok detach "$idx"
	no_devices "after detach"

	# Open modes: read-only, write-only, O_PATH and no descriptor at all.
	probe EBADF attach -o rdonly $p-good
	probe EBADF attach -o wronly $p-good
	probe EBADF attach -o path $p-good
	probe EBADF attach -o badfd $p-good

	# Not regular files.
	mkdir -p $p-dir
	probe EISDIR attach -o dir $p-dir
	tool_says "is a directory" attach $p-dir
	probe EINVAL attach /dev/null
	tool_says "not a regular file" attach /dev/null
	mkfifo fifo-$v
	probe EINVAL attach fifo-$v

	# Requests the kernel must not take: non-zero flags.
	probe EINVAL attach -F $p-good

	# Sizes: not a page multiple, below NFSSWAP_MIN_SIZE.
	dd if=/dev/zero of=$p-odd bs=1M count=2 2>/dev/null
	dd if=/dev/zero bs=100 count=1 2>/dev/null >>$p-odd
	probe ERANGE attach $p-odd
	tool_says "not a multiple of the page size" attach $p-odd
	dd if=/dev/zero of=$p-small bs=64k count=1 2>/dev/null
	probe ERANGE attach $p-small
	tool_says "too small" attach $p-small
	dd if=/dev/zero of=$p-small2 bs=4k count=255 2>/dev/null
	probe ERANGE attach $p-small2

	# Holes: fully sparse, and allocated only at the start.
	truncate -s 8388608 $p-sparse || fail "truncate $p-sparse"
	probe ENODATA attach $p-sparse
	tool_says "file has holes; allocate it fully (e.g. dd if=/dev/zero of=$p-sparse bs=1M count=8) and retry" attach $p-sparse
	dd if=/dev/zero of=$p-partial bs=1M count=4 2>/dev/null
	truncate -s 8388608 $p-partial || fail "truncate $p-partial"
	probe ENODATA attach $p-partial

	# Already a swap file of the kernel's own NFS swap.
	dd if=/dev/zero of=$p-native bs=1M count=8 2>/dev/null
	mkswap $p-native >/dev/null || fail "mkswap $p-native"
	if ! swapon $p-native; then
		fail "native swapon of $p-native failed (CONFIG_NFS_SWAP?)"
	fi
	probe ETXTBSY attach $p-native
	tool_says "already in use as a swap file" attach $p-native
	swapoff $p-native || fail "swapoff $p-native"

	# An unprivileged caller, with a descriptor and the control device
	# opened for it: EPERM from the kernel itself.
	probe EPERM -u 65534 attach $p-good
	# nfsswapctl itself as that user: the control device is root's.
	chmod 666 $p-good
	out=$(swapprobe -u 65534 run nfsswapctl attach $p-good 2>&1)
	rc=$?
	[ $rc = 1 ] || fail "unprivileged nfsswapctl attach: exit $rc: $out"
	case $out in
	*"root"*) log "unprivileged nfsswapctl attach: $out" ;;
	*) fail "unprivileged nfsswapctl attach does not mention root: $out" ;;
	esac

	# Detach refusals: no such device; device in use (swap).
	probe ENXIO detach 999
	tool_says "no such device" detach 999
	dev=$(nfsswapctl on $p-good) || fail "nfsswapctl on $p-good"
	idx=${dev#/dev/nfsswap}
	probe EBUSY detach "$idx"
	tool_says "in use" detach "$dev"
	grep -q "^$dev " /proc/swaps || fail "$dev not in /proc/swaps after a refused detach"
	nfsswapctl off "$dev" || fail "nfsswapctl off $dev"
	no_devices "after off"

	# Nothing refused left a device behind.
	no_devices "after the refusals"
done

# The kernel is still healthy: the control device works, no reference leaked
# (the module unloads), and it loads again.
dev=$(nfsswapctl attach /mnt/v42/t20-v42-good) || fail "attach after the refusals"
nfsswapctl detach "$dev" || fail "detach after the refusals"
umount /mnt/v42 /mnt/v3
unload_swap || fail "rmmod netvm_swap after the refusals"
[ ! -e /sys/module/netvm_swap ] || fail "netvm_swap still loaded"
modprobe netvm_swap || fail "modprobe netvm_swap again"
unload_swap || fail "rmmod netvm_swap again"
log "all refusals as documented"
