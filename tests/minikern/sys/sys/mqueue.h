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
 * Kernel message queues: named queues of prioritised messages, reached
 * from user space through descriptors (kmq_open, kmq_timedsend, ...).
 */
#ifndef _SYS_MQUEUE_H_
#define	_SYS_MQUEUE_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>

#define	MQ_NAMELEN	32		/* including the terminating NUL */
#define	MQ_MAXQUEUES	32		/* descriptors in the queue table */
#define	MQ_PRIO_MAX	32

struct mq_attr {
	long	mq_flags;
	long	mq_maxmsg;
	long	mq_msgsize;
	long	mq_curmsgs;
	long	mq_id;
};

struct mq_msg {
	TAILQ_ENTRY(mq_msg)	mm_link;
	size_t			mm_size;
	u_int			mm_prio;
	char			mm_data[];
};

struct mq {
	struct mtx		mq_mtx;
	TAILQ_HEAD(, mq_msg)	mq_msgq;
	char			mq_name[MQ_NAMELEN];
	int			mq_maxmsg;
	size_t			mq_msgsize;
	int			mq_curmsgs;
	volatile u_int		mq_refcnt;
	u_int			mq_id;
	uint64_t		mq_totalsent;
};

/* Defaults, from kern.mq.* (kern/subr_param.c). */
extern int	mq_default_maxmsg;
extern int	mq_default_msgsize;

struct thread;

struct mq	*mq_create(const char *name, int maxmsg, size_t msgsize);
void	mq_rele(struct mq *mq);
int	mq_send(struct mq *mq, const void *buf, size_t len, u_int prio);
int	mq_receive(struct mq *mq, void *buf, size_t len, size_t *lenp,
	    u_int *priop);
int	mq_getattr(struct mq *mq, struct mq_attr *attr);

int	kmq_open(const char *name, int maxmsg, size_t msgsize, int *mqdp);
int	kmq_close(int mqd);
int	kmq_getattr(int mqd, struct mq_attr *attr);

struct kmq_timedsend_args {
	int		mqd;
	const char	*msg_ptr;
	size_t		msg_len;
	unsigned	msg_prio;
};
int	sys_kmq_timedsend(struct thread *td, struct kmq_timedsend_args *uap);

struct kmq_timedreceive_args {
	int		mqd;
	char		*msg_ptr;
	size_t		msg_len;
	unsigned	*msg_prio;
};
int	sys_kmq_timedreceive(struct thread *td,
	    struct kmq_timedreceive_args *uap);

#endif /* !_SYS_MQUEUE_H_ */
