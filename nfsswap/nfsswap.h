/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfsswap: the NFS part of netvm_swap.ko.
 */
#ifndef NFSSWAP_NFSSWAP_H
#define NFSSWAP_NFSSWAP_H

#include <linux/types.h>
#include <linux/workqueue.h>

struct file;
struct inode;
struct rpc_clnt;

/* Room for an IPv6 address with scope, as rpc_peeraddr2str() gives it. */
#define NFSSWAP_SERVER_LEN	64

/**
 * struct nfsswap - the NFS state of one swap device
 * @clnt: RPC client of the mount, swap-enabled; NULL when not active
 * @inode: the backing file's inode
 * @recheck: periodic check that every transport socket is SOCK_MEMALLOC
 * @server: the server's address, for sysfs
 */
struct nfsswap {
	struct rpc_clnt *clnt;
	struct inode *inode;
	struct delayed_work recheck;
	char server[NFSSWAP_SERVER_LEN];
};

bool nfsswap_file_is_nfs(const struct file *file);
unsigned int nfsswap_max_io_bytes(const struct file *file);
int nfsswap_activate(struct nfsswap *ns, struct file *file);
void nfsswap_deactivate(struct nfsswap *ns);

#endif /* NFSSWAP_NFSSWAP_H */
