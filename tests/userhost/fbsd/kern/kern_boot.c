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
 * Boot (mi_startup's part) and the entry points host code calls: each
 * enters the kernel as a process's thread, makes the call a system call
 * would make (kern_kldload, kern___sysctlbyname, ...), and leaves.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/kthread.h>
#include <sys/linker.h>
#include <sys/malloc.h>
#include <sys/module.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sysctl.h>

#include "fbsd_api.h"
#include "fbsd_kern.h"

void	fbsd_kernel_startup(void);
int	fbsd_sys_sysctlbyname(struct thread *td, const char *name, void *old,
	    size_t *oldlenp, const void *new, size_t newlen);
int	fbsd_sys_modfind(struct thread *td, const char *name, int *modid);
int	fbsd_kthread_join(struct thread *td);

static char api_comm[MAXCOMLEN + 1] = "user";

int
fbsd_boot(const struct fbsd_boot_args *args)
{
	bootverbose = args->verbose;
	fbsd_cpus_init(args->ncpus);
	mtx_init(&Giant, "Giant", NULL, MTX_DEF | MTX_RECURSE);
	fbsd_linker_init(args->kernel_path != NULL ? args->kernel_path :
	    fbsd_host_kernel_path(), args->module_path);
	fbsd_kernel_startup();
	cold = 0;
	fbsd_leave();
	return (0);
}

int
fbsd_api_boot(int ncpus, const char *module_path, int verbose)
{
	struct fbsd_boot_args a;

	memset(&a, 0, sizeof(a));
	a.ncpus = ncpus;
	a.verbose = verbose;
	a.module_path = module_path;
	return (fbsd_boot(&a));
}

void
fbsd_api_set_comm(const char *comm)
{
	strlcpy(api_comm, comm, sizeof(api_comm));
}

void
fbsd_api_thread_exit(void)
{
	fbsd_thread_forget();
}

int
fbsd_api_kldload(const char *file, int *fileid)
{
	struct thread *td;
	int error;

	td = fbsd_enter(api_comm);
	error = kern_kldload(td, file, fileid);
	fbsd_leave();
	return (error);
}

int
fbsd_api_kldunload(int fileid, int force)
{
	struct thread *td;
	int error;

	td = fbsd_enter(api_comm);
	error = kern_kldunload(td, fileid, force ? LINKER_UNLOAD_FORCE :
	    LINKER_UNLOAD_NORMAL);
	fbsd_leave();
	return (error);
}

int
fbsd_api_kldfind(const char *file, int *fileid)
{
	struct thread *td;
	int error;

	td = fbsd_enter(api_comm);
	error = kern_kldfind(td, file, fileid);
	fbsd_leave();
	return (error);
}

int
fbsd_api_modfind(const char *name, int *modid)
{
	struct thread *td;
	int error;

	td = fbsd_enter(api_comm);
	error = fbsd_sys_modfind(td, name, modid);
	fbsd_leave();
	return (error);
}

int
fbsd_api_sysctlbyname(const char *name, void *old, fbsd_api_size *oldlenp,
    const void *new, fbsd_api_size newlen)
{
	struct thread *td;
	int error;

	td = fbsd_enter(api_comm);
	error = fbsd_sys_sysctlbyname(td, name, old, oldlenp, new, newlen);
	fbsd_leave();
	return (error);
}

int
fbsd_api_kthread(void (*fn)(void *), void *arg, const char *name,
    void **handle)
{
	struct thread *td;
	int error;

	fbsd_enter(api_comm);
	error = kthread_add(fn, arg, NULL, &td, 0, 0, "%s", name);
	fbsd_leave();
	if (error == 0)
		*handle = td;
	return (error);
}

int
fbsd_api_join(void *handle)
{
	return (fbsd_kthread_join(handle));
}

fbsd_api_size
fbsd_api_dmesg(char *buf, fbsd_api_size len)
{
	return (fbsd_msgbuf_copy(buf, len));
}

void
fbsd_api_dmesg_clear(void)
{
	fbsd_msgbuf_clear();
}

const char *
fbsd_api_kld_error(void)
{
	return (fbsd_linker_last_error());
}

void
fbsd_api_counters(struct fbsd_api_counters *c)
{
	c->rendezvous = fbsd_counters.rendezvous;
	c->ipis = fbsd_counters.ipis;
	c->idle_ipis = fbsd_counters.idle_ipis;
	c->wp_opens = fbsd_counters.wp_opens;
	c->switches = fbsd_counters.switches;
}

long fbsd_malloc_inuse(const char *shortdesc);
long
fbsd_api_malloc_inuse(const char *shortdesc)
{
	return (fbsd_malloc_inuse(shortdesc));
}

void *
fbsd_api_kernel_symbol(const char *name)
{
	caddr_t addr;

	fbsd_enter(api_comm);
	addr = linker_file_lookup_symbol(linker_kernel_file, name, 0);
	fbsd_leave();
	return (addr);
}

int
fbsd_api_intr_arm(const void *pc)
{
	return (fbsd_intr_arm((fbsd_host_uptr)pc));
}

int
fbsd_api_intr_wait(int timeout_ms)
{
	return (fbsd_intr_wait((unsigned long long)timeout_ms * 1000000ull));
}

void
fbsd_api_intr_release(void)
{
	fbsd_intr_release();
}
