/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * Inline assembly puts a fixup path into a section of its own with no
 * function symbol (as .pushsection fixups do); the changed function jumps
 * to it.  The patch carries whole functions only.
 */
#include <sys/param.h>
#include <sys/systm.h>

int	foo_probe(int v);

int
foo_probe(int v)
{
	__asm__ __volatile__(
	    "testl %0, %0\n\t"
	    "js 2f\n"
	    "1:\n\t"
	    ".pushsection .text.foo_fixup,\"ax\",@progbits\n"
	    "2:\tmovl $0, %0\n\t"
	    "jmp 1b\n\t"
	    ".popsection"
	    : "+r" (v));
	return (v + 2);
}
