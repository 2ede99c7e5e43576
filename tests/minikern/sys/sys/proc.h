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
 * Threads, processes and credentials (only the members the cases use).
 */
#ifndef _SYS_PROC_H_
#define	_SYS_PROC_H_

#include <sys/param.h>
#include <sys/queue.h>
#include <sys/pcpu.h>
#include <sys/mutex.h>

struct vnet;
struct proc;

struct ucred {
	u_int		cr_ref;
	uid_t		cr_uid;
	uid_t		cr_ruid;
	uid_t		cr_svuid;
	int		cr_ngroups;
	gid_t		*cr_groups;
	struct prison	*cr_prison;
	u_int		cr_flags;
};

struct thread {
	struct proc	*td_proc;
	TAILQ_ENTRY(thread) td_plist;
	lwpid_t		td_tid;
	int		td_flags;
	int		td_errno;
	u_char		td_priority;
	struct ucred	*td_ucred;
	struct vnet	*td_vnet;
	const char	*td_vnet_lpush;
	int		td_critnest;
	char		td_name[MAXCOMLEN + 1];
	uintptr_t	td_retval[2];
};

struct proc {
	LIST_ENTRY(proc) p_list;
	struct mtx	p_mtx;
	TAILQ_HEAD(, thread) p_threads;
	struct ucred	*p_ucred;
	int		p_flag;
	pid_t		p_pid;
	int		p_numthreads;
	struct proc	*p_pptr;
	char		p_comm[MAXCOMLEN + 1];
};

#define	P_SYSTEM	0x00200
#define	P_TRACED	0x00800
#define	P_WEXIT		0x02000

#define	FIRST_THREAD_IN_PROC(p)	TAILQ_FIRST(&(p)->p_threads)

extern struct proc proc0;
extern struct thread thread0;

#define	PROC_LOCK(p)	mtx_lock(&(p)->p_mtx)
#define	PROC_UNLOCK(p)	mtx_unlock(&(p)->p_mtx)
struct proc *pfind(pid_t pid);

#endif /* !_SYS_PROC_H_ */
