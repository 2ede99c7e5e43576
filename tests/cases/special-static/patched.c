/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * "Special" statics: __func__ is a function-local static array.  GCC
 * emits each as __func__.<N> in .rodata.__func__.<N>, numbered from the
 * end of the file; clang emits private .L__func__.<function> strings
 * into the merged string section.  Contents decide equality.
 */
struct foo_buf {
	char	*fb_data;
	size_t	fb_len;
	size_t	fb_off;
};

int	foo_buf_put(struct foo_buf *fb, const void *p, size_t n);
int	foo_buf_get(struct foo_buf *fb, void *p, size_t n);
void	foo_buf_reset(struct foo_buf *fb);

int
foo_buf_put(struct foo_buf *fb, const void *p, size_t n)
{
	KASSERT(fb->fb_data != NULL, ("%s: no buffer", __func__));
	if (fb->fb_off + n > fb->fb_len)
		return (ENOSPC);
	bcopy(p, fb->fb_data + fb->fb_off, n);
	fb->fb_off += n;
	return (0);
}

int
foo_buf_get(struct foo_buf *fb, void *p, size_t n)
{
	KASSERT(fb->fb_data != NULL, ("%s: no buffer", __func__));
	if (n > fb->fb_off)
		return (EINVAL);
	bcopy(fb->fb_data, p, n);
	return (0);
}

void
foo_buf_reset(struct foo_buf *fb)
{
	KASSERT(fb->fb_off <= fb->fb_len, ("%s: offset %zu beyond %zu",
	    __func__, fb->fb_off, fb->fb_len));
	fb->fb_off = 0;
}
