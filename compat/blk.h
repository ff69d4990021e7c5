/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Backports of the block-layer and VFS interfaces that swapfs/ uses, so
 * that swapfs/ reads as written for the newest supported kernel.  Every
 * choice below rests on a probe in compat/probes/ (NETVM_HAVE_<probe>).
 */
#ifndef NETVM_COMPAT_BLK_H
#define NETVM_COMPAT_BLK_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/uio.h>

/* ---- iov_iter directions (probe iter_source) ---- */

#ifndef NETVM_HAVE_iter_source
#define ITER_SOURCE	WRITE
#define ITER_DEST	READ
#endif

/* ---- block_device_operations ->open()/->release() (bdops_open_disk) ---- */

#ifndef NETVM_HAVE_blk_mode_t
#define blk_mode_t fmode_t
#endif

/*
 * COMPAT_DEFINE_BDOPS_OPEN_RELEASE(open, release); goes after the driver's
 *	int open(struct gendisk *disk, blk_mode_t mode);
 *	void release(struct gendisk *disk);
 * and COMPAT_BDOPS_OPEN_RELEASE(open, release) fills the two members of a
 * struct block_device_operations with them, or with wrappers of the
 * pre-6.5 signatures.
 */
#define COMPAT_ASSERT_BDOPS_OPEN_RELEASE(open_fn, release_fn)		\
	static_assert(__same_type(&open_fn,				\
				  int (*)(struct gendisk *, blk_mode_t)) && \
		      __same_type(&release_fn, void (*)(struct gendisk *)))
#ifdef NETVM_HAVE_bdops_open_disk
#define COMPAT_DEFINE_BDOPS_OPEN_RELEASE(open_fn, release_fn)		\
	COMPAT_ASSERT_BDOPS_OPEN_RELEASE(open_fn, release_fn)
#define COMPAT_BDOPS_OPEN_RELEASE(open_fn, release_fn)			\
	.open = open_fn, .release = release_fn
#else
#define COMPAT_DEFINE_BDOPS_OPEN_RELEASE(open_fn, release_fn)		\
static int open_fn##_compat(struct block_device *bdev, fmode_t mode)	\
{									\
	return open_fn(bdev->bd_disk, mode);				\
}									\
static void release_fn##_compat(struct gendisk *disk, fmode_t mode)	\
{									\
	release_fn(disk);						\
}									\
COMPAT_ASSERT_BDOPS_OPEN_RELEASE(open_fn, release_fn)
#define COMPAT_BDOPS_OPEN_RELEASE(open_fn, release_fn)			\
	.open = open_fn##_compat, .release = release_fn##_compat
#endif

/* ---- kiocb->ki_complete() (probe ki_complete_2args) ---- */

/*
 * COMPAT_DEFINE_KI_COMPLETE(fn); goes after the driver's
 *	void fn(struct kiocb *iocb, long ret);
 * and compat_ki_complete(fn) is what to store in kiocb->ki_complete.
 */
#define COMPAT_ASSERT_KI_COMPLETE(fn)					\
	static_assert(__same_type(&fn, void (*)(struct kiocb *, long)))
#ifdef NETVM_HAVE_ki_complete_2args
#define COMPAT_DEFINE_KI_COMPLETE(fn)	COMPAT_ASSERT_KI_COMPLETE(fn)
#define compat_ki_complete(fn)	fn
#else
#define COMPAT_DEFINE_KI_COMPLETE(fn)					\
static void fn##_compat(struct kiocb *iocb, long ret, long ret2)	\
{									\
	fn(iocb, ret);							\
}									\
COMPAT_ASSERT_KI_COMPLETE(fn)
#define compat_ki_complete(fn)	fn##_compat
#endif

/* ---- kiocb_start_write() / kiocb_end_write() (probe kiocb_start_write) */

#ifndef NETVM_HAVE_kiocb_start_write
/* What fs/aio.c did for an async write before the helpers existed. */
static inline void kiocb_start_write(struct kiocb *iocb)
{
	struct inode *inode = file_inode(iocb->ki_filp);

	sb_start_write(inode->i_sb);
	__sb_writers_release(inode->i_sb, SB_FREEZE_WRITE);
}

