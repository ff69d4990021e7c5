// SPDX-License-Identifier: GPL-2.0
/*
 * swapfs: a block device over a file on a network filesystem, made to carry
 * swap.  This file holds the module's entry points and parameters; the
 * control device is in control.c, devices in dev.c, the I/O path in io.c,
 * the sysfs attributes in sysfs.c, the NFS specifics in ../nfsswap/.
 */
#include <linux/blkdev.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include <uapi/nfsswap.h>
#include "swapfs.h"

int swapfs_major;

static const char *const swapfs_io_path_names[] = {
	[SWAPFS_IO_AUTO] = "auto",
	[SWAPFS_IO_SWAPOPS] = "swapops",
	[SWAPFS_IO_DIRECT] = "direct",
};

/**
 * swapfs_io_path_name() - the name of an I/O path, as sysfs shows it
 * @path: the path
 *
 * Return: "auto", "swapops" or "direct".
 */
const char *swapfs_io_path_name(enum swapfs_io_path path)
{
	return swapfs_io_path_names[path];
}

enum swapfs_io_path swapfs_io_path_param = SWAPFS_IO_AUTO;

static int swapfs_io_path_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(swapfs_io_path_names, val);

	if (i < 0)
		return i;
	WRITE_ONCE(swapfs_io_path_param, i);
	return 0;
}

static int swapfs_io_path_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  swapfs_io_path_name(READ_ONCE(swapfs_io_path_param)));
}

static const struct kernel_param_ops swapfs_io_path_ops = {
	.set = swapfs_io_path_set,
	.get = swapfs_io_path_get,
};

module_param_cb(io_path, &swapfs_io_path_ops, NULL, 0644);
MODULE_PARM_DESC(io_path,
		 "I/O path of devices attached from now on: auto (swapops where the file has them), swapops (a_ops swap I/O, S_SWAPFILE) or direct (O_DIRECT read/write_iter)");

/* At most this much read-ahead memory per device. */
#define SWAPFS_READAHEAD_MAX_KB	(64 * 1024)

static int swapfs_readahead_kb_set(const char *val,
				   const struct kernel_param *kp)
{
	unsigned int kb;
	int err = kstrtouint(val, 0, &kb);

	if (err)
		return err;
	if (kb > SWAPFS_READAHEAD_MAX_KB) {
		pr_warn("readahead_kb %u is above %u\n", kb,
			SWAPFS_READAHEAD_MAX_KB);
		return -ERANGE;
	}
	WRITE_ONCE(swapfs_readahead_kb, kb);
	return 0;
}

static const struct kernel_param_ops swapfs_readahead_kb_ops = {
	.set = swapfs_readahead_kb_set,
	.get = param_get_uint,
};

module_param_cb(readahead_kb, &swapfs_readahead_kb_ops, &swapfs_readahead_kb,
		0644);
MODULE_PARM_DESC(readahead_kb,
		 "Read-ahead memory of devices attached from now on, KiB each (0: off; default 2048): windows of the file read ahead of sequential swap-in");

/*
 * debugfs netvm_swap/inject_enomem (tests): write N and the next N I/O
 * submissions to backing files fail with -ENOMEM, as if the filesystem
 * found no memory; reads show how many are left.
 */
static struct dentry *swapfs_debugfs;

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
	swapfs_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_atomic_t("inject_enomem", 0600, swapfs_debugfs,
				&swapfs_inject_enomem);
	pr_info("loaded, block major %d, io_path %s\n", swapfs_major,
		swapfs_io_path_name(swapfs_io_path_param));
	return 0;

err_blkdev:
	unregister_blkdev(swapfs_major, NFSSWAP_DISK_NAME);
	return err;
}

static void __exit swapfs_exit(void)
{
	debugfs_remove_recursive(swapfs_debugfs);
	swapfs_control_exit();
	swapfs_dev_exit();
	unregister_blkdev(swapfs_major, NFSSWAP_DISK_NAME);
	pr_info("unloaded\n");
}

module_init(swapfs_init);
module_exit(swapfs_exit);

MODULE_DESCRIPTION("Swap block devices over files on NFS");
MODULE_AUTHOR("netvm-swap developers");
MODULE_LICENSE("GPL");
/*
 * Encrypted swap (nfsswapctl on --encrypt, ENCRYPT=yes) stacks dm-crypt on
 * our devices: `modprobe netvm_swap` loads it along, so that the tool finds
 * /dev/mapper/control.  A kernel without it just lacks encryption.
 */
MODULE_SOFTDEP("post: dm_crypt");
