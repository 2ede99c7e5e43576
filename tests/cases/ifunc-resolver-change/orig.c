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
 * An ifunc: foo_fill is STT_GNU_IFUNC; at boot the kernel calls
 * foo_fill_resolver() and binds every call site to the implementation
 * it returns, chosen from the CPUID feature words.
 */
struct foo_ring {
	uint32_t	*fr_slots;
	u_int		fr_n;
};

void	foo_ring_clear(struct foo_ring *fr);

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
foo_ring_clear(struct foo_ring *fr)
{
	foo_fill(fr->fr_slots, 0xffffffff, fr->fr_n);
}
