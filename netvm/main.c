// SPDX-License-Identifier: GPL-2.0
/*
 * netvm: keep sockets that carry swap traffic (SOCK_MEMALLOC) clear of the
 * TCP memory limits that other sockets can exhaust.
 *
 * Mainline exempts only skbs from the emergency reserves (skb_pfmemalloc)
 * from receive-memory accounting.  netvm hooks the point where the kernel
 * decides whether a socket may raise its memory allocation, so that a
 * SOCK_MEMALLOC socket is charged but never refused by the global tcp_mem
 * limit or memcg pressure, in both directions.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <net/sock.h>

#include <netvm.h>
#include "netvm.h"

/*
 * The kernel functions netvm works with.  All must resolve or the module
 * does not load.
 */
static struct netvm_target netvm_targets[] = {
	{
		.name = "__sk_mem_raise_allocated",
		.kind = NETVM_TARGET_HOOK,
		.why = "decides whether a socket may charge more memory (rx and tx)",
	},
	{
		.name = "sk_forced_mem_schedule",
		.kind = NETVM_TARGET_CALL,
		.why = "charges socket memory without limits, global and memcg",
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

static int netvm_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "protected_sockets %d\n",
		   atomic_read(&netvm_protected_socks));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(netvm_status);

/**
 * netvm_sk_protect() - mark a socket as carrying memory-freeing traffic
 * @sk: the socket, typically the transport of a swap device
 *
 * Sets SOCK_MEMALLOC on @sk (sk_set_memalloc()), so that its allocations may
 * use the emergency reserves and netvm exempts it from the TCP memory limits.
 * The protection must stay until the socket is torn down.
 *
 * Context: process context; the caller serialises against its own use of @sk.
 */
void netvm_sk_protect(struct sock *sk)
{
	if (sock_flag(sk, SOCK_MEMALLOC))
		return;
	sk_set_memalloc(sk);
	atomic_inc(&netvm_protected_socks);
}
EXPORT_SYMBOL_GPL(netvm_sk_protect);

/**
 * netvm_sk_unprotect() - clear a protection set by netvm_sk_protect()
 * @sk: the socket
 *
 * Clears SOCK_MEMALLOC and returns the socket's forward allocation.
 *
 * Context: process context.
 */
void netvm_sk_unprotect(struct sock *sk)
{
	if (!sock_flag(sk, SOCK_MEMALLOC))
		return;
	sk_clear_memalloc(sk);
	atomic_dec(&netvm_protected_socks);
}
EXPORT_SYMBOL_GPL(netvm_sk_unprotect);

static int __init netvm_init(void)
{
	int err;

	err = netvm_symbols_init();
	if (err)
		return err;
	err = netvm_resolve_targets(netvm_targets, ARRAY_SIZE(netvm_targets));
	if (err)
		return err;

	netvm_debugfs = debugfs_create_dir("netvm", NULL);
	debugfs_create_file("targets", 0400, netvm_debugfs, NULL,
			    &netvm_targets_fops);
	debugfs_create_file("status", 0400, netvm_debugfs, NULL,
			    &netvm_status_fops);
	pr_info("loaded\n");
	return 0;
}

static void __exit netvm_exit(void)
{
	debugfs_remove_recursive(netvm_debugfs);
	pr_info("unloaded\n");
}

module_init(netvm_init);
module_exit(netvm_exit);

MODULE_DESCRIPTION("Exempt SOCK_MEMALLOC sockets from TCP memory limits");
MODULE_AUTHOR("netvm-swap developers");
MODULE_LICENSE("GPL");
