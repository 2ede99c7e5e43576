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
 * smp_rendezvous(9): every CPU runs setup, waits for the others, runs the
 * action, waits again, runs the teardown, all with interrupts disabled;
 * the caller returns when every CPU has left.  The initiating CPU takes
 * part; the others are reached by an IPI (kern_sched.c).  Rendezvous are
 * serialised by smp_ipi_mtx, which the initiator spins on with interrupts
 * enabled so that a rendezvous in progress can still reach it.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/smp.h>

#include <machine/atomic.h>
#include <machine/cpu.h>
#include <machine/cpufunc.h>

#include "fbsd_kern.h"

static volatile int smp_ipi_busy;
static void *volatile smp_rv_func_arg;
static void (*volatile smp_rv_setup_func)(void *);
static void (*volatile smp_rv_action_func)(void *);
static void (*volatile smp_rv_teardown_func)(void *);
static volatile u_int smp_rv_ncpus;
static volatile u_int smp_rv_waiters[4];

void
smp_no_rendezvous_barrier(void *dummy)
{
	(void)dummy;
	panic("smp_no_rendezvous_barrier called");
}

static void
rv_wait(volatile u_int *w)
{
	while (atomic_load_acq_int(w) < smp_rv_ncpus)
		cpu_spinwait();
}

void
smp_rendezvous_action(void)
{
	struct thread *td = curthread;
	void (*setup)(void *), (*action)(void *), (*teardown)(void *);
	void *arg;

	if (fbsd_intr_enabled())
		panic("smp_rendezvous_action with interrupts enabled");
	atomic_add_acq_int(&smp_rv_waiters[0], 1);
	rv_wait(&smp_rv_waiters[0]);
	arg = smp_rv_func_arg;
	setup = smp_rv_setup_func;
	action = smp_rv_action_func;
	teardown = smp_rv_teardown_func;
	td->td_critnest++;
	if (setup != smp_no_rendezvous_barrier) {
		if (setup != NULL)
			setup(arg);
		atomic_add_int(&smp_rv_waiters[1], 1);
		rv_wait(&smp_rv_waiters[1]);
	}
	if (action != NULL)
		action(arg);
	if (teardown != smp_no_rendezvous_barrier) {
		atomic_add_int(&smp_rv_waiters[2], 1);
		rv_wait(&smp_rv_waiters[2]);
		if (teardown != NULL)
			teardown(arg);
	}
	td->td_critnest--;
	atomic_add_rel_int(&smp_rv_waiters[3], 1);
}

void
smp_rendezvous(void (*setup)(void *), void (*action)(void *),
    void (*teardown)(void *), void *arg)
{
	struct thread *td = curthread;
	register_t s;
	u_int self;
	int i;

	if (td == NULL || td->td_oncpu == NOCPU)
		panic("smp_rendezvous: not called on a CPU");
	/* The lock: spin with interrupts on, as the others may need us. */
	while (!atomic_cmpset_acq_int((volatile u_int *)&smp_ipi_busy, 0, 1))
		cpu_spinwait();
	s = intr_disable();
	fbsd_counters.rendezvous++;
	self = td->td_oncpu;
	smp_rv_ncpus = (u_int)mp_ncpus;
	smp_rv_setup_func = setup;
	smp_rv_action_func = action;
	smp_rv_teardown_func = teardown;
	smp_rv_func_arg = arg;
	for (i = 0; i < 4; i++)
		smp_rv_waiters[i] = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	CPU_FOREACH(i) {
		if ((u_int)i != self)
			fbsd_ipi_cpu((u_int)i, smp_rendezvous_action);
	}
	smp_rendezvous_action();
	/* Nobody may still read the smp_rv_* variables after this. */
	rv_wait(&smp_rv_waiters[3]);
	intr_restore(s);
	atomic_store_rel_int((volatile u_int *)&smp_ipi_busy, 0);
}
