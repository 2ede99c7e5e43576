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
 * The kernel linker (kern_linker.c): loaded files, kldload(2),
 * kldunload(2), kldfind(2), module dependencies (MDT_DEPEND, MDT_VERSION),
 * SYSINIT/SYSUNINIT of a file, its sysctls, and the kernel file itself,
 * whose symbol table is the running executable's .symtab (locals
 * included, as loader(8) preloads it for the kernel).
 *
 * Locking follows FreeBSD: kld_sx is held exclusively while a file is
 * loaded or unloaded, and dropped (Giant taken) while its SYSINITs and
 * SYSUNINITs run; linker_file_lookup_set() asserts that kld_sx is held.
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
#include <sys/sysctl.h>

#include "linker_if.h"
#include "fbsd_kern.h"

MALLOC_DEFINE(M_LINKER, "linker", "kernel linker");

/* Every file depends on the kernel, which provides module "kernel". */
MODULE_VERSION(kernel, __FreeBSD_version);

struct modlist {
	TAILQ_ENTRY(modlist) link;	/* chain together all modules */
	linker_file_t	container;
	const char	*name;
	int		version;
};
typedef struct modlist *modlist_t;

static TAILQ_HEAD(, modlist) found_modules =
    TAILQ_HEAD_INITIALIZER(found_modules);
static linker_file_list_t linker_files = TAILQ_HEAD_INITIALIZER(linker_files);
static struct sx kld_sx;
static int next_file_id = 1;
static int loadcnt;
static char *linker_path;
linker_file_t linker_kernel_file;

extern struct sx modules_sx;

static char *
kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	p = malloc(n, M_LINKER, M_WAITOK);
	memcpy(p, s, n);
	return (p);
}

static const char *
linker_basename(const char *path)
{
	const char *p;

	p = path;
	for (; *path != '\0'; path++)
		if (*path == '/')
			p = path + 1;
	return (p);
}

/* The reason for the last refusal, for tests (printf has it too). */
static char linker_errbuf[512];

void
fbsd_linker_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(linker_errbuf, sizeof(linker_errbuf), fmt, ap);
	va_end(ap);
	printf("%s\n", linker_errbuf);
}

const char *
fbsd_linker_last_error(void)
{
	return (linker_errbuf);
}

linker_file_t
fbsd_linker_make_file(const char *pathname, const struct linker_class *cls)
{
	linker_file_t lf;

	sx_assert(&kld_sx, SA_XLOCKED);
	lf = malloc(sizeof(*lf), M_LINKER, M_WAITOK | M_ZERO);
	lf->ops = cls;
	lf->refs = 1;
	lf->userrefs = 0;
	lf->flags = 0;
	lf->filename = kstrdup(linker_basename(pathname));
	lf->pathname = kstrdup(pathname);
	lf->id = next_file_id++;
	lf->ndeps = 0;
	lf->deps = NULL;
	lf->loadcnt = ++loadcnt;
	TAILQ_INIT(&lf->modules);
	TAILQ_INSERT_TAIL(&linker_files, lf, link);
	return (lf);
}

void
fbsd_linker_file_free(linker_file_t lf)
{
	free(lf->filename, M_LINKER);
	free(lf->pathname, M_LINKER);
	free(lf, M_LINKER);
}

int
linker_file_lookup_set(linker_file_t file, const char *name, void *firstp,
    void *lastp, int *countp)
{
	sx_assert(&kld_sx, SA_LOCKED);
	return (LINKER_LOOKUP_SET(file, name, firstp, lastp, countp));
}

/* Sort by (subsystem, order); ties keep their place. */
static void
sysinit_sort(struct sysinit **start, struct sysinit **stop, int reverse)
{
	struct sysinit **a, **b, *t;
	int swap;

	for (a = start; a < stop; a++)
		for (b = a + 1; b < stop; b++) {
			if (!reverse)
				swap = (*a)->subsystem > (*b)->subsystem ||
				    ((*a)->subsystem == (*b)->subsystem &&
				    (*a)->order > (*b)->order);
			else
				swap = (*a)->subsystem < (*b)->subsystem ||
				    ((*a)->subsystem == (*b)->subsystem &&
				    (*a)->order < (*b)->order);
			if (swap) {
				t = *a;
				*a = *b;
				*b = t;
			}
		}
}

