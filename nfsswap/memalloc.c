// SPDX-License-Identifier: GPL-2.0
/*
 * nfsswap: RPC tasks of a swap transport never enter memory reclaim.
 *
 * Reclaim with __GFP_IO writes anonymous pages to swap.  When that swap is
 * an nfsswap device, a task that must run for the device's writes to
 * complete must never wait in reclaim for such a write: it would wait for
 * itself.  rpciod's workers are such tasks, and they allocate (RPC slots,
 * credentials, skbs to transmit) with only PF_MEMALLOC_NOFS set:
 *  - 5.10 runs no RPC task with PF_MEMALLOC: the worker that transmits,
 *    holding the transport's send lock, entered reclaim in tcp_sendmsg()
 *    and waited in __swap_writepage() for a bio of fs_bio_set, which every
 *    in-flight request held (the kernel's own NFS swap has that hole too);
 *  - since 5.18 sunrpc sets PF_MEMALLOC for swapper tasks (NFS writes to a
 *    swap file) and the send lock holder, and reclaim no longer writes to
 *    SWP_FS_OPS swap from NOFS context; neither covers a block device: with
 *    io_path=direct (no swapper tasks) and for reads, workers entered
 *    reclaim in xprt_alloc_slot() and unx_lookup_cred() and blocked the
 *    same way, with kthreadd (new workers) and rpciod's rescuer, on 6.1.
 *
 * nfsswap replaces sunrpc's __rpc_execute(), the step loop of every RPC
 * task (in rpciod for asynchronous tasks, in the caller for synchronous
 * ones), while a device is on NFS: the replacement runs the original with
 * PF_MEMALLOC for a task whose transport carries swap (or that is itself
 * a swapper).  Its allocations then use the reserves instead of reclaim,
 * as the transport's socket already does (SOCK_MEMALLOC).  The hook is
 * installed with the first NFS device and removed with the last; sunrpc
 * stays loaded meanwhile (nfsswap holds its symbols).
 */
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/sunrpc/sched.h>
#include <linux/sunrpc/xprt.h>

#include <netvm.h>
#include "nfsswap.h"

static DEFINE_MUTEX(nfsswap_memalloc_lock);
static unsigned int nfsswap_memalloc_users;

/* Call gate to __rpc_execute() (see struct netvm_hook). */
static __noipa void nfsswap_rpc_execute_gate(struct rpc_task *task)
{
}

static bool nfsswap_task_is_swap(const struct rpc_task *task)
{
	const struct rpc_xprt *xprt = task->tk_xprt;

	return RPC_IS_SWAPPER(task) || (xprt && atomic_read(&xprt->swapper));
}

/* Replacement of __rpc_execute(). */
static void nfsswap_rpc_execute(struct rpc_task *task)
{
	/* The task may be freed by the time the original returns. */
	bool swap = nfsswap_task_is_swap(task);
	unsigned int noreclaim = 0;
	int idx = netvm_hook_enter();

	if (swap)
		noreclaim = memalloc_noreclaim_save();
	nfsswap_rpc_execute_gate(task);
	if (swap)
		memalloc_noreclaim_restore(noreclaim);
	netvm_hook_exit(idx);
}

static struct netvm_hook nfsswap_memalloc_hooks[] = {
	/* First: the replacement calls through it. */
	{
		.name = "__rpc_execute (call gate)",
		.gate = true,
	},
	{
		.name = "__rpc_execute",
	},
};

/**
 * nfsswap_memalloc_get() - run swap RPC tasks with PF_MEMALLOC from now on
 *
 * Context: process context; sunrpc is loaded and held by the caller.
 * Return: 0, or -ENOENT or the error of the hook.
 */
int nfsswap_memalloc_get(void)
{
	unsigned long addr;
	int err = 0;

	mutex_lock(&nfsswap_memalloc_lock);
	if (nfsswap_memalloc_users++)
		goto out;
	addr = netvm_lookup_name("__rpc_execute");
	if (!addr) {
		pr_err("sunrpc's __rpc_execute() not found: cannot keep swap RPC tasks out of reclaim\n");
		err = -ENOENT;
		goto err;
	}
	nfsswap_memalloc_hooks[0].func = (unsigned long)nfsswap_rpc_execute_gate;
	nfsswap_memalloc_hooks[0].dest = addr;
	nfsswap_memalloc_hooks[1].func = addr;
	nfsswap_memalloc_hooks[1].dest = (unsigned long)nfsswap_rpc_execute;
	err = netvm_hooks_install(nfsswap_memalloc_hooks,
				  ARRAY_SIZE(nfsswap_memalloc_hooks));
	if (!err)
		goto out;
err:
	nfsswap_memalloc_users--;
out:
	mutex_unlock(&nfsswap_memalloc_lock);
	return err;
}

/**
 * nfsswap_memalloc_put() - undo nfsswap_memalloc_get()
 *
 * Context: process context; sleeps until no task is in the replacement.
 */
void nfsswap_memalloc_put(void)
{
	mutex_lock(&nfsswap_memalloc_lock);
	if (!--nfsswap_memalloc_users)
		netvm_hooks_remove(nfsswap_memalloc_hooks,
				   ARRAY_SIZE(nfsswap_memalloc_hooks));
	mutex_unlock(&nfsswap_memalloc_lock);
}
