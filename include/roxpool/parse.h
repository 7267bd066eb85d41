/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for what users and tests write (src/parse.c).
 *
 * This header needs no kernel: it is built into the module and into the
 * user-space unit tests.
 */
#ifndef ROXPOOL_PARSE_H
#define ROXPOOL_PARSE_H

#include <linux/types.h>

/* Faults a test build can arm through its fault_inject parameter. */
#define RP_FAULT_CHUNK		0x1	/* a new chunk cannot be made */
#define RP_FAULT_STAGING	0x2	/* no memory for staging pages */
#define RP_FAULT_COLLAPSE	0x4	/* a split chunk is not collapsed */
#define RP_FAULT_CPA		0x8	/* a new chunk's CPA fails half way */
#define RP_FAULT_RUN		0x10	/* a new run's second chunk fails */
#define RP_FAULT_ALL		0x1f

int rp_parse_faults(const char *s, unsigned int *mask);
int rp_format_faults(unsigned int mask, char *buf, size_t size);

int rp_parse_bool(const char *s, bool *res);
int rp_parse_release(const char *release, unsigned int *version);

#endif /* ROXPOOL_PARSE_H */
