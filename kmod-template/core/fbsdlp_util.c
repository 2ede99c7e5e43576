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
 * Small freestanding helpers.  The core may include no OS header, so it
 * cannot use libc's or libkern's string functions and printf.
 */

#include "fbsdlp_internal.h"

void
fbsdlp_memcpy(void *dst, const void *src, fbsdlp_size len)
{
	fbsdlp_u8 *d = dst;
	const fbsdlp_u8 *s = src;

	while (len-- > 0)
		*d++ = *s++;
}

void
fbsdlp_memset(void *dst, int c, fbsdlp_size len)
{
	fbsdlp_u8 *d = dst;

	while (len-- > 0)
		*d++ = (fbsdlp_u8)c;
}

int
fbsdlp_memcmp(const void *a, const void *b, fbsdlp_size len)
{
	const fbsdlp_u8 *x = a, *y = b;

	for (; len > 0; len--, x++, y++)
		if (*x != *y)
			return (*x < *y ? -1 : 1);
	return (0);
}

int
fbsdlp_strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return ((int)(unsigned char)*a - (int)(unsigned char)*b);
}

fbsdlp_size
fbsdlp_strlen(const char *s)
{
	fbsdlp_size n;

	for (n = 0; s[n] != '\0'; n++)
		;
	return (n);
}

/* Output state of the formatter: always NUL-terminated, counts overflow. */
struct fmtbuf {
	char		*buf;
	fbsdlp_size	len;
	fbsdlp_size	pos;
};

static void
fmt_putc(struct fmtbuf *fb, char c)
{
	if (fb->len > 0 && fb->pos + 1 < fb->len)
		fb->buf[fb->pos] = c;
	fb->pos++;
}

static void
fmt_num(struct fmtbuf *fb, unsigned long long v, unsigned base, int neg,
    int width, char pad)
{
	char tmp[24];
	int n;

	n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (neg)
		tmp[n++] = '-';
	for (; width > n; width--)
		fmt_putc(fb, pad);
	while (n > 0)
		fmt_putc(fb, tmp[--n]);
}

int
fbsdlp_vsnprintf(char *buf, fbsdlp_size len, const char *fmt,
    __builtin_va_list ap)
{
	struct fmtbuf fb = { buf, len, 0 };
	unsigned long long u;
	long long s;
	const char *str;
	int lng, width;
	char pad;

	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			fmt_putc(&fb, *fmt);
			continue;
		}
		fmt++;
		pad = ' ';
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		lng = 0;
		while (*fmt == 'l' || *fmt == 'z') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
			s = lng ? __builtin_va_arg(ap, long long) :
			    __builtin_va_arg(ap, int);
			fmt_num(&fb, s < 0 ? 0ull - (unsigned long long)s :
			    (unsigned long long)s, 10, s < 0, width, pad);
			break;
		case 'u':
		case 'x':
			u = lng ? __builtin_va_arg(ap, unsigned long long) :
			    __builtin_va_arg(ap, unsigned int);
			fmt_num(&fb, u, *fmt == 'u' ? 10 : 16, 0, width, pad);
			break;
		case 'p':
			fmt_putc(&fb, '0');
			fmt_putc(&fb, 'x');
			fmt_num(&fb, (fbsdlp_uptr)__builtin_va_arg(ap, void *),
			    16, 0, 0, ' ');
			break;
		case 's':
			str = __builtin_va_arg(ap, const char *);
			if (str == 0)
				str = "(null)";
			while (*str != '\0')
				fmt_putc(&fb, *str++);
			break;
		case 'c':
			fmt_putc(&fb, (char)__builtin_va_arg(ap, int));
			break;
		case '\0':
			fmt--;
			break;
		default:
			fmt_putc(&fb, *fmt);
			break;
		}
	}
	if (len > 0)
		buf[fb.pos < len ? fb.pos : len - 1] = '\0';
	return ((int)fb.pos);
}

int
fbsdlp_snprintf(char *buf, fbsdlp_size len, const char *fmt, ...)
{
	__builtin_va_list ap;
	int n;

	__builtin_va_start(ap, fmt);
	n = fbsdlp_vsnprintf(buf, len, fmt, ap);
	__builtin_va_end(ap);
	return (n);
}
