// SPDX-License-Identifier: GPL-2.0
/*
 * rpc_task_gfp_mask() came in 5.18 with the series that runs swapper RPC
 * tasks, and the task holding a swap transport's send lock, with
 * PF_MEMALLOC ("SUNRPC: improve 'swap' handling: scheduling and
 * PF_MEMALLOC").  Without it, nfsswap/memalloc.c does that.
 */
#include <linux/sunrpc/sched.h>

gfp_t netvm_probe(void);
gfp_t netvm_probe(void)
{
	return rpc_task_gfp_mask();
}
