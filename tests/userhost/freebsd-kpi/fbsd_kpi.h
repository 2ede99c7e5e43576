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
 * Declarations-only stand-in for the FreeBSD kernel headers that
 * kmod-template/freebsd and kmod-template/patch include: exactly the KPIs
 * they use, with FreeBSD's signatures (sys/systm.h, sys/linker.h,
 * linker_if.m, sys/smp.h, x86/include/x86_var.h, ...), and only the struct
 * members they touch.  It lets CI type-check livepatch.ko on Linux with
 * clang --target=x86_64-unknown-freebsd -D_KERNEL -ffreestanding; it is
 * not a build environment (nothing here links).
 */

#ifndef FBSD_KPI_H
#define FBSD_KPI_H

#ifndef _KERNEL
#error "kernel code: compile with -D_KERNEL"
#endif

/* sys/_types.h, sys/types.h */
typedef __INT8_TYPE__		int8_t;
typedef __INT16_TYPE__		int16_t;
typedef __INT32_TYPE__		int32_t;
typedef __INT64_TYPE__		int64_t;
typedef __UINT8_TYPE__		uint8_t;
typedef __UINT16_TYPE__		uint16_t;
typedef __UINT32_TYPE__		uint32_t;
typedef __UINT64_TYPE__		uint64_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef __INTMAX_TYPE__		intmax_t;
typedef __UINTMAX_TYPE__	uintmax_t;
typedef __SIZE_TYPE__		size_t;
typedef long			ssize_t;
typedef unsigned char		u_char;
typedef unsigned short		u_short;
typedef unsigned int		u_int;
typedef unsigned long		u_long;
typedef char			*caddr_t;
typedef const char		*c_caddr_t;
typedef long			register_t;
typedef uintptr_t		vm_offset_t;
typedef int32_t			lwpid_t;
typedef int32_t			pid_t;
typedef int64_t			time_t;
typedef int64_t			sbintime_t;
typedef _Bool			bool;
#define	true	1
#define	false	0
#define	NULL	((void *)0)

/* sys/param.h, sys/cdefs.h */
#define	__FreeBSD_version	1500000
#define	PAGE_SIZE	4096
#define	MAXCOMLEN	19
#define	nitems(x)	(sizeof((x)) / sizeof((x)[0]))
#define	__STRING(x)	#x
#define	__XSTRING(x)	__STRING(x)
#define	__section(x)	__attribute__((__section__(x)))
#define	__used		__attribute__((__used__))
#define	__aligned(x)	__attribute__((__aligned__(x)))
#define	__unused	__attribute__((__unused__))
#define	__printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define	__CONCAT(x, y)	x ## y
/* Two levels, so that arguments are expanded before pasting. */
#define	FBSD_KPI_CAT1(x, y)	x ## y
#define	FBSD_KPI_CAT(x, y)	FBSD_KPI_CAT1(x, y)

/* sys/errno.h */
#define	EPERM		1
#define	ENOENT		2
#define	ENOEXEC		8
#define	ENOMEM		12
#define	EBUSY		16
#define	EINVAL		22
#define	EOPNOTSUPP	45

/* sys/systm.h */
extern int bootverbose;
int	printf(const char *, ...) __printflike(1, 2);
int	snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
void	*memcpy(void * __restrict, const void * __restrict, size_t);
void	*memset(void *, int, size_t);
int	strcmp(const char *, const char *);
size_t	strlen(const char *);
size_t	strlcpy(char * __restrict, const char * __restrict, size_t);
int	pause(const char *wmesg, int timo);

/* sys/kernel.h */
extern int hz;
enum sysinit_sub_id { SI_SUB_DRIVERS = 0x3100000 };
enum sysinit_elem_order { SI_ORDER_ANY = 0xfffffff };

/* sys/time.h */
struct timespec {
	time_t	tv_sec;
	long	tv_nsec;
};
void	nanouptime(struct timespec *ts);

/* sys/malloc.h */
struct malloc_type {
	const char	*ks_shortdesc;
};
#define	M_WAITOK	0x0002
#define	M_ZERO		0x0100
#define	MALLOC_DEFINE(type, shortdesc, longdesc)			\
	struct malloc_type type[1] = { { shortdesc } }
