/* SPDX-License-Identifier: GPL-2.0 */
/*
 * roxpool's ftrace hooks: one wrapper per hooked kernel function.
 *
 * A hook is an IPMODIFY ftrace callback that sends the call to roxpool's
 * wrapper, which runs in the caller's context (it may sleep) and calls the
 * original through its static call.  The callback lets calls that come from
 * roxpool itself through, which is what makes "call the original" work.
 */
#ifndef ROXPOOL_HOOKS_H
#define ROXPOOL_HOOKS_H

#include "compat.h"

int rp_hooks_install(void);
void rp_hooks_remove(void);
unsigned int rp_hooks_installed(void);
void rp_hook_leave(void);

/* The wrappers, one file each under src/hooks/. */
void *rp_hook_execmem_alloc(enum execmem_type type, size_t size);
void rp_hook_execmem_free(void *ptr);
int rp_hook_module_enable_text_rox(const struct module *mod);

bool rp_callers_init(void);

#endif /* ROXPOOL_HOOKS_H */
