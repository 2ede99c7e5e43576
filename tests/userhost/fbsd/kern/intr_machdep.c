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
 * An interrupt that preempts a thread at a chosen instruction.
 *
 * The personality's threads are otherwise never preempted, so a thread
 * off its CPU is always in a sleeping primitive with a full frame chain.
 * FreeBSD's are preempted anywhere: ipi_bitmap_handler() (sys/x86/x86/
 * mp_x86.c) points td_intr_frame at the trap frame the IPI entry pushed
 * and calls sched_preempt(), which switches the thread out there; it
 * resumes, and returns to the interrupted instruction, when the scheduler
 * picks it again.
 *
 * Here a test arms an instruction address; a kernel thread that calls
 * fbsd_intr_step() is single-stepped (the trace flag, a host signal per
 * instruction) until it is about to execute that instruction.  The trap
 * there is the interrupt: its frame is filled from the thread's real
 * registers, td_intr_frame points at it, and the thread leaves its CPU
 * and sleeps inside the handler until the test releases it.  It then
 * takes its CPU back and returns to the instruction, which runs as if
 * nothing had happened.  One armed instruction at a time.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>

#include "fbsd_kern.h"

#define	INTR_PSL_T	0x00000100	/* trace flag */
#define	INTR_MAX_STEPS	100000		/* then the thread is let go */
#define	INTR_KCODE	0x20		/* GSEL(GCODE_SEL, SEL_KPL) */
#define	INTR_KDATA	0x28		/* GSEL(GDATA_SEL, SEL_KPL) */

static struct fbsd_host_lock *intr_lock;
static fbsd_host_uptr intr_pc;		/* armed: interrupt here */
static struct thread *intr_stepping;	/* single-stepped towards intr_pc */
static struct thread *intr_preempted;	/* stopped at intr_pc, off CPU */
static u_long intr_steps;
static int intr_release;
static int intr_missed;

/*
 * The trap after each instruction of the thread being stepped, in its
 * signal handler with the IPI masked.  Sleeping here is safe only because
 * the stop is at an instruction the test chose, where the thread holds no
 * host lock.
 */
static void
intr_trap(struct fbsd_host_regs *r)
{
	struct thread *td = curthread;
	struct trapframe frame, *oldframe;

	if (td == NULL || td != intr_stepping)
		panic("trap at %#lx: no single-step was asked for",
		    (u_long)r->rip);
	if (r->rip != intr_pc) {
		if (++intr_steps < INTR_MAX_STEPS)
			return;
		r->rflags &= ~(fbsd_host_uptr)INTR_PSL_T;
		fbsd_host_lock(intr_lock);
		intr_stepping = NULL;
		intr_missed = 1;
		fbsd_host_wakeup(intr_lock);
		fbsd_host_unlock(intr_lock);
		return;
	}
	r->rflags &= ~(fbsd_host_uptr)INTR_PSL_T;
	memset(&frame, 0, sizeof(frame));
	frame.tf_rdi = (register_t)r->rdi;
	frame.tf_rsi = (register_t)r->rsi;
	frame.tf_rdx = (register_t)r->rdx;
	frame.tf_rcx = (register_t)r->rcx;
	frame.tf_rax = (register_t)r->rax;
	frame.tf_rbx = (register_t)r->rbx;
	frame.tf_rbp = (register_t)r->rbp;
	frame.tf_rip = (register_t)r->rip;
	frame.tf_cs = INTR_KCODE;
	frame.tf_rflags = (register_t)r->rflags;
	frame.tf_rsp = (register_t)r->rsp;
	frame.tf_ss = INTR_KDATA;
	if (td->td_critnest != 0)
		panic("interrupt at %#lx: thread %d is in a critical section",
		    (u_long)r->rip, td->td_tid);

	oldframe = td->td_intr_frame;
	td->td_intr_frame = &frame;
	/*
	 * sched_preempt(): off the CPU, taking pending IPIs first.  The
	 * test is told only once the thread is off its CPU, so that what
	 * it checks is the walk of a thread that is not running.
	 */
	fbsd_host_intr_restore(1);
	fbsd_switch_out(td, "preempted");
	fbsd_host_lock(intr_lock);
	intr_stepping = NULL;
	intr_preempted = td;
	fbsd_host_wakeup(intr_lock);
	while (!intr_release)
		(void)fbsd_host_wait(intr_lock, 0);
	fbsd_host_unlock(intr_lock);
	fbsd_switch_in(td);
	(void)fbsd_host_intr_disable();
	td->td_intr_frame = oldframe;
	fbsd_host_lock(intr_lock);
	intr_preempted = NULL;
	intr_pc = 0;
	fbsd_host_wakeup(intr_lock);
	fbsd_host_unlock(intr_lock);
}

void
fbsd_intr_init(void)
{
	intr_lock = fbsd_host_lock_new();
	if (intr_lock == NULL)
		panic("fbsd_intr_init: out of memory");
	fbsd_host_trap_init(intr_trap);
}

int
fbsd_intr_arm(fbsd_host_uptr pc)
{
	int error;

	fbsd_host_lock(intr_lock);
	if (intr_pc != 0 || intr_stepping != NULL || intr_preempted != NULL)
		error = EBUSY;
	else {
		intr_pc = pc;
		intr_steps = 0;
		intr_release = 0;
		intr_missed = 0;
		error = 0;
	}
	fbsd_host_unlock(intr_lock);
	return (error);
}

void
fbsd_intr_step(void)
{
	struct thread *td = curthread;

	fbsd_host_lock(intr_lock);
	if (intr_pc == 0 || intr_stepping != NULL || intr_preempted != NULL) {
		fbsd_host_unlock(intr_lock);
		return;
	}
	intr_stepping = td;
	fbsd_host_unlock(intr_lock);
	fbsd_host_step();
}

int
fbsd_intr_wait(unsigned long long timeout_ns)
{
	unsigned long long end;
	int stopped;

	end = fbsd_host_uptime_ns() + timeout_ns;
	fbsd_host_lock(intr_lock);
	while (intr_preempted == NULL && !intr_missed &&
	    fbsd_host_uptime_ns() < end)
		(void)fbsd_host_wait(intr_lock, 1000000);
	stopped = intr_preempted != NULL;
	if (!stopped && intr_stepping == NULL)
		intr_pc = 0;	/* missed, or nobody came: disarmed */
	fbsd_host_unlock(intr_lock);
	return (stopped);
}

void
fbsd_intr_release(void)
{
	fbsd_host_lock(intr_lock);
	intr_release = 1;
	fbsd_host_wakeup(intr_lock);
	while (intr_preempted != NULL)
		(void)fbsd_host_wait(intr_lock, 0);
	fbsd_host_unlock(intr_lock);
}
