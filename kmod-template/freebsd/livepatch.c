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
 * livepatch.ko: the portable runtime core (../core) on FreeBSD KPIs.
 *
 * - symbols: the kernel's full symbol table (loader(8) preloads it, locals
 *   included) walked through LINKER_SYMTAB_GET, so statics are found by
 *   (name, STT_FILE, position) and never by the first-match-wins lookup;
 * - stop-machine: smp_rendezvous(); in the action every CPU checks its own
 *   stack, the initiating CPU then walks the saved frames of every thread
 *   that is not running, runs the core's action and releases the others;
 * - text writes: disable_wp()/restore_wp() with interrupts disabled, as the
 *   SDT and FBT providers do; every CPU executes cpuid before it leaves the
 *   rendezvous.
 *
 * Control: sysctl debug.livepatch.{patches,last_error,stats,apply,revert}.
 * Patch modules register through livepatch.h.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/linker.h>
#include <sys/malloc.h>
#include <sys/module.h>
#include <sys/pcpu.h>
#include <sys/proc.h>
#include <sys/sbuf.h>
#include <sys/sched.h>
#include <sys/smp.h>
#include <sys/sx.h>
#include <sys/sysctl.h>
#include <sys/time.h>

#include <machine/atomic.h>
#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/md_var.h>
#include <machine/pcb.h>

#include "linker_if.h"

#include "fbsdlp_core.h"
#include "livepatch.h"

#define	LPK_MAX_FRAMES	64
#define	LPK_DENY_MAX	16

static MALLOC_DEFINE(M_LIVEPATCH, "livepatch", "live patching runtime");

static struct sx lpk_sx;		/* serialises every runtime call */
static struct fbsdlp_rt *lpk_rt;
static fbsdlp_u8 lpk_build_id[FBSDLP_BUILD_ID_MAX];
static fbsdlp_u32 lpk_build_id_len;
static struct fbsdlp_deny lpk_deny[LPK_DENY_MAX];
/*
 * The message of the last failed operation.  Kept here, not read from the
 * core, because a failed MOD_LOAD unregisters the patch it could not
 * apply, and that successful unregister would clear the core's message.
 */
static char lpk_errmsg[512];

SYSCTL_NODE(_debug, OID_AUTO, livepatch, CTLFLAG_RD | CTLFLAG_MPSAFE, 0,
    "Live patching");

/* One stop-machine in progress. */
struct lpk_rv {
	const struct fbsdlp_stop_ops *ops;
	u_int		initiator;
	u_int		ncpus;
	volatile u_int	arrived;
	volatile u_int	done;
	int		result;
};

static void
lpk_serialize(void)
{
	u_int regs[4];

	/* cpuid serialises instruction fetch after cross-modification. */
	do_cpuid(0, regs);
}

static void
lpk_who(struct thread *td, char *buf, size_t len)
{
	snprintf(buf, len, "%d (%s/%s)", (int)td->td_tid,
	    td->td_proc != NULL ? td->td_proc->p_comm : "?", td->td_name);
}

/*
 * Return addresses along a frame-pointer chain that stays inside the
 * thread's kernel stack.  The kernel is built with frame pointers; a chain
 * longer than LPK_MAX_FRAMES is reported as unreliable, never as clear.
 */
static __nosanitizeaddress fbsdlp_u32
lpk_walk(struct thread *td, register_t fp, fbsdlp_u64 *pcs, fbsdlp_u32 n,
    fbsdlp_u32 *flags)
{
	vm_offset_t lo, hi, next;

	lo = td->td_kstack;
	hi = lo + (vm_offset_t)td->td_kstack_pages * PAGE_SIZE;
	while ((vm_offset_t)fp >= lo && (vm_offset_t)fp + 16 <= hi &&
	    (fp & 7) == 0) {
		if (n >= LPK_MAX_FRAMES) {
			*flags |= FBSDLP_STACK_UNRELIABLE;
			break;
		}
		pcs[n++] = ((const fbsdlp_u64 *)fp)[1];
		next = ((const vm_offset_t *)fp)[0];
		if (next <= (vm_offset_t)fp)
			break;
		fp = (register_t)next;
	}
	return (n);
}

