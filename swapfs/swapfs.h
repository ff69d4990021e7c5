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
#include <linux/uio.h>
#include <linux/wait.h>
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
 * @retries: submissions of requests retried after -ENOMEM
 * @in_flight: requests started and not yet completed
 * @lat_count: requests whose latency is in @lat_sum_ns
 * @lat_sum_ns: sum of request latencies
 * @lat_max_ns: largest request latency
 */
struct swapfs_stats {
	atomic64_t reqs[2];
	atomic64_t bytes[2];
	atomic64_t errors;
	atomic64_t retries;
	atomic_t in_flight;
	atomic64_t lat_count;
	atomic64_t lat_sum_ns;
	atomic64_t lat_max_ns;
};

/* Streams of reads that read-ahead follows at once. */
#define SWAPFS_RA_STREAMS	8

/**
 * struct swapfs_ra_stream - reads that continue each other
 * @end: byte end of the last one; 0: unused
 * @crossed: the stream went on from one swap cluster into the next
 * @win_bytes: size of its next window
 */
struct swapfs_ra_stream {
	loff_t end;
	bool crossed;
	unsigned int win_bytes;
};

struct swapfs_ra_window;

/**
 * struct swapfs_ra - a device's read-ahead, see readahead.c
 * @lock: protects the windows' state and @streams
 * @win: the windows, @nr of them, with their pages
 * @nr: windows; 0 when read-ahead is off
 * @win_bytes: size of a window
 * @ahead: windows kept ahead of a stream
 * @streams: recent streams of reads
 * @next_stream: slot of @streams to reuse next
 * @clock: use stamp of the windows, for picking the least recently used
 * @reading: window reads in flight
 * @idle: woken when @reading drops to 0
 * @hits: read requests served from windows
 * @waits: read requests that waited for a window's read
 * @reads: window reads started
 * @read_bytes: bytes of those
 * @unused: windows dropped (reused, overwritten or failed) before any use
 * @served: bytes copied from windows to requests
 */
struct swapfs_ra {
	spinlock_t lock;
	struct swapfs_ra_window *win;
	unsigned int nr;
	unsigned int win_bytes;
	unsigned int ahead;
	struct swapfs_ra_stream streams[SWAPFS_RA_STREAMS];
	unsigned int next_stream;
	u64 clock;
	atomic_t reading;
	wait_queue_head_t idle;
	atomic64_t hits;
	atomic64_t waits;
	atomic64_t reads;
	atomic64_t read_bytes;
	atomic64_t unused;
	atomic64_t served;
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
 * @ra: read-ahead
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
	struct swapfs_ra ra;
};

/**
 * struct swapfs_cmd - per-request state, the request's pdu
 * @iocb: the kiocb of the request's I/O to the backing file
 * @work: submission work item; delayed for a retry after -ENOMEM
 * @start_ns: when the request was started
 * @ret: result of the I/O: bytes transferred or -errno
 * @end_write: kiocb_end_write() is due at completion
 * @ra_node: in a read-ahead window's waiters while its read is in flight
 * @bvec: the request's pages, swapfs_dev.max_segs of them
 */
struct swapfs_cmd {
	struct kiocb iocb;
	struct delayed_work work;
	u64 start_ns;
	long ret;
	bool end_write;
	struct list_head ra_node;
	struct bio_vec bvec[];
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
int swapfs_rq_iter(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
		   struct request *rq, struct iov_iter *iter);
ssize_t swapfs_start_io(struct swapfs_dev *dev, struct kiocb *iocb,
			struct iov_iter *iter, bool write);
void swapfs_submit_read(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
			struct request *rq);

extern unsigned int swapfs_readahead_kb;
extern atomic_t swapfs_inject_enomem;
int swapfs_ra_init(struct swapfs_dev *dev);
void swapfs_ra_drain(struct swapfs_dev *dev);
void swapfs_ra_free(struct swapfs_dev *dev);
bool swapfs_ra_read(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
		    struct request *rq);
void swapfs_ra_invalidate(struct swapfs_dev *dev, loff_t pos, u64 len);

const char *swapfs_io_path_name(enum swapfs_io_path path);

#endif /* SWAPFS_SWAPFS_H */
