// SPDX-License-Identifier: GPL-2.0
/*
 * netvm: exempting SOCK_MEMALLOC sockets from the socket memory limits.
 *
 * Every protocol with memory accounting asks __sk_mem_schedule() for more
 * forward allocation (sk_rmem_schedule() on receive, sk_wmem_schedule() on
 * send).  It charges the pages to the protocol (tcp_memory_allocated, with
 * per-CPU reserves since 6.x) and to the socket's memcg, and
 * __sk_mem_raise_allocated() undoes the charge and refuses when the
 * protocol is over its hard limit (tcp_mem[2]), under pressure and above
 * its fair share, or when the memcg refuses.  TCP then drops received data
 * unless the receive queue is empty (tcp_data_queue()), and a sender waits.
 * Mainline exempts only skbs from the emergency reserves, so a socket that
 * carries swap stalls when other sockets fill tcp_mem.
 *
 * netvm replaces __sk_mem_schedule(): the replacement calls it, and when it
 * refuses a SOCK_MEMALLOC socket, charges the same amount with the kernel's
 * own unconditional charge, sk_forced_mem_schedule(), and reports success.
 * Protocol, per-CPU, memcg and forward allocation stay consistent; limits
 * of the socket itself (sk_rcvbuf, sk_sndbuf) are checked by the callers
 * and still apply.  Other sockets see no difference.
 *
 * Why __sk_mem_schedule() and not __sk_mem_raise_allocated(): on all of
 * 5.10, 6.1, 6.12 and 7.2 the former is the exported entry called from
 * the TCP code in other files, so it is never inlined into the callers
 * that matter, and it owns the forward allocation that a forced charge must
 * account in.  (7.2's per-socket sk_bypass_prot_mem and memcg helpers
 * mem_cgroup_sk_charge() live below it and sk_forced_mem_schedule() honours
 * them.)  Callers of __sk_mem_raise_allocated() that bypass it (MPTCP's
 * receive path on 6.x) are not exempted.
 *
 * Memory pressure.  Once tcp_memory_allocated passes tcp_mem[1] (or the
 * socket's memcg is under socket pressure), TCP shrinks what every socket
 * may use: tcp_grow_window() stops growing the receive window (and, since
 * 5.16, cuts rcv_ssthresh to four segments), and __tcp_select_window()
 * cuts it to four segments whenever the receive queue is half full.  A
 * swap transport under that pressure receives four segments per round
 * trip.  netvm also replaces __tcp_select_window(), through which every
 * window that TCP advertises or compares passes: for a SOCK_MEMALLOC
 * socket under pressure it raises rcv_ssthresh to the window the socket's
 * receive buffer allows (what tcp_grow_window() reaches without pressure)
 * before the original runs, keeps the original from cutting it for the
 * window it computes, and restores it afterwards.  The
 * socket's sk_rcvbuf and window_clamp still bound the window.  On the send
 * side, the cut of sk_sndbuf that comes with a charge over the limits is
 * undone (netvm_keep_sndbuf()).
 */
#include <linux/moduleparam.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "netvm.h"

static bool netvm_exempt = true;
module_param_named(exempt, netvm_exempt, bool, 0644);
MODULE_PARM_DESC(exempt,
		 "Exempt SOCK_MEMALLOC sockets from protocol and memcg socket memory limits (default: 1)");

/**
 * netvm_exempt_enabled() - whether SOCK_MEMALLOC sockets are exempted now
 *
 * Return: the value of the exempt module parameter.
 */
bool netvm_exempt_enabled(void)
{
	return READ_ONCE(netvm_exempt);
}

/*
 * Call gate to sk_forced_mem_schedule() (see struct netvm_hook): while the
 * gate is installed, calling this stub runs the kernel function.  __noipa
 * keeps the compiler from assuming anything about it from this empty body
 * (inlining, cloning, dropping the call, or registers it does not clobber).
 */
static __noipa void netvm_forced_mem_schedule(struct sock *sk, int size)
{
}

