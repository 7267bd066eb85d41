/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roxpool's state, the bottom layer: the mode it runs in and why, the sysfs
 * switch and the load-time opt-in.  Everything above reads it; only main.c
 * sets the mode, only the module parameters set the rest.
 */
#ifndef ROXPOOL_STATE_H
#define ROXPOOL_STATE_H

#include <linux/types.h>

#include <roxpool/policy.h>

enum rp_mode rp_mode(void);
const char *rp_mode_reason(void);
void rp_set_mode(enum rp_mode mode, const char *reason);
bool rp_enabled(void);
bool rp_allow_untested(void);

#endif /* ROXPOOL_STATE_H */
