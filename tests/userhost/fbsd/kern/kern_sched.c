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
 * CPUs, threads and processes.
 *
 * mp_ncpus CPUs; each is a slot that one thread at a time owns.  Every
 * thread is a host thread with a home CPU (td_bound): it runs kernel code
 * only while it owns that CPU, and gives it up at a sleep point (sx or
 * mutex contention, pause, yield), after saving its frame in td_pcb as
 * cpu_switch() does: pcb_rip is the return address into the sleeping
 * primitive, pcb_rbp that primitive's frame.  Threads are not
 * preempted, except at an instruction a test arms (intr_machdep.c).  A
 * CPU nobody owns runs its idle thread, which is where IPIs to an idle
 * CPU are handled.
 *
 * IPIs go to the thread that owns the target CPU as a host signal, and
 * interrupt it wherever it is; a thread cannot leave its CPU with an IPI
 * pending.  intr_disable() masks the signal.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/kthread.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/smp.h>
#include <sys/sx.h>
#include <sys/time.h>

#include <machine/cpufunc.h>

#include "fbsd_kern.h"

#define	FBSD_KSTACK_PAGES	32	/* host signal frames and TLS need room */

struct cpu_state {
	struct fbsd_host_lock *lock;
	struct thread	*owner;		/* NULL: idle */
	int		waiters;	/* threads waiting for the CPU */
	int		ipi_pending;	/* sent to owner, not yet taken */
	int		idle_runs;	/* IPIs for the idle thread */
};

struct td_host {
	fbsd_host_uptr	hostid;
	void		(*fn)(void *);
	void		*arg;
	void		*stack;		/* mapped by us, or NULL (adopted) */
	size_t		stacksize;
	int		depth;		/* fbsd_enter nesting */
	volatile int	exited;
	struct pcb	pcb;
};

struct pcpu __pcpu[MAXCPU];
int mp_ncpus = 1;
int mp_maxid;
volatile int smp_started;
int hz = 1000;
int ticks;
struct fbsd_counters fbsd_counters;

struct proclist allproc = LIST_HEAD_INITIALIZER(allproc);
struct sx allproc_lock;
struct proc proc0;
struct thread thread0;
static struct td_host thread0_host;

static struct cpu_state cpus[MAXCPU];
static struct fbsd_host_lock *proc_lock;	/* thread lists, tids */
static lwpid_t next_tid = 100000;
static pid_t next_pid = 1;
static u_int next_cpu;
void (*fbsd_ipi_func)(void);

struct thread *
__curthread(void)
{
	return (fbsd_host_curthread());
}

u_int
__curcpu(void)
{
	struct thread *td = curthread;

	if (td == NULL || td->td_oncpu == NOCPU)
		panic("curcpu: thread %d is not on a CPU", td != NULL ?
		    td->td_tid : -1);
	return (td->td_oncpu);
}

register_t
intr_disable(void)
{
	return (fbsd_host_intr_disable() ? PSL_I : 0);
}

void
intr_restore(register_t rflags)
{
	fbsd_host_intr_restore((rflags & PSL_I) != 0);
}

void
disable_intr(void)
{
	(void)fbsd_host_intr_disable();
}

void
enable_intr(void)
{
	fbsd_host_intr_restore(1);
}

int
fbsd_intr_enabled(void)
{
	int e;

	e = fbsd_host_intr_disable();
	fbsd_host_intr_restore(e);
	return (e);
}

void
critical_enter(void)
{
	curthread->td_critnest++;
}

void
critical_exit(void)
{
	struct thread *td = curthread;

	if (td->td_critnest == 0)
		panic("critical_exit: not in a critical section");
	td->td_critnest--;
}

/*
 * Leave the CPU.  noinline: its return address and its caller's frame
 * are what the pcb records, and the caller's frame stays live while the
 * thread is off the CPU.
 */
