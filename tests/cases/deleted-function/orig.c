/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * The fix removes a helper and open-codes a stricter check.
 */
struct foo_hdr {
	uint8_t		h_version;
	uint8_t		h_type;
	uint16_t	h_len;
};

int	foo_parse(const struct foo_hdr *h, size_t buflen);
int	foo_hdr_ok(const struct foo_hdr *h);

__noinline int
foo_hdr_ok(const struct foo_hdr *h)
{
	return (h->h_version == 2);
}

int
foo_parse(const struct foo_hdr *h, size_t buflen)
{
	if (!foo_hdr_ok(h))
		return (-EINVAL);
	return (h->h_type);
}
