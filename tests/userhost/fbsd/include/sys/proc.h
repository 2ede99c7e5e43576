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
 * sys/proc.h: processes and threads.  Every thread is a host thread; its
 * kernel stack is memory the personality allocated (td_kstack), and
 * td_pcb holds the frame it saved when it last left its CPU.
 */

#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/_fbsd.h>
#include <sys/queue.h>
#include <sys/lock.h>
#include <sys/sx.h>
#include <sys/pcpu.h>
#include <machine/frame.h>
#include <machine/pcb.h>

struct proc;

struct thread {
	struct proc	*td_proc;
	TAILQ_ENTRY(thread) td_plist;	/* all threads in the process */
	lwpid_t		td_tid;
	int		td_flags;
	int		td_pinned;	/* sched_pin() nesting */
	u_int		td_critnest;	/* critical_enter() nesting */
	u_char		td_oncpu;	/* CPU it runs on, NOCPU if none */
	u_char		td_lastcpu;
	u_char		td_bound;	/* the personality's home CPU */
	const char	*td_wmesg;	/* what it sleeps on */
	char		td_name[MAXCOMLEN + 1];
	struct pcb	*td_pcb;
	struct trapframe *td_intr_frame;
	vm_offset_t	td_kstack;
	int		td_kstack_pages;
	int		td_errno;
	void		*td_host;	/* personality: host thread state */
};

#define	TDF_IDLETD	0x00000020
#define	TDF_KTHREAD	0x00000040	/* personality: a kthread_add() one */

struct proc {
	LIST_ENTRY(proc) p_list;	/* allproc */
	TAILQ_HEAD(, thread) p_threads;
	pid_t		p_pid;
	int		p_flag;
	char		p_comm[MAXCOMLEN + 1];
};

#define	P_SYSTEM	0x00200
#define	P_KPROC		0x00004

#define	NOCPU		(0xff)

LIST_HEAD(proclist, proc);
extern struct proclist allproc;
extern struct sx allproc_lock;
extern struct proc proc0;
extern struct thread thread0;

#define	FOREACH_PROC_IN_SYSTEM(p)					\
	LIST_FOREACH((p), &allproc, p_list)
#define	FOREACH_THREAD_IN_PROC(p, td)					\
	TAILQ_FOREACH((td), &(p)->p_threads, td_plist)

void	critical_enter(void);
void	critical_exit(void);

#endif /* !_SYS_PROC_H_ */
