/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

#define	FOO_MAXLEN	4096

/*
 * A length check, inlined (through foo_write_check) into foo_write and
 * also kept out of line because a validator table takes its address.
 * The fix is in foo_check_len only; foo_write changes because it
 * inlines it, which the report must explain.
 */
static int
foo_check_len(int unit, int len)
{
	if (len > FOO_MAXLEN) {
		printf("foo%d: bad length %d\n", unit, len);
		return (EINVAL);
	}
	return (0);
}

static __inline int
foo_write_check(int unit, int len)
{
	if (unit < 0)
		return (ENXIO);
	return (foo_check_len(unit, len));
}

typedef int foo_validator_t(int, int);
foo_validator_t *const foo_validators[] = { foo_check_len };

int	foo_write(int unit, int len);

int
foo_write(int unit, int len)
{
	int error;

	error = foo_write_check(unit, len);
	if (error != 0)
		return (error);
	printf("foo%d: write %d\n", unit, len);
	return (0);
}
