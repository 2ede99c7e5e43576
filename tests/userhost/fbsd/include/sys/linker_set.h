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
 * sys/linker_set.h: linker sets.  An entry is a pointer placed in the
 * section set_<name>; the static linker (for the kernel image) or
 * link_elf_obj (for a kld, per file) binds __start_set_<name> and
 * __stop_set_<name> to its bounds.
 */

#ifndef _SYS_LINKER_SET_H_
#define _SYS_LINKER_SET_H_

#include <sys/_fbsd.h>

#define	__FBSD_SET_ENTRY(set, sym)					\
	__GLOBL(__CONCAT(__start_set_, set));				\
	__GLOBL(__CONCAT(__stop_set_, set));				\
	static void const *__CONCAT(__CONCAT(__set_, set),		\
	    __CONCAT(_sym_, sym)) __section("set_" #set) __used		\
	    __aligned(8) = &(sym)
#define	TEXT_SET(set, sym)	__FBSD_SET_ENTRY(set, sym)
#define	DATA_SET(set, sym)	__FBSD_SET_ENTRY(set, sym)
#define	DATA_WSET(set, sym)	__FBSD_SET_ENTRY(set, sym)

/* Empty sets leave the bounds undefined: weak, so that they read 0. */
#define	SET_DECLARE(set, ptype)						\
	extern ptype __weak_symbol *__CONCAT(__start_set_, set);	\
	extern ptype __weak_symbol *__CONCAT(__stop_set_, set)
#define	SET_BEGIN(set)		(&__CONCAT(__start_set_, set))
#define	SET_LIMIT(set)		(&__CONCAT(__stop_set_, set))
#define	SET_FOREACH(pvar, set)						\
	for ((pvar) = SET_BEGIN(set); (pvar) < SET_LIMIT(set); (pvar)++)
#define	SET_COUNT(set)		(SET_LIMIT(set) - SET_BEGIN(set))

#endif /* !_SYS_LINKER_SET_H_ */
