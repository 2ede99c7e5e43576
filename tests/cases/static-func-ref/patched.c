/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * The changed function calls unchanged static functions of its file,
 * once as a normal call and once as a tail call.  The patch must not
 * copy them: it reaches the kernel's LOCAL functions through livepatch
 * relocations.
 */
struct foo_pkt {
	int	fp_type;
	int	fp_len;
	u_char	fp_data[64];
};

static __noinline int
foo_csum(const struct foo_pkt *fp)
{
	int i, sum = 0;

	for (i = 0; i < fp->fp_len && i < 64; i++)
		sum += fp->fp_data[i];
	return (sum & 0xffff);
}

static __noinline int
foo_deliver(struct foo_pkt *fp, int csum)
{
	printf("foo: deliver type %d len %d csum %#x\n", fp->fp_type,
	    fp->fp_len, csum);
	return (0);
}

int	foo_input(struct foo_pkt *fp);

int
foo_input(struct foo_pkt *fp)
{
	int csum;

	if (fp->fp_len <= 0 || fp->fp_len > 64)
		return (EINVAL);
	csum = foo_csum(fp);
	return (foo_deliver(fp, csum));
}