void
fbsd_sysinit_run(struct sysinit **start, struct sysinit **stop)
{
	struct sysinit **sipp;

	sysinit_sort(start, stop, 0);
	for (sipp = start; sipp < stop; sipp++) {
		if ((*sipp)->subsystem == SI_SUB_DUMMY)
			continue;
		(*(*sipp)->func)((*sipp)->udata);
	}
}

void
fbsd_sysuninit_run(struct sysinit **start, struct sysinit **stop)
{
	struct sysinit **sipp;

	sysinit_sort(start, stop, 1);
	for (sipp = start; sipp < stop; sipp++) {
		if ((*sipp)->subsystem == SI_SUB_DUMMY)
			continue;
		(*(*sipp)->func)((*sipp)->udata);
	}
}

static void
linker_file_sysinit(linker_file_t lf)
{
	struct sysinit **start, **stop;

	sx_assert(&kld_sx, SA_XLOCKED);
	if (linker_file_lookup_set(lf, "sysinit_set", &start, &stop,
	    NULL) != 0)
		return;
	sx_xunlock(&kld_sx);
	mtx_lock(&Giant);
	fbsd_sysinit_run(start, stop);
	mtx_unlock(&Giant);
	sx_xlock(&kld_sx);
}

static void
linker_file_sysuninit(linker_file_t lf)
{
	struct sysinit **start, **stop;

	sx_assert(&kld_sx, SA_XLOCKED);
	if (linker_file_lookup_set(lf, "sysuninit_set", &start, &stop,
	    NULL) != 0)
		return;
	sx_xunlock(&kld_sx);
	mtx_lock(&Giant);
	fbsd_sysuninit_run(start, stop);
	mtx_unlock(&Giant);
	sx_xlock(&kld_sx);
}

static void
linker_file_register_sysctls(linker_file_t lf, bool enable)
{
	struct sysctl_oid **start, **stop, **oidp;

	sx_assert(&kld_sx, SA_XLOCKED);
	if (linker_file_lookup_set(lf, "sysctl_set", &start, &stop, NULL) != 0)
		return;
	sx_xunlock(&kld_sx);
	for (oidp = start; oidp < stop; oidp++) {
		if (enable)
			sysctl_register_oid(*oidp);
		else
			sysctl_register_disabled_oid(*oidp);
	}
	sx_xlock(&kld_sx);
}

static void
linker_file_enable_sysctls(linker_file_t lf)
{
	struct sysctl_oid **start, **stop, **oidp;

	if (linker_file_lookup_set(lf, "sysctl_set", &start, &stop, NULL) != 0)
		return;
	sx_xunlock(&kld_sx);
	for (oidp = start; oidp < stop; oidp++)
		sysctl_enable_oid(*oidp);
	sx_xlock(&kld_sx);
}

static void
linker_file_unregister_sysctls(linker_file_t lf)
{
	struct sysctl_oid **start, **stop, **oidp;

	if (linker_file_lookup_set(lf, "sysctl_set", &start, &stop, NULL) != 0)
		return;
	sx_xunlock(&kld_sx);
	for (oidp = start; oidp < stop; oidp++)
		sysctl_unregister_oid(*oidp);
	sx_xlock(&kld_sx);
}

static int
linker_file_register_modules(linker_file_t lf)
{
	struct mod_metadata **start, **stop, **mdp;
	const moduledata_t *moddata;
	int first_error, error;

	sx_assert(&kld_sx, SA_XLOCKED);
	if (linker_file_lookup_set(lf, MDT_SETNAME, &start, &stop, NULL) != 0)
		return (0);
	first_error = 0;
	for (mdp = start; mdp < stop; mdp++) {
		if ((*mdp)->md_type != MDT_MODULE)
			continue;
		moddata = (*mdp)->md_data;
		error = module_register(moddata, lf);
		if (error != 0) {
			printf("Module %s failed to register: %d\n",
			    moddata->name, error);
			if (first_error == 0)
				first_error = error;
		}
	}
	return (first_error);
}

