// SPDX-License-Identifier: GPL-2.0
/*
 * swapfs: a block device over a file on a network filesystem, made to carry
 * swap.  This file holds the module's entry points; the control device is in
 * control.c, the NFS specifics in ../nfsswap/.
 */
#include <linux/blkdev.h>
#include <linux/module.h>

#include <uapi/nfsswap.h>
#include "swapfs.h"

int swapfs_major;

static int __init swapfs_init(void)
{
	int err;

	swapfs_major = register_blkdev(0, NFSSWAP_DISK_NAME);
	if (swapfs_major < 0) {
		pr_err("cannot register a block major: %d\n", swapfs_major);
		return swapfs_major;
	}
	err = swapfs_control_init();
	if (err)
		goto err_blkdev;
	pr_info("loaded, block major %d\n", swapfs_major);
	return 0;

err_blkdev:
	unregister_blkdev(swapfs_major, NFSSWAP_DISK_NAME);
	return err;
}

static void __exit swapfs_exit(void)
{
	swapfs_control_exit();
	unregister_blkdev(swapfs_major, NFSSWAP_DISK_NAME);
	pr_info("unloaded\n");
}

module_init(swapfs_init);
module_exit(swapfs_exit);

MODULE_DESCRIPTION("Swap block devices over files on NFS");
MODULE_AUTHOR("netvm-swap developers");
MODULE_LICENSE("GPL");
