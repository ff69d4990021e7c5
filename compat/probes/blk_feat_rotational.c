// SPDX-License-Identifier: GPL-2.0
/*
 * Queue features moved into queue_limits in 6.11: a queue is rotational
 * only if BLK_FEAT_ROTATIONAL is set.  Before, a blk-mq queue was
 * rotational unless the driver set QUEUE_FLAG_NONROT.
 */
#include <linux/blkdev.h>

blk_features_t netvm_probe_features = BLK_FEAT_ROTATIONAL;
