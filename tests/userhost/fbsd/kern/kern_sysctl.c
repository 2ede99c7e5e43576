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
 * sysctl(9): the OID tree, static OIDs registered from linker sets, the
 * request semantics of sysctl_old_kernel/user (a short old buffer gets
 * what fits and ENOMEM; the length needed is returned either way), and the
 * standard handlers.  Handlers run with the tree locked shared and the OID
 * marked running; unregistering waits for them, as FreeBSD does for OIDs
 * that are being removed.  A handler without CTLFLAG_MPSAFE runs with
 * Giant held.  Writes are not checked for privilege (the callers here are
 * root).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sx.h>
#include <sys/sysctl.h>

#include "fbsd_kern.h"

static MALLOC_DEFINE(M_SYSCTLTMP, "sysctltmp", "sysctl temp output buffer");

/* The root and the top-level nodes the personality's users need. */
struct sysctl_oid sysctl_;		/* the root, SYSCTL_CHILDREN(&sysctl_) */
SYSCTL_NODE(, OID_AUTO, kern, CTLFLAG_RW, 0, "High kernel, proc, limits &c");
SYSCTL_NODE(, OID_AUTO, debug, CTLFLAG_RW, 0, "Debugging");

static struct sx sysctllock;
static int sysctl_ready;

void
sysctl_wlock(void)
{
	sx_xlock(&sysctllock);
}

void
sysctl_wunlock(void)
{
	sx_xunlock(&sysctllock);
}

static void
sysctl_lock_init(void)
{
	if (!sysctl_ready) {
		sx_init(&sysctllock, "sysctl lock");
		sysctl_ready = 1;
	}
}

static struct sysctl_oid *
oid_find(struct sysctl_oid_list *l, const char *name, size_t len)
{
	struct sysctl_oid *o;

	for (o = l->slh_first; o != NULL; o = o->oid_link)
		if (strncmp(o->oid_name, name, len) == 0 &&
		    o->oid_name[len] == '\0')
			return (o);
	return (NULL);
}

static void
register_oid(struct sysctl_oid *oidp, int dormant)
{
	struct sysctl_oid_list *parent = oidp->oid_parent;
	struct sysctl_oid *p, **pp;
	int n;

	sysctl_lock_init();
	sx_xlock(&sysctllock);
	p = oid_find(parent, oidp->oid_name, strlen(oidp->oid_name));
	if (p != NULL) {
		if ((p->oid_kind & CTLTYPE) == CTLTYPE_NODE &&
		    (oidp->oid_kind & CTLTYPE) == CTLTYPE_NODE &&
		    p == oidp) {
			p->oid_refcnt++;
			sx_xunlock(&sysctllock);
			return;
		}
		printf("can't re-use a leaf (%s)!\n", p->oid_name);
		sx_xunlock(&sysctllock);
		return;
	}
	if (oidp->oid_number == OID_AUTO) {
		n = CTL_AUTO_START;
		for (p = parent->slh_first; p != NULL; p = p->oid_link)
			if (p->oid_number >= n)
				n = p->oid_number + 1;
		oidp->oid_number = n;
	}
	oidp->oid_refcnt = 1;
	oidp->oid_running = 0;
	if (dormant)
		oidp->oid_kind |= CTLFLAG_DORMANT;
	/* Sorted by number, as FreeBSD keeps them. */
	for (pp = &parent->slh_first; *pp != NULL; pp = &(*pp)->oid_link)
		if ((*pp)->oid_number > oidp->oid_number)
			break;
	oidp->oid_link = *pp;
	*pp = oidp;
	sx_xunlock(&sysctllock);
}

void
sysctl_register_oid(struct sysctl_oid *oidp)
{
	register_oid(oidp, 0);
}

void
sysctl_register_disabled_oid(struct sysctl_oid *oidp)
{
	register_oid(oidp, 1);
}

void
sysctl_enable_oid(struct sysctl_oid *oidp)
{
	sx_xlock(&sysctllock);
	oidp->oid_kind &= ~CTLFLAG_DORMANT;
	sx_xunlock(&sysctllock);
}

void
sysctl_unregister_oid(struct sysctl_oid *oidp)
{
	struct sysctl_oid **pp;

	sx_xlock(&sysctllock);
	while (__atomic_load_n(&oidp->oid_running, __ATOMIC_ACQUIRE) != 0) {
		sx_xunlock(&sysctllock);
		pause("oidrm", 1);
		sx_xlock(&sysctllock);
	}
	if (--oidp->oid_refcnt > 0) {
		sx_xunlock(&sysctllock);
		return;
	}
	for (pp = &oidp->oid_parent->slh_first; *pp != NULL;
	    pp = &(*pp)->oid_link)
		if (*pp == oidp) {
			*pp = oidp->oid_link;
			break;
		}
	if (oidp->oid_children.slh_first != NULL &&
	    (oidp->oid_kind & CTLTYPE) == CTLTYPE_NODE)
		printf("sysctl: unregistering node %s with children\n",
		    oidp->oid_name);
	sx_xunlock(&sysctllock);
}

