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
 * System parameters that the boot environment can tune (kern.hz,
 * kern.mq.*), with their sysctl(9) views.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>
#include <sys/mqueue.h>

#define	HZ_DEFAULT		1000
#define	MQ_MAXMSG_DEFAULT	8
#define	MQ_MAXMSG_LIMIT		64
#define	MQ_MSGSIZE_LIMIT	256

int	hz;
TUNABLE_INT("kern.hz", &hz);
SYSCTL_INT(_kern, OID_AUTO, hz, CTLFLAG_RDTUN, &hz, 0,
    "Number of clock ticks per second");

int	mq_default_maxmsg = MQ_MAXMSG_DEFAULT;
TUNABLE_INT("kern.mq.maxmsg", &mq_default_maxmsg);
int	mq_default_msgsize = 128;
TUNABLE_INT("kern.mq.msgsize", &mq_default_msgsize);

static SYSCTL_NODE(_kern, OID_AUTO, mq, CTLFLAG_RW, 0,
    "POSIX message queues");
SYSCTL_INT(_kern_mq, OID_AUTO, maxmsg, CTLFLAG_RWTUN, &mq_default_maxmsg, 0,
    "Default maximum number of messages in a queue");

static int
sysctl_kern_mq_msgsize(SYSCTL_HANDLER_ARGS)
{
	int error, val;

	val = mq_default_msgsize;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (val < 1 || val > MQ_MSGSIZE_LIMIT)
		return (EINVAL);
	mq_default_msgsize = val;
	return (0);
}
SYSCTL_PROC(_kern_mq, OID_AUTO, msgsize, CTLTYPE_INT | CTLFLAG_RWTUN |
    CTLFLAG_MPSAFE, NULL, 0, sysctl_kern_mq_msgsize, "I",
    "Default maximum message size");

/*
 * Runs once the tunables are in: bring out-of-range values back into
 * range.
 */
static void
init_param(void *dummy __unused)
{
	if (hz <= 0)
		hz = HZ_DEFAULT;
	if (mq_default_maxmsg < 1)
		mq_default_maxmsg = 1;
	if (mq_default_maxmsg > MQ_MAXMSG_LIMIT)
		mq_default_maxmsg = MQ_MAXMSG_LIMIT;
	if (mq_default_msgsize < 1 || mq_default_msgsize > MQ_MSGSIZE_LIMIT)
		mq_default_msgsize = 128;
}
SYSINIT(param, SI_SUB_TUNABLES, SI_ORDER_ANY, init_param, NULL);
