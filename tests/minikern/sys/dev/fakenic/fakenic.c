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
 * fakenic(4): a software network adapter.  Received packets are checked,
 * passed through netflt and queued on the unit's receive ring.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/ratelog.h>
#include <sys/sdt.h>
#include <net/vnet.h>
#include <net/pkt.h>
#include <net/netflt.h>
#include <net/if_ring.h>

#include <dev/fakenic/fakenic_var.h>

static MALLOC_DEFINE(M_FAKENIC, "fakenic", "fakenic(4) softc");

DPCPU_DEFINE(uint64_t, fakenic_rx_packets);
DPCPU_DEFINE(uint64_t, fakenic_rx_errors);

SDT_PROVIDER_DEFINE(fakenic);
SDT_PROBE_DEFINE2(fakenic, , rx, drop, "struct fakenic_softc *", "int");
SDT_PROBE_DEFINE3(fakenic, , ioctl, entry, "int", "u_long", "void *");

struct fakenic_softc *fakenic_units[FAKENIC_MAXUNITS];
static int fakenic_nunits = 2;
TUNABLE_INT("hw.fakenic.units", &fakenic_nunits);

enum fakenic_rxerr {
	RXERR_MALFORMED,
	RXERR_CKSUM,
	RXERR_FILTER,
	RXERR_NOBUFS,
	RXERR_DOWN,
};

static const char *const fakenic_rxerr_names[] = {
	[RXERR_MALFORMED] = "malformed packet",
	[RXERR_CKSUM] = "bad checksum",
	[RXERR_FILTER] = "filtered",
	[RXERR_NOBUFS] = "receive ring full",
	[RXERR_DOWN] = "interface down",
};

static struct fakenic_softc *
fakenic_lookup(int unit)
{
	if (unit < 0 || unit >= FAKENIC_MAXUNITS)
		return (NULL);
	return (fakenic_units[unit]);
}

static void __cold __noinline
fakenic_rx_error(struct fakenic_softc *sc, enum fakenic_rxerr why)
{
	static struct ratelog rl = RATELOG_INITIALIZER;

	(*DPCPU_PTR(fakenic_rx_errors))++;
	SDT_PROBE2(fakenic, , rx, drop, sc, why);
	if (why != RXERR_FILTER)
		ratelog_printf(&rl, 10, "%s: receive error: %s\n",
		    sc->sc_name, fakenic_rxerr_names[why]);
}

int
fakenic_rx(int unit, const void *buf, size_t len)
{
	struct fakenic_softc *sc;
	const struct pkt_hdr *ph;
	int error;

	sc = fakenic_lookup(unit);
	if (sc == NULL)
		return (ENXIO);
	if ((sc->sc_flags & FAKENIC_F_UP) == 0) {
		fakenic_rx_error(sc, RXERR_DOWN);
		return (ENETDOWN);
	}
	if (!pkt_len_ok(len) || len > (size_t)sc->sc_mtu + PKT_HDRLEN) {
		fakenic_rx_error(sc, RXERR_MALFORMED);
		return (EINVAL);
	}
	ph = buf;
	if ((sc->sc_flags & FAKENIC_F_CKSUM) != 0 && ph->ph_sum != 0 &&
	    in_cksum(buf, len) != 0) {
		fakenic_rx_error(sc, RXERR_CKSUM);
		return (EINVAL);
	}
	CURVNET_SET(sc->sc_vnet);
	if ((sc->sc_flags & FAKENIC_F_PROMISC) == 0 &&
	    nf_check(buf, len) == NF_DROP)
		error = EPERM;
	else
		error = ifr_enqueue(sc->sc_rxring, buf, len);
	CURVNET_RESTORE();
	switch (error) {
	case 0:
		(*DPCPU_PTR(fakenic_rx_packets))++;
		break;
	case EPERM:
		fakenic_rx_error(sc, RXERR_FILTER);
		break;
	case ENOBUFS:
		fakenic_rx_error(sc, RXERR_NOBUFS);
		break;
	case EINVAL:
		fakenic_rx_error(sc, RXERR_MALFORMED);
		break;
	default:
		panic("%s:%d: %s: unexpected ifr_enqueue error %d", __FILE__,
		    __LINE__, sc->sc_name, error);
	}
	return (error);
}

