/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/linker_set.h>
#include <sys/errno.h>

/*
 * A private linker set of protocol handlers: entries are registered
 * with DATA_SET(foo_proto_set, ...) (here and in other files) and the
 * dispatcher walks the set between __start_set_foo_proto_set and
 * __stop_set_foo_proto_set.  In a patch module those bounds would bind
 * to the module's own set_foo_proto_set section if it had one, so the
 * entries must not be copied and the bounds must stay undefined.
 */
struct foo_proto {
	int	fp_type;
	int	(*fp_input)(void *pkt, int len);
};

SET_DECLARE(foo_proto_set, struct foo_proto);

static int
foo_echo_input(void *pkt, int len)
{
	return (len);
}

static struct foo_proto foo_echo_proto = {
	.fp_type = 7,
	.fp_input = foo_echo_input,
};
DATA_SET(foo_proto_set, foo_echo_proto);

int	foo_dispatch(int type, void *pkt, int len);

int
foo_dispatch(int type, void *pkt, int len)
{
	struct foo_proto **fpp;

	if (pkt == NULL || len <= 0)
		return (-EINVAL);
	SET_FOREACH(fpp, foo_proto_set) {
		if ((*fpp)->fp_type == type)
			return ((*fpp)->fp_input(pkt, len));
	}
	return (-EOPNOTSUPP);
}
