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

/* Original versions of the functions the tests patch (see target.h). */

#include "target.h"

volatile int lp_park_flag;
volatile int lp_park_inside;
volatile int lp_hook_calls[4];

/* Statics: a patch reaches them through livepatch relocations. */
static int lp_base = 1;

/* Keeps lp_base a variable: otherwise the compiler folds it away. */
UH_NOIPA void
lp_set_base(int b)
{
	lp_base = b;
}

static UH_NOIPA int
lp_scale(int x)
{
	return (x * lp_base);
}

UH_NOIPA int
lp_value(void)
{
	return (lp_scale(1));
}

UH_NOIPA void
lp_count(struct lp_counter *c)
{
	c->n++;
	c->version = 1;
}

/* Parks the calling thread inside this function while lp_park_flag is set. */
UH_NOIPA int
lp_park(void)
{
	lp_park_inside = 1;
	while (lp_park_flag)
		__builtin_ia32_pause();
	lp_park_inside = 0;
	return (2);
}

/* Shorter than a jmp rel32: no patch can redirect it. */
#if defined(__clang__)
UH_NOIPA int
#else
UH_NOIPA __attribute__((optimize("omit-frame-pointer"))) int
#endif
lp_tiny(void)
{
	return (0);
}

/* The host puts this one on the platform's deny list. */
UH_NOIPA int
lp_denied_fn(int x)
{
	return (x * 3 + lp_base);
}
