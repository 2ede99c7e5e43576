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
 * Kernel scalar types.
 */
#ifndef _SYS_TYPES_H_
#define	_SYS_TYPES_H_

#include <sys/cdefs.h>
#include <sys/_types.h>

typedef	__int8_t	int8_t;
typedef	__uint8_t	uint8_t;
typedef	__int16_t	int16_t;
typedef	__uint16_t	uint16_t;
typedef	__int32_t	int32_t;
typedef	__uint32_t	uint32_t;
typedef	__int64_t	int64_t;
typedef	__uint64_t	uint64_t;
typedef	__intptr_t	intptr_t;
typedef	__uintptr_t	uintptr_t;
typedef	__intmax_t	intmax_t;
typedef	__uintmax_t	uintmax_t;
typedef	__size_t	size_t;
typedef	__ssize_t	ssize_t;
typedef	__ptrdiff_t	ptrdiff_t;
typedef	__off_t		off_t;
typedef	__pid_t		pid_t;
typedef	__uid_t		uid_t;
typedef	__gid_t		gid_t;
typedef	__lwpid_t	lwpid_t;
typedef	__time_t	time_t;
typedef	__sbintime_t	sbintime_t;
typedef	__vm_offset_t	vm_offset_t;
typedef	__vm_paddr_t	vm_paddr_t;

typedef	uint8_t		u_int8_t;
typedef	uint16_t	u_int16_t;
typedef	uint32_t	u_int32_t;
typedef	uint64_t	u_int64_t;
typedef	unsigned char	u_char;
typedef	unsigned short	u_short;
typedef	unsigned int	u_int;
typedef	unsigned long	u_long;
typedef	char		*caddr_t;
typedef	const char	*c_caddr_t;
typedef	__va_list	va_list;

#ifndef __cplusplus
typedef	_Bool		bool;
#define	true		1
#define	false		0
#endif

#ifndef NULL
#define	NULL		((void *)0)
#endif

#define	va_start(ap, last)	__builtin_va_start((ap), (last))
#define	va_arg(ap, type)	__builtin_va_arg((ap), type)
#define	va_end(ap)		__builtin_va_end(ap)

#endif /* !_SYS_TYPES_H_ */
