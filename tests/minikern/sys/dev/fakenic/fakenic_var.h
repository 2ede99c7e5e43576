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
 * fakenic(4): a software network adapter.  Definitions shared by the
 * driver's files.
 */
#ifndef _DEV_FAKENIC_FAKENIC_VAR_H_
#define	_DEV_FAKENIC_FAKENIC_VAR_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>

#define	FAKENIC_MAXUNITS	4
#define	FAKENIC_MINMTU		68
#define	FAKENIC_MAXMTU		9000
#define	FAKENIC_RXRING		64

/* ioctl commands */
#define	FAKENIC_GMTU		0
#define	FAKENIC_SMTU		1
#define	FAKENIC_GFLAGS		2
#define	FAKENIC_SFLAGS		3
#define	FAKENIC_GRXPKTS		4
#define	FAKENIC_GRXERRS		5
#define	FAKENIC_RESET		6
#define	FAKENIC_GUNIT		7
#define	FAKENIC_GRXQLEN		8

#define	FAKENIC_F_UP		0x0001
#define	FAKENIC_F_PROMISC	0x0002
#define	FAKENIC_F_CKSUM		0x0004	/* verify checksums on receive */

struct ifring;
struct vnet;

struct fakenic_softc {
	struct mtx	sc_mtx;
	int		sc_unit;
	int		sc_mtu;
	u_int		sc_flags;
	struct ifring	*sc_rxring;
	struct vnet	*sc_vnet;
	char		sc_name[16];
};

#define	FAKENIC_LOCK(sc)	mtx_lock(&(sc)->sc_mtx)
#define	FAKENIC_UNLOCK(sc)	mtx_unlock(&(sc)->sc_mtx)
#define	FAKENIC_LOCK_ASSERT(sc)	mtx_assert(&(sc)->sc_mtx, MA_OWNED)

/* Per-CPU statistics, summed by fakenic_stats.c. */
DPCPU_DECLARE(uint64_t, fakenic_rx_packets);
DPCPU_DECLARE(uint64_t, fakenic_rx_errors);

extern struct fakenic_softc *fakenic_units[FAKENIC_MAXUNITS];

int	fakenic_ioctl(int unit, u_long cmd, void *data);
int	fakenic_rx(int unit, const void *buf, size_t len);
int	fakenic_rx_drain(int unit, int max);
uint64_t fakenic_stat_fetch(int which);

#endif /* !_DEV_FAKENIC_FAKENIC_VAR_H_ */
