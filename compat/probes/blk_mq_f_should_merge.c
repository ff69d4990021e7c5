// SPDX-License-Identifier: GPL-2.0
/*
 * BLK_MQ_F_SHOULD_MERGE asks blk-mq to merge requests.  It was removed in
 * 6.14, when merging became the default for every blk-mq queue.
 */
#include <linux/blk-mq.h>

unsigned int netvm_probe_flags = BLK_MQ_F_SHOULD_MERGE;
