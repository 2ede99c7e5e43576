/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * A read-only lookup table used by two functions.  Changing one entry
 * changes read-only data; the functions that read it must be patched
 * to use a new copy of the table (the kernel's copy is not written).
 */
struct foo_rate {
	int	fr_code;
	int	fr_kbps;
};

static const struct foo_rate foo_rates[] = {
	{ 0x01, 1000 },
	{ 0x02, 2000 },
	{ 0x04, 5500 },
	{ 0x08, 11000 },
	{ 0x10, 54000 },
	{ 0x20, 300000 },
};

int	foo_rate_kbps(int code);
int	foo_rate_code(int kbps);
int	foo_nrates(void);

int
foo_rate_kbps(int code)
{
	u_int i;

	for (i = 0; i < nitems(foo_rates); i++)
		if (foo_rates[i].fr_code == code)
			return (foo_rates[i].fr_kbps);
	return (-1);
}

int
foo_rate_code(int kbps)
{
	u_int i;

	for (i = 0; i < nitems(foo_rates); i++)
		if (foo_rates[i].fr_kbps >= kbps)
			return (foo_rates[i].fr_code);
	return (0);
}

int
foo_nrates(void)
{
	return (nitems(foo_rates));
}
