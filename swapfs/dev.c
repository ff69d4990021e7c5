// SPDX-License-Identifier: GPL-2.0
/*
 * swapfs: attaching a backing file to /dev/nfsswapN and detaching it.
 *
 * The kernel never resolves a path: user space opens the file and passes
 * the descriptor.  Attaching checks the file (type, open mode, size, holes)
 * and claims its inode: with io_path=swapops the inode is marked
 * S_SWAPFILE, as swapon does, so that on this client writes
 * (generic_write_checks()), shrinking truncates (inode_newsize_ok()),
 * fallocate and copy/clone ranges fail with ETXTBSY, unlink and rename
 * with EPERM (may_delete()).  With io_path=direct the inode cannot be
 * marked: the VFS refuses direct writes to an S_SWAPFILE inode, ours
 * included.  Each attached device holds a reference on the module.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/stat.h>

#include <uapi/nfsswap.h>
#include "swapfs.h"

/* All devices by index, attaching, live or detaching. */
static DEFINE_IDR(swapfs_devices);
static DEFINE_MUTEX(swapfs_devices_lock);

static int swapfs_open(struct gendisk *disk, blk_mode_t mode)
{
	struct swapfs_dev *dev = disk->private_data;
	int err = 0;

	spin_lock(&dev->lock);
	if (dev->state == SWAPFS_DETACHING)
		err = -ENXIO;
	else
		dev->open_count++;
	spin_unlock(&dev->lock);
	return err;
}

static void swapfs_release(struct gendisk *disk)
{
	struct swapfs_dev *dev = disk->private_data;

	spin_lock(&dev->lock);
	dev->open_count--;
	spin_unlock(&dev->lock);
}
COMPAT_DEFINE_BDOPS_OPEN_RELEASE(swapfs_open, swapfs_release);

static const struct block_device_operations swapfs_bdops = {
	.owner = THIS_MODULE,
	COMPAT_BDOPS_OPEN_RELEASE(swapfs_open, swapfs_release),
};

/* Type and open mode of the file; the reason is logged. */
static int swapfs_check_file(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct super_block *sb = inode->i_sb;

	if (S_ISDIR(inode->i_mode)) {
		pr_warn("attach %pD4: is a directory\n", file);
		return -EISDIR;
	}
	if (!S_ISREG(inode->i_mode)) {
		pr_warn("attach %pD4: not a regular file\n", file);
		return -EINVAL;
	}
	if ((file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE)) {
		pr_warn("attach %pD4: not open for reading and writing\n", file);
		return -EBADF;
	}
	if (sb->s_bdev && sb->s_bdev->bd_disk->fops == &swapfs_bdops) {
		pr_warn("attach %pD4: lives on an %s device itself\n", file,
			NFSSWAP_DISK_NAME);
		return -ELOOP;
	}
	return 0;
}

/* Reserve an index and the inode; returns 0, -EBUSY or -ENOSPC. */
static int swapfs_dev_register(struct swapfs_dev *dev)
{
	struct swapfs_dev *other;
	int id, err = 0;

	mutex_lock(&swapfs_devices_lock);
	idr_for_each_entry(&swapfs_devices, other, id) {
		if (other->inode == dev->inode) {
			pr_warn("attach %pD4: already attached to %s%d\n",
				dev->file, NFSSWAP_DISK_NAME, other->index);
			err = -EBUSY;
			goto out;
		}
	}
	id = idr_alloc(&swapfs_devices, dev, 0, 1 << MINORBITS, GFP_KERNEL);
	if (id < 0) {
		pr_warn("attach %pD4: no free device number: %d\n", dev->file,
			id);
		err = id;
		goto out;
	}
	dev->index = id;
out:
	mutex_unlock(&swapfs_devices_lock);
	return err;
}

static void swapfs_dev_unregister(struct swapfs_dev *dev)
{
	mutex_lock(&swapfs_devices_lock);
	idr_remove(&swapfs_devices, dev->index);
	mutex_unlock(&swapfs_devices_lock);
}

