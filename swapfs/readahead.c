// SPDX-License-Identifier: GPL-2.0
/*
 * swapfs: read-ahead of swap-in streams.
 *
 * A task that faults on a swapped-out page waits for its read: the page and
 * the kernel's swap readahead around it (vm.page-cluster, 8 pages), one
 * read at a time.  Over a network each of those reads costs a round trip to
 * the server, and the round trips, not the link, bound swap-in.  When a
 * read continues an earlier one (swap-out wrote a process's pages in order,
 * so swap-in reads them back in order), this driver reads the following
 * windows of the backing file ahead, into pages allocated at attach, and
 * serves the reads that fall into them with a copy.  Reads that do not form
 * a stream (random swap-in) cost nothing more than a look-up.
 *
 * What is read ahead follows what swap-out wrote: it fills a swap cluster
 * (SWAPFILE_CLUSTER pages, 2 MiB with THP swap) in order and then takes
 * any free cluster, so read-ahead stops at the end of the stream's cluster
 * unless the stream was seen to go on into the next one.  A new stream
 * gets one window of 64 KiB; once read-ahead serves it, ra->ahead windows
 * are kept in front of it, and their size doubles with each read served,
 * up to 256 KiB.  readahead_unused counts the windows read for nothing,
 * readahead_served the bytes copied out of windows (against readahead_bytes,
 * the bytes read ahead).
 *
 * A window is a range of the file with its own pages, kiocb and work items:
 * EMPTY, READING (its read is in flight; requests that need it wait on its
 * list) or READY.  Nothing here allocates memory after attach; window reads
 * are submitted from the device's WQ_MEM_RECLAIM workqueue with PF_MEMALLOC,
 * as requests are.
 *
 * Consistency: writes drop the windows they overlap, when they are
 * submitted and again when they complete (a window read while a write was
 * in flight may hold either version).  The swap layer never reads a slot
 * while a write to it is in flight (the page stays in the swap cache until
 * its writeback ends), so a read finds the windows for its range valid or
 * gone.  A window in use for a copy (users) is marked stale instead and
 * emptied by its last user.
 */
#include <linux/blk-mq.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include "swapfs.h"

/* Default per-device read-ahead memory (module parameter readahead_kb). */
unsigned int swapfs_readahead_kb = 2048;

/* Window size; windows are never smaller than the minimum, or it is off. */
#define SWAPFS_RA_WINDOW_BYTES		(256 * 1024)
#define SWAPFS_RA_MIN_WINDOW_BYTES	(64 * 1024)
/* A read continues a stream if it starts at most this far past its end. */
#define SWAPFS_RA_MAX_GAP		(16 * 1024)
/*
 * The swap allocator's cluster (SWAPFILE_CLUSTER pages in mm/swapfile.c):
 * swap-out writes a cluster's slots in order, then takes any free cluster.
 */
#ifdef CONFIG_THP_SWAP
#define SWAPFS_RA_CLUSTER_SHIFT		HPAGE_PMD_SHIFT
#else
#define SWAPFS_RA_CLUSTER_SHIFT		(PAGE_SHIFT + 8)
#endif
#define SWAPFS_RA_CLUSTER_BYTES		((loff_t)1 << SWAPFS_RA_CLUSTER_SHIFT)
/* Read ahead and not used for this long: its stream is gone. */
#define SWAPFS_RA_MAX_IDLE		(HZ / 4)
/* Windows one request may be served from. */
#define SWAPFS_RA_CHAIN			4
/* Windows started at once. */
#define SWAPFS_RA_MAX_AHEAD		8

enum swapfs_ra_state {
	SWAPFS_RA_EMPTY,
	SWAPFS_RA_READING,
	SWAPFS_RA_READY,
};

