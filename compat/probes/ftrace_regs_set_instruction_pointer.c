// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace_regs_set_instruction_pointer(): the name that
 * ftrace_instruction_pointer_set() (5.11, live patching with
 * DYNAMIC_FTRACE_WITH_ARGS) got when the ftrace_regs accessors were renamed
 * between 6.1 and 6.12 ("ftrace: Rename ftrace_regs accessors").
 */
#include <linux/ftrace.h>

void netvm_probe(struct ftrace_regs *fregs);
void netvm_probe(struct ftrace_regs *fregs)
{
	ftrace_regs_set_instruction_pointer(fregs, 0UL);
}
