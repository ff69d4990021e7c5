/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netvm: internal declarations of netvm.ko.
 */
#ifndef NETVM_NETVM_H
#define NETVM_NETVM_H

#include <linux/types.h>

/**
 * enum netvm_target_kind - what netvm does with a resolved kernel function
 * @NETVM_TARGET_HOOK: netvm attaches an ftrace hook to it
 * @NETVM_TARGET_CALL: netvm calls it (not exported to modules)
 */
enum netvm_target_kind {
	NETVM_TARGET_HOOK,
	NETVM_TARGET_CALL,
};

/**
 * struct netvm_target - a kernel function netvm needs
 * @name: symbol name
 * @kind: hook or call
 * @why: one line for the log and debugfs
 * @addr: resolved address of the function's first byte, 0 until resolved
 */
struct netvm_target {
	const char *name;
	enum netvm_target_kind kind;
	const char *why;
	unsigned long addr;
};

int netvm_symbols_init(void);
unsigned long netvm_lookup_name(const char *name);
int netvm_resolve_targets(struct netvm_target *targets, size_t count);

#endif /* NETVM_NETVM_H */