/* "a.b.c" to its OID, dormant ones excluded.  Tree locked shared. */
static int
name2oid(const char *name, struct sysctl_oid **oidpp)
{
	struct sysctl_oid_list *l = SYSCTL_CHILDREN(&sysctl_);
	struct sysctl_oid *o;
	const char *p, *dot;
	size_t len;

	o = NULL;
	for (p = name; ; p = dot + 1) {
		dot = strchr(p, '.');
		len = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (len == 0)
			return (ENOENT);
		o = oid_find(l, p, len);
		if (o == NULL || (o->oid_kind & CTLFLAG_DORMANT) != 0)
			return (ENOENT);
		if (dot == NULL)
			break;
		if ((o->oid_kind & CTLTYPE) != CTLTYPE_NODE ||
		    o->oid_handler != NULL)
			return (ENOENT);
		l = SYSCTL_CHILDREN(o);
	}
	*oidpp = o;
	return (0);
}

static int
sysctl_old_kernel(struct sysctl_req *req, const void *p, size_t l)
{
	size_t i = 0;

	if (req->oldptr != NULL) {
		i = req->oldlen > req->oldidx ? req->oldlen - req->oldidx : 0;
		if (i > l)
			i = l;
		if (i > 0)
			memcpy((char *)req->oldptr + req->oldidx, p, i);
	}
	req->oldidx += l;
	if (req->oldptr != NULL && i != l)
		return (ENOMEM);
	return (0);
}

static int
sysctl_new_kernel(struct sysctl_req *req, void *p, size_t l)
{
	if (req->newptr == NULL)
		return (0);
	if (req->newlen - req->newidx < l)
		return (EINVAL);
	memcpy(p, (const char *)req->newptr + req->newidx, l);
	req->newidx += l;
	return (0);
}

/* The "user" side: the same address space, through copyout/copyin. */
static int
sysctl_old_user(struct sysctl_req *req, const void *p, size_t l)
{
	size_t i;

	if (req->oldptr == NULL) {
		req->oldidx += l;
		return (0);
	}
	i = req->validlen > req->oldidx ? req->validlen - req->oldidx : 0;
	if (i > l)
		i = l;
	if (i > 0)
		memcpy((char *)req->oldptr + req->oldidx, p, i);
	req->oldidx += l;
	if (i < l)
		return (ENOMEM);
	return (0);
}

static int
sysctl_root(struct sysctl_oid *oid, struct sysctl_req *req)
{
	int error;

	if ((oid->oid_kind & CTLTYPE) == CTLTYPE_NODE &&
	    oid->oid_handler == NULL)
		return (EISDIR);
	if (req->newptr != NULL && (oid->oid_kind & CTLFLAG_WR) == 0)
		return (EPERM);
	if (oid->oid_handler == NULL)
		return (EINVAL);
	__atomic_fetch_add(&oid->oid_running, 1, __ATOMIC_ACQ_REL);
	sx_sunlock(&sysctllock);
	if ((oid->oid_kind & CTLFLAG_MPSAFE) == 0)
		mtx_lock(&Giant);
	error = oid->oid_handler(oid, oid->oid_arg1, oid->oid_arg2, req);
	if ((oid->oid_kind & CTLFLAG_MPSAFE) == 0)
		mtx_unlock(&Giant);
	sx_slock(&sysctllock);
	__atomic_fetch_sub(&oid->oid_running, 1, __ATOMIC_ACQ_REL);
	return (error);
}

static int
sysctl_byname(struct thread *td, const char *name, struct sysctl_req *req)
{
	struct sysctl_oid *oid;
	int error;

	req->td = td;
	sysctl_lock_init();
	sx_slock(&sysctllock);
	error = name2oid(name, &oid);
	if (error == 0)
		error = sysctl_root(oid, req);
	sx_sunlock(&sysctllock);
	return (error);
}

int
kernel_sysctlbyname(struct thread *td, char *name, void *old, size_t *oldlenp,
    void *new, size_t newlen, size_t *retval, int flags)
{
	struct sysctl_req req;
	int error;

	memset(&req, 0, sizeof(req));
	req.flags = flags;
	if (oldlenp != NULL)
		req.oldlen = *oldlenp;
	req.validlen = req.oldlen;
	req.oldptr = old;
	req.newptr = new;
	req.newlen = newlen;
	req.oldfunc = sysctl_old_kernel;
	req.newfunc = sysctl_new_kernel;
	error = sysctl_byname(td, name, &req);
	if (error != 0 && error != ENOMEM)
		return (error);
	if (retval != NULL) {
		if (req.oldptr != NULL && req.oldidx > req.validlen)
			*retval = req.validlen;
		else
			*retval = req.oldidx;
	}
	return (error);
}

/*
 * __sysctlbyname(2) (FreeBSD 13): the name is resolved in the kernel; on
 * ENOMEM the caller's length becomes what was copied.
 */
int fbsd_sys_sysctlbyname(struct thread *td, const char *name, void *old,
    size_t *oldlenp, const void *new, size_t newlen);
