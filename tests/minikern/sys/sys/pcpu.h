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
 * Per-CPU data.
 *
 * Every CPU has a "struct pcpu" addressed through %gs.  Dynamic per-CPU
 * variables (DPCPU) are defined in the section "set_pcpu" with names
 * prefixed "pcpu_entry_"; the link-time copy is a template, and each CPU
 * reads its own copy at (pc_dynamic + &pcpu_entry_<name>).
 */
#ifndef _SYS_PCPU_H_
#define	_SYS_PCPU_H_

#include <sys/cdefs.h>
#include <sys/types.h>

struct thread;
struct pcb;

struct pcpu {
	struct thread	*pc_curthread;		/* offset 0: curthread */
	struct thread	*pc_idlethread;
	struct thread	*pc_fpcurthread;
	struct thread	*pc_deadthread;
	struct pcb	*pc_curpcb;
	void		*pc_sched;
	uint64_t	pc_switchtime;
	int		pc_switchticks;
	u_int		pc_cpuid;
	uintptr_t	pc_dynamic;		/* DPCPU base for this CPU */
	uint64_t	pc_early_dummy_counter;	/* for EARLY_COUNTER */
	uintptr_t	pc_zpcpu_offset;
	struct pcpu	*pc_prvspace;		/* self pointer */
	uint32_t	pc_pad[32];
} __aligned(64);


#define	__pcpu_offset(name)	__offsetof(struct pcpu, name)

#ifdef MINIKERN_HOSTED
/*
 * Hosted flavour (a Linux process): every thread plays one CPU and finds
 * its struct pcpu through an ordinary call instead of %gs.
 */
struct pcpu	*hosted_pcpu_self(void) __pure2;
#define	__PCPU_GET(name)	(hosted_pcpu_self()->name)
#define	__PCPU_ADD(name, val)	(hosted_pcpu_self()->name += (val))
#define	PCPU_GET(member)	__PCPU_GET(pc_ ## member)
#define	PCPU_ADD(member, val)	__PCPU_ADD(pc_ ## member, val)
#define	PCPU_PTR(member)	(&hosted_pcpu_self()->pc_ ## member)
#define	curthread		(hosted_pcpu_self()->pc_curthread)
#else /* !MINIKERN_HOSTED */

/* Read a member of this CPU's struct pcpu with one %gs-relative load. */
#define	__PCPU_GET(name) __extension__ ({				\
	union {								\
		__typeof(((struct pcpu *)0)->name) r;			\
		uint64_t q;						\
		uint32_t l;						\
	} __u;								\
	_Static_assert(sizeof(__u.r) == 8 || sizeof(__u.r) == 4,	\
	    "unsupported pcpu member size");				\
	if (sizeof(__u.r) == 8)						\
		__asm __volatile("movq %%gs:%c1,%0"			\
		    : "=r" (__u.q) : "i" (__pcpu_offset(name)));	\
	else								\
		__asm __volatile("movl %%gs:%c1,%0"			\
		    : "=r" (__u.l) : "i" (__pcpu_offset(name)));	\
	__u.r;								\
})

#define	__PCPU_ADD(name, val) do {					\
	_Static_assert(sizeof(((struct pcpu *)0)->name) == 8,		\
	    "unsupported pcpu member size");				\
	__asm __volatile("addq %1,%%gs:%c0"				\
	    : : "i" (__pcpu_offset(name)), "r" ((uint64_t)(val))	\
	    : "memory", "cc");						\
} while (0)

#define	PCPU_GET(member)	__PCPU_GET(pc_ ## member)
#define	PCPU_ADD(member, val)	__PCPU_ADD(pc_ ## member, val)
#define	PCPU_PTR(member)	(&PCPU_GET(prvspace)->pc_ ## member)

static __inline __pure2 struct thread *
__curthread(void)
{
	struct thread *td;

	__asm("movq %%gs:%c1,%0" : "=r" (td)
	    : "i" (__pcpu_offset(pc_curthread)));
	return (td);
}
#define	curthread		(__curthread())
#endif /* MINIKERN_HOSTED */
#define	curcpu			PCPU_GET(cpuid)

extern struct pcpu *cpuid_to_pcpu[];
extern int mp_ncpus;
extern int mp_maxid;

/* Dynamic per-CPU data. */
#define	DPCPU_SETNAME		"set_pcpu"
#define	DPCPU_SYMPREFIX		"pcpu_entry_"
#define	DPCPU_NAME(n)		pcpu_entry_##n

#define	DPCPU_DECLARE(t, n)	extern t DPCPU_NAME(n)
#define	DPCPU_DEFINE(t, n)						\
	struct _hack; t DPCPU_NAME(n) __section(DPCPU_SETNAME) __used
#define	DPCPU_DEFINE_STATIC(t, n)					\
	static t DPCPU_NAME(n) __section(DPCPU_SETNAME) __used

#define	_DPCPU_PTR(b, n)						\
	((__typeof(DPCPU_NAME(n)) *)((b) + (uintptr_t)&DPCPU_NAME(n)))
#define	_DPCPU_GET(b, n)	(*_DPCPU_PTR(b, n))
#define	_DPCPU_SET(b, n, v)	(*_DPCPU_PTR(b, n) = v)

#define	DPCPU_PTR(n)		_DPCPU_PTR(PCPU_GET(dynamic), n)
#define	DPCPU_GET(n)		(*DPCPU_PTR(n))
#define	DPCPU_SET(n, v)		(*DPCPU_PTR(n) = v)
#define	DPCPU_ID_PTR(i, n)	_DPCPU_PTR(dpcpu_off[(i)], n)
#define	DPCPU_ID_GET(i, n)	(*DPCPU_ID_PTR(i, n))

extern uintptr_t dpcpu_off[];

#define	CPU_FOREACH(i)							\
	for ((i) = 0; (i) <= mp_maxid; (i)++)				\
		if (cpuid_to_pcpu[(i)] == NULL) {			\
		} else

#endif /* !_SYS_PCPU_H_ */
