/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/module.h>
#include <sys/errno.h>

/*
 * A kernel module's event handler.  DECLARE_MODULE emits module
 * metadata (set_modmetadata_set), a mod_depend in .data and a SYSINIT
 * that registers the module; all of it is unchanged.
 */
static int foo_loaded;

int	foo_is_loaded(void);

int
foo_is_loaded(void)
{
	return (foo_loaded);
}

static int
foo_modevent(module_t mod, int type, void *data)
{
	int error = 0;

	switch (type) {
	case MOD_LOAD:
		foo_loaded = 1;
		printf("foo: loaded\n");
		break;
	case MOD_QUIESCE:
		if (foo_loaded > 1)
			error = EBUSY;
		break;
	case MOD_UNLOAD:
		foo_loaded = 0;
		break;
	default:
		error = EOPNOTSUPP;
		break;
	}
	return (error);
}

static moduledata_t foo_mod = {
	"foo",
	foo_modevent,
	NULL
};

DECLARE_MODULE(foo, foo_mod, SI_SUB_DRIVERS, SI_ORDER_MIDDLE);
MODULE_VERSION(foo, 1);
