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
 * The hosted flavour's machine-dependent layer, compiled like the kernel
 * sources (kernel headers, hosted_shim.h): every thread of the process
 * plays one CPU, with its own struct pcpu, DPCPU area and struct thread,
 * attached on the thread's first call into the kernel.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <net/vnet.h>

#define	HOSTED_MAXCPU		64
#define	HOSTED_DPCPU_SIZE	(2 * PAGE_SIZE)

/* hosted_rt.c */
void	*hosted_tls_get(void);
void	hosted_tls_set(void *);
void	hosted_cpu_lock(void);
void	hosted_cpu_unlock(void);

/* kern/subr_pcpu.c */
size_t	dpcpu_size(void);
void	pcpu_init(struct pcpu *pcpu, int cpuid, size_t size);
void	dpcpu_init(void *dpcpu, int cpuid);

struct pcpu	*hosted_pcpu_self(void) __pure2;
struct thread	*hosted_curthread(void);

static struct pcpu hosted_pcpu[HOSTED_MAXCPU];
static struct thread hosted_thread[HOSTED_MAXCPU];
static char hosted_dpcpu[HOSTED_MAXCPU][HOSTED_DPCPU_SIZE] __aligned(64);
static int hosted_ncpu;

static struct pcpu *
hosted_cpu_attach(void)
{
	struct pcpu *pc;
	int cpuid;

	hosted_cpu_lock();
	cpuid = hosted_ncpu++;
	if (cpuid >= HOSTED_MAXCPU || dpcpu_size() > HOSTED_DPCPU_SIZE)
		panic("hosted: cannot attach CPU %d", cpuid);
	pc = &hosted_pcpu[cpuid];
	pcpu_init(pc, cpuid, sizeof(*pc));
	dpcpu_init(hosted_dpcpu[cpuid], cpuid);
	pc->pc_curthread = &hosted_thread[cpuid];
	hosted_thread[cpuid].td_tid = 100000 + cpuid;
	hosted_cpu_unlock();
	hosted_tls_set(pc);
	return (pc);
}

struct pcpu *
hosted_pcpu_self(void)
{
	struct pcpu *pc;

	pc = hosted_tls_get();
	if (__predict_false(pc == NULL))
		pc = hosted_cpu_attach();
	/* Threads run in vnet0 once it exists, as if in a syscall. */
	if (__predict_false(pc->pc_curthread->td_vnet == NULL))
		pc->pc_curthread->td_vnet = vnet0;
	return (pc);
}

struct thread *
hosted_curthread(void)
{
	return (curthread);
}

int
copyin(const void *udaddr, void *kaddr, size_t len)
{
	if (udaddr == NULL && len != 0)
		return (EFAULT);
	memcpy(kaddr, udaddr, len);
	return (0);
}

int
copyout(const void *kaddr, void *udaddr, size_t len)
{
	if (udaddr == NULL && len != 0)
		return (EFAULT);
	memcpy(udaddr, kaddr, len);
	return (0);
}
