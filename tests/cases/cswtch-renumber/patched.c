/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Switches that return constants become lookup tables: GCC emits a
 * LOCAL object CSWTCH.<N> (numbered through the file), clang an unnamed
 * .rodata..Lswitch.table.<function> section with no symbol.
 */
#define	FOO_MEDIA_10	0
#define	FOO_MEDIA_100	1
#define	FOO_MEDIA_1G	2
#define	FOO_MEDIA_2500	3
#define	FOO_MEDIA_10G	4
#define	FOO_MEDIA_25G	5

int	foo_media_speed(int media);
int	foo_media_pause(int media);
int	foo_media_lanes(int media);

/* New in the fix, placed before the existing tables. */
int
foo_media_lanes(int media)
{
	switch (media) {
	case FOO_MEDIA_10:	return (1);
	case FOO_MEDIA_100:	return (1);
	case FOO_MEDIA_1G:	return (1);
	case FOO_MEDIA_2500:	return (1);
	case FOO_MEDIA_10G:	return (4);
	case FOO_MEDIA_25G:	return (8);
	default:		return (0);
	}
}

int
foo_media_speed(int media)
{
	switch (media) {
	case FOO_MEDIA_10:	return (10);
	case FOO_MEDIA_100:	return (100);
	case FOO_MEDIA_1G:	return (1000);
	case FOO_MEDIA_2500:	return (2500);
	case FOO_MEDIA_10G:	return (10000);
	case FOO_MEDIA_25G:	return (25000);
	default:		return (0);
	}
}

int
foo_media_pause(int media)
{
	switch (media) {
	case FOO_MEDIA_10:	return (0);
	case FOO_MEDIA_100:	return (0);
	case FOO_MEDIA_1G:	return (3);
	case FOO_MEDIA_2500:	return (3);
	case FOO_MEDIA_10G:	return (7);
	case FOO_MEDIA_25G:	return (7);
	default:		return (0);
	}
}

void	foo_print_media(int unit, int media);

void
foo_print_media(int unit, int media)
{
	printf("foo%d: %d Mb/s, pause %d\n", unit, foo_media_speed(media),
	    foo_media_pause(media));
	if (foo_media_lanes(media) > 1)
		printf("foo%d: %d lanes\n", unit, foo_media_lanes(media));
}