/*
 * The current CPU's own stack.  A CPU the IPI interrupted has the
 * interrupted context's PC in the trapframe the IPI entry pushed,
 * somewhere above us, and a function interrupted in its prologue has no
 * frame yet: scan every word of the live stack instead of trusting the
 * chain.  A stale value costs a retry, a missed one could cost the kernel.
 * The initiating CPU was not interrupted: it called in here, so its frame
 * chain is exact, and scanning it would find the stale words its own
 * earlier calls left in uninitialised locals (a sysctl thread that read
 * debug.livepatch.patches, listing the old addresses, before writing
 * .apply) on every retry, and refuse forever.
 */
static __nosanitizeaddress void
lpk_check_self(const struct fbsdlp_stop_ops *ops, bool initiator)
{
	struct thread *td = curthread;
	fbsdlp_u64 pcs[LPK_MAX_FRAMES + 2];
	vm_offset_t sp, hi;
	fbsdlp_u32 n, flags;
	char who[64];

	lpk_who(td, who, sizeof(who));
	flags = 0;
	n = 0;
	if (initiator) {
		n = lpk_walk(td, (register_t)__builtin_frame_address(0), pcs,
		    n, &flags);
		ops->check(ops->arg, pcs, n, flags, who);
		return;
	}
	if (td->td_intr_frame != NULL)
		pcs[n++] = (fbsdlp_u64)td->td_intr_frame->tf_rip;
	sp = (vm_offset_t)__builtin_frame_address(0);
	hi = td->td_kstack + (vm_offset_t)td->td_kstack_pages * PAGE_SIZE;
	for (; sp + sizeof(fbsdlp_u64) <= hi; sp += sizeof(fbsdlp_u64)) {
		pcs[n++] = *(const fbsdlp_u64 *)sp;
		if (n == nitems(pcs)) {
			ops->check(ops->arg, pcs, n, flags, who);
			n = 0;
		}
	}
	ops->check(ops->arg, pcs, n, flags, who);
}

/*
 * The context an interrupt stopped.  tf_rip is the interrupted function
 * itself, which no frame names.  Its caller is in the frame chain only
 * while the function has a frame of its own: on its first instruction,
 * just after push %rbp, after pop %rbp or leave before ret, on a tail
 * call's jmp, before a push that shrink-wrapping moved past the first
 * instructions, and anywhere in a function without a frame, %rbp is still
 * the caller's frame and the return address into the caller lies in
 * [tf_rsp, tf_rbp), where no chain reaches it.  So every word of that gap
 * is a candidate (ddb's db_backtrace() guesses the first and the ret case
 * from the instruction bytes at tf_rip; the gap needs no guess), and the
 * chain continues from tf_rbp.  A tf_rbp that does not name a frame above
 * tf_rsp (assembly using %rbp for data) bounds nothing: every word up to
 * the top of the stack is a candidate then.  A stale word costs a retry;
 * a missed return address could cost the kernel.  An interrupted stack
 * pointer outside the thread's kernel stack cannot be read: unreliable.
 */
static __nosanitizeaddress void
lpk_check_intr(const struct fbsdlp_stop_ops *ops, struct thread *td,
    const struct trapframe *tf, const char *who)
{
	fbsdlp_u64 pcs[LPK_MAX_FRAMES + 2];
	vm_offset_t lo, hi, sp, fp, end;
	fbsdlp_u32 n, flags;

	lo = td->td_kstack;
	hi = lo + (vm_offset_t)td->td_kstack_pages * PAGE_SIZE;
	sp = (vm_offset_t)tf->tf_rsp;
	fp = (vm_offset_t)tf->tf_rbp;
	flags = 0;
	n = 0;
	pcs[n++] = (fbsdlp_u64)tf->tf_rip;
	if (sp < lo || sp >= hi || (sp & 7) != 0) {
		flags |= FBSDLP_STACK_UNRELIABLE;
		ops->check(ops->arg, pcs, n, flags, who);
		return;
	}
	if (fp >= sp && fp + 16 <= hi && (fp & 7) == 0)
		end = fp;
	else
		end = hi;
	for (; sp + sizeof(fbsdlp_u64) <= end; sp += sizeof(fbsdlp_u64)) {
		pcs[n++] = *(const fbsdlp_u64 *)sp;
		if (n == nitems(pcs)) {
			ops->check(ops->arg, pcs, n, flags, who);
			n = 0;
		}
	}
	if (end != hi) {
		ops->check(ops->arg, pcs, n, flags, who);
		n = lpk_walk(td, (register_t)fp, pcs, 0, &flags);
	}
	ops->check(ops->arg, pcs, n, flags, who);
}

