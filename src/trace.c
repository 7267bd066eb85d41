// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoints of include/roxpool/trace.h, defined once here.
 */
#define CREATE_TRACE_POINTS
#include <roxpool/trace.h>