/* Pick the I/O path from the module parameter and the file's abilities. */
static int swapfs_choose_io_path(struct swapfs_dev *dev)
{
	bool swapops = compat_file_has_swap_rw(dev->file);
	bool direct = compat_file_can_direct_io(dev->file);
	enum swapfs_io_path want = swapfs_io_path_param;

	if (want == SWAPFS_IO_AUTO)
		want = swapops ? SWAPFS_IO_SWAPOPS : SWAPFS_IO_DIRECT;
	if ((want == SWAPFS_IO_SWAPOPS && !swapops) ||
	    (want == SWAPFS_IO_DIRECT && !direct)) {
		pr_warn("attach %pD4: its filesystem (%s) has no %s I/O\n",
			dev->file, dev->inode->i_sb->s_type->name,
			want == SWAPFS_IO_SWAPOPS ? "swap-file" : "direct");
		return -EOPNOTSUPP;
	}
	dev->io_path = want;
	return 0;
}

/*
 * Refuse a file that is already a swap file; with io_path=swapops, make it
 * ours, as swapon's claim_swapfile() does, before its size and allocation
 * are checked so that nobody on this client changes them afterwards.
 */
static int swapfs_claim_inode(struct swapfs_dev *dev)
{
	struct inode *inode = dev->inode;
	int err = 0;

	inode_lock(inode);
	if (IS_SWAPFILE(inode)) {
		pr_warn("attach %pD4: already in use as a swap file\n",
			dev->file);
		err = -ETXTBSY;
	} else if (dev->io_path == SWAPFS_IO_SWAPOPS) {
		inode->i_flags |= S_SWAPFILE;
		dev->swapfile = true;
	}
	inode_unlock(inode);
	return err;
}

static void swapfs_release_inode(struct swapfs_dev *dev)
{
	struct inode *inode = dev->inode;

	if (!dev->swapfile)
		return;
	inode_lock(inode);
	inode->i_flags &= ~S_SWAPFILE;
	inode_unlock(inode);
	dev->swapfile = false;
}

/*
 * Size and allocation, from fresh attributes (a GETATTR on NFS).  NFSv3
 * and NFSv4.0/4.1 have no SEEK_HOLE (the VFS answers "no hole"), so the
 * allocated size, which the kernel's nfs_swap_activate() checks as well,
 * is what catches a sparse file there.
 */
static int swapfs_check_size(struct swapfs_dev *dev)
{
	struct file *file = dev->file;
	struct kstat stat;
	loff_t hole;
	int err;

	err = vfs_getattr(&file->f_path, &stat, STATX_SIZE | STATX_BLOCKS,
			  AT_STATX_FORCE_SYNC);
	if (err) {
		pr_warn("attach %pD4: cannot read its attributes: %d\n", file,
			err);
		return err;
	}
	if (!PAGE_ALIGNED(stat.size)) {
		pr_warn("attach %pD4: size %lld is not a multiple of %lu\n",
			file, stat.size, PAGE_SIZE);
		return -ERANGE;
	}
	if (stat.size < NFSSWAP_MIN_SIZE) {
		pr_warn("attach %pD4: size %lld is below %d\n", file, stat.size,
			NFSSWAP_MIN_SIZE);
		return -ERANGE;
	}
	if (stat.blocks << SECTOR_SHIFT < stat.size) {
		pr_warn("attach %pD4: has holes: %llu of %lld bytes allocated\n",
			file, stat.blocks << SECTOR_SHIFT, stat.size);
		return -ENODATA;
	}
	/* Moves the file position of the caller's descriptor; harmless. */
	hole = vfs_llseek(file, 0, SEEK_HOLE);
	if (hole >= 0 && hole < stat.size) {
		pr_warn("attach %pD4: has a hole at offset %lld\n", file, hole);
		return -ENODATA;
	}
	if (hole < 0 && hole != -EINVAL && hole != -EOPNOTSUPP) {
		pr_warn("attach %pD4: SEEK_HOLE failed: %lld\n", file, hole);
		return hole;
	}
	dev->size = stat.size;
	return 0;
}

