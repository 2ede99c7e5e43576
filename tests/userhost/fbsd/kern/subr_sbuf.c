/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR AND CONTRIBUTORS ``AS IS'' AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE AUTHOR OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS
 * OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
 * HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT
 * LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY
 * OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF
 * SUCH DAMAGE.
 */

/*
 * sbuf(9): fixed or auto-extending string buffers; with a drain, a full
 * buffer is handed to the drain instead of growing, and sbuf_finish()
 * drains the rest.  One byte is kept for the terminating NUL; with
 * SBUF_INCLUDENUL it is counted (and drained) too.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/sbuf.h>
#include <sys/sysctl.h>

static MALLOC_DEFINE(M_SBUF, "sbuf", "string buffers");

#define	SBUF_MINSIZE	16
#define	SBUF_FREESPACE(s)	((s)->s_size - ((s)->s_len + 1))

struct sbuf *
sbuf_new(struct sbuf *s, char *buf, int length, int flags)
{
	int dynstruct = 0;

	if (length < 0)
		panic("sbuf_new: negative length %d", length);
	if ((flags & ~SBUF_USRFLAGMSK) != 0)
		panic("sbuf_new: bad flags %#x", flags);
	if (s == NULL) {
		s = malloc(sizeof(*s), M_SBUF, M_WAITOK | M_ZERO);
		dynstruct = SBUF_DYNSTRUCT;
	} else
		memset(s, 0, sizeof(*s));
	s->s_flags = flags | dynstruct;
	s->s_size = length;
	s->s_buf = buf;
	if (s->s_buf == NULL) {
		if ((flags & SBUF_AUTOEXTEND) != 0 && s->s_size < SBUF_MINSIZE)
			s->s_size = SBUF_MINSIZE;
		if (s->s_size == 0)
			s->s_size = SBUF_MINSIZE;
		s->s_buf = malloc((size_t)s->s_size, M_SBUF, M_WAITOK);
		s->s_flags |= SBUF_DYNAMIC;
	}
	return (s);
}

void
sbuf_clear(struct sbuf *s)
{
	s->s_flags &= ~SBUF_FINISHED;
	s->s_error = 0;
	s->s_len = 0;
}

void
sbuf_set_drain(struct sbuf *s, sbuf_drain_func *func, void *ctx)
{
	if (s->s_len != 0)
		panic("sbuf_set_drain: buffer not empty");
	s->s_drain_func = func;
	s->s_drain_arg = ctx;
}

static int
sbuf_drain(struct sbuf *s)
{
	int len;

	len = s->s_drain_func(s->s_drain_arg, s->s_buf, (int)s->s_len);
	if (len <= 0) {
		s->s_error = len != 0 ? -len : EDEADLK;
		return (s->s_error);
	}
	s->s_len -= len;
	memmove(s->s_buf, s->s_buf + len, (size_t)s->s_len);
	return (0);
}

static int
sbuf_extend(struct sbuf *s, size_t addlen)
{
	ssize_t newsize;
	char *nb;

	if ((s->s_flags & SBUF_AUTOEXTEND) == 0)
		return (-1);
	newsize = s->s_size;
	while (newsize - s->s_len - 1 < (ssize_t)addlen)
		newsize *= 2;
	nb = malloc((size_t)newsize, M_SBUF, M_WAITOK);
	memcpy(nb, s->s_buf, (size_t)s->s_len);
	if ((s->s_flags & SBUF_DYNAMIC) != 0)
		free(s->s_buf, M_SBUF);
	s->s_buf = nb;
	s->s_size = newsize;
	s->s_flags |= SBUF_DYNAMIC;
	return (0);
}

int
sbuf_bcat(struct sbuf *s, const void *buf, size_t len)
{
	const char *p = buf;
	size_t n;

	if ((s->s_flags & SBUF_FINISHED) != 0)
		panic("sbuf_bcat: sbuf %p is finished", s);
	if (s->s_error != 0)
		return (-1);
	while (len > 0) {
		if (SBUF_FREESPACE(s) <= 0) {
			if (s->s_drain_func != NULL)
				(void)sbuf_drain(s);
			else if (sbuf_extend(s, len) < 0)
				s->s_error = ENOMEM;
			if (s->s_error != 0)
				return (-1);
		}
		n = (size_t)SBUF_FREESPACE(s);
		if (n > len)
			n = len;
		memcpy(s->s_buf + s->s_len, p, n);
		s->s_len += (ssize_t)n;
		p += n;
		len -= n;
	}
	return (0);
}

int
sbuf_cat(struct sbuf *s, const char *str)
{
	return (sbuf_bcat(s, str, strlen(str)));
}

int
sbuf_putc(struct sbuf *s, int c)
{
	char ch = (char)c;

	return (sbuf_bcat(s, &ch, 1));
}

int
sbuf_vprintf(struct sbuf *s, const char *fmt, __va_list ap)
{
	char small[256], *big;
	__va_list aq;
	int n, r;

	if (s->s_error != 0)
		return (-1);
	__builtin_va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n < 0)
		return (-1);
	if ((size_t)n < sizeof(small))
		return (sbuf_bcat(s, small, (size_t)n));
	big = malloc((size_t)n + 1, M_SBUF, M_WAITOK);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	r = sbuf_bcat(s, big, (size_t)n);
	free(big, M_SBUF);
	return (r);
}

int
sbuf_printf(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sbuf_vprintf(s, fmt, ap);
	va_end(ap);
	return (r);
}

int
sbuf_error(const struct sbuf *s)
{
	return (s->s_error);
}

int
sbuf_finish(struct sbuf *s)
{
	s->s_buf[s->s_len] = '\0';
	if ((s->s_flags & SBUF_INCLUDENUL) != 0)
		s->s_len++;
	if (s->s_drain_func != NULL)
		while (s->s_len > 0 && s->s_error == 0)
			s->s_error = sbuf_drain(s);
	s->s_flags |= SBUF_FINISHED;
	return (s->s_error);
}

char *
sbuf_data(struct sbuf *s)
{
	if ((s->s_flags & SBUF_FINISHED) == 0)
		panic("sbuf_data: sbuf %p is not finished", s);
	if (s->s_drain_func != NULL)
		panic("sbuf_data: sbuf %p has a drain", s);
	return (s->s_buf);
}

ssize_t
sbuf_len(struct sbuf *s)
{
	if (s->s_error != 0)
		return (-1);
	return (s->s_len);
}

void
sbuf_delete(struct sbuf *s)
{
	int dynstruct;

	if ((s->s_flags & SBUF_DYNAMIC) != 0)
		free(s->s_buf, M_SBUF);
	dynstruct = s->s_flags & SBUF_DYNSTRUCT;
	memset(s, 0, sizeof(*s));
	if (dynstruct)
		free(s, M_SBUF);
}

static int
sbuf_sysctl_drain(void *arg, const char *data, int len)
{
	struct sysctl_req *req = arg;
	int error;

	error = SYSCTL_OUT(req, data, (size_t)len);
	return (error == 0 ? len : -error);
}

struct sbuf *
sbuf_new_for_sysctl(struct sbuf *s, char *buf, int length,
    struct sysctl_req *req)
{
	if (buf == NULL && length == 0)
		length = 64;
	s = sbuf_new(s, buf, length, SBUF_FIXEDLEN | SBUF_INCLUDENUL);
	sbuf_set_drain(s, sbuf_sysctl_drain, req);
	return (s);
}
