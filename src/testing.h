/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Knobs that exist only in test builds (ROXPOOL_TEST=y, set by the test
 * harness): armed faults, delays that widen race windows, kernel symbols
 * hidden to mimic other kernel configurations, a kernel release string that
 * the policy sees instead of the running kernel's.  A production build (DKMS,
 * the Debian package) compiles every call below to nothing and has none of
 * the parameters of src/testing.c.
 */
#ifndef ROXPOOL_TESTING_H
#define ROXPOOL_TESTING_H

#include <linux/types.h>

#include <roxpool/parse.h>

/**
 * enum rp_delay_point - where a test build may sleep to widen a race window
 * @RP_DELAY_HOOK_INSTALL: between installing two hooks, and before the pool
 *	opens
 * @RP_DELAY_ALLOC: after a range is published, before the allocation hook
 *	returns it to the loader
 */
enum rp_delay_point {
	RP_DELAY_HOOK_INSTALL,
	RP_DELAY_ALLOC,
};

/* What a test knob runs when it changes (registered by the layer above). */
typedef void (*rp_test_fn)(void);

#ifdef ROXPOOL_TEST
bool rp_fault(unsigned int fault);
void rp_test_delay(enum rp_delay_point point);
bool rp_test_hidden(const char *sym);
const char *rp_test_release(const char *release);
int rp_test_cpa_fault(unsigned long chunk, unsigned long pfn);
void rp_test_on_collapse_allowed(rp_test_fn fn);
#else
static inline bool rp_fault(unsigned int fault)
{
	return false;
}

static inline void rp_test_delay(enum rp_delay_point point)
{
}

static inline bool rp_test_hidden(const char *sym)
{
	return false;
}

static inline const char *rp_test_release(const char *release)
{
	return release;
}

static inline int rp_test_cpa_fault(unsigned long chunk, unsigned long pfn)
{
	return 0;
}

static inline void rp_test_on_collapse_allowed(rp_test_fn fn)
{
}
#endif

#endif /* ROXPOOL_TESTING_H */