/*
 * Threads that are not on a CPU: their switch frame is in the pcb, and a
 * thread preempted by an interrupt has its interrupted context in
 * td_intr_frame.  Runs on the initiating CPU with all others stopped;
 * allproc_lock is held shared by the initiator, so the process list is
 * stable, and thread lists are only ever appended to or unlinked forward-
 * safely under locks whose holders cannot run now.
 */
static void
lpk_check_sleepers(const struct fbsdlp_stop_ops *ops)
{
	fbsdlp_u64 pcs[LPK_MAX_FRAMES + 2];
	struct thread *td;
	struct proc *p;
	fbsdlp_u32 n, flags;
	char who[64];

	FOREACH_PROC_IN_SYSTEM(p) {
		FOREACH_THREAD_IN_PROC(p, td) {
			if (td->td_oncpu != NOCPU || td->td_pcb == NULL)
				continue;	/* checked by its own CPU */
			flags = 0;
			n = 0;
			pcs[n++] = (fbsdlp_u64)td->td_pcb->pcb_rip;
			n = lpk_walk(td, td->td_pcb->pcb_rbp, pcs, n, &flags);
			lpk_who(td, who, sizeof(who));
			ops->check(ops->arg, pcs, n, flags, who);
			if (td->td_intr_frame != NULL)
				lpk_check_intr(ops, td, td->td_intr_frame, who);
		}
	}
}

/* Runs on every CPU with interrupts disabled, between the barriers. */
static void
lpk_rv_action(void *arg)
{
	struct lpk_rv *rv = arg;

	lpk_check_self(rv->ops, curcpu == rv->initiator);
	atomic_add_int(&rv->arrived, 1);
	if (curcpu == rv->initiator) {
		while (atomic_load_acq_int(&rv->arrived) < rv->ncpus)
			cpu_spinwait();
		lpk_check_sleepers(rv->ops);
		rv->result = rv->ops->action(rv->ops->arg);
		atomic_store_rel_int(&rv->done, 1);
	} else {
		while (atomic_load_acq_int(&rv->done) == 0)
			cpu_spinwait();
	}
	lpk_serialize();
}

/* Called with lpk_sx held exclusively after a core call returned error. */
static int
lpk_failed(int error)
{
	if (error != 0)
		strlcpy(lpk_errmsg, fbsdlp_last_error(lpk_rt),
		    sizeof(lpk_errmsg));
	return (error);
}

static int
lpk_stop_machine(void *ctx, const struct fbsdlp_stop_ops *ops)
{
	struct lpk_rv rv;

	(void)ctx;
	memset(&rv, 0, sizeof(rv));
	rv.ops = ops;
	rv.ncpus = (u_int)mp_ncpus;
	sx_slock(&allproc_lock);
	sched_pin();
	rv.initiator = curcpu;
	smp_rendezvous(NULL, lpk_rv_action, NULL, &rv);
	sched_unpin();
	sx_sunlock(&allproc_lock);
	return (rv.result);
}

/*
 * Kernel text and the patch module's text are mapped read-only; writes go
 * through CR0.WP on this CPU only, without rescheduling in between.
 */
static int
lpk_text_write(void *ctx, void *dst, const void *src, fbsdlp_size len)
{
	register_t s;
	bool wp;

	(void)ctx;
	s = intr_disable();
	wp = disable_wp();
	memcpy(dst, src, len);
	restore_wp(wp);
	intr_restore(s);
	return (0);
}

