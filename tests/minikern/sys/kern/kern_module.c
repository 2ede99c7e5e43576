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
 * Modules compiled into the kernel: DECLARE_MODULE's SYSINIT calls
 * module_register_init, which registers the module and sends it MOD_LOAD;
 * a failing MOD_LOAD is followed by MOD_UNLOAD, as in FreeBSD.  The
 * fixture has no kernel linker, so klds (patch modules among them) are
 * only compiled and linked against it, never loaded.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/module.h>

#define	MAXMODULES	32

struct module {
	const char	*name;
	modeventhand_t	handler;
	void		*arg;
};

static struct module	modules[MAXMODULES];
static int		nmodules;

void
module_register_init(const void *arg)
{
	const moduledata_t *data = arg;
	struct module *mod;
	int error;

	if (nmodules == MAXMODULES)
		panic("module_register_init: too many modules (%s)",
		    data->name);
	mod = &modules[nmodules++];
	mod->name = data->name;
	mod->handler = data->evhand;
	mod->arg = data->priv;
	if (mod->handler == NULL)
		return;
	error = mod->handler(mod, MOD_LOAD, mod->arg);
	if (error != 0) {
		(void)mod->handler(mod, MOD_UNLOAD, mod->arg);
		printf("module_register_init: MOD_LOAD (%s) error %d\n",
		    data->name, error);
		nmodules--;
	}
}

const char *
module_getname(module_t mod)
{

	return (mod->name);
}
