// SPDX-License-Identifier: GPL-2.0
/*
 * nfsswap: what makes an NFS file safe to carry swap.
 *
 * The kernel's own swap-over-NFS (fs/nfs/file.c nfs_swap_activate()) does
 * two things: rpc_clnt_swap_activate() on the mount's RPC client, which
 * marks each transport socket SOCK_MEMALLOC, now and again after every
 * reconnect (xs_tcp_finish_connecting()), and before 5.18 also made every
 * task of the client a swapper (buffers from the reserves); and, for
 * NFSv4, ->enable_swap(), which keeps the state manager thread alive so
 * that lease recovery never has to start a thread while memory is short.
 * nfsswap does the same, and routes the socket marking through netvm,
 * whose TCP memory exemption keys on SOCK_MEMALLOC.  A delayed work checks
 * the sockets periodically, as a safety net behind sunrpc's own
 * re-marking.  memalloc.c keeps the RPC tasks of the transport out of
 * reclaim.
 *
 * The sunrpc functions are looked up at run time (struct nfsswap_sunrpc),
 * so that the module does not depend on sunrpc.ko.
 *
 * The RPC client is pinned by the file the swap device holds: the file
 * holds the mount, the mount the superblock, the superblock its nfs_server
 * and that its rpc_clnt.  The open file also keeps the NFSv4 open state,
 * and with it the lease renewal (nfs4_renew_state() renews while state
 * owners exist).
 */
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/nfs_fs.h>
#include <linux/nfs_fs_sb.h>
#include <linux/nfs_xdr.h>
#include <linux/sunrpc/clnt.h>
#include <linux/sunrpc/xprt.h>
#include <linux/sunrpc/xprtsock.h>
#include <net/sock.h>

#include <netvm.h>
#include "nfsswap.h"

/* How often the transport sockets are checked. */
#define NFSSWAP_RECHECK_INTERVAL	(2 * HZ)

/**
 * nfsswap_file_is_nfs() - whether a file lives on an NFS mount
 * @file: the file
 *
 * Return: true for NFS (any version), false otherwise.
 */
bool nfsswap_file_is_nfs(const struct file *file)
{
	return file_inode(file)->i_sb->s_magic == NFS_SUPER_MAGIC;
}

/**
 * nfsswap_max_io_bytes() - the largest transfer one RPC of a mount carries
 * @file: a file on NFS
 *
 * Return: the smaller of the mount's rsize and wsize, in bytes.
 */
unsigned int nfsswap_max_io_bytes(const struct file *file)
{
	const struct nfs_server *server = NFS_SERVER(file_inode(file));

	return min(server->rsize, server->wsize);
}

static void nfsswap_put_sunrpc(struct nfsswap_sunrpc *rpc)
{
	if (rpc->swap_activate)
		symbol_put(rpc_clnt_swap_activate);
	if (rpc->swap_deactivate)
		symbol_put(rpc_clnt_swap_deactivate);
	if (rpc->for_each_xprt)
		symbol_put(rpc_clnt_iterate_for_each_xprt);
	if (rpc->peeraddr2str)
		symbol_put(rpc_peeraddr2str);
	memset(rpc, 0, sizeof(*rpc));
}

/* Without CONFIG_SUNRPC_SWAP the swap functions are not exported. */
static int nfsswap_get_sunrpc(struct nfsswap_sunrpc *rpc)
{
	rpc->swap_activate = symbol_get(rpc_clnt_swap_activate);
	rpc->swap_deactivate = symbol_get(rpc_clnt_swap_deactivate);
	rpc->for_each_xprt = symbol_get(rpc_clnt_iterate_for_each_xprt);
	rpc->peeraddr2str = symbol_get(rpc_peeraddr2str);
	if (rpc->swap_activate && rpc->swap_deactivate &&
	    rpc->for_each_xprt && rpc->peeraddr2str)
		return 0;
	nfsswap_put_sunrpc(rpc);
	return -EOPNOTSUPP;
}

/*
 * Only socket transports are struct sock_xprt.  The protocol name is the
 * one way to tell them that every supported kernel offers (xprt_class
 * appeared in 5.11); it is a string literal set once, never freed.
 */
