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
 * sys/sysctl.h: sysctl(9).  Static OIDs are entries of the linker set
 * sysctl_set: the kernel registers its own at boot, the kernel linker
 * those of every kld it loads (and removes them on unload).
 */

#ifndef _SYS_SYSCTL_H_
#define _SYS_SYSCTL_H_

#include <sys/_fbsd.h>
#include <sys/linker_set.h>
#include <sys/queue.h>

struct thread;
struct sysctl_req;
struct sysctl_oid;

#define	CTL_MAXNAME	24

#define	CTLTYPE		0xf
#define	CTLTYPE_NODE	1
#define	CTLTYPE_INT	2
#define	CTLTYPE_STRING	3
#define	CTLTYPE_S64	4
#define	CTLTYPE_OPAQUE	5
#define	CTLTYPE_UINT	6
#define	CTLTYPE_LONG	7
#define	CTLTYPE_ULONG	8
#define	CTLTYPE_U64	9

#define	CTLFLAG_RD	0x80000000
#define	CTLFLAG_WR	0x40000000
#define	CTLFLAG_RW	(CTLFLAG_RD | CTLFLAG_WR)
#define	CTLFLAG_DORMANT	0x20000000	/* registered, not yet enabled */
#define	CTLFLAG_ANYBODY	0x10000000
#define	CTLFLAG_SECURE	0x08000000
#define	CTLFLAG_PRISON	0x04000000
#define	CTLFLAG_DYN	0x02000000
#define	CTLFLAG_SKIP	0x01000000
#define	CTLMASK_SECURE	0x00F00000
#define	CTLFLAG_TUN	0x00080000
#define	CTLFLAG_RDTUN	(CTLFLAG_RD | CTLFLAG_TUN)
#define	CTLFLAG_MPSAFE	0x00040000
#define	CTLFLAG_NEEDGIANT 0x00000800

#define	OID_AUTO	(-1)
#define	CTL_AUTO_START	0x100

#define	SYSCTL_HANDLER_ARGS	struct sysctl_oid *oidp, void *arg1,	\
	intmax_t arg2, struct sysctl_req *req

struct sysctl_req {
	struct thread	*td;
	int		lock;
	void		*oldptr;
	size_t		oldlen;
	size_t		oldidx;
	int		(*oldfunc)(struct sysctl_req *, const void *, size_t);
	const void	*newptr;
	size_t		newlen;
	size_t		newidx;
	int		(*newfunc)(struct sysctl_req *, void *, size_t);
	size_t		validlen;
	int		flags;
};

struct sysctl_oid_list {
	struct sysctl_oid *slh_first;
};

struct sysctl_oid {
	struct sysctl_oid_list	oid_children;
	struct sysctl_oid_list	*oid_parent;
	struct sysctl_oid	*oid_link;	/* next sibling */
	int		oid_number;
	u_int		oid_kind;
	void		*oid_arg1;
	intmax_t	oid_arg2;
	const char	*oid_name;
	int		(*oid_handler)(SYSCTL_HANDLER_ARGS);
	const char	*oid_fmt;
	int		oid_refcnt;
	u_int		oid_running;
	const char	*oid_descr;
	const char	*oid_label;
};

#define	SYSCTL_IN(r, p, l)	((r)->newfunc)((r), (p), (l))
#define	SYSCTL_OUT(r, p, l)	((r)->oldfunc)((r), (p), (l))
#define	SYSCTL_OUT_STR(r, p)	((r)->oldfunc)((r), (p), strlen(p) + 1)

int	sysctl_handle_bool(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_int(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_long(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_64(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_string(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_opaque(SYSCTL_HANDLER_ARGS);

#define	SYSCTL_DECL(name)	extern struct sysctl_oid sysctl_##name
#define	SYSCTL_CHILDREN(oid_ptr)	(&(oid_ptr)->oid_children)
#define	SYSCTL_STATIC_CHILDREN(oid_name)	SYSCTL_CHILDREN(&sysctl_##oid_name)

#define	SYSCTL_OID_RAW(id, parent_list, nbr, name, kind, a1, a2, handler,\
	    fmt, descr)							\
	struct sysctl_oid id = {					\
		.oid_parent = (parent_list),				\
		.oid_number = (nbr),					\
		.oid_kind = (kind),					\
		.oid_arg1 = (a1),					\
		.oid_arg2 = (a2),					\
		.oid_name = (name),					\
		.oid_handler = (handler),				\
		.oid_fmt = (fmt),					\
		.oid_descr = (descr),					\
	};								\
	DATA_SET(sysctl_set, id)
#define	SYSCTL_OID(parent, nbr, name, kind, a1, a2, handler, fmt, descr)\
	static SYSCTL_OID_RAW(sysctl_##parent##_##name,			\
	    SYSCTL_CHILDREN(&sysctl_##parent), nbr, #name, kind, a1, a2,\
	    handler, fmt, descr)
#define	SYSCTL_OID_GLOBAL(parent, nbr, name, kind, a1, a2, handler, fmt,\
	    descr)							\
	SYSCTL_OID_RAW(sysctl_##parent##_##name,			\
	    SYSCTL_CHILDREN(&sysctl_##parent), nbr, #name, kind, a1, a2,\
	    handler, fmt, descr)

#define	SYSCTL_NODE(parent, nbr, name, access, handler, descr)		\
	SYSCTL_OID_GLOBAL(parent, nbr, name, CTLTYPE_NODE | (access),	\
	    NULL, 0, handler, "N", descr)
#define	SYSCTL_PROC(parent, nbr, name, access, ptr, arg, handler, fmt,	\
	    descr)							\
	SYSCTL_OID(parent, nbr, name, (access), ptr, arg, handler, fmt,	\
	    descr)
#define	SYSCTL_STRING(parent, nbr, name, access, arg, len, descr)	\
	SYSCTL_OID(parent, nbr, name, CTLTYPE_STRING | (access), arg,	\
	    len, sysctl_handle_string, "A", descr)
#define	SYSCTL_INT(parent, nbr, name, access, ptr, val, descr)		\
	SYSCTL_OID(parent, nbr, name, CTLTYPE_INT | CTLFLAG_MPSAFE |	\
	    (access), ptr, val, sysctl_handle_int, "I", descr)

SYSCTL_DECL(_kern);
SYSCTL_DECL(_debug);

void	sysctl_register_oid(struct sysctl_oid *oidp);
void	sysctl_register_disabled_oid(struct sysctl_oid *oidp);
void	sysctl_enable_oid(struct sysctl_oid *oidp);
void	sysctl_unregister_oid(struct sysctl_oid *oidp);
void	sysctl_wlock(void);
void	sysctl_wunlock(void);

int	kernel_sysctl(struct thread *td, int *name, u_int namelen, void *old,
	    size_t *oldlenp, void *new, size_t newlen, size_t *retval,
	    int flags);
int	kernel_sysctlbyname(struct thread *td, char *name, void *old,
	    size_t *oldlenp, void *new, size_t newlen, size_t *retval,
	    int flags);
int	userland_sysctl(struct thread *td, int *name, u_int namelen,
	    void *old, size_t *oldlenp, int inkernel, const void *new,
	    size_t newlen, size_t *retval, int flags);
int	sysctl_wire_old_buffer(struct sysctl_req *req, size_t len);

struct sbuf;
struct sbuf *sbuf_new_for_sysctl(struct sbuf *, char *, int,
	    struct sysctl_req *);

#endif /* !_SYS_SYSCTL_H_ */
