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
 * Kernel message queues.
 *
 * A queue holds at most mq_maxmsg messages of at most mq_msgsize bytes,
 * kept in priority order (highest first, FIFO within a priority).  Queues
 * are reference counted; the descriptor table holds one reference.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/refcount.h>
#include <sys/sdt.h>
#include <sys/mqueue.h>

static MALLOC_DEFINE(M_MQUEUE, "mqueue", "POSIX message queues");

SDT_PROVIDER_DEFINE(mqueue);
SDT_PROBE_DEFINE3(mqueue, , send, full, "struct mq *", "size_t", "u_int");
SDT_PROBE_DEFINE2(mqueue, , receive, done, "struct mq *", "size_t");

static struct mtx mq_table_mtx;
MTX_SYSINIT(mq_table, &mq_table_mtx, "mqueue table", MTX_DEF);

static struct mq *mq_table[MQ_MAXQUEUES];

struct mq *
mq_create(const char *name, int maxmsg, size_t msgsize)
{
	struct mq *mq;

	if (maxmsg <= 0)
		maxmsg = mq_default_maxmsg;
	if (msgsize == 0)
		msgsize = mq_default_msgsize;
	mq = malloc(sizeof(*mq), M_MQUEUE, M_WAITOK | M_ZERO);
	mtx_init(&mq->mq_mtx, "mqueue", NULL, MTX_DEF);
	TAILQ_INIT(&mq->mq_msgq);
	strlcpy(mq->mq_name, name, sizeof(mq->mq_name));
	mq->mq_maxmsg = maxmsg;
	mq->mq_msgsize = msgsize;
	refcount_init(&mq->mq_refcnt, 1);
	return (mq);
}

static void
mq_free(struct mq *mq)
{
	struct mq_msg *msg;

	while ((msg = TAILQ_FIRST(&mq->mq_msgq)) != NULL) {
		TAILQ_REMOVE(&mq->mq_msgq, msg, mm_link);
		free(msg, M_MQUEUE);
	}
	mtx_destroy(&mq->mq_mtx);
	free(mq, M_MQUEUE);
}

void
mq_rele(struct mq *mq)
{
	if (refcount_release(&mq->mq_refcnt))
		mq_free(mq);
}

/* Insert keeping the queue sorted by priority, FIFO among equals. */
static void
mq_insert(struct mq *mq, struct mq_msg *msg)
{
	struct mq_msg *m;

	TAILQ_FOREACH(m, &mq->mq_msgq, mm_link) {
		if (m->mm_prio < msg->mm_prio) {
			TAILQ_INSERT_BEFORE(m, msg, mm_link);
			return;
		}
	}
	TAILQ_INSERT_TAIL(&mq->mq_msgq, msg, mm_link);
}

int
mq_send(struct mq *mq, const void *buf, size_t len, u_int prio)
{
	struct mq_msg *msg;

	if (len > mq->mq_msgsize)
		return (EINVAL);
	if (prio >= MQ_PRIO_MAX)
		return (EINVAL);
	msg = malloc(sizeof(*msg) + len, M_MQUEUE, M_NOWAIT);
	if (msg == NULL)
		return (ENOMEM);
	msg->mm_size = len;
	msg->mm_prio = prio;
	memcpy(msg->mm_data, buf, len);

	mtx_lock(&mq->mq_mtx);
	if (mq->mq_curmsgs > mq->mq_maxmsg) {
		mtx_unlock(&mq->mq_mtx);
		SDT_PROBE3(mqueue, , send, full, mq, len, prio);
		free(msg, M_MQUEUE);
		return (EAGAIN);
	}
	mq_insert(mq, msg);
	mq->mq_curmsgs++;
	mq->mq_totalsent++;
	mtx_unlock(&mq->mq_mtx);
	return (0);
}

int
mq_receive(struct mq *mq, void *buf, size_t len, size_t *lenp, u_int *priop)
{
	struct mq_msg *msg;

	if (len < mq->mq_msgsize)
		return (EMSGSIZE);
	mtx_lock(&mq->mq_mtx);
	msg = TAILQ_FIRST(&mq->mq_msgq);
	if (msg == NULL) {
		mtx_unlock(&mq->mq_mtx);
		return (EAGAIN);
	}
	TAILQ_REMOVE(&mq->mq_msgq, msg, mm_link);
	KASSERT(mq->mq_curmsgs > 0, ("%s: mq %p count underflow", __func__,
	    mq));
	mq->mq_curmsgs--;
	mtx_unlock(&mq->mq_mtx);

	memcpy(buf, msg->mm_data, msg->mm_size);
	if (lenp != NULL)
		*lenp = msg->mm_size;
	if (priop != NULL)
		*priop = msg->mm_prio;
	SDT_PROBE2(mqueue, , receive, done, mq, msg->mm_size);
	free(msg, M_MQUEUE);
	return (0);
}