static bool nfsswap_xprt_is_sock(const struct rpc_xprt *xprt)
{
	const char *proto = xprt->address_strings[RPC_DISPLAY_PROTO];

	return proto && (!strcmp(proto, "tcp") || !strcmp(proto, "udp"));
}

/*
 * The transport's socket may be replaced or torn down only by the holder
 * of XPRT_LOCKED (connect worker, autoclose, destroy); with that bit held,
 * transport->inet is stable.  Never wait for it: a busy transport is
 * checked again next time.
 */
static bool nfsswap_xprt_trylock(struct rpc_xprt *xprt)
{
	return !test_and_set_bit(XPRT_LOCKED, &xprt->state);
}

static void nfsswap_xprt_unlock(struct rpc_xprt *xprt)
{
	/* As xprt_release_write(): hand the lock on to a waiting task. */
	spin_lock(&xprt->transport_lock);
	xprt->ops->release_xprt(xprt, NULL);
	spin_unlock(&xprt->transport_lock);
}

/* One pass over the transports of a swap device's RPC client. */
struct nfsswap_check {
	struct nfsswap *ns;
	unsigned int socks;
	unsigned int memalloc;
};

static int nfsswap_xprt_protect(struct rpc_clnt *clnt, struct rpc_xprt *xprt,
				void *data)
{
	struct nfsswap_check *check = data;
	struct nfsswap *ns = check->ns;
	struct sock_xprt *transport;
	struct sock *sk;

	if (!nfsswap_xprt_is_sock(xprt))
		return 0;
	if (!atomic_read(&xprt->swapper)) {
		/* A transport added after activation (e.g. trunking). */
		pr_warn_once("%s: a transport to %s is not swap-enabled\n",
			     ns->server, xprt->servername);
		return 0;
	}
	/*
	 * recv_mutex keeps transport->inet from being torn down
	 * (xs_reset_transport()); sunrpc marks sockets under it too.  Setting
	 * the mark also takes XPRT_LOCKED, which the connect worker holds
	 * while it installs and marks a new socket: never both at once.  The
	 * send path holds XPRT_LOCKED for long stretches under load, so the
	 * check itself does not need it.
	 */
	transport = container_of(xprt, struct sock_xprt, xprt);
	mutex_lock(&transport->recv_mutex);
	sk = transport->inet;
	if (sk && xprt_connected(xprt)) {
		check->socks++;
		if (sock_flag(sk, SOCK_MEMALLOC)) {
			check->memalloc++;
		} else if (nfsswap_xprt_trylock(xprt)) {
			if (!sock_flag(sk, SOCK_MEMALLOC)) {
				netvm_sk_protect(sk);
				atomic64_inc(&ns->remarks);
				pr_info_ratelimited("%s: transport socket marked SOCK_MEMALLOC\n",
						    ns->server);
			}
			nfsswap_xprt_unlock(xprt);
		}
	}
	mutex_unlock(&transport->recv_mutex);
	return 0;
}

/*
 * Marks every connected transport socket that sunrpc left unmarked, and
 * publishes what it found before marking.
 */
static void nfsswap_check_xprts(struct nfsswap *ns)
{
	struct nfsswap_check check = { .ns = ns };

	ns->rpc.for_each_xprt(ns->clnt, nfsswap_xprt_protect, &check);
	WRITE_ONCE(ns->socks, check.socks);
	WRITE_ONCE(ns->socks_memalloc, check.memalloc);
}

static int nfsswap_xprt_unprotect(struct rpc_clnt *clnt,
				  struct rpc_xprt *xprt, void *data)
{
	struct sock_xprt *transport;
	struct sock *sk;

	/* Still a swapper's transport (another swap file): leave it. */
	if (!nfsswap_xprt_is_sock(xprt) || atomic_read(&xprt->swapper))
		return 0;
	/*
	 * sunrpc cleared the mark of the socket it had (xs_disable_swap());
	 * one left marked would keep the memalloc static key up after the
	 * socket is gone, as xs_reset_transport() clears it only for a
	 * swapper.  No swapper left, the connect worker marks no new socket:
	 * recv_mutex, under which xs_disable_swap() clears it, is enough.
	 */
	transport = container_of(xprt, struct sock_xprt, xprt);
	mutex_lock(&transport->recv_mutex);
	sk = transport->inet;
	if (sk && sock_flag(sk, SOCK_MEMALLOC))
		netvm_sk_unprotect(sk);
	mutex_unlock(&transport->recv_mutex);
	return 0;
}

