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
 * Per-CPU data: struct pcpu of every CPU and the dynamic per-CPU area
 * (DPCPU), a copy of the "set_pcpu" template for each CPU.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/linker_set.h>
#include <sys/pcpu.h>

struct pcpu	*cpuid_to_pcpu[MAXCPU];
uintptr_t	dpcpu_off[MAXCPU];
int		mp_ncpus;
int		mp_maxid;

extern char	__start_set_pcpu[], __stop_set_pcpu[];
__GLOBL(__start_set_pcpu);
__GLOBL(__stop_set_pcpu);

size_t	dpcpu_size(void);
void	pcpu_init(struct pcpu *pcpu, int cpuid, size_t size);
void	dpcpu_init(void *dpcpu, int cpuid);

size_t
dpcpu_size(void)
{
	return (__stop_set_pcpu - __start_set_pcpu);
}

void
pcpu_init(struct pcpu *pcpu, int cpuid, size_t size)
{
	bzero(pcpu, size);
	KASSERT(cpuid >= 0 && cpuid < MAXCPU,
	    ("pcpu_init: invalid cpuid %d", cpuid));
	pcpu->pc_cpuid = cpuid;
	pcpu->pc_prvspace = pcpu;
	cpuid_to_pcpu[cpuid] = pcpu;
	if (cpuid > mp_maxid)
		mp_maxid = cpuid;
	mp_ncpus++;
}

void
dpcpu_init(void *dpcpu, int cpuid)
{
	struct pcpu *pcpu;

	pcpu = cpuid_to_pcpu[cpuid];
	pcpu->pc_dynamic = (uintptr_t)dpcpu - (uintptr_t)__start_set_pcpu;
	memcpy(dpcpu, __start_set_pcpu, dpcpu_size());
	dpcpu_off[cpuid] = pcpu->pc_dynamic;
}
