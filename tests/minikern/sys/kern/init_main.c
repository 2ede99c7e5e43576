/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR AND CONTRIBUTORS ``AS IS'' AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE AUTHOR OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS
 * OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
 * HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT
 * LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY
 * OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF
 * SUCH DAMAGE.
 */

/*
 * Machine-independent startup: run every SYSINIT in (subsystem, order)
 * order.  Called once by the machine-dependent entry code.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>

int	cold = 1;
int	bootverbose;

SET_DECLARE(sysinit_set, struct sysinit);

static int
sysinit_before(const struct sysinit *a, const struct sysinit *b)
{
	if (a->subsystem != b->subsystem)
		return (a->subsystem < b->subsystem);
	return (a->order < b->order);
}

void	mi_startup(void);

void
mi_startup(void)
{
	struct sysinit **sipp, **xipp, *save;

	/* The set is small: an insertion sort is enough. */
	for (sipp = SET_BEGIN(sysinit_set); sipp < SET_LIMIT(sysinit_set);
	    sipp++) {
		for (xipp = sipp; xipp > SET_BEGIN(sysinit_set) &&
		    sysinit_before(*xipp, *(xipp - 1)); xipp--) {
			save = *xipp;
			*xipp = *(xipp - 1);
			*(xipp - 1) = save;
		}
	}
	SET_FOREACH(sipp, sysinit_set) {
		if ((*sipp)->subsystem == SI_SUB_DUMMY)
			continue;
		if (bootverbose)
			printf("sysinit %#x/%#x %p\n", (*sipp)->subsystem,
			    (*sipp)->order, (*sipp)->func);
		(*((*sipp)->func))((*sipp)->udata);
		(*sipp)->subsystem = SI_SUB_DONE;
	}
	cold = 0;
}