/*
 * (name, STT_FILE, position) over the kernel's full symbol table: locals
 * follow the STT_FILE symbol of their source file.  sympos counts the
 * same-named locals of that file from 1; 0 demands a unique one.  A global
 * of that name is the fallback, as the generator records a file for every
 * function.
 */
static int
lpk_lookup(void *ctx, const char *name, const char *objname, fbsdlp_u32 sympos,
    struct fbsdlp_symval *out)
{
	const Elf_Sym *syms, *s, *hit, *global;
	linker_symval_t sv;
	const char *file, *n;
	caddr_t strtab;
	long nsyms, strsz, i;
	fbsdlp_u32 pos;

	(void)ctx;
	nsyms = LINKER_SYMTAB_GET(linker_kernel_file, &syms);
	strsz = LINKER_STRTAB_GET(linker_kernel_file, &strtab);
	file = NULL;
	hit = global = NULL;
	pos = 0;
	for (i = 0; i < nsyms; i++) {
		s = &syms[i];
		if (s->st_name >= (Elf_Word)strsz)
			continue;
		n = strtab + s->st_name;
		if (ELF_ST_TYPE(s->st_info) == STT_FILE) {
			file = n;
			continue;
		}
		if (s->st_shndx == SHN_UNDEF || strcmp(n, name) != 0)
			continue;
		if (ELF_ST_BIND(s->st_info) != STB_LOCAL) {
			if (global == NULL)
				global = s;
			continue;
		}
		if (objname != NULL && (file == NULL ||
		    strcmp(file, objname) != 0))
			continue;
		pos++;
		if (sympos == 0 && hit != NULL)
			return (FBSDLP_EEXIST);
		if (sympos == 0 || pos == sympos)
			hit = s;
	}
	if (hit == NULL && sympos == 0)
		hit = global;
	if (hit == NULL)
		return (FBSDLP_ENOENT);
	if (LINKER_SYMBOL_VALUES(linker_kernel_file, (c_linker_sym_t)hit,
	    &sv) != 0)
		return (FBSDLP_ENOENT);
	out->addr = (fbsdlp_u64)(uintptr_t)sv.value;
	out->size = sv.size;
	return (0);
}

static int
lpk_build_id_get(void *ctx, const fbsdlp_u8 **id, fbsdlp_u32 *len)
{
	(void)ctx;
	if (lpk_build_id_len == 0)
		return (FBSDLP_ENOENT);
	*id = lpk_build_id;
	*len = lpk_build_id_len;
	return (0);
}

static void *
lpk_alloc(void *ctx, fbsdlp_size size)
{
	(void)ctx;
	return (malloc(size, M_LIVEPATCH, M_WAITOK | M_ZERO));
}

static void
lpk_free(void *ctx, void *p)
{
	(void)ctx;
	free(p, M_LIVEPATCH);
}

static void
lpk_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= FBSDLP_LOG_INFO || bootverbose)
		printf("livepatch: %s\n", msg);
}

static fbsdlp_u64
lpk_clock(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	nanouptime(&ts);
	return ((fbsdlp_u64)ts.tv_sec * 1000000000ull +
	    (fbsdlp_u64)ts.tv_nsec);
}

static void
lpk_delay(void *ctx, fbsdlp_u32 usec)
{
	int ticks;

	(void)ctx;
	ticks = (int)(((uint64_t)usec * (uint64_t)hz + 999999) / 1000000);
	pause("lpwait", ticks > 0 ? ticks : 1);
}