static inline void kiocb_end_write(struct kiocb *iocb)
{
	struct inode *inode = file_inode(iocb->ki_filp);

	__sb_writers_acquired(inode->i_sb, SB_FREEZE_WRITE);
	sb_end_write(inode->i_sb);
}
#endif

/* ---- swap I/O to a file without block extents (probe aops_swap_rw) ---- */

/**
 * compat_file_has_swap_rw() - whether the kernel's own swap-file I/O entry
 *	point exists for a file
 * @file: the file
 *
 * Since 5.18 that is a_ops->swap_rw().  Before, SWP_FS_OPS swap files went
 * through a_ops->direct_IO(), and NFS was the only filesystem with such swap
 * files (its ->swap_activate() alone returned 0); other filesystems'
 * ->direct_IO() cannot be called directly.
 */
static inline bool compat_file_has_swap_rw(struct file *file)
{
	const struct address_space_operations *a_ops = file->f_mapping->a_ops;

#ifdef NETVM_HAVE_aops_swap_rw
	return a_ops->swap_rw;
#else
	return file_inode(file)->i_sb->s_magic == NFS_SUPER_MAGIC &&
	       a_ops->direct_IO && a_ops->swap_activate;
#endif
}

/**
 * compat_swap_rw() - issue swap-file I/O the way mm/page_io.c does
 * @iocb: the kiocb, ki_filp the swap file
 * @iter: ITER_BVEC over the pages
 *
 * Return: -EIOCBQUEUED when @iocb completes through ki_complete, else the
 * result (a swap_rw() result of 0 is not a byte count).
 */
static inline ssize_t compat_swap_rw(struct kiocb *iocb, struct iov_iter *iter)
{
	const struct address_space_operations *a_ops =
		iocb->ki_filp->f_mapping->a_ops;

#ifdef NETVM_HAVE_aops_swap_rw
	return a_ops->swap_rw(iocb, iter);
#else
	return a_ops->direct_IO(iocb, iter);
#endif
}

/*
 * Largest request for compat_swap_rw().  nfs_direct_IO() before 5.18 asserts
 * one page per call with VM_BUG_ON(); without CONFIG_DEBUG_VM (Debian) that
 * assertion is compiled out and larger requests work.
 */
#if !defined(NETVM_HAVE_aops_swap_rw) && defined(CONFIG_DEBUG_VM)
#define COMPAT_SWAP_RW_MAX_BYTES	PAGE_SIZE
#else
#define COMPAT_SWAP_RW_MAX_BYTES	UINT_MAX
#endif

/* ---- O_DIRECT support of an open file (probe fmode_can_odirect) ---- */

static inline bool compat_file_can_direct_io(struct file *file)
{
#ifdef NETVM_HAVE_fmode_can_odirect
	return file->f_mode & FMODE_CAN_ODIRECT;
#else
	return file->f_mapping->a_ops && file->f_mapping->a_ops->direct_IO;
#endif
}

/* ---- tag set: merging is the default since 6.14 ---- */

#ifdef NETVM_HAVE_blk_mq_f_should_merge
static inline int compat_blk_mq_alloc_tag_set(struct blk_mq_tag_set *set)
{
	set->flags |= BLK_MQ_F_SHOULD_MERGE;
	return blk_mq_alloc_tag_set(set);
}
#define blk_mq_alloc_tag_set compat_blk_mq_alloc_tag_set
#endif

/* ---- no I/O scheduler by default (probe blk_mq_f_no_sched_by_default) ---- */

/*
 * COMPAT_BLK_MQ_F_NO_SCHED_BY_DEFAULT: tag set flag for a queue that starts
 * with the scheduler "none"; 0 where it is missing (5.10), and nfsswapctl
 * sets it.
 */
#ifdef NETVM_HAVE_blk_mq_f_no_sched_by_default
#define COMPAT_BLK_MQ_F_NO_SCHED_BY_DEFAULT	BLK_MQ_F_NO_SCHED_BY_DEFAULT
#else
#define COMPAT_BLK_MQ_F_NO_SCHED_BY_DEFAULT	0
#endif

