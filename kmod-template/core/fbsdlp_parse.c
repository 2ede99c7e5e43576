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
 * Parsing and validation of a loaded patch module.  Everything in the
 * module's sections is input from outside the runtime: each record is
 * bounds-checked against its section and each pointer in it against the
 * module's memory before anything is followed, and nothing is written until
 * the whole patch has been validated and resolved.
 */

#include "fbsdlp_internal.h"

#define LP_MAX_STR	4096	/* longest symbol or patch name accepted */

/*
 * The region holding [addr, addr + len), which must have all of need, or
 * NULL.  Careful with wrap-around: the addresses are untrusted.
 */
static const struct fbsdlp_region *
lp_region(const struct fbsdlp_image *img, fbsdlp_u64 addr, fbsdlp_u64 len,
    fbsdlp_u32 need)
{
	const struct fbsdlp_region *r;
	fbsdlp_u32 i;

	for (i = 0; i < img->nregions; i++) {
		r = &img->regions[i];
		if ((r->flags & need) != need)
			continue;
		if (addr < r->start || addr - r->start > r->size)
			continue;
		if (len > r->size - (addr - r->start))
			continue;
		return (r);
	}
	return (0);
}

static int
lp_in_span(const struct fbsdlp_span *s, fbsdlp_u64 addr, fbsdlp_u64 len)
{
	return (addr >= s->start && addr - s->start <= s->size &&
	    len <= s->size - (addr - s->start));
}

/*
 * A NUL-terminated string wholly inside the strings section when the loader
 * named one, else inside readable module memory.
 */
static const char *
lp_string(const struct fbsdlp_image *img, const struct fbsdlp_span *sec,
    fbsdlp_u64 addr)
{
	const struct fbsdlp_region *r;
	fbsdlp_u64 end, a;
	const char *s;

	if (sec != 0 && sec->size != 0) {
		if (!lp_in_span(sec, addr, 1))
			return (0);
		end = sec->start + sec->size;
	} else {
		r = lp_region(img, addr, 1, FBSDLP_REGION_READ);
		if (r == 0)
			return (0);
		end = r->start + r->size;
	}
	s = (const char *)(fbsdlp_uptr)addr;
	for (a = addr; a < end && a - addr < LP_MAX_STR; a++)
		if (s[a - addr] == '\0')
			return (s);
	return (0);
}

/* A section that holds an array of records of size recsz. */
static int
lp_array(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
    const struct fbsdlp_span *sec, fbsdlp_u64 recsz, fbsdlp_u64 max,
    const char *secname, fbsdlp_u32 *np)
{
	*np = 0;
	if (sec->size == 0)
		return (0);
	if (sec->size % recsz != 0 || (sec->start & 7) != 0)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: section %s: size %lu is not a multiple of the record "
		    "size %lu or is misaligned", img->modname, secname,
		    (unsigned long)sec->size, (unsigned long)recsz));
	if (sec->size / recsz > max)
		return (lp_error(rt, FBSDLP_E2BIG,
		    "%s: section %s: %lu records, at most %lu accepted",
		    img->modname, secname, (unsigned long)(sec->size / recsz),
		    (unsigned long)max));
	if (lp_region(img, sec->start, sec->size, FBSDLP_REGION_READ) == 0)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: section %s lies outside the module", img->modname,
		    secname));
	*np = (fbsdlp_u32)(sec->size / recsz);
	return (0);
}

static int
lp_parse_info(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
    struct fbsdlp_patch *p)
{
	struct fbsdlp_patch_info info;
	const fbsdlp_u8 *bid;
	fbsdlp_u32 bidlen, i;
	char want[2 * FBSDLP_BUILD_ID_MAX + 1], have[2 * FBSDLP_BUILD_ID_MAX + 1];
	int error;

