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
 * The syscall shim's wire format: a program built against shim/ (the
 * FreeBSD target tool) makes its kld and sysctl system calls over a unix
 * socket to the process that runs the personality's kernel
 * (fbsd_kernel_server.c).  One request per connection:
 *
 *   request:  u32 op, i32 arg, u32 flags (FBSD_RPC_OLDLENP: the caller
 *             passed a length, FBSD_RPC_OLDBUF: and a buffer; FBSD_RPC_NEW:
 *             a new value), u32 namelen, u64 oldlen, u32 newlen, name
 *             bytes, new bytes
 *   response: u32 error (FreeBSD errno), i32 retval, u64 oldlen,
 *             u32 olddata length, old bytes
 */

#ifndef FBSD_RPC_H
#define FBSD_RPC_H

#include <stdint.h>

enum {
	FBSD_RPC_KLDLOAD = 1,
	FBSD_RPC_KLDUNLOAD,		/* arg: fileid; name "force" or "" */
	FBSD_RPC_KLDFIND,
	FBSD_RPC_MODFIND,
	FBSD_RPC_SYSCTLBYNAME,
	FBSD_RPC_STATS,			/* the test kernel's workers */
	FBSD_RPC_SHUTDOWN
};

struct fbsd_rpc_req {
	uint32_t	op;
	int32_t		arg;
	uint32_t	flags;
	uint32_t	namelen;
	uint64_t	oldlen;
	uint32_t	newlen;
} __attribute__((__packed__));

struct fbsd_rpc_resp {
	uint32_t	error;
	int32_t		retval;
	uint64_t	oldlen;
	uint32_t	datalen;
} __attribute__((__packed__));

#define	FBSD_RPC_OLDLENP	0x1
#define	FBSD_RPC_OLDBUF		0x2
#define	FBSD_RPC_NEW		0x4
#define	FBSD_RPC_MAXDATA (1u << 20)

/* Write/read exactly n bytes; 0 on success. */
int	fbsd_rpc_write(int fd, const void *buf, size_t n);
int	fbsd_rpc_read(int fd, void *buf, size_t n);
/* FreeBSD errno to the host's. */
int	fbsd_rpc_host_errno(int fbsd_errno);

#endif /* !FBSD_RPC_H */
