/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <machine/ifunc.h>
#include <machine/md_var.h>
#include <machine/specialreg.h>

/*
 * A kernel without frame pointers (no DDB, KDTRACE_FRAME, HWPMC_HOOKS):
 * a wrapper that only forwards to the ifunc foo_fill compiles to a tail
 * call, "jmp foo_fill", at its very entry.  At boot the kernel linker
 * writes the chosen implementation into that jump (lld -z ifunc-noplt),
 * bytes 1-4 of the function: the live patch's own jump cannot go there.
 */
void	foo_ring_fill(uint32_t *p, uint32_t v, size_t n);

static void
foo_fill_std(uint32_t *p, uint32_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = v;
}

static void
foo_fill_erms(uint32_t *p, uint32_t v, size_t n)
{
	__asm __volatile("rep stosl"
	    : "+D" (p), "+c" (n) : "a" (v) : "memory");
}

DEFINE_IFUNC(, void, foo_fill, (uint32_t *, uint32_t, size_t))
{
	return ((cpu_stdext_feature & CPUID_STDEXT_ERMS) != 0 ?
	    foo_fill_erms : foo_fill_std);
}

void
foo_ring_fill(uint32_t *p, uint32_t v, size_t n)
{
	foo_fill(p, v, n & ~(size_t)1);
}
