/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * A function in a code section of a kind the engine does not know
 * (".foo.text", as hand-written or foreign code might use) changes.
 */
#include <sys/param.h>
#include <sys/systm.h>

int	foo_trampoline(int v);

__attribute__((__section__(".foo.text"), __noinline__)) int
foo_trampoline(int v)
{
	printf("foo: trampoline at %d\n", v);
	return (v + 1);
}
