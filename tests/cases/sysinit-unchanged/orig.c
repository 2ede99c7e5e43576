/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>

/*
 * A subsystem initialised once at boot by a SYSINIT, plus run-time code.
 */
struct foo_entry {
	int	fe_key;
	int	fe_val;
};

static struct foo_entry *foo_table;
static int foo_tablesize = 128;
static struct mtx foo_lock;

TUNABLE_INT("kern.foo.tablesize", &foo_tablesize);

int	foo_get(int key);

static void
foo_init(void *arg __unused)
{
	if (foo_tablesize < 16)
		foo_tablesize = 16;
	foo_table = malloc(foo_tablesize * sizeof(*foo_table), M_DEVBUF,
	    M_WAITOK | M_ZERO);
	mtx_init(&foo_lock, "foo table", NULL, MTX_DEF);
}
SYSINIT(foo_table, SI_SUB_DRIVERS, SI_ORDER_FIRST, foo_init, NULL);

int
foo_get(int key)
{
	int val;

	mtx_lock(&foo_lock);
	val = foo_table[key % foo_tablesize].fe_val;
	mtx_unlock(&foo_lock);
	return (val);
}
