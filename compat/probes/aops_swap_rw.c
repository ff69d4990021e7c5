// SPDX-License-Identifier: GPL-2.0
/*
 * address_space_operations->swap_rw() carries I/O to swap files that are
 * not mapped to block extents (SWP_FS_OPS, i.e. NFS) since 5.18.  Before,
 * such swap I/O went through ->direct_IO().
 */
#include <linux/fs.h>

int netvm_probe(struct address_space *mapping, struct kiocb *iocb,
		struct iov_iter *iter);
int netvm_probe(struct address_space *mapping, struct kiocb *iocb,
		struct iov_iter *iter)
{
	return mapping->a_ops->swap_rw(iocb, iter);
}