void	*malloc(size_t size, struct malloc_type *type, int flags);
void	free(void *addr, struct malloc_type *type);

/* sys/_sx.h, sys/sx.h */
struct sx {
	volatile uintptr_t	sx_lock;
};
void	sx_init_flags(struct sx *sx, const char *description, int opts);
#define	sx_init(sx, desc)	sx_init_flags((sx), (desc), 0)
void	sx_destroy(struct sx *sx);
void	sx_xlock(struct sx *sx);
void	sx_xunlock(struct sx *sx);
void	sx_slock(struct sx *sx);
void	sx_sunlock(struct sx *sx);

/* machine/frame.h, machine/pcb.h */
struct trapframe {
	register_t	tf_rbp;
	register_t	tf_rip;
	register_t	tf_rsp;
};
struct pcb {
	register_t	pcb_rbp;
	register_t	pcb_rsp;
	register_t	pcb_rip;
};

/* sys/queue.h (as used by sys/proc.h) */
#define	LIST_FIRST(head)	((head)->lh_first)
#define	LIST_NEXT(elm, field)	((elm)->field.le_next)
#define	TAILQ_FIRST(head)	((head)->tqh_first)
#define	TAILQ_NEXT(elm, field)	((elm)->field.tqe_next)

/* sys/proc.h */
struct proc;
struct thread {
	struct proc	*td_proc;
	struct {
		struct thread	*tqe_next;
		struct thread	**tqe_prev;
	} td_plist;
	lwpid_t		td_tid;
	u_char		td_oncpu;
	char		td_name[MAXCOMLEN + 1];
	struct pcb	*td_pcb;
	struct trapframe *td_intr_frame;
	vm_offset_t	td_kstack;
	int		td_kstack_pages;
};
struct proc {
	struct {
		struct proc	*le_next;
		struct proc	**le_prev;
	} p_list;
	struct {
		struct thread	*tqh_first;
		struct thread	**tqh_last;
	} p_threads;
	pid_t		p_pid;
	char		p_comm[MAXCOMLEN + 1];
};
struct proclist {
	struct proc	*lh_first;
};
#define	NOCPU	(0xff)
extern struct proclist allproc;
extern struct sx allproc_lock;
#define	FOREACH_PROC_IN_SYSTEM(p)					\
	for ((p) = LIST_FIRST(&allproc); (p) != NULL;			\
	    (p) = LIST_NEXT((p), p_list))
#define	FOREACH_THREAD_IN_PROC(p, td)					\
	for ((td) = TAILQ_FIRST(&(p)->p_threads); (td) != NULL;		\
	    (td) = TAILQ_NEXT((td), td_plist))

/* sys/pcpu.h, machine/pcpu.h */
struct thread *fbsd_kpi_curthread(void);
u_int	fbsd_kpi_curcpu(void);
#define	curthread	(fbsd_kpi_curthread())
#define	curcpu		(fbsd_kpi_curcpu())

/* sys/sched.h (inline functions there) */
void	sched_pin(void);
void	sched_unpin(void);

/* sys/smp.h */
extern int mp_ncpus;
void	smp_rendezvous(void (*)(void *), void (*)(void *), void (*)(void *),
	    void *arg);
#ifdef SMP
void	smp_rendezvous_action(void);
#endif

/* machine/atomic.h, machine/cpu.h, machine/cpufunc.h */
void	atomic_add_int(volatile u_int *p, u_int v);
u_int	atomic_load_acq_int(volatile u_int *p);
void	atomic_store_rel_int(volatile u_int *p, u_int v);
void	cpu_spinwait(void);
void	do_cpuid(u_int ax, u_int *p);
register_t intr_disable(void);
void	intr_restore(register_t rflags);

/* x86/include/x86_var.h via machine/md_var.h */
bool	disable_wp(void);
void	restore_wp(bool old_wp);

/* sys/elf64.h, sys/elf_common.h, machine/elf.h */
typedef uint32_t	Elf_Word;
typedef struct {
	Elf_Word	st_name;
	unsigned char	st_info;
	unsigned char	st_other;
	uint16_t	st_shndx;
	uint64_t	st_value;
	uint64_t	st_size;
} Elf_Sym;
#define	ELF_ST_BIND(info)	((info) >> 4)
#define	ELF_ST_TYPE(info)	((info) & 0xf)
#define	STB_LOCAL	0
#define	STT_FILE	4
#define	SHN_UNDEF	0

