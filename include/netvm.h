/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netvm: the API that netvm.ko exports to the other netvm-swap modules.
 */
#ifndef NETVM_H
#define NETVM_H

#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/types.h>

struct sock;

void netvm_sk_protect(struct sock *sk);
void netvm_sk_unprotect(struct sock *sk);

/*
 * Function hooks (netvm/hook.c, netvm/symbols.c), for netvm itself and for
 * netvm_swap's kernel-version fixes.
 */
unsigned long netvm_lookup_name(const char *name);

/**
 * struct netvm_hook - an ftrace redirection of a function
 * @name: what the log calls it
 * @func: first byte of the redirected function
 * @dest: where its calls go instead
 * @gate: redirect every call; without it, calls made from @owner reach
 *	@func itself (so that a replacement can call the original)
 * @owner: the module that holds @dest (and the gate stub); set by
 *	netvm_hooks_install()
 * @ops: the ftrace_ops that redirects
 *
 * A hook with @gate set is a call gate: @func is a stub of this module with
 * the prototype of @dest, a kernel function that is not exported.  Calling
 * the stub runs @dest; ftrace enters it with a return instruction, not an
 * indirect call, which IBT would refuse if @dest is sealed.
 */
struct netvm_hook {
	const char *name;
	unsigned long func;
	unsigned long dest;
	bool gate;
	struct module *owner;
	struct ftrace_ops ops;
};

int __netvm_hooks_install(struct netvm_hook *hooks, size_t count,
			  struct module *owner);
/* Install a table of hooks whose replacements are in the calling module. */
#define netvm_hooks_install(hooks, count) \
	__netvm_hooks_install(hooks, count, THIS_MODULE)
void netvm_hooks_remove(struct netvm_hook *hooks, size_t count);
int netvm_hook_enter(void);
void netvm_hook_exit(int idx);

#endif /* NETVM_H */
