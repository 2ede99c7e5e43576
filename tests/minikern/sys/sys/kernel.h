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
 * System initialisation (SYSINIT/SYSUNINIT) and tunables.
 *
 * A SYSINIT is a static "struct sysinit" named <uniquifier>_sys_init
 * plus a pointer to it in the linker set "sysinit_set"; the kernel sorts
 * the set by (subsystem, order) and calls every function once, at boot
 * for the kernel itself and at kldload for a module.
 */
#ifndef _SYS_KERNEL_H_
#define	_SYS_KERNEL_H_

#include <sys/linker_set.h>
#include <sys/queue.h>

enum sysinit_sub_id {
	SI_SUB_DUMMY		= 0x0000000,
	SI_SUB_DONE		= 0x0000001,
	SI_SUB_TUNABLES		= 0x0700000,
	SI_SUB_COPYRIGHT	= 0x0800001,
	SI_SUB_VM		= 0x1000000,
	SI_SUB_COUNTER		= 0x1100000,
	SI_SUB_KMEM		= 0x1800000,
	SI_SUB_HYPERVISOR	= 0x1A40000,
	SI_SUB_WITNESS		= 0x1A80000,
	SI_SUB_MTX_POOL_DYNAMIC	= 0x1AC0000,
	SI_SUB_LOCK		= 0x1B00000,
	SI_SUB_EVENTHANDLER	= 0x1C00000,
	SI_SUB_KLD		= 0x2000000,
	SI_SUB_CPU		= 0x2100000,
	SI_SUB_INTRINSIC	= 0x2E00000,
	SI_SUB_DRIVERS		= 0x3100000,
	SI_SUB_CONFIGURE	= 0x3800000,
	SI_SUB_VNET_PRELINK	= 0x1E00000,
	SI_SUB_PROTO_BEGIN	= 0x8000000,
	SI_SUB_PROTO_DOMAIN	= 0x8800000,
	SI_SUB_PSEUDO		= 0x7000000,
	SI_SUB_SYSCALLS		= 0x2F00000,
	SI_SUB_LAST		= 0xfffffff
};

enum sysinit_elem_order {
	SI_ORDER_FIRST		= 0x0000000,
	SI_ORDER_SECOND		= 0x0000001,
	SI_ORDER_THIRD		= 0x0000002,
	SI_ORDER_FOURTH		= 0x0000003,
	SI_ORDER_FIFTH		= 0x0000004,
	SI_ORDER_SIXTH		= 0x0000005,
	SI_ORDER_SEVENTH	= 0x0000006,
	SI_ORDER_EIGHTH		= 0x0000007,
	SI_ORDER_MIDDLE		= 0x1000000,
	SI_ORDER_ANY		= 0xfffffff
};

typedef void (*sysinit_nfunc_t)(void *);
typedef void (*sysinit_cfunc_t)(const void *);

struct sysinit {
	enum sysinit_sub_id	subsystem;
	enum sysinit_elem_order	order;
	STAILQ_ENTRY(sysinit)	next;
	sysinit_cfunc_t		func;
	const void		*udata;
};

#define	C_SYSINIT(uniquifier, subsystem, order, func, ident)		\
	static struct sysinit uniquifier ## _sys_init = {		\
		subsystem,						\
		order,							\
		{ NULL },						\
		func,							\
		(ident)							\
	};								\
	DATA_WSET(sysinit_set, uniquifier ## _sys_init)

#define	SYSINIT(uniquifier, subsystem, order, func, ident)		\
	C_SYSINIT(uniquifier, subsystem, order,				\
	    (sysinit_cfunc_t)(sysinit_nfunc_t)func, (void *)(ident))

#define	C_SYSUNINIT(uniquifier, subsystem, order, func, ident)		\
	static struct sysinit uniquifier ## _sys_uninit = {		\
		subsystem,						\
		order,							\
		{ NULL },						\
		func,							\
		(ident)							\
	};								\
	DATA_WSET(sysuninit_set, uniquifier ## _sys_uninit)

#define	SYSUNINIT(uniquifier, subsystem, order, func, ident)		\
	C_SYSUNINIT(uniquifier, subsystem, order,			\
	    (sysinit_cfunc_t)(sysinit_nfunc_t)func, (void *)(ident))

/*
 * Tunables: loader(8) environment values copied into variables early.
 * The generated names carry __LINE__, so they change when the macro
 * moves within the file even though nothing else does.
 */
struct tunable_int {
	const char	*path;
	int		*var;
};
void	tunable_int_init(void *);

struct tunable_ulong {
	const char	*path;
	unsigned long	*var;
};
void	tunable_ulong_init(void *);

#define	TUNABLE_INT(path, var)						\
	static struct tunable_int __CONCAT(__tunable_int_, __LINE__) = {\
		(path),							\
		(var),							\
	};								\
	SYSINIT(__CONCAT(__Tunable_init_, __LINE__),			\
	    SI_SUB_TUNABLES, SI_ORDER_MIDDLE, tunable_int_init,		\
	    &__CONCAT(__tunable_int_, __LINE__))

#define	TUNABLE_ULONG(path, var)					\
	static struct tunable_ulong __CONCAT(__tunable_ulong_, __LINE__) = {\
		(path),							\
		(var),							\
	};								\
	SYSINIT(__CONCAT(__Tunable_init_, __LINE__),			\
	    SI_SUB_TUNABLES, SI_ORDER_MIDDLE, tunable_ulong_init,	\
	    &__CONCAT(__tunable_ulong_, __LINE__))

int	getenv_int(const char *name, int *data);

#endif /* !_SYS_KERNEL_H_ */
