/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR AND CONTRIBUTORS ``AS IS'' AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE AUTHOR OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS
 * OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
 * HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT
 * LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY
 * OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF
 * SUCH DAMAGE.
 */

/*
 * eventhandler(9): named lists of callbacks.
 *
 * EVENTHANDLER_DEFINE registers a callback at boot (or kldload) through
 * a generated init function and a SYSINIT.
 */
#ifndef _SYS_EVENTHANDLER_H_
#define	_SYS_EVENTHANDLER_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/kernel.h>

struct proc;
struct thread;

struct eventhandler_entry {
	TAILQ_ENTRY(eventhandler_entry)	ee_link;
	int				ee_priority;
	void				*ee_arg;
};

struct eventhandler_list {
	char				*el_name;
	int				el_flags;
	u_int				el_runcount;
	TAILQ_HEAD(, eventhandler_entry) el_entries;
};

typedef struct eventhandler_entry *eventhandler_tag;

#define	EVENTHANDLER_PRI_FIRST	0
#define	EVENTHANDLER_PRI_ANY	10000
#define	EVENTHANDLER_PRI_LAST	20000

#define	EVENTHANDLER_DECLARE(name, type)				\
	struct eventhandler_entry_##name {				\
		struct eventhandler_entry	ee;			\
		type				eh_func;		\
	};								\
	struct __hack

eventhandler_tag eventhandler_register(struct eventhandler_list *list,
	    const char *name, void *func, void *arg, int priority);
void	eventhandler_deregister(struct eventhandler_list *list,
	    eventhandler_tag tag);
struct eventhandler_list *eventhandler_find_list(const char *name);
void	eventhandler_prune_list(struct eventhandler_list *list);

#define	EVENTHANDLER_REGISTER(name, func, arg, priority)		\
	eventhandler_register(NULL, #name, func, arg, priority)
#define	EVENTHANDLER_DEREGISTER(name, tag)				\
	eventhandler_deregister(eventhandler_find_list(#name), tag)

#define	EVENTHANDLER_INVOKE(name, ...) do {				\
	struct eventhandler_list *_el;					\
	struct eventhandler_entry *_ep;					\
									\
	if ((_el = eventhandler_find_list(#name)) != NULL) {		\
		TAILQ_FOREACH(_ep, &_el->el_entries, ee_link)		\
			((struct eventhandler_entry_##name *)_ep)->eh_func(\
			    _ep->ee_arg, ## __VA_ARGS__);		\
	}								\
} while (0)

#define	EVENTHANDLER_DEFINE(name, func, arg, priority)			\
	static eventhandler_tag name##_##func##_tag;			\
	static void name##_##func##_evh_init(void *ctx)			\
	{								\
		name##_##func##_tag = EVENTHANDLER_REGISTER(name, func,	\
		    ctx, priority);					\
	}								\
	SYSINIT(name##_##func##_evh_init, SI_SUB_CONFIGURE,		\
	    SI_ORDER_ANY, name##_##func##_evh_init, arg);		\
	struct __hack

/* Some of the kernel's own events. */
typedef void (*shutdown_fn)(void *, int);
EVENTHANDLER_DECLARE(shutdown_pre_sync, shutdown_fn);
EVENTHANDLER_DECLARE(shutdown_post_sync, shutdown_fn);
EVENTHANDLER_DECLARE(shutdown_final, shutdown_fn);

typedef void (*exitlist_fn)(void *, struct proc *);
EVENTHANDLER_DECLARE(process_exit, exitlist_fn);

typedef void (*forklist_fn)(void *, struct proc *, struct proc *, int);
EVENTHANDLER_DECLARE(process_fork, forklist_fn);

typedef void (*vm_lowmem_handler_t)(void *, int);
EVENTHANDLER_DECLARE(vm_lowmem, vm_lowmem_handler_t);

#define	SHUTDOWN_PRI_FIRST	EVENTHANDLER_PRI_FIRST
#define	SHUTDOWN_PRI_DEFAULT	EVENTHANDLER_PRI_ANY
#define	SHUTDOWN_PRI_LAST	EVENTHANDLER_PRI_LAST

#endif /* !_SYS_EVENTHANDLER_H_ */
