// SPDX-License-Identifier: GPL-2.0
/*
 * netvm: resolving kernel functions that are not exported to modules.
 *
 * kallsyms_lookup_name() is not exported since 5.7.  Its address is found
 * once with a kprobe, which resolves any symbol; after that it answers
 * every other name.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/uaccess.h>

#include "netvm.h"

/* ENDBR64 (f3 0f 1e fa) as a little-endian u32. */
#define NETVM_ENDBR64 0xfa1e0ff3U

static unsigned long (*netvm_kallsyms_lookup_name)(const char *name);

/*
 * On kernels with CONFIG_X86_KERNEL_IBT a kprobe on a function is placed
 * past its ENDBR64, and kp.addr says so.  Calling through that address
 * would trap: step back to the function's first byte.
 */
static unsigned long netvm_func_start(unsigned long addr)
{
	u32 insn;

	if (!IS_ENABLED(CONFIG_X86_KERNEL_IBT))
		return addr;
	if (copy_from_kernel_nofault(&insn, (void *)(addr - sizeof(insn)),
				     sizeof(insn)))
		return addr;
	return insn == NETVM_ENDBR64 ? addr - sizeof(insn) : addr;
}

/**
 * netvm_symbols_init() - find kallsyms_lookup_name()
 *
 * Return: 0, or the error of the kprobe that looks it up.
 */
int netvm_symbols_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot find kallsyms_lookup_name: kprobe error %d\n",
		       err);
		return err;
	}
	netvm_kallsyms_lookup_name =
		(void *)netvm_func_start((unsigned long)kp.addr);
	unregister_kprobe(&kp);
	return 0;
}

/**
 * netvm_lookup_name() - address of a kernel symbol
 * @name: symbol name
 *
 * Return: the symbol's address, or 0 if the kernel has no such symbol.
 */
unsigned long netvm_lookup_name(const char *name)
{
	return netvm_kallsyms_lookup_name(name);
}

/**
 * netvm_resolve_targets() - resolve every target of a table
 * @targets: the table
 * @count: its length
 *
 * Every target is looked up, and every missing one is named in the log, so
 * that one load tells all that this kernel lacks.
 *
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
