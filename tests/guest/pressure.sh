# SPDX-License-Identifier: GPL-2.0
# netvm's A/B test under TCP memory pressure, shared by the cases that put
# swap on a network transport (cases/11-netvm-pressure.sh: native swapon on
# an NFS file, our /dev/nfsswapN, NBD).  Sourced after lib.sh; the case sets
# swap up, calls pressure_ab, then tears swap down.
#
# The workload (swapstress) runs in a memory cgroup, so the machine's free
# memory stays well above the min watermark: no skb comes from the
# emergency reserves and mainline exempts nothing.  A helper any local user
# could run (tcpfill: loopback connections whose receivers never read) holds
# TCP memory over tcp_mem's hard limit.  Phases:
#   A  no helper: time T0 of the workload (the mean of PR_RUNS runs: with
#      two, one before B and one after D, so that a machine whose speed
#      drifts over the minutes of B and C slows or speeds both alike);
#   B  helper, exempt=1 (netvm as it normally runs): no refusal, no drop,
#      exemptions counted, the workload finishes intact at no less than 80%
#      of A's speed (the mean of PR_RUNS runs <= T0 / 0.8, checked after D);
#   C  helper, exempt=0 (a stock kernel): the kernel refuses memory to the
#      transport (netvm counts the refusals: drops of swap replies or
#      stalled sends); the workload stalls or slows (bounded: 20 s at
#      most).  Then exempt=1: it must finish intact.  (C comes after B: a stall under pressure shrinks
#      the transport's receive window, which cannot grow again while the
#      pressure lasts, so a run after it would measure that, not netvm.)
#   D  helper gone: TCP memory returns to its baseline.

N=/proc/net/netvm
EXEMPT=/sys/module/netvm/parameters/exempt
PR_CG=/sys/fs/cgroup/pressure
# Working set and the memory its cgroup may use (MiB): half goes to swap.
PR_MIB=${PR_MIB:-64}
PR_LIMIT=${PR_LIMIT:-32}
# Runs of the timed phases A and B (their means count).
PR_RUNS=${PR_RUNS:-2}

pr_val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
pr_now() { awk '{ print int($1 * 100) }' /proc/uptime; }
# tcpext NAME: a TcpExt counter of /proc/net/netstat
tcpext() {
	awk -v k="$1" '$1 == "TcpExt:" {
		if (!hdr) { for (i = 2; i <= NF; i++) col[$i] = i; hdr = 1 }
		else print $col[k] }' /proc/net/netstat
}
pr_drops() { echo $(($(tcpext TCPRcvQDrop) + $(tcpext TCPOFODrop))); }
# pr_tcpext: the TcpExt counters that say why TCP dropped or pruned
pr_tcpext() {
	for k in TCPRcvQDrop TCPOFODrop RcvPruned TCPBacklogDrop TCPZeroWindowDrop PFMemallocDrop TCPRcvCollapsed TCPMemoryPressures; do
		printf '%s=%s ' $k "$(tcpext $k)"
	done
	echo
}
# pr_skdrops: drops counted on the transport's own sockets (sk_drops)
pr_skdrops() {
	set -- $(skdrops $pr_port) || fail "skdrops $pr_port"
	[ "$2" -gt 0 ] || fail "no TCP socket connected to port $pr_port"
	echo "$4"
}
# pr_sockinfo TAG: log the transport's buffers and windows (what limits it)
pr_sockinfo() {
	skdrops -v $pr_port | sed -n "s/^socket /$1: /p" | while read -r l; do log "$l"; done
}
pr_refusals() { echo $(($(pr_val rx_refusals $N) + $(pr_val tx_refusals $N))); }
pr_exemptions() { echo $(($(pr_val rx_exemptions $N) + $(pr_val tx_exemptions $N))); }
pr_tcp_pages() { pr_val tcp_memory_allocated /sys/kernel/debug/netvm/status; }

pr_cgroup() {
	mkdir -p /sys/fs/cgroup
	is_mounted /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup ||
		fail "cannot mount cgroup2"
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "no memory controller"
	mkdir -p $PR_CG
	# memory.high (reclaim, throttle) rather than memory.max: with swap
	# writes in flight (and with swap-out stuck in C) a memory.max this
	# small has the cgroup's OOM killer end the workload (6.1).
	echo "${PR_LIMIT}M" >$PR_CG/memory.high || fail "cannot set memory.high"
}

# pr_start TAG: start the workload in the cgroup, in the background.
pr_start() {
	pr_tag=$1
	pr_t0=$(pr_now)
	sh -c 'echo $$ >'$PR_CG'/cgroup.procs && exec swapstress -p 1 -m '$PR_MIB' -k 1 -q' \
		>"stress-$pr_tag.log" 2>&1 &
	pr_pid=$!
}