static modlist_t
modlist_lookup(const char *name, int ver)
{
	modlist_t mod;

	TAILQ_FOREACH(mod, &found_modules, link)
		if (strcmp(mod->name, name) == 0 &&
		    (ver == 0 || mod->version == ver))
			return (mod);
	return (NULL);
}

/* The preferred version if present, else the newest within the range. */
static modlist_t
modlist_lookup2(const char *name, const struct mod_depend *verinfo)
{
	modlist_t mod, best;

	if (verinfo == NULL)
		return (modlist_lookup(name, 0));
	best = NULL;
	TAILQ_FOREACH(mod, &found_modules, link) {
		if (strcmp(mod->name, name) != 0)
			continue;
		if (mod->version == verinfo->md_ver_preferred)
			return (mod);
		if (mod->version >= verinfo->md_ver_minimum &&
		    mod->version <= verinfo->md_ver_maximum &&
		    (best == NULL || mod->version > best->version))
			best = mod;
	}
	return (best);
}

static void
linker_addmodules(linker_file_t lf, struct mod_metadata **start,
    struct mod_metadata **stop)
{
	struct mod_metadata **mdp;
	modlist_t mod;
	int ver;

	for (mdp = start; mdp < stop; mdp++) {
		if ((*mdp)->md_type != MDT_VERSION)
			continue;
		ver = ((const struct mod_version *)(*mdp)->md_data)->mv_version;
		if (modlist_lookup((*mdp)->md_cval, ver) != NULL) {
			printf("module %s already present!\n", (*mdp)->md_cval);
			continue;
		}
		mod = malloc(sizeof(*mod), M_LINKER, M_WAITOK | M_ZERO);
		mod->container = lf;
		mod->name = (*mdp)->md_cval;
		mod->version = ver;
		TAILQ_INSERT_TAIL(&found_modules, mod, link);
	}
}

int
fbsd_linker_file_add_dependency(linker_file_t file, linker_file_t dep)
{
	linker_file_t *newdeps;

	sx_assert(&kld_sx, SA_XLOCKED);
	newdeps = malloc((size_t)(file->ndeps + 1) * sizeof(*newdeps),
	    M_LINKER, M_WAITOK | M_ZERO);
	if (file->deps != NULL) {
		memcpy(newdeps, file->deps, (size_t)file->ndeps *
		    sizeof(*newdeps));
		free(file->deps, M_LINKER);
	}
	file->deps = newdeps;
	file->deps[file->ndeps++] = dep;
	return (0);
}

static linker_file_t
linker_find_file_by_name(const char *filename)
{
	linker_file_t lf;

	sx_assert(&kld_sx, SA_XLOCKED);
	TAILQ_FOREACH(lf, &linker_files, link)
		if (strcmp(lf->filename, filename) == 0)
			return (lf);
	return (NULL);
}

linker_file_t
linker_find_file_by_id(int fileid)
{
	linker_file_t lf;

	sx_assert(&kld_sx, SA_XLOCKED);
	TAILQ_FOREACH(lf, &linker_files, link)
		if (lf->id == fileid && (lf->flags & LINKER_FILE_LINKED) != 0)
			return (lf);
	return (NULL);
}

int
linker_file_foreach(linker_function_t *predicate, void *context)
{
	linker_file_t lf;
	int retval = 0;

	sx_xlock(&kld_sx);
	TAILQ_FOREACH(lf, &linker_files, link) {
		retval = predicate(lf, context);
		if (retval != 0)
			break;
	}
	sx_xunlock(&kld_sx);
	return (retval);
}

