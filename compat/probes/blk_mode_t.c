// SPDX-License-Identifier: GPL-2.0
/* blk_mode_t replaced fmode_t for block device open modes in 6.5. */
#include <linux/blkdev.h>

blk_mode_t netvm_probe_mode = BLK_OPEN_READ;
