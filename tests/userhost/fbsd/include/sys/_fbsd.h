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
 * The FreeBSD kernel personality of the userspace host: the base every
 * header of this tree includes (sys/cdefs.h, sys/_types.h, sys/types.h,
 * sys/errno.h, the parts of sys/param.h kernel code relies on).  Types,
 * constants and structure layouts are FreeBSD amd64's.
 *
 * Kernel code is compiled with -D_KERNEL -ffreestanding -nostdinc against
 * this tree only.  The same tree type-checks livepatch.ko for the real
 * target (clang --target=x86_64-unknown-freebsd) and builds it for the
 * personality (tests/userhost/fbsd/kern), which links it into a Linux
 * process next to the C library.  Kernel functions whose names the C
 * library also defines (malloc, printf, memcpy, ...) keep their C names
 * and FreeBSD signatures but get the link name fbsd_<name> (__FBSD_KPI):
 * that is the only way in which the personality's kernel ABI differs.
 */

#ifndef _FBSD_PERSONALITY_H_
#define _FBSD_PERSONALITY_H_

#ifndef _KERNEL
#error "kernel code: compile with -D_KERNEL"
#endif

/* sys/cdefs.h */
#define	__STRING(x)	#x
#define	__XSTRING(x)	__STRING(x)
#define	__CONCAT1(x, y)	x ## y
#define	__CONCAT(x, y)	__CONCAT1(x, y)
#define	__section(x)	__attribute__((__section__(x)))
#define	__used		__attribute__((__used__))
#define	__unused	__attribute__((__unused__))
#define	__aligned(x)	__attribute__((__aligned__(x)))
#define	__packed	__attribute__((__packed__))
#define	__dead2		__attribute__((__noreturn__))
#define	__noinline	__attribute__((__noinline__))
#define	__weak_symbol	__attribute__((__weak__))
#define	__printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define	__predict_true(e)	__builtin_expect((e), 1)
#define	__predict_false(e)	__builtin_expect((e), 0)
#define	__restrict	restrict
#define	__DECONST(type, var)	((type)(__uintptr_t)(const void *)(var))
#define	__containerof(p, s, m)	((s *)((char *)(p) - __builtin_offsetof(s, m)))
#define	__GLOBL(sym)	__asm__(".globl " __XSTRING(sym))
#define	__FBSD_KPI(name)	__asm__("fbsd_" #name)
/* KASAN: stack scans read redzones on purpose. */
#define	__nosanitizeaddress	__attribute__((__no_sanitize_address__))

/* sys/_types.h, sys/types.h (amd64) */
typedef	__INT8_TYPE__		int8_t;
typedef	__INT16_TYPE__		int16_t;
typedef	__INT32_TYPE__		int32_t;
typedef	__INT64_TYPE__		int64_t;
typedef	__UINT8_TYPE__		uint8_t;
typedef	__UINT16_TYPE__		uint16_t;
typedef	__UINT32_TYPE__		uint32_t;
typedef	__UINT64_TYPE__		uint64_t;
typedef	__INTPTR_TYPE__		intptr_t;
typedef	__UINTPTR_TYPE__	uintptr_t;
typedef	__UINTPTR_TYPE__	__uintptr_t;
typedef	__INTMAX_TYPE__		intmax_t;
typedef	__UINTMAX_TYPE__	uintmax_t;
typedef	__SIZE_TYPE__		size_t;
typedef	long			ssize_t;
typedef	unsigned char		u_char;
typedef	unsigned short		u_short;
typedef	unsigned int		u_int;
typedef	unsigned long		u_long;
typedef	uint8_t			u_int8_t;
typedef	uint16_t		u_int16_t;
typedef	uint32_t		u_int32_t;
typedef	uint64_t		u_int64_t;
typedef	char			*caddr_t;
typedef	const char		*c_caddr_t;
typedef	long			register_t;
typedef	uint64_t		vm_offset_t;
typedef	uint64_t		vm_size_t;
typedef	uint64_t		vm_paddr_t;
typedef	int32_t			lwpid_t;
typedef	int32_t			pid_t;
typedef	int64_t			time_t;
typedef	int64_t			sbintime_t;
typedef	int64_t			off_t;
typedef	uint32_t		cpuwhich_t;
typedef	_Bool			bool;
#define	true	1
#define	false	0
#ifndef NULL
#define	NULL	((void *)0)
#endif
typedef	__builtin_va_list	__va_list;
#define	va_start(ap, last)	__builtin_va_start((ap), (last))
#define	va_end(ap)		__builtin_va_end(ap)
#define	va_arg(ap, type)	__builtin_va_arg((ap), type)
typedef	__va_list		va_list;

/* sys/errno.h */
#define	EPERM		1
#define	ENOENT		2
#define	ESRCH		3
#define	EINTR		4
#define	EIO		5
#define	E2BIG		7
#define	ENOEXEC		8
#define	EBADF		9
#define	EDEADLK		11
#define	ENOMEM		12
#define	EACCES		13
#define	EFAULT		14
#define	EBUSY		16
#define	EEXIST		17
#define	ENODEV		19
#define	ENOTDIR		20
#define	EISDIR		21
#define	EINVAL		22
#define	ENOSPC		28
#define	ERANGE		34
#define	EAGAIN		35
#define	EWOULDBLOCK	EAGAIN
#define	EOPNOTSUPP	45
#define	ENAMETOOLONG	63
#define	EFTYPE		79
#define	ECANCELED	85
#define	ENOTCAPABLE	93
#define	ERESTART	(-1)
#define	EJUSTRETURN	(-2)

/* sys/param.h */
#define	__FreeBSD_version	1300139
#define	PAGE_SHIFT	12
#define	PAGE_SIZE	(1 << PAGE_SHIFT)
#define	PAGE_MASK	(PAGE_SIZE - 1)
#define	MAXCOMLEN	19
#define	MAXPATHLEN	1024
#define	nitems(x)	(sizeof((x)) / sizeof((x)[0]))
#define	roundup2(x, y)	(((x) + ((y) - 1)) & (~((y) - 1)))
#define	rounddown2(x, y) ((x) & (~((y) - 1)))
#define	howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define	MIN(a, b)	(((a) < (b)) ? (a) : (b))
#define	MAX(a, b)	(((a) > (b)) ? (a) : (b))
#define	KSTACK_PAGES	4

#endif /* !_FBSD_PERSONALITY_H_ */
