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
 * fakenic(4) statistics: per-CPU counters summed over all CPUs, and
 * their sysctl(9) nodes under dev.fakenic.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/pcpu.h>
#include <sys/sysctl.h>
#include <net/netflt.h>

#include <dev/fakenic/fakenic_var.h>

static const char *const fakenic_stat_names[] = {
	"rx_packets",
	"rx_errors",
	"flt_passed",
	"flt_dropped",
	"flt_malformed",
};

uint64_t
fakenic_stat_fetch(int which)
{
	struct nf_stats nfs;
	uint64_t sum;
	int i;

	sum = 0;
	switch (which) {
	case 0:
		CPU_FOREACH(i)
			sum += DPCPU_ID_GET(i, fakenic_rx_packets);
		break;
	case 1:
		CPU_FOREACH(i)
			sum += DPCPU_ID_GET(i, fakenic_rx_errors);
		break;
	case 2:
	case 3:
	case 4:
		nf_stats_get(&nfs);
		sum = which == 2 ? nfs.nfs_passed : which == 3 ?
		    nfs.nfs_dropped : nfs.nfs_malformed;
		break;
	default:
		panic("%s: unknown statistic %d", __func__, which);
	}
	return (sum);
}

const char	*fakenic_stat_name(int which);

const char *
fakenic_stat_name(int which)
{
	if (which < 0 || which >= (int)nitems(fakenic_stat_names))
		return ("unknown");
	return (fakenic_stat_names[which]);
}

static int
sysctl_dev_fakenic_stat(SYSCTL_HANDLER_ARGS)
{
	uint64_t val;

	val = fakenic_stat_fetch(arg2);
	return (SYSCTL_OUT(req, &val, sizeof(val)));
}

static SYSCTL_NODE(_dev, OID_AUTO, fakenic, CTLFLAG_RD, 0, "fakenic(4)");
SYSCTL_PROC(_dev_fakenic, OID_AUTO, rx_packets, CTLTYPE_U64 | CTLFLAG_RD |
    CTLFLAG_MPSAFE, NULL, 0, sysctl_dev_fakenic_stat, "QU",
    "Packets received");
SYSCTL_PROC(_dev_fakenic, OID_AUTO, rx_errors, CTLTYPE_U64 | CTLFLAG_RD |
    CTLFLAG_MPSAFE, NULL, 1, sysctl_dev_fakenic_stat, "QU",
    "Receive errors");
