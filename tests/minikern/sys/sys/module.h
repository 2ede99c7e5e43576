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
 * Modules: the declarations a kld's module glue needs (DECLARE_MODULE,
 * MODULE_DEPEND, MODULE_VERSION), with FreeBSD's metadata layouts, which
 * are the ABI between a kld and the kernel linker.  A patch module made by
 * fbsd-patchgen is compiled against this header like any kld.
 */
#ifndef _SYS_MODULE_H_
#define	_SYS_MODULE_H_

#include <sys/cdefs.h>
#include <sys/linker_set.h>
#include <sys/kernel.h>

#define	MDT_DEPEND	1	/* argument is a module name */
#define	MDT_MODULE	2	/* module declaration */
#define	MDT_VERSION	3	/* module version(s) */
#define	MDT_PNP_INFO	4	/* plug and play hints record */

#define	MDT_STRUCT_VERSION	1
#define	MDT_SETNAME	"modmetadata_set"

typedef enum modeventtype {
	MOD_LOAD,
	MOD_UNLOAD,
	MOD_SHUTDOWN,
	MOD_QUIESCE
} modeventtype_t;

typedef struct module *module_t;
typedef int (*modeventhand_t)(module_t, int /* modeventtype_t */, void *);

typedef struct moduledata {
	const char	*name;
	modeventhand_t	evhand;
	void		*priv;
} moduledata_t;

struct mod_depend {
	int	md_ver_minimum;
	int	md_ver_preferred;
	int	md_ver_maximum;
};

struct mod_version {
	int	mv_version;
};

struct mod_metadata {
	int		md_version;	/* MDT_STRUCT_VERSION */
	int		md_type;	/* MDT_* */
	const void	*md_data;
	const char	*md_cval;	/* module name */
};

#define	MODULE_METADATA(uniq, type, data, cval)				\
	static struct mod_metadata __CONCAT(_mod_metadata, uniq) = {	\
		MDT_STRUCT_VERSION, type, data, cval			\
	};								\
	DATA_SET(modmetadata_set, __CONCAT(_mod_metadata, uniq))

#define	MODULE_DEPEND(module, mdepend, vmin, vpref, vmax)		\
	static struct mod_depend					\
	    __CONCAT(__CONCAT(_, module), __CONCAT(_depend_on_, mdepend))\
	    __section(".data") = { vmin, vpref, vmax };			\
	MODULE_METADATA(__CONCAT(__CONCAT(_md_, module),		\
	    __CONCAT(_on_, mdepend)), MDT_DEPEND,			\
	    &__CONCAT(__CONCAT(_, module), __CONCAT(_depend_on_, mdepend)),\
	    #mdepend)

#define	MODULE_KERNEL_MAXVER	(((__FreeBSD_version + 99999) / 100000) *\
	100000 - 1)

#define	DECLARE_MODULE_WITH_MAXVER(name, data, sub, order, maxver)	\
	MODULE_DEPEND(name, kernel, __FreeBSD_version,			\
	    __FreeBSD_version, maxver);					\
	MODULE_METADATA(__CONCAT(_md_, name), MDT_MODULE, &data,	\
	    __XSTRING(name));						\
	SYSINIT(__CONCAT(name, module), sub, order,			\
	    module_register_init, &data);				\
	struct __hack
#define	DECLARE_MODULE(name, data, sub, order)				\
	DECLARE_MODULE_WITH_MAXVER(name, data, sub, order,		\
	    MODULE_KERNEL_MAXVER)
#define	DECLARE_MODULE_TIED(name, data, sub, order)			\
	DECLARE_MODULE_WITH_MAXVER(name, data, sub, order,		\
	    __FreeBSD_version)

#define	MODULE_VERSION(module, version)					\
	static struct mod_version __CONCAT(_, __CONCAT(module, _version))\
	    __section(".data") = { version };				\
	MODULE_METADATA(__CONCAT(_, __CONCAT(module, _version)),	\
	    MDT_VERSION, &__CONCAT(_, __CONCAT(module, _version)),	\
	    __XSTRING(module))

void	module_register_init(const void *data);
const char *module_getname(module_t mod);

#endif /* !_SYS_MODULE_H_ */
