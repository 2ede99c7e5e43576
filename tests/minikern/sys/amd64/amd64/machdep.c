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
 * amd64 machine-dependent startup: the boot processor's struct pcpu and
 * DPCPU area, the loader's environment, and the entry from locore.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <machine/cpufunc.h>

#define	MSR_GSBASE	0xc0000101
#define	DPCPU_BOOT_SIZE	(4 * PAGE_SIZE)

struct thread	thread0;
struct proc	proc0;

static struct pcpu __pcpu[1] __aligned(PAGE_SIZE);
static char dpcpu_boot[DPCPU_BOOT_SIZE] __aligned(PAGE_SIZE);

/* What the loader passed: "name=value" strings, an empty one last. */
static char static_env[] = "kern.hz=1000\0kern.mq.maxmsg=8\0";

void	pcpu_init(struct pcpu *pcpu, int cpuid, size_t size);
void	dpcpu_init(void *dpcpu, int cpuid);
size_t	dpcpu_size(void);
void	mi_startup(void);
void	btext(void) __dead2;
const char *bootenv_lookup(const char *name);

static __inline void
wrmsr(u_int msr, uint64_t newval)
{
	uint32_t low = newval, high = newval >> 32;

	__asm __volatile("wrmsr" : : "a" (low), "d" (high), "c" (msr));
}

const char *
bootenv_lookup(const char *name)
{
	const char *cp;
	size_t len;

	len = strlen(name);
	for (cp = static_env; *cp != '\0'; cp += strlen(cp) + 1)
		if (strncmp(cp, name, len) == 0 && cp[len] == '=')
			return (cp + len + 1);
	return (NULL);
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

void
kern_yield(int prio __unused)
{
	cpu_spinwait();
}

static void
hammer_time(void)
{
	struct pcpu *pc;

	pc = &__pcpu[0];
	pcpu_init(pc, 0, sizeof(struct pcpu));
	pc->pc_curthread = &thread0;
	thread0.td_proc = &proc0;
	wrmsr(MSR_GSBASE, (uint64_t)pc);
	if (dpcpu_size() > sizeof(dpcpu_boot))
		panic("%s:%d: DPCPU area too small (%zu)", __FILE__, __LINE__,
		    dpcpu_size());
	dpcpu_init(dpcpu_boot, 0);
}

void
btext(void)
{
	hammer_time();
	mi_startup();
	for (;;)
		halt();
}
