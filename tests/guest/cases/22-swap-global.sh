#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# memory: 160
# Swap over an nfsswap device under whole-guest memory pressure: no memory
# cgroup, two processes whose working set together is twice the guest's
# RAM, two passes, as on a thin client that runs out of memory.  Reclaim, the NFS client
# and the network all compete for the last free pages; the swap must keep
# moving and every page must come back intact.  Over NFS 4.2 (21-swap-stress
# covers NFSv3).
. /usr/lib/netvm-test/lib.sh

# One I/O path per kernel (a round takes about 3 minutes of the CI budget;
# 21-swap-stress runs both on every kernel): the file's swap path, which is
# what a user gets by default, on 5.10 (->direct_IO and ->readpage), 6.12
# and 7.2 (->swap_rw); plain direct I/O on 6.1.
case $KERNEL in
6.1) ROUNDS=direct ;;
*) ROUNDS=swapops ;;
esac
ROUNDS=${NFSSWAP_TEST_ROUNDS:-$ROUNDS}
f=/mnt/nfs4.2/t22-swapfile

swapoff -a 2>/dev/null
# As nfsswapctl up does on a thin client (thinclient/netvm-swap.conf): the
# network driver refills its receive ring with GFP_ATOMIC pages, which get
# no memalloc reserve; without headroom above the min watermark swap over
# any network stops there.
echo 16384 >/proc/sys/vm/min_free_kbytes || fail "cannot set min_free_kbytes"
total_mib=$(($(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo) >> 10))
log "MemTotal $total_mib MiB"
nfs_mount 4.2 /mnt/nfs4.2
# Allocated by the server (NFS 4.2 ALLOCATE), not written through the page
# cache: dd of 330 MiB in this small guest ran 7.2 into the OOM killer.
nfsswapctl create "$f" $((total_mib * 3))M || fail "cannot create $f"

for path in $ROUNDS; do
	log "=== io_path=$path"
	unload_swap 2>/dev/null
	modprobe netvm_swap io_path=$path || fail "modprobe netvm_swap io_path=$path"
	dev=$(nfsswapctl on "$f") || fail "nfsswapctl on $f"
	out0=$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)
	t0=$(date +%s)
	swapstress -p 2 -m "$total_mib" -k 2 >stress.log 2>&1
	rc=$?
	cat stress.log
	nfsswapctl status "$dev"
	out1=$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)
	log "io_path=$path: pswpout +$((out1 - out0)), $(($(date +%s) - t0)) s"
	case $(grep '^swapstress: procs=' stress.log) in
	*" corrupt=0 "*" failed_procs=0 "*) ;;
	*) fail "io_path=$path: $(tail -1 stress.log)" ;;
	esac
	[ $rc = 0 ] || fail "io_path=$path: swapstress exit $rc"
	# Two passes over twice the RAM: at least twice the RAM went out.
	[ $((out1 - out0)) -ge $((total_mib * 512)) ] ||
		fail "io_path=$path: only $((out1 - out0)) pages swapped out"
	nfsswapctl off "$dev" || fail "io_path=$path: nfsswapctl off $dev"
done
unload_swap || fail "rmmod netvm_swap"
rm -f "$f"
log "swap under global memory pressure: intact ($ROUNDS)"
