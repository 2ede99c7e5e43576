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
 * Rate-limited logging, in the spirit of ppsratecheck(9).
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <machine/atomic.h>
#include <sys/ratelog.h>

static u_long ratelog_printed;

/*
 * Start a new one-second window when the old one has expired, then
 * account for one more event in the current window.  Returns 1 when
 * the event may be reported.
 */
static int
rl_window_check(struct ratelog *rl, int now, int limit)
{
	if ((u_int)(now - rl->rl_start) >= (u_int)hz) {
		rl->rl_start = now;
		rl->rl_count = 0;
	}
	if (limit < 0)
		return (1);
	if (rl->rl_count <= limit) {
		rl->rl_count++;
		return (1);
	}
	rl->rl_suppressed++;
	return (0);
}

int
ratelog_allow(struct ratelog *rl, int limit)
{
	return (rl_window_check(rl, ticks, limit));
}

int
ratelog_printf(struct ratelog *rl, int limit, const char *fmt, ...)
{
	static int lastwarn;
	va_list ap;
	u_int suppressed;

	if (!rl_window_check(rl, ticks, limit))
		return (0);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	suppressed = rl->rl_suppressed;
	if (suppressed != 0 && ticks - lastwarn > hz) {
		lastwarn = ticks;
		printf("(%u similar messages suppressed)\n", suppressed);
	}
	rl->rl_suppressed = 0;
	atomic_add_long(&ratelog_printed, 1);
	return (1);
}

u_long
ratelog_total(void)
{
	return (atomic_load_long(&ratelog_printed));
}