int
mq_getattr(struct mq *mq, struct mq_attr *attr)
{
	mtx_lock(&mq->mq_mtx);
	attr->mq_flags = 0;
	attr->mq_maxmsg = mq->mq_maxmsg;
	attr->mq_msgsize = mq->mq_msgsize;
	attr->mq_curmsgs = mq->mq_curmsgs;
	attr->mq_id = mq->mq_id;
	mtx_unlock(&mq->mq_mtx);
	return (0);
}

/*
 * Descriptor table.
 */
static struct mq *
mq_fget(int mqd)
{
	struct mq *mq;

	if (mqd < 0 || mqd >= MQ_MAXQUEUES)
		return (NULL);
	mtx_lock(&mq_table_mtx);
	mq = mq_table[mqd];
	if (mq != NULL)
		refcount_acquire(&mq->mq_refcnt);
	mtx_unlock(&mq_table_mtx);
	return (mq);
}

int
kmq_open(const char *name, int maxmsg, size_t msgsize, int *mqdp)
{
	struct mq *mq;
	int mqd;

	if (strnlen(name, MQ_NAMELEN) == MQ_NAMELEN)
		return (ENAMETOOLONG);
	mq = mq_create(name, maxmsg, msgsize);
	mtx_lock(&mq_table_mtx);
	for (mqd = 0; mqd < MQ_MAXQUEUES; mqd++)
		if (mq_table[mqd] == NULL)
			break;
	if (mqd == MQ_MAXQUEUES) {
		mtx_unlock(&mq_table_mtx);
		mq_rele(mq);
		return (EMFILE);
	}
	/* The queue's identity, as reported by kmq_getattr(). */
	mq->mq_id = mqd + 1;
	mq_table[mqd] = mq;
	mtx_unlock(&mq_table_mtx);
	*mqdp = mqd;
	return (0);
}

int
kmq_close(int mqd)
{
	struct mq *mq;

	if (mqd < 0 || mqd >= MQ_MAXQUEUES)
		return (EBADF);
	mtx_lock(&mq_table_mtx);
	mq = mq_table[mqd];
	mq_table[mqd] = NULL;
	mtx_unlock(&mq_table_mtx);
	if (mq == NULL)
		return (EBADF);
	mq_rele(mq);
	return (0);
}

int
kmq_getattr(int mqd, struct mq_attr *attr)
{
	struct mq *mq;
	int error;

	mq = mq_fget(mqd);
	if (mq == NULL)
		return (EBADF);
	error = mq_getattr(mq, attr);
	mq_rele(mq);
	return (error);
}

int
sys_kmq_timedsend(struct thread *td, struct kmq_timedsend_args *uap)
{
	char kbuf[256];
	struct mq *mq;
	int error;

	if (uap->msg_len > sizeof(kbuf))
		return (EMSGSIZE);
	error = copyin(uap->msg_ptr, kbuf, uap->msg_len);
	if (error != 0)
		return (error);
	mq = mq_fget(uap->mqd);
	error = mq_send(mq, kbuf, uap->msg_len, uap->msg_prio);
	mq_rele(mq);
	td->td_retval[0] = 0;
	return (error);
}

int
sys_kmq_timedreceive(struct thread *td, struct kmq_timedreceive_args *uap)
{
	char kbuf[256];
	struct mq *mq;
	size_t len;
	u_int prio;
	int error;

	mq = mq_fget(uap->mqd);
	if (mq == NULL)
		return (EBADF);
	error = mq_receive(mq, kbuf, MIN(uap->msg_len, sizeof(kbuf)), &len,
	    &prio);
	mq_rele(mq);
	if (error != 0)
		return (error);
	error = copyout(kbuf, uap->msg_ptr, len);
	if (error == 0 && uap->msg_prio != NULL)
		error = copyout(&prio, uap->msg_prio, sizeof(prio));
	if (error == 0)
		td->td_retval[0] = len;
	return (error);
}
