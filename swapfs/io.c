// SPDX-License-Identifier: GPL-2.0
/*
 * swapfs: the I/O path, blk-mq requests to the backing file.
 *
 * Modelled on drivers/block/loop.c (async direct I/O with a kiocb per
 * request), with everything a request needs preallocated in its pdu: the
 * kiocb, the work item and a bio_vec array for the largest request the
 * queue limits allow.  Nothing on the I/O path allocates memory here; the
 * submission runs from a WQ_MEM_RECLAIM workqueue with PF_MEMALLOC set
 * (memalloc_noreclaim_save()), like kswapd, so what the filesystem and
 * sunrpc allocate below may use the reserves and never enters reclaim.
 * Completion is asynchronous (ki_complete), so many requests are in flight.
 *
 * A request whose I/O fails with -ENOMEM (the filesystem or sunrpc found
 * even the reserves empty) is not failed: a failed swap-in kills the
 * process that faulted.  It is submitted again after SWAPFS_RETRY_MS, as
 * often as it takes, as a hard NFS mount retries a server that does not
 * answer.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/sched/mm.h>
#include <linux/uio.h>

#include "swapfs.h"

/* Delay before a request that failed with -ENOMEM is submitted again. */
#define SWAPFS_RETRY_MS		20

/* debugfs inject_enomem: that many I/O submissions fail with -ENOMEM. */
atomic_t swapfs_inject_enomem = ATOMIC_INIT(0);

static bool swapfs_injected_enomem(void)
{
	return unlikely(atomic_read(&swapfs_inject_enomem) > 0) &&
	       atomic_dec_if_positive(&swapfs_inject_enomem) >= 0;
}

/**
 * swapfs_cmd_size() - size of a request's pdu
 * @max_segs: segments of the largest request
 *
 * Return: tag set cmd_size.
 */
unsigned int swapfs_cmd_size(unsigned int max_segs)
{
	return sizeof(struct swapfs_cmd) + max_segs * sizeof(struct bio_vec);
}

/* Whether @b continues @a in memory, so that one bio_vec can hold both. */
static bool swapfs_bvec_contiguous(const struct bio_vec *a,
				   const struct bio_vec *b)
{
	size_t end = a->bv_offset + a->bv_len;

	if (page_to_phys(a->bv_page) + end !=
	    page_to_phys(b->bv_page) + b->bv_offset)
		return false;
	/* A multi-page bio_vec needs contiguous struct pages as well. */
	return a->bv_page + (end >> PAGE_SHIFT) ==
	       b->bv_page + (b->bv_offset >> PAGE_SHIFT);
}

/*
 * Collect the request's memory into cmd->bvec, merging what is contiguous
 * as the block layer does when it counts segments: the result never has
 * more entries than the request has segments, which the queue limits
 * bound by max_segs.  Return: the number of entries, or -EIO.
 */
static int swapfs_map_bvecs(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
			    struct request *rq)
{
	struct req_iterator iter;
	struct bio_vec bv;
	unsigned int n = 0;

	rq_for_each_bvec(bv, rq, iter) {
		if (n && swapfs_bvec_contiguous(&cmd->bvec[n - 1], &bv)) {
			cmd->bvec[n - 1].bv_len += bv.bv_len;
			continue;
		}
		if (n == dev->max_segs) {
			pr_err_ratelimited("%s: request with more than %u segments\n",
					   dev->disk->disk_name, dev->max_segs);
			return -EIO;
		}
		cmd->bvec[n++] = bv;
	}
	return n;
}

/**
 * swapfs_rq_iter() - an iov_iter over a request's memory
 * @dev: the device
 * @cmd: the request's pdu, whose bvec array the iterator uses
 * @rq: the request
 * @iter: out: the iterator, ITER_DEST for a read, ITER_SOURCE for a write
 *
 * Return: 0, or -EIO for a request with more segments than the queue allows.
 */
int swapfs_rq_iter(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
		   struct request *rq, struct iov_iter *iter)
{
	int nr = swapfs_map_bvecs(dev, cmd, rq);

