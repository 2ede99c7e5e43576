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
 * sysctl(9): the kernel's tree of named variables.
 *
 * A leaf or node is a "struct sysctl_oid" named sysctl__<parent>_<name>
 * (so sysctl___kern_foo for kern.foo, as the root's parent is empty) and
 * a pointer to it in the linker set "sysctl_set".  Leaves are static;
 * nodes are global so that other files can hang leaves under them.
 */
#ifndef _SYS_SYSCTL_H_
#define	_SYS_SYSCTL_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/linker_set.h>

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
#define	CTLTYPE_STRUCT	CTLTYPE_OPAQUE
#define	CTLTYPE_UINT	6
#define	CTLTYPE_LONG	7
#define	CTLTYPE_ULONG	8
#define	CTLTYPE_U64	9

#define	CTLFLAG_RD	0x80000000
#define	CTLFLAG_WR	0x40000000
#define	CTLFLAG_RW	(CTLFLAG_RD | CTLFLAG_WR)
#define	CTLFLAG_DORMANT	0x20000000
#define	CTLFLAG_ANYBODY	0x10000000
#define	CTLFLAG_SECURE	0x08000000
#define	CTLFLAG_PRISON	0x04000000
#define	CTLFLAG_DYN	0x02000000
#define	CTLFLAG_SKIP	0x01000000
#define	CTLFLAG_TUN	0x00080000
#define	CTLFLAG_RDTUN	(CTLFLAG_RD | CTLFLAG_TUN)
#define	CTLFLAG_RWTUN	(CTLFLAG_RW | CTLFLAG_TUN)
#define	CTLFLAG_MPSAFE	0x00040000
#define	CTLFLAG_VNET	0x00020000
#define	CTLFLAG_STATS	0x00002000
#define	CTLFLAG_NOFETCH	0x00001000
#define	CTLFLAG_CAPRD	0x00008000
#define	CTLFLAG_CAPWR	0x00004000
#define	CTLFLAG_NEEDGIANT 0x00000800

#define	OID_AUTO	(-1)

#define	SYSCTL_HANDLER_ARGS						\
	struct sysctl_oid *oidp, void *arg1, intmax_t arg2,		\
	struct sysctl_req *req

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

SLIST_HEAD(sysctl_oid_list, sysctl_oid);

struct sysctl_oid {
	struct sysctl_oid_list	oid_children;
	struct sysctl_oid_list	*oid_parent;
	SLIST_ENTRY(sysctl_oid)	oid_link;
	int			oid_number;
	u_int			oid_kind;
	void			*oid_arg1;
	intmax_t		oid_arg2;
	const char		*oid_name;
	int			(*oid_handler)(SYSCTL_HANDLER_ARGS);
	const char		*oid_fmt;
	int			oid_refcnt;
	u_int			oid_running;
	const char		*oid_descr;
	const char		*oid_label;
};

#define	SYSCTL_IN(r, p, l)	(r->newfunc)(r, p, l)
#define	SYSCTL_OUT(r, p, l)	(r->oldfunc)(r, p, l)
#define	SYSCTL_OUT_STR(r, p)	(r->oldfunc)(r, p, strlen(p) + 1)

int	sysctl_handle_bool(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_8(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_16(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_32(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_64(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_int(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_long(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_string(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_opaque(SYSCTL_HANDLER_ARGS);
int	sysctl_handle_counter_u64(SYSCTL_HANDLER_ARGS);
int	sysctl_wire_old_buffer(struct sysctl_req *req, size_t len);

#ifndef NO_SYSCTL_DESCR
#define	__DESCR(d)	d
#else
#define	__DESCR(d)	""
#endif

#define	SYSCTL_DECL(name)	extern struct sysctl_oid sysctl__##name
#define	SYSCTL_CHILDREN(oid_ptr)	(&(oid_ptr)->oid_children)
#define	SYSCTL_STATIC_CHILDREN(oid_name) SYSCTL_CHILDREN(&sysctl__##oid_name)

/* The object itself plus its registration in the linker set. */
#define	SYSCTL_OID_RAW(id, parent_child_head, nbr, name, kind, a1, a2,	\
	    handler, fmt, descr, label)					\
	struct sysctl_oid id = {					\
		.oid_parent = (parent_child_head),			\
		.oid_children = { NULL },				\
		.oid_number = (nbr),					\
		.oid_kind = (kind),					\
		.oid_arg1 = (a1),					\
		.oid_arg2 = (a2),					\
		.oid_name = (name),					\
		.oid_handler = (handler),				\
		.oid_fmt = (fmt),					\
		.oid_descr = __DESCR(descr),				\
		.oid_label = (label),					\
	};								\
	DATA_SET(sysctl_set, id)

/* Leaves are file-local. */
#define	SYSCTL_OID_WITH_LABEL(parent, nbr, name, kind, a1, a2, handler,	\
	    fmt, descr, label)						\
	static SYSCTL_OID_RAW(sysctl__##parent##_##name,		\
	    SYSCTL_CHILDREN(&sysctl__##parent), nbr, #name, kind, a1, a2, \
	    handler, fmt, descr, label)
#define	SYSCTL_OID(parent, nbr, name, kind, a1, a2, handler, fmt, descr) \
	SYSCTL_OID_WITH_LABEL(parent, nbr, name, kind, a1, a2, handler,	\
	    fmt, descr, NULL)

/* Nodes have external linkage unless the caller writes "static". */
#define	SYSCTL_OID_GLOBAL(parent, nbr, name, kind, a1, a2, handler,	\
	    fmt, descr, label)						\
	SYSCTL_OID_RAW(sysctl__##parent##_##name,			\
	    SYSCTL_CHILDREN(&sysctl__##parent), nbr, #name, kind, a1, a2, \
	    handler, fmt, descr, label)

#define	SYSCTL_NODE(parent, nbr, name, access, handler, descr)		\
	SYSCTL_OID_GLOBAL(parent, nbr, name, CTLTYPE_NODE | (access),	\
	    NULL, 0, handler, "N", descr, NULL)

#define	SYSCTL_INT(parent, nbr, name, access, ptr, val, descr)		\
	SYSCTL_OID(parent, nbr, name,					\
	    CTLTYPE_INT | CTLFLAG_MPSAFE | (access),			\
	    ptr, val, sysctl_handle_int, "I", descr)
#define	SYSCTL_UINT(parent, nbr, name, access, ptr, val, descr)		\
	SYSCTL_OID(parent, nbr, name,					\
	    CTLTYPE_UINT | CTLFLAG_MPSAFE | (access),			\
	    ptr, val, sysctl_handle_int, "IU", descr)
#define	SYSCTL_LONG(parent, nbr, name, access, ptr, val, descr)		\
	SYSCTL_OID(parent, nbr, name,					\
	    CTLTYPE_LONG | CTLFLAG_MPSAFE | (access),			\
	    ptr, val, sysctl_handle_long, "L", descr)
#define	SYSCTL_ULONG(parent, nbr, name, access, ptr, val, descr)	\
	SYSCTL_OID(parent, nbr, name,					\
	    CTLTYPE_ULONG | CTLFLAG_MPSAFE | (access),			\
	    ptr, val, sysctl_handle_long, "LU", descr)
#define	SYSCTL_U64(parent, nbr, name, access, ptr, val, descr)		\
	SYSCTL_OID(parent, nbr, name,					\
	    CTLTYPE_U64 | CTLFLAG_MPSAFE | (access),			\
	    ptr, val, sysctl_handle_64, "QU", descr)
#define	SYSCTL_BOOL(parent, nbr, name, access, ptr, val, descr)		\
	SYSCTL_OID(parent, nbr, name,					\
	    CTLTYPE_U8 | CTLFLAG_MPSAFE | (access),			\
	    ptr, val, sysctl_handle_bool, "CU", descr)
#define	SYSCTL_STRING(parent, nbr, name, access, arg, len, descr)	\
	SYSCTL_OID(parent, nbr, name,					\
	    CTLTYPE_STRING | CTLFLAG_MPSAFE | (access),			\
	    arg, len, sysctl_handle_string, "A", descr)
#define	SYSCTL_COUNTER_U64(parent, nbr, name, access, ptr, descr)	\
	SYSCTL_OID(parent, nbr, name,					\
	    CTLTYPE_U64 | CTLFLAG_MPSAFE | CTLFLAG_STATS | (access),	\
	    (ptr), 0, sysctl_handle_counter_u64, "QU", descr)
#define	SYSCTL_PROC(parent, nbr, name, access, ptr, arg, handler, fmt,	\
	    descr)							\
	SYSCTL_OID(parent, nbr, name, (access), ptr, arg, handler, fmt,	\
	    descr)

#define	CTLTYPE_U8	0xe

/* Dynamic OIDs, added at run time (for example per device instance). */
struct sysctl_ctx_entry {
	struct sysctl_oid	*entry;
	TAILQ_ENTRY(sysctl_ctx_entry) link;
};
TAILQ_HEAD(sysctl_ctx_list, sysctl_ctx_entry);

int	sysctl_ctx_init(struct sysctl_ctx_list *clist);
int	sysctl_ctx_free(struct sysctl_ctx_list *clist);
struct sysctl_oid *sysctl_add_oid(struct sysctl_ctx_list *clist,
	    struct sysctl_oid_list *parent, int nbr, const char *name, int kind,
	    void *arg1, intmax_t arg2, int (*handler)(SYSCTL_HANDLER_ARGS),
	    const char *fmt, const char *descr, const char *label);

#define	SYSCTL_ADD_NODE(ctx, parent, nbr, name, access, handler, descr)	\
	sysctl_add_oid(ctx, parent, nbr, name, CTLTYPE_NODE | (access),	\
	    NULL, 0, handler, "N", __DESCR(descr), NULL)
#define	SYSCTL_ADD_INT(ctx, parent, nbr, name, access, ptr, val, descr)	\
	sysctl_add_oid(ctx, parent, nbr, name,				\
	    CTLTYPE_INT | CTLFLAG_MPSAFE | (access), ptr, val,		\
	    sysctl_handle_int, "I", __DESCR(descr), NULL)
#define	SYSCTL_ADD_U64(ctx, parent, nbr, name, access, ptr, val, descr)	\
	sysctl_add_oid(ctx, parent, nbr, name,				\
	    CTLTYPE_U64 | CTLFLAG_MPSAFE | (access), ptr, val,		\
	    sysctl_handle_64, "QU", __DESCR(descr), NULL)

/* The top-level nodes, defined in kern_sysctl.c. */
SYSCTL_DECL(_kern);
SYSCTL_DECL(_vm);
SYSCTL_DECL(_vfs);
SYSCTL_DECL(_net);
SYSCTL_DECL(_debug);
SYSCTL_DECL(_hw);
SYSCTL_DECL(_dev);
SYSCTL_DECL(_machdep);
SYSCTL_DECL(_security);
SYSCTL_DECL(_net_inet);
SYSCTL_DECL(_kern_ipc);

#endif /* !_SYS_SYSCTL_H_ */
