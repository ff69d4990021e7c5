/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * netvm-swap: the interface between nfsswapctl and netvm_swap.ko.
 */
#ifndef _UAPI_NFSSWAP_H
#define _UAPI_NFSSWAP_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* /dev/NFSSWAP_CONTROL_NAME: the control device (CAP_SYS_ADMIN only). */
#define NFSSWAP_CONTROL_NAME	"nfsswap-control"
/* Block devices are /dev/NFSSWAP_DISK_NAME<index>. */
#define NFSSWAP_DISK_NAME	"nfsswap"

#define NFSSWAP_IOC_MAGIC	0xE7

#endif /* _UAPI_NFSSWAP_H */