__noinline void
fbsd_switch_out(struct thread *td, const char *wmesg)
{
	struct cpu_state *c;
	struct pcb *pcb;
	int s;

	if (td->td_oncpu == NOCPU)
		panic("switch: thread %d is not on a CPU", td->td_tid);
	if (td->td_critnest != 0)
		panic("switch: thread %d sleeps on %s in a critical section",
		    td->td_tid, wmesg);
	s = fbsd_host_intr_disable();
	if (!s)
		panic("switch: thread %d sleeps on %s with interrupts "
		    "disabled", td->td_tid, wmesg);
	pcb = td->td_pcb;
	pcb->pcb_rip = (register_t)__builtin_return_address(0);
	pcb->pcb_rbp = *(register_t *)__builtin_frame_address(0);
	pcb->pcb_rsp = (register_t)__builtin_frame_address(0) + 16;
	c = &cpus[td->td_oncpu];
	fbsd_host_lock(c->lock);
	while (c->ipi_pending) {
		/* Take the IPI here, on the CPU it was meant for. */
		fbsd_host_unlock(c->lock);
		fbsd_host_intr_restore(1);
		fbsd_host_yield();
		(void)fbsd_host_intr_disable();
		fbsd_host_lock(c->lock);
	}
	if (c->owner != td)
		panic("switch: CPU %u is owned by another thread",
		    td->td_oncpu);
	c->owner = NULL;
	__pcpu[td->td_oncpu].pc_curthread =
	    __pcpu[td->td_oncpu].pc_idlethread;
	td->td_lastcpu = td->td_oncpu;
	td->td_wmesg = wmesg;
	__atomic_store_n(&td->td_oncpu, NOCPU, __ATOMIC_RELEASE);
	fbsd_counters.switches++;
	if (c->waiters != 0)
		fbsd_host_wakeup(c->lock);
	fbsd_host_unlock(c->lock);
	fbsd_host_intr_restore(1);
}

void
fbsd_switch_in(struct thread *td)
{
	struct cpu_state *c;
	int s;

	if (td->td_oncpu != NOCPU)
		panic("switch_in: thread %d is on CPU %u", td->td_tid,
		    td->td_oncpu);
	c = &cpus[td->td_bound];
	s = fbsd_host_intr_disable();
	fbsd_host_lock(c->lock);
	while (c->owner != NULL) {
		c->waiters++;
		(void)fbsd_host_wait(c->lock, 0);
		c->waiters--;
	}
	c->owner = td;
	__pcpu[td->td_bound].pc_curthread = td;
	td->td_wmesg = NULL;
	__atomic_store_n(&td->td_oncpu, td->td_bound, __ATOMIC_RELEASE);
	fbsd_host_unlock(c->lock);
	fbsd_host_intr_restore(s);
}

/* Deliver an IPI to cpu: its owner takes a signal, an idle CPU wakes. */
void
fbsd_ipi_cpu(u_int cpu, void (*fn)(void))
{
	struct cpu_state *c = &cpus[cpu];
	struct td_host *h;
	struct thread *idle;

	fbsd_ipi_func = fn;
	idle = __pcpu[cpu].pc_idlethread;
	fbsd_host_lock(c->lock);
	if (c->owner == NULL || c->owner == idle) {
		c->owner = idle;
		__pcpu[cpu].pc_curthread = idle;
		c->idle_runs++;
		fbsd_counters.idle_ipis++;
		fbsd_host_wakeup(c->lock);
	} else {
		c->ipi_pending = 1;
		h = c->owner->td_host;
		fbsd_counters.ipis++;
		if (fbsd_host_ipi_send(h->hostid) != 0)
			panic("IPI to CPU %u (thread %d) failed", cpu,
			    c->owner->td_tid);
	}
	fbsd_host_unlock(c->lock);
}

