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
 * Modules (kern_module.c): registration from a file's MDT_MODULE
 * metadata, MOD_LOAD from the module's SYSINIT (module_register_init,
 * with Giant held; a failing MOD_LOAD is followed by MOD_UNLOAD and the
 * module is released), MOD_QUIESCE and MOD_UNLOAD with Giant held, and
 * modfind(2)'s lookups.  The module list is protected by modules_sx.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/module.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sx.h>

#include "fbsd_kern.h"

static MALLOC_DEFINE(M_MODULE, "module", "module data structures");

struct module {
	TAILQ_ENTRY(module) link;	/* chain together all modules */
	TAILQ_ENTRY(module) flink;	/* all modules in a file */
	struct linker_file *file;	/* file which contains this module */
	int		refs;
	int		id;
	char		*name;
	modeventhand_t	handler;
	void		*arg;
	modspecific_t	data;
};

#define	MOD_EVENT(mod, type)	(mod)->handler((mod), (type), (mod)->arg)

static TAILQ_HEAD(modulelist, module) modules =
    TAILQ_HEAD_INITIALIZER(modules);
struct sx modules_sx;
static int nextid = 1;

void fbsd_module_init(void);
void
fbsd_module_init(void)
{
	sx_init(&modules_sx, "module subsystem sx lock");
}

static int
modevent_nop(module_t mod, int what, void *arg)
{
	(void)mod;
	(void)arg;
	switch (what) {
	case MOD_LOAD:
	case MOD_UNLOAD:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

void
module_register_init(const void *arg)
{
	const moduledata_t *data = arg;
	module_t mod;
	int error;

	mtx_lock(&Giant);
	sx_slock(&modules_sx);
	mod = module_lookupbyname(data->name);
	if (mod == NULL)
		panic("module_register_init: module named %s not found",
		    data->name);
	sx_sunlock(&modules_sx);
	error = MOD_EVENT(mod, MOD_LOAD);
	if (error != 0) {
		MOD_EVENT(mod, MOD_UNLOAD);
		sx_xlock(&modules_sx);
		module_release(mod);
		sx_xunlock(&modules_sx);
		printf("module_register_init: MOD_LOAD (%s, %p, %p) error "
		    "%d\n", data->name, (void *)data->evhand, data->priv,
		    error);
	} else {
		/* Unloaded in the reverse order of loading. */
		sx_xlock(&modules_sx);
		if (mod->file != NULL) {
			TAILQ_REMOVE(&mod->file->modules, mod, flink);
			TAILQ_INSERT_HEAD(&mod->file->modules, mod, flink);
		}
		sx_xunlock(&modules_sx);
	}
	mtx_unlock(&Giant);
}

int
module_register(const moduledata_t *data, linker_file_t container)
{
	module_t newmod;
	size_t namelen;

	sx_xlock(&modules_sx);
	newmod = module_lookupbyname(data->name);
	if (newmod != NULL) {
		sx_xunlock(&modules_sx);
		printf("module_register: cannot register %s from %s; already "
		    "loaded from %s\n", data->name, container->filename,
		    newmod->file != NULL ? newmod->file->filename : "?");
		return (EEXIST);
	}
	namelen = strlen(data->name) + 1;
	newmod = malloc(sizeof(*newmod) + namelen, M_MODULE, M_WAITOK);
	newmod->refs = 1;
	newmod->id = nextid++;
	newmod->name = (char *)(newmod + 1);
	memcpy(newmod->name, data->name, namelen);
	newmod->handler = data->evhand != NULL ? data->evhand : modevent_nop;
	newmod->arg = data->priv;
	memset(&newmod->data, 0, sizeof(newmod->data));
	TAILQ_INSERT_TAIL(&modules, newmod, link);
	if (container != NULL)
		TAILQ_INSERT_TAIL(&container->modules, newmod, flink);
	newmod->file = container;
	sx_xunlock(&modules_sx);
	return (0);
}

void
module_reference(module_t mod)
{
	sx_assert(&modules_sx, SA_XLOCKED);
	mod->refs++;
}

void
module_release(module_t mod)
{
	sx_assert(&modules_sx, SA_XLOCKED);
	if (mod->refs <= 0)
		panic("module_release: bad reference count");
	if (--mod->refs == 0) {
		TAILQ_REMOVE(&modules, mod, link);
		if (mod->file != NULL)
			TAILQ_REMOVE(&mod->file->modules, mod, flink);
		free(mod, M_MODULE);
	}
}

module_t
module_lookupbyname(const char *name)
{
	module_t mod;

	sx_assert(&modules_sx, SA_LOCKED);
	TAILQ_FOREACH(mod, &modules, link)
		if (strcmp(mod->name, name) == 0)
			return (mod);
	return (NULL);
}

module_t
module_lookupbyid(int modid)
{
	module_t mod;

	sx_assert(&modules_sx, SA_LOCKED);
	TAILQ_FOREACH(mod, &modules, link)
		if (mod->id == modid)
			return (mod);
	return (NULL);
}

int
module_quiesce(module_t mod)
{
	int error;

	mtx_lock(&Giant);
	error = MOD_EVENT(mod, MOD_QUIESCE);
	mtx_unlock(&Giant);
	if (error == EOPNOTSUPP || error == EINVAL)
		error = 0;
	return (error);
}

int
module_unload(module_t mod)
{
	int error;

	mtx_lock(&Giant);
	error = MOD_EVENT(mod, MOD_UNLOAD);
	mtx_unlock(&Giant);
	return (error);
}

int
module_getid(module_t mod)
{
	return (mod->id);
}

module_t
module_getfnext(module_t mod)
{
	return (TAILQ_NEXT(mod, flink));
}

const char *
module_getname(module_t mod)
{
	return (mod->name);
}

void
module_setspecific(module_t mod, modspecific_t *datap)
{
	mod->data = *datap;
}

linker_file_t
module_file(module_t mod)
{
	return (mod->file);
}

/* modfind(2). */
int fbsd_sys_modfind(struct thread *td, const char *name, int *modid);
int
fbsd_sys_modfind(struct thread *td, const char *name, int *modid)
{
	module_t mod;
	int error;

	(void)td;
	sx_slock(&modules_sx);
	mod = module_lookupbyname(name);
	error = mod != NULL ? 0 : ENOENT;
	if (mod != NULL)
		*modid = mod->id;
	sx_sunlock(&modules_sx);
	return (error);
}
