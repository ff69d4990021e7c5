/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swapfs: internal declarations of the swap backing driver.
 */
#ifndef SWAPFS_SWAPFS_H
#define SWAPFS_SWAPFS_H

extern int swapfs_major;

int swapfs_control_init(void);
void swapfs_control_exit(void);

#endif /* SWAPFS_SWAPFS_H */
