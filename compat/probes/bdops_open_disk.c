// SPDX-License-Identifier: GPL-2.0
/*
 * block_device_operations: ->open() takes the gendisk and a blk_mode_t, and
 * ->release() only the gendisk, since 6.5.  Before, ->open() took the
 * block_device and an fmode_t, ->release() the gendisk and an fmode_t.
 */
#include <linux/blkdev.h>

static int netvm_probe_open(struct gendisk *disk, blk_mode_t mode)
{
	return 0;
}

static void netvm_probe_release(struct gendisk *disk)
{
}

const struct block_device_operations netvm_probe_ops = {
	.open = netvm_probe_open,
	.release = netvm_probe_release,
};
