// SPDX-License-Identifier: GPL-2.0
/*
 * FMODE_CAN_ODIRECT marks files that support O_DIRECT since 6.0; before,
 * open() checked for a_ops->direct_IO.
 */
#include <linux/fs.h>

fmode_t netvm_probe_mode = FMODE_CAN_ODIRECT;
