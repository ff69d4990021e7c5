// SPDX-License-Identifier: GPL-2.0
/* blk_mq_alloc_disk() takes queue_limits since 6.9 (27e32cd23fed). */
#include <linux/blk-mq.h>

struct gendisk *netvm_probe(struct blk_mq_tag_set *set);
struct gendisk *netvm_probe(struct blk_mq_tag_set *set)
{
	struct queue_limits lim = { .logical_block_size = 4096 };

	return blk_mq_alloc_disk(set, &lim, NULL);
}
