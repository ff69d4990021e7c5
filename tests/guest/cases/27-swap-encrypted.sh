#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# memory: 256
# Encrypted swap: `nfsswapctl on --encrypt` (and `up` with ENCRYPT=yes)
# stacks dm-crypt (aes-xts-plain64, a key made for this attach and never
# stored) on /dev/nfsswapN and swaps on the mapping.
#  - control: without --encrypt, a text held in swapped-out memory is found
#    in the swap file on the server (so the search below can find it);
#  - with it, the same text is not in the file, nor is the swap signature
#    (it is on the mapping), the held pages come back intact, and a swap
#    stress loses nothing;
#  - each attach has a key of its own (the file's first page differs);
#  - `off` and `down` remove the mapping, then detach.
. /usr/lib/netvm-test/lib.sh

cg=/sys/fs/cgroup/t27
# The control's file, then a fresh one: the control's pages stay in its
# file after swapoff (README: recreate a file that was swap in clear).
fp=/mnt/nfs/t27-plain
f=/mnt/nfs/t27-swapfile
marker="netvm-swap t27 $KERNEL plaintext marker"

# found FILE: how often FILE, read from the server (O_DIRECT), holds the marker
found() {
	dd if="$1" iflag=direct bs=1M 2>/dev/null | grep -o "$marker" | wc -l
}
# page0 FILE: a checksum of FILE's first page, read with O_DIRECT
page0() {
	dd if="$1" iflag=direct bs=4096 count=1 2>/dev/null | md5sum | cut -d' ' -f1
}
# signed FILE: whether FILE's first page holds the swap signature
signed() {
	dd if="$1" iflag=direct bs=4096 count=1 2>/dev/null | grep -q SWAPSPACE2
}
# hold_start: 24 MiB of the marker in a cgroup held at 8 MiB: most of it
# goes to swap, and stays there until hold_end.
hold_start() {
	# (The previous round's mark.log must not pass for this one's.)
	rm -f go mark.log
	sh -c 'echo $$ >'$cg'/cgroup.procs && exec memmark 24 "$0" '"$PWD"'/go' "$marker" \
		>mark.log 2>&1 &
	mark=$!
	i=0
	until grep -qs "^memmark: filled" mark.log; do
		i=$((i + 1))
		[ $i -lt 180 ] || fail "memmark did not fill its memory: $(cat mark.log)"
		kill -0 $mark 2>/dev/null || fail "memmark: $(cat mark.log)"
		sleep 1
	done
	used=$(awk 'NR > 1 { s += $4 } END { print s + 0 }' /proc/swaps)
	[ "$used" -ge 8192 ] || fail "only $used KiB swapped out: $(cat /proc/swaps)"
}
hold_end() {
	touch go
	wait $mark || fail "memmark: $(cat mark.log)"
	grep -q "^memmark: pages=6144 corrupt=0$" mark.log || fail "memmark: $(cat mark.log)"
}
no_devices() {
	[ -z "$(nfsswapctl list)" ] || fail "$1: devices left: $(nfsswapctl list)"
	[ "$(awk 'NR > 1' /proc/swaps | wc -l)" = 0 ] || fail "$1: still swap: $(cat /proc/swaps)"
	ls /sys/block | grep -q '^dm-' && fail "$1: a device-mapper device is left: $(ls /sys/block)"
	return 0
}

swapoff -a 2>/dev/null
mkdir -p /sys/fs/cgroup
is_mounted /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "no memory controller"
mkdir -p $cg
echo 8M >$cg/memory.high || fail "cannot set memory.high"

modprobe netvm_swap || fail "modprobe netvm_swap"
# kmod's modprobe loads dm_crypt along (busybox's, here, neither does nor
# shows the soft dependency: look for it in the module itself).
grep -q 'softdep=post: dm_crypt' "/lib/modules/$(uname -r)/updates/netvm_swap.ko" ||
	fail "netvm_swap declares no soft dependency on dm_crypt"
# What the kernel would load on demand through kmod (busybox's modprobe
# does not resolve the crypto API's module aliases).
modprobe -a dm_crypt xts || fail "modprobe dm_crypt xts"
modprobe aesni_intel 2>/dev/null
nfs_mount 4.2 /mnt/nfs
nfsswapctl create $fp 64M >/dev/null || fail "nfsswapctl create $fp"
nfsswapctl create $f 64M >/dev/null || fail "nfsswapctl create $f"