/*
 * Force the charge that __sk_mem_schedule(sk, size, kind) refused.
 * sk_forced_mem_schedule(sk, n) charges the pages that the forward
 * allocation lacks to reach n bytes: asked for forward allocation plus
 * size, it charges sk_mem_pages(size) pages, what __sk_mem_schedule()
 * would have charged.  It never fails; memcg is charged with __GFP_NOFAIL,
 * which is GFP_NOWAIT in softirq.
 */
static int netvm_force_charge(struct sock *sk, int size, int kind)
{
	enum netvm_dir dir = kind == SK_MEM_RECV ? NETVM_RX : NETVM_TX;
	int before = sk->sk_forward_alloc;
	int charged;

	if (!netvm_exempt_enabled()) {
		netvm_stats_refused(sk, dir);
		return 0;
	}
	netvm_forced_mem_schedule(sk, before + size);
	charged = sk->sk_forward_alloc - before;
	if (charged < size) {
		/* The gate did not run the kernel function: keep the refusal. */
		pr_warn_once("forced charge of %d bytes did not happen\n", size);
		return 0;
	}
	netvm_stats_exempted(sk, dir, charged);
	return 1;
}

/*
 * Over the limits, __sk_mem_raise_allocated() first shrinks the send
 * buffer of a stream socket to half its queued bytes, at least
 * SOCK_MIN_SNDBUF (sk_stream_moderate_sndbuf()), and then lets the charge
 * through if the socket is now over that buffer.  The socket then queues
 * at most 4.5 KiB, and it cannot grow again while the pressure lasts
 * (tcp_should_expand_sndbuf()): an NFS transport moves its WRITEs a few
 * segments at a time.  For an exempt socket whose charge went through
 * (granted, or forced above), undo the cut.
 */
static void netvm_keep_sndbuf(struct sock *sk, int sndbuf)
{
	if (!netvm_exempt_enabled() || READ_ONCE(sk->sk_sndbuf) >= sndbuf)
		return;
	WRITE_ONCE(sk->sk_sndbuf, sndbuf);
	netvm_stats_restored(sk, NETVM_TX);
}

/* Replacement of __sk_mem_schedule(). */
static int netvm_sk_mem_schedule(struct sock *sk, int size, int kind)
{
	int sndbuf = READ_ONCE(sk->sk_sndbuf);
	int idx, ret;

	idx = netvm_hook_enter();
	/* A call from this module: ftrace lets it reach the original. */
	ret = __sk_mem_schedule(sk, size, kind);
	if (sock_flag(sk, SOCK_MEMALLOC)) {
		if (!ret)
			ret = netvm_force_charge(sk, size, kind);
		if (ret && kind == SK_MEM_SEND)
			netvm_keep_sndbuf(sk, sndbuf);
	}
	netvm_hook_exit(idx);
	return ret;
}

/*
 * Call gate to __tcp_select_window(), which the replacement below wraps.
 * The body runs only if a task entered the replacement just before it was
 * unhooked and reached the gate after the gate was gone: then keep the
 * window the socket advertises now.
 */
static __noipa u32 netvm_tcp_select_window_orig(struct sock *sk)
{
	return tcp_sk(sk)->rcv_wnd;
}

/*
 * The receive window that tcp_grow_window() grows rcv_ssthresh to when
 * there is no memory pressure: what the receive buffer holds, within the
 * window clamp.
 */
static u32 netvm_rcv_ssthresh_target(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return min_t(u32, tp->window_clamp, max(tcp_full_space(sk), 0));
}

/* Raise rcv_ssthresh to @target if memory pressure cut it below. */
static void netvm_keep_rcv_ssthresh(struct sock *sk, u32 target)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->rcv_ssthresh >= target)
		return;
	tp->rcv_ssthresh = target;
	netvm_stats_restored(sk, NETVM_RX);
}

