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
 * Apply, revert, stacking and the consistency model.
 *
 * A function is redirected by a 5-byte "jmp rel32" at its entry (after an
 * endbr64).  Each redirected entry is a site; the patches that replace the
 * function form a stack on it, newest on top, and the jump always goes to
 * the top.  Every change of jumps is planned in full first, then made in
 * one stop-machine during which every thread's stack is checked: if any
 * thread could still be executing code that the change takes out of
 * service, nothing is written and the attempt is retried later.
 */

#include "fbsdlp_internal.h"

#define LP_DEF_ATTEMPTS	10
#define LP_DEF_FIRST_US	1000
#define LP_DEF_MAX_US	64000

static const fbsdlp_u8 lp_endbr64[FBSDLP_ENDBR_LEN] = { 0xf3, 0x0f, 0x1e, 0xfa };

/* One planned text change at a site. */
struct lp_write {
	fbsdlp_u64	addr;
	fbsdlp_u8	expect[FBSDLP_JMP_LEN];	/* what must be there now */
	fbsdlp_u8	bytes[FBSDLP_JMP_LEN];	/* what to put there */
};

/* Code that no thread may be executing when the plan is carried out. */
struct lp_range {
	fbsdlp_u64	start;
	fbsdlp_u64	end;
	const char	*name;
	const char	*what;		/* "patch p1" or "original" */
};

struct lp_plan {
	struct fbsdlp_rt *rt;
	struct lp_write	*w;
	fbsdlp_u32	nw;
	struct lp_range	*r;
	fbsdlp_u32	nr;
	/* First conflict found by a stack check (written once, atomically). */
	int		conflict;
	fbsdlp_u32	c_range;	/* index in r, or nr if unreliable */
	fbsdlp_u64	c_pc;
	char		c_who[64];
	/* Failure inside the action, reported after the machine resumes. */
	int		act_error;
	fbsdlp_u64	act_addr;
};

int
lp_error(struct fbsdlp_rt *rt, int error, const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	fbsdlp_vsnprintf(rt->err, sizeof(rt->err), fmt, ap);
	__builtin_va_end(ap);
	if (rt->pl.log != 0)
		rt->pl.log(rt->pl.ctx, FBSDLP_LOG_ERR, rt->err);
	return (error);
}

void
lp_log(struct fbsdlp_rt *rt, int level, const char *fmt, ...)
{
	__builtin_va_list ap;
	char buf[256];

	if (rt->pl.log == 0)
		return;
	__builtin_va_start(ap, fmt);
	fbsdlp_vsnprintf(buf, sizeof(buf), fmt, ap);
	__builtin_va_end(ap);
	rt->pl.log(rt->pl.ctx, level, buf);
}

struct lp_site *
lp_site_find(struct fbsdlp_rt *rt, fbsdlp_u64 addr)
{
	struct lp_site *s;

	for (s = rt->sites; s != 0; s = s->next)
		if (s->addr == addr)
			return (s);
	return (0);
}

static void
lp_make_jmp(fbsdlp_u8 *buf, fbsdlp_u64 from, fbsdlp_u64 to)
{
	fbsdlp_u32 rel;

	rel = (fbsdlp_u32)(to - (from + FBSDLP_JMP_LEN));
	buf[0] = 0xe9;
	fbsdlp_memcpy(buf + 1, &rel, 4);
}

static int
lp_jmp_reaches(fbsdlp_u64 from, fbsdlp_u64 to)
{
	fbsdlp_i64 d;

	d = (fbsdlp_i64)(to - (from + FBSDLP_JMP_LEN));
	return (d >= -0x80000000ll && d <= 0x7fffffffll);
}

static const char *
lp_objname(const struct lp_func *f)
{
	return (f->objname != 0 ? f->objname : "global");
}

static int
lp_denied(struct fbsdlp_rt *rt, fbsdlp_u64 addr, fbsdlp_u64 size,
    const char **who)
{
	fbsdlp_u64 d;
	fbsdlp_u32 i;

	for (i = 0; i < fbsdlp_core_ndeny; i++) {
		d = (fbsdlp_uptr)fbsdlp_core_deny[i].addr;
		if (d >= addr && d - addr < size) {
			*who = fbsdlp_core_deny[i].name;
			return (1);
		}
	}
	for (i = 0; i < rt->pl.ndeny; i++) {
		d = (fbsdlp_uptr)rt->pl.deny[i].addr;
		if (d >= addr && d - addr < size) {
			*who = rt->pl.deny[i].name;
			return (1);
		}
	}
	return (0);
}

