#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# memory: 192
# The NFS transport of a swap device stays SOCK_MEMALLOC across reconnects,
# and swap goes on through them.  While a workload swaps through
# /dev/nfsswapN, the transport's TCP connection is aborted three times
# (ss -K, as a reset from a restarting server or a network fault ends it);
# each time sunrpc reconnects, and the new socket must be found
# SOCK_MEMALLOC (sunrpc marks it; netvm_swap's check, every 2 s, marks what
# it did not: transport_remarks).  Every page must come back intact.
. /usr/lib/netvm-test/lib.sh

f=/mnt/nfs4.2/t26-swapfile
cg=/sys/fs/cgroup/t26

# port: the local port of the connection to the server's NFS port, if any.
port() {
	ss -Htn state established dst "$SERVER" dport = 2049 |
		awk '{ n = split($3, a, ":"); print a[n]; exit }'
}

# marked DEV: there is a connected transport socket and every one is
# SOCK_MEMALLOC.
marked() {
	s=$(counter "$1" transport_sockets)
	m=$(counter "$1" transport_memalloc)
	[ "$s" -ge 1 ] && [ "$m" = "$s" ]
}

modprobe tcp_diag || fail "modprobe tcp_diag (ss -K needs sock_diag)"
mkdir -p /sys/fs/cgroup
is_mounted /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "no memory controller"
mkdir -p $cg
swapoff -a 2>/dev/null
nfs_mount 4.2 /mnt/nfs4.2
nfsswapctl create "$f" 128M || fail "cannot create $f"
modprobe netvm_swap || fail "modprobe netvm_swap"
dev=$(nfsswapctl on "$f") || fail "nfsswapctl on $f"
sleep 5 # the check publishes what it found every 2 s
marked "$dev" || fail "after attach: transport_sockets $(counter "$dev" transport_sockets), transport_memalloc $(counter "$dev" transport_memalloc)"
[ -n "$(port)" ] || fail "no connection to $SERVER:2049"

# A working set of 2.5 times what the cgroup may use, four passes: the
# workload swaps all along.  memory.high, as 21-swap-stress (see there).
echo 24M >$cg/memory.high || fail "cannot set memory.high"
sh -c 'echo $$ >'$cg'/cgroup.procs && exec swapstress -p 1 -m 60 -k 4' >stress.log 2>&1 &
pid=$!
sleep 10
for n in 1 2 3; do
	kill -0 $pid 2>/dev/null || fail "the workload ended before reconnect $n: $(tail -1 stress.log)"
	in0=$(awk '$1 == "pswpin" { print $2 }' /proc/vmstat)
	old=$(port)
	[ -n "$old" ] || fail "reconnect $n: no connection to $SERVER:2049 before"
	ss -K dst "$SERVER" dport = 2049 >/dev/null || fail "reconnect $n: ss -K failed"
	new=
	for _ in $(seq 1 60); do
		sleep 1
		new=$(port)
		[ -n "$new" ] && [ "$new" != "$old" ] && break
	done
	if [ -z "$new" ] || [ "$new" = "$old" ]; then
		fail "reconnect $n: no new connection within 60 s (port $old, now '$new')"
	fi
	sleep 5
	marked "$dev" ||
		fail "reconnect $n: port $old -> $new: transport_sockets $(counter "$dev" transport_sockets), transport_memalloc $(counter "$dev" transport_memalloc)"
	in1=$(awk '$1 == "pswpin" { print $2 }' /proc/vmstat)
	log "reconnect $n: port $old -> $new, SOCK_MEMALLOC, swapped in $((in1 - in0)) pages meanwhile"
	[ "$in1" -gt "$in0" ] || fail "reconnect $n: no swap-in since the abort"
	sleep 5
done
wait $pid
rc=$?
cat stress.log
nfsswapctl status "$dev"
case $(grep '^swapstress: procs=' stress.log) in
*" corrupt=0 "*" failed_procs=0 "*) ;;
*) fail "$(tail -1 stress.log)" ;;
esac
[ $rc = 0 ] || fail "swapstress exit $rc"
[ "$(counter "$dev" errors)" = 0 ] || fail "requests failed: $(counter "$dev" errors)"
nfsswapctl off "$dev" || fail "nfsswapctl off $dev"
unload_swap || fail "rmmod netvm_swap"
rm -f "$f"
log "transport SOCK_MEMALLOC across 3 reconnects (marked by netvm_swap: $(counter "$dev" transport_remarks)), swap intact"
