// SPDX-License-Identifier: GPL-2.0
/*
 * blk_mq_alloc_disk(set, queuedata), with two arguments: added in 5.14,
 * given a queue_limits argument in 6.9.  5.10 allocates the queue and the
 * disk separately.
 */
#include <linux/blk-mq.h>

struct gendisk *netvm_probe(struct blk_mq_tag_set *set);
struct gendisk *netvm_probe(struct blk_mq_tag_set *set)
{
	return blk_mq_alloc_disk(set, NULL);
}
