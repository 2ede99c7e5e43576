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
 * The test kernel's patchable functions (lpt_target.c, built like kernel
 * code with -mcmodel=kernel) and the kernel threads that run them.
 * patches/<name>/lpt_target.c are the fixed versions.
 */

#ifndef LPT_H
#define LPT_H

#if defined(__clang__)
#define	LPT_NOIPA	__attribute__((__noinline__, __used__))
#else
#define	LPT_NOIPA	__attribute__((__noipa__, __used__))
#endif

extern volatile int lpt_park_flag;	/* lpt_park sleeps while set */
extern volatile int lpt_park_inside;

int	lpt_value(void);
int	lpt_park(void);
void	lpt_set_base(int b);

/* Shared with the host-side test: plain types only. */
struct lpt_worker {
	volatile int		stop;
	volatile int		value;		/* lpt_value()'s last result */
	volatile unsigned long	iters;
	int			sleeper;	/* pause(9) between calls */
	int			park;		/* run lpt_park() once */
	int			park_intr;	/* the same, single-stepped
						   into the armed interrupt */
};

void	lpt_worker_main(void *arg);

#endif /* !LPT_H */
