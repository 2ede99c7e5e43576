/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/proc.h>
#include <sys/eventhandler.h>

/*
 * An eventhandler(9) callback registered at boot by
 * EVENTHANDLER_DEFINE, which generates a static tag, a static init
 * function process_exit_foo_proc_exit_evh_init and its SYSINIT.
 */
static u_long foo_exits;

static void
foo_proc_exit(void *arg __unused, struct proc *p)
{
	foo_exits++;
	if (p->p_flag & P_TRACED)
		printf("foo: traced process %d (%s) exiting\n", p->p_pid,
		    p->p_comm);
}
EVENTHANDLER_DEFINE(process_exit, foo_proc_exit, NULL, EVENTHANDLER_PRI_ANY);
