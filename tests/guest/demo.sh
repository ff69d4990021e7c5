# SPDX-License-Identifier: GPL-2.0
# The demo, in the thin-client guest: swap on an NFS file through
# netvm-swap, a workload larger than RAM, and what happened.
# timeout: 1200
. /usr/lib/netvm-test/lib.sh

say() { echo "demo: $*"; }
vm() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

ram=$(awk '$1 == "MemTotal:" { print int($2 / 1024) }' /proc/meminfo)
work=$((ram * 3 / 2))
say "thin client: kernel $KVER, ${ram} MiB RAM, no disk"
modprobe netvm_swap || fail "modprobe netvm_swap"
nfs_mount 4.2 /mnt
say "mounted $SERVER:/ over NFSv4.2 on /mnt"
dd if=/dev/zero of=/mnt/demo-swapfile bs=1M count=$((work + 64)) 2>/dev/null ||
	fail "cannot allocate the swap file"
say "allocated /mnt/demo-swapfile ($((work + 64)) MiB)"
dev=$(nfsswapctl on /mnt/demo-swapfile) || fail "nfsswapctl on"
say "nfsswapctl on /mnt/demo-swapfile -> $dev"
grep "^$dev" /proc/swaps | sed 's/^/demo: \/proc\/swaps: /'
in0=$(vm pswpin)
out0=$(vm pswpout)
say "running: swapstress -p 2 -m $((work / 2)) -k 2 (${work} MiB working set, twice over)"
start=$(date +%s)
swapstress -p 2 -m $((work / 2)) -k 2 >stress.log 2>&1
rc=$?
end=$(date +%s)
in1=$(vm pswpin)
out1=$(vm pswpout)
say "$(tail -1 stress.log)"
say "time: $((end - start)) s; pages swapped out: $((out1 - out0)), in: $((in1 - in0))"
nfsswapctl status "$dev" | sed 's/^/demo: status: /'
nfsswapctl off "$dev" || fail "nfsswapctl off"
say "swap off, device detached"
[ $rc = 0 ] || fail "swapstress found corrupted pages or failed (exit $rc)"
grep -q ' corrupt=0 ' stress.log || fail "corrupted pages"
say "zero corrupted pages"