	if (img->info.size == 0)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: no section " FBSDLP_SEC_INFO "; not a patch module",
		    img->modname));
	if (img->info.size < 8 || (img->info.start & 7) != 0 ||
	    lp_region(img, img->info.start, img->info.size,
	    FBSDLP_REGION_READ) == 0)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: section " FBSDLP_SEC_INFO " is truncated or misplaced",
		    img->modname));
	/* Magic and version first: they decide how to read the rest. */
	fbsdlp_memcpy(&info, (const void *)(fbsdlp_uptr)img->info.start, 8);
	if (info.magic != FBSDLP_INFO_MAGIC)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: bad patch info magic 0x%x", img->modname, info.magic));
	if (info.abi_version != FBSDLP_ABI_VERSION)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: patch ABI version %u, this runtime supports %u",
		    img->modname, info.abi_version, FBSDLP_ABI_VERSION));
	if (info.info_size != sizeof(info) || img->info.size != sizeof(info))
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: patch info size %u (section %lu bytes), expected "
		    "exactly one record of %lu", img->modname, info.info_size,
		    (unsigned long)img->info.size, (unsigned long)sizeof(info)));
	fbsdlp_memcpy(&info, (const void *)(fbsdlp_uptr)img->info.start,
	    sizeof(info));
	if ((info.flags & ~FBSDLP_PATCH_KNOWN_FLAGS) != 0)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: unknown patch flags 0x%x", img->modname,
		    info.flags & ~FBSDLP_PATCH_KNOWN_FLAGS));
	p->flags = info.flags;
	p->name = lp_string(img, 0, info.name);
	if (p->name == 0 || p->name[0] == '\0')
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: patch name missing or outside the module",
		    img->modname));
	p->tool_version = info.tool_version == 0 ? "" :
	    lp_string(img, 0, info.tool_version);
	if (p->tool_version == 0)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: tool version string outside the module", img->modname));
	if (info.nfixes > FBSDLP_FIXES_MAX)
		return (lp_error(rt, FBSDLP_E2BIG, "patch '%s': %u fixes, at "
		    "most %u", p->name, info.nfixes, FBSDLP_FIXES_MAX));
	p->nfixes = info.nfixes;
	fbsdlp_memcpy(p->fixes, info.fixes, sizeof(p->fixes));
	if (info.build_id_len == 0 || info.build_id_len > FBSDLP_BUILD_ID_MAX)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: build-id length %u (1..%u)", img->modname,
		    info.build_id_len, FBSDLP_BUILD_ID_MAX));

	/* The patch is tied to one build of the kernel. */
	error = rt->pl.build_id(rt->pl.ctx, &bid, &bidlen);
	if (error != 0)
		return (lp_error(rt, error, "cannot read the running build-id"));
	if (bidlen != info.build_id_len ||
	    fbsdlp_memcmp(bid, info.build_id, bidlen) != 0) {
		for (i = 0; i < info.build_id_len; i++)
			fbsdlp_snprintf(want + 2 * i, 3, "%02x",
			    info.build_id[i]);
		want[2 * info.build_id_len] = '\0';
		for (i = 0; i < bidlen && i < FBSDLP_BUILD_ID_MAX; i++)
			fbsdlp_snprintf(have + 2 * i, 3, "%02x", bid[i]);
		have[2 * i] = '\0';
		return (lp_error(rt, FBSDLP_EFTYPE,
		    "patch '%s' was built for build-id %s, the running "
		    "kernel's is %s", p->name, want, have));
	}
	return (0);
}

static int
lp_parse_funcs(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
    struct fbsdlp_patch *p)
{
	struct fbsdlp_func rec;
	struct fbsdlp_mask m;
	struct lp_func *f;
	fbsdlp_u32 i, j, n, end;
	int error;

