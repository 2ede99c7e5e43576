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

/* sys/kernel.h: SYSINIT/SYSUNINIT and the global clock variables. */

#ifndef _SYS_KERNEL_H_
#define _SYS_KERNEL_H_

#include <sys/_fbsd.h>
#include <sys/linker_set.h>

extern int hz;
extern int ticks;

/* The subsystems the personality's users name; values are FreeBSD's. */
enum sysinit_sub_id {
	SI_SUB_DUMMY		= 0x0000000,
	SI_SUB_DONE		= 0x0000001,
	SI_SUB_TUNABLES		= 0x0700000,
	SI_SUB_KMEM		= 0x1800000,
	SI_SUB_LOCK		= 0x1b00000,
	SI_SUB_KLD		= 0x2000000,
	SI_SUB_CPU		= 0x2100000,
	SI_SUB_SYSCTLS		= 0x2800000,
	SI_SUB_DRIVERS		= 0x3100000,
	SI_SUB_CONFIGURE	= 0x3800000,
	SI_SUB_SMP		= 0xf000000,
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
	sysinit_cfunc_t		func;
	const void		*udata;
};

#define	C_SYSINIT(uniq, sub, order, fn, ident)				\
	static struct sysinit __CONCAT(uniq, _sys_init) = {		\
		sub, order, fn, (ident)					\
	};								\
	DATA_WSET(sysinit_set, __CONCAT(uniq, _sys_init))
#define	SYSINIT(uniq, sub, order, fn, ident)				\
	C_SYSINIT(uniq, sub, order,					\
	    (sysinit_cfunc_t)(sysinit_nfunc_t)(fn), (void *)(ident))
#define	C_SYSUNINIT(uniq, sub, order, fn, ident)			\
	static struct sysinit __CONCAT(uniq, _sys_uninit) = {		\
		sub, order, fn, (ident)					\
	};								\
	DATA_WSET(sysuninit_set, __CONCAT(uniq, _sys_uninit))
#define	SYSUNINIT(uniq, sub, order, fn, ident)				\
	C_SYSUNINIT(uniq, sub, order,					\
	    (sysinit_cfunc_t)(sysinit_nfunc_t)(fn), (void *)(ident))

#endif /* !_SYS_KERNEL_H_ */