static caddr_t
lookup_symbol_internal(linker_file_t file, const char *name, int deps)
{
	linker_symval_t symval;
	c_linker_sym_t sym;
	caddr_t address;
	int i;

	sx_assert(&kld_sx, SA_XLOCKED);
	if (LINKER_LOOKUP_SYMBOL(file, name, &sym) == 0) {
		LINKER_SYMBOL_VALUES(file, sym, &symval);
		if (symval.value != 0)
			return (symval.value);
	}
	if (deps)
		for (i = 0; i < file->ndeps; i++) {
			address = lookup_symbol_internal(file->deps[i], name, 0);
			if (address != 0)
				return (address);
		}
	return (0);
}

caddr_t
linker_file_lookup_symbol(linker_file_t file, const char *name, int deps)
{
	caddr_t sym;
	int locked;

	locked = sx_xlocked(&kld_sx);
	if (!locked)
		sx_xlock(&kld_sx);
	sym = lookup_symbol_internal(file, name, deps);
	if (!locked)
		sx_xunlock(&kld_sx);
	return (sym);
}

static int linker_load_module(const char *kldname, const char *modname,
    linker_file_t parent, const struct mod_depend *verinfo,
    linker_file_t *lfpp);
static int linker_file_unload(linker_file_t file, int flags);

/*
 * The file's MDT_DEPEND entries: each must be satisfied by a loaded
 * module of a version in range, or by loading <module>.ko from the module
 * path.  Called by the ELF loader between local and global relocation.
 */
int
fbsd_linker_load_dependencies(linker_file_t lf)
{
	struct mod_metadata **start, **stop, **mdp, **nmdp;
	const struct mod_depend *verinfo;
	const char *modname;
	linker_file_t lfdep;
	modlist_t mod;
	int ver, error;

	sx_assert(&kld_sx, SA_XLOCKED);
	if (linker_kernel_file != NULL) {
		linker_kernel_file->refs++;
		error = fbsd_linker_file_add_dependency(lf, linker_kernel_file);
		if (error != 0)
			return (error);
	}
	if (linker_file_lookup_set(lf, MDT_SETNAME, &start, &stop, NULL) != 0)
		return (0);
	for (mdp = start; mdp < stop; mdp++) {
		if ((*mdp)->md_type != MDT_VERSION)
			continue;
		modname = (*mdp)->md_cval;
		ver = ((const struct mod_version *)(*mdp)->md_data)->mv_version;
		mod = modlist_lookup(modname, ver);
		if (mod != NULL) {
			fbsd_linker_error("interface %s.%d already present in "
			    "the KLD '%s'!", modname, ver,
			    mod->container->filename);
			return (EEXIST);
		}
	}
	error = 0;
	for (mdp = start; mdp < stop; mdp++) {
		if ((*mdp)->md_type != MDT_DEPEND)
			continue;
		modname = (*mdp)->md_cval;
		verinfo = (*mdp)->md_data;
		for (nmdp = start; nmdp < stop; nmdp++)
			if ((*nmdp)->md_type == MDT_VERSION &&
			    strcmp(modname, (*nmdp)->md_cval) == 0)
				break;
		if (nmdp < stop)
			continue;	/* a reference to itself */
		mod = modlist_lookup2(modname, verinfo);
		if (mod != NULL) {
			lfdep = mod->container;
			lfdep->refs++;
			error = fbsd_linker_file_add_dependency(lf, lfdep);
			if (error != 0)
				break;
			continue;
		}
		error = linker_load_module(NULL, modname, lf, verinfo, NULL);
		if (error != 0) {
			fbsd_linker_error("KLD %s: depends on %s - not "
			    "available or version mismatch", lf->filename,
			    modname);
			break;
		}
	}
	if (error != 0)
		return (error);
	linker_addmodules(lf, start, stop);
	return (0);
}