	error = lp_array(rt, img, &img->funcs, sizeof(rec), FBSDLP_MAX_FUNCS,
	    FBSDLP_SEC_FUNCS, &n);
	if (error != 0)
		return (error);
	if (n == 0)
		return (lp_error(rt, FBSDLP_ENOEXEC,
		    "%s: patch '%s' has no function records (section "
		    FBSDLP_SEC_FUNCS ")", img->modname, p->name));
	p->funcs = rt->pl.alloc(rt->pl.ctx, n * sizeof(*p->funcs));
	if (p->funcs == 0)
		return (lp_error(rt, FBSDLP_ENOMEM, "out of memory"));
	p->nfuncs = n;
	for (i = 0; i < n; i++) {
		fbsdlp_memcpy(&rec, (const void *)(fbsdlp_uptr)
		    (img->funcs.start + (fbsdlp_u64)i * sizeof(rec)),
		    sizeof(rec));
		f = &p->funcs[i];
		f->patch = p;
		f->name = lp_string(img, &img->strings, rec.old_name);
		if (f->name == 0 || f->name[0] == '\0')
			return (lp_error(rt, FBSDLP_ENOEXEC,
			    "%s: function record %u: name outside %s",
			    img->modname, i, FBSDLP_SEC_STRINGS));
		f->objname = rec.objname == 0 ? 0 :
		    lp_string(img, &img->strings, rec.objname);
		if (rec.objname != 0 && f->objname == 0)
			return (lp_error(rt, FBSDLP_ENOEXEC,
			    "%s: function record %u (%s): object name outside "
			    "%s", img->modname, i, f->name,
			    FBSDLP_SEC_STRINGS));
		if ((rec.flags & ~(FBSDLP_FUNC_ENDBR | FBSDLP_FUNC_NEW)) != 0)
			return (lp_error(rt, FBSDLP_ENOEXEC,
			    "%s: function %s: unknown flags 0x%x", img->modname,
			    f->name, rec.flags));
		if (rec.new_size == 0 || lp_region(img, rec.new_addr,
		    rec.new_size, FBSDLP_REGION_EXEC) == 0)
			return (lp_error(rt, FBSDLP_ENOEXEC,
			    "%s: function %s: new code (%lu bytes) is not in "
			    "the module's text", img->modname, f->name,
			    (unsigned long)rec.new_size));
		f->new_addr = rec.new_addr;
		f->new_size = rec.new_size;
		f->old_size = rec.old_size;
		f->old_hash = rec.old_hash;
		f->sympos = rec.sympos;
		f->rflags = rec.flags;
		f->is_new = (rec.flags & FBSDLP_FUNC_NEW) != 0;
		if (f->is_new)
			continue;
		if (rec.nmasks > rec.old_size)
			return (lp_error(rt, FBSDLP_ENOEXEC,
			    "%s: function %s: %u masks for %u bytes",
			    img->modname, f->name, rec.nmasks, rec.old_size));
		if (rec.nmasks != 0) {
			if ((rec.masks & 3) != 0 ||
			    (img->masks.size != 0 ? !lp_in_span(&img->masks,
			    rec.masks, (fbsdlp_u64)rec.nmasks * sizeof(m)) :
			    lp_region(img, rec.masks,
			    (fbsdlp_u64)rec.nmasks * sizeof(m),
			    FBSDLP_REGION_READ) == 0))
				return (lp_error(rt, FBSDLP_ENOEXEC,
				    "%s: function %s: mask array outside %s",
				    img->modname, f->name, FBSDLP_SEC_MASKS));
			f->masks = (const struct fbsdlp_mask *)(fbsdlp_uptr)
			    rec.masks;
			f->nmasks = rec.nmasks;
		}
		/* fbsdlp_hash_masked() relies on sorted, in-range masks. */
		end = 0;
		for (j = 0; j < f->nmasks; j++) {
			fbsdlp_memcpy(&m, &f->masks[j], sizeof(m));
			if (m.len == 0 || m.offset < end ||
			    m.offset > rec.old_size ||
			    m.len > rec.old_size - m.offset)
				return (lp_error(rt, FBSDLP_ENOEXEC,
				    "%s: function %s: mask %u (%u+%u) unsorted, "
				    "overlapping or beyond its %u bytes",
				    img->modname, f->name, j, m.offset, m.len,
				    rec.old_size));
			end = m.offset + m.len;
		}
		for (j = 0; j < i; j++)
			if (!p->funcs[j].is_new &&
			    fbsdlp_strcmp(p->funcs[j].name, f->name) == 0 &&
			    p->funcs[j].sympos == f->sympos &&
			    (f->objname == 0 || p->funcs[j].objname == 0 ||
			    fbsdlp_strcmp(p->funcs[j].objname,
			    f->objname) == 0))
				return (lp_error(rt, FBSDLP_ENOEXEC,
				    "%s: function %s appears twice",
				    img->modname, f->name));
		error = lp_verify_old(rt, p, f);
		if (error != 0)
			return (error);
	}
	return (0);
}

