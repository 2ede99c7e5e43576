/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 *
 * Example for "make demo": a small piece of kernel code shaped like a file
 * of FreeBSD's sys/kern.  orig.c is the file before a fix, patched.c after
 * it; the two differ in one line, the bounds check in lpdemo_slot().
 *
 * It is self-contained: what a kernel file would get from <sys/param.h>,
 * <sys/systm.h>, <sys/proc.h> and <sys/sysproto.h> is declared below, so
 * that it compiles with the amd64 kernel flags and nothing but opt_global.h.
 */

#define	EINVAL		22
#define	ENOENT		2
#define	NULL		((void *)0)
#define	__predict_false(exp)	__builtin_expect((exp), 0)

typedef unsigned long	size_t;
typedef unsigned int	u_int;
typedef long		register_t;

struct thread {
	register_t	td_retval[2];
};

int	printf(const char *, ...) __attribute__((__format__(__printf__, 1, 2)));
int	copyout(const void *kaddr, void *uaddr, size_t len);

#define	LPDEMO_NSLOTS	8

struct lpdemo_slot {
	int	ls_value;
	u_int	ls_gen;
};

/* The table the two system calls below read and write. */
static struct lpdemo_slot lpdemo_slots[LPDEMO_NSLOTS];
static u_int lpdemo_gen;

struct lpdemo_get_args {
	int	idx;
	int	*valuep;
};

struct lpdemo_set_args {
	int	idx;
	int	value;
};

/*
 * Return the slot for a user-supplied index, or NULL if it is out of range.
 * Inlined into its callers: a fix here changes them, not this function.
 */
static inline struct lpdemo_slot *
lpdemo_slot(int idx)
{

	if (idx < 0 || idx >= LPDEMO_NSLOTS)
		return (NULL);
	return (&lpdemo_slots[idx]);
}

int
sys_lpdemo_get(struct thread *td, struct lpdemo_get_args *uap)
{
	struct lpdemo_slot *slot;

	slot = lpdemo_slot(uap->idx);
	if (__predict_false(slot == NULL)) {
		printf("lpdemo: get: slot %d out of range\n", uap->idx);
		return (EINVAL);
	}
	if (slot->ls_gen == 0)
		return (ENOENT);
	td->td_retval[0] = slot->ls_gen;
	return (copyout(&slot->ls_value, uap->valuep, sizeof(slot->ls_value)));
}

/* Not touched by the fix: it must stay out of the patch. */
int
sys_lpdemo_set(struct thread *td, struct lpdemo_set_args *uap)
{
	struct lpdemo_slot *slot;

	if (uap->idx < 0 || uap->idx >= LPDEMO_NSLOTS) {
		printf("lpdemo: set: slot %d out of range\n", uap->idx);
		return (EINVAL);
	}
	slot = &lpdemo_slots[uap->idx];
	slot->ls_value = uap->value;
	slot->ls_gen = ++lpdemo_gen;
	td->td_retval[0] = slot->ls_gen;
	return (0);
}
