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
 * The patch-module ABI: what fbsd-patchgen writes into a patch object and
 * what livepatch.ko (and the userspace test host) reads from it.
 *
 * Included by the C++ emitter and by the C runtime alike, so it uses no
 * header at all: fixed-width types come from the compiler's own macros.
 * Every record has a fixed size and layout on amd64.  Fields that hold an
 * address are 64-bit integers filled by an ordinary R_X86_64_64 relocation
 * that the kernel linker applies when it loads the module; the runtime reads
 * them as plain pointers.
 *
 * A patch module holds one array per record kind, each in its own section.
 * The section names start with "set_" so that the FreeBSD kernel linker binds
 * __start_<section>/__stop_<section> to the module's own copy, exactly as it
 * does for linker sets; `ld -r` of several diff objects concatenates them.
 *
 * Layout and versioning rules are in docs/patch-abi.md.
 */

#ifndef FBSDLP_ABI_H
#define FBSDLP_ABI_H

typedef __UINT8_TYPE__ fbsdlp_u8;
typedef __UINT16_TYPE__ fbsdlp_u16;
typedef __UINT32_TYPE__ fbsdlp_u32;
typedef __UINT64_TYPE__ fbsdlp_u64;
typedef __INT64_TYPE__ fbsdlp_i64;

/* Bumped on any incompatible change; the runtime refuses other versions. */
#define FBSDLP_ABI_VERSION 2
#define FBSDLP_INFO_MAGIC 0x504c4246u /* "FBLP" little-endian */

/* Section names. */
#define FBSDLP_SEC_INFO "set_fbsdlp_info"
#define FBSDLP_SEC_FUNCS "set_fbsdlp_funcs"
#define FBSDLP_SEC_RELOCS "set_fbsdlp_relocs"
#define FBSDLP_SEC_MASKS ".fbsdlp.masks"
#define FBSDLP_SEC_STRINGS ".fbsdlp.strings"
#define FBSDLP_SEC_HOOK_PRE_PATCH "set_fbsdlp_hook_pre_patch"
#define FBSDLP_SEC_HOOK_POST_PATCH "set_fbsdlp_hook_post_patch"
#define FBSDLP_SEC_HOOK_PRE_UNPATCH "set_fbsdlp_hook_pre_unpatch"
#define FBSDLP_SEC_HOOK_POST_UNPATCH "set_fbsdlp_hook_post_unpatch"

/* Lengths of fixed byte arrays. */
#define FBSDLP_BUILD_ID_MAX 32
#define FBSDLP_SHA256_LEN 32
#define FBSDLP_FIXES_MAX 16 /* fixes one (cumulative) patch can carry */

/* fbsdlp_patch_info.flags */
#define FBSDLP_PATCH_REPLACE_ALL 0x0001u /* revert every older patch first */
#define FBSDLP_PATCH_KNOWN_FLAGS (FBSDLP_PATCH_REPLACE_ALL)

/*
 * One per patch module, written by the link stage (patch stub).
 * Target binding: build_id must equal the running kernel's kern.build_id.
 * fixes: the SHA-256 of every fix (unified diff) the patch carries, in the
 * order they were applied; a cumulative patch carries all of a series.
 * The runtime refuses to stack a patch over an applied one whose fixes it
 * does not all carry (ABI version 2).
 */
struct fbsdlp_patch_info {
	fbsdlp_u32 magic;		/* FBSDLP_INFO_MAGIC */
	fbsdlp_u16 abi_version;		/* FBSDLP_ABI_VERSION */
	fbsdlp_u16 info_size;		/* sizeof(struct fbsdlp_patch_info) */
	fbsdlp_u32 flags;		/* FBSDLP_PATCH_* */
	fbsdlp_u32 freebsd_version;	/* __FreeBSD_version of the target */
	fbsdlp_u64 name;		/* const char *: patch name */
	fbsdlp_u64 tool_version;	/* const char *: fbsd-patchgen version */
	fbsdlp_u32 build_id_len;	/* bytes used in build_id */
	fbsdlp_u32 nfixes;		/* entries used in fixes */
	fbsdlp_u8 build_id[FBSDLP_BUILD_ID_MAX];
	fbsdlp_u8 diff_sha256[FBSDLP_SHA256_LEN]; /* of the fix as built */
	fbsdlp_u8 fixes[FBSDLP_FIXES_MAX][FBSDLP_SHA256_LEN];
};

