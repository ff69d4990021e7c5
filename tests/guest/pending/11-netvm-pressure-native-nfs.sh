#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# memory: 256
# netvm's A/B test (tests/guest/pressure.sh) over the kernel's own swap on
# NFS (swapon on an NFS 4.2 file: sunrpc marks its transport SOCK_MEMALLOC),
# with the kernel's default tcp_mem: stock kernels stall here.
. /usr/lib/netvm-test/lib.sh
# 5.10 writes native NFS swap one synchronous page at a time (about 90
# pages/s): a quarter of the excess there.
[ "$KERNEL" = 5.10 ] && PR_MIB=40
. /usr/lib/netvm-test/pressure.sh

mnt=/mnt/nfs
f=$mnt/t11-swapfile

modprobe netvm || fail "modprobe netvm"
nfs_mount 4.2 $mnt
dd if=/dev/zero of=$f bs=1M count=128 2>/dev/null || fail "cannot write $f"
chmod 600 $f
mkswap $f >/dev/null || fail "mkswap $f"
swapoff -a 2>/dev/null
swapon $f || fail "swapon $f (native NFS swap)"

pressure_ab "native NFS swap" 2049 default

swapoff $f || fail "swapoff $f"
rm -f $f
umount $mnt || fail "umount $mnt"
rmmod netvm || fail "rmmod netvm"
log "native NFS swap: stalls without netvm's exemption, full speed with it"
