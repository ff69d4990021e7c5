#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# memory: 256
# The thin-client path: a configuration like thinclient/netvm-swap.conf,
# `nfsswapctl up` makes the per-host swap file (zeros written; on NFS 4.2
# ALLOCATE reserves the space first), attaches it (netvm_swap finds no hole)
# and swaps on it with the priority; a second
# `up` changes nothing; `down` swaps off and detaches, also without its
# record and while another swapoff of the device runs; the refusals
# (localhost, a file of another size, a file not on NFS) touch nothing.
. /usr/lib/netvm-test/lib.sh

# swaps_of DEV: "size priority" of DEV in /proc/swaps, nothing if absent
swaps_of() {
	awk -v d="$1" '$1 == d { print $3, $5 }' /proc/swaps
}

no_devices() {
	[ -z "$(nfsswapctl list)" ] || fail "$1: devices left: $(nfsswapctl list)"
	grep -q nfsswap /proc/swaps && fail "$1: still swap: $(cat /proc/swaps)"
	return 0
}

# allocated FILE BYTES: FILE has BYTES bytes, all allocated on the server
allocated() {
	[ "$(stat -c %s "$1")" = "$2" ] || fail "$1: size $(stat -c %s "$1"), want $2"
	[ $(($(stat -c %b "$1") * $(stat -c %B "$1"))) -ge "$2" ] ||
		fail "$1: only $(($(stat -c %b "$1") * $(stat -c %B "$1"))) of $2 bytes allocated"
}

# stress: 24 MiB through a memory cgroup held at 16 MiB (memory.high: a
# memory.max this small had the cgroup OOM killer strike while swap writes
# were in flight), so that some of it goes
# through the swap device; zero corrupted pages.
cg=/sys/fs/cgroup/t24
stress() {
	sh -c 'echo $$ >'$cg'/cgroup.procs && exec swapstress -p 1 -m 24 -k 1' >stress.log 2>&1 ||
		fail "swapstress: $(tail -3 stress.log)"
	grep -q '^swapstress: procs=.* corrupt=0 .* failed_procs=0 ' stress.log ||
		fail "swapstress: $(tail -3 stress.log)"
}
mkdir -p /sys/fs/cgroup
is_mounted /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "no memory controller"
mkdir -p $cg
echo 16M >$cg/memory.high || fail "cannot set memory.high"

modprobe netvm_swap || fail "modprobe netvm_swap"
nfs_mount 4.2 /mnt/v42
nfs_mount 3 /mnt/v3
k=$(echo "$KERNEL" | tr . -)
host=t24-$k
conf=$PWD/netvm-swap.conf

# A client without a name of its own is refused before anything is made.
hostname localhost
printf 'SWAPFILE=/mnt/v42/swap-%%l\nSIZE=32M\nPRIORITY=7\n' >"$conf"
out=$(nfsswapctl up --config "$conf" 2>&1)
rc=$?
[ $rc = 2 ] || fail "up as localhost: exit $rc, want 2: $out"
case $out in *"same file"*) ;; *) fail "up as localhost says: $out" ;; esac
[ -e /mnt/v42/swap-localhost ] && fail "up as localhost made a file"
log "localhost refused: $out"

