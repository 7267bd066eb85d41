/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/types.h>, for the unit tests only. */
#ifndef RP_SHIM_LINUX_TYPES_H
#define RP_SHIM_LINUX_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef unsigned long long u64;
typedef uint32_t u32;
typedef uint8_t u8;
#endif
