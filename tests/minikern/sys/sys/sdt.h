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
 * Statically defined tracing (SDT) probes for DTrace.
 *
 * A provider is "struct sdt_provider sdt_provider_<prov>[1]" in the set
 * "sdt_providers_set"; a probe is "struct sdt_probe
 * sdt_<prov>_<mod>_<func>_<name>[1]" in "sdt_probes_set", each typed
 * argument a static "sdta_<...><n>" in "sdt_argtypes_set".  A probe site
 * tests the probe's id (set by DTrace when the probe is enabled) and
 * calls through sdt_probe_func.
 */
#ifndef _SYS_SDT_H_
#define	_SYS_SDT_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/linker_set.h>

struct linker_file;

struct sdt_provider {
	char		*name;
	TAILQ_ENTRY(sdt_provider) prov_entry;
	uintptr_t	id;
	int		sdt_refs;
};

struct sdt_probe;

struct sdt_argtype {
	int		ndx;
	const char	*type;
	const char	*xtype;
	TAILQ_ENTRY(sdt_argtype) argtype_entry;
	struct sdt_probe *probe;
};

struct sdt_probe {
	int		version;
	struct sdt_provider *prov;
	TAILQ_ENTRY(sdt_probe) probe_entry;
	TAILQ_HEAD(, sdt_argtype) argtype_list;
	const char	*mod;
	const char	*func;
	const char	*name;
	uint32_t	id;
	int		n_args;
	struct linker_file *sdtp_lf;
};

typedef void (*sdt_probe_func_t)(uint32_t, uintptr_t arg0, uintptr_t arg1,
    uintptr_t arg2, uintptr_t arg3, uintptr_t arg4);
extern sdt_probe_func_t sdt_probe_func;

#ifdef KDTRACE_HOOKS

#define	_SDT_PROBE_NAME(prov, mod, func, name)				\
	sdt_##prov##_##mod##_##func##_##name