/* Request size: one RPC on NFS, never more than the swap path allows. */
static void swapfs_set_max_io(struct swapfs_dev *dev)
{
	unsigned int bytes = SWAPFS_MAX_IO_BYTES;

	if (dev->is_nfs)
		bytes = min(bytes, nfsswap_max_io_bytes(dev->file));
	if (dev->io_path == SWAPFS_IO_SWAPOPS)
		bytes = min_t(unsigned int, bytes, COMPAT_SWAP_RW_MAX_BYTES);
	bytes = max_t(unsigned int, round_down(bytes, PAGE_SIZE), PAGE_SIZE);
	dev->max_io_bytes = bytes;
	dev->max_segs = bytes >> PAGE_SHIFT;
}

static int swapfs_disk_create(struct swapfs_dev *dev)
{
	struct queue_limits lim = {
		/* Swap and mkswap work in pages; nothing smaller is needed. */
		.logical_block_size	= PAGE_SIZE,
		.physical_block_size	= PAGE_SIZE,
		.io_min			= PAGE_SIZE,
		.max_hw_sectors		= dev->max_io_bytes >> SECTOR_SHIFT,
		.max_segments		= dev->max_segs,
	};
	struct blk_mq_tag_set *set = &dev->tag_set;
	struct gendisk *disk;
	int err;

	dev->wq = alloc_workqueue(NFSSWAP_DISK_NAME "%d",
				  WQ_MEM_RECLAIM | WQ_HIGHPRI | WQ_UNBOUND, 0,
				  dev->index);
	if (!dev->wq)
		return -ENOMEM;

	set->ops = &swapfs_mq_ops;
	set->nr_hw_queues = 1;
	set->queue_depth = SWAPFS_QUEUE_DEPTH;
	set->numa_node = NUMA_NO_NODE;
	set->cmd_size = swapfs_cmd_size(dev->max_segs);
	/*
	 * No I/O scheduler: sorting buys nothing on a file over the network,
	 * and mq-deadline's batches held swap-in reads behind writes (four
	 * processes swapping at once: 10.6 against 12.9 ms per read).
	 */
	set->flags |= COMPAT_BLK_MQ_F_NO_SCHED_BY_DEFAULT;
	set->driver_data = dev;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		goto err_wq;

	disk = blk_mq_alloc_disk(set, &lim, dev);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto err_tag_set;
	}
	disk->major = swapfs_major;
	disk->first_minor = dev->index;
	disk->minors = 1;
	disk->fops = &swapfs_bdops;
	disk->private_data = dev;
	snprintf(disk->disk_name, DISK_NAME_LEN, NFSSWAP_DISK_NAME "%d",
		 dev->index);
	set_capacity(disk, dev->size >> SECTOR_SHIFT);
	dev->disk = disk;

	err = device_add_disk(NULL, disk, swapfs_disk_groups);
	if (err)
		goto err_disk;
	return 0;

err_disk:
	dev->disk = NULL;
	put_disk(disk);
err_tag_set:
	blk_mq_free_tag_set(set);
err_wq:
	destroy_workqueue(dev->wq);
	return err;
}

/*
 * Not open any more (swapfs_detach() made sure), so no request in flight;
 * read-ahead started by the last reads may be.
 */
static void swapfs_disk_destroy(struct swapfs_dev *dev)
{
	del_gendisk(dev->disk);
	swapfs_ra_drain(dev);
	blk_mq_free_tag_set(&dev->tag_set);
	put_disk(dev->disk);
	destroy_workqueue(dev->wq);
	swapfs_ra_free(dev);
}

/**
 * swapfs_attach() - attach a backing file to a new /dev/nfsswapN
 * @fd: descriptor of the file, open for reading and writing
 * @index: out: N
 *
 * Context: process context, CAP_SYS_ADMIN checked by the caller.
 * Return: 0, or the negative errno documented in <uapi/nfsswap.h>.
 */
