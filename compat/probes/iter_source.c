// SPDX-License-Identifier: GPL-2.0
/*
 * ITER_SOURCE and ITER_DEST name the direction of an iov_iter since 6.1
 * (before: WRITE and READ, with the same values).
 */
#include <linux/uio.h>

unsigned int netvm_probe_dirs[] = { ITER_SOURCE, ITER_DEST };
