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
 * Internal interfaces between the files of the personality's kernel, and
 * what the host-side harness (tests, the syscall shim) calls to boot and
 * drive it.  Kernel side: include after the FreeBSD headers.
 */

#ifndef FBSD_KERN_H
#define FBSD_KERN_H

#include <sys/param.h>
#include <sys/proc.h>
#include <sys/linker.h>

#include <sys/kernel.h>

#include "fbsd_host.h"

/* Boot: CPUs, thread0 (the caller), the kernel file, SYSINITs. */
struct fbsd_boot_args {
	int		ncpus;		/* mp_ncpus */
	int		verbose;	/* bootverbose */
	const char	*kernel_path;	/* NULL: the running executable */
	const char	*module_path;	/* directory kldload(2) searches */
};
int	fbsd_boot(const struct fbsd_boot_args *args);
/* Run every SYSUNINIT of the kernel; threads are left alone. */
void	fbsd_shutdown(void);

/* The console message buffer (dmesg). */
fbsd_host_size fbsd_msgbuf_copy(char *buf, fbsd_host_size len);
void	fbsd_msgbuf_clear(void);

/*
 * Threads.  A host thread that is not a kernel thread enters the kernel
 * with fbsd_enter (as a process's thread making a system call) and leaves
 * it with fbsd_leave; the first entry creates its struct thread in a
 * process named comm.
 */
struct thread *fbsd_enter(const char *comm);
void	fbsd_leave(void);
/* Forget the calling host thread's struct thread (it is about to exit). */
void	fbsd_thread_forget(void);

/* Scheduling (kern_sched.c): leave the CPU before blocking, come back. */
void	fbsd_switch_out(struct thread *td, const char *wmesg);
void	fbsd_switch_in(struct thread *td);
int	fbsd_intr_enabled(void);
void	fbsd_cpus_init(int ncpus);
struct thread *fbsd_thread_alloc(struct proc *p, const char *name,
	    int pages);
void	fbsd_thread_free(struct thread *td);
struct proc *fbsd_proc_alloc(const char *comm, int flags);
/*
 * An interrupt at an instruction (intr_machdep.c): the next thread that
 * calls fbsd_intr_step() after fbsd_intr_arm(pc) is preempted by an
 * interrupt when it reaches pc, with td_intr_frame set, until
 * fbsd_intr_release().  fbsd_intr_wait() returns 1 once it is.
 */
void	fbsd_intr_init(void);
int	fbsd_intr_arm(fbsd_host_uptr pc);
void	fbsd_intr_step(void);
int	fbsd_intr_wait(unsigned long long timeout_ns);
void	fbsd_intr_release(void);
/* IPI delivery, for subr_smp.c. */
void	fbsd_ipi_cpu(u_int cpu, void (*fn)(void));
extern void (*fbsd_ipi_func)(void);
/*
 * Read-only memory that disable_wp() opens (machdep.c): prot is its
 * protection while WP is set (FBSD_HOST_PROT_*, without W).
 */
void	fbsd_text_register(void *start, size_t len, int prot);
void	fbsd_text_unregister(void *start, size_t len);
/* What the personality has done, for tests. */
struct fbsd_counters {
	u_long	rendezvous;	/* smp_rendezvous() calls */
	u_long	ipis;		/* IPIs delivered to running threads */
	u_long	idle_ipis;	/* rendezvous run by idle threads */
	u_long	wp_opens;	/* disable_wp() calls */
	u_long	switches;	/* context switches */
};
extern struct fbsd_counters fbsd_counters;

/* The kernel linker (kern_linker.c, link_elf_obj.c, kern_module.c). */
void	fbsd_linker_init(const char *kernel_path, const char *module_path);
int	fbsd_kernel_file_init(linker_file_t lf, const char *path);
int	fbsd_elf_obj_load(const char *path, const char *filename,
	    linker_file_t *result);
int	fbsd_linker_load_dependencies(linker_file_t lf);
int	fbsd_linker_file_add_dependency(linker_file_t file,
	    linker_file_t dep);
linker_file_t fbsd_linker_make_file(const char *pathname,
	    const struct linker_class *cls);
void	fbsd_linker_file_free(linker_file_t lf);
void	fbsd_linker_release_file(linker_file_t lf);
void	fbsd_linker_file_register_modules(linker_file_t lf, int *error);
extern const struct linker_class fbsd_kernel_class;
int	fbsd_modules_of_file(linker_file_t lf, int *error);
void	fbsd_module_unlink_file(linker_file_t lf);
void	fbsd_sysinit_run(struct sysinit **start, struct sysinit **stop);
void	fbsd_sysuninit_run(struct sysinit **start, struct sysinit **stop);
/* "kld: ..." messages of the last failed kldload in this thread. */
const char *fbsd_linker_last_error(void);
void	fbsd_linker_error(const char *fmt, ...) __printflike(1, 2);

/* kern.build_id of the kernel image. */
extern char fbsd_build_id_hex[2 * 64 + 1];

#endif /* !FBSD_KERN_H */