	if (nr < 0)
		return nr;
	iov_iter_bvec(iter, req_op(rq) == REQ_OP_WRITE ? ITER_SOURCE : ITER_DEST,
		      cmd->bvec, nr, blk_rq_bytes(rq));
	return 0;
}

/**
 * swapfs_start_io() - start I/O on the backing file
 * @dev: the device
 * @iocb: initialised with the backing file, position and ki_complete
 * @iter: the memory, ITER_BVEC
 * @write: a write (the caller calls kiocb_end_write() at completion when
 *	the I/O path is %SWAPFS_IO_DIRECT)
 *
 * Context: process context with PF_MEMALLOC.
 * Return: -EIOCBQUEUED when @iocb completes through ki_complete, else the
 * result, for the caller to complete with.
 */
ssize_t swapfs_start_io(struct swapfs_dev *dev, struct kiocb *iocb,
			struct iov_iter *iter, bool write)
{
	struct file *file = dev->file;
	bool fail = swapfs_injected_enomem();

	if (dev->io_path == SWAPFS_IO_SWAPOPS) {
		/* As mm/page_io.c: no flags, the file is S_SWAPFILE. */
		iocb->ki_flags = 0;
		return fail ? -ENOMEM : compat_swap_rw(iocb, iter);
	}
	iocb->ki_flags = IOCB_DIRECT;
	if (!write)
		return fail ? -ENOMEM : file->f_op->read_iter(iocb, iter);
	kiocb_start_write(iocb);
	return fail ? -ENOMEM : file->f_op->write_iter(iocb, iter);
}

/* Submit the request of @cmd again later: its I/O failed with -ENOMEM. */
static void swapfs_retry(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
			 struct request *rq)
{
	atomic64_inc(&dev->stats.retries);
	pr_warn_ratelimited("%s: %s of %u bytes at sector %llu: out of memory, retrying\n",
			    dev->disk->disk_name, blk_op_str(req_op(rq)),
			    blk_rq_bytes(rq), (unsigned long long)blk_rq_pos(rq));
	queue_delayed_work(dev->wq, &cmd->work,
			   msecs_to_jiffies(SWAPFS_RETRY_MS));
}

static void swapfs_rw_complete(struct kiocb *iocb, long ret)
{
	struct swapfs_cmd *cmd = container_of(iocb, struct swapfs_cmd, iocb);
	struct request *rq = blk_mq_rq_from_pdu(cmd);

	cmd->ret = ret;
	if (cmd->end_write)
		kiocb_end_write(iocb);
	if (ret == -ENOMEM) {
		swapfs_retry(rq->q->queuedata, cmd, rq);
		return;
	}
	if (req_op(rq) == REQ_OP_WRITE)
		swapfs_ra_invalidate(rq->q->queuedata,
				     (loff_t)blk_rq_pos(rq) << SECTOR_SHIFT,
				     blk_rq_bytes(rq));
	blk_mq_complete_request(rq);
}
COMPAT_DEFINE_KI_COMPLETE(swapfs_rw_complete);

/*
 * Start the I/O of a read or write request.  Once it is queued, @cmd and
 * the request belong to the completion, which may already have run.
 */
static void swapfs_submit_rw(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
			     struct request *rq)
{
	bool write = req_op(rq) == REQ_OP_WRITE;
	struct iov_iter iter;
	ssize_t ret;

	cmd->end_write = false;
	ret = swapfs_rq_iter(dev, cmd, rq, &iter);
	if (ret < 0) {
		swapfs_rw_complete(&cmd->iocb, ret);
		return;
	}
	init_sync_kiocb(&cmd->iocb, dev->file);
	cmd->iocb.ki_pos = (loff_t)blk_rq_pos(rq) << SECTOR_SHIFT;
	cmd->iocb.ki_ioprio = req_get_ioprio(rq);
	cmd->iocb.ki_complete = compat_ki_complete(swapfs_rw_complete);
	if (write) {
		/* Read-ahead must not keep what this overwrites. */
		swapfs_ra_invalidate(dev, cmd->iocb.ki_pos, blk_rq_bytes(rq));
		cmd->end_write = dev->io_path == SWAPFS_IO_DIRECT;
	}
	ret = swapfs_start_io(dev, &cmd->iocb, &iter, write);
	if (ret != -EIOCBQUEUED)
		swapfs_rw_complete(&cmd->iocb, ret);
}

