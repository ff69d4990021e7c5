// SPDX-License-Identifier: GPL-2.0
/*
 * 5.11, "ftrace: Have the callbacks receive a struct ftrace_regs instead
 * of pt_regs": ftrace callbacks take a struct ftrace_regs pointer.
 */
#include <linux/ftrace.h>

void netvm_probe_func(unsigned long ip, unsigned long parent_ip,
		      struct ftrace_ops *op, struct ftrace_regs *fregs);
void netvm_probe_func(unsigned long ip, unsigned long parent_ip,
		      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
}

ftrace_func_t netvm_probe(void);
ftrace_func_t netvm_probe(void)
{
	return netvm_probe_func;
}