/**
 * struct swapfs_ra_window - a range of the backing file read ahead
 * @dev: the device
 * @state: see enum swapfs_ra_state, under swapfs_ra.lock as all below
 * @stale: a write overlapped it: not to be used, emptied when idle
 * @used: a request was served from it
 * @users: copies from its pages in progress
 * @pos: byte offset in the file
 * @len: bytes
 * @served: bytes copied out of it
 * @stamp: last use, from swapfs_ra.clock
 * @since: when its read was started, in jiffies
 * @waiters: requests (swapfs_cmd.ra_node) waiting for the read
 * @iocb: the read's kiocb
 * @submit_work: submits the read
 * @done_work: finishes it, in process context
 * @ret: the read's result
 * @bvec: its pages, one per entry
 */
struct swapfs_ra_window {
	struct swapfs_dev *dev;
	enum swapfs_ra_state state;
	bool stale;
	bool used;
	unsigned int users;
	loff_t pos;
	unsigned int len;
	unsigned int served;
	u64 stamp;
	unsigned long since;
	struct list_head waiters;
	struct kiocb iocb;
	struct work_struct submit_work;
	struct work_struct done_work;
	long ret;
	struct bio_vec *bvec;
};

enum swapfs_ra_result {
	SWAPFS_RA_MISS,
	SWAPFS_RA_HIT,
	SWAPFS_RA_WAIT,
};

static void swapfs_ra_submit_work(struct work_struct *work);
static void swapfs_ra_done_work(struct work_struct *work);

/**
 * swapfs_ra_init() - allocate a device's read-ahead windows
 * @dev: the device, its max_io_bytes and size set
 *
 * Uses the module parameter readahead_kb at the time of the call; 0, or
 * requests smaller than a useful window, turn read-ahead off.
 *
 * Return: 0 or -ENOMEM.
 */
int swapfs_ra_init(struct swapfs_dev *dev)
{
	struct swapfs_ra *ra = &dev->ra;
	unsigned int kb = READ_ONCE(swapfs_readahead_kb);
	unsigned int win_bytes = min_t(unsigned int, dev->max_io_bytes,
				       SWAPFS_RA_WINDOW_BYTES);
	unsigned int i, p, pages = win_bytes >> PAGE_SHIFT;

	spin_lock_init(&ra->lock);
	init_waitqueue_head(&ra->idle);
	if (!kb || win_bytes < SWAPFS_RA_MIN_WINDOW_BYTES)
		return 0;
	ra->nr = max_t(unsigned int, (u64)kb * 1024 / win_bytes, 1);
	ra->win = kcalloc(ra->nr, sizeof(*ra->win), GFP_KERNEL);
	if (!ra->win)
		goto err;
	ra->win_bytes = win_bytes;
	ra->ahead = clamp_t(unsigned int, ra->nr / 2, 1, SWAPFS_RA_MAX_AHEAD);
	for (i = 0; i < ra->nr; i++) {
		struct swapfs_ra_window *w = &ra->win[i];

		w->dev = dev;
		INIT_LIST_HEAD(&w->waiters);
		INIT_WORK(&w->submit_work, swapfs_ra_submit_work);
		INIT_WORK(&w->done_work, swapfs_ra_done_work);
		w->bvec = kcalloc(pages, sizeof(*w->bvec), GFP_KERNEL);
		if (!w->bvec)
			goto err;
		for (p = 0; p < pages; p++) {
			struct page *page = alloc_page(GFP_KERNEL);

			if (!page)
				goto err;
			w->bvec[p].bv_page = page;
			w->bvec[p].bv_len = PAGE_SIZE;
		}
	}
	return 0;
err:
	swapfs_ra_free(dev);
	return -ENOMEM;
}

/**
 * swapfs_ra_drain() - wait until no window read is in flight
 * @dev: the device, which gets no more requests
 *
 * The work items of the reads may still be finishing; destroying the
 * device's workqueue waits for them.
 */
void swapfs_ra_drain(struct swapfs_dev *dev)
{
	wait_event(dev->ra.idle, !atomic_read(&dev->ra.reading));
}

/**
 * swapfs_ra_free() - free the windows (drained before)
 * @dev: the device
 */