/* The IPI signal, on the thread that owns the CPU. */
static void
ipi_handler(fbsd_host_uptr pc, fbsd_host_uptr sp, fbsd_host_uptr fp)
{
	struct thread *td = curthread;
	struct cpu_state *c;

	(void)pc;
	(void)sp;
	(void)fp;
	if (td == NULL || td->td_oncpu == NOCPU)
		panic("IPI on a thread that owns no CPU");
	c = &cpus[td->td_oncpu];
	fbsd_host_lock(c->lock);
	if (!c->ipi_pending) {
		fbsd_host_unlock(c->lock);
		return;
	}
	c->ipi_pending = 0;
	fbsd_host_unlock(c->lock);
	fbsd_ipi_func();
}

static void
idle_loop(void *arg)
{
	struct thread *td = arg;
	struct cpu_state *c = &cpus[td->td_bound];

	fbsd_host_set_curthread(td);
	(void)fbsd_host_intr_disable();	/* woken, never interrupted */
	fbsd_host_lock(c->lock);
	for (;;) {
		while (c->idle_runs == 0)
			(void)fbsd_host_wait(c->lock, 0);
		c->idle_runs--;
		fbsd_host_unlock(c->lock);
		fbsd_ipi_func();
		fbsd_host_lock(c->lock);
		if (c->idle_runs == 0 && c->owner == td) {
			c->owner = NULL;
			fbsd_host_wakeup(c->lock);
		}
	}
}

struct proc *
fbsd_proc_alloc(const char *comm, int flags)
{
	struct proc *p;

	p = fbsd_host_alloc(sizeof(*p));
	if (p == NULL)
		panic("proc_alloc: out of memory");
	TAILQ_INIT(&p->p_threads);
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
	p->p_flag = flags;
	sx_xlock(&allproc_lock);
	p->p_pid = next_pid++;
	LIST_INSERT_HEAD(&allproc, p, p_list);
	sx_xunlock(&allproc_lock);
	return (p);
}

static void
thread_link(struct proc *p, struct thread *td)
{
	int s;

	s = fbsd_host_intr_disable();
	fbsd_host_lock(proc_lock);
	td->td_tid = next_tid++;
	td->td_proc = p;
	TAILQ_INSERT_TAIL(&p->p_threads, td, td_plist);
	fbsd_host_unlock(proc_lock);
	fbsd_host_intr_restore(s);
}

static void
thread_unlink(struct thread *td)
{
	int s;

	s = fbsd_host_intr_disable();
	fbsd_host_lock(proc_lock);
	TAILQ_REMOVE(&td->td_proc->p_threads, td, td_plist);
	fbsd_host_unlock(proc_lock);
	fbsd_host_intr_restore(s);
}

static struct thread *
fbsd_thread_new(const char *name, int pages)
{
	struct thread *td;
	struct td_host *h;

	td = fbsd_host_alloc(sizeof(*td));
	h = fbsd_host_alloc(sizeof(*h));
	if (td == NULL || h == NULL)
		panic("thread_alloc: out of memory");
	td->td_host = h;
	td->td_pcb = &h->pcb;
	td->td_oncpu = NOCPU;
	td->td_lastcpu = NOCPU;
	strlcpy(td->td_name, name, sizeof(td->td_name));
	if (pages > 0) {
		h->stacksize = (size_t)pages * PAGE_SIZE;
		h->stack = fbsd_host_map(h->stacksize);
		if (h->stack == NULL)
			panic("thread_alloc: no kernel stack");
		td->td_kstack = (vm_offset_t)h->stack;
		td->td_kstack_pages = pages;
	}
	return (td);
}

struct thread *
fbsd_thread_alloc(struct proc *p, const char *name, int pages)
{
	struct thread *td;

	td = fbsd_thread_new(name, pages);
	thread_link(p, td);
	return (td);
}

void
fbsd_thread_free(struct thread *td)
{
	struct td_host *h = td->td_host;

	if (h->stack != NULL)
		fbsd_host_unmap(h->stack, h->stacksize);
	fbsd_host_free(h);
	fbsd_host_free(td);
}