# pr_wait SECONDS: wait for the workload; 0 and pr_cs (its time in 1/100
# s) when it ended in time, 1 if it still runs.
pr_wait() {
	pr_end=$(($(pr_now) + $1 * 100))
	while kill -0 $pr_pid 2>/dev/null; do
		[ "$(pr_now)" -lt $pr_end ] || return 1
		sleep 1
	done
	pr_cs=$(($(pr_now) - pr_t0))
	wait $pr_pid
	pr_rc=$?
	return 0
}

# pr_check: the finished workload's pages are intact.
pr_check() {
	summary=$(grep '^swapstress: procs=' "stress-$pr_tag.log")
	case $summary in
	*" corrupt=0 "*" failed_procs=0 "*) ;;
	*) fail "$pr_tag: swapstress: ${summary:-$(cat "stress-$pr_tag.log")}" ;;
	esac
	[ "$pr_rc" = 0 ] || fail "$pr_tag: swapstress exit $pr_rc"
}

pr_secs() { echo "$(($1 / 100)).$(printf %02d $(($1 % 100)))"; }

# pr_runs_a RUN...: phase A's runs (no helper), their times added to t0.
pr_runs_a() {
	for run in "$@"; do
		pr_start A$run
		pr_wait 600 || fail "A: the workload did not finish in 600 s without pressure"
		pr_check
		t0=$((t0 + pr_cs))
		log "A$run ($transport, no helper): $(pr_secs $pr_cs) s"
		pr_sockinfo A$run
	done
}

