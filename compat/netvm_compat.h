/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netvm-swap compatibility for netvm.ko: ftrace callbacks, what the call
 * gates of netvm/hook.c need, and protocol memory accounting, as the newest
 * supported kernel has them.
 *
 * Force-included before any kernel header: only macros and functions that
 * need no kernel type until they are used.
 */
#ifndef NETVM_COMPAT_NETVM_H
#define NETVM_COMPAT_NETVM_H

#ifndef NETVM_HAVE_ftrace_regs
/*
 * Before 5.11 ftrace callbacks received the struct pt_regs that the
 * trampoline saved (the whole of it with FTRACE_OPS_FL_SAVE_REGS, which is
 * what such kernels need to change the instruction pointer).
 */
#define ftrace_regs pt_regs
#define ftrace_get_regs(fregs) (fregs)
#define ftrace_regs_set_instruction_pointer(fregs, ip) \
	instruction_pointer_set(fregs, ip)
#elif !defined(NETVM_HAVE_ftrace_regs_set_instruction_pointer)
/* 5.11 to 6.1 spelled it ftrace_instruction_pointer_set(). */
#define ftrace_regs_set_instruction_pointer(fregs, ip) \
	ftrace_instruction_pointer_set(fregs, ip)
#endif

#ifndef NETVM_HAVE_ftrace_test_recursion_trylock
/*
 * Before 5.11 ftrace itself guarded the callback of an ftrace_ops without
 * FTRACE_OPS_FL_RECURSION_SAFE against recursion (ftrace_ops_assist_func()),
 * with preemption disabled; netvm never sets that flag.
 */
static __always_inline int ftrace_test_recursion_trylock(unsigned long ip,
							 unsigned long parent_ip)
{
	return 0;
}

static __always_inline void ftrace_test_recursion_unlock(int bit)
{
}
#endif

#ifndef NETVM_HAVE_noipa
/* Every gcc that builds a supported kernel knows the attribute. */
#define __noipa __attribute__((__noipa__))
#endif

/*
 * netvm_proto_pcpu_fw_alloc(prot, cpu): pages that a CPU has charged to
 * (or, if negative, uncharged from) prot but not yet moved to its
 * memory_allocated.
 */
#ifdef NETVM_HAVE_proto_per_cpu_fw_alloc
#define netvm_proto_pcpu_fw_alloc(prot, cpu) \
	(*per_cpu_ptr((prot)->per_cpu_fw_alloc, (cpu)))
#else
/* Before 6.0 every charge went to memory_allocated. */
#define netvm_proto_pcpu_fw_alloc(prot, cpu) ((void)(prot), (void)(cpu), 0)
#endif

#endif /* NETVM_COMPAT_NETVM_H */
