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
 *   lat_mean_us, lat_max_us   request latency, microseconds
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

/* Attach a file; returns 0 and fills in index, or -1 with errno. */
#define NFSSWAP_IOC_ATTACH	_IOWR(NFSSWAP_IOC_MAGIC, 1, struct nfsswap_attach)
/* Detach /dev/nfsswap<arg>; EBUSY while the device is open (swapon). */
#define NFSSWAP_IOC_DETACH	_IO(NFSSWAP_IOC_MAGIC, 2)

#endif /* _UAPI_NFSSWAP_H */