# 1. Control: plain swap shows the marker and the signature in the file.
dev=$(nfsswapctl on $fp) || fail "nfsswapctl on $fp"
hold_start
n=$(found $fp)
[ "$n" -gt 0 ] || fail "plain swap: the marker is not in $fp: the search cannot see swapped pages"
signed $fp || fail "plain swap: no swap signature in $fp"
hold_end
log "plain swap: the marker $n times in $fp (the control)"
nfsswapctl off "$dev" || fail "nfsswapctl off $dev"
no_devices "after the plain round"
rm -f $fp

# 2. Encrypted.
cdev=$(nfsswapctl on --encrypt $f) || fail "nfsswapctl on --encrypt $f"
case $cdev in
/dev/mapper/nfsswap[0-9]*_crypt) ;;
*) fail "on --encrypt printed '$cdev'" ;;
esac
base=${cdev#/dev/mapper/}
base=${base%_crypt}
nfsswapctl status "$base" | grep -q "encrypted $cdev" ||
	fail "status $base does not show the mapping: $(nfsswapctl status "$base")"
dm=$(ls /sys/block/$base/holders)
case $dm in dm-[0-9]*) ;; *) fail "$base is held by '$dm', not one device-mapper device" ;; esac
[ "$(cat /sys/block/$dm/dm/name)" = "${cdev#/dev/mapper/}" ] || fail "$dm is $(cat /sys/block/$dm/dm/name)"
awk 'NR > 1 { print $1 }' /proc/swaps | grep -qx -e "$cdev" -e "/dev/$dm" ||
	fail "$cdev is not swap: $(cat /proc/swaps)"
key1=$(page0 $f)
signed $f && fail "encrypted: the swap signature is in clear in $f"
signed $cdev || fail "encrypted: no swap signature on $cdev"
hold_start
n=$(found $f)
[ "$n" = 0 ] || fail "encrypted: the marker is in clear $n times in $f"
hold_end
log "encrypted swap: the marker held in swap is not in $f; the pages came back intact"
echo 16M >$cg/memory.high
sh -c 'echo $$ >'$cg'/cgroup.procs && exec swapstress -p 1 -m 48 -k 2' >stress.log 2>&1 ||
	fail "swapstress: $(tail -3 stress.log)"
grep -q '^swapstress: procs=.* corrupt=0 .* failed_procs=0 ' stress.log ||
	fail "swapstress: $(tail -3 stress.log)"
w=$(counter "$base" write_reqs)
[ "$w" -gt 0 ] || fail "no writes reached $base"
log "swapstress over $cdev: $(tail -1 stress.log); $w writes to $base"
nfsswapctl off "$cdev" || fail "nfsswapctl off $cdev"
no_devices "after off $cdev"

# 3. A new attach has a new key: the file's first page (the signature,
# encrypted) differs.
cdev=$(nfsswapctl on --encrypt $f) || fail "second on --encrypt"
key2=$(page0 $f)
[ "$key1" != "$key2" ] || fail "two attaches wrote the same first page: the same key?"
nfsswapctl off "$cdev" || fail "off after the second attach"
no_devices "after the second attach"

# 4. The thin-client path: ENCRYPT=yes in the configuration.
conf=$PWD/netvm-swap.conf
printf 'SWAPFILE=%s\nSIZE=64M\nPRIORITY=5\nENCRYPT=yes\n' $f >"$conf"
nfsswapctl config --config "$conf" | grep -qx "encrypt yes" ||
	fail "config: $(nfsswapctl config --config "$conf")"
cdev=$(nfsswapctl up --config "$conf") || fail "up with ENCRYPT=yes"
case $cdev in /dev/mapper/nfsswap[0-9]*_crypt) ;; *) fail "up printed '$cdev'" ;; esac
[ "$(nfsswapctl up --config "$conf")" = "$cdev" ] || fail "up again changed something"
[ "$(awk 'NR > 1' /proc/swaps | wc -l)" = 1 ] || fail "up again: $(cat /proc/swaps)"
awk 'NR > 1 { print $5 }' /proc/swaps | grep -qx 5 || fail "priority: $(cat /proc/swaps)"
signed $f && fail "up: the swap signature is in clear in $f"
nfsswapctl down --config "$conf" >/dev/null || fail "down"
no_devices "after down"

rm -f $f
unload_swap || fail "rmmod netvm_swap"
log "encrypted swap: nothing in clear on the server, pages intact, a key per attach"
