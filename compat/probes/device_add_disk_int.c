// SPDX-License-Identifier: GPL-2.0
/* device_add_disk() returns an error code since 5.15; it was void before. */
#include <linux/blkdev.h>

int netvm_probe(struct gendisk *disk);
int netvm_probe(struct gendisk *disk)
{
	return device_add_disk(NULL, disk, NULL);
}
