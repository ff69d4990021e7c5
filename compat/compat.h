/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netvm-swap compatibility layer, force-included into every object.
 *
 * The code outside compat/ is written for the newest supported kernel.  For
 * every kernel API that differs between supported kernels, a probe in
 * compat/probes/ says whether this kernel has it (NETVM_HAVE_<NAME> in the
 * generated features.h), and this file supplies what an older kernel lacks.
 * No kernel version number is tested anywhere.
 */
#ifndef NETVM_COMPAT_H
#define NETVM_COMPAT_H

#include "netvm_features.h"
#include "blk.h"
#include "netvm_compat.h"

#endif /* NETVM_COMPAT_H */
