/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which live execmem ranges roxpool saw allocated (src/track.c).
 */
#ifndef ROXPOOL_TRACK_H
#define ROXPOOL_TRACK_H

#include <linux/types.h>

#include <roxpool/classify.h>

void rp_track_add(void *ptr, unsigned int type, enum rp_class class);
bool rp_track_del(void *ptr, enum rp_class *class);
void rp_track_exit(void);

#endif /* ROXPOOL_TRACK_H */