/* kern.build_id is the hex of the kernel's .note.gnu.build-id. */
static int
lpk_read_build_id(void)
{
	char hex[2 * FBSDLP_BUILD_ID_MAX + 2];
	size_t len, i;
	int error, hi, lo;

	len = sizeof(hex);
	error = kernel_sysctlbyname(curthread, "kern.build_id", hex, &len,
	    NULL, 0, NULL, 0);
	if (error != 0)
		return (error);
	hex[sizeof(hex) - 1] = '\0';
	len = strlen(hex);
	if (len == 0 || len % 2 != 0 || len / 2 > FBSDLP_BUILD_ID_MAX)
		return (EINVAL);
	for (i = 0; i < len / 2; i++) {
#define	HEXVAL(c) ((c) >= '0' && (c) <= '9' ? (c) - '0' :		\
	(c) >= 'a' && (c) <= 'f' ? (c) - 'a' + 10 : -1)
		hi = HEXVAL(hex[2 * i]);
		lo = HEXVAL(hex[2 * i + 1]);
#undef HEXVAL
		if (hi < 0 || lo < 0)
			return (EINVAL);
		lpk_build_id[i] = (fbsdlp_u8)(hi << 4 | lo);
	}
	lpk_build_id_len = (fbsdlp_u32)(len / 2);
	return (0);
}

static void
lpk_span(struct fbsdlp_span *sp, const char *const set[2])
{
	if (set[0] != NULL && set[1] >= set[0]) {
		sp->start = (fbsdlp_u64)(uintptr_t)set[0];
		sp->size = (fbsdlp_u64)(set[1] - set[0]);
	}
}

int
livepatch_register(module_t mod, const struct livepatch_sets *sets,
    struct fbsdlp_patch **pp)
{
	struct fbsdlp_region region;
	struct fbsdlp_image img;
	struct fbsdlp_patch *p;
	linker_file_t lf;
	int error, i;

	*pp = NULL;
	lf = module_file(mod);
	if (lf == NULL || sets == NULL)
		return (EINVAL);
	/*
	 * The module is one mapping; its text is read-only, so the core
	 * writes livepatch relocations through lpk_text_write.
	 */
	region.start = (fbsdlp_u64)(uintptr_t)lf->address;
	region.size = lf->size;
	region.flags = FBSDLP_REGION_READ | FBSDLP_REGION_EXEC;
	memset(&img, 0, sizeof(img));
	img.modname = lf->filename;
	img.regions = &region;
	img.nregions = 1;
	/*
	 * The sets come from the module: MOD_LOAD runs from
	 * linker_file_sysinit() without kld_sx, which
	 * linker_file_lookup_set() asserts.
	 */
	lpk_span(&img.info, sets->info);
	lpk_span(&img.funcs, sets->funcs);
	lpk_span(&img.relocs, sets->relocs);
	for (i = 0; i < FBSDLP_HOOK_NKINDS; i++)
		lpk_span(&img.hooks[i], sets->hooks[i]);

	sx_xlock(&lpk_sx);
	error = lpk_failed(fbsdlp_register(lpk_rt, &img, &p));
	if (error == 0) {
		error = lpk_failed(fbsdlp_apply(lpk_rt, p));
		if (error != 0)
			(void)fbsdlp_unregister(lpk_rt, p);
		else
			*pp = p;
	}
	sx_xunlock(&lpk_sx);
	return (error);
}

int
livepatch_quiesce(struct fbsdlp_patch *p)
{
	struct fbsdlp_patch_status st;

	if (p == NULL)
		return (0);
	sx_slock(&lpk_sx);
	fbsdlp_patch_status(p, &st);
	sx_sunlock(&lpk_sx);
	return (st.state == FBSDLP_STATE_APPLIED ? EBUSY : 0);
}

int
livepatch_unregister(struct fbsdlp_patch *p)
{
	int error;

	if (p == NULL)
		return (0);
	sx_xlock(&lpk_sx);
	error = lpk_failed(fbsdlp_unregister(lpk_rt, p));
	sx_xunlock(&lpk_sx);
	return (error);
}

