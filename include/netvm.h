/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netvm: the API that netvm.ko exports to the other netvm-swap modules.
 */
#ifndef NETVM_H
#define NETVM_H

struct sock;

void netvm_sk_protect(struct sock *sk);
void netvm_sk_unprotect(struct sock *sk);

#endif /* NETVM_H */
