/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netvm: internal declarations of netvm.ko.
 */
#ifndef NETVM_NETVM_H
#define NETVM_NETVM_H

#include <linux/types.h>

#include <netvm.h>

struct net;
struct sock;

/**
 * enum netvm_target_kind - what netvm does with a resolved kernel function
 * @NETVM_TARGET_HOOK: netvm attaches an ftrace hook to it
 * @NETVM_TARGET_CALL: netvm calls it (not exported to modules)
 */
enum netvm_target_kind {
	NETVM_TARGET_HOOK,
	NETVM_TARGET_CALL,
};

/**
 * struct netvm_target - a kernel function netvm needs
 * @name: symbol name
 * @kind: hook or call
 * @why: one line for the log and debugfs
 * @addr: resolved address of the function's first byte, 0 until resolved
 */
struct netvm_target {
	const char *name;
	enum netvm_target_kind kind;
	const char *why;
	unsigned long addr;
};

int netvm_resolve_targets(struct netvm_target *targets, size_t count);


/* exempt.c: the exemption of SOCK_MEMALLOC sockets */
bool netvm_exempt_enabled(void);
int netvm_exempt_start(unsigned long sk_mem_schedule,
		       unsigned long sk_forced_mem_schedule,
		       unsigned long tcp_select_window);
void netvm_exempt_stop(void);

/* stats.c: per network namespace counters, /proc/net/netvm */

/**
 * enum netvm_dir - direction of a socket memory charge
 * @NETVM_RX: receive (SK_MEM_RECV)
 * @NETVM_TX: send (SK_MEM_SEND)
 * @NETVM_NR_DIRS: number of directions
 */
enum netvm_dir {
	NETVM_RX,
	NETVM_TX,
	NETVM_NR_DIRS,
};

int netvm_stats_init(void);
void netvm_stats_exit(void);
void netvm_stats_exempted(const struct sock *sk, enum netvm_dir dir,
			  int bytes);
void netvm_stats_refused(const struct sock *sk, enum netvm_dir dir);
void netvm_stats_restored(const struct sock *sk, enum netvm_dir dir);
void netvm_stats_protected(const struct sock *sk, int delta);

#endif /* NETVM_NETVM_H */
