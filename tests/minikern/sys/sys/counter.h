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
 * counter(9): per-CPU 64-bit statistics counters.
 */
#ifndef _SYS_COUNTER_H_
#define	_SYS_COUNTER_H_

#include <sys/param.h>
#include <sys/kernel.h>

typedef uint64_t *counter_u64_t;

#include <machine/counter.h>

counter_u64_t	counter_u64_alloc(int wait);
void		counter_u64_free(counter_u64_t c);
void		counter_u64_zero(counter_u64_t c);
uint64_t	counter_u64_fetch(counter_u64_t c);
void		counter_u64_sysinit(void *arg);
void		counter_u64_sysuninit(void *arg);

/*
 * A counter usable before the allocator runs: the pointer starts at a
 * dummy slot in struct pcpu and a SYSINIT replaces it.
 */
#define	COUNTER_U64_SYSINIT(c)						\
	SYSINIT(c##_counter_sysinit, SI_SUB_COUNTER,			\
	    SI_ORDER_ANY, counter_u64_sysinit, &c);			\
	SYSUNINIT(c##_counter_sysuninit, SI_SUB_COUNTER,		\
	    SI_ORDER_ANY, counter_u64_sysuninit, &c)

#define	COUNTER_U64_DEFINE_EARLY(c)					\
	counter_u64_t __read_mostly c = EARLY_COUNTER;			\
	COUNTER_U64_SYSINIT(c)

#endif /* !_SYS_COUNTER_H_ */