static void
kthread_start(void *arg)
{
	struct thread *td = arg;
	struct td_host *h = td->td_host;

	fbsd_host_set_curthread(td);
	fbsd_switch_in(td);
	h->fn(h->arg);
	kthread_exit();
}

int
kthread_add(void (*func)(void *), void *arg, struct proc *p,
    struct thread **newtdp, int flags, int pages, const char *fmt, ...)
{
	struct thread *td;
	struct td_host *h;
	char name[MAXCOMLEN + 1];
	va_list ap;
	int error;

	(void)flags;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (p == NULL)
		p = &proc0;
	td = fbsd_thread_alloc(p, name, pages > 0 ? pages :
	    FBSD_KSTACK_PAGES);
	td->td_flags |= TDF_KTHREAD;
	td->td_bound = (u_char)(__atomic_fetch_add(&next_cpu, 1,
	    __ATOMIC_RELAXED) % (u_int)mp_ncpus);
	h = td->td_host;
	h->fn = func;
	h->arg = arg;
	error = fbsd_host_thread_start(h->stack, h->stacksize, kthread_start,
	    td, &h->hostid);
	if (error != 0) {
		thread_unlink(td);
		fbsd_thread_free(td);
		return (ENOMEM);
	}
	if (newtdp != NULL)
		*newtdp = td;
	return (0);
}

void
kthread_exit(void)
{
	struct thread *td = curthread;
	struct td_host *h = td->td_host;

	thread_unlink(td);
	fbsd_switch_out(td, "exited");
	__atomic_store_n(&h->exited, 1, __ATOMIC_RELEASE);
	fbsd_host_set_curthread(NULL);
	fbsd_host_thread_exit();
}

/* For tests: wait until a kthread_add() thread has exited, and free it. */
int fbsd_kthread_join(struct thread *td);
int
fbsd_kthread_join(struct thread *td)
{
	struct td_host *h = td->td_host;
	int error;

	error = fbsd_host_thread_join(h->hostid);
	if (error == 0)
		fbsd_thread_free(td);
	return (error);
}

int
pause(const char *wmesg, int timo)
{
	struct thread *td = curthread;
	unsigned long long ns;

	if (timo < 0)
		panic("pause: timeout must be >= 0");
	if (timo == 0)
		timo = 1;
	ns = (unsigned long long)timo * (1000000000ull / (unsigned)hz);
	if (td == NULL || td->td_oncpu == NOCPU) {
		fbsd_host_sleep_ns(ns);
		return (EWOULDBLOCK);
	}
	fbsd_switch_out(td, wmesg);
	fbsd_host_sleep_ns(ns);
	fbsd_switch_in(td);
	return (EWOULDBLOCK);
}

void
kern_yield(int prio)
{
	struct thread *td = curthread;

	(void)prio;
	fbsd_switch_out(td, "yield");
	fbsd_host_yield();
	fbsd_switch_in(td);
}

void
maybe_yield(void)
{
	struct thread *td = curthread;

	if (__atomic_load_n(&cpus[td->td_oncpu].waiters, __ATOMIC_RELAXED) != 0)
		kern_yield(PRI_USER);
}

struct thread *
fbsd_enter(const char *comm)
{
	struct thread *td;
	struct td_host *h;
	fbsd_host_uptr lo;
	fbsd_host_size size;

	td = curthread;
	if (td == NULL) {
		/* On the CPU first: the process and thread lists change. */
		td = fbsd_thread_new(comm, 0);
		h = td->td_host;
		fbsd_host_thread_stack(&lo, &size);
		td->td_kstack = lo;
		td->td_kstack_pages = (int)(size / PAGE_SIZE);
		h->hostid = fbsd_host_thread_self();
		td->td_bound = (u_char)(__atomic_fetch_add(&next_cpu, 1,
		    __ATOMIC_RELAXED) % (u_int)mp_ncpus);
		fbsd_host_set_curthread(td);
		h->depth = 1;
		fbsd_switch_in(td);
		thread_link(fbsd_proc_alloc(comm, 0), td);
		return (td);
	}
	h = td->td_host;
	if (h->depth++ == 0)
		fbsd_switch_in(td);
	return (td);
}