static int
lpk_sysctl_patches(SYSCTL_HANDLER_ARGS)
{
	struct fbsdlp_patch_status st;
	struct fbsdlp_func_status fs;
	struct fbsdlp_patch *p;
	struct sbuf *sb;
	fbsdlp_u32 i;
	int error;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	sb = sbuf_new_for_sysctl(NULL, NULL, 1024, req);
	if (sb == NULL)
		return (ENOMEM);
	sx_slock(&lpk_sx);
	for (p = fbsdlp_next(lpk_rt, NULL); p != NULL;
	    p = fbsdlp_next(lpk_rt, p)) {
		fbsdlp_patch_status(p, &st);
		sbuf_printf(sb, "%s %s funcs=%u relocs=%u%s", st.name,
		    st.state == FBSDLP_STATE_APPLIED ? "applied" : "loaded",
		    st.nfuncs, st.nrelocs,
		    (st.flags & FBSDLP_PATCH_REPLACE_ALL) != 0 ?
		    " replace-all" : "");
		/* The fixes it carries: the first 6 bytes of each SHA-256. */
		for (i = 0; i < st.nfixes; i++)
			sbuf_printf(sb, "%s%02x%02x%02x%02x%02x%02x",
			    i == 0 ? " fixes=" : ",", st.fixes[i][0],
			    st.fixes[i][1], st.fixes[i][2], st.fixes[i][3],
			    st.fixes[i][4], st.fixes[i][5]);
		sbuf_printf(sb, "\n");
		for (i = 0; fbsdlp_func_status(p, i, &fs) == 0; i++)
			sbuf_printf(sb, "  %s %s (%s) %#jx -> %#jx\n",
			    fs.active ? "*" : "-", fs.name,
			    fs.objname != NULL ? fs.objname : "global",
			    (uintmax_t)fs.old_addr, (uintmax_t)fs.new_addr);
	}
	sx_sunlock(&lpk_sx);
	error = sbuf_finish(sb);
	sbuf_delete(sb);
	return (error);
}
SYSCTL_PROC(_debug_livepatch, OID_AUTO, patches,
    CTLTYPE_STRING | CTLFLAG_RD | CTLFLAG_MPSAFE, NULL, 0,
    lpk_sysctl_patches, "A", "Loaded patches and their functions");

static int
lpk_sysctl_last_error(SYSCTL_HANDLER_ARGS)
{
	char buf[512];

	(void)arg1;
	(void)arg2;
	sx_slock(&lpk_sx);
	strlcpy(buf, lpk_errmsg, sizeof(buf));
	sx_sunlock(&lpk_sx);
	return (sysctl_handle_string(oidp, buf, sizeof(buf), req));
}
SYSCTL_PROC(_debug_livepatch, OID_AUTO, last_error,
    CTLTYPE_STRING | CTLFLAG_RD | CTLFLAG_MPSAFE, NULL, 0,
    lpk_sysctl_last_error, "A", "Message of the last failed operation");

static int
lpk_sysctl_stats(SYSCTL_HANDLER_ARGS)
{
	struct fbsdlp_stats st;
	struct sbuf *sb;
	int error;

	(void)oidp;
	(void)arg1;
	(void)arg2;
	sb = sbuf_new_for_sysctl(NULL, NULL, 256, req);
	if (sb == NULL)
		return (ENOMEM);
	sx_slock(&lpk_sx);
	fbsdlp_get_stats(lpk_rt, &st);
	sx_sunlock(&lpk_sx);
	sbuf_printf(sb, "applies %ju\nreverts %ju\nfailures %ju\nstops %ju\n"
	    "last_stop_ns %ju\nmax_stop_ns %ju\nlast_attempts %u\nsites %u\n",
	    (uintmax_t)st.applies, (uintmax_t)st.reverts,
	    (uintmax_t)st.failures, (uintmax_t)st.stops,
	    (uintmax_t)st.last_stop_ns, (uintmax_t)st.max_stop_ns,
	    st.last_attempts, st.nsites);
	error = sbuf_finish(sb);
	sbuf_delete(sb);
	return (error);
}
SYSCTL_PROC(_debug_livepatch, OID_AUTO, stats,
    CTLTYPE_STRING | CTLFLAG_RD | CTLFLAG_MPSAFE, NULL, 0,
    lpk_sysctl_stats, "A", "Counters and the stop-machine window");

