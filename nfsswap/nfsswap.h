/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfsswap: the NFS part of netvm_swap.ko.
 */
#ifndef NFSSWAP_NFSSWAP_H
#define NFSSWAP_NFSSWAP_H

#include <linux/types.h>

struct file;
struct sock;

bool nfsswap_file_is_nfs(const struct file *file);
void nfsswap_protect_sock(struct sock *sk);

#endif /* NFSSWAP_NFSSWAP_H */
