/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Connection states stored in live objects.  The fix inserts a state in
 * the middle, which renumbers every later state: objects already in
 * FOO_ST_OPEN would read as FOO_ST_OPENING to the patched code.
 */
enum foo_state {
	FOO_ST_IDLE,
	FOO_ST_OPEN,
	FOO_ST_CLOSING,
};

struct foo_conn {
	enum foo_state	fc_state;
	int		fc_refs;
};

int	foo_conn_busy(struct foo_conn *fc);

int
foo_conn_busy(struct foo_conn *fc)
{
	return (fc->fc_state == FOO_ST_OPEN || fc->fc_state == FOO_ST_CLOSING);
}
