// SPDX-License-Identifier: GPL-2.0
/*
 * swapfs: the control device, /dev/nfsswap-control.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>

#include <uapi/nfsswap.h>
#include "swapfs.h"

static long swapfs_control_attach(struct nfsswap_attach __user *uarg)
{
	struct nfsswap_attach arg;
	u32 index;
	int err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || arg.pad || memchr_inv(arg.reserved, 0,
					       sizeof(arg.reserved)))
		return -EINVAL;
	err = swapfs_attach(arg.fd, &index);
	if (err)
		return err;
	if (put_user(index, &uarg->index)) {
		/* Nobody can know the device: take it back if possible. */
		swapfs_detach(index);
		return -EFAULT;
	}
	return 0;
}

static long swapfs_control_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case NFSSWAP_IOC_ATTACH:
		return swapfs_control_attach((void __user *)arg);
	case NFSSWAP_IOC_DETACH:
		if (arg > U32_MAX)
			return -ENXIO;
		return swapfs_detach(arg);
	default:
		return -ENOTTY;
	}
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