/* Writing a patch name applies (arg2 1) or reverts (arg2 0) it. */
static int
lpk_sysctl_op(SYSCTL_HANDLER_ARGS)
{
	struct fbsdlp_patch *p;
	char name[128];
	int error;

	(void)arg1;
	name[0] = '\0';
	error = sysctl_handle_string(oidp, name, sizeof(name), req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	sx_xlock(&lpk_sx);
	p = fbsdlp_find(lpk_rt, name);
	if (p == NULL)
		error = ENOENT;
	else if (arg2 != 0)
		error = lpk_failed(fbsdlp_apply(lpk_rt, p));
	else
		error = lpk_failed(fbsdlp_revert(lpk_rt, p));
	sx_xunlock(&lpk_sx);
	return (error);
}
SYSCTL_PROC(_debug_livepatch, OID_AUTO, apply,
    CTLTYPE_STRING | CTLFLAG_RW | CTLFLAG_MPSAFE, NULL, 1,
    lpk_sysctl_op, "A", "Write a patch name to apply it again");
SYSCTL_PROC(_debug_livepatch, OID_AUTO, revert,
    CTLTYPE_STRING | CTLFLAG_RW | CTLFLAG_MPSAFE, NULL, 0,
    lpk_sysctl_op, "A", "Write a patch name to revert it");

static int
lpk_init(void)
{
	struct fbsdlp_platform pl;
	int error, n;

	error = lpk_read_build_id();
	if (error != 0) {
		printf("livepatch: cannot read kern.build_id (%d)\n", error);
		return (error);
	}
	n = 0;
	/* The patching path itself: rendezvous, IPI action, text write. */
	lpk_deny[n++] = (struct fbsdlp_deny){ (const void *)smp_rendezvous,
	    "smp_rendezvous" };
#ifdef SMP
	lpk_deny[n++] = (struct fbsdlp_deny){
	    (const void *)smp_rendezvous_action, "smp_rendezvous_action" };
#endif
	lpk_deny[n++] = (struct fbsdlp_deny){ (const void *)disable_wp,
	    "disable_wp" };
	lpk_deny[n++] = (struct fbsdlp_deny){ (const void *)restore_wp,
	    "restore_wp" };
	lpk_deny[n++] = (struct fbsdlp_deny){ (const void *)memcpy,
	    "memcpy (text write)" };
	lpk_deny[n++] = (struct fbsdlp_deny){ (const void *)lpk_rv_action,
	    "livepatch rendezvous action" };
	lpk_deny[n++] = (struct fbsdlp_deny){ (const void *)lpk_text_write,
	    "livepatch text write" };
	memset(&pl, 0, sizeof(pl));
	pl.lookup = lpk_lookup;
	pl.build_id = lpk_build_id_get;
	pl.text_write = lpk_text_write;
	pl.stop_machine = lpk_stop_machine;
	pl.alloc = lpk_alloc;
	pl.free = lpk_free;
	pl.log = lpk_log;
	pl.clock_ns = lpk_clock;
	pl.delay = lpk_delay;
	pl.deny = lpk_deny;
	pl.ndeny = (fbsdlp_u32)n;
	sx_init(&lpk_sx, "livepatch");
	error = fbsdlp_rt_create(&pl, &lpk_rt);
	if (error != 0)
		sx_destroy(&lpk_sx);
	return (error);
}

static int
lpk_modevent(module_t mod, int what, void *arg)
{
	int error;

	(void)mod;
	(void)arg;
	switch (what) {
	case MOD_LOAD:
		return (lpk_init());
	case MOD_QUIESCE:
	case MOD_UNLOAD:
		/* Patch modules depend on us: they are gone first. */
		sx_xlock(&lpk_sx);
		error = fbsdlp_next(lpk_rt, NULL) != NULL ? EBUSY : 0;
		if (error == 0 && what == MOD_UNLOAD)
			error = fbsdlp_rt_destroy(lpk_rt);
		sx_xunlock(&lpk_sx);
		if (error == 0 && what == MOD_UNLOAD)
			sx_destroy(&lpk_sx);
		return (error);
	case MOD_SHUTDOWN:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

static moduledata_t lpk_mod = {
	"livepatch",
	lpk_modevent,
	NULL
};
DECLARE_MODULE(livepatch, lpk_mod, SI_SUB_DRIVERS, SI_ORDER_ANY);
MODULE_VERSION(livepatch, LIVEPATCH_VERSION);