void swapfs_ra_free(struct swapfs_dev *dev)
{
	struct swapfs_ra *ra = &dev->ra;
	unsigned int i, p;

	for (i = 0; ra->win && i < ra->nr; i++) {
		struct bio_vec *bvec = ra->win[i].bvec;

		for (p = 0; bvec && p < ra->win_bytes >> PAGE_SHIFT; p++)
			if (bvec[p].bv_page)
				__free_page(bvec[p].bv_page);
		kfree(bvec);
	}
	kfree(ra->win);
	ra->win = NULL;
	ra->nr = 0;
}

/* The window holding @pos, READING or READY and not stale; under lock. */
static struct swapfs_ra_window *swapfs_ra_find(struct swapfs_ra *ra,
					       loff_t pos)
{
	unsigned int i;

	for (i = 0; i < ra->nr; i++) {
		struct swapfs_ra_window *w = &ra->win[i];

		if (w->state != SWAPFS_RA_EMPTY && !w->stale &&
		    pos >= w->pos && pos < w->pos + w->len)
			return w;
	}
	return NULL;
}

/* Empty a window nobody uses; under lock. */
static void swapfs_ra_empty(struct swapfs_ra *ra, struct swapfs_ra_window *w)
{
	if (!w->used)
		atomic64_inc(&ra->unused);
	w->state = SWAPFS_RA_EMPTY;
	w->stale = false;
}

/*
 * Which windows hold [@pos, @end): all READY (HIT: @chain filled, a user
 * taken on each), some still READING (WAIT: *@wait is the first of those)
 * or not all there (MISS).  Under lock.
 */
static enum swapfs_ra_result
swapfs_ra_lookup(struct swapfs_ra *ra, loff_t pos, loff_t end,
		 struct swapfs_ra_window **chain, unsigned int *n,
		 struct swapfs_ra_window **wait)
{
	unsigned int i;

	*n = 0;
	*wait = NULL;
	while (pos < end) {
		struct swapfs_ra_window *w = swapfs_ra_find(ra, pos);

		if (!w || *n == SWAPFS_RA_CHAIN)
			return SWAPFS_RA_MISS;
		if (w->state == SWAPFS_RA_READING && !*wait)
			*wait = w;
		/* Recently used: not to be reused for the windows ahead. */
		w->stamp = ++ra->clock;
		chain[(*n)++] = w;
		pos = w->pos + w->len;
	}
	if (*wait)
		return SWAPFS_RA_WAIT;
	for (i = 0; i < *n; i++)
		chain[i]->users++;
	return SWAPFS_RA_HIT;
}

/* The swap cluster (allocation unit of swap slots) holding byte @pos. */
static loff_t swapfs_ra_chunk(loff_t pos)
{
	return pos >> SWAPFS_RA_CLUSTER_SHIFT;
}

/*
 * Record a read of [@pos, @end) in its stream, or start a new stream with
 * it.  Return: the stream it continues, NULL if none.  Under lock.
 */
static struct swapfs_ra_stream *swapfs_ra_note(struct swapfs_ra *ra,
					       loff_t pos, loff_t end)
{
	struct swapfs_ra_stream *s;
	unsigned int i;

	for (i = 0; i < SWAPFS_RA_STREAMS; i++) {
		s = &ra->streams[i];
		if (s->end && pos >= s->end && pos - s->end <= SWAPFS_RA_MAX_GAP) {
			if (swapfs_ra_chunk(pos) != swapfs_ra_chunk(s->end - 1))
				s->crossed = true;
			s->end = end;
			return s;
		}
	}
	s = &ra->streams[ra->next_stream];
	ra->next_stream = (ra->next_stream + 1) % SWAPFS_RA_STREAMS;
	s->end = end;
	s->crossed = false;
	s->win_bytes = SWAPFS_RA_MIN_WINDOW_BYTES;
	return NULL;
}

/*
 * A window to read into: an empty one, else the least recently used READY
 * one that served reads, else one read ahead that nobody used for
 * SWAPFS_RA_MAX_IDLE (its stream is gone); NULL if all others are on their
 * way or ahead of live streams.  Under lock.
 */
