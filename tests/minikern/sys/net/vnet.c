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
 * VIMAGE: the data of every vnet is a copy of the "set_vnet" template.
 * This kernel has one vnet, vnet0.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <net/vnet.h>

static MALLOC_DEFINE(M_VNET, "vnet", "network stack control block");

extern char	__start_set_vnet[], __stop_set_vnet[];
__GLOBL(__start_set_vnet);
__GLOBL(__stop_set_vnet);

struct vnet	*vnet0;

static void
vnet0_init(void *arg __unused)
{
	struct vnet *vnet;
	size_t size;

	size = __stop_set_vnet - __start_set_vnet;
	vnet = malloc(sizeof(*vnet), M_VNET, M_WAITOK | M_ZERO);
	vnet->vnet_magic_n = VNET_MAGIC_N;
	vnet->vnet_data_mem = malloc(size, M_VNET, M_WAITOK);
	memcpy(vnet->vnet_data_mem, __start_set_vnet, size);
	vnet->vnet_data_base = (uintptr_t)vnet->vnet_data_mem -
	    (uintptr_t)__start_set_vnet;
	vnet0 = vnet;
}
SYSINIT(vnet0, SI_SUB_VNET_PRELINK, SI_ORDER_FIRST, vnet0_init, NULL);

void
vnet_register_sysinit(void *arg)
{
	struct vnet_sysinit *vs = arg;

	KASSERT(vnet0 != NULL, ("%s: no vnet0", __func__));
	CURVNET_SET(vnet0);
	vs->func(vs->arg);
	CURVNET_RESTORE();
}
