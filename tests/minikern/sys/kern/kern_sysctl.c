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
 * sysctl(9): the tree is built at boot from the "sysctl_set" linker set;
 * kernel_sysctlbyname() reads and writes leaves by their dotted name.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/mutex.h>
#include <sys/sysctl.h>

struct sysctl_oid sysctl__ = {
	.oid_name = "",
	.oid_kind = CTLTYPE_NODE,
};

SYSCTL_NODE(, 0, sysctl, CTLFLAG_RW, 0, "Sysctl internal magic");
SYSCTL_NODE(, 1, kern, CTLFLAG_RW, 0, "High kernel, proc, limits &c");
SYSCTL_NODE(, 4, net, CTLFLAG_RW, 0, "Network, (see socket.h)");
SYSCTL_NODE(, 5, debug, CTLFLAG_RW, 0, "Debugging");
SYSCTL_NODE(, 6, hw, CTLFLAG_RW, 0, "hardware");
SYSCTL_NODE(, OID_AUTO, dev, CTLFLAG_RW, 0, "Devices");

SET_DECLARE(sysctl_set, struct sysctl_oid);

static struct mtx sysctl_mtx;
static int sysctl_next_auto = 0x100;

static void
sysctl_register_oid(struct sysctl_oid *oidp)
{
	if (oidp->oid_number == OID_AUTO)
		oidp->oid_number = sysctl_next_auto++;
	SLIST_INSERT_HEAD(oidp->oid_parent, oidp, oid_link);
}

static void
sysctl_register_all(void *arg __unused)
{
	struct sysctl_oid **oidp;

	mtx_init(&sysctl_mtx, "sysctl", NULL, MTX_DEF);
	SET_FOREACH(oidp, sysctl_set)
		sysctl_register_oid(*oidp);
}
SYSINIT(sysctl, SI_SUB_KMEM, SI_ORDER_FIRST, sysctl_register_all, NULL);

/* Requests from inside the kernel: both buffers are kernel memory. */
static int
sysctl_old_kernel(struct sysctl_req *req, const void *p, size_t l)
{
	size_t i = 0;

	if (req->oldptr != NULL) {
		i = l;
		if (req->oldlen <= req->oldidx)
			i = 0;
		else if (i > req->oldlen - req->oldidx)
			i = req->oldlen - req->oldidx;
		if (i > 0)
			bcopy(p, (char *)req->oldptr + req->oldidx, i);
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
	bcopy((const char *)req->newptr + req->newidx, p, l);
	req->newidx += l;
	return (0);
}

int
sysctl_handle_int(SYSCTL_HANDLER_ARGS)
{
	int tmpout, error;

	if (arg1 != NULL)
		tmpout = *(int *)arg1;
	else
		tmpout = arg2;
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

	if (arg1 != NULL)
		tmpout = *(long *)arg1;
	else
		tmpout = arg2;
	error = SYSCTL_OUT(req, &tmpout, sizeof(long));
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (arg1 == NULL)
		return (EPERM);
	return (SYSCTL_IN(req, arg1, sizeof(long)));
}

int
sysctl_handle_64(SYSCTL_HANDLER_ARGS)
{
	uint64_t tmpout;
	int error;

	tmpout = *(uint64_t *)arg1;
	error = SYSCTL_OUT(req, &tmpout, sizeof(uint64_t));
	if (error != 0 || req->newptr == NULL)
		return (error);
	return (SYSCTL_IN(req, arg1, sizeof(uint64_t)));
}

static struct sysctl_oid *
sysctl_find(const char *name)
{
	struct sysctl_oid *oidp, *parent;
	const char *cp;
	size_t len;

	parent = &sysctl__;
	oidp = NULL;
	for (cp = name; *cp != '\0'; cp += len) {
		if (*cp == '.')
			cp++;
		for (len = 0; cp[len] != '\0' && cp[len] != '.'; len++)
			;
		if ((parent->oid_kind & CTLTYPE) != CTLTYPE_NODE)
			return (NULL);
		SLIST_FOREACH(oidp, &parent->oid_children, oid_link)
			if (strncmp(oidp->oid_name, cp, len) == 0 &&
			    oidp->oid_name[len] == '\0')
				break;
		if (oidp == NULL)
			return (NULL);
		parent = oidp;
	}
	return (oidp);
}

int	kernel_sysctlbyname(struct thread *td, const char *name, void *old,
	    size_t *oldlenp, const void *new, size_t newlen);

int
kernel_sysctlbyname(struct thread *td, const char *name, void *old,
    size_t *oldlenp, const void *new, size_t newlen)
{
	struct sysctl_oid *oidp;
	struct sysctl_req req;
	int error;

	oidp = sysctl_find(name);
	if (oidp == NULL || oidp->oid_handler == NULL)
		return (ENOENT);
	if (new != NULL && (oidp->oid_kind & CTLFLAG_WR) == 0)
		return (EPERM);
	bzero(&req, sizeof(req));
	req.td = td;
	req.oldptr = old;
	req.oldlen = oldlenp != NULL ? *oldlenp : 0;
	req.newptr = new;
	req.newlen = newlen;
	req.oldfunc = sysctl_old_kernel;
	req.newfunc = sysctl_new_kernel;
	mtx_lock(&sysctl_mtx);
	error = oidp->oid_handler(oidp, oidp->oid_arg1, oidp->oid_arg2, &req);
	mtx_unlock(&sysctl_mtx);
	if (oldlenp != NULL)
		*oldlenp = req.oldidx;
	return (error);
}
