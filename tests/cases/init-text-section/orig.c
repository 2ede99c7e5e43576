/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * A function placed in an init-only section (Linux's .init.text, freed after
 * boot) changes: a jump into it would land in freed memory.
 */
#include <sys/param.h>
#include <sys/systm.h>

int	foo_early_setup(int ncpu);

__attribute__((__section__(".init.text"), __noinline__)) int
foo_early_setup(int ncpu)
{
	printf("foo: %d CPUs\n", ncpu);
	return (ncpu > 0 ? 0 : -1);
}