/* Resolve every livepatch relocation first, then write them all. */
static int
lp_parse_relocs(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
    struct fbsdlp_patch *p)
{
	struct fbsdlp_reloc rec;
	struct fbsdlp_symval sv;
	const struct fbsdlp_region *r;
	const char *sym, *obj;
	fbsdlp_u64 *val, v;
	fbsdlp_u32 i, n, width;
	fbsdlp_i64 sv64;
	fbsdlp_u32 v32;
	int error;

	error = lp_array(rt, img, &img->relocs, sizeof(rec),
	    FBSDLP_MAX_RELOCS, FBSDLP_SEC_RELOCS, &n);
	if (error != 0 || n == 0)
		return (error);
	p->nrelocs = n;
	val = rt->pl.alloc(rt->pl.ctx, (fbsdlp_size)n * sizeof(*val));
	if (val == 0)
		return (lp_error(rt, FBSDLP_ENOMEM, "out of memory"));
	for (i = 0; i < n; i++) {
		fbsdlp_memcpy(&rec, (const void *)(fbsdlp_uptr)
		    (img->relocs.start + (fbsdlp_u64)i * sizeof(rec)),
		    sizeof(rec));
		sym = lp_string(img, &img->strings, rec.symname);
		obj = rec.objname == 0 ? 0 :
		    lp_string(img, &img->strings, rec.objname);
		if (sym == 0 || sym[0] == '\0' ||
		    (rec.objname != 0 && obj == 0)) {
			error = lp_error(rt, FBSDLP_ENOEXEC,
			    "%s: livepatch relocation %u: symbol or object "
			    "name outside %s", img->modname, i,
			    FBSDLP_SEC_STRINGS);
			goto out;
		}
		switch (rec.type) {
		case FBSDLP_R_64:
			width = 8;
			break;
		case FBSDLP_R_32:
			if ((rt->pl.flags & FBSDLP_PLAT_ALLOW_R32) == 0) {
				error = lp_error(rt, FBSDLP_ENOEXEC,
				    "%s: livepatch relocation %u (%s): "
				    "R_X86_64_32 is only valid in the hosted "
				    "profile", img->modname, i, sym);
				goto out;
			}
			/* FALLTHROUGH */
		case FBSDLP_R_PC32:
		case FBSDLP_R_PLT32:
		case FBSDLP_R_32S:
			width = 4;
			break;
		default:
			error = lp_error(rt, FBSDLP_ENOEXEC,
			    "%s: livepatch relocation %u (%s): unsupported "
			    "type %u", img->modname, i, sym, rec.type);
			goto out;
		}
		r = lp_region(img, rec.place, width, 0);
		if (r == 0) {
			error = lp_error(rt, FBSDLP_ENOEXEC,
			    "%s: livepatch relocation %u (%s): place 0x%lx is "
			    "outside the module", img->modname, i, sym,
			    (unsigned long)rec.place);
			goto out;
		}
		error = rt->pl.lookup(rt->pl.ctx, sym, obj, rec.sympos, &sv);
		if (error != 0) {
			error = lp_error(rt, error,
			    "%s: livepatch relocation %u: symbol %s (%s, "
			    "position %u) %s", img->modname, i, sym,
			    obj != 0 ? obj : "global", rec.sympos,
			    error == FBSDLP_EEXIST ? "is ambiguous" :
			    "not found in the running kernel");
			goto out;
		}
		v = sv.addr + (fbsdlp_u64)rec.addend;
		if (rec.type == FBSDLP_R_PC32 || rec.type == FBSDLP_R_PLT32)
			v -= rec.place;
		sv64 = (fbsdlp_i64)v;
		if ((rec.type == FBSDLP_R_32 && v > 0xffffffffull) ||
		    (width == 4 && rec.type != FBSDLP_R_32 &&
		    (sv64 < -0x80000000ll || sv64 > 0x7fffffffll))) {
			error = lp_error(rt, FBSDLP_ERANGE,
			    "%s: livepatch relocation %u: %s (0x%lx) is out "
			    "of range of a 32-bit field at 0x%lx",
			    img->modname, i, sym, (unsigned long)sv.addr,
			    (unsigned long)rec.place);
			goto out;
		}
		val[i] = v;
	}

