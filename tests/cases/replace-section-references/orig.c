/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/callout.h>

/*
 * References to file-local objects are often emitted against section
 * symbols (".bss.foo_slots+0x18", ".text.foo_expire"), with the offset
 * in the addend.  In the patch they must name the kernel's LOCAL objects
 * and functions.
 */
struct foo_slot {
	int	fs_id;
	int	fs_state;
	long	fs_deadline;
};

static struct foo_slot foo_slots[16];
static struct callout foo_timer;
static int foo_nexpired;

static void
foo_expire(void *arg)
{
	struct foo_slot *fs = arg;

	fs->fs_state = 0;
	foo_nexpired++;
}

static __noinline struct foo_slot *
foo_slot_lookup(int id)
{
	int i;

	for (i = 0; i < 16; i++)
		if (foo_slots[i].fs_id == id)
			return (&foo_slots[i]);
	return (NULL);
}

int	foo_arm(int id, int timo);

int
foo_arm(int id, int timo)
{
	struct foo_slot *fs;

	fs = foo_slot_lookup(id);
	if (fs == NULL)
		fs = &foo_slots[1];
	fs->fs_state = 1;
	fs->fs_deadline = ticks + timo;
	callout_reset(&foo_timer, timo, foo_expire, fs);
	return (foo_nexpired);
}
