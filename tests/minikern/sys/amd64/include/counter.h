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
 * amd64 counter(9) primitives.  A counter_u64_t points into the zpcpu
 * area relative to the per-CPU base, so one %gs-relative add updates
 * this CPU's slot without a lock or a critical section.
 */
#ifndef _MACHINE_COUNTER_H_
#define	_MACHINE_COUNTER_H_

#include <sys/pcpu.h>

#define	EARLY_COUNTER	(void *)__offsetof(struct pcpu, pc_early_dummy_counter)
#define	counter_enter()	do {} while (0)
#define	counter_exit()	do {} while (0)

static __inline void
counter_u64_add(counter_u64_t c, int64_t inc)
{
	__asm __volatile("addq\t%1,%%gs:(%0)"
	    : : "r" (c), "ri" (inc) : "memory", "cc");
}

#define	counter_u64_add_protected(c, i)	counter_u64_add(c, i)

#endif /* !_MACHINE_COUNTER_H_ */
