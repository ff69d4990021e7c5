# SPDX-License-Identifier: GPL-2.0
# netvm hooks __sk_mem_schedule and __tcp_select_window with ftrace.  With tcp_mem exhausted by
# loopback connections that never read (tcpfill), two SOCK_MEMALLOC sockets
# still exchange data while netvm.exempt=1 and are refused while it is 0.
# Exact TCP memory returns to its baseline; netvm unloads while TCP traffic
# runs, and its hooks and files go away.
# timeout: 420
. /usr/lib/netvm-test/lib.sh

T=/sys/kernel/tracing
D=/sys/kernel/debug/netvm
P=/sys/module/netvm/parameters/exempt
N=/proc/net/netvm

val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
hooked() { awk -v f="$1" '$1 == f { found = 1 } END { exit !found }' $T/enabled_functions; }
# Exact tcp_memory_allocated (with per-CPU reserves), in pages.
tcp_pages() { val tcp_memory_allocated $D/status; }
sockstat_pages() { awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "mem") print $(i + 1) }' /proc/net/sockstat; }

# wait_pages BASE: until the exact TCP memory is back to BASE (30 s).
wait_pages() {
	for i in $(seq 1 30); do
		[ "$(tcp_pages)" = "$1" ] && return 0
		sleep 1
	done
	fail "TCP memory did not return to its baseline: $(tcp_pages) pages, was $1 ($(grep TCP: /proc/net/sockstat))"
}

modprobe netvm || fail "modprobe netvm failed"
for f in __sk_mem_schedule netvm_forced_mem_schedule __tcp_select_window netvm_tcp_select_window_orig; do
	hooked $f || fail "$f not in $T/enabled_functions: $(cat $T/enabled_functions)"
done
for f in __sk_mem_schedule __tcp_select_window; do
	grep -q "^$f hook $f+0x0/" $D/targets || fail "targets: $(cat $D/targets)"
done
[ "$(cat $P)" = Y ] || fail "exempt parameter is $(cat $P), not Y"
[ "$(val exempt $N)" = 1 ] || fail "$N: $(cat $N)"
base=$(tcp_pages)
log "baseline: $base pages of TCP memory ($(sockstat_pages) in sockstat)"

old_mem=$(cat /proc/sys/net/ipv4/tcp_mem)
echo "64 96 128" >/proc/sys/net/ipv4/tcp_mem

# Exempt: the protected pair moves 1 MiB while the receiver does not read.
tcpfill -n 32 -b 256K -m 1M -w 30 -t 0 >fill1.out
rc=$?
cat fill1.out
cat $N
[ $rc = 0 ] || fail "SOCK_MEMALLOC transfer did not complete with exempt=1 (exit $rc)"
[ "$(val fill_queued_bytes fill1.out)" -gt $((128 * 4096)) ] ||
	fail "tcpfill did not exceed tcp_mem (queued $(val fill_queued_bytes fill1.out) bytes)"
[ "$(val rx_exemptions $N)" -gt 0 ] || fail "no receive exemption counted"
[ "$(val rx_exempt_bytes $N)" -gt 0 ] || fail "no exempted receive bytes counted"
log "exempt=1: 1 MiB in $(val memalloc_send_ms fill1.out) ms; rx $(val rx_exemptions $N) exemptions, tx $(val tx_exemptions $N)"
dmesg | grep -q "netvm: SOCK_MEMALLOC cleared on an open socket" ||
	fail "no warning when the protection was cleared on a socket holding data"
[ "$(val protected_sockets $N)" = 0 ] || fail "protected_sockets: $(cat $N)"
wait_pages "$base"

# Not exempt: the same transfer is refused.
echo 0 >$P
[ "$(val exempt $N)" = 0 ] || fail "exempt=0 not shown in $N"
refused=$(($(val rx_refusals $N) + $(val tx_refusals $N)))
tcpfill -n 32 -b 256K -m 1M -w 10 -t 0 >fill2.out
rc=$?
cat fill2.out
cat $N
# 5.10 refuses the sender before anything reaches the receiver.
[ $(($(val rx_refusals $N) + $(val tx_refusals $N))) -gt "$refused" ] ||
	fail "no refusal counted with exempt=0"
case $rc in
2) log "exempt=0: transfer stalled after $(val memalloc_sent_bytes fill2.out) bytes, as stock kernels do" ;;
0) log "exempt=0: transfer completed anyway (refusals counted)" ;;
*) fail "tcpfill failed with exempt=0 (exit $rc)" ;;
esac
echo 1 >$P
echo "$old_mem" >/proc/sys/net/ipv4/tcp_mem
wait_pages "$base"

# Unload and load again while data moves through the hook.
for i in 1 2 3; do
	tcpfill -n 8 -b 64K -r -t 4 >traffic.out &
	pid=$!
	sleep 2
	modprobe -r netvm || fail "modprobe -r netvm failed under traffic (round $i)"
	modprobe netvm || fail "modprobe netvm failed (round $i)"
	wait $pid || fail "tcpfill -r failed (round $i)"
	[ "$(val traffic_bytes traffic.out)" -gt 0 ] || fail "no traffic (round $i)"
done
log "3 unload/load rounds under traffic"
wait_pages "$base"

modprobe -r netvm || fail "modprobe -r netvm failed"
for f in __sk_mem_schedule __tcp_select_window; do
	hooked $f && fail "$f still hooked after unload"
done
[ -e $N ] && fail "$N left behind"
[ -e $D ] && fail "$D left behind"
log "hooks removed on unload"
