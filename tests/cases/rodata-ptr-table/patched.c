/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Read-only tables of string pointers: const objects whose contents are
 * relocations into the merged string section.  A string change moves
 * the offsets of the strings placed after it (clang and GCC order them
 * differently); a table whose strings only moved is unchanged.
 */
static const char *const foo_media_names[] = {
	"copper", "fiber", "twinax", "backplane",
};
static const char *const foo_state_names[] = {
	"down", "negotiating", "up", "degraded",
};
static const char *const foo_flow_names[] = {
	"none", "rx-pause", "tx-pause", "full",
};

const char	*foo_media_name(u_int m);
const char	*foo_state_name(u_int st);
const char	*foo_flow_name(u_int fc);

const char *
foo_media_name(u_int m)
{
	if (m >= nitems(foo_media_names))
		return ("unknown");
	return (foo_media_names[m]);
}

const char *
foo_state_name(u_int st)
{
	if (st >= nitems(foo_state_names))
		return ("unknown");
	return (foo_state_names[st]);
}

const char *
foo_flow_name(u_int fc)
{
	if (fc >= nitems(foo_flow_names))
		return ("unknown");
	return (foo_flow_names[fc]);
}