	/* Everything resolved: now write. */
	for (i = 0; i < n; i++) {
		fbsdlp_memcpy(&rec, (const void *)(fbsdlp_uptr)
		    (img->relocs.start + (fbsdlp_u64)i * sizeof(rec)),
		    sizeof(rec));
		width = rec.type == FBSDLP_R_64 ? 8 : 4;
		r = lp_region(img, rec.place, width, 0);
		v32 = (fbsdlp_u32)val[i];
		if ((r->flags & FBSDLP_REGION_WRITE) != 0)
			fbsdlp_memcpy((void *)(fbsdlp_uptr)rec.place,
			    width == 8 ? (const void *)&val[i] :
			    (const void *)&v32, width);
		else {
			error = rt->pl.text_write(rt->pl.ctx,
			    (void *)(fbsdlp_uptr)rec.place,
			    width == 8 ? (const void *)&val[i] :
			    (const void *)&v32, width);
			if (error != 0) {
				error = lp_error(rt, error,
				    "%s: cannot write livepatch relocation %u",
				    img->modname, i);
				goto out;
			}
		}
	}
	error = 0;
out:
	rt->pl.free(rt->pl.ctx, val);
	return (error);
}

static int
lp_parse_hooks(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
    struct fbsdlp_patch *p)
{
	static const char *const names[FBSDLP_HOOK_NKINDS] = {
		FBSDLP_SEC_HOOK_PRE_PATCH, FBSDLP_SEC_HOOK_POST_PATCH,
		FBSDLP_SEC_HOOK_PRE_UNPATCH, FBSDLP_SEC_HOOK_POST_UNPATCH,
	};
	const fbsdlp_u64 *h;
	fbsdlp_u32 k, i, n;
	int error;

	for (k = 0; k < FBSDLP_HOOK_NKINDS; k++) {
		error = lp_array(rt, img, &img->hooks[k], sizeof(fbsdlp_u64),
		    FBSDLP_MAX_HOOKS, names[k], &n);
		if (error != 0)
			return (error);
		h = (const fbsdlp_u64 *)(fbsdlp_uptr)img->hooks[k].start;
		for (i = 0; i < n; i++)
			if (lp_region(img, h[i], 1, FBSDLP_REGION_EXEC) == 0)
				return (lp_error(rt, FBSDLP_ENOEXEC,
				    "%s: %s[%u] does not point into the "
				    "module's text", img->modname, names[k], i));
		p->hooks[k] = n != 0 ? h : 0;
		p->nhooks[k] = n;
	}
	return (0);
}

void
lp_patch_free(struct fbsdlp_rt *rt, struct fbsdlp_patch *p)
{
	if (p->funcs != 0)
		rt->pl.free(rt->pl.ctx, p->funcs);
	rt->pl.free(rt->pl.ctx, p);
}

int
lp_parse(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
    struct fbsdlp_patch **pp)
{
	struct fbsdlp_patch *p, *q;
	int error;

	*pp = 0;
	if (img->modname == 0 || (img->regions == 0 && img->nregions != 0))
		return (lp_error(rt, FBSDLP_EINVAL, "bad image description"));
	p = rt->pl.alloc(rt->pl.ctx, sizeof(*p));
	if (p == 0)
		return (lp_error(rt, FBSDLP_ENOMEM, "out of memory"));
	p->rt = rt;
	p->state = FBSDLP_STATE_LOADED;
	error = lp_parse_info(rt, img, p);
	if (error == 0)
		for (q = rt->patches; q != 0; q = q->next)
			if (fbsdlp_strcmp(q->name, p->name) == 0) {
				error = lp_error(rt, FBSDLP_EEXIST,
				    "a patch named '%s' is already loaded",
				    p->name);
				break;
			}
	/* Hooks and functions are checked before any relocation is written. */
	if (error == 0)
		error = lp_parse_hooks(rt, img, p);
	if (error == 0)
		error = lp_parse_funcs(rt, img, p);
	if (error == 0)
		error = lp_parse_relocs(rt, img, p);
	if (error != 0) {
		lp_patch_free(rt, p);
		return (error);
	}
	*pp = p;
	return (0);
}
