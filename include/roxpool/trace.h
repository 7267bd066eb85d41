/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: one pooled range's journey, for standard tracing tools.
 *
 *   roxpool_alloc     the loader's text got a staged range of the pool
 *   roxpool_finalize  the module's text was copied into its chunk: live
 *   roxpool_free      the kernel freed the range (refilled with INT3 later)
 *   roxpool_fallback  a loader text allocation was left to the kernel
 *
 * The address ties the events of one range together: the allocation comes
 * before the module has a name, finalize and free carry it.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM roxpool

#if !defined(ROXPOOL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define ROXPOOL_TRACE_H

#include <linux/tracepoint.h>

#include <roxpool/fallback.h>

TRACE_EVENT(roxpool_alloc,
	    TP_PROTO(unsigned long addr, unsigned long size, unsigned long chunk),
	    TP_ARGS(addr, size, chunk),
	    TP_STRUCT__entry(__field(unsigned long, addr)
			     __field(unsigned long, size)
			     __field(unsigned long, chunk)),
	    TP_fast_assign(__entry->addr = addr;
			   __entry->size = size;
			   __entry->chunk = chunk;),
	    TP_printk("addr=0x%lx size=%lu chunk=0x%lx",
		      __entry->addr, __entry->size, __entry->chunk)
);

DECLARE_EVENT_CLASS(roxpool_range,
		    TP_PROTO(const char *module, unsigned long addr,
			     unsigned long size, unsigned long chunk, bool init),
		    TP_ARGS(module, addr, size, chunk, init),
		    TP_STRUCT__entry(__string(module, module)
				     __field(unsigned long, addr)
				     __field(unsigned long, size)
				     __field(unsigned long, chunk)
				     __field(bool, init)),
		    TP_fast_assign(__assign_str(module);
				   __entry->addr = addr;
				   __entry->size = size;
				   __entry->chunk = chunk;
				   __entry->init = init;),
		    TP_printk("module=%s addr=0x%lx size=%lu chunk=0x%lx text=%s",
			      __get_str(module), __entry->addr, __entry->size,
			      __entry->chunk, __entry->init ? "init" : "core")
);

DEFINE_EVENT(roxpool_range, roxpool_finalize,
	     TP_PROTO(const char *module, unsigned long addr,
		      unsigned long size, unsigned long chunk, bool init),
	     TP_ARGS(module, addr, size, chunk, init)
);

DEFINE_EVENT(roxpool_range, roxpool_free,
	     TP_PROTO(const char *module, unsigned long addr,
		      unsigned long size, unsigned long chunk, bool init),
	     TP_ARGS(module, addr, size, chunk, init)
);

/*
 * The reason by number and by the name pool_fallback_<name> of the
 * statistics gives it (rp_fallback_name(), the one table of names).
 */
TRACE_EVENT(roxpool_fallback,
	    TP_PROTO(enum rp_fallback why),
	    TP_ARGS(why),
	    TP_STRUCT__entry(__field(unsigned int, why)
			     __string(reason, rp_fallback_name(why))),
	    TP_fast_assign(__entry->why = why;
			   __assign_str(reason);),
	    TP_printk("reason=%s", __get_str(reason))
);

#endif /* ROXPOOL_TRACE_H */

/* Found through the -I of include/ in Kbuild. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH roxpool
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
