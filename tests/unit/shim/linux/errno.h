/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/errno.h>, for the unit tests only.  The C
 * library's <errno.h> itself includes <linux/errno.h>, so this must not
 * include <errno.h>: it takes the values from the kernel's uapi headers.
 */
#ifndef RP_SHIM_LINUX_ERRNO_H
#define RP_SHIM_LINUX_ERRNO_H
#include <asm/errno.h>
#endif
