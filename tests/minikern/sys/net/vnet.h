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
 * Network stack virtualisation (VIMAGE).
 *
 * Virtualised globals are defined in the section "set_vnet" with names
 * prefixed "vnet_entry_"; the link-time copy is a template and each vnet
 * reaches its own copy at (vnet_data_base + &vnet_entry_<name>).  The
 * current vnet comes from the current thread.
 */
#ifndef _NET_VNET_H_
#define	_NET_VNET_H_

#include <sys/param.h>
#include <sys/queue.h>
#include <sys/proc.h>
#include <sys/kernel.h>

struct vnet {
	LIST_ENTRY(vnet)	vnet_le;
	u_int			vnet_magic_n;
	u_int			vnet_ifcnt;
	u_int			vnet_sockcnt;
	u_int			vnet_state;
	void			*vnet_data_mem;
	uintptr_t		vnet_data_base;
	bool			vnet_shutdown;
};
#define	VNET_MAGIC_N	0x5e4a6f28

extern struct vnet *vnet0;

#ifdef VIMAGE

#define	VNET_SETNAME		"set_vnet"
#define	VNET_SYMPREFIX		"vnet_entry_"
#define	VNET_NAME(n)		vnet_entry_##n

#define	VNET_DECLARE(t, n)	extern t VNET_NAME(n)
#define	VNET_DEFINE(t, n)						\
	struct _hack; t VNET_NAME(n) __section(VNET_SETNAME) __used
#define	VNET_DEFINE_STATIC(t, n)					\
	static t VNET_NAME(n) __section(VNET_SETNAME) __used

#define	curvnet			(curthread->td_vnet)

#define	_VNET_PTR(b, n)							\
	((__typeof(VNET_NAME(n)) *)((b) + (uintptr_t)&VNET_NAME(n)))
#define	_VNET(b, n)		(*_VNET_PTR(b, n))
#define	VNET_VNET_PTR(vnet, n)	_VNET_PTR((vnet)->vnet_data_base, n)
#define	VNET_VNET(vnet, n)	(*VNET_VNET_PTR((vnet), n))
#define	VNET_PTR(n)		VNET_VNET_PTR(curvnet, n)
#define	VNET(n)			VNET_VNET(curvnet, n)

#define	CURVNET_SET_QUIET(arg) do {					\
	struct vnet *saved_vnet = curvnet;				\
	curvnet = (arg)
#define	CURVNET_SET(arg)	CURVNET_SET_QUIET(arg)
#define	CURVNET_RESTORE()						\
	curvnet = saved_vnet;						\
} while (0)

void	vnet_register_sysinit(void *arg);
void	vnet_deregister_sysuninit(void *arg);

struct vnet_sysinit {
	enum sysinit_sub_id	subsystem;
	enum sysinit_elem_order	order;
	sysinit_cfunc_t		func;
	const void		*arg;
	TAILQ_ENTRY(vnet_sysinit) link;
};

#define	VNET_SYSINIT(ident, subsystem, order, func, arg)		\
	static struct vnet_sysinit ident##_vnet_init = {		\
		subsystem,						\
		order,							\
		(sysinit_cfunc_t)(sysinit_nfunc_t)func,			\
		(arg)							\
	};								\
	SYSINIT(vnet_init_##ident, subsystem, order,			\
	    vnet_register_sysinit, &ident##_vnet_init)

#else /* !VIMAGE */

#define	VNET_NAME(n)		n
#define	VNET_DECLARE(t, n)	extern t n
#define	VNET_DEFINE(t, n)	struct _hack; t n
#define	VNET_DEFINE_STATIC(t, n) static t n
#define	VNET(n)			(n)
#define	VNET_PTR(n)		(&(n))
#define	curvnet			NULL
#define	CURVNET_SET(arg)
#define	CURVNET_RESTORE()

#endif /* VIMAGE */

#endif /* !_NET_VNET_H_ */
