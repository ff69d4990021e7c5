// SPDX-License-Identifier: GPL-2.0
/*
 * netvm: redirecting kernel functions with ftrace, the way live patching
 * does (kernel/livepatch/patch.c): one ftrace_ops per function, filtered on
 * its address, with FTRACE_OPS_FL_IPMODIFY; the callback sets the
 * instruction pointer that the ftrace trampoline returns to.
 *
 * Unloading: after unregister_ftrace_function() no new call is redirected,
 * and ftrace has waited until no task is on its trampoline.  A task may
 * still be inside a replacement, though, or inside the original function
 * that the replacement called (which may sleep, e.g. in memcg reclaim), and
 * return into this module's text after it is gone (the crash of
 * ilammy/ftrace-hook issue #13).  Replacements therefore run between
 * netvm_hook_enter() and netvm_hook_exit(), the read side of an SRCU
 * domain: a per-CPU count of tasks inside, which netvm_hooks_remove()
 * waits to drain with synchronize_srcu().  The few instructions before the
 * enter and after the exit are covered by synchronize_rcu_tasks(), which
 * waits for every task preempted in the kernel to be scheduled again (and
 * is synchronize_rcu() on kernels without preemption).
 */
#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/srcu.h>

#include "netvm.h"

DEFINE_STATIC_SRCU(netvm_hook_srcu);

/**
 * netvm_hook_enter() - enter a replacement function
 *
 * Context: any context but NMI.
 * Return: the index to pass to netvm_hook_exit().
 */
int netvm_hook_enter(void)
{
	return srcu_read_lock(&netvm_hook_srcu);
}
EXPORT_SYMBOL_GPL(netvm_hook_enter);

/**
 * netvm_hook_exit() - leave a replacement function
 * @idx: what netvm_hook_enter() returned
 *
 * Context: the context of the matching netvm_hook_enter().
 */
void netvm_hook_exit(int idx)
{
	srcu_read_unlock(&netvm_hook_srcu, idx);
}
EXPORT_SYMBOL_GPL(netvm_hook_exit);

static __always_inline void netvm_set_ip(struct ftrace_regs *fregs,
					 unsigned long ip)
{
#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
	ftrace_regs_set_instruction_pointer(fregs, ip);
#else
	instruction_pointer_set(ftrace_get_regs(fregs), ip);
#endif
}

static void notrace netvm_hook_ftrace(unsigned long ip,
				      unsigned long parent_ip,
				      struct ftrace_ops *ops,
				      struct ftrace_regs *fregs)
{
	struct netvm_hook *hook = container_of(ops, struct netvm_hook, ops);
	int bit;

	/*
	 * Nothing here calls a traced function, so recursion would be a bug
	 * elsewhere: leave the call alone rather than warn.
	 */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	/*
	 * parent_ip is the return address of the call: a replacement calling
	 * the original function reaches the original.  The replacement must
	 * not end in a tail call to it, or parent_ip would be its caller's.
	 */
	if (hook->gate || !within_module(parent_ip, hook->owner))
		netvm_set_ip(fregs, hook->dest);
	ftrace_test_recursion_unlock(bit);
}

static int netvm_hook_install(struct netvm_hook *hook)
{
	int err;

	hook->ops.func = netvm_hook_ftrace;
	hook->ops.flags = FTRACE_OPS_FL_DYNAMIC |
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
			  FTRACE_OPS_FL_SAVE_REGS |
#endif
			  FTRACE_OPS_FL_IPMODIFY |
			  FTRACE_OPS_FL_PERMANENT;

	/*
	 * On IBT kernels the ftrace location is past the ENDBR64;
	 * ftrace_set_filter_ip() maps a function's first byte to it.
	 */
	err = ftrace_set_filter_ip(&hook->ops, hook->func, 0, 0);
	if (err) {
		pr_err("cannot hook %s at %pS: ftrace_set_filter_ip() error %d\n",
		       hook->name, (void *)hook->func, err);
		return err;
	}
	err = register_ftrace_function(&hook->ops);
	if (err) {
		pr_err("cannot hook %s at %pS: register_ftrace_function() error %d\n",
		       hook->name, (void *)hook->func, err);
		ftrace_set_filter_ip(&hook->ops, hook->func, 1, 0);
		return err;
	}
	pr_info("hooked %s: %pS -> %pS\n", hook->name, (void *)hook->func,
		(void *)hook->dest);
	return 0;
}

static void netvm_hook_remove(struct netvm_hook *hook)
{
	int err;

	err = unregister_ftrace_function(&hook->ops);
	if (err)
		pr_err("cannot unhook %s: unregister_ftrace_function() error %d\n",
		       hook->name, err);
	ftrace_set_filter_ip(&hook->ops, hook->func, 1, 0);
	/* Tasks that were redirected have left the replacement. */
	synchronize_srcu(&netvm_hook_srcu);
}

/**
 * __netvm_hooks_install() - install every hook of a table, or none
 * @hooks: the table; hooks are installed in its order
 * @count: its length
 * @owner: the module whose code the hooks redirect to (netvm_hooks_install()
 *	passes THIS_MODULE); its calls to a hooked function are not redirected
 *
 * A hook may use the hooks before it in the table (a replacement may call
 * through a call gate installed before it).  If any hook cannot be
 * installed, those already installed are removed again.
 *
 * Context: process context; may sleep.
 * Return: 0, or the error of the hook that failed.
 */
int __netvm_hooks_install(struct netvm_hook *hooks, size_t count,
			  struct module *owner)
{
	size_t i;
	int err;

	for (i = 0; i < count; i++) {
		hooks[i].owner = owner;
		err = netvm_hook_install(&hooks[i]);
		if (err)
			goto err_remove;
	}
	return 0;

err_remove:
	netvm_hooks_remove(hooks, i);
	return err;
}
EXPORT_SYMBOL_GPL(__netvm_hooks_install);

/**
 * netvm_hooks_remove() - remove the hooks of a table
 * @hooks: the table, installed by netvm_hooks_install()
 * @count: its length
 *
 * Hooks are removed in the reverse order of installation.  Returns once no
 * task runs code that a hook redirected to: after it, the module that holds
 * the replacements may go.
 *
 * Context: process context; sleeps for RCU grace periods.
 */
void netvm_hooks_remove(struct netvm_hook *hooks, size_t count)
{
	while (count--)
		netvm_hook_remove(&hooks[count]);
	synchronize_rcu_tasks();
}
EXPORT_SYMBOL_GPL(netvm_hooks_remove);
