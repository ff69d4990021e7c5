#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# memory: 256
# netvm's A/B test (tests/guest/pressure.sh) over /dev/nfsswapN on an NFS
# 4.2 file, with a very small tcp_mem; then both modules unload.
. /usr/lib/netvm-test/lib.sh
. /usr/lib/netvm-test/pressure.sh

mnt=/mnt/nfs
f=$mnt/t12-swapfile

modprobe netvm_swap || fail "modprobe netvm_swap"
nfs_mount 4.2 $mnt
dd if=/dev/zero of=$f bs=1M count=128 2>/dev/null || fail "cannot write $f"
swapoff -a 2>/dev/null
dev=$(nfsswapctl on $f) || fail "nfsswapctl on $f"

pressure_ab "nfsswap" 2049 "64 96 128"

nfsswapctl status "$dev"
nfsswapctl off "$dev" || fail "nfsswapctl off $dev"
rm -f $f
umount $mnt || fail "umount $mnt"
rmmod netvm_swap || fail "rmmod netvm_swap"
rmmod netvm || fail "rmmod netvm"
log "nfsswap: stalls without netvm's exemption, full speed with it"
