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
 * callout(9): timed callbacks.
 */
#ifndef _SYS_CALLOUT_H_
#define	_SYS_CALLOUT_H_

#include <sys/types.h>
#include <sys/queue.h>

struct mtx;

struct callout {
	LIST_ENTRY(callout) c_links;
	sbintime_t	c_time;
	void		*c_arg;
	void		(*c_func)(void *);
	struct lock_object *c_lock;
	short		c_flags;
	short		c_iflags;
	volatile int	c_cpu;
};

void	callout_init(struct callout *c, int mpsafe);
void	_callout_init_lock(struct callout *c, struct lock_object *lock,
	    int flags);
#define	callout_init_mtx(c, mtx, flags)					\
	_callout_init_lock((c), &(mtx)->lock_object, (flags))
int	callout_reset_on(struct callout *c, int to_ticks,
	    void (*fn)(void *), void *arg, int cpu);
#define	callout_reset(c, on_tick, fn, arg)				\
	callout_reset_on((c), (on_tick), (fn), (arg), -1)
int	_callout_stop_safe(struct callout *c, int flags);
#define	callout_stop(c)		_callout_stop_safe(c, 0)
#define	callout_drain(c)	_callout_stop_safe(c, 1)

#endif /* !_SYS_CALLOUT_H_ */