int swapfs_attach(int fd, u32 *index)
{
	struct swapfs_dev *dev;
	struct file *file;
	int err;

	file = fget(fd);
	if (!file) {
		pr_warn("attach: descriptor %d is not open\n", fd);
		return -EBADF;
	}
	err = swapfs_check_file(file);
	if (err)
		goto err_fput;

	err = -ENOMEM;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		goto err_fput;
	spin_lock_init(&dev->lock);
	dev->state = SWAPFS_ATTACHING;
	dev->file = file;
	dev->inode = file_inode(file);

	err = swapfs_dev_register(dev);
	if (err)
		goto err_free;
	err = swapfs_choose_io_path(dev);
	if (err)
		goto err_unregister;
	err = swapfs_claim_inode(dev);
	if (err)
		goto err_unregister;
	err = swapfs_check_size(dev);
	if (err)
		goto err_release_inode;
	if (nfsswap_file_is_nfs(file)) {
		err = nfsswap_activate(&dev->nfs, file);
		if (err)
			goto err_release_inode;
		dev->is_nfs = true;
	}
	swapfs_set_max_io(dev);
	err = swapfs_ra_init(dev);
	if (err) {
		pr_warn("attach %pD4: no memory for %u KiB of read-ahead\n",
			file, swapfs_readahead_kb);
		goto err_nfs;
	}
	err = swapfs_disk_create(dev);
	if (err) {
		pr_warn("attach %pD4: cannot create the disk: %d\n", file, err);
		goto err_ra;
	}

	__module_get(THIS_MODULE);
	mutex_lock(&swapfs_devices_lock);
	dev->state = SWAPFS_LIVE;
	mutex_unlock(&swapfs_devices_lock);
	*index = dev->index;
	pr_info("%s: attached %pD4, %lld MiB, io_path %s, server %s, requests up to %u KiB, read-ahead %u KiB\n",
		dev->disk->disk_name, file, dev->size >> 20,
		swapfs_io_path_name(dev->io_path),
		dev->is_nfs ? dev->nfs.server : "-", dev->max_io_bytes >> 10,
		(dev->ra.nr * dev->ra.win_bytes) >> 10);
	return 0;

err_ra:
	swapfs_ra_free(dev);
err_nfs:
	if (dev->is_nfs)
		nfsswap_deactivate(&dev->nfs);
err_release_inode:
	swapfs_release_inode(dev);
err_unregister:
	swapfs_dev_unregister(dev);
err_free:
	kfree(dev);
err_fput:
	fput(file);
	return err;
}

/**
 * swapfs_detach() - detach /dev/nfsswapN and release its backing file
 * @index: N
 *
 * Context: process context, CAP_SYS_ADMIN checked by the caller.
 * Return: 0, -ENXIO if there is no such device, -EBUSY if it is open or
 * being attached or detached.
 */
int swapfs_detach(u32 index)
{
	struct swapfs_dev *dev;
	int err = 0;

	if (index >= 1 << MINORBITS)
		return -ENXIO;
	mutex_lock(&swapfs_devices_lock);
	dev = idr_find(&swapfs_devices, index);
	if (!dev) {
		err = -ENXIO;
	} else if (dev->state != SWAPFS_LIVE) {
		err = -EBUSY;
	} else {
		spin_lock(&dev->lock);
		if (dev->open_count)
			err = -EBUSY;
		else
			dev->state = SWAPFS_DETACHING;
		spin_unlock(&dev->lock);
	}
	mutex_unlock(&swapfs_devices_lock);
	if (err) {
		if (err == -EBUSY)
			pr_warn("detach %s%u: in use\n", NFSSWAP_DISK_NAME,
				index);
		return err;
	}

	swapfs_disk_destroy(dev);
	if (dev->is_nfs)
		nfsswap_deactivate(&dev->nfs);
	swapfs_release_inode(dev);
	pr_info("%s%d: detached %pD4\n", NFSSWAP_DISK_NAME, dev->index,
		dev->file);
	swapfs_dev_unregister(dev);
	fput(dev->file);
	kfree(dev);
	module_put(THIS_MODULE);
	return 0;
}

/**
 * swapfs_dev_exit() - module exit: no device can be left (each holds a
 *	module reference)
 */
void swapfs_dev_exit(void)
{
	WARN_ON(!idr_is_empty(&swapfs_devices));
	idr_destroy(&swapfs_devices);
}