static struct swapfs_ra_window *swapfs_ra_victim(struct swapfs_ra *ra)
{
	struct swapfs_ra_window *best = NULL;
	unsigned int i;

	for (i = 0; i < ra->nr; i++) {
		struct swapfs_ra_window *w = &ra->win[i];

		if (w->state == SWAPFS_RA_EMPTY)
			return w;
		if (w->state != SWAPFS_RA_READY || w->users)
			continue;
		if (!w->used &&
		    time_before(jiffies, w->since + SWAPFS_RA_MAX_IDLE))
			continue;
		if (!best || (w->used && !best->used) ||
		    (w->used == best->used && w->stamp < best->stamp))
			best = w;
	}
	if (best)
		swapfs_ra_empty(ra, best);
	return best;
}

/*
 * Make @ahead windows from @pos on, not past @limit, present or on their
 * way, new ones of @len bytes; the ones to start are returned in @start.
 * Under lock.
 */
static unsigned int swapfs_ra_plan(struct swapfs_dev *dev, loff_t pos,
				   loff_t limit, unsigned int ahead,
				   unsigned int len,
				   struct swapfs_ra_window **start)
{
	struct swapfs_ra *ra = &dev->ra;
	unsigned int i, n = 0;

	for (i = 0; i < ahead && pos < limit; i++) {
		struct swapfs_ra_window *w = swapfs_ra_find(ra, pos);

		if (!w) {
			w = swapfs_ra_victim(ra);
			if (!w)
				break;
			w->state = SWAPFS_RA_READING;
			w->used = false;
			w->pos = pos;
			w->len = min_t(loff_t, len, limit - pos);
			w->served = 0;
			w->stamp = ++ra->clock;
			w->since = jiffies;
			atomic_inc(&ra->reading);
			start[n++] = w;
		}
		pos = w->pos + w->len;
	}
	return n;
}

/*
 * Plan the windows in front of a read that ended at @end, which continued
 * @stream (NULL: none) and was @served from windows.  Under lock.
 * Return: the windows to start, in @start.
 */
static unsigned int swapfs_ra_follow(struct swapfs_dev *dev,
				     struct swapfs_ra_stream *stream,
				     bool served, loff_t end,
				     struct swapfs_ra_window **start)
{
	struct swapfs_ra *ra = &dev->ra;
	unsigned int len = SWAPFS_RA_MIN_WINDOW_BYTES;
	loff_t limit;

	/*
	 * Windows start small and double while read-ahead serves the
	 * stream: where swap-out interleaved several processes' pages, a
	 * stream's runs are short.
	 */
	if (stream) {
		if (served)
			stream->win_bytes = min(stream->win_bytes * 2,
						ra->win_bytes);
		len = stream->win_bytes;
	}
	/*
	 * Swap-out fills a swap cluster in order, but the next cluster it
	 * takes may be anywhere: read ahead past the end of this one only
	 * for a stream seen to go on from one cluster into the next, and
	 * only one window into it.
	 */
	limit = round_up(end, SWAPFS_RA_CLUSTER_BYTES);
	if (stream && stream->crossed &&
	    limit - end < (loff_t)ra->ahead * len)
		limit += len;
	/*
	 * A stream gets one window until read-ahead has served it (reads
	 * that merely follow each other for a while, in a region read at
	 * random, cost one window at most).
	 */
	return swapfs_ra_plan(dev, end, min(limit, dev->size),
			      served ? ra->ahead : 1, len, start);
}

/* Copy [@pos, @pos + @len) of window @w to @to. */
static size_t swapfs_ra_copy(struct swapfs_ra_window *w, loff_t pos,
			     size_t len, struct iov_iter *to)
{
	size_t off = pos - w->pos, done = 0;

	while (done < len) {
		size_t poff = offset_in_page(off);
		size_t n = min_t(size_t, len - done, PAGE_SIZE - poff);
		size_t got = copy_page_to_iter(w->bvec[off >> PAGE_SHIFT].bv_page,
					       poff, n, to);

		done += got;
		if (got != n)
			break;
		off += n;
	}
	return done;
}