void
fbsd_leave(void)
{
	struct thread *td = curthread;
	struct td_host *h = td->td_host;

	if (h->depth <= 0)
		panic("fbsd_leave: not in the kernel");
	if (--h->depth == 0)
		fbsd_switch_out(td, "user");
}

void
fbsd_thread_forget(void)
{
	struct thread *td = curthread;

	if (td == NULL)
		return;
	if (td->td_oncpu == NOCPU)
		fbsd_switch_in(td);
	thread_unlink(td);
	fbsd_switch_out(td, "exit");
	fbsd_host_set_curthread(NULL);
	if (td != &thread0)
		fbsd_thread_free(td);
}

void
fbsd_cpus_init(int ncpus)
{
	struct proc *idleproc;
	struct thread *td;
	fbsd_host_uptr lo;
	fbsd_host_size size;
	int i;

	if (ncpus < 1 || ncpus > MAXCPU)
		panic("fbsd_cpus_init: %d CPUs", ncpus);
	mp_ncpus = ncpus;
	mp_maxid = ncpus - 1;
	proc_lock = fbsd_host_lock_new();
	sx_init(&allproc_lock, "allproc");
	for (i = 0; i < ncpus; i++) {
		cpus[i].lock = fbsd_host_lock_new();
		__pcpu[i].pc_cpuid = (u_int)i;
		__pcpu[i].pc_host = &cpus[i];
	}
	fbsd_host_ipi_init(ipi_handler);
	fbsd_intr_init();

	/* proc0 and thread0: the booting host thread, on CPU 0. */
	TAILQ_INIT(&proc0.p_threads);
	strlcpy(proc0.p_comm, "kernel", sizeof(proc0.p_comm));
	proc0.p_flag = P_SYSTEM | P_KPROC;
	LIST_INSERT_HEAD(&allproc, &proc0, p_list);
	thread0.td_host = &thread0_host;
	thread0.td_pcb = &thread0_host.pcb;
	thread0.td_oncpu = NOCPU;
	thread0.td_lastcpu = NOCPU;
	strlcpy(thread0.td_name, "thread0", sizeof(thread0.td_name));
	fbsd_host_thread_stack(&lo, &size);
	thread0.td_kstack = lo;
	thread0.td_kstack_pages = (int)(size / PAGE_SIZE);
	thread0_host.hostid = fbsd_host_thread_self();
	thread_link(&proc0, &thread0);
	fbsd_host_set_curthread(&thread0);
	thread0_host.depth = 1;
	next_cpu = 1;
	fbsd_switch_in(&thread0);

	/* One idle thread per CPU, as FreeBSD's idle process has. */
	idleproc = fbsd_proc_alloc("idle", P_SYSTEM | P_KPROC);
	for (i = 0; i < ncpus; i++) {
		td = fbsd_thread_alloc(idleproc, "idle", FBSD_KSTACK_PAGES);
		snprintf(td->td_name, sizeof(td->td_name), "idle: cpu%d", i);
		td->td_flags |= TDF_IDLETD;
		td->td_bound = (u_char)i;
		td->td_oncpu = (u_char)i;	/* always, see idle_loop */
		__pcpu[i].pc_idlethread = td;
		if (fbsd_host_thread_start(((struct td_host *)td->td_host)->stack,
		    ((struct td_host *)td->td_host)->stacksize, idle_loop, td,
		    &((struct td_host *)td->td_host)->hostid) != 0)
			panic("cannot start the idle thread of CPU %d", i);
	}
	smp_started = 1;
}

volatile time_t time_uptime;

void
nanouptime(struct timespec *ts)
{
	unsigned long long ns = fbsd_host_uptime_ns();

	ts->tv_sec = (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

void
getnanouptime(struct timespec *ts)
{
	nanouptime(ts);
}
