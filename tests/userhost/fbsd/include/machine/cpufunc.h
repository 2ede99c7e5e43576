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
 * machine/cpufunc.h: instructions as functions.  cpuid and pause are the
 * real instructions; the interrupt flag is the personality's: "interrupts"
 * are the IPIs that smp_rendezvous sends, delivered as a host signal, so
 * intr_disable() masks that signal for the calling thread (its CPU).
 */

#ifndef _MACHINE_CPUFUNC_H_
#define _MACHINE_CPUFUNC_H_

#include <sys/_fbsd.h>

#define	PSL_I		0x00000200	/* interrupt enable bit */

static __inline void
do_cpuid(u_int ax, u_int *p)
{
	__asm__ __volatile__("cpuid"
	    : "=a" (p[0]), "=b" (p[1]), "=c" (p[2]), "=d" (p[3])
	    : "0" (ax), "2" (0) : "memory");
}

static __inline void
cpuid_count(u_int ax, u_int cx, u_int *p)
{
	__asm__ __volatile__("cpuid"
	    : "=a" (p[0]), "=b" (p[1]), "=c" (p[2]), "=d" (p[3])
	    : "0" (ax), "2" (cx) : "memory");
}

static __inline void
ia32_pause(void)
{
	__asm__ __volatile__("pause");
}

/* Returns the previous rflags; PSL_I tells whether IPIs were enabled. */
register_t intr_disable(void);
void	intr_restore(register_t rflags);
void	disable_intr(void);
void	enable_intr(void);

#endif /* !_MACHINE_CPUFUNC_H_ */
