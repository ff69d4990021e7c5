/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfsswap: the NFS part of netvm_swap.ko.
 */
#ifndef NFSSWAP_NFSSWAP_H
#define NFSSWAP_NFSSWAP_H

#include <linux/sunrpc/clnt.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct file;
struct inode;

/* Room for an IPv6 address with scope, as rpc_peeraddr2str() gives it. */
#define NFSSWAP_SERVER_LEN	64

/**
 * struct nfsswap_sunrpc - the sunrpc functions nfsswap calls
 * @swap_activate: rpc_clnt_swap_activate()
 * @swap_deactivate: rpc_clnt_swap_deactivate()
 * @for_each_xprt: rpc_clnt_iterate_for_each_xprt()
 * @peeraddr2str: rpc_peeraddr2str()
 *
 * Looked up with symbol_get() while a device is on NFS, so that
 * netvm_swap.ko does not depend on sunrpc.ko: it loads and unloads
 * without it, and attaches files on other filesystems without it.
 */
struct nfsswap_sunrpc {
	int (*swap_activate)(struct rpc_clnt *clnt);
	void (*swap_deactivate)(struct rpc_clnt *clnt);
	int (*for_each_xprt)(struct rpc_clnt *clnt,
			     int (*fn)(struct rpc_clnt *clnt,
				       struct rpc_xprt *xprt, void *data),
			     void *data);
	const char *(*peeraddr2str)(struct rpc_clnt *clnt,
				    enum rpc_display_format_t format);
};

/**
 * struct nfsswap - the NFS state of one swap device
 * @rpc: sunrpc functions, held while active
 * @clnt: RPC client of the mount, swap-enabled; NULL when not active
 * @inode: the backing file's inode
 * @recheck: periodic check that every transport socket is SOCK_MEMALLOC
 * @socks: connected transport sockets at the last complete check
 * @socks_memalloc: of those, the ones found SOCK_MEMALLOC (by sunrpc, or
 *	by an earlier check)
 * @remarks: sockets a check found without SOCK_MEMALLOC and marked
 * @server: the server's address, for sysfs
 *
 * @socks and @socks_memalloc are written by the check alone (activation,
 * then the delayed work) and read locklessly for sysfs.
 */
struct nfsswap {
	struct nfsswap_sunrpc rpc;
	struct rpc_clnt *clnt;
	struct inode *inode;
	struct delayed_work recheck;
	unsigned int socks;
	unsigned int socks_memalloc;
	atomic64_t remarks;
	char server[NFSSWAP_SERVER_LEN];
};

bool nfsswap_file_is_nfs(const struct file *file);
unsigned int nfsswap_max_io_bytes(const struct file *file);
int nfsswap_activate(struct nfsswap *ns, struct file *file);
void nfsswap_deactivate(struct nfsswap *ns);

/* memalloc.c: RPC tasks of swap transports never enter reclaim */
int nfsswap_memalloc_get(void);
void nfsswap_memalloc_put(void);

#endif /* NFSSWAP_NFSSWAP_H */