/*
 * Resolve f's old function and check it is the code the patch was built
 * against.  Called when the patch registers and again right before it is
 * applied: another patch may have been applied in between, so the bytes
 * under our own jump are taken from the site's saved copy.
 */
int
lp_verify_old(struct fbsdlp_rt *rt, struct fbsdlp_patch *p, struct lp_func *f)
{
	struct fbsdlp_symval sv;
	struct lp_site *site;
	const fbsdlp_u8 *live;
	const char *who;
	fbsdlp_u8 *buf;
	fbsdlp_u64 h;
	fbsdlp_u32 off;
	int error;

	error = rt->pl.lookup(rt->pl.ctx, f->name, f->objname, f->sympos, &sv);
	if (error != 0)
		return (lp_error(rt, error, "patch '%s': function %s (%s, "
		    "position %u) %s", p->name, f->name, lp_objname(f),
		    f->sympos, error == FBSDLP_EEXIST ?
		    "is ambiguous: several symbols match" :
		    "not found in the running kernel"));
	if (sv.size != f->old_size)
		return (lp_error(rt, FBSDLP_EFTYPE, "patch '%s': function %s "
		    "(%s) is %lu bytes in the running kernel, the patch "
		    "expects %lu", p->name, f->name, lp_objname(f),
		    (unsigned long)sv.size, (unsigned long)f->old_size));
	if (lp_denied(rt, sv.addr, sv.size, &who))
		return (lp_error(rt, FBSDLP_EPERM, "patch '%s': function %s "
		    "is on the runtime's deny list (%s): the patching path "
		    "itself runs through it", p->name, f->name, who));
	live = (const fbsdlp_u8 *)(fbsdlp_uptr)sv.addr;
	off = 0;
	if (sv.size >= FBSDLP_ENDBR_LEN &&
	    fbsdlp_memcmp(live, lp_endbr64, FBSDLP_ENDBR_LEN) == 0)
		off = FBSDLP_ENDBR_LEN;
	else if ((f->rflags & FBSDLP_FUNC_ENDBR) != 0)
		return (lp_error(rt, FBSDLP_EFTYPE, "patch '%s': function %s "
		    "does not start with endbr64 as the patch expects",
		    p->name, f->name));
	if (sv.size < off + FBSDLP_JMP_LEN)
		return (lp_error(rt, FBSDLP_EFTYPE, "patch '%s': function %s "
		    "is %lu bytes, too small for a %u-byte jump%s", p->name,
		    f->name, (unsigned long)sv.size, FBSDLP_JMP_LEN,
		    off != 0 ? " after endbr64" : ""));
	if (!lp_jmp_reaches(sv.addr + off, f->new_addr))
		return (lp_error(rt, FBSDLP_ERANGE, "patch '%s': new %s at "
		    "0x%lx is out of jmp rel32 range of 0x%lx", p->name,
		    f->name, (unsigned long)f->new_addr,
		    (unsigned long)sv.addr));
	site = lp_site_find(rt, sv.addr + off);
	if (site == 0 && (live[0] == 0xcc || live[off] == 0xcc))
		return (lp_error(rt, FBSDLP_EPERM, "patch '%s': function %s "
		    "starts with a breakpoint (0xcc): an active DTrace "
		    "probe?  Disable it and retry", p->name, f->name));

	buf = rt->pl.alloc(rt->pl.ctx, sv.size);
	if (buf == 0)
		return (lp_error(rt, FBSDLP_ENOMEM, "out of memory"));
	fbsdlp_memcpy(buf, live, sv.size);
	if (site != 0)
		fbsdlp_memcpy(buf + off, site->orig, FBSDLP_JMP_LEN);
	h = fbsdlp_hash_masked(buf, (fbsdlp_u32)sv.size, f->masks, f->nmasks);
	rt->pl.free(rt->pl.ctx, buf);
	if (h != f->old_hash)
		return (lp_error(rt, FBSDLP_EFTYPE, "patch '%s': function %s "
		    "(%s): its bytes in the running kernel differ from those "
		    "the patch was built against (hash %lx, expected %lx)",
		    p->name, f->name, lp_objname(f), (unsigned long)h,
		    (unsigned long)f->old_hash));
	f->old_addr = sv.addr;
	f->patch_off = off;
	return (0);
}

/*
 * Stack check, run concurrently on every stopped CPU/thread: only reads
 * the plan, and records the first conflict.
 */
