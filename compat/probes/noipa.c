// SPDX-License-Identifier: GPL-2.0
/*
 * __noipa in <linux/compiler_attributes.h>: added between 5.10 and 6.1
 * ("compiler_attributes.h: Add __noipa"); the attribute itself is known to
 * every gcc that builds a supported kernel (8 and later).
 */
#include <linux/compiler.h>

static __noipa int netvm_probe_func(int x)
{
	return x;
}

int netvm_probe(int x);
int netvm_probe(int x)
{
	return netvm_probe_func(x);
}
