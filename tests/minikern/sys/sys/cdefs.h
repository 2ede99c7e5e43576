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
 * Compiler attribute and token helpers, named as in FreeBSD's
 * <sys/cdefs.h> so that kernel-shaped code reads naturally.
 */
#ifndef _SYS_CDEFS_H_
#define	_SYS_CDEFS_H_

#define	__CONCAT1(x, y)		x ## y
#define	__CONCAT(x, y)		__CONCAT1(x, y)
#define	__STRING(x)		#x
#define	__XSTRING(x)		__STRING(x)

#define	__dead2			__attribute__((__noreturn__))
#define	__pure2			__attribute__((__const__))
#define	__unused		__attribute__((__unused__))
#define	__used			__attribute__((__used__))
#define	__packed		__attribute__((__packed__))
#define	__aligned(x)		__attribute__((__aligned__(x)))
#define	__section(x)		__attribute__((__section__(x)))
#define	__weak_symbol		__attribute__((__weak__))
#define	__noinline		__attribute__((__noinline__))
#define	__always_inline		__inline __attribute__((__always_inline__))
#define	__cold			__attribute__((__cold__))
#define	__hot			__attribute__((__hot__))
#define	__malloc_like		__attribute__((__malloc__))
#define	__result_use_check	__attribute__((__warn_unused_result__))
#define	__returns_twice		__attribute__((__returns_twice__))
#define	__printflike(fmtarg, firstvararg) \
	__attribute__((__format__(__printf__, fmtarg, firstvararg)))
#define	__nonnull(x)		__attribute__((__nonnull__ x))

#define	__predict_true(exp)	__builtin_expect((exp), 1)
#define	__predict_false(exp)	__builtin_expect((exp), 0)

#define	__offsetof(type, field)	__builtin_offsetof(type, field)
#define	__containerof(x, s, m) ({					\
	const volatile __typeof(((s *)0)->m) *__x = (x);		\
	(s *)(void *)((const volatile char *)__x - __offsetof(s, m));	\
})

/* Emit assembler directives naming a symbol, as linker sets need. */
#define	__GLOBL1(sym)		__asm__(".globl " #sym)
#define	__GLOBL(sym)		__GLOBL1(sym)
#define	__WEAK1(sym)		__asm__(".weak " #sym)
#define	__WEAK(sym)		__WEAK1(sym)

#define	__NOASAN
#define	__DECONST(type, var)	((type)(__uintptr_t)(const void *)(var))
#define	__DEVOLATILE(type, var)	((type)(__uintptr_t)(volatile void *)(var))

#define	__BEGIN_DECLS
#define	__END_DECLS

#ifndef __FBSDID
#define	__FBSDID(s)		struct __hack
#endif

#define	_Static_assert_msg(e, m) _Static_assert(e, m)
#define	CTASSERT(x)		_Static_assert(x, "compile-time assertion failed")

#endif /* !_SYS_CDEFS_H_ */