static int
linker_load_file(const char *filename, linker_file_t *result)
{
	linker_file_t lf;
	int error, modules;

	sx_assert(&kld_sx, SA_XLOCKED);
	lf = linker_find_file_by_name(linker_basename(filename));
	if (lf != NULL) {
		*result = lf;
		lf->refs++;
		return (0);
	}
	lf = NULL;
	error = fbsd_elf_obj_load(filename, linker_basename(filename), &lf);
	if (error != 0 || lf == NULL)
		return (error == ENOENT ? ENOENT :
		    error == EEXIST ? EEXIST : ENOEXEC);
	error = linker_file_register_modules(lf);
	if (error == EEXIST) {
		linker_file_unload(lf, LINKER_UNLOAD_FORCE);
		return (error);
	}
	modules = !TAILQ_EMPTY(&lf->modules);
	linker_file_register_sysctls(lf, false);
	linker_file_sysinit(lf);
	lf->flags |= LINKER_FILE_LINKED;
	/* Every module of the file failed MOD_LOAD: the file goes too. */
	if (modules && TAILQ_EMPTY(&lf->modules)) {
		fbsd_linker_error("kldload: %s: every module failed to "
		    "load; file unloaded", lf->filename);
		linker_file_unload(lf, LINKER_UNLOAD_FORCE);
		return (ENOEXEC);
	}
	linker_file_enable_sysctls(lf);
	*result = lf;
	return (0);
}

/* <module path>/<name>.ko, if the module path is set. */
static char *
linker_search_module(const char *modname)
{
	char *path;
	size_t n;

	if (linker_path == NULL)
		return (NULL);
	n = strlen(linker_path) + strlen(modname) + 5;
	path = malloc(n, M_LINKER, M_WAITOK);
	snprintf(path, n, "%s/%s.ko", linker_path, modname);
	return (path);
}

static int
linker_load_module(const char *kldname, const char *modname,
    linker_file_t parent, const struct mod_depend *verinfo,
    linker_file_t *lfpp)
{
	linker_file_t lfdep;
	char *pathname;
	int error;

	sx_assert(&kld_sx, SA_XLOCKED);
	if (modname == NULL) {
		if (parent != NULL)
			panic("linker_load_module: parent without module");
		pathname = kstrdup(kldname);
	} else {
		if (modlist_lookup2(modname, verinfo) != NULL)
			return (EEXIST);
		pathname = linker_search_module(modname);
		if (pathname == NULL)
			return (ENOENT);
	}
	/*
	 * As FreeBSD: one file per basename, whatever its directory (a
	 * second foo.ko from elsewhere is EEXIST, not the first one again).
	 */
	if (linker_find_file_by_name(linker_basename(pathname)) != NULL) {
		free(pathname, M_LINKER);
		return (EEXIST);
	}
	error = linker_load_file(pathname, &lfdep);
	free(pathname, M_LINKER);
	if (error != 0)
		return (error);
	if (modname != NULL && verinfo != NULL &&
	    modlist_lookup2(modname, verinfo) == NULL) {
		linker_file_unload(lfdep, LINKER_UNLOAD_FORCE);
		return (ENOENT);
	}
	if (parent != NULL) {
		error = fbsd_linker_file_add_dependency(parent, lfdep);
		if (error != 0)
			return (error);
	}
	if (lfpp != NULL)
		*lfpp = lfdep;
	return (0);
}