/* Complete a read request from the windows of @chain (users held). */
static void swapfs_ra_serve(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
			    struct request *rq,
			    struct swapfs_ra_window **chain, unsigned int n)
{
	struct swapfs_ra *ra = &dev->ra;
	loff_t pos = (loff_t)blk_rq_pos(rq) << SECTOR_SHIFT;
	loff_t end = pos + blk_rq_bytes(rq);
	struct iov_iter iter;
	unsigned long flags;
	size_t copied = 0;
	loff_t from, to;
	unsigned int i;
	int err;

	/*
	 * Window i holds [from, to) of the request: from is where window
	 * i - 1 ends (windows may overlap), to where window i ends.
	 */
	err = swapfs_rq_iter(dev, cmd, rq, &iter);
	for (i = 0, from = pos; !err && i < n; i++, from = to) {
		to = min_t(loff_t, end, chain[i]->pos + chain[i]->len);
		copied += swapfs_ra_copy(chain[i], from, to - from, &iter);
	}

	spin_lock_irqsave(&ra->lock, flags);
	for (i = 0, from = pos; i < n; i++, from = to) {
		struct swapfs_ra_window *w = chain[i];

		to = min_t(loff_t, end, w->pos + w->len);
		w->users--;
		w->used = true;
		w->served += to - from;
		atomic64_add(to - from, &ra->served);
		w->stamp = ++ra->clock;
		/* A stream reads a window once: free it when all is read. */
		if (!w->users && (w->stale || w->served >= w->len))
			swapfs_ra_empty(ra, w);
	}
	spin_unlock_irqrestore(&ra->lock, flags);

	cmd->ret = err ? err : copied;
	blk_mq_complete_request(rq);
}

/**
 * swapfs_ra_read() - serve a read request from read-ahead, or note it
 * @dev: the device
 * @cmd: the request's pdu
 * @rq: the read request
 *
 * Starts the read of the windows that follow the request when it continues
 * a stream.
 *
 * Context: process context with PF_MEMALLOC.
 * Return: true if the request was completed or will be resubmitted when a
 * window's read ends; false if the caller reads it from the file.
 */
bool swapfs_ra_read(struct swapfs_dev *dev, struct swapfs_cmd *cmd,
		    struct request *rq)
{
	struct swapfs_ra *ra = &dev->ra;
	struct swapfs_ra_window *chain[SWAPFS_RA_CHAIN];
	struct swapfs_ra_window *start[SWAPFS_RA_MAX_AHEAD];
	struct swapfs_ra_window *wait;
	struct swapfs_ra_stream *stream;
	loff_t pos = (loff_t)blk_rq_pos(rq) << SECTOR_SHIFT;
	loff_t end = pos + blk_rq_bytes(rq);
	enum swapfs_ra_result res;
	unsigned int i, n, nstart = 0;
	unsigned long flags;

	if (!ra->nr)
		return false;
	spin_lock_irqsave(&ra->lock, flags);
	res = swapfs_ra_lookup(ra, pos, end, chain, &n, &wait);
	if (res == SWAPFS_RA_WAIT)
		list_add_tail(&cmd->ra_node, &wait->waiters);
	stream = swapfs_ra_note(ra, pos, end);
	if (res != SWAPFS_RA_MISS || stream)
		nstart = swapfs_ra_follow(dev, stream, res != SWAPFS_RA_MISS,
					  end, start);
	spin_unlock_irqrestore(&ra->lock, flags);

	for (i = 0; i < nstart; i++)
		queue_work(dev->wq, &start[i]->submit_work);
	if (res == SWAPFS_RA_HIT) {
		atomic64_inc(&ra->hits);
		swapfs_ra_serve(dev, cmd, rq, chain, n);
	} else if (res == SWAPFS_RA_WAIT) {
		/* @cmd may be resubmitted and completed by now. */
		atomic64_inc(&ra->waits);
	}
	return res != SWAPFS_RA_MISS;
}

