#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 1200
# memory: 256
# netvm's A/B test (tests/guest/pressure.sh) on the three swap transports
# that mark their sockets SOCK_MEMALLOC, one after the other in one guest:
#  1. the kernel's own swap on an NFS 4.2 file (swapon: sunrpc marks its
#     transport), with the kernel's default tcp_mem;
#  2. our /dev/nfsswapN on an NFS 4.2 file, with a very small tcp_mem
#     (64 96 128 pages);
#  3. NBD (nbd-client -swap: the nbd driver marks its socket), with the
#     default tcp_mem, the scenario measured on stock 6.1.
# A helper that any local user could run holds TCP memory over tcp_mem's
# hard limit.  With netvm's exemption off each stalls or has its swap
# replies dropped (refusals counted); with it on no segment is dropped and
# the workload runs at no less than 80% of its speed without the helper.
# Both modules unload afterwards.
. /usr/lib/netvm-test/lib.sh
. /usr/lib/netvm-test/pressure.sh

mnt=/mnt/nfs

modprobe netvm_swap || fail "modprobe netvm_swap"
nfs_mount 4.2 $mnt
swapoff -a 2>/dev/null

# 1. Native NFS swap.  5.10 writes it one synchronous page at a time (about
# 90 pages/s): an eighth of the excess there, and one run per phase (a run
# takes about 25 s, long enough to be steady).
f=$mnt/t11-native
nfsswapctl create $f 128M >/dev/null || fail "nfsswapctl create $f"
chmod 600 $f
mkswap $f >/dev/null || fail "mkswap $f"
swapon $f || fail "swapon $f (native NFS swap)"
if [ "$KERNEL" = 5.10 ]; then
	PR_MIB=36 PR_RUNS=1
fi
pressure_ab "native NFS swap" 2049 default
PR_MIB=64 PR_RUNS=2
swapoff $f || fail "swapoff $f"
rm -f $f

# 2. netvm-swap's device, tiny tcp_mem.
f=$mnt/t11-nfsswap
nfsswapctl create $f 128M >/dev/null || fail "nfsswapctl create $f"
dev=$(nfsswapctl on $f) || fail "nfsswapctl on $f"
pressure_ab "nfsswap" 2049 "64 96 128"
nfsswapctl status "$dev"
nfsswapctl off "$dev" || fail "nfsswapctl off $dev"
rm -f $f
umount $mnt || fail "umount $mnt"

# 3. NBD.
modprobe nbd || fail "modprobe nbd"
nbd-client -N swap -b 4096 -swap "$SERVER" /dev/nbd0 || fail "nbd-client $SERVER"
mkswap /dev/nbd0 >/dev/null || fail "mkswap /dev/nbd0"
swapon /dev/nbd0 || fail "swapon /dev/nbd0"
pressure_ab "NBD" 10809 default
swapoff /dev/nbd0 || fail "swapoff /dev/nbd0"
nbd-client -d /dev/nbd0 || fail "nbd-client -d"

rmmod netvm_swap || fail "rmmod netvm_swap"
rmmod netvm || fail "rmmod netvm"
log "native NFS swap, nfsswap and NBD: refused memory without netvm's exemption, full speed with it"