int
fakenic_rx_drain(int unit, int max)
{
	struct fakenic_softc *sc;
	uint8_t buf[PKT_MAXLEN];
	size_t len;
	int n;

	sc = fakenic_lookup(unit);
	if (sc == NULL)
		return (-ENXIO);
	for (n = 0; n < max; n++)
		if (ifr_dequeue(sc->sc_rxring, buf, sizeof(buf), &len) != 0)
			break;
	return (n);
}

int
fakenic_ioctl(int unit, u_long cmd, void *data)
{
	struct fakenic_softc *sc;
	int error, val;

	SDT_PROBE3(fakenic, , ioctl, entry, unit, cmd, data);
	sc = fakenic_lookup(unit);
	if (sc == NULL)
		return (ENXIO);
	KASSERT(sc->sc_unit == unit, ("%s: unit %d has softc of unit %d",
	    __func__, unit, sc->sc_unit));
	error = 0;
	val = *(int *)data;
	FAKENIC_LOCK(sc);
	switch (cmd) {
	case FAKENIC_GMTU:
		*(int *)data = sc->sc_mtu;
		break;
	case FAKENIC_SMTU:
		if (val > FAKENIC_MAXMTU) {
			error = EINVAL;
			break;
		}
		sc->sc_mtu = val;
		break;
	case FAKENIC_GFLAGS:
		*(int *)data = sc->sc_flags;
		break;
	case FAKENIC_SFLAGS:
		sc->sc_flags = val;
		break;
	case FAKENIC_GRXPKTS:
		*(int *)data = (int)fakenic_stat_fetch(0);
		break;
	case FAKENIC_GRXERRS:
		*(int *)data = (int)fakenic_stat_fetch(1);
		break;
	case FAKENIC_RESET:
		sc->sc_flags = FAKENIC_F_UP | FAKENIC_F_CKSUM;
		sc->sc_mtu = 1500;
		break;
	case FAKENIC_GUNIT:
		*(int *)data = sc->sc_unit;
		break;
	case FAKENIC_GRXQLEN:
		*(int *)data = ifr_count(sc->sc_rxring);
		break;
	default:
		error = ENOTTY;
		break;
	}
	FAKENIC_UNLOCK(sc);
	return (error);
}

static struct fakenic_softc *
fakenic_attach(int unit)
{
	struct fakenic_softc *sc;

	sc = malloc(sizeof(*sc), M_FAKENIC, M_WAITOK | M_ZERO);
	mtx_init(&sc->sc_mtx, "fakenic", NULL, MTX_DEF);
	sc->sc_unit = unit;
	sc->sc_mtu = 1500;
	sc->sc_flags = FAKENIC_F_UP | FAKENIC_F_CKSUM;
	sc->sc_vnet = vnet0;
	sc->sc_rxring = ifr_alloc(FAKENIC_RXRING);
	snprintf(sc->sc_name, sizeof(sc->sc_name), "fakenic%d", unit);
	return (sc);
}

static void
fakenic_attach_all(void *arg __unused)
{
	int unit;

	if (fakenic_nunits > FAKENIC_MAXUNITS)
		fakenic_nunits = FAKENIC_MAXUNITS;
	for (unit = 0; unit < fakenic_nunits; unit++)
		fakenic_units[unit] = fakenic_attach(unit);
	if (bootverbose)
		printf("fakenic: %d units attached\n", fakenic_nunits);
}
SYSINIT(fakenic, SI_SUB_DRIVERS, SI_ORDER_MIDDLE, fakenic_attach_all, NULL);
