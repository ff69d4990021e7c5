// SPDX-License-Identifier: GPL-2.0
/*
 * swapfs: the per-device attributes in /sys/block/nfsswapN/nfsswap/, as
 * listed in <uapi/nfsswap.h>.  They are created with the disk
 * (device_add_disk()) and removed by del_gendisk(), which waits for
 * readers, so a reader always finds the device alive.
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "swapfs.h"

static struct swapfs_dev *swapfs_attr_dev(struct device *d)
{
	return dev_to_disk(d)->private_data;
}

static ssize_t swapfs_backing_file_show(struct device *d,
					struct device_attribute *attr,
					char *buf)
{
	struct swapfs_dev *dev = swapfs_attr_dev(d);
	char *p = file_path(dev->file, buf, PAGE_SIZE - 1);
	size_t len;

	if (IS_ERR(p))
		return PTR_ERR(p);
	len = strlen(p);
	memmove(buf, p, len);
	buf[len++] = '\n';
	return len;
}

static ssize_t swapfs_server_show(struct device *d,
				  struct device_attribute *attr, char *buf)
{
	struct swapfs_dev *dev = swapfs_attr_dev(d);

	return sysfs_emit(buf, "%s\n", dev->is_nfs ? dev->nfs.server : "-");
}

static ssize_t swapfs_io_path_show(struct device *d,
				   struct device_attribute *attr, char *buf)
{
	struct swapfs_dev *dev = swapfs_attr_dev(d);

	return sysfs_emit(buf, "%s\n", swapfs_io_path_name(dev->io_path));
}

/* A number of the device @dev, @expr of its stats @st or read-ahead @ra. */
#define SWAPFS_COUNTER_SHOW(name, expr)					\
static ssize_t swapfs_##name##_show(struct device *d,			\
				    struct device_attribute *attr,	\
				    char *buf)				\
{									\
	struct swapfs_dev *dev = swapfs_attr_dev(d);			\
	struct swapfs_stats *st __maybe_unused = &dev->stats;		\
	struct swapfs_ra *ra __maybe_unused = &dev->ra;			\
									\
	return sysfs_emit(buf, "%llu\n", (unsigned long long)(expr));	\
}

SWAPFS_COUNTER_SHOW(read_reqs, atomic64_read(&st->reqs[0]))
SWAPFS_COUNTER_SHOW(write_reqs, atomic64_read(&st->reqs[1]))
SWAPFS_COUNTER_SHOW(read_bytes, atomic64_read(&st->bytes[0]))
SWAPFS_COUNTER_SHOW(write_bytes, atomic64_read(&st->bytes[1]))
SWAPFS_COUNTER_SHOW(in_flight, max(atomic_read(&st->in_flight), 0))
SWAPFS_COUNTER_SHOW(errors, atomic64_read(&st->errors))
SWAPFS_COUNTER_SHOW(retries, atomic64_read(&st->retries))
SWAPFS_COUNTER_SHOW(lat_max_us,
		    div_u64(atomic64_read(&st->lat_max_ns), NSEC_PER_USEC))
SWAPFS_COUNTER_SHOW(readahead_kb, (u64)ra->nr * ra->win_bytes >> 10)
SWAPFS_COUNTER_SHOW(readahead_hits, atomic64_read(&ra->hits))
SWAPFS_COUNTER_SHOW(readahead_waits, atomic64_read(&ra->waits))
SWAPFS_COUNTER_SHOW(readahead_reads, atomic64_read(&ra->reads))
SWAPFS_COUNTER_SHOW(readahead_bytes, atomic64_read(&ra->read_bytes))
SWAPFS_COUNTER_SHOW(readahead_unused, atomic64_read(&ra->unused))
SWAPFS_COUNTER_SHOW(readahead_served, atomic64_read(&ra->served))
SWAPFS_COUNTER_SHOW(transport_sockets,
		    dev->is_nfs ? READ_ONCE(dev->nfs.socks) : 0)
SWAPFS_COUNTER_SHOW(transport_memalloc,
		    dev->is_nfs ? READ_ONCE(dev->nfs.socks_memalloc) : 0)
SWAPFS_COUNTER_SHOW(transport_remarks,
		    dev->is_nfs ? atomic64_read(&dev->nfs.remarks) : 0)

static ssize_t swapfs_lat_mean_us_show(struct device *d,
				       struct device_attribute *attr,
				       char *buf)
{
	struct swapfs_stats *st = &swapfs_attr_dev(d)->stats;
	u64 count = atomic64_read(&st->lat_count);
	u64 sum = atomic64_read(&st->lat_sum_ns);

	return sysfs_emit(buf, "%llu\n",
			  count ? div64_u64(sum, count) / NSEC_PER_USEC : 0);
}

#define SWAPFS_ATTR_RO(name)						\
static struct device_attribute swapfs_attr_##name =			\
	__ATTR(name, 0444, swapfs_##name##_show, NULL)

SWAPFS_ATTR_RO(backing_file);
SWAPFS_ATTR_RO(server);
SWAPFS_ATTR_RO(io_path);
SWAPFS_ATTR_RO(read_reqs);
SWAPFS_ATTR_RO(write_reqs);
SWAPFS_ATTR_RO(read_bytes);
SWAPFS_ATTR_RO(write_bytes);
SWAPFS_ATTR_RO(in_flight);
SWAPFS_ATTR_RO(errors);
SWAPFS_ATTR_RO(retries);
SWAPFS_ATTR_RO(lat_mean_us);
SWAPFS_ATTR_RO(lat_max_us);
SWAPFS_ATTR_RO(readahead_kb);
SWAPFS_ATTR_RO(readahead_hits);
SWAPFS_ATTR_RO(readahead_waits);
SWAPFS_ATTR_RO(readahead_reads);
SWAPFS_ATTR_RO(readahead_bytes);
SWAPFS_ATTR_RO(readahead_unused);
SWAPFS_ATTR_RO(readahead_served);
SWAPFS_ATTR_RO(transport_sockets);
SWAPFS_ATTR_RO(transport_memalloc);
SWAPFS_ATTR_RO(transport_remarks);

static struct attribute *swapfs_attrs[] = {
	&swapfs_attr_backing_file.attr,
	&swapfs_attr_server.attr,
	&swapfs_attr_io_path.attr,
	&swapfs_attr_read_reqs.attr,
	&swapfs_attr_write_reqs.attr,
	&swapfs_attr_read_bytes.attr,
	&swapfs_attr_write_bytes.attr,
	&swapfs_attr_in_flight.attr,
	&swapfs_attr_errors.attr,
	&swapfs_attr_retries.attr,
	&swapfs_attr_lat_mean_us.attr,
	&swapfs_attr_lat_max_us.attr,
	&swapfs_attr_readahead_kb.attr,
	&swapfs_attr_readahead_hits.attr,
	&swapfs_attr_readahead_waits.attr,
	&swapfs_attr_readahead_reads.attr,
	&swapfs_attr_readahead_bytes.attr,
	&swapfs_attr_readahead_unused.attr,
	&swapfs_attr_readahead_served.attr,
	&swapfs_attr_transport_sockets.attr,
	&swapfs_attr_transport_memalloc.attr,
	&swapfs_attr_transport_remarks.attr,
	NULL,
};

static const struct attribute_group swapfs_attr_group = {
	.name = "nfsswap",
	.attrs = swapfs_attrs,
};

const struct attribute_group *swapfs_disk_groups[] = {
	&swapfs_attr_group,
	NULL,
};
