// SPDX-License-Identifier: GPL-2.0
/*
 * netvm: keep sockets that carry swap traffic (SOCK_MEMALLOC) clear of the
 * TCP memory limits that other sockets can exhaust.
 *
 * Mainline exempts only skbs from the emergency reserves (skb_pfmemalloc)
 * from receive-memory accounting.  netvm hooks the point where the kernel
 * decides whether a socket may raise its memory allocation, so that a
 * SOCK_MEMALLOC socket is charged but never refused by the global tcp_mem
 * limit or memcg pressure, in both directions (see exempt.c).
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/tcp_states.h>

#include <netvm.h>
#include "netvm.h"

enum {
	NETVM_SK_MEM_SCHEDULE,
	NETVM_SK_FORCED_MEM_SCHEDULE,
	NETVM_TCP_SELECT_WINDOW,
};

/*
 * The kernel functions netvm works with.  All must resolve or the module
 * does not load.
 */
static struct netvm_target netvm_targets[] = {
	[NETVM_SK_MEM_SCHEDULE] = {
		.name = "__sk_mem_schedule",
		.kind = NETVM_TARGET_HOOK,
		.why = "decides whether a socket may charge more memory (rx and tx)",
	},
	[NETVM_SK_FORCED_MEM_SCHEDULE] = {
		.name = "sk_forced_mem_schedule",
		.kind = NETVM_TARGET_CALL,
		.why = "charges socket memory without limits, global and memcg",
	},
	[NETVM_TCP_SELECT_WINDOW] = {
		.name = "__tcp_select_window",
		.kind = NETVM_TARGET_HOOK,
		.why = "computes the receive window, cut under memory pressure",
	},
};

static struct dentry *netvm_debugfs;
static atomic_t netvm_protected_socks = ATOMIC_INIT(0);

static int netvm_targets_show(struct seq_file *m, void *v)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(netvm_targets); i++) {
		const struct netvm_target *t = &netvm_targets[i];

		seq_printf(m, "%s %s %pS\n", t->name,
			   t->kind == NETVM_TARGET_HOOK ? "hook" : "call",
			   (void *)t->addr);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(netvm_targets);

/*
 * tcp_memory_allocated in pages, with the per-CPU reserves that
 * /proc/net/sockstat leaves out: the exact figure, for tests that check
 * that every charge was returned.
 */
static long netvm_tcp_memory_allocated(void)
{
	long pages = atomic_long_read(tcp_prot.memory_allocated);
	int cpu;

	for_each_possible_cpu(cpu)
		pages += netvm_proto_pcpu_fw_alloc(&tcp_prot, cpu);
	return pages;
}

static int netvm_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "protected_sockets %d\n",
		   atomic_read(&netvm_protected_socks));
	seq_printf(m, "exempt %d\n", netvm_exempt_enabled());
	seq_printf(m, "tcp_memory_allocated %ld\n",
		   netvm_tcp_memory_allocated());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(netvm_status);

/**
 * netvm_sk_protect() - mark a socket as carrying memory-freeing traffic
 * @sk: the socket, typically the transport of a swap device
 *
 * Sets SOCK_MEMALLOC on @sk (sk_set_memalloc()), so that its allocations may
 * use the emergency reserves and netvm exempts it from the protocol and
 * memcg socket memory limits.  The protection should stay until the socket
 * is torn down.
 *
 * Context: process context; the caller serialises against its own use of @sk.
 */
void netvm_sk_protect(struct sock *sk)
{
	if (sock_flag(sk, SOCK_MEMALLOC))
		return;
	sk_set_memalloc(sk);
	atomic_inc(&netvm_protected_socks);
	netvm_stats_protected(sk, 1);
}
EXPORT_SYMBOL_GPL(netvm_sk_protect);

/*
 * Whether a socket is still open and holds memory: charges it took while
 * exempt (possibly over the limits) now count against the limits again.
 */
static bool netvm_sk_in_use(const struct sock *sk)
{
	if (sk->sk_state == TCP_CLOSE || sock_flag(sk, SOCK_DEAD))
		return false;
	return atomic_read(&sk->sk_rmem_alloc) || READ_ONCE(sk->sk_wmem_queued);
}

