/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/string.h>, for the unit tests only. */
#ifndef RP_SHIM_LINUX_STRING_H
#define RP_SHIM_LINUX_STRING_H
#include <string.h>
#include <strings.h>
#endif