#define	SDT_PROVIDER_DEFINE(_prov)					\
	struct sdt_provider sdt_provider_##_prov[1] = {			\
		[0] = { .name = #_prov },				\
	};								\
	DATA_SET(sdt_providers_set, sdt_provider_##_prov)

#define	SDT_PROVIDER_DECLARE(_prov)					\
	extern struct sdt_provider sdt_provider_##_prov[1]

#define	SDT_PROBE_DEFINE(_prov, mod, func, name)			\
	struct sdt_probe _SDT_PROBE_NAME(_prov, mod, func, name)[1] = {	\
		[0] = { sizeof(struct sdt_probe), sdt_provider_##_prov,	\
		    { NULL, NULL }, { NULL, NULL }, #mod, #func, #name,	\
		    0, 0, NULL }					\
	};								\
	DATA_SET(sdt_probes_set, _SDT_PROBE_NAME(_prov, mod, func, name))

#define	SDT_PROBE_DECLARE(_prov, mod, func, name)			\
	extern struct sdt_probe _SDT_PROBE_NAME(_prov, mod, func, name)[1]

#define	SDT_PROBE_ENABLED(prov, mod, func, name)			\
	__predict_false((_SDT_PROBE_NAME(prov, mod, func, name)->id))

#ifdef SDT_TRACEPOINTS
/*
 * FreeBSD 15 replaced the id test by hot patching: a probe site is an asm
 * goto whose body is a 5-byte nop (amd64 sdt_machdep.h), and a struct
 * sdt_tracepoint {probe, patchpoint, target, link} in the linker set
 * "sdt_tracepoint_set" tells DTrace where to write "jmp target" when the
 * probe is enabled.  A regression case that wants that shape defines
 * SDT_TRACEPOINTS before including this header (the fixture kernel does
 * not).
 */

struct sdt_tracepoint {
	struct sdt_probe *probe;
	uintptr_t	patchpoint;
	uintptr_t	target;
	void		*tracepoint_next;
};

#define	_SDT_ASM_PATCH_INSTR	"nopw 0(%%rax,%%rax,1)"

#define	__SDT_PROBE(prov, mod, func, name, uniq, arg0, arg1, arg2, arg3, arg4) \
	do {								\
		__asm__ goto(						\
		    "0:\n\t" _SDT_ASM_PATCH_INSTR "\n"			\
		    "\t.pushsection set_sdt_tracepoint_set, \"aw\"\n"	\
		    "\t.p2align 3\n"					\
		    "\t.quad %c0, 0b, %l1, 0\n"				\
		    "\t.popsection\n"					\
		    : : "i" (_SDT_PROBE_NAME(prov, mod, func, name))	\
		    : : __sdt_probe##uniq);				\
		if (0) {						\
__sdt_probe##uniq:							\
			(*sdt_probe_func)(				\
			    _SDT_PROBE_NAME(prov, mod, func, name)->id,	\
			    (uintptr_t)(arg0), (uintptr_t)(arg1),	\
			    (uintptr_t)(arg2), (uintptr_t)(arg3),	\
			    (uintptr_t)(arg4));				\
		}							\
	} while (0)
#define	_SDT_PROBE(prov, mod, func, name, uniq, ...)			\
	__SDT_PROBE(prov, mod, func, name, uniq, __VA_ARGS__)
#define	SDT_PROBE(prov, mod, func, name, arg0, arg1, arg2, arg3, arg4)	\
	_SDT_PROBE(prov, mod, func, name, __COUNTER__, arg0, arg1, arg2,	\
	    arg3, arg4)

#else /* !SDT_TRACEPOINTS: FreeBSD 14 */

#define	SDT_PROBE(prov, mod, func, name, arg0, arg1, arg2, arg3, arg4)	\
	do {								\
		if (__predict_false(					\
		    _SDT_PROBE_NAME(prov, mod, func, name)->id))	\
			(*sdt_probe_func)(				\
			    _SDT_PROBE_NAME(prov, mod, func, name)->id,	\
			    (uintptr_t)(arg0), (uintptr_t)(arg1),	\
			    (uintptr_t)(arg2), (uintptr_t)(arg3),	\
			    (uintptr_t)(arg4));				\
	} while (0)

#endif /* SDT_TRACEPOINTS */

#define	SDT_PROBE_ARGTYPE(_prov, mod, func, name, num, _type, _xtype)	\
	static struct sdt_argtype					\
	    sdta_##_prov##_##mod##_##func##_##name##num[1] = {		\
		[0] = {							\
			.ndx = num,					\
			.type = _type,					\
			.xtype = _xtype,				\
			.probe = _SDT_PROBE_NAME(_prov, mod, func, name),\
		}							\
	};								\
	DATA_SET(sdt_argtypes_set,					\
	    sdta_##_prov##_##mod##_##func##_##name##num)

#define	SDT_PROBE_DEFINE0(prov, mod, func, name)			\
	SDT_PROBE_DEFINE(prov, mod, func, name)
#define	SDT_PROBE_DEFINE1(prov, mod, func, name, arg0)			\
	SDT_PROBE_DEFINE(prov, mod, func, name);			\
	SDT_PROBE_ARGTYPE(prov, mod, func, name, 0, arg0, NULL)
#define	SDT_PROBE_DEFINE2(prov, mod, func, name, arg0, arg1)		\
	SDT_PROBE_DEFINE(prov, mod, func, name);			\
	SDT_PROBE_ARGTYPE(prov, mod, func, name, 0, arg0, NULL);	\
	SDT_PROBE_ARGTYPE(prov, mod, func, name, 1, arg1, NULL)
#define	SDT_PROBE_DEFINE3(prov, mod, func, name, arg0, arg1, arg2)	\
	SDT_PROBE_DEFINE(prov, mod, func, name);			\
	SDT_PROBE_ARGTYPE(prov, mod, func, name, 0, arg0, NULL);	\
	SDT_PROBE_ARGTYPE(prov, mod, func, name, 1, arg1, NULL);	\
	SDT_PROBE_ARGTYPE(prov, mod, func, name, 2, arg2, NULL)

#define	SDT_PROBE0(prov, mod, func, name)				\
	SDT_PROBE(prov, mod, func, name, 0, 0, 0, 0, 0)
#define	SDT_PROBE1(prov, mod, func, name, arg0)				\
	SDT_PROBE(prov, mod, func, name, arg0, 0, 0, 0, 0)
#define	SDT_PROBE2(prov, mod, func, name, arg0, arg1)			\
	SDT_PROBE(prov, mod, func, name, arg0, arg1, 0, 0, 0)
#define	SDT_PROBE3(prov, mod, func, name, arg0, arg1, arg2)		\
	SDT_PROBE(prov, mod, func, name, arg0, arg1, arg2, 0, 0)

#else /* !KDTRACE_HOOKS */

#define	SDT_PROVIDER_DEFINE(prov)	struct __hack
#define	SDT_PROVIDER_DECLARE(prov)	struct __hack
#define	SDT_PROBE_DEFINE(prov, mod, func, name) struct __hack
#define	SDT_PROBE_DECLARE(prov, mod, func, name) struct __hack
#define	SDT_PROBE_DEFINE0(prov, mod, func, name) struct __hack
#define	SDT_PROBE_DEFINE1(prov, mod, func, name, a0) struct __hack
#define	SDT_PROBE_DEFINE2(prov, mod, func, name, a0, a1) struct __hack
#define	SDT_PROBE_DEFINE3(prov, mod, func, name, a0, a1, a2) struct __hack
#define	SDT_PROBE(prov, mod, func, name, a0, a1, a2, a3, a4) do { } while (0)
#define	SDT_PROBE0(prov, mod, func, name) do { } while (0)
#define	SDT_PROBE1(prov, mod, func, name, a0) do { } while (0)
#define	SDT_PROBE2(prov, mod, func, name, a0, a1) do { } while (0)
#define	SDT_PROBE3(prov, mod, func, name, a0, a1, a2) do { } while (0)

#endif /* KDTRACE_HOOKS */

#endif /* !_SYS_SDT_H_ */
