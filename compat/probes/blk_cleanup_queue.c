// SPDX-License-Identifier: GPL-2.0
/*
 * blk_cleanup_queue() exists up to 5.19: a driver had to shut down the queue
 * of its disk itself.  Since 6.0 del_gendisk() does that for a queue the
 * disk owns, and blk_cleanup_queue() is gone.
 */
#include <linux/blkdev.h>

void netvm_probe(struct request_queue *q);
void netvm_probe(struct request_queue *q)
{
	blk_cleanup_queue(q);
}