hostname "$host.school.lan"
[ "$(nfsswapctl config --config "$conf")" = "swapfile /mnt/v42/swap-$host
size 33554432
priority 7
initramfs no
min_free_kbytes -
encrypt no" ] || fail "config: $(nfsswapctl config --config "$conf")"

for v in v42 v3; do
	log "--- NFS $v"
	f=/mnt/$v/swap-$host
	printf 'SWAPFILE=/mnt/%s/swap-%%l   # per host\nSIZE=32M\nPRIORITY=7\n' "$v" >"$conf"
	rm -f "$f"
	dev=$(nfsswapctl up --config "$conf") || fail "up ($v)"
	log "up: $dev"
	case $dev in /dev/nfsswap[0-9]*) ;; *) fail "up printed '$dev'" ;; esac
	allocated "$f" 33554432
	[ "$(swaps_of "$dev")" = "32764 7" ] ||
		fail "$dev in /proc/swaps: '$(swaps_of "$dev")', want '32764 7': $(cat /proc/swaps)"
	[ "$(cat /run/netvm-swap/devices)" = "${dev#/dev/}" ] ||
		fail "record: $(cat /run/netvm-swap/devices)"
	[ "$(nfsswapctl list | awk '{ print $2 }')" = "$f" ] || fail "list: $(nfsswapctl list)"
	# Attach turned writeback throttling off (where the kernel has it)
	# and left no I/O scheduler.
	wbt=/sys/block/${dev#/dev/}/queue/wbt_lat_usec
	[ ! -e $wbt ] || [ "$(cat $wbt)" = 0 ] || fail "$wbt is $(cat $wbt), not 0"
	sched=/sys/block/${dev#/dev/}/queue/scheduler
	grep -q '\[none\]' $sched || fail "$sched is '$(cat $sched)', not none"

	# Up again: nothing changes.
	dev2=$(nfsswapctl up --config "$conf") || fail "up again ($v)"
	[ "$dev2" = "$dev" ] || fail "up again gave $dev2, not $dev"
	[ "$(nfsswapctl list | wc -l)" = 1 ] || fail "up again: $(nfsswapctl list)"
	[ "$(grep -c nfsswap /proc/swaps)" = 1 ] || fail "up again: $(cat /proc/swaps)"

	# The swap is used.
	stress
	w=$(nfsswapctl status "$dev" | awk '$1 == "write_reqs" { print $2 }')
	[ "${w:-0}" -gt 0 ] || fail "no writes to $dev after swapstress: $(nfsswapctl status "$dev")"
	log "swapstress: $(tail -1 stress.log); $w writes to $dev"

	down=$(nfsswapctl down --config "$conf") || fail "down ($v)"
	[ "$down" = "$dev" ] || fail "down printed '$down', not $dev"
	[ ! -e /run/netvm-swap/devices ] || fail "down left the record"
	no_devices "after down ($v)"

	# A configuration that wants another size: the file is not touched.
	sed 's/^SIZE=.*/SIZE=64M/' "$conf" >"$conf.64"
	out=$(nfsswapctl up --config "$conf.64" 2>&1) && fail "up with another SIZE worked"
	case $out in *"exists with 33554432 bytes, not 67108864"*) ;; *) fail "other SIZE: $out" ;; esac
	allocated "$f" 33554432
	no_devices "after the refused up ($v)"
done

# down without the record: finds the device by the configured file.
dev=$(nfsswapctl up --config "$conf") || fail "up (no record)"
rm /run/netvm-swap/devices
[ "$(nfsswapctl down --config "$conf")" = "$dev" ] || fail "down without the record"
no_devices "after down without the record"

# down while another swapoff of the device runs (systemd's swap unit at
# shutdown does that): it waits for it, then detaches; the pages that were
# on the device come back intact.
dev=$(nfsswapctl up --config "$conf") || fail "up (concurrent)"
rm -f go
sh -c 'echo $$ >'$cg'/cgroup.procs && exec swapstress -p 1 -m 24 -k 1 -W '"$PWD"'/go' \
	>hold.log 2>&1 &
hold=$!
i=0
until grep -q "waiting for" hold.log; do
	i=$((i + 1))
	[ $i -lt 120 ] || fail "swapstress did not get to its wait: $(tail -3 hold.log)"
	sleep 1
done
log "$dev: $(awk -v d="$dev" '$1 == d { print $4 }' /proc/swaps) KiB in use"
echo max >$cg/memory.high	# room for the pages swapoff brings back
swapoff "$dev" &
pid=$!
nfsswapctl down --config "$conf" >down.log 2>&1 || fail "down beside swapoff: $(cat down.log)"
wait $pid
log "down beside swapoff: $(tr '\n' ' ' <down.log)"
no_devices "after down beside swapoff"
touch go
wait $hold || fail "swapstress after swapoff: $(tail -3 hold.log)"
grep -q '^swapstress: procs=.* corrupt=0 .* failed_procs=0 ' hold.log ||
	fail "swapstress after swapoff: $(tail -3 hold.log)"
echo 16M >$cg/memory.high

# Not on NFS (here: the initramfs' own root): refused, nothing made.
printf 'SWAPFILE=/tmp/swap-%%l\nSIZE=32M\n' >"$conf"
out=$(nfsswapctl up --config "$conf" 2>&1) && fail "up on a local file worked"
case $out in *"not on NFS"*) ;; *) fail "local file: $out" ;; esac
[ -e "/tmp/swap-$host" ] && fail "up made a local file"

rmmod netvm_swap || fail "rmmod netvm_swap: something is still attached"
log "done"