static void nfsswap_recheck_work(struct work_struct *work)
{
	struct nfsswap *ns = container_of(to_delayed_work(work), struct nfsswap,
					  recheck);

	nfsswap_check_xprts(ns);
	queue_delayed_work(system_power_efficient_wq, &ns->recheck,
			   NFSSWAP_RECHECK_INTERVAL);
}

/**
 * nfsswap_activate() - make the NFS mount of a file safe to carry swap
 * @ns: the state to fill in
 * @file: a file on NFS (nfsswap_file_is_nfs()), held for as long as @ns
 *	is active
 *
 * Enables swap on the mount's RPC client and its transports as
 * nfs_swap_activate() does, marks the transport sockets through netvm and
 * starts the periodic check.
 *
 * Context: process context, may sleep.
 * Return: 0, -EOPNOTSUPP if sunrpc has no swap support, or the error of
 * rpc_clnt_swap_activate().
 */
int nfsswap_activate(struct nfsswap *ns, struct file *file)
{
	struct inode *inode = file_inode(file);
	struct rpc_clnt *clnt = NFS_CLIENT(inode);
	const struct nfs_rpc_ops *ops = NFS_SERVER(inode)->nfs_client->rpc_ops;
	int err;

	err = nfsswap_get_sunrpc(&ns->rpc);
	if (err) {
		pr_warn("attach %pD4: sunrpc has no swap support (CONFIG_SUNRPC_SWAP)\n",
			file);
		return err;
	}
	err = nfsswap_memalloc_get();
	if (err) {
		nfsswap_put_sunrpc(&ns->rpc);
		return err;
	}
	rcu_read_lock();
	strscpy(ns->server, ns->rpc.peeraddr2str(clnt, RPC_DISPLAY_ADDR),
		sizeof(ns->server));
	rcu_read_unlock();

	/*
	 * As nfs_swap_activate(), which also leaves the client's swapper
	 * count raised when this fails: undoing it would disable swap on
	 * transports it never enabled.
	 */
	err = ns->rpc.swap_activate(clnt);
	if (err) {
		pr_warn("attach %pD4: cannot enable swap on the RPC client of %s: %d\n",
			file, ns->server, err);
		nfsswap_memalloc_put();
		nfsswap_put_sunrpc(&ns->rpc);
		return err;
	}
	/* After the client is a swapper: the state manager checks that. */
	if (ops->enable_swap)
		ops->enable_swap(inode);

	ns->clnt = clnt;
	ns->inode = inode;
	ns->socks = 0;
	ns->socks_memalloc = 0;
	atomic64_set(&ns->remarks, 0);
	nfsswap_check_xprts(ns);
	INIT_DELAYED_WORK(&ns->recheck, nfsswap_recheck_work);
	queue_delayed_work(system_power_efficient_wq, &ns->recheck,
			   NFSSWAP_RECHECK_INTERVAL);
	return 0;
}

/**
 * nfsswap_deactivate() - undo nfsswap_activate()
 * @ns: the active state
 *
 * Context: process context, may sleep; the file must still be held.
 */
void nfsswap_deactivate(struct nfsswap *ns)
{
	const struct nfs_rpc_ops *ops;

	if (!ns->clnt)
		return;
	cancel_delayed_work_sync(&ns->recheck);
	ops = NFS_SERVER(ns->inode)->nfs_client->rpc_ops;
	ns->rpc.swap_deactivate(ns->clnt);
	if (ops->disable_swap)
		ops->disable_swap(ns->inode);
	ns->rpc.for_each_xprt(ns->clnt, nfsswap_xprt_unprotect, ns);
	ns->clnt = NULL;
	nfsswap_memalloc_put();
	nfsswap_put_sunrpc(&ns->rpc);
}