static int
linker_file_unload(linker_file_t file, int flags)
{
	module_t mod, next;
	modlist_t ml, nextml;
	int error, i;

	sx_assert(&kld_sx, SA_XLOCKED);
	if (file->refs > 1) {
		file->refs--;
		return (0);
	}
	/* Every module may veto (MOD_QUIESCE) unless forced. */
	sx_slock(&modules_sx);
	for (mod = TAILQ_FIRST(&file->modules); mod != NULL;
	    mod = module_getfnext(mod)) {
		error = module_quiesce(mod);
		if (error != 0 && flags != LINKER_UNLOAD_FORCE) {
			sx_sunlock(&modules_sx);
			fbsd_linker_error("kldunload: %s: module %s vetoed the "
			    "unload (%d)", file->filename, module_getname(mod),
			    error);
			return (error);
		}
	}
	sx_sunlock(&modules_sx);
	sx_xlock(&modules_sx);
	for (mod = TAILQ_FIRST(&file->modules); mod != NULL; mod = next) {
		next = module_getfnext(mod);
		sx_xunlock(&modules_sx);
		if ((error = module_unload(mod)) != 0) {
			fbsd_linker_error("kldunload: %s: module %s failed to "
			    "unload (%d)", file->filename, module_getname(mod),
			    error);
			return (error);
		}
		sx_xlock(&modules_sx);
		module_release(mod);
	}
	sx_xunlock(&modules_sx);
	for (ml = TAILQ_FIRST(&found_modules); ml != NULL; ml = nextml) {
		nextml = TAILQ_NEXT(ml, link);
		if (ml->container == file) {
			TAILQ_REMOVE(&found_modules, ml, link);
			free(ml, M_LINKER);
		}
	}
	if ((file->flags & LINKER_FILE_LINKED) != 0) {
		file->flags &= ~LINKER_FILE_LINKED;
		linker_file_unregister_sysctls(file);
		linker_file_sysuninit(file);
	}
	TAILQ_REMOVE(&linker_files, file, link);
	if (file->deps != NULL) {
		for (i = 0; i < file->ndeps; i++)
			linker_file_unload(file->deps[i], flags);
		free(file->deps, M_LINKER);
		file->deps = NULL;
	}
	file->ops->unload(file);
	fbsd_linker_file_free(file);
	return (0);
}

/* A file that failed to load: off the list, its dependencies dropped. */
void
fbsd_linker_release_file(linker_file_t lf)
{
	modlist_t ml, nextml;
	int i;

	sx_assert(&kld_sx, SA_XLOCKED);
	for (ml = TAILQ_FIRST(&found_modules); ml != NULL; ml = nextml) {
		nextml = TAILQ_NEXT(ml, link);
		if (ml->container == lf) {
			TAILQ_REMOVE(&found_modules, ml, link);
			free(ml, M_LINKER);
		}
	}
	TAILQ_REMOVE(&linker_files, lf, link);
	if (lf->deps != NULL) {
		for (i = 0; i < lf->ndeps; i++)
			linker_file_unload(lf->deps[i], LINKER_UNLOAD_FORCE);
		free(lf->deps, M_LINKER);
		lf->deps = NULL;
		lf->ndeps = 0;
	}
}

int
kern_kldload(struct thread *td, const char *file, int *fileid)
{
	const char *kldname, *modname;
	linker_file_t lf;
	int error;

	(void)td;
	linker_errbuf[0] = '\0';
	if (strchr(file, '/') != NULL || strchr(file, '.') != NULL) {
		kldname = file;
		modname = NULL;
	} else {
		kldname = NULL;
		modname = file;
	}
	sx_xlock(&kld_sx);
	error = linker_load_module(kldname, modname, NULL, NULL, &lf);
	if (error == 0) {
		lf->userrefs++;
		if (fileid != NULL)
			*fileid = lf->id;
	}
	sx_xunlock(&kld_sx);
	return (error);
}

int
kern_kldunload(struct thread *td, int fileid, int flags)
{
	linker_file_t lf;
	int error;

	(void)td;
	linker_errbuf[0] = '\0';
	sx_xlock(&kld_sx);
	lf = linker_find_file_by_id(fileid);
	if (lf == NULL)
		error = ENOENT;
	else if (lf->userrefs == 0) {
		fbsd_linker_error("kldunload: attempt to unload file that was "
		    "loaded by the kernel");
		error = EBUSY;
	} else {
		lf->userrefs--;
		error = linker_file_unload(lf, flags);
		if (error != 0)
			lf->userrefs++;
	}
	sx_xunlock(&kld_sx);
	return (error);
}

int
kern_kldfind(struct thread *td, const char *file, int *fileid)
{
	linker_file_t lf;
	int error;

	(void)td;
	sx_xlock(&kld_sx);
	lf = linker_find_file_by_name(linker_basename(file));
	error = lf != NULL ? 0 : ENOENT;
	if (lf != NULL)
		*fileid = lf->id;
	sx_xunlock(&kld_sx);
	return (error);
}

