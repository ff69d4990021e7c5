// SPDX-License-Identifier: GPL-2.0
/*
 * netvm: resolving kernel functions that are not exported to modules.
 *
 * kallsyms_lookup_name() is not exported since 5.7, and calling it (or any
 * function that is only called directly) through a pointer is not safe on
 * kernels with CONFIG_X86_KERNEL_IBT: objtool "seals" such functions, boot
 * overwrites their ENDBR64 with a NOP, and an indirect call to them raises
 * #CP on hardware that enforces IBT.  So netvm never calls the kernel
 * through a resolved address: every name is resolved by registering a
 * kprobe (disabled, so nothing is patched), and netvm/hook.c reaches the
 * functions it calls through ftrace redirection, which jumps with a return.
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/string.h>

#include "netvm.h"

/*
 * A kprobe on a function of an IBT kernel is placed past the (possibly
 * sealed) ENDBR64 and kp.addr says so.  Step back to the first byte of the
 * function, by the offset that kallsyms gives, without guessing about the
 * instructions there.
 */
static unsigned long netvm_func_start(const char *name, unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long offset;
	size_t len = strlen(name);
	char *end;

	sprint_symbol(sym, addr);
	/* "name+0x4/0x90" or "name+0x4/0x90 [module]" */
	if (strncmp(sym, name, len) || strncmp(sym + len, "+0x", 3))
		return 0;
	end = strchr(sym + len, '/');
	if (!end)
		return 0;
	*end = '\0';
	if (kstrtoul(sym + len + 1, 0, &offset) || offset > addr)
		return 0;
	return addr - offset;
}

/**
 * netvm_lookup_name() - address of a kernel function
 * @name: symbol name
 *
 * Context: process context; may sleep.
 * Return: the address of the function's first byte, or 0 if the kernel has
 * no such function or it cannot be probed.
 */
unsigned long netvm_lookup_name(const char *name)
{
	struct kprobe kp = {
		.symbol_name = name,
		.flags = KPROBE_FLAG_DISABLED,
	};
	unsigned long addr;
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_debug("kprobe on %s: error %d\n", name, err);
		return 0;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return netvm_func_start(name, addr);
}
EXPORT_SYMBOL_GPL(netvm_lookup_name);

/**
 * netvm_resolve_targets() - resolve every target of a table
 * @targets: the table
 * @count: its length
 *
 * Every target is looked up, and every missing one is named in the log, so
 * that one load tells all that this kernel lacks.
 *
 * Context: process context; may sleep.
 * Return: 0, or -ENOENT if any target is missing.
 */
int netvm_resolve_targets(struct netvm_target *targets, size_t count)
{
	int err = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		struct netvm_target *t = &targets[i];

		t->addr = netvm_lookup_name(t->name);
		if (!t->addr) {
			pr_err("kernel function %s not found (%s)\n",
			       t->name, t->why);
			err = -ENOENT;
			continue;
		}
		pr_info("resolved %s at %pS (%s)\n", t->name, (void *)t->addr,
			t->why);
	}
	return err;
}
