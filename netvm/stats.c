// SPDX-License-Identifier: GPL-2.0
/*
 * netvm: counters per network namespace, in /proc/net/netvm, one
 * "name value" per line.
 */
#include <linux/atomic.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "netvm.h"

/**
 * struct netvm_net - what netvm counts in one network namespace
 * @exempt_bytes: bytes charged to SOCK_MEMALLOC sockets beyond a refusal
 * @exemptions: refusals of SOCK_MEMALLOC sockets turned into a charge
 * @refusals: refusals of SOCK_MEMALLOC sockets left alone (exempt=0)
 * @restores: cuts undone on SOCK_MEMALLOC sockets: of the receive window
 *	(rx), of the send buffer (tx)
 * @protected: sockets protected with netvm_sk_protect(); not the ones that
 *	set SOCK_MEMALLOC themselves, as sunrpc does on a swap transport (the
 *	exemption covers every SOCK_MEMALLOC socket alike)
 */
struct netvm_net {
	atomic64_t exempt_bytes[NETVM_NR_DIRS];
	atomic64_t exemptions[NETVM_NR_DIRS];
	atomic64_t refusals[NETVM_NR_DIRS];
	atomic64_t restores[NETVM_NR_DIRS];
	atomic_t protected;
};

static unsigned int netvm_net_id __read_mostly;

/*
 * Kernel sockets do not hold a reference on their namespace: one that
 * outlives the namespace's teardown must not touch counters about to be
 * freed.
 */
static struct netvm_net *netvm_sk_net(const struct sock *sk)
{
	struct net *net = sock_net(sk);

	if (!check_net(net))
		return NULL;
	return net_generic(net, netvm_net_id);
}

/**
 * netvm_stats_exempted() - count a refusal turned into a charge
 * @sk: the socket
 * @dir: direction
 * @bytes: bytes charged
 */
void netvm_stats_exempted(const struct sock *sk, enum netvm_dir dir,
			  int bytes)
{
	struct netvm_net *nn = netvm_sk_net(sk);

	if (!nn)
		return;
	atomic64_add(bytes, &nn->exempt_bytes[dir]);
	atomic64_inc(&nn->exemptions[dir]);
}

/**
 * netvm_stats_refused() - count a refusal of a SOCK_MEMALLOC socket
 * @sk: the socket
 * @dir: direction
 */
void netvm_stats_refused(const struct sock *sk, enum netvm_dir dir)
{
	struct netvm_net *nn = netvm_sk_net(sk);

	if (nn)
		atomic64_inc(&nn->refusals[dir]);
}

/**
 * netvm_stats_restored() - count a cut undone: receive window or send buffer
 * @sk: the socket
 * @dir: NETVM_RX for the receive window, NETVM_TX for the send buffer
 */
void netvm_stats_restored(const struct sock *sk, enum netvm_dir dir)
{
	struct netvm_net *nn = netvm_sk_net(sk);

	if (nn)
		atomic64_inc(&nn->restores[dir]);
}

/**
 * netvm_stats_protected() - count sockets protected by netvm
 * @sk: the socket
 * @delta: 1 when protected, -1 when no longer
 */
void netvm_stats_protected(const struct sock *sk, int delta)
{
	struct netvm_net *nn = netvm_sk_net(sk);

	if (nn)
		atomic_add(delta, &nn->protected);
}

static const char * const netvm_dir_names[NETVM_NR_DIRS] = {
	[NETVM_RX] = "rx",
	[NETVM_TX] = "tx",
};

static int netvm_proc_show(struct seq_file *m, void *v)
{
	struct netvm_net *nn = net_generic(seq_file_single_net(m),
					   netvm_net_id);
	int dir;

	seq_printf(m, "exempt %d\n", netvm_exempt_enabled());
	seq_printf(m, "protected_sockets %d\n", atomic_read(&nn->protected));
	for (dir = 0; dir < NETVM_NR_DIRS; dir++) {
		seq_printf(m, "%s_exempt_bytes %lld\n", netvm_dir_names[dir],
			   (long long)atomic64_read(&nn->exempt_bytes[dir]));
		seq_printf(m, "%s_exemptions %lld\n", netvm_dir_names[dir],
			   (long long)atomic64_read(&nn->exemptions[dir]));
		seq_printf(m, "%s_refusals %lld\n", netvm_dir_names[dir],
			   (long long)atomic64_read(&nn->refusals[dir]));
	}
	seq_printf(m, "rx_window_restores %lld\n",
		   (long long)atomic64_read(&nn->restores[NETVM_RX]));
	seq_printf(m, "tx_sndbuf_restores %lld\n",
		   (long long)atomic64_read(&nn->restores[NETVM_TX]));
	return 0;
}

static int __net_init netvm_net_init(struct net *net)
{
	if (!proc_create_net_single("netvm", 0444, net->proc_net,
				    netvm_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

static void __net_exit netvm_net_exit(struct net *net)
{
	remove_proc_entry("netvm", net->proc_net);
}

static struct pernet_operations netvm_net_ops = {
	.init = netvm_net_init,
	.exit = netvm_net_exit,
	.id = &netvm_net_id,
	.size = sizeof(struct netvm_net),
};

/**
 * netvm_stats_init() - create the counters of every network namespace
 *
 * Context: process context; may sleep.
 * Return: 0 or an error.
 */
int netvm_stats_init(void)
{
	return register_pernet_subsys(&netvm_net_ops);
}

/**
 * netvm_stats_exit() - remove the counters of every network namespace
 *
 * Context: process context; may sleep.
 */
void netvm_stats_exit(void)
{
	unregister_pernet_subsys(&netvm_net_ops);
}