/* sys/linker.h */
typedef struct linker_file *linker_file_t;
struct linker_file {
	char		*filename;
	caddr_t		address;
	size_t		size;
};
typedef const void	*c_linker_sym_t;
typedef struct linker_symval {
	const char	*name;
	caddr_t		value;
	size_t		size;
} linker_symval_t;
extern linker_file_t linker_kernel_file;
int	linker_file_lookup_set(linker_file_t file, const char *name,
	    void *firstp, void *lastp, int *countp);

/* linker_if.h, generated from sys/kern/linker_if.m */
long	LINKER_SYMTAB_GET(linker_file_t file, const Elf_Sym **symtab);
long	LINKER_STRTAB_GET(linker_file_t file, caddr_t *strtab);
int	LINKER_SYMBOL_VALUES(linker_file_t file, c_linker_sym_t sym,
	    linker_symval_t *symval);

/* sys/module.h */
typedef struct module *module_t;
typedef enum modeventtype {
	MOD_LOAD,
	MOD_UNLOAD,
	MOD_SHUTDOWN,
	MOD_QUIESCE
} modeventtype_t;
typedef int (*modeventhand_t)(module_t, int, void *);
typedef struct moduledata {
	const char	*name;
	modeventhand_t	evhand;
	void		*priv;
} moduledata_t;
linker_file_t module_file(module_t mod);
/* The metadata the real macros emit is irrelevant to a type check. */
#define	MODULE_DEPEND(mod, dep, min, pref, max)				\
	static const int FBSD_KPI_CAT(FBSD_KPI_CAT(_depend_, mod), dep)[3] \
	    __used = { min, pref, max }
#define	MODULE_VERSION(mod, ver)					\
	static const int FBSD_KPI_CAT(_version_, mod) __used = (ver)
#define	DECLARE_MODULE(name, data, sub, order)				\
	static moduledata_t *const FBSD_KPI_CAT(_mod_, name) __used =	\
	    &(data);							\
	static const int FBSD_KPI_CAT(_order_, name)[2] __used =	\
	    { (sub), (order) }
#define	DECLARE_MODULE_TIED(name, data, sub, order)			\
	DECLARE_MODULE(name, data, sub, order)

/* sys/sysctl.h, sys/sbuf.h */
struct sysctl_oid;
struct sysctl_req {
	void		*newptr;
};
#define	SYSCTL_HANDLER_ARGS	struct sysctl_oid *oidp, void *arg1,	\
	intmax_t arg2, struct sysctl_req *req
#define	CTLTYPE_STRING	3
#define	CTLFLAG_RD	0x80000000
#define	CTLFLAG_WR	0x40000000
#define	CTLFLAG_RW	(CTLFLAG_RD | CTLFLAG_WR)
#define	CTLFLAG_MPSAFE	0x00040000
#define	OID_AUTO	(-1)
extern struct sysctl_oid_list sysctl__debug_children;
struct sysctl_oid_list {
	void	*slh_first;
};
#define	SYSCTL_NODE(parent, nbr, name, access, handler, descr)		\
	struct sysctl_oid_list FBSD_KPI_CAT(FBSD_KPI_CAT(sysctl_,	\
	    FBSD_KPI_CAT(parent, _)), FBSD_KPI_CAT(name, _children))
#define	SYSCTL_PROC(parent, nbr, name, access, ptr, arg, handler, fmt,	\
	    descr)							\
	static int (*FBSD_KPI_CAT(FBSD_KPI_CAT(_proc_, parent), name))(	\
	    SYSCTL_HANDLER_ARGS) __used = (handler)
int	sysctl_handle_string(SYSCTL_HANDLER_ARGS);
int	kernel_sysctlbyname(struct thread *td, char *name, void *old,
	    size_t *oldlenp, void *new, size_t newlen, size_t *retval,
	    int flags);
struct sbuf;
struct sbuf *sbuf_new_for_sysctl(struct sbuf *, char *, int,
	    struct sysctl_req *);
int	sbuf_printf(struct sbuf *, const char *, ...) __printflike(2, 3);
int	sbuf_finish(struct sbuf *);
void	sbuf_delete(struct sbuf *);

#endif /* !FBSD_KPI_H */
