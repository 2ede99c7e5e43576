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
 * The hosted "kernel" the tests patch: worker threads call these functions
 * in tight loops.  Built non-PIE with frame pointers and one section per
 * function, like kernel code; tests/userhost/patches/<name>/target_funcs.c
 * are the fixed versions the generator diffs against this file.
 */

#ifndef UH_TARGET_H
#define UH_TARGET_H

#include <stdint.h>

/* Keep the functions whole and unspecialised, as the patches expect. */
#if defined(__clang__)
#define UH_NOIPA __attribute__((noinline, used))
#else
#define UH_NOIPA __attribute__((noipa, used))
#endif

struct lp_counter {
	uint64_t	n;		/* incremented once per call */
	uint32_t	version;	/* which version ran last */
};

extern volatile int lp_park_flag;	/* lp_park spins while set */
extern volatile int lp_park_inside;	/* set while a thread is in lp_park */
extern volatile int lp_hook_calls[4];	/* incremented by test patch hooks */

int	lp_value(void);
void	lp_count(struct lp_counter *c);
int	lp_park(void);
int	lp_tiny(void);
int	lp_denied_fn(int x);
void	lp_set_base(int b);
int	lp_cet_value(int x);
void	lp_cet_set(int b);
/* Called through a pointer, as indirect branches must land on endbr64. */
extern int (*volatile lp_cet_ptr)(int);

#endif /* !UH_TARGET_H */
