// SPDX-License-Identifier: GPL-2.0
/*
 * swapfs: the control device, /dev/nfsswap-control.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>

#include <uapi/nfsswap.h>
#include "swapfs.h"

static long swapfs_control_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return -ENOTTY;
}

static const struct file_operations swapfs_control_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = swapfs_control_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice swapfs_control_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = NFSSWAP_CONTROL_NAME,
	.fops = &swapfs_control_fops,
	.mode = 0600,
};

int swapfs_control_init(void)
{
	int err = misc_register(&swapfs_control_dev);

	if (err)
		pr_err("cannot register /dev/%s: %d\n", NFSSWAP_CONTROL_NAME,
		       err);
	return err;
}

void swapfs_control_exit(void)
{
	misc_deregister(&swapfs_control_dev);
}
