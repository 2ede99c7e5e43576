/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>

/*
 * Function-local statics: GCC names them "<var>.<N>", clang
 * "<function>.<var>".  Both are LOCAL objects in the kernel's symbol
 * table; a patched function must use the kernel's copy, never a new one.
 */
int	foo_intr(int status);

int
foo_intr(int status)
{
	static int stray;
	static int lastwarn;

	if (status == 0) {
		stray++;
		if (ticks - lastwarn > 10 * hz) {
			lastwarn = ticks;
			printf("foo: %d stray interrupts\n", stray);
		}
		return (0);
	}
	return (1);
}
