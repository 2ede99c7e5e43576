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
 * The memory and string routines the kernel and the compiler call.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/libkern.h>

void *
memcpy(void *to, const void *from, size_t len)
{
	char *d = to;
	const char *s = from;

	while (len-- > 0)
		*d++ = *s++;
	return (to);
}

void *
memmove(void *dest, const void *src, size_t n)
{
	char *d = dest;
	const char *s = src;

	if (d < s || d >= s + n)
		return (memcpy(dest, src, n));
	while (n-- > 0)
		d[n] = s[n];
	return (dest);
}

void *
memset(void *b, int c, size_t len)
{
	char *p = b;

	while (len-- > 0)
		*p++ = c;
	return (b);
}

void
bcopy(const void *from, void *to, size_t len)
{
	(void)memmove(to, from, len);
}

void
bzero(void *buf, size_t len)
{
	(void)memset(buf, 0, len);
}

int
memcmp(const void *b1, const void *b2, size_t len)
{
	const u_char *p1 = b1, *p2 = b2;

	for (; len > 0; len--, p1++, p2++)
		if (*p1 != *p2)
			return (*p1 - *p2);
	return (0);
}

int
bcmp(const void *b1, const void *b2, size_t len)
{
	return (memcmp(b1, b2, len) != 0);
}

size_t
strlen(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		;
	return (p - s);
}

size_t
strnlen(const char *s, size_t maxlen)
{
	size_t len;

	for (len = 0; len < maxlen && s[len] != '\0'; len++)
		;
	return (len);
}

int
strcmp(const char *s1, const char *s2)
{
	while (*s1 == *s2++)
		if (*s1++ == '\0')
			return (0);
	return (*(const u_char *)s1 - *(const u_char *)(s2 - 1));
}

int
strncmp(const char *s1, const char *s2, size_t n)
{
	for (; n > 0; n--, s1++, s2++) {
		if (*s1 != *s2)
			return (*(const u_char *)s1 - *(const u_char *)s2);
		if (*s1 == '\0')
			break;
	}
	return (0);
}

size_t
strlcpy(char *dst, const char *src, size_t dsize)
{
	size_t len;

	len = strlen(src);
	if (dsize != 0) {
		dsize = MIN(len, dsize - 1);
		memcpy(dst, src, dsize);
		dst[dsize] = '\0';
	}
	return (len);
}
