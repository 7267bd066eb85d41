/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/kernel.h>, for the unit tests only. */
#ifndef RP_SHIM_LINUX_KERNEL_H
#define RP_SHIM_LINUX_KERNEL_H
#include <stdio.h>
#include <linux/types.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min(a, b) ((a) < (b) ? (a) : (b))
#endif
