#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 1200
# memory: 256
# Swap over an nfsswap device, in two rounds: io_path=swapops over one NFS
# version (4.2 or 3), io_path=direct over the other.  Each round:
#  - a working set of twice the memory it may use (swapstress in a memory
#    cgroup) comes back intact, over two passes;
#  - the device's counters moved, no request failed, none is left in flight;
#  - swapoff (nfsswapctl off) brings swapped-out data back intact;
#  - attach/detach and on/off cycles leave nothing behind.
. /usr/lib/netvm-test/lib.sh

# Every kernel runs both I/O paths and both NFS versions; which path goes
# with which version alternates between kernels, so that the four kernels
# cover every pair twice within the CI budget.
case $KERNEL in
5.10 | 6.12) ROUNDS="swapops:4.2 direct:3" ;;
*) ROUNDS="direct:4.2 swapops:3" ;;
esac
ROUNDS=${NFSSWAP_TEST_ROUNDS:-$ROUNDS}
# Client and server are TCG guests (swap runs at a few MB/s), so the
# workloads run in a memory cgroup: each working set is twice the memory its
# cgroup may use, and everything beyond goes through the nfsswap device,
# while a round takes a few minutes.
LIMIT_MIB=${SWAPSTRESS_LIMIT_MIB:-32}
PROCS=${SWAPSTRESS_PROCS:-2}
MIB=${SWAPSTRESS_MIB:-32}
PASSES=${SWAPSTRESS_PASSES:-2}
SWAP_MIB=256
cg=/sys/fs/cgroup/t21

# in_cgroup LIMIT_MIB CMD ARGS: run CMD with its memory held at LIMIT_MIB.
# memory.high (reclaim and throttle), not memory.max: with up to 32 MiB of
# swap writes in flight, a small memory.max has the cgroup's OOM killer
# strike before the writes complete (seen on 6.1).
in_cgroup() {
	echo "$1M" >$cg/memory.high || fail "cannot set memory.high"
	shift
	sh -c 'echo $$ >'$cg'/cgroup.procs && exec "$@"' sh "$@"
}

vmstat() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

no_devices() {
	for d in /sys/block/nfsswap*; do
		[ -e "$d" ] && fail "$1: device $d left behind"
	done
	grep -q nfsswap /proc/swaps && fail "$1: an nfsswap device is still swap"
	return 0
}

# Sum of VmSwap (kB) of the processes named swapstress.
swapped_kb() {
	total=0
	for pid in $(pidof swapstress); do
		kb=$(awk '$1 == "VmSwap:" { print $2 }' /proc/$pid/status 2>/dev/null)
		total=$((total + ${kb:-0}))
	done
	echo $total
}

# The checker itself must catch corruption, or a pass below means nothing.
out=$(swapstress -p 1 -m 1 -k 2 -T -q)
case $out in
*" corrupt=4 "*) ;;
*) fail "swapstress -T did not report its 4 injected faults: $out" ;;
esac

mkdir -p /sys/fs/cgroup
is_mounted /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "no memory controller"
mkdir -p $cg
swapoff -a 2>/dev/null
[ "$(awk 'NR > 1' /proc/swaps | wc -l)" = 0 ] || fail "other swap is active: $(cat /proc/swaps)"
free

