/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>

/*
 * A driver adds per-unit sysctls under its static node hw.foo at attach
 * time (SYSCTL_STATIC_CHILDREN refers to the node object itself).
 */
struct foo_softc {
	int			sc_unit;
	int			sc_rxcsum;
	uint64_t		sc_ipackets;
	struct sysctl_ctx_list	sc_ctx;
};

static SYSCTL_NODE(_hw, OID_AUTO, foo, CTLFLAG_RD | CTLFLAG_MPSAFE, 0,
    "foo driver parameters");

static int foo_rxcsum_default = 1;
SYSCTL_INT(_hw_foo, OID_AUTO, rxcsum, CTLFLAG_RDTUN, &foo_rxcsum_default, 0,
    "default for receive checksum offload");

void	foo_attach_sysctls(struct foo_softc *sc);

void
foo_attach_sysctls(struct foo_softc *sc)
{
	struct sysctl_oid *node;
	char name[8];

	snprintf(name, sizeof(name), "%d", sc->sc_unit);
	sysctl_ctx_init(&sc->sc_ctx);
	node = SYSCTL_ADD_NODE(&sc->sc_ctx, SYSCTL_STATIC_CHILDREN(_hw_foo),
	    OID_AUTO, name, CTLFLAG_RD | CTLFLAG_MPSAFE, NULL, "foo unit");
	sc->sc_rxcsum = foo_rxcsum_default;
	SYSCTL_ADD_INT(&sc->sc_ctx, SYSCTL_CHILDREN(node), OID_AUTO, "rxcsum",
	    CTLFLAG_RW, &sc->sc_rxcsum, 0, "receive checksum offload");
	SYSCTL_ADD_U64(&sc->sc_ctx, SYSCTL_CHILDREN(node), OID_AUTO,
	    "ipackets", CTLFLAG_RD, &sc->sc_ipackets, 0, "packets received");
}
