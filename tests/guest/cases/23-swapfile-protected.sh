#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# memory: 256
# While a file is attached with io_path=swapops (and while it is swap):
# writes and truncation of the backing file from this client fail with
# ETXTBSY, unlink with EPERM, the kernel's own swapon of it fails; with any
# io_path a second attach is refused and netvm_swap cannot be unloaded.  Swap
# keeps working after the refused unload; detaching lifts the protection.
# (io_path=direct cannot mark the file: see include/uapi/nfsswap.h.)
. /usr/lib/netvm-test/lib.sh

probe() {
	want=$1
	shift
	out=$(swapprobe -e "$want" "$@" 2>&1) || fail "swapprobe $*: $out (want $want)"
	log "swapprobe $*: $out"
}

# protected FILE: every way of changing FILE from here is refused
protected() {
	size=$(stat -c %s "$1")
	probe ETXTBSY write "$1"
	probe ETXTBSY dwrite "$1"
	probe ETXTBSY truncate "$1"
	probe ETXTBSY ftruncate "$1"
	dd if=/dev/zero of="$1" bs=4k count=1 conv=notrunc 2>/dev/null &&
		fail "dd wrote to the attached $1"
	truncate -s 0 "$1" 2>/dev/null && fail "truncate -s 0 worked on the attached $1"
	[ "$(stat -c %s "$1")" = "$size" ] || fail "$1 changed size: $(stat -c %s "$1"), was $size"
	# The kernel's own NFS swap must not take it either.
	probe EBUSY,ETXTBSY swapon "$1"
	grep -q "^$1 " /proc/swaps && fail "$1 became native swap"
	rm -f "$1" 2>/dev/null && fail "rm removed the attached $1"
	[ -e "$1" ] || fail "the attached $1 is gone"
	probe EBUSY attach "$1"
	return 0
}

# unload_refused: netvm_swap stays, whatever way it is asked to go
unload_refused() {
	probe EBUSY,EAGAIN rmmod netvm_swap
	rmmod netvm_swap 2>/dev/null && fail "rmmod netvm_swap worked while $1"
	modprobe -r netvm_swap 2>/dev/null
	[ -e /sys/module/netvm_swap ] || fail "netvm_swap is gone while $1"
	[ -c /dev/nfsswap-control ] || fail "/dev/nfsswap-control is gone while $1"
	log "unload refused while $1"
}

modprobe netvm_swap io_path=swapops || fail "modprobe netvm_swap io_path=swapops"
nfs_mount 4.2 /mnt/v42
nfs_mount 3 /mnt/v3

# Attached only, over both NFS versions.
for v in v42 v3; do
	f=/mnt/$v/t23-$v-swapfile
	dd if=/dev/zero of="$f" bs=1M count=16 2>/dev/null || fail "cannot write $f"
	dev=$(nfsswapctl attach "$f") || fail "attach $f"
	log "$v: $f attached as $dev"
	protected "$f"
	unload_refused "$dev is attached"
	[ -b "$dev" ] || fail "$dev is gone"
	nfsswapctl detach "$dev" || fail "detach $dev"
	# Detached: the file is an ordinary file again.
	probe ok write "$f"
	probe ok truncate "$f"
	rm -f "$f" || fail "cannot remove $f after detach"
done

# io_path=direct: the file cannot be marked, but a second attach and the
# unload are still refused.
unload_swap || fail "rmmod netvm_swap"
modprobe netvm_swap io_path=direct || fail "modprobe netvm_swap io_path=direct"
f=/mnt/v42/t23-direct-swapfile
dd if=/dev/zero of="$f" bs=1M count=16 2>/dev/null || fail "cannot write $f"
dev=$(nfsswapctl attach "$f") || fail "attach $f"
nfsswapctl list | grep -q " direct$" || fail "not io_path=direct: $(nfsswapctl list)"
probe EBUSY attach "$f"
unload_refused "$dev is attached (direct)"
nfsswapctl detach "$dev" || fail "detach $dev"
rm -f "$f"
unload_swap || fail "rmmod netvm_swap"
modprobe netvm_swap io_path=swapops || fail "modprobe netvm_swap io_path=swapops"

# Active swap on NFS 4.2.
f=/mnt/v42/t23-swapfile
dd if=/dev/zero of="$f" bs=1M count=128 2>/dev/null || fail "cannot write $f"
swapoff -a 2>/dev/null
dev=$(nfsswapctl on "$f") || fail "nfsswapctl on $f"
log "swap on $dev"
protected "$f"
unload_refused "$dev is swap"

# Swap still works after the refused unloads.
w0=$(counter "$dev" write_bytes)
r0=$(counter "$dev" read_bytes)
# In a memory cgroup held at 24 MiB, so that most of the 64 MiB go through
# swap quickly (memory.high: a memory.max this small had the cgroup's OOM
# killer strike while swap writes were in flight, on 6.1).
cg=/sys/fs/cgroup/t23
mkdir -p /sys/fs/cgroup
is_mounted /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "no memory controller"
mkdir -p $cg
echo 24M >$cg/memory.high || fail "cannot set memory.high"
sh -c 'echo $$ >'$cg'/cgroup.procs && exec swapstress -p 1 -m 64 -k 1' >stress.log 2>&1
rc=$?
cat stress.log
grep -q '^swapstress: procs=.* corrupt=0 .* failed_procs=0 ' stress.log && [ $rc = 0 ] ||
	fail "swapstress after the refused unload: exit $rc"
w1=$(counter "$dev" write_bytes)
r1=$(counter "$dev" read_bytes)
log "wrote $(((w1 - w0) >> 20)) MiB, read $(((r1 - r0) >> 20)) MiB"
[ $((w1 - w0)) -ge $((20 << 20)) ] || fail "only $((w1 - w0)) bytes swapped out"
[ $((r1 - r0)) -gt 0 ] || fail "nothing swapped in"
[ "$(counter "$dev" errors)" = 0 ] || fail "failed requests"

protected "$f"
nfsswapctl off "$dev" || fail "nfsswapctl off $dev"
probe ok write "$f"
unload_swap || fail "rmmod netvm_swap after off"
rm -f "$f"
log "backing files protected while in use"