/**
 * swapfs_ra_invalidate() - drop what read-ahead holds of a written range
 * @dev: the device
 * @pos: byte offset
 * @len: bytes
 *
 * Context: any; called when a write is submitted and when it completes.
 */
void swapfs_ra_invalidate(struct swapfs_dev *dev, loff_t pos, u64 len)
{
	struct swapfs_ra *ra = &dev->ra;
	unsigned long flags;
	unsigned int i;

	if (!ra->nr)
		return;
	spin_lock_irqsave(&ra->lock, flags);
	for (i = 0; i < ra->nr; i++) {
		struct swapfs_ra_window *w = &ra->win[i];

		if (w->state == SWAPFS_RA_EMPTY || w->pos >= pos + len ||
		    w->pos + w->len <= pos)
			continue;
		if (w->state == SWAPFS_RA_READY && !w->users)
			swapfs_ra_empty(ra, w);
		else
			w->stale = true;
	}
	spin_unlock_irqrestore(&ra->lock, flags);
}

static void swapfs_ra_read_done(struct kiocb *iocb, long ret)
{
	struct swapfs_ra_window *w =
		container_of(iocb, struct swapfs_ra_window, iocb);

	w->ret = ret;
	/* ki_complete may run in any context; finish in process context. */
	queue_work(w->dev->wq, &w->done_work);
}
COMPAT_DEFINE_KI_COMPLETE(swapfs_ra_read_done);

static void swapfs_ra_submit_work(struct work_struct *work)
{
	struct swapfs_ra_window *w =
		container_of(work, struct swapfs_ra_window, submit_work);
	struct swapfs_dev *dev = w->dev;
	unsigned int noreclaim = memalloc_noreclaim_save();
	struct iov_iter iter;
	ssize_t ret;

	iov_iter_bvec(&iter, ITER_DEST, w->bvec, DIV_ROUND_UP(w->len, PAGE_SIZE),
		      w->len);
	init_sync_kiocb(&w->iocb, dev->file);
	w->iocb.ki_pos = w->pos;
	w->iocb.ki_complete = compat_ki_complete(swapfs_ra_read_done);
	atomic64_inc(&dev->ra.reads);
	atomic64_add(w->len, &dev->ra.read_bytes);
	ret = swapfs_start_io(dev, &w->iocb, &iter, false);
	if (ret != -EIOCBQUEUED)
		swapfs_ra_read_done(&w->iocb, ret);
	memalloc_noreclaim_restore(noreclaim);
}

/*
 * The window's read has ended: make it READY (or empty it if it failed or
 * went stale) and resubmit its waiters, which find it or read the file.
 */
static void swapfs_ra_done_work(struct work_struct *work)
{
	struct swapfs_ra_window *w =
		container_of(work, struct swapfs_ra_window, done_work);
	struct swapfs_dev *dev = w->dev;
	struct swapfs_ra *ra = &dev->ra;
	unsigned int noreclaim = memalloc_noreclaim_save();
	struct swapfs_cmd *cmd, *next;
	unsigned long flags;
	LIST_HEAD(waiters);
	bool failed;

	spin_lock_irqsave(&ra->lock, flags);
	failed = w->ret != w->len;
	if (failed || w->stale) {
		swapfs_ra_empty(ra, w);
	} else {
		w->state = SWAPFS_RA_READY;
		w->stamp = ++ra->clock;
	}
	list_splice_init(&w->waiters, &waiters);
	spin_unlock_irqrestore(&ra->lock, flags);

	if (failed)
		pr_warn_ratelimited("%s: read-ahead of %u bytes at %lld failed: %ld\n",
				    dev->disk->disk_name, w->len,
				    (long long)w->pos, w->ret);
	list_for_each_entry_safe(cmd, next, &waiters, ra_node) {
		list_del_init(&cmd->ra_node);
		swapfs_submit_read(dev, cmd, blk_mq_rq_from_pdu(cmd));
	}
	if (atomic_dec_and_test(&ra->reading))
		wake_up(&ra->idle);
	memalloc_noreclaim_restore(noreclaim);
}