/* ---- blk_mq_alloc_disk(set, lim, queuedata) ---- */

#ifndef NETVM_HAVE_blk_mq_alloc_disk_lim
/*
 * Before 6.9 the limits are set on the queue after allocation, and before
 * 6.11 a blk-mq queue is rotational unless told otherwise; the newest
 * kernels treat a queue without BLK_FEAT_ROTATIONAL as non-rotational, and
 * so does this backport.  Only the limits swapfs uses are applied.
 */
static inline struct gendisk *
compat_blk_mq_alloc_disk(struct blk_mq_tag_set *set,
			 const struct queue_limits *lim, void *queuedata)
{
	struct request_queue *q;
	struct gendisk *disk;

#ifdef NETVM_HAVE_blk_mq_alloc_disk
	disk = blk_mq_alloc_disk(set, queuedata);
	if (IS_ERR(disk))
		return disk;
	q = disk->queue;
#else
	q = blk_mq_init_queue_data(set, queuedata);
	if (IS_ERR(q))
		return ERR_CAST(q);
	disk = alloc_disk(1);
	if (!disk) {
		blk_cleanup_queue(q);
		return ERR_PTR(-ENOMEM);
	}
	disk->queue = q;
#endif
	if (lim) {
		blk_queue_logical_block_size(q, lim->logical_block_size);
		blk_queue_physical_block_size(q, lim->physical_block_size);
		blk_queue_io_min(q, lim->io_min);
		blk_queue_max_hw_sectors(q, lim->max_hw_sectors);
		blk_queue_max_segments(q, lim->max_segments);
	}
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	return disk;
}
#undef blk_mq_alloc_disk
#define blk_mq_alloc_disk(set, lim, queuedata)				\
	compat_blk_mq_alloc_disk(set, lim, queuedata)
#elif !defined(NETVM_HAVE_blk_feat_rotational)
/* 6.9 and 6.10: limits at allocation, but rotational unless told not. */
static inline struct gendisk *compat_disk_nonrot(struct gendisk *disk)
{
	if (!IS_ERR(disk))
		blk_queue_flag_set(QUEUE_FLAG_NONROT, disk->queue);
	return disk;
}
#undef blk_mq_alloc_disk
#define blk_mq_alloc_disk(set, lim, queuedata)				\
({									\
	static struct lock_class_key __key;				\
									\
	compat_disk_nonrot(__blk_mq_alloc_disk(set, lim, queuedata,	\
					       &__key));		\
})
#endif

/* ---- device_add_disk() result (probe device_add_disk_int) ---- */

#ifndef NETVM_HAVE_device_add_disk_int
static inline int compat_device_add_disk(struct device *parent,
					 struct gendisk *disk,
					 const struct attribute_group **groups)
{
	device_add_disk(parent, disk, groups);
	return 0;
}
#define device_add_disk compat_device_add_disk
#endif

/* ---- queue teardown (probe blk_cleanup_queue) ---- */

#ifdef NETVM_HAVE_blk_cleanup_queue
/*
 * Since 6.0 del_gendisk() shuts down the queue a disk owns and put_disk()
 * frees it.  Before, the driver called blk_cleanup_queue() between the two,
 * before freeing the tag set; a disk that was never added needs the queue
 * shut down and must not drop the queue reference that add_disk() takes.
 * Only for disks from blk_mq_alloc_disk().
 */
static inline void compat_del_gendisk(struct gendisk *disk)
{
	del_gendisk(disk);
	blk_cleanup_queue(disk->queue);
}

static inline void compat_put_disk(struct gendisk *disk)
{
	if (disk->queue && !blk_queue_dead(disk->queue)) {
		blk_cleanup_queue(disk->queue);
#ifndef NETVM_HAVE_blk_mq_alloc_disk
		disk->queue = NULL;
#endif
	}
	put_disk(disk);
}
#define del_gendisk compat_del_gendisk
#define put_disk compat_put_disk
#endif

#endif /* NETVM_COMPAT_BLK_H */
