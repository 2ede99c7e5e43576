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
 * What host code (tests, the syscall shim) may call in the personality's
 * kernel.  Plain types only.  Every call enters the kernel as a thread of
 * a process named after the caller (fbsd_api_set_comm) and leaves it
 * before returning; errors are FreeBSD errno values.
 */

#ifndef FBSD_API_H
#define FBSD_API_H

typedef __SIZE_TYPE__ fbsd_api_size;

/* Boots the kernel on the calling thread: CPUs, the linker, SYSINITs. */
int	fbsd_api_boot(int ncpus, const char *module_path, int verbose);
void	fbsd_api_set_comm(const char *comm);
/* The calling host thread leaves the kernel for good (before it exits). */
void	fbsd_api_thread_exit(void);

int	fbsd_api_kldload(const char *file, int *fileid);
int	fbsd_api_kldunload(int fileid, int force);
int	fbsd_api_kldfind(const char *file, int *fileid);
int	fbsd_api_modfind(const char *name, int *modid);
int	fbsd_api_sysctlbyname(const char *name, void *old,
	    fbsd_api_size *oldlenp, const void *new, fbsd_api_size newlen);

/* Kernel threads running fn(arg); the handle is for fbsd_api_join. */
int	fbsd_api_kthread(void (*fn)(void *), void *arg, const char *name,
	    void **handle);
int	fbsd_api_join(void *handle);

/* The message buffer, and the last linker refusal. */
fbsd_api_size fbsd_api_dmesg(char *buf, fbsd_api_size len);
void	fbsd_api_dmesg_clear(void);
const char *fbsd_api_kld_error(void);

struct fbsd_api_counters {
	unsigned long	rendezvous;
	unsigned long	ipis;
	unsigned long	idle_ipis;
	unsigned long	wp_opens;
	unsigned long	switches;
};
void	fbsd_api_counters(struct fbsd_api_counters *c);
/* Bytes outstanding of the malloc type named shortdesc, or -1. */
long	fbsd_api_malloc_inuse(const char *shortdesc);

/* The address of a kernel symbol, or NULL. */
void	*fbsd_api_kernel_symbol(const char *name);
/*
 * An interrupt at pc: the next kernel thread that calls fbsd_intr_step()
 * is preempted when it is about to execute pc (td_intr_frame set, off its
 * CPU).  wait returns 1 once it is, 0 if it did not get there in time;
 * release lets it run on.  arm returns 0, or EBUSY (16) if one is armed.
 */
int	fbsd_api_intr_arm(const void *pc);
int	fbsd_api_intr_wait(int timeout_ms);
void	fbsd_api_intr_release(void);

#endif /* !FBSD_API_H */
