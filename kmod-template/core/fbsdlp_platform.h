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
 * The one interface between the portable runtime core and the system that
 * hosts it: livepatch.ko on FreeBSD, or the Linux test host.  The core
 * includes no OS header; everything it needs from the system is a pointer
 * in struct fbsdlp_platform.
 */

#ifndef FBSDLP_PLATFORM_H
#define FBSDLP_PLATFORM_H

#include "fbsdlp_abi.h"

typedef __SIZE_TYPE__ fbsdlp_size;
typedef __UINTPTR_TYPE__ fbsdlp_uptr;

/*
 * Error numbers returned by the core and by platform callbacks.  The values
 * 1-34 are those of both FreeBSD and Linux, so a host can hand them to its
 * callers unchanged; the rest use FreeBSD's numbering.
 */
#define FBSDLP_EPERM	1	/* refused by policy (deny list, probe) */
#define FBSDLP_ENOENT	2	/* symbol or patch not found */
#define FBSDLP_E2BIG	7	/* too many records */
#define FBSDLP_ENOEXEC	8	/* malformed patch object */
#define FBSDLP_ENOMEM	12
#define FBSDLP_EBUSY	16	/* consistency check failed, or state forbids */
#define FBSDLP_EEXIST	17	/* duplicate, or ambiguous symbol */
#define FBSDLP_EINVAL	22
#define FBSDLP_ERANGE	34	/* relocation or jump out of range */
#define FBSDLP_EFTYPE	79	/* wrong target: build-id, size, bytes */
#define FBSDLP_ECANCELED 85	/* vetoed by a hook */

/* Log levels for fbsdlp_platform.log. */
#define FBSDLP_LOG_ERR	0
#define FBSDLP_LOG_INFO	1
#define FBSDLP_LOG_DEBUG 2

/* Result of a symbol lookup in the running program. */
struct fbsdlp_symval {
	fbsdlp_u64 addr;
	fbsdlp_u64 size;
};

/* fbsdlp_stack_check_fn flags */
#define FBSDLP_STACK_UNRELIABLE	0x0001u	/* walk incomplete: treat as busy */

/*
 * Called during a stop-machine for every thread of the system: by each
 * stopped CPU (or thread) for its own interrupted context, and by the
 * initiator for threads that were not running.  pcs[0] is the interrupted
 * program counter when known, the rest are return addresses from the frame
 * chain.  May run concurrently on several CPUs and in interrupt or signal
 * context: it only reads the plan and records the first conflict with
 * atomic operations.  who names the thread for error messages and need only
 * stay valid during the call.  Returns non-zero on a conflict.
 */
typedef int fbsdlp_stack_check_fn(void *arg, const fbsdlp_u64 *pcs,
    fbsdlp_u32 npcs, fbsdlp_u32 flags, const char *who);

/*
 * What the core asks a stop-machine to do.  The platform stops every other
 * CPU/thread, has each of them pass its stack to check, walks sleeping
 * threads itself, then runs action exactly once with everything still
 * stopped, serialises instruction fetch on every CPU, and resumes.
 */
struct fbsdlp_stop_ops {
	fbsdlp_stack_check_fn *check;
	int (*action)(void *arg);	/* its result is stop_machine's */
	void *arg;
};

/*
 * Functions the runtime must never patch because the patching path itself
 * runs through them (rendezvous, IPI or signal handling, text writes).
 * addr is any address inside the function, normally its entry.
 */
struct fbsdlp_deny {
	const void *addr;
	const char *name;
};

/* fbsdlp_platform.flags */
#define FBSDLP_PLAT_ALLOW_R32	0x0001u	/* R_X86_64_32 (hosted profile) */

struct fbsdlp_platform {
	void		*ctx;		/* first argument of every callback */
	fbsdlp_u32	flags;		/* FBSDLP_PLAT_* */

	/*
	 * Look a symbol of the running program up by name, the source file
	 * name of its STT_FILE symbol (objname, NULL: a global) and its
	 * 1-based position among the same-named locals of that file (0: must
	 * be unique).  Returns 0, FBSDLP_ENOENT or FBSDLP_EEXIST (ambiguous).
	 */
	int	(*lookup)(void *ctx, const char *name, const char *objname,
		    fbsdlp_u32 sympos, struct fbsdlp_symval *out);

	/* The running program's build-id (kern.build_id). */
	int	(*build_id)(void *ctx, const fbsdlp_u8 **id, fbsdlp_u32 *len);

	/*
	 * Write len bytes of instructions at dst, which may be read-only
	 * text.  The core calls it for the patch's own text before the patch
	 * runs, and for live text only from inside stop_machine's action.
	 */
	int	(*text_write)(void *ctx, void *dst, const void *src,
		    fbsdlp_size len);

	/* See struct fbsdlp_stop_ops.  Returns action's result or an error. */
	int	(*stop_machine)(void *ctx, const struct fbsdlp_stop_ops *ops);

	/* Zeroed memory; may sleep.  Never called inside stop_machine. */
	void	*(*alloc)(void *ctx, fbsdlp_size size);
	void	(*free)(void *ctx, void *p);

	void	(*log)(void *ctx, int level, const char *msg);
	fbsdlp_u64 (*clock_ns)(void *ctx);	/* monotonic */
	void	(*delay)(void *ctx, fbsdlp_u32 usec);	/* may sleep */

	/* The platform's own patching path: never patched. */
	const struct fbsdlp_deny *deny;
	fbsdlp_u32	ndeny;
};

#endif /* !FBSDLP_PLATFORM_H */
