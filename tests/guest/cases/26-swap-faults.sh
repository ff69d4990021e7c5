#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# memory: 192
# Swap over an nfsswap device goes on through faults, and loses nothing.
# While a workload swaps through /dev/nfsswapN (swapstress runs, one after
# the other, every page checked):
#  - the NFS transport's TCP connection is aborted three times (ss -K, as a
#    reset from a restarting server or a network fault ends it): sunrpc
#    reconnects, and the new socket must be found SOCK_MEMALLOC (sunrpc
#    marks it; netvm_swap's check, every 2 s, marks what it did not);
#  - 200 I/O submissions fail with -ENOMEM (debugfs inject_enomem), as when
#    the reserves run dry: requests are retried (retries), none fails
#    (errors 0), no swap-in fails (a failed one kills the process).
# The I/O path alternates between kernels, as in 21-swap-stress.
. /usr/lib/netvm-test/lib.sh

case $KERNEL in
5.10 | 6.12) path=direct ;;
*) path=swapops ;;
esac
f=/mnt/nfs4.2/t26-swapfile
cg=/sys/fs/cgroup/t26
inject=/sys/kernel/debug/netvm_swap/inject_enomem

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

pswpin() { awk '$1 == "pswpin" { print $2 }' /proc/vmstat; }

# running: the workload is still going (it stops only when told to).
running() {
	kill -0 "$load" 2>/dev/null || fail "$1: the workload stopped: $(tail -3 stress.log)"
}

modprobe tcp_diag || fail "modprobe tcp_diag (ss -K needs sock_diag)"
is_mounted /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug || fail "cannot mount debugfs"
mkdir -p /sys/fs/cgroup
is_mounted /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || fail "cannot mount cgroup2"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "no memory controller"
mkdir -p $cg
swapoff -a 2>/dev/null
nfs_mount 4.2 /mnt/nfs4.2
nfsswapctl create "$f" 128M || fail "cannot create $f"
modprobe netvm_swap io_path=$path || fail "modprobe netvm_swap io_path=$path"
[ -e $inject ] || fail "no $inject"
dev=$(nfsswapctl on "$f") || fail "nfsswapctl on $f"
sleep 5 # the check publishes what it found every 2 s
marked "$dev" || fail "after attach: transport_sockets $(counter "$dev" transport_sockets), transport_memalloc $(counter "$dev" transport_memalloc)"
[ -n "$(port)" ] || fail "no connection to $SERVER:2049"

# The workload: twice what the cgroup may use (memory.high, as in
# 21-swap-stress), runs of two passes until told to stop.
echo 24M >$cg/memory.high || fail "cannot set memory.high"
rm -f /tmp/t26-stop
(
	while [ ! -e /tmp/t26-stop ]; do
		sh -c 'echo $$ >'$cg'/cgroup.procs && exec swapstress -p 1 -m 48 -k 2 -q' ||
			echo "swapstress exit $?"
	done
) >stress.log 2>&1 &
load=$!
sleep 10

for n in 1 2 3; do
	running "reconnect $n"
	in0=$(pswpin)
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
	in1=$(pswpin)
	log "reconnect $n: port $old -> $new, SOCK_MEMALLOC, $((in1 - in0)) pages swapped in since the abort"
	[ "$in1" -gt "$in0" ] || fail "reconnect $n: no swap-in since the abort"
done

running "inject"
in0=$(pswpin)
echo 200 >$inject || fail "cannot write $inject"
for _ in $(seq 1 120); do
	[ "$(cat $inject)" = 0 ] && break
	sleep 1
done
[ "$(cat $inject)" = 0 ] || fail "inject: $(cat $inject) of 200 injected failures left after 120 s"
sleep 5
running "after inject"
in1=$(pswpin)
retries=$(counter "$dev" retries)
log "inject: 200 submissions failed with -ENOMEM, $retries requests retried, $((in1 - in0)) pages swapped in"
[ "$retries" -gt 0 ] || fail "inject: no request was retried"
[ "$in1" -gt "$in0" ] || fail "inject: no swap-in meanwhile"

touch /tmp/t26-stop
wait $load
cat stress.log
nfsswapctl status "$dev"
runs=$(grep -c '^swapstress: procs=' stress.log)
[ "$runs" -ge 1 ] || fail "no workload run completed"
grep -q '^swapstress exit' stress.log && fail "a workload run failed: $(grep -m1 '^swapstress exit' stress.log)"
bad=$(grep '^swapstress: procs=' stress.log | grep -v ' corrupt=0 .* failed_procs=0 ')
[ -z "$bad" ] || fail "$bad"
[ "$(counter "$dev" errors)" = 0 ] || fail "requests failed: $(counter "$dev" errors)"
[ "$(counter "$dev" in_flight)" = 0 ] || fail "requests left in flight: $(counter "$dev" in_flight)"
remarks=$(counter "$dev" transport_remarks)
nfsswapctl off "$dev" || fail "nfsswapctl off $dev"
unload_swap || fail "rmmod netvm_swap"
rm -f "$f"
log "io_path=$path: $runs workload runs intact through 3 reconnects (sockets marked by netvm_swap: $remarks) and 200 injected -ENOMEM ($retries retries)"
