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
 * The personality's only door to the host: what the emulated kernel needs
 * from Linux (memory, host threads, a lock and a condition variable, the
 * IPI signal, page protections, clocks, the console).  Plain types only,
 * so that both the kernel side (compiled against include/, -nostdinc) and
 * the host side (compiled against the C library) include it.
 */

#ifndef FBSD_HOST_H
#define FBSD_HOST_H

typedef __SIZE_TYPE__ fbsd_host_size;
typedef __UINTPTR_TYPE__ fbsd_host_uptr;

/* Memory. */
void	*fbsd_host_alloc(fbsd_host_size size);	/* zeroed, NULL if none */
void	fbsd_host_free(void *p);
/*
 * Pages below 2 GB (klds and the kernel image must be within reach of
 * R_X86_64_32S and PC32), read+write; NULL if none.
 */
void	*fbsd_host_map_low(fbsd_host_size len);
void	*fbsd_host_map(fbsd_host_size len);
void	fbsd_host_unmap(void *p, fbsd_host_size len);
#define	FBSD_HOST_PROT_R	1
#define	FBSD_HOST_PROT_W	2
#define	FBSD_HOST_PROT_X	4
int	fbsd_host_protect(void *p, fbsd_host_size len, int prot);
/* The text segment of the host executable (the kernel's text). */
void	fbsd_host_kernel_text(fbsd_host_uptr *start, fbsd_host_size *len);

/* A lock and condition variables (one per lock is enough here). */
struct fbsd_host_lock;
struct fbsd_host_lock *fbsd_host_lock_new(void);
void	fbsd_host_lock_free(struct fbsd_host_lock *l);
void	fbsd_host_lock(struct fbsd_host_lock *l);
void	fbsd_host_unlock(struct fbsd_host_lock *l);
/* Waits on the lock's condition; returns nonzero on timeout. */
int	fbsd_host_wait(struct fbsd_host_lock *l, unsigned long long timeout_ns);
void	fbsd_host_wakeup(struct fbsd_host_lock *l);

/* Host threads: each runs fn(arg) on the given stack. */
int	fbsd_host_thread_start(void *stack, fbsd_host_size stacksize,
	    void (*fn)(void *), void *arg, fbsd_host_uptr *hostid);
void	fbsd_host_thread_exit(void) __attribute__((__noreturn__));
int	fbsd_host_thread_join(fbsd_host_uptr hostid);
/* The stack of the calling host thread. */
void	fbsd_host_thread_stack(fbsd_host_uptr *lo, fbsd_host_size *size);
fbsd_host_uptr fbsd_host_thread_self(void);
int	fbsd_host_gettid(void);
void	fbsd_host_yield(void);
/* The calling host thread's struct thread (thread-local). */
void	*fbsd_host_curthread(void);
void	fbsd_host_set_curthread(void *td);

/*
 * The IPI: a signal sent to one host thread.  The handler is called on
 * that thread with the interrupted context (pc, sp, fp); while it runs the
 * signal is masked (interrupts disabled).
 */
void	fbsd_host_ipi_init(void (*handler)(fbsd_host_uptr pc,
	    fbsd_host_uptr sp, fbsd_host_uptr fp));
int	fbsd_host_ipi_send(fbsd_host_uptr hostid);
/*
 * Traps: single-stepping (the trace flag) delivers a host signal after
 * every instruction; the handler sees the stopped context's registers
 * and may change rflags (clear the trace flag).  The handler runs with
 * the IPI masked, as an interrupt gate clears IF.
 */
struct fbsd_host_regs {
	fbsd_host_uptr	rdi, rsi, rdx, rcx, rax, rbx, rbp;
	fbsd_host_uptr	rip, rflags, rsp;
};
void	fbsd_host_trap_init(void (*handler)(struct fbsd_host_regs *r));
/* Set the trace flag: the calling thread traps after each instruction. */
void	fbsd_host_step(void);
/* Mask the IPI for the calling thread; returns 1 if it was unmasked. */
int	fbsd_host_intr_disable(void);
void	fbsd_host_intr_restore(int enabled);

/* Clocks and sleeping. */
unsigned long long fbsd_host_uptime_ns(void);
void	fbsd_host_sleep_ns(unsigned long long ns);

/* The console (kernel printf) and the end of the world. */
void	fbsd_host_console(const char *s, fbsd_host_size len);
int	fbsd_host_vsnprintf(char *buf, fbsd_host_size len, const char *fmt,
	    __builtin_va_list ap);
void	fbsd_host_abort(void) __attribute__((__noreturn__));

/* Files (the kernel image's symbol table, klds). */
int	fbsd_host_read_file(const char *path, void **buf,
	    fbsd_host_size *len);
const char *fbsd_host_kernel_path(void);

#endif /* !FBSD_HOST_H */
