// SPDX-License-Identifier: GPL-2.0
/*
 * nfsswap: what makes an NFS file safe to carry swap.
 */
#include <linux/fs.h>
#include <net/sock.h>

#include <netvm.h>
#include "nfsswap.h"

/* NFS_SUPER_MAGIC from <uapi/linux/magic.h>, kept here for clarity. */
#define NFSSWAP_NFS_MAGIC 0x6969

/**
 * nfsswap_file_is_nfs() - whether a file lives on an NFS mount
 * @file: the file
 *
 * Return: true for NFS (any version), false otherwise.
 */
bool nfsswap_file_is_nfs(const struct file *file)
{
	return file_inode(file)->i_sb->s_magic == NFSSWAP_NFS_MAGIC;
}

/**
 * nfsswap_protect_sock() - protect an RPC transport socket through netvm
 * @sk: the transport's socket
 */
void nfsswap_protect_sock(struct sock *sk)
{
	netvm_sk_protect(sk);
}
