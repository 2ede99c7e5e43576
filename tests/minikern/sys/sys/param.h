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
 * System parameters and small helper macros.
 */
#ifndef _SYS_PARAM_H_
#define	_SYS_PARAM_H_

#include <sys/types.h>
/* As FreeBSD's: kernel code has the errno values from sys/param.h. */
#include <sys/errno.h>

#define	__FreeBSD_version	1500000

#define	MAXCOMLEN	19
#define	MAXPATHLEN	1024
#define	PAGE_SHIFT	12
#define	PAGE_SIZE	(1 << PAGE_SHIFT)
#define	PAGE_MASK	(PAGE_SIZE - 1)
#define	CACHE_LINE_SHIFT 6
#define	CACHE_LINE_SIZE	(1 << CACHE_LINE_SHIFT)
#define	MAXCPU		1024

#define	nitems(x)	(sizeof((x)) / sizeof((x)[0]))
#define	howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define	roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define	rounddown(x, y)	(((x) / (y)) * (y))
#define	roundup2(x, y)	(((x) + ((y) - 1)) & (~((__typeof(x))(y) - 1)))
#define	powerof2(x)	((((x) - 1) & (x)) == 0)
/*
 * Placement of hot kernel data: these sections are kept apart so that
 * rarely written variables do not share cache lines with busy ones.
 */
#define	__read_mostly		__section(".data.read_mostly")
#define	__read_frequently	__section(".data.read_frequently")
#define	__exclusive_cache_line	__aligned(CACHE_LINE_SIZE) \
				__section(".data.exclusive_cache_line")

#define	MIN(a, b)	(((a) < (b)) ? (a) : (b))
#define	MAX(a, b)	(((a) > (b)) ? (a) : (b))

#endif /* !_SYS_PARAM_H_ */