# pressure_ab TRANSPORT PORT TCP_MEM: the A/B test over the active swap,
# whose transport is connected to the server's PORT.  TCP_MEM: "default"
# (the kernel's own limits) or three numbers (pages).
pressure_ab() {
	transport=$1
	pr_port=$2
	tcp_mem=$3
	[ "$(awk 'NR > 1' /proc/swaps | wc -l)" = 1 ] ||
		fail "want exactly one swap device: $(cat /proc/swaps)"
	[ "$(cat $EXEMPT)" = Y ] || fail "netvm.exempt is $(cat $EXEMPT), not Y"
	modprobe tcp_diag || fail "modprobe tcp_diag (skdrops needs sock_diag)"
	skdrops $pr_port || fail "skdrops $pr_port"
	pr_skdrops >/dev/null
	pr_cgroup
	base_pages=$(pr_tcp_pages)
	out0=$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)

	# A: no helper.  Each timed phase runs the workload PR_RUNS times and
	# takes the mean: TCG guests' timings are noisy (identical runs differ
	# by up to 40%, and the fastest of two let one lucky run decide).  The
	# first half of A's runs (rounded up) go here, the rest after D.
	t0=0
	pr_runs_a $(seq 1 $((PR_RUNS - PR_RUNS / 2)))
	# (ta: their mean, for the timeouts of B and C.)
	ta=$((t0 / (PR_RUNS - PR_RUNS / 2)))
	[ "$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)" -gt "$out0" ] ||
		fail "A: nothing was swapped out"

	# The helper: loopback connections fill TCP memory up to tcp_mem's hard
	# limit.  The kernel refuses any charge that would take the total above
	# it (__sk_mem_raise_allocated()), so where the fill ends depends on
	# timing: just over the limit (forced charges), at it, or one refused
	# charge below it (a loopback skb is up to 64 KiB; 5.10 has ended at
	# 4440 and at 4416 of 4440 pages).  Within 1% of it is full: B and C
	# check that the transport then meets the limit (exemptions, refusals).
	old_mem=$(cat /proc/sys/net/ipv4/tcp_mem)
	[ "$tcp_mem" = default ] || echo "$tcp_mem" >/proc/sys/net/ipv4/tcp_mem
	set -- $(cat /proc/sys/net/ipv4/tcp_mem)
	hard=$3
	# Receivers that never read each hold up to their initial receive
	# buffer; the senders are then aborted (-x), so that the helper holds
	# the memory without any traffic of its own: every TCP drop counted
	# from then on is the transport's.  Enough connections for half again
	# the hard limit at 64 KiB each, at least 64.
	conns=$((hard * 4096 * 3 / 2 / 65536))
	[ $conns -ge 64 ] || conns=64
	ulimit -n 4096
	# (A fill.out of an earlier call must not pass for this one's.)
	rm -f fill.out
	tcpfill -n $conns -b 320K -x >fill.out &
	fill=$!
	i=0
	until grep -qs fill_queued_bytes fill.out; do
		i=$((i + 1))
		[ $i -lt 120 ] || fail "tcpfill did not fill: $(cat fill.out)"
		sleep 1
	done
	held=$(awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "mem") print $(i + 1) }' /proc/net/sockstat)
	log "helper holds $held pages of TCP memory; tcp_mem: $(cat /proc/sys/net/ipv4/tcp_mem)"
	[ $((held * 100)) -ge $((hard * 99)) ] ||
		fail "the helper did not fill TCP memory to tcp_mem's hard limit ($held of $hard pages)"

	# B: exemption on (as netvm runs normally), the helper holding.
	r0=$(pr_refusals)
	e0=$(pr_exemptions)
	log "before B: $(pr_tcpext)"
	t1=0
	for run in $(seq 1 $PR_RUNS); do
		d0=$(pr_drops)
		s0=$(pr_skdrops)
		pr_start B$run
		pr_wait $((ta * 3 / 100 + 60)) || fail "B: the workload stalled with exempt=1"
		pr_check
		t1=$((t1 + pr_cs))
		d1=$(pr_drops)
		s1=$(pr_skdrops)
		log "B$run ($transport, exempt=1): $(pr_secs $pr_cs) s; TCPRcvQDrop+TCPOFODrop +$((d1 - d0)), transport sk_drops +$((s1 - s0))"
		pr_sockinfo B$run
		# TCPRcvQDrop and TCPOFODrop count the drops for memory (and
		# receive buffer) of tcp_data_queue(); the helper is silent, so
		# they are the transport's.  (sk_drops also counts duplicates of
		# data already received, which are no loss.)
		[ $((d1 - d0)) = 0 ] ||
			fail "B: $((d1 - d0)) received segments dropped (TCPRcvQDrop+TCPOFODrop) with exempt=1"
	done
	r1=$(pr_refusals)
	e1=$(pr_exemptions)
	log "after B: $(pr_tcpext)"
	t1=$((t1 / PR_RUNS))
	log "B ($transport, exempt=1): mean $(pr_secs $t1) s; $((e1 - e0)) exemptions, $((r1 - r0)) refusals, $(pr_val rx_window_restores $N) receive windows and $(pr_val tx_sndbuf_restores $N) send buffers restored"
	cat $N
	[ $((r1 - r0)) = 0 ] || fail "B: $((r1 - r0)) refusals with exempt=1"
	[ $((e1 - e0)) -gt 0 ] || fail "B: no exemption counted: the transport never hit the limit"

	# C: exemption off: what a stock kernel does.  The workload runs until
	# it finishes or for twice A's time plus 5 s (at most 20 s): the
	# kernel refuses the transport memory within seconds, and a stall is
	# bounded well below the hung-task timeout (120 s).  Then exempt=1:
	# swap I/O resumes within a TCP retransmission timeout.
	stall=$((ta * 2 / 100 + 5))
	[ $stall -le 20 ] || stall=20
	echo 0 >$EXEMPT
	r0=$(pr_refusals)
	d0=$(pr_drops)
	s0=$(pr_skdrops)
	pr_start C
	if pr_wait $stall; then
		b="finished in $(pr_secs $pr_cs) s"
		stalled=0
	else
		b="not done after $stall s"
		stalled=1
	fi
	r1=$(pr_refusals)
	d1=$(pr_drops)
	s1=$(pr_skdrops)
	log "C ($transport, exempt=0): $b; $((r1 - r0)) refusals of the transport, TCPRcvQDrop+TCPOFODrop +$((d1 - d0)), transport sk_drops +$((s1 - s0))"
	echo 1 >$EXEMPT
	[ $((r1 - r0)) -gt 0 ] ||
		fail "C: with exempt=0 the kernel never refused the transport memory: no pressure, no A/B"
	if [ $stalled = 1 ]; then
		pr_wait 90 || fail "C: the stalled workload did not resume within 90 s of exempt=1"
		log "C: resumed after exempt=1: done $(pr_secs $pr_cs) s after its start"
	fi
	pr_check

	# D: the helper goes away; TCP memory returns to its baseline.
	kill $fill
	wait $fill 2>/dev/null
	echo "$old_mem" >/proc/sys/net/ipv4/tcp_mem
	i=0
	# (The transport may keep a page or two of forward allocation.)
	until [ "$(pr_tcp_pages)" -le $((base_pages + 4)) ]; do
		i=$((i + 1))
		[ $i -lt 60 ] || fail "D: TCP memory did not return to its baseline: $(pr_tcp_pages) pages, was $base_pages"
		sleep 1
	done
	log "D: TCP memory back to $(pr_tcp_pages) pages (baseline $base_pages)"

	# The rest of A, then B's speed against A's.
	pr_runs_a $(seq $((PR_RUNS - PR_RUNS / 2 + 1)) $PR_RUNS)
	t0=$((t0 / PR_RUNS))
	log "B ($transport, exempt=1): mean $(pr_secs $t1) s, A (no helper): mean $(pr_secs $t0) s"
	[ $((t1 * 4)) -le $((t0 * 5)) ] ||
		fail "B: $(pr_secs $t1) s under pressure, slower than 80% of the speed without it ($(pr_secs $t0) s)"
}
