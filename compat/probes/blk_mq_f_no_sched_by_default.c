// SPDX-License-Identifier: GPL-2.0
/*
 * BLK_MQ_F_NO_SCHED_BY_DEFAULT (after 5.10): the queue starts without an I/O
 * scheduler ("none"), which the administrator may still change.
 */
#include <linux/blk-mq.h>

unsigned int netvm_probe_flags = BLK_MQ_F_NO_SCHED_BY_DEFAULT;
