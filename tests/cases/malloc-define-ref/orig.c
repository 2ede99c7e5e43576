/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/errno.h>

/*
 * A private malloc type.  "static MALLOC_DEFINE" makes M_FOOBUF a LOCAL
 * struct malloc_type[1] registered by a SYSINIT/SYSUNINIT pair calling
 * malloc_init/malloc_uninit.  Patched code must allocate from the
 * kernel's M_FOOBUF: a copy would have its own statistics and would be
 * uninitialised when the patch is unloaded.
 */
static MALLOC_DEFINE(M_FOOBUF, "foobuf", "foo receive buffers");

struct foo_rxbuf {
	size_t	rb_len;
	char	*rb_data;
};

int	foo_rxbuf_alloc(struct foo_rxbuf *rb, size_t len);
void	foo_rxbuf_free(struct foo_rxbuf *rb);

int
foo_rxbuf_alloc(struct foo_rxbuf *rb, size_t len)
{
	rb->rb_data = malloc(len, M_FOOBUF, M_NOWAIT);
	if (rb->rb_data == NULL)
		return (ENOMEM);
	rb->rb_len = len;
	return (0);
}

void
foo_rxbuf_free(struct foo_rxbuf *rb)
{
	free(rb->rb_data, M_FOOBUF);
	rb->rb_data = NULL;
	rb->rb_len = 0;
}