/**
 * netvm_sk_unprotect() - clear a protection set by netvm_sk_protect()
 * @sk: the socket
 *
 * Clears SOCK_MEMALLOC; sk_clear_memalloc() returns the socket's forward
 * allocation (sk_mem_reclaim()).  Clearing it on a socket that is still
 * open and holds queued data logs a warning, once: that data may have been
 * charged over the limits and the socket may now fail to make progress.
 *
 * Context: process context.
 */
void netvm_sk_unprotect(struct sock *sk)
{
	if (!sock_flag(sk, SOCK_MEMALLOC))
		return;
	if (netvm_sk_in_use(sk))
		pr_warn_once("SOCK_MEMALLOC cleared on an open socket holding %d+%d bytes: it obeys the memory limits again\n",
			     atomic_read(&sk->sk_rmem_alloc),
			     READ_ONCE(sk->sk_wmem_queued));
	sk_clear_memalloc(sk);
	atomic_dec(&netvm_protected_socks);
	netvm_stats_protected(sk, -1);
}
EXPORT_SYMBOL_GPL(netvm_sk_unprotect);

/*
 * For the tests: writing the number of one of the writer's file
 * descriptors, a TCP socket, to sk_protect or sk_unprotect applies
 * netvm_sk_protect() or netvm_sk_unprotect() to it.
 */
static ssize_t netvm_sk_fd_write(struct file *file, const char __user *buf,
				 size_t len, loff_t *ppos)
{
	void (*apply)(struct sock *sk) = file->private_data;
	struct socket *sock;
	int fd, err;

	err = kstrtoint_from_user(buf, len, 10, &fd);
	if (err)
		return err;
	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (sock->sk->sk_type != SOCK_STREAM ||
	    sock->sk->sk_protocol != IPPROTO_TCP) {
		err = -EPROTONOSUPPORT;
		goto out;
	}
	apply(sock->sk);
	err = len;
out:
	sockfd_put(sock);
	return err;
}

static const struct file_operations netvm_sk_fd_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = netvm_sk_fd_write,
};

static void netvm_debugfs_init(void)
{
	netvm_debugfs = debugfs_create_dir("netvm", NULL);
	debugfs_create_file("targets", 0400, netvm_debugfs, NULL,
			    &netvm_targets_fops);
	debugfs_create_file("status", 0400, netvm_debugfs, NULL,
			    &netvm_status_fops);
	debugfs_create_file("sk_protect", 0200, netvm_debugfs,
			    netvm_sk_protect, &netvm_sk_fd_fops);
	debugfs_create_file("sk_unprotect", 0200, netvm_debugfs,
			    netvm_sk_unprotect, &netvm_sk_fd_fops);
}

static int __init netvm_init(void)
{
	int err;

	err = netvm_resolve_targets(netvm_targets, ARRAY_SIZE(netvm_targets));
	if (err)
		return err;
	err = netvm_stats_init();
	if (err)
		return err;
	netvm_debugfs_init();
	err = netvm_exempt_start(netvm_targets[NETVM_SK_MEM_SCHEDULE].addr,
				 netvm_targets[NETVM_SK_FORCED_MEM_SCHEDULE].addr,
				 netvm_targets[NETVM_TCP_SELECT_WINDOW].addr);
	if (err)
		goto err_debugfs;
	pr_info("loaded, exempt=%d\n", netvm_exempt_enabled());
	return 0;

err_debugfs:
	debugfs_remove_recursive(netvm_debugfs);
	netvm_stats_exit();
	return err;
}

static void __exit netvm_exit(void)
{
	netvm_exempt_stop();
	debugfs_remove_recursive(netvm_debugfs);
	netvm_stats_exit();
	pr_info("unloaded\n");
}

module_init(netvm_init);
module_exit(netvm_exit);

MODULE_DESCRIPTION("Exempt SOCK_MEMALLOC sockets from TCP memory limits");
MODULE_AUTHOR("netvm-swap developers");
MODULE_LICENSE("GPL");