int
fbsd_sys_sysctlbyname(struct thread *td, const char *name, void *old,
    size_t *oldlenp, const void *new, size_t newlen)
{
	struct sysctl_req req;
	size_t j;
	int error;

	if (strlen(name) >= MAXPATHLEN)
		return (ENAMETOOLONG);
	memset(&req, 0, sizeof(req));
	if (oldlenp != NULL)
		req.oldlen = *oldlenp;
	req.validlen = req.oldlen;
	req.oldptr = old;
	req.newptr = new;
	req.newlen = newlen;
	req.oldfunc = sysctl_old_user;
	req.newfunc = sysctl_new_kernel;
	error = sysctl_byname(td, name, &req);
	if (error != 0 && error != ENOMEM)
		return (error);
	if (req.oldptr != NULL && req.oldidx > req.validlen)
		j = req.validlen;
	else
		j = req.oldidx;
	if (oldlenp != NULL)
		*oldlenp = j;
	return (error);
}

int
sysctl_wire_old_buffer(struct sysctl_req *req, size_t len)
{
	(void)req;
	(void)len;
	return (0);
}

int
sysctl_handle_int(SYSCTL_HANDLER_ARGS)
{
	int tmpout, error;

	(void)oidp;
	tmpout = arg1 != NULL ? *(int *)arg1 : (int)arg2;
	error = SYSCTL_OUT(req, &tmpout, sizeof(int));
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (arg1 == NULL)
		return (EPERM);
	return (SYSCTL_IN(req, arg1, sizeof(int)));
}

int
sysctl_handle_long(SYSCTL_HANDLER_ARGS)
{
	long tmpout;
	int error;

	(void)oidp;
	tmpout = arg1 != NULL ? *(long *)arg1 : (long)arg2;
	error = SYSCTL_OUT(req, &tmpout, sizeof(long));
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (arg1 == NULL)
		return (EPERM);
	return (SYSCTL_IN(req, arg1, sizeof(long)));
}

/*
 * A read-only string (or arg2 0) is returned as it is; a writable one is
 * copied first.  A new value must leave room for its NUL in arg2 bytes.
 */
int
sysctl_handle_string(SYSCTL_HANDLER_ARGS)
{
	size_t outlen, newlen;
	char *tmp;
	int error, ro;

	ro = (oidp->oid_kind & (CTLFLAG_WR | CTLFLAG_TUN)) == 0 || arg2 == 0;
	if (ro)
		arg2 = (intmax_t)strlen((char *)arg1) + 1;
	if (req->oldptr != NULL) {
		if (ro)
			error = SYSCTL_OUT(req, arg1, strlen(arg1) + 1);
		else {
			tmp = malloc((size_t)arg2, M_SYSCTLTMP, M_WAITOK);
			memcpy(tmp, arg1, (size_t)arg2);
			outlen = strlen(tmp) + 1;
			error = SYSCTL_OUT(req, tmp, outlen);
			free(tmp, M_SYSCTLTMP);
		}
	} else
		error = SYSCTL_OUT(req, NULL, strlen((char *)arg1) + 1);
	if (error != 0 || req->newptr == NULL)
		return (error);
	newlen = req->newlen - req->newidx;
	if (newlen >= (size_t)arg2)
		return (EINVAL);
	if (newlen == 0) {
		((char *)arg1)[0] = '\0';
		return (0);
	}
	tmp = malloc(newlen, M_SYSCTLTMP, M_WAITOK);
	error = SYSCTL_IN(req, tmp, newlen);
	if (error == 0) {
		memcpy(arg1, tmp, newlen);
		((char *)arg1)[newlen] = '\0';
	}
	free(tmp, M_SYSCTLTMP);
	return (error);
}

int
sysctl_handle_opaque(SYSCTL_HANDLER_ARGS)
{
	int error;

	(void)oidp;
	error = SYSCTL_OUT(req, arg1, (size_t)arg2);
	if (error != 0 || req->newptr == NULL)
		return (error);
	return (SYSCTL_IN(req, arg1, (size_t)arg2));
}

/* kern.osreldate and kern.build_id, which livepatch.ko and its tool read. */
static int osreldate = __FreeBSD_version;
SYSCTL_INT(_kern, OID_AUTO, osreldate, CTLFLAG_RD, &osreldate, 0,
    "Kernel release date");

char fbsd_build_id_hex[2 * 64 + 1];

static int
sysctl_kern_build_id(SYSCTL_HANDLER_ARGS)
{
	(void)arg1;
	(void)arg2;
	return (sysctl_handle_string(oidp, fbsd_build_id_hex, 0, req));
}
SYSCTL_PROC(_kern, OID_AUTO, build_id,
    CTLTYPE_STRING | CTLFLAG_RD | CTLFLAG_MPSAFE, NULL, 0,
    sysctl_kern_build_id, "A", "Operating system build-id");

/* Boot: register the kernel's own static OIDs. */
SET_DECLARE(sysctl_set, struct sysctl_oid);
void fbsd_sysctl_boot(void);
void
fbsd_sysctl_boot(void)
{
	struct sysctl_oid **oidp;

	sysctl_lock_init();
	SET_FOREACH(oidp, sysctl_set)
		sysctl_register_oid(*oidp);
}
