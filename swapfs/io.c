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
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/sched/mm.h>
#include <linux/uio.h>

#include "swapfs.h"

/**
 * struct swapfs_cmd - per-request state, the request's pdu
 * @iocb: the kiocb of the request's I/O to the backing file
 * @work: submission work item
 * @start_ns: when the request was started
 * @ret: result of the I/O: bytes transferred or -errno
 * @end_write: kiocb_end_write() is due at completion
 * @bvec: the request's pages, swapfs_dev.max_segs of them
 */
struct swapfs_cmd {
	struct kiocb iocb;
	struct work_struct work;
	u64 start_ns;
	long ret;
	bool end_write;
	struct bio_vec bvec[];
};

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

static void swapfs_rw_complete(struct kiocb *iocb, long ret)
{
	struct swapfs_cmd *cmd = container_of(iocb, struct swapfs_cmd, iocb);

	cmd->ret = ret;
	if (cmd->end_write)
		kiocb_end_write(iocb);
	blk_mq_complete_request(blk_mq_rq_from_pdu(cmd));
}
COMPAT_DEFINE_KI_COMPLETE(swapfs_rw_complete);

/*
 * Start the I/O of a read or write request.  Once it is queued, @cmd and
 * the request belong to the completion, which may already have run.
 */
static void swapfs_submit_rw(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
			     struct request *rq)
{
	struct file *file = dev->file;
	bool write = req_op(rq) == REQ_OP_WRITE;
	struct iov_iter iter;
	ssize_t ret;
	int nr;

	cmd->end_write = false;
	nr = swapfs_map_bvecs(dev, cmd, rq);
	if (nr < 0) {
		swapfs_rw_complete(&cmd->iocb, nr);
		return;
	}
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, cmd->bvec, nr,
		      blk_rq_bytes(rq));

	init_sync_kiocb(&cmd->iocb, file);
	cmd->iocb.ki_pos = (loff_t)blk_rq_pos(rq) << SECTOR_SHIFT;
	cmd->iocb.ki_ioprio = req_get_ioprio(rq);
	cmd->iocb.ki_complete = compat_ki_complete(swapfs_rw_complete);

	if (dev->io_path == SWAPFS_IO_SWAPOPS) {
		/* As mm/page_io.c: no flags, the file is S_SWAPFILE. */
		cmd->iocb.ki_flags = 0;
		ret = compat_swap_rw(&cmd->iocb, &iter);
	} else {
		cmd->iocb.ki_flags = IOCB_DIRECT;
		if (write) {
			kiocb_start_write(&cmd->iocb);
			cmd->end_write = true;
			ret = file->f_op->write_iter(&cmd->iocb, &iter);
		} else {
			ret = file->f_op->read_iter(&cmd->iocb, &iter);
		}
	}
	if (ret != -EIOCBQUEUED)
		swapfs_rw_complete(&cmd->iocb, ret);
}

static void swapfs_cmd_work(struct work_struct *work)
{
	struct swapfs_cmd *cmd = container_of(work, struct swapfs_cmd, work);
	struct request *rq = blk_mq_rq_from_pdu(cmd);
	struct swapfs_dev *dev = rq->q->queuedata;
	unsigned int noreclaim = memalloc_noreclaim_save();

	switch (req_op(rq)) {
	case REQ_OP_READ:
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
	INIT_WORK(&cmd->work, swapfs_cmd_work);
	queue_work(dev->wq, &cmd->work);
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