/*
 * Replacement of __tcp_select_window().  Inside it, a socket whose receive
 * queue is half full has rcv_ssthresh cut to 4 * tp->advmss for the window
 * being computed; advmss is read nowhere else there.  For the call, advmss
 * is raised so that the cut lands at or above the target (within the 16 bits
 * of advmss: 256 KiB), and put back after it: the socket is locked, and
 * every writer of advmss holds that lock too.
 */
static u32 netvm_tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	u32 target = 0, window;
	u16 advmss = tp->advmss;
	int idx;

	idx = netvm_hook_enter();
	if (sock_flag(sk, SOCK_MEMALLOC) && netvm_exempt_enabled() &&
	    tcp_under_memory_pressure(sk)) {
		target = netvm_rcv_ssthresh_target(sk);
		netvm_keep_rcv_ssthresh(sk, target);
		tp->advmss = max_t(u32, advmss, min_t(u32, DIV_ROUND_UP(target, 4), U16_MAX));
	}
	window = netvm_tcp_select_window_orig(sk);
	if (target) {
		tp->advmss = advmss;
		netvm_keep_rcv_ssthresh(sk, target);
	}
	netvm_hook_exit(idx);
	return window;
}

/* Replacements and gates have the prototypes of the functions they stand for. */
static_assert(__same_type(&netvm_sk_mem_schedule, &__sk_mem_schedule));
static_assert(__same_type(&netvm_forced_mem_schedule, &sk_forced_mem_schedule));
static_assert(__same_type(&netvm_tcp_select_window, &__tcp_select_window));
static_assert(__same_type(&netvm_tcp_select_window_orig, &__tcp_select_window));

static struct netvm_hook netvm_exempt_hooks[] = {
	/* First: the replacement below calls through it. */
	{
		.name = "sk_forced_mem_schedule (call gate)",
		.gate = true,
	},
	{
		.name = "__sk_mem_schedule",
	},
	/* The gate before its function's hook, as above. */
	{
		.name = "__tcp_select_window (call gate)",
		.gate = true,
	},
	{
		.name = "__tcp_select_window",
	},
};

/**
 * netvm_exempt_start() - start exempting SOCK_MEMALLOC sockets
 * @sk_mem_schedule: address of __sk_mem_schedule()
 * @sk_forced_mem_schedule: address of sk_forced_mem_schedule()
 * @tcp_select_window: address of __tcp_select_window()
 *
 * Context: process context; may sleep.
 * Return: 0, or an error if a hook could not be installed (none is then).
 */
int netvm_exempt_start(unsigned long sk_mem_schedule,
		       unsigned long sk_forced_mem_schedule,
		       unsigned long tcp_select_window)
{
	/* The replacement calls the exported function: it must be the one. */
	if (sk_mem_schedule != (unsigned long)__sk_mem_schedule) {
		pr_err("__sk_mem_schedule resolved to %pS, not to the exported %pS\n",
		       (void *)sk_mem_schedule, __sk_mem_schedule);
		return -EINVAL;
	}
	netvm_exempt_hooks[0].func = (unsigned long)netvm_forced_mem_schedule;
	netvm_exempt_hooks[0].dest = sk_forced_mem_schedule;
	netvm_exempt_hooks[1].func = sk_mem_schedule;
	netvm_exempt_hooks[1].dest = (unsigned long)netvm_sk_mem_schedule;
	netvm_exempt_hooks[2].func = (unsigned long)netvm_tcp_select_window_orig;
	netvm_exempt_hooks[2].dest = tcp_select_window;
	netvm_exempt_hooks[3].func = tcp_select_window;
	netvm_exempt_hooks[3].dest = (unsigned long)netvm_tcp_select_window;
	return netvm_hooks_install(netvm_exempt_hooks,
				   ARRAY_SIZE(netvm_exempt_hooks));
}

/**
 * netvm_exempt_stop() - stop exempting; wait until no task is in netvm code
 *
 * Context: process context; sleeps.
 */
void netvm_exempt_stop(void)
{
	netvm_hooks_remove(netvm_exempt_hooks, ARRAY_SIZE(netvm_exempt_hooks));
}
