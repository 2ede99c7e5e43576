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

/* sys/lock.h: the common lock object and sx_assert's/mtx_assert's flags. */

#ifndef _SYS_LOCK_H_
#define _SYS_LOCK_H_

#include <sys/_fbsd.h>

struct lock_object {
	const char	*lo_name;
	u_int		lo_flags;
	u_int		lo_data;
	void		*lo_witness;
};

#define	LO_INITIALIZED	0x00010000
#define	LO_RECURSABLE	0x00080000

/* Assertion kinds (sys/lock.h: LA_*). */
#define	LA_UNLOCKED	0x00000000
#define	LA_SLOCKED	0x00000001
#define	LA_XLOCKED	0x00000002
#define	LA_LOCKED	(LA_SLOCKED | LA_XLOCKED)
#define	LA_RECURSED	0x00000008
#define	LA_NOTRECURSED	0x00000010

#endif /* !_SYS_LOCK_H_ */
