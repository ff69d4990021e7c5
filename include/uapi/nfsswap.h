/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * netvm-swap: the interface between nfsswapctl and netvm_swap.ko.
 *
 * Control: /dev/nfsswap-control, usable only with CAP_SYS_ADMIN.
 * Devices: /dev/nfsswapN (block), with per-device attributes in
 *          /sys/block/nfsswapN/nfsswap/:
 *   backing_file  path of the backing file, as the kernel sees it
 *   server        the NFS server (address) or "-" for other filesystems
 *   io_path       "swapops" or "direct": how I/O reaches the file
 *   read_reqs, write_reqs     completed requests
 *   read_bytes, write_bytes   completed bytes
 *   in_flight     requests submitted and not yet completed
 *   errors        failed requests
 *   retries       submissions retried after the filesystem ran out of
 *                 memory (-ENOMEM: retried every 20 ms, never failed)
 *   lat_mean_us, lat_max_us   request latency, microseconds
 *   readahead_kb  memory of the device's read-ahead windows (0: off)
 *   readahead_hits    read requests served from read-ahead windows
 *   readahead_waits   read requests that waited for a window's read
 *   readahead_reads, readahead_bytes   window reads started, their bytes
 *   readahead_unused  windows dropped before any request used them
 *   readahead_served  bytes copied from windows to read requests (against
 *                     readahead_bytes: how much of what was read ahead served)
 *   transport_sockets   connected sockets of the NFS mount's RPC transports
 *                       (checked every 2 s; 0 for other filesystems)
 *   transport_memalloc  of those, the ones found SOCK_MEMALLOC (swap
 *                       traffic: reserves and netvm's exemption)
 *   transport_remarks   sockets found unmarked (e.g. after a reconnect) and
 *                       marked by netvm_swap; sunrpc marks them itself
 */
#ifndef _UAPI_NFSSWAP_H
#define _UAPI_NFSSWAP_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define NFSSWAP_CONTROL_NAME	"nfsswap-control"
#define NFSSWAP_DISK_NAME	"nfsswap"

#define NFSSWAP_IOC_MAGIC	0xE7

/**
 * struct nfsswap_attach - argument of NFSSWAP_IOC_ATTACH
 * @fd: in: descriptor of the backing file, opened read-write
 * @flags: in: must be 0
 * @index: out: N of the new /dev/nfsswapN
 * @pad: must be 0
 * @reserved: must be 0
 */
struct nfsswap_attach {
	__s32 fd;
	__u32 flags;
	__u32 index;
	__u32 pad;
	__u64 reserved[4];
};

/*
 * Smallest backing file accepted: the swap header page plus enough pages to
 * be worth swapping to.
 */
#define NFSSWAP_MIN_SIZE	(1024 * 1024)

/*
 * Attach a file; returns 0 and fills in index, or -1 with errno:
 *   EPERM      the caller lacks CAP_SYS_ADMIN
 *   EFAULT     the argument is not readable/writable memory
 *   EINVAL     flags, pad or reserved not zero; or fd is not a regular file
 *              (device node, FIFO, socket)
 *   EBADF      fd is not an open descriptor, or not open for both reading
 *              and writing (O_RDWR)
 *   EISDIR     fd is a directory
 *   ERANGE     the file's size is not a multiple of the page size, is smaller
 *              than NFSSWAP_MIN_SIZE, or is larger than a device can address
 *   ENODATA    the file has holes (fewer bytes allocated than its size)
 *   EBUSY      the file is already attached to an nfsswap device
 *   ETXTBSY    the file is already in use as a swap file (swapon on it)
 *   EOPNOTSUPP the file's filesystem cannot carry the selected io_path
 *   ELOOP      the file lives on an nfsswap device itself
 *   ENOMEM, ENOSPC  out of memory, or out of device numbers
 *   other      an error of the filesystem while reading the file's
 *              attributes or allocation (e.g. EIO), or of enabling swap on
 *              the NFS mount's RPC client
 * The kernel logs one line naming the reason of every refusal.
 *
 * While attached with io_path "swapops" the file is marked as a swap file
 * (S_SWAPFILE), as swapon does: on this client, writes, shrinking
 * truncation and fallocate fail with ETXTBSY, unlink and rename with
 * EPERM.  io_path "direct" cannot mark it (the kernel refuses
 * direct writes to a swap file), so there only a second attach is refused.
 * The descriptor's file position is unspecified after ATTACH.
 */
#define NFSSWAP_IOC_ATTACH	_IOWR(NFSSWAP_IOC_MAGIC, 1, struct nfsswap_attach)
/*
 * Detach /dev/nfsswap<arg>; returns 0 or -1 with errno:
 *   EPERM      the caller lacks CAP_SYS_ADMIN
 *   ENXIO      no device with that number
 *   EBUSY      the device is open (e.g. swapon; udev may hold it open
 *              briefly after attach), or is being attached or detached
 */
#define NFSSWAP_IOC_DETACH	_IO(NFSSWAP_IOC_MAGIC, 2)

#endif /* _UAPI_NFSSWAP_H */
