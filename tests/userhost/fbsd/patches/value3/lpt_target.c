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

/* Original versions of the functions the tests patch (see lpt.h). */

#include <sys/param.h>
#include <sys/systm.h>

#include "lpt.h"

volatile int lpt_park_flag;
volatile int lpt_park_inside;

/* A static: the patch reaches it through a livepatch relocation. */
static int lpt_base = 1;

LPT_NOIPA void
lpt_set_base(int b)
{
	lpt_base = b;
}

static LPT_NOIPA int
lpt_scale(int x)
{
	return (x * lpt_base);
}

LPT_NOIPA int
lpt_value(void)
{
	return (lpt_scale(3));
}

/* Sleeps inside this function while lpt_park_flag is set. */
LPT_NOIPA int
lpt_park(void)
{
	lpt_park_inside = 1;
	while (lpt_park_flag)
		pause("lptpark", 1);
	lpt_park_inside = 0;
	return (1);
}