for round in $ROUNDS; do
	path=${round%:*}
	VERS=${round#*:}
	mnt=/mnt/nfs$VERS
	f=$mnt/t21-v$VERS-swapfile
	log "=== io_path=$path, NFS $VERS"
	is_mounted $mnt || nfs_mount "$VERS" $mnt
	if [ ! -e "$f" ]; then
		log "allocating a $SWAP_MIB MiB swap file on NFS $VERS"
		dd if=/dev/zero of="$f" bs=1M count=$SWAP_MIB 2>/dev/null || fail "cannot write $f"
	fi
	unload_swap 2>/dev/null
	modprobe netvm_swap io_path=$path || fail "modprobe netvm_swap io_path=$path"

	dev=$(nfsswapctl on "$f" --priority 10) || fail "nfsswapctl on $f"
	idx=${dev#/dev/nfsswap}
	log "swap on $dev"
	grep -q "^$dev " /proc/swaps || fail "$dev not in /proc/swaps: $(cat /proc/swaps)"
	awk -v d="$dev" '$1 == d && $5 == 10 { ok = 1 } END { exit !ok }' /proc/swaps ||
		fail "$dev has not priority 10: $(cat /proc/swaps)"
	line=$(nfsswapctl list)
	log "list: $line"
	set -- $line
	[ "$1" = "nfsswap$idx" ] || fail "list: name '$1', want nfsswap$idx"
	[ "$2" = "$f" ] || fail "list: backing file '$2', want $f"
	case $3 in *"$SERVER"*) ;; *) fail "list: server '$3', want $SERVER" ;; esac
	[ "$4" = $path ] || fail "list: io_path '$4', want $path"

	w0=$(counter "$dev" write_bytes)
	r0=$(counter "$dev" read_bytes)
	wr0=$(counter "$dev" write_reqs)
	rr0=$(counter "$dev" read_reqs)
	out0=$(vmstat pswpout)

	log "swapstress -p $PROCS -m $MIB -k $PASSES in $LIMIT_MIB MiB"
	t0=$(date +%s)
	in_cgroup "$LIMIT_MIB" swapstress -p "$PROCS" -m "$MIB" -k "$PASSES" >stress.log 2>&1
	rc=$?
	cat stress.log
	summary=$(grep '^swapstress: procs=' stress.log)
	case $summary in
	*" corrupt=0 "*" failed_procs=0 "*) ;;
	*) fail "io_path=$path: swapstress: $summary" ;;
	esac
	[ $rc = 0 ] || fail "io_path=$path: swapstress exit $rc"

	nfsswapctl status "$dev"
	w1=$(counter "$dev" write_bytes)
	r1=$(counter "$dev" read_bytes)
	wr1=$(counter "$dev" write_reqs)
	rr1=$(counter "$dev" read_reqs)
	errors=$(counter "$dev" errors)
	out1=$(vmstat pswpout)
	log "io_path=$path: wrote $(((w1 - w0) >> 20)) MiB in $((wr1 - wr0)) requests," \
		"read $(((r1 - r0) >> 20)) MiB in $((rr1 - rr0)) requests," \
		"pswpout +$((out1 - out0)), $(($(date +%s) - t0)) s"
	# The working set is twice the memory allowed: at least half of the
	# excess must have been written to swap and read back.
	excess=$(((PROCS * MIB - LIMIT_MIB) << 20))
	[ $((w1 - w0)) -ge $((excess / 2)) ] || fail "io_path=$path: only $((w1 - w0)) bytes written"
	[ $((r1 - r0)) -ge $((excess / 2)) ] || fail "io_path=$path: only $((r1 - r0)) bytes read"
	[ $((wr1 - wr0)) -gt 0 ] && [ $((rr1 - rr0)) -gt 0 ] || fail "io_path=$path: request counters did not move"
	[ "$errors" = 0 ] || fail "io_path=$path: $errors failed requests"
	# The pages checked above came back through read-ahead too.
	[ "$(counter "$dev" readahead_hits)" -gt 0 ] || fail "io_path=$path: no read served from read-ahead"
	[ $((out1 - out0)) -gt 0 ] || fail "io_path=$path: pswpout did not move"

	# swapoff brings the data back: a holder's pages are pushed out to swap
	# (its cgroup allows a third of them), the limit is lifted, the device
	# swapped off, then the holder checks its data.
	rm -f go holder.log
	in_cgroup 16 swapstress -p 1 -m 48 -k 1 -W go >holder.log 2>&1 &
	holder=$!
	i=0
	until grep -q waiting holder.log 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || fail "holder did not start: $(cat holder.log)"
		sleep 1
	done
	kb=$(swapped_kb)
	log "holder has $kb kB in swap"
	[ "$kb" -ge 16384 ] || fail "io_path=$path: the holder was not pushed out to swap ($kb kB)"
	echo max >$cg/memory.high
	nfsswapctl off "$dev" || fail "io_path=$path: nfsswapctl off $dev"
	# VmSwap is summed from per-task caches on 5.10/6.1: allow a little lag.
	[ "$(swapped_kb)" -le 256 ] || fail "io_path=$path: $(swapped_kb) kB still in swap after swapoff"
	[ ! -e /sys/block/nfsswap$idx ] || fail "$dev still exists after off"
	no_devices "io_path=$path: after off"
	touch go
	wait $holder
	rc=$?
	cat holder.log
	[ $rc = 0 ] || fail "io_path=$path: data swapped out then back in by swapoff is corrupt"

	# Attach/detach and on/off cycles.
	i=0
	while [ $i -lt 5 ]; do
		dev=$(nfsswapctl attach "$f") || fail "cycle $i: attach"
		nfsswapctl detach "$dev" || fail "cycle $i: detach $dev"
		i=$((i + 1))
	done
	no_devices "io_path=$path: after attach/detach cycles"
	i=0
	while [ $i -lt 2 ]; do
		dev=$(nfsswapctl on "$f") || fail "cycle $i: on"
		in_cgroup 16 swapstress -p 1 -m 20 -k 1 -q >cycle.log 2>&1 ||
			fail "cycle $i: $(cat cycle.log)"
		nfsswapctl off "$dev" || fail "cycle $i: off $dev"
		i=$((i + 1))
	done
	no_devices "io_path=$path: after on/off cycles"
done

unload_swap || fail "rmmod netvm_swap"
rm -f /mnt/nfs*/t21-*-swapfile
log "swap over NFS: every round intact ($ROUNDS)"