/*
 * Boot: the kernel file, its modules and versions, its sysctls, and every
 * SYSINIT of the kernel image (mi_startup), MOD_LOAD of the modules built
 * into the kernel among them.
 */
SET_DECLARE(modmetadata_set, struct mod_metadata);
SET_DECLARE(sysinit_set, struct sysinit);
SET_DECLARE(sysuninit_set, struct sysinit);
void fbsd_module_init(void);
void fbsd_sysctl_boot(void);

void
fbsd_linker_init(const char *kernel_path, const char *module_path)
{
	linker_file_t lf;

	sx_init(&kld_sx, "kernel linker");
	fbsd_module_init();
	if (module_path != NULL) {
		linker_path = fbsd_host_alloc(strlen(module_path) + 1);
		strlcpy(linker_path, module_path, strlen(module_path) + 1);
	}
	sx_xlock(&kld_sx);
	lf = fbsd_host_alloc(sizeof(*lf));
	lf->ops = &fbsd_kernel_class;
	lf->refs = 1;
	lf->filename = "kernel";
	lf->pathname = __DECONST(char *, kernel_path);
	lf->id = next_file_id++;
	TAILQ_INIT(&lf->modules);
	if (fbsd_kernel_file_init(lf, kernel_path) != 0)
		panic("cannot read the kernel's symbol table from %s",
		    kernel_path);
	TAILQ_INSERT_TAIL(&linker_files, lf, link);
	linker_kernel_file = lf;
	sx_xunlock(&kld_sx);
}

void
fbsd_kernel_startup(void);
void
fbsd_kernel_startup(void)
{
	struct mod_metadata **start, **stop, **mdp;
	struct sysinit **sstart, **sstop, **kld;
	const moduledata_t *moddata;
	size_t n;

	fbsd_sysctl_boot();
	start = SET_BEGIN(modmetadata_set);
	stop = SET_LIMIT(modmetadata_set);
	/* mi_startup sorts a copy of the image's SYSINITs. */
	n = (size_t)(SET_LIMIT(sysinit_set) - SET_BEGIN(sysinit_set));
	sstart = fbsd_host_alloc((n + 1) * sizeof(*sstart));
	memcpy(sstart, SET_BEGIN(sysinit_set), n * sizeof(*sstart));
	sstop = sstart + n;
	sysinit_sort(sstart, sstop, 0);
	for (kld = sstart; kld < sstop && (*kld)->subsystem < SI_SUB_KLD; kld++)
		;
	mtx_lock(&Giant);
	fbsd_sysinit_run(sstart, kld);
	mtx_unlock(&Giant);
	/*
	 * SI_SUB_KLD: the kernel's own modules are registered (as
	 * linker_preload does), so that their SYSINITs find them.
	 */
	sx_xlock(&kld_sx);
	for (mdp = start; mdp < stop; mdp++) {
		if ((*mdp)->md_type != MDT_MODULE)
			continue;
		moddata = (*mdp)->md_data;
		if (module_register(moddata, linker_kernel_file) != 0)
			panic("cannot register module %s", moddata->name);
	}
	linker_addmodules(linker_kernel_file, start, stop);
	linker_kernel_file->flags |= LINKER_FILE_LINKED;
	sx_xunlock(&kld_sx);
	mtx_lock(&Giant);
	fbsd_sysinit_run(kld, sstop);
	mtx_unlock(&Giant);
	fbsd_host_free(sstart);
}

void
fbsd_shutdown(void)
{
	struct sysinit **start, **stop;
	size_t n;

	n = (size_t)(SET_LIMIT(sysuninit_set) - SET_BEGIN(sysuninit_set));
	start = fbsd_host_alloc((n + 1) * sizeof(*start));
	memcpy(start, SET_BEGIN(sysuninit_set), n * sizeof(*start));
	stop = start + n;
	mtx_lock(&Giant);
	fbsd_sysuninit_run(start, stop);
	mtx_unlock(&Giant);
	fbsd_host_free(start);
}
