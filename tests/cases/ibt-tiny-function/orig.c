/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * With IBT (-fcf-protection=branch) every function that may be called
 * indirectly starts with endbr64, and the runtime writes its 5-byte jump
 * after it.  "endbr64; xor %eax,%eax; ret" is 7 bytes, but only 3 of them
 * are patchable: too small, although the whole function is not.
 */
int	foo_is_enabled(void);
int	foo_poll(int);

__noinline int
foo_is_enabled(void)
{
	return (0);
}

int
foo_poll(int n)
{
	if (!foo_is_enabled())
		return (n);
	return (n + 1);
}
