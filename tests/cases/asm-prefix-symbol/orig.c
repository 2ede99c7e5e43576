/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * Inline assembly puts a 16-byte prefix symbol into the function's own
 * section (as Linux's __pfx_ symbols or patchable-entry padding do).  The
 * object is built with -ffunction-sections; the section still holds more.
 */
#include <sys/param.h>
#include <sys/systm.h>

int	foo_get(int v);

__asm__(".pushsection .text.foo_get,\"ax\",@progbits\n"
    ".type __pfx_foo_get,@function\n"
    "__pfx_foo_get:\n\t"
    ".skip 16, 0x90\n"
    ".size __pfx_foo_get, 16\n"
    ".popsection");

int
foo_get(int v)
{
	printf("foo: get %d\n", v);
	return (v + 1);
}