/**
 * swapfs_submit_read() - serve a read request from read-ahead or the file
 * @dev: the device
 * @cmd: the request's pdu
 * @rq: the read request
 *
 * Context: process context with PF_MEMALLOC.
 */
void swapfs_submit_read(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
			struct request *rq)
{
	if (!swapfs_ra_read(dev, cmd, rq))
		swapfs_submit_rw(dev, cmd, rq);
}

static void swapfs_cmd_work(struct work_struct *work)
{
	struct swapfs_cmd *cmd = container_of(to_delayed_work(work),
					      struct swapfs_cmd, work);
	struct request *rq = blk_mq_rq_from_pdu(cmd);
	struct swapfs_dev *dev = rq->q->queuedata;
	unsigned int noreclaim = memalloc_noreclaim_save();

	switch (req_op(rq)) {
	case REQ_OP_READ:
		swapfs_submit_read(dev, cmd, rq);
		break;
	case REQ_OP_WRITE:
		swapfs_submit_rw(dev, cmd, rq);
		break;
	case REQ_OP_FLUSH:
		/*
		 * Reached only if the queue declares a write cache, which it
		 * does not: NFS commits (or writes stable) before it
		 * completes a direct or swap write.
		 */
		cmd->ret = vfs_fsync(dev->file, 0);
		blk_mq_complete_request(rq);
		break;
	default:
		/* REQ_OP_DISCARD would go here: fallocate(PUNCH_HOLE). */
		cmd->ret = -EOPNOTSUPP;
		blk_mq_complete_request(rq);
		break;
	}
	memalloc_noreclaim_restore(noreclaim);
}

static blk_status_t swapfs_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct swapfs_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct swapfs_dev *dev = hctx->queue->queuedata;

	blk_mq_start_request(rq);
	cmd->start_ns = ktime_get_ns();
	atomic_inc(&dev->stats.in_flight);
	INIT_DELAYED_WORK(&cmd->work, swapfs_cmd_work);
	queue_delayed_work(dev->wq, &cmd->work, 0);
	return BLK_STS_OK;
}

static void swapfs_account(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
			   struct request *rq, bool ok)
{
	struct swapfs_stats *st = &dev->stats;
	u64 lat = ktime_get_ns() - cmd->start_ns;
	s64 max = atomic64_read(&st->lat_max_ns);
	int dir = req_op(rq) == REQ_OP_WRITE;

	if (ok && req_op(rq) != REQ_OP_FLUSH) {
		atomic64_inc(&st->reqs[dir]);
		atomic64_add(blk_rq_bytes(rq), &st->bytes[dir]);
	} else if (!ok) {
		atomic64_inc(&st->errors);
	}
	atomic64_inc(&st->lat_count);
	atomic64_add(lat, &st->lat_sum_ns);
	while ((s64)lat > max) {
		s64 old = atomic64_cmpxchg(&st->lat_max_ns, max, lat);

		if (old == max)
			break;
		max = old;
	}
	atomic_dec(&st->in_flight);
}

static void swapfs_complete_rq(struct request *rq)
{
	struct swapfs_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct swapfs_dev *dev = rq->q->queuedata;
	long want = req_op(rq) == REQ_OP_FLUSH ? 0 : blk_rq_bytes(rq);
	bool ok = cmd->ret == want;

	if (!ok)
		pr_err_ratelimited("%s: %s of %u bytes at sector %llu failed: %ld\n",
				   dev->disk->disk_name,
				   blk_op_str(req_op(rq)), blk_rq_bytes(rq),
				   (unsigned long long)blk_rq_pos(rq), cmd->ret);
	swapfs_account(dev, cmd, rq, ok);
	blk_mq_end_request(rq, ok ? BLK_STS_OK : BLK_STS_IOERR);
}

const struct blk_mq_ops swapfs_mq_ops = {
	.queue_rq = swapfs_queue_rq,
	.complete = swapfs_complete_rq,
};
