/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swapfs: internal declarations of the swap backing driver.
 */
#ifndef SWAPFS_SWAPFS_H
#define SWAPFS_SWAPFS_H

#include <linux/atomic.h>
#include <linux/blk-mq.h>
#include <linux/fs.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "../nfsswap/nfsswap.h"

/* Requests in flight per device. */
#define SWAPFS_QUEUE_DEPTH	128
/* Largest request; NFS never moves more in one RPC (NFS_MAX_FILE_IO_SIZE). */
#define SWAPFS_MAX_IO_BYTES	(1024 * 1024)

/**
 * enum swapfs_io_path - how requests reach the backing file
 * @SWAPFS_IO_AUTO: module parameter only: swapops where the file has them
 * @SWAPFS_IO_SWAPOPS: the kernel's swap-file entry point, a_ops->swap_rw()
 *	(->direct_IO() before 5.18), with the inode marked S_SWAPFILE
 * @SWAPFS_IO_DIRECT: f_op->read_iter()/write_iter() with IOCB_DIRECT
 */
enum swapfs_io_path {
	SWAPFS_IO_AUTO,
	SWAPFS_IO_SWAPOPS,
	SWAPFS_IO_DIRECT,
};

/**
 * enum swapfs_state - life cycle of a device, under swapfs_devices_lock
 * @SWAPFS_ATTACHING: being set up; its number and inode are reserved
 * @SWAPFS_LIVE: attached; may be detached when not open
 * @SWAPFS_DETACHING: being torn down; opens fail
 */
enum swapfs_state {
	SWAPFS_ATTACHING,
	SWAPFS_LIVE,
	SWAPFS_DETACHING,
};

/**
 * struct swapfs_stats - per-device counters, lock-free
 * @reqs: completed requests without error, [0] reads, [1] writes
 * @bytes: bytes of those requests
 * @errors: failed requests
 * @in_flight: requests started and not yet completed
 * @lat_count: requests whose latency is in @lat_sum_ns
 * @lat_sum_ns: sum of request latencies
 * @lat_max_ns: largest request latency
 */
struct swapfs_stats {
	atomic64_t reqs[2];
	atomic64_t bytes[2];
	atomic64_t errors;
	atomic_t in_flight;
	atomic64_t lat_count;
	atomic64_t lat_sum_ns;
	atomic64_t lat_max_ns;
};

/**
 * struct swapfs_dev - one /dev/nfsswapN
 * @index: N
 * @state: see enum swapfs_state
 * @lock: protects @open_count against @state
 * @open_count: opens of the block device
 * @file: the backing file, held from attach to detach
 * @inode: its inode
 * @size: its size in bytes, the capacity of the device
 * @io_path: %SWAPFS_IO_SWAPOPS or %SWAPFS_IO_DIRECT
 * @swapfile: this device set S_SWAPFILE on @inode
 * @is_nfs: @file is on NFS and @nfs is active
 * @max_io_bytes: largest request
 * @max_segs: bio_vecs in a request's pdu
 * @wq: submission workqueue (WQ_MEM_RECLAIM)
 * @tag_set: blk-mq tag set
 * @disk: the disk
 * @nfs: NFS state
 * @stats: counters for sysfs
 */
struct swapfs_dev {
	int index;
	enum swapfs_state state;
	spinlock_t lock;
	unsigned int open_count;
	struct file *file;
	struct inode *inode;
	loff_t size;
	enum swapfs_io_path io_path;
	bool swapfile;
	bool is_nfs;
	unsigned int max_io_bytes;
	unsigned int max_segs;
	struct workqueue_struct *wq;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
	struct nfsswap nfs;
	struct swapfs_stats stats;
};

extern int swapfs_major;
extern enum swapfs_io_path swapfs_io_path_param;
extern const struct attribute_group *swapfs_disk_groups[];

int swapfs_control_init(void);
void swapfs_control_exit(void);

int swapfs_attach(int fd, u32 *index);
int swapfs_detach(u32 index);
void swapfs_dev_exit(void);

unsigned int swapfs_cmd_size(unsigned int max_segs);
extern const struct blk_mq_ops swapfs_mq_ops;

const char *swapfs_io_path_name(enum swapfs_io_path path);

#endif /* SWAPFS_SWAPFS_H */