/*
 * A byte range of the old function that the running kernel may hold with
 * different contents than the object file: relocation fields, and patch
 * points the kernel rewrites at boot.  Sorted by offset, not overlapping.
 */
struct fbsdlp_mask {
	fbsdlp_u32 offset;
	fbsdlp_u32 len;
};

/* fbsdlp_func.flags */
#define FBSDLP_FUNC_ENDBR 0x0001u /* old entry is endbr64: jump goes after it */
#define FBSDLP_FUNC_NEW 0x0002u	  /* informational: no old function */

/*
 * One per replaced function.  old_name/objname/sympos name the function in
 * the running kernel: objname is the source file name of its STT_FILE
 * symbol, sympos the 1-based position among same-named LOCAL symbols of
 * that file (0: the name is unique there; it is computed against
 * kernel.full by the finalize stage).
 */
struct fbsdlp_func {
	fbsdlp_u64 new_addr;	/* address of the replacement */
	fbsdlp_u64 old_name;	/* const char * */
	fbsdlp_u64 objname;	/* const char * */
	fbsdlp_u64 masks;	/* const struct fbsdlp_mask * (nmasks entries) */
	fbsdlp_u64 old_hash;	/* fbsdlp_hash_masked() of the old bytes */
	fbsdlp_u32 old_size;
	fbsdlp_u32 new_size;
	fbsdlp_u32 sympos;
	fbsdlp_u32 nmasks;
	fbsdlp_u32 flags;	/* FBSDLP_FUNC_* */
	fbsdlp_u32 reserved;
};

/* Relocation types a livepatch relocation may carry (ELF R_X86_64_*). */
#define FBSDLP_R_64 1
#define FBSDLP_R_PC32 2
#define FBSDLP_R_PLT32 4
#define FBSDLP_R_32 10 /* hosted profile only */
#define FBSDLP_R_32S 11

/*
 * A reference from patch code to a LOCAL (static) kernel symbol, which the
 * kernel linker cannot resolve: the runtime looks the symbol up by
 * (symname, objname, sympos) and writes the value at place.
 */
struct fbsdlp_reloc {
	fbsdlp_u64 place;	/* address in the patch to write */
	fbsdlp_u64 symname;	/* const char * */
	fbsdlp_u64 objname;	/* const char * */
	fbsdlp_i64 addend;
	fbsdlp_u32 type;	/* FBSDLP_R_* */
	fbsdlp_u32 sympos;
};

/*
 * Hooks: arrays of function pointers.  A pre hook returning non-zero
 * vetoes the operation; post hooks' results are logged only.
 */
typedef int (*fbsdlp_hook_fn)(void);

/* The ABI is fixed: catch any compiler that lays it out differently. */
#if defined(__cplusplus)
static_assert(sizeof(struct fbsdlp_patch_info) == 616, "fbsdlp_patch_info");
static_assert(sizeof(struct fbsdlp_func) == 64, "fbsdlp_func");
static_assert(sizeof(struct fbsdlp_reloc) == 40, "fbsdlp_reloc");
static_assert(sizeof(struct fbsdlp_mask) == 8, "fbsdlp_mask");
#else
_Static_assert(sizeof(struct fbsdlp_patch_info) == 616, "fbsdlp_patch_info");
_Static_assert(sizeof(struct fbsdlp_func) == 64, "fbsdlp_func");
_Static_assert(sizeof(struct fbsdlp_reloc) == 40, "fbsdlp_reloc");
_Static_assert(sizeof(struct fbsdlp_mask) == 8, "fbsdlp_mask");
#endif

/*
 * FNV-1a, 64 bit, over len bytes with every masked byte read as zero.
 * Not a cryptographic hash: it detects a kernel that differs from the one
 * the patch was built for (the bundle signature covers tampering).
 * masks must be sorted and in range; the runtime validates them first.
 */
static inline fbsdlp_u64
fbsdlp_hash_masked(const fbsdlp_u8 *p, fbsdlp_u32 len,
    const struct fbsdlp_mask *masks, fbsdlp_u32 nmasks)
{
	fbsdlp_u64 h;
	fbsdlp_u32 i, m;
	fbsdlp_u8 b;

	h = 0xcbf29ce484222325ull;
	m = 0;
	for (i = 0; i < len; i++) {
		while (m < nmasks && i >= masks[m].offset + masks[m].len)
			m++;
		b = p[i];
		if (m < nmasks && i >= masks[m].offset)
			b = 0;
		h ^= b;
		h *= 0x100000001b3ull;
	}
	return (h);
}

#endif /* !FBSDLP_ABI_H */