static int
lp_check(void *arg, const fbsdlp_u64 *pcs, fbsdlp_u32 npcs, fbsdlp_u32 flags,
    const char *who)
{
	struct lp_plan *pl = arg;
	fbsdlp_u32 i, j, hit;
	fbsdlp_u64 pc;
	int zero;

	hit = pl->nr + 1;
	pc = 0;
	if ((flags & FBSDLP_STACK_UNRELIABLE) != 0) {
		hit = pl->nr;
		pc = npcs > 0 ? pcs[0] : 0;
	}
	/*
	 * A return address may be one past the last instruction of its
	 * function (a call at the very end): the range end is inclusive.
	 */
	for (i = 0; i < npcs && hit > pl->nr; i++)
		for (j = 0; j < pl->nr; j++)
			if (pcs[i] >= pl->r[j].start && pcs[i] <= pl->r[j].end) {
				hit = j;
				pc = pcs[i];
				break;
			}
	if (hit > pl->nr)
		return (0);
	zero = 0;
	if (__atomic_compare_exchange_n(&pl->conflict, &zero, 1, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		pl->c_range = hit;
		pl->c_pc = pc;
		for (i = 0; who != 0 && who[i] != '\0' &&
		    i < sizeof(pl->c_who) - 1; i++)
			pl->c_who[i] = who[i];
		pl->c_who[i] = '\0';
	}
	return (1);
}

/* Runs once with the machine stopped, after every stack was checked. */
static int
lp_action(void *arg)
{
	struct lp_plan *pl = arg;
	struct fbsdlp_rt *rt = pl->rt;
	fbsdlp_u32 i, k;
	int error;

	if (__atomic_load_n(&pl->conflict, __ATOMIC_ACQUIRE) != 0)
		return (FBSDLP_EBUSY);
	/*
	 * Someone else (a DTrace probe, another tool) may have written the
	 * text since the plan was made: never overwrite what we did not put
	 * there.
	 */
	for (i = 0; i < pl->nw; i++)
		if (fbsdlp_memcmp((const void *)(fbsdlp_uptr)pl->w[i].addr,
		    pl->w[i].expect, FBSDLP_JMP_LEN) != 0) {
			pl->act_error = FBSDLP_EFTYPE;
			pl->act_addr = pl->w[i].addr;
			return (FBSDLP_EFTYPE);
		}
	for (i = 0; i < pl->nw; i++) {
		error = rt->pl.text_write(rt->pl.ctx,
		    (void *)(fbsdlp_uptr)pl->w[i].addr, pl->w[i].bytes,
		    FBSDLP_JMP_LEN);
		if (error == 0)
			continue;
		/* All or nothing: put back what was already written. */
		for (k = 0; k < i; k++)
			(void)rt->pl.text_write(rt->pl.ctx,
			    (void *)(fbsdlp_uptr)pl->w[k].addr,
			    pl->w[k].expect, FBSDLP_JMP_LEN);
		pl->act_error = error;
		pl->act_addr = pl->w[i].addr;
		return (error);
	}
	return (0);
}

/* Run the plan in a stop-machine, retrying with backoff while busy. */
static int
lp_execute(struct fbsdlp_rt *rt, struct lp_plan *pl, const char *op,
    const char *pname)
{
	struct fbsdlp_stop_ops ops;
	fbsdlp_u64 t0, dt;
	fbsdlp_u32 attempt, backoff;
	const struct lp_range *r;
	int error;

	ops.check = lp_check;
	ops.action = lp_action;
	ops.arg = pl;
	backoff = rt->first_us;
	for (attempt = 1;; attempt++) {
		pl->conflict = 0;
		pl->c_who[0] = '\0';
		pl->act_error = 0;
		t0 = rt->pl.clock_ns(rt->pl.ctx);
		error = rt->pl.stop_machine(rt->pl.ctx, &ops);
		dt = rt->pl.clock_ns(rt->pl.ctx) - t0;
		rt->stats.stops++;
		rt->stats.last_stop_ns = dt;
		if (dt > rt->stats.max_stop_ns)
			rt->stats.max_stop_ns = dt;
		if (error != FBSDLP_EBUSY || attempt >= rt->attempts)
			break;
		lp_log(rt, FBSDLP_LOG_DEBUG, "%s of '%s': attempt %u busy, "
		    "retrying in %u us", op, pname, attempt, backoff);
		rt->pl.delay(rt->pl.ctx, backoff);
		backoff = backoff * 2 > rt->max_us ? rt->max_us : backoff * 2;
	}
	rt->stats.last_attempts = attempt;
	if (error == 0)
		return (0);
	if (pl->act_error != 0)
		return (lp_error(rt, error, "%s of '%s': text at 0x%lx %s",
		    op, pname, (unsigned long)pl->act_addr,
		    pl->act_error == FBSDLP_EFTYPE ?
		    "was changed by someone else (a DTrace probe?)" :
		    "could not be written; nothing was changed"));
	if (error == FBSDLP_EBUSY && pl->conflict != 0) {
		if (pl->c_range >= pl->nr)
			return (lp_error(rt, error, "%s of '%s' failed after "
			    "%u attempts: the stack of thread %s could not be "
			    "walked reliably; nothing was changed", op, pname,
			    attempt, pl->c_who));
		r = &pl->r[pl->c_range];
		return (lp_error(rt, error, "%s of '%s' failed after %u "
		    "attempts: thread %s is executing %s (%s, pc 0x%lx = "
		    "%s+0x%lx); nothing was changed", op, pname, attempt,
		    pl->c_who, r->name, r->what, (unsigned long)pl->c_pc,
		    r->name, (unsigned long)(pl->c_pc - r->start)));
	}
	return (lp_error(rt, error, "%s of '%s': stop-machine failed after %u "
	    "attempts (error %d); nothing was changed", op, pname, attempt,
	    error));
}

static int
lp_plan_alloc(struct fbsdlp_rt *rt, struct lp_plan *pl, fbsdlp_u32 nw,
    fbsdlp_u32 nr)
{
	fbsdlp_memset(pl, 0, sizeof(*pl));
	pl->rt = rt;
	pl->w = rt->pl.alloc(rt->pl.ctx, (nw + 1) * sizeof(*pl->w));
	pl->r = rt->pl.alloc(rt->pl.ctx, (nr + 1) * sizeof(*pl->r));
	if (pl->w == 0 || pl->r == 0) {
		if (pl->w != 0)
			rt->pl.free(rt->pl.ctx, pl->w);
		if (pl->r != 0)
			rt->pl.free(rt->pl.ctx, pl->r);
		return (lp_error(rt, FBSDLP_ENOMEM, "out of memory"));
	}
	return (0);
}

static void
lp_plan_free(struct fbsdlp_rt *rt, struct lp_plan *pl)
{
	rt->pl.free(rt->pl.ctx, pl->w);
	rt->pl.free(rt->pl.ctx, pl->r);
}

static void
lp_add_range(struct lp_plan *pl, fbsdlp_u64 start, fbsdlp_u64 size,
    const char *name, const char *what)
{
	struct lp_range *r;

	r = &pl->r[pl->nr++];
	r->start = start;
	r->end = start + size;
	r->name = name;
	r->what = what;
}

/* The bytes currently at a site (our jump to its top, or the original). */
static void
lp_site_bytes(const struct lp_site *s, fbsdlp_u8 *buf)
{
	if (s->top != 0)
		lp_make_jmp(buf, s->addr, s->top->new_addr);
	else
		fbsdlp_memcpy(buf, s->orig, FBSDLP_JMP_LEN);
}

static int
lp_run_hooks(struct fbsdlp_rt *rt, struct fbsdlp_patch *p, int kind,
    int veto)
{
	static const char *const kinds[FBSDLP_HOOK_NKINDS] = {
		"pre-patch", "post-patch", "pre-unpatch", "post-unpatch",
	};
	fbsdlp_hook_fn fn;
	fbsdlp_u32 i;
	int r;

	for (i = 0; i < p->nhooks[kind]; i++) {
		fn = (fbsdlp_hook_fn)(fbsdlp_uptr)p->hooks[kind][i];
		r = fn();
		if (r == 0)
			continue;
		if (veto)
			return (lp_error(rt, FBSDLP_ECANCELED, "patch '%s': "
			    "%s hook %u vetoed the operation (returned %d); "
			    "nothing was changed", p->name, kinds[kind], i, r));
		lp_log(rt, FBSDLP_LOG_ERR, "patch '%s': %s hook %u returned %d",
		    p->name, kinds[kind], i, r);
	}
	return (0);
}

static void
lp_site_remove(struct fbsdlp_rt *rt, struct lp_site *s)
{
	struct lp_site **sp;

	for (sp = &rt->sites; *sp != 0; sp = &(*sp)->next)
		if (*sp == s) {
			*sp = s->next;
			break;
		}
	rt->pl.free(rt->pl.ctx, s);
	rt->stats.nsites--;
}

int
fbsdlp_rt_create(const struct fbsdlp_platform *pl, struct fbsdlp_rt **rtp)
{
	struct fbsdlp_rt *rt;

	*rtp = 0;
	if (pl->lookup == 0 || pl->build_id == 0 || pl->text_write == 0 ||
	    pl->stop_machine == 0 || pl->alloc == 0 || pl->free == 0 ||
	    pl->clock_ns == 0 || pl->delay == 0)
		return (FBSDLP_EINVAL);
	rt = pl->alloc(pl->ctx, sizeof(*rt));
	if (rt == 0)
		return (FBSDLP_ENOMEM);
	rt->pl = *pl;
	rt->attempts = LP_DEF_ATTEMPTS;
	rt->first_us = LP_DEF_FIRST_US;
	rt->max_us = LP_DEF_MAX_US;
	*rtp = rt;
	return (0);
}

int
fbsdlp_rt_destroy(struct fbsdlp_rt *rt)
{
	if (rt->patches != 0)
		return (lp_error(rt, FBSDLP_EBUSY, "patches are still loaded"));
	rt->pl.free(rt->pl.ctx, rt);
	return (0);
}

void
fbsdlp_rt_set_retry(struct fbsdlp_rt *rt, fbsdlp_u32 attempts,
    fbsdlp_u32 first_us, fbsdlp_u32 max_us)
{
	rt->attempts = attempts > 0 ? attempts : 1;
	rt->first_us = first_us;
	rt->max_us = max_us > first_us ? max_us : first_us;
}

const char *
fbsdlp_last_error(const struct fbsdlp_rt *rt)
{
	return (rt->err);
}

int
fbsdlp_register(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
    struct fbsdlp_patch **pp)
{
	struct fbsdlp_patch *p, **tail;
	int error;

	rt->err[0] = '\0';
	error = lp_parse(rt, img, &p);
	if (error != 0) {
		rt->stats.failures++;
		return (error);
	}
	for (tail = &rt->patches; *tail != 0; tail = &(*tail)->next)
		;
	*tail = p;
	*pp = p;
	lp_log(rt, FBSDLP_LOG_INFO, "patch '%s' loaded: %u functions, %u "
	    "livepatch relocations", p->name, p->nfuncs, p->nrelocs);
	return (0);
}

int
fbsdlp_unregister(struct fbsdlp_rt *rt, struct fbsdlp_patch *p)
{
	struct fbsdlp_patch **pp;

	rt->err[0] = '\0';
	if (p->state == FBSDLP_STATE_APPLIED)
		return (lp_error(rt, FBSDLP_EBUSY, "patch '%s' is applied; "
		    "revert it before unloading", p->name));
	for (pp = &rt->patches; *pp != 0; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	lp_log(rt, FBSDLP_LOG_INFO, "patch '%s' unloaded", p->name);
	lp_patch_free(rt, p);
	return (0);
}

/*
 * Stacking p over q, an applied patch of the same function, runs p's
 * version of it: unless p carries every fix q does, q's bug comes back.
 * A patch that records no fixes cannot show that, and is never stacked on.
 */
static int
lp_check_carries(struct fbsdlp_rt *rt, const struct fbsdlp_patch *p,
    const struct fbsdlp_patch *q, const char *func)
{
	char hex[13];
	fbsdlp_u32 i, j, k;

	if (q->nfixes == 0)
		return (lp_error(rt, FBSDLP_EPERM, "patch '%s' replaces %s, "
		    "which applied patch '%s' already replaces, and '%s' "
		    "records no fixes: build one cumulative patch from both "
		    "fixes (fbsd-patchgen --src A.diff --src B.diff)", p->name,
		    func, q->name, q->name));
	for (i = 0; i < q->nfixes; i++) {
		for (j = 0; j < p->nfixes; j++)
			if (fbsdlp_memcmp(p->fixes[j], q->fixes[i],
			    FBSDLP_SHA256_LEN) == 0)
				break;
		if (j < p->nfixes)
			continue;
		for (k = 0; k < 6; k++)
			fbsdlp_snprintf(hex + 2 * k, 3, "%02x",
			    q->fixes[i][k]);
		return (lp_error(rt, FBSDLP_EPERM, "patch '%s' replaces %s, "
		    "which applied patch '%s' already replaces, but does not "
		    "carry its fix %s...: it would bring that bug back; build "
		    "one cumulative patch from both fixes (fbsd-patchgen --src "
		    "A.diff --src B.diff)", p->name, func, q->name, hex));
	}
	return (0);
}

int
fbsdlp_apply(struct fbsdlp_rt *rt, struct fbsdlp_patch *p)
{
	struct lp_plan pl;
	struct lp_site **news, *s;
	struct fbsdlp_patch *q;
	struct lp_func *f, *g;
	fbsdlp_u32 i, j, nw, nr, nnew;
	int error, replace;

	rt->err[0] = '\0';
	if (p->state == FBSDLP_STATE_APPLIED)
		return (lp_error(rt, FBSDLP_EBUSY, "patch '%s' is already "
		    "applied", p->name));
	replace = (p->flags & FBSDLP_PATCH_REPLACE_ALL) != 0;

	/* The running text may have changed since the patch was loaded. */
	for (i = 0; i < p->nfuncs; i++)
		if (!p->funcs[i].is_new &&
		    (error = lp_verify_old(rt, p, &p->funcs[i])) != 0)
			goto fail;
	for (i = 0; !replace && i < p->nfuncs; i++) {
		f = &p->funcs[i];
		if (f->is_new)
			continue;
		s = lp_site_find(rt, f->old_addr + f->patch_off);
		if (s != 0 && s->top != 0 && s->top->patch != p &&
		    (error = lp_check_carries(rt, p, s->top->patch,
		    f->name)) != 0)
			goto fail;
	}

	/* Size the plan: worst case, every site is rewritten. */
	nw = p->nfuncs + rt->stats.nsites;
	nr = 2 * p->nfuncs;
	if (replace)
		for (q = rt->patches; q != 0; q = q->next)
			if (q != p && q->state == FBSDLP_STATE_APPLIED)
				nr += q->nfuncs;
	news = rt->pl.alloc(rt->pl.ctx, (p->nfuncs + 1) * sizeof(*news));
	if (news == 0) {
		error = lp_error(rt, FBSDLP_ENOMEM, "out of memory");
		goto fail;
	}
	if ((error = lp_plan_alloc(rt, &pl, nw, nr)) != 0) {
		rt->pl.free(rt->pl.ctx, news);
		goto fail;
	}

	/* Pre hooks may veto; a replace-all also unpatches the others. */
	error = lp_run_hooks(rt, p, FBSDLP_HOOK_PRE_PATCH, 1);
	for (q = rt->patches; error == 0 && replace && q != 0; q = q->next)
		if (q != p && q->state == FBSDLP_STATE_APPLIED)
			error = lp_run_hooks(rt, q, FBSDLP_HOOK_PRE_UNPATCH, 1);
	if (error != 0)
		goto out;

	/* New sites are made now, while we may still allocate. */
	nnew = 0;
	for (i = 0; i < p->nfuncs; i++) {
		f = &p->funcs[i];
		news[i] = 0;
		if (f->is_new)
			continue;
		s = lp_site_find(rt, f->old_addr + f->patch_off);
		for (j = 0; s == 0 && j < nnew; j++)
			if (news[j] != 0 &&
			    news[j]->addr == f->old_addr + f->patch_off)
				s = news[j];
		if (s == 0) {
			s = rt->pl.alloc(rt->pl.ctx, sizeof(*s));
			if (s == 0) {
				error = lp_error(rt, FBSDLP_ENOMEM,
				    "out of memory");
				goto out;
			}
			s->addr = f->old_addr + f->patch_off;
			fbsdlp_memcpy(s->orig,
			    (const void *)(fbsdlp_uptr)s->addr,
			    FBSDLP_JMP_LEN);
			news[i] = s;
			nnew = i + 1;
		}
		f->site = s;
	}

	/* Plan the writes and the code that must be idle. */
	for (i = 0; i < p->nfuncs; i++) {
		f = &p->funcs[i];
		if (f->is_new)
			continue;
		s = f->site;
		pl.w[pl.nw].addr = s->addr;
		lp_site_bytes(s, pl.w[pl.nw].expect);
		lp_make_jmp(pl.w[pl.nw].bytes, s->addr, f->new_addr);
		pl.nw++;
		lp_add_range(&pl, f->old_addr, f->old_size, f->name,
		    "original");
		if (s->top != 0)
			lp_add_range(&pl, s->top->new_addr, s->top->new_size,
			    f->name, s->top->patch->name);
	}
	if (replace) {
		/* Every other site goes back to its original bytes. */
		for (s = rt->sites; s != 0; s = s->next) {
			for (i = 0; i < p->nfuncs; i++)
				if (p->funcs[i].site == s)
					break;
			if (i < p->nfuncs || s->top == 0)
				continue;
			pl.w[pl.nw].addr = s->addr;
			lp_site_bytes(s, pl.w[pl.nw].expect);
			fbsdlp_memcpy(pl.w[pl.nw].bytes, s->orig,
			    FBSDLP_JMP_LEN);
			pl.nw++;
		}
		for (q = rt->patches; q != 0; q = q->next) {
			if (q == p || q->state != FBSDLP_STATE_APPLIED)
				continue;
			for (j = 0; j < q->nfuncs; j++) {
				g = &q->funcs[j];
				lp_add_range(&pl, g->new_addr, g->new_size,
				    g->name, q->name);
			}
		}
	}

	error = lp_execute(rt, &pl, "apply", p->name);
	if (error != 0)
		goto out;

	/* Written: now make the bookkeeping match the text. */
	for (i = 0; i < p->nfuncs; i++)
		if (news[i] != 0) {
			news[i]->next = rt->sites;
			rt->sites = news[i];
			rt->stats.nsites++;
			news[i] = 0;
		}
	if (replace) {
		for (q = rt->patches; q != 0; q = q->next) {
			if (q == p || q->state != FBSDLP_STATE_APPLIED)
				continue;
			for (j = 0; j < q->nfuncs; j++) {
				q->funcs[j].site = 0;
				q->funcs[j].below = 0;
			}
			q->state = FBSDLP_STATE_LOADED;
			q->seq = 0;
			q->displaced = 1;
		}
		for (s = rt->sites; s != 0; s = s->next)
			s->top = 0;
	}
	for (i = 0; i < p->nfuncs; i++) {
		f = &p->funcs[i];
		if (f->is_new)
			continue;
		f->below = f->site->top;
		f->site->top = f;
	}
	if (replace) {
		for (s = rt->sites; s != 0;) {
			struct lp_site *n = s->next;

			if (s->top == 0)
				lp_site_remove(rt, s);
			s = n;
		}
	}
	p->state = FBSDLP_STATE_APPLIED;
	p->seq = ++rt->seq;
	rt->stats.applies++;
	lp_log(rt, FBSDLP_LOG_INFO, "patch '%s' applied (%u attempts, stop "
	    "%lu ns)", p->name, rt->stats.last_attempts,
	    (unsigned long)rt->stats.last_stop_ns);
	for (q = rt->patches; q != 0; q = q->next)
		if (q->displaced) {
			q->displaced = 0;
			(void)lp_run_hooks(rt, q, FBSDLP_HOOK_POST_UNPATCH, 0);
		}
	(void)lp_run_hooks(rt, p, FBSDLP_HOOK_POST_PATCH, 0);
	error = 0;
out:
	for (i = 0; i < p->nfuncs; i++) {
		if (news[i] != 0)
			rt->pl.free(rt->pl.ctx, news[i]);
		if (error != 0)
			p->funcs[i].site = 0;
	}
	rt->pl.free(rt->pl.ctx, news);
	lp_plan_free(rt, &pl);
	if (error == 0)
		return (0);
fail:
	rt->stats.failures++;
	return (error);
}

int
fbsdlp_revert(struct fbsdlp_rt *rt, struct fbsdlp_patch *p)
{
	struct lp_plan pl;
	struct lp_func *f;
	struct lp_site *s;
	fbsdlp_u32 i;
	int error;

	rt->err[0] = '\0';
	if (p->state != FBSDLP_STATE_APPLIED)
		return (lp_error(rt, FBSDLP_EINVAL, "patch '%s' is not "
		    "applied", p->name));
	/* Only the newest version of a function can be taken away. */
	for (i = 0; i < p->nfuncs; i++) {
		f = &p->funcs[i];
		if (f->is_new || f->site->top == f)
			continue;
		return (lp_error(rt, FBSDLP_EBUSY, "cannot revert '%s': patch "
		    "'%s' replaced %s after it, and reverting '%s' would "
		    "undo that too; revert '%s' first", p->name,
		    f->site->top->patch->name, f->name, p->name,
		    f->site->top->patch->name));
	}
	if ((error = lp_plan_alloc(rt, &pl, p->nfuncs, p->nfuncs)) != 0)
		goto fail;
	if ((error = lp_run_hooks(rt, p, FBSDLP_HOOK_PRE_UNPATCH, 1)) != 0)
		goto out;
	for (i = 0; i < p->nfuncs; i++) {
		f = &p->funcs[i];
		if (f->is_new)
			continue;
		s = f->site;
		pl.w[pl.nw].addr = s->addr;
		lp_site_bytes(s, pl.w[pl.nw].expect);
		if (f->below != 0)
			lp_make_jmp(pl.w[pl.nw].bytes, s->addr,
			    f->below->new_addr);
		else
			fbsdlp_memcpy(pl.w[pl.nw].bytes, s->orig,
			    FBSDLP_JMP_LEN);
		pl.nw++;
		lp_add_range(&pl, f->new_addr, f->new_size, f->name, p->name);
	}
	/* New functions that replace nothing can still be running. */
	for (i = 0; i < p->nfuncs; i++)
		if (p->funcs[i].is_new)
			lp_add_range(&pl, p->funcs[i].new_addr,
			    p->funcs[i].new_size, p->funcs[i].name, p->name);
	error = lp_execute(rt, &pl, "revert", p->name);
	if (error != 0)
		goto out;
	for (i = 0; i < p->nfuncs; i++) {
		f = &p->funcs[i];
		if (f->is_new)
			continue;
		s = f->site;
		s->top = f->below;
		f->below = 0;
		f->site = 0;
		if (s->top == 0)
			lp_site_remove(rt, s);
	}
	p->state = FBSDLP_STATE_LOADED;
	p->seq = 0;
	rt->stats.reverts++;
	lp_log(rt, FBSDLP_LOG_INFO, "patch '%s' reverted (%u attempts)",
	    p->name, rt->stats.last_attempts);
	(void)lp_run_hooks(rt, p, FBSDLP_HOOK_POST_UNPATCH, 0);
out:
	lp_plan_free(rt, &pl);
	if (error == 0)
		return (0);
fail:
	rt->stats.failures++;
	return (error);
}

struct fbsdlp_patch *
fbsdlp_find(struct fbsdlp_rt *rt, const char *name)
{
	struct fbsdlp_patch *p;

	for (p = rt->patches; p != 0; p = p->next)
		if (fbsdlp_strcmp(p->name, name) == 0)
			return (p);
	return (0);
}

struct fbsdlp_patch *
fbsdlp_next(struct fbsdlp_rt *rt, struct fbsdlp_patch *prev)
{
	return (prev == 0 ? rt->patches : prev->next);
}

void
fbsdlp_patch_status(const struct fbsdlp_patch *p,
    struct fbsdlp_patch_status *st)
{
	st->name = p->name;
	st->tool_version = p->tool_version;
	st->state = p->state;
	st->flags = p->flags;
	st->nfuncs = p->nfuncs;
	st->nrelocs = p->nrelocs;
	st->seq = p->seq;
	st->nfixes = p->nfixes;
	st->fixes = p->fixes;
}

int
fbsdlp_func_status(const struct fbsdlp_patch *p, fbsdlp_u32 i,
    struct fbsdlp_func_status *st)
{
	const struct lp_func *f;

	if (i >= p->nfuncs)
		return (FBSDLP_ENOENT);
	f = &p->funcs[i];
	st->name = f->name;
	st->objname = f->objname;
	st->old_addr = f->old_addr;
	st->new_addr = f->new_addr;
	st->active = p->state == FBSDLP_STATE_APPLIED &&
	    (f->is_new || (f->site != 0 && f->site->top == f));
	return (0);
}

void
fbsdlp_get_stats(const struct fbsdlp_rt *rt, struct fbsdlp_stats *st)
{
	*st = rt->stats;
}

/* The core's part of the patching path: patching these would be fatal. */
const struct fbsdlp_deny fbsdlp_core_deny[] = {
	{ (const void *)lp_check, "fbsdlp core: stack check" },
	{ (const void *)lp_action, "fbsdlp core: text write action" },
	{ (const void *)lp_execute, "fbsdlp core: stop-machine driver" },
	{ (const void *)fbsdlp_apply, "fbsdlp core: apply" },
	{ (const void *)fbsdlp_revert, "fbsdlp core: revert" },
	{ (const void *)fbsdlp_memcmp, "fbsdlp core: memcmp" },
	{ (const void *)fbsdlp_memcpy, "fbsdlp core: memcpy" },
};
const fbsdlp_u32 fbsdlp_core_ndeny =
    sizeof(fbsdlp_core_deny) / sizeof(fbsdlp_core_deny[0]);
