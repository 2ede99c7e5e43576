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
 * Kernel printf(9), log(9), panic(9): formatted output to the message
 * buffer (and the console, when there is one).
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <machine/cpufunc.h>

#define	MSGBUF_SIZE	16384

static char msgbuf[MSGBUF_SIZE];
static u_int msgbuf_wptr;
const char *panicstr;

struct snprintf_arg {
	char	*str;
	size_t	remain;
};

static void
msgbuf_putc(int c, void *arg __unused)
{
	msgbuf[msgbuf_wptr++ % MSGBUF_SIZE] = c;
}

static void
snprintf_putc(int c, void *arg)
{
	struct snprintf_arg *info = arg;

	if (info->remain >= 2) {
		*info->str++ = c;
		info->remain--;
	}
}

static int
kvprintf_num(uintmax_t num, int base, int upper, int width, int zero,
    void (*func)(int, void *), void *arg)
{
	static const char hexdigits[] = "0123456789abcdef0123456789ABCDEF";
	char buf[24];
	int n, len;

	n = 0;
	do {
		buf[n++] = hexdigits[(upper ? 16 : 0) + num % base];
		num /= base;
	} while (num != 0);
	for (len = n; width > len; width--, len++)
		func(zero ? '0' : ' ', arg);
	while (n > 0)
		func(buf[--n], arg);
	return (len);
}

static int
kvprintf(const char *fmt, void (*func)(int, void *), void *arg, va_list ap)
{
	const char *s;
	uintmax_t num;
	int retval, lflag, zflag, width, zero, alt, neg;
	char c;

	retval = 0;
	for (; (c = *fmt) != '\0'; fmt++) {
		if (c != '%') {
			func(c, arg);
			retval++;
			continue;
		}
		lflag = zflag = width = zero = alt = neg = 0;
again:
		switch (c = *++fmt) {
		case '#':
			alt = 1;
			goto again;
		case '0':
			if (width == 0) {
				zero = 1;
				goto again;
			}
			/* FALLTHROUGH */
		case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			width = width * 10 + (c - '0');
			goto again;
		case 'l':
			lflag++;
			goto again;
		case 'j':
		case 'z':
			zflag = 1;
			goto again;
		case 'c':
			func(va_arg(ap, int), arg);
			retval++;
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			for (; *s != '\0'; s++, retval++)
				func(*s, arg);
			break;
		case 'd':
		case 'i':
			if (lflag || zflag)
				num = va_arg(ap, long);
			else
				num = va_arg(ap, int);
			if ((intmax_t)num < 0) {
				func('-', arg);
				retval++;
				num = -(intmax_t)num;
			}
			retval += kvprintf_num(num, 10, 0, width, zero, func,
			    arg);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'p':
			if (c == 'p' || lflag || zflag)
				num = c == 'p' ? (uintptr_t)va_arg(ap, void *) :
				    va_arg(ap, u_long);
			else
				num = va_arg(ap, u_int);
			if (alt || c == 'p') {
				func('0', arg);
				func('x', arg);
				retval += 2;
			}
			retval += kvprintf_num(num, c == 'u' ? 10 : 16,
			    c == 'X', width, zero, func, arg);
			break;
		case '%':
			func('%', arg);
			retval++;
			break;
		default:
			func('%', arg);
			func(c, arg);
			retval += 2;
			break;
		}
	}
	return (retval);
}

int
vprintf(const char *fmt, va_list ap)
{
	return (kvprintf(fmt, msgbuf_putc, NULL, ap));
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int retval;

	va_start(ap, fmt);
	retval = vprintf(fmt, ap);
	va_end(ap);
	return (retval);
}

void
log(int level __unused, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vprintf(fmt, ap);
	va_end(ap);
}

int	vsnprintf(char *, size_t, const char *, va_list);

int
vsnprintf(char *str, size_t size, const char *format, va_list ap)
{
	struct snprintf_arg info;
	int retval;

	info.str = str;
	info.remain = size;
	retval = kvprintf(format, snprintf_putc, &info, ap);
	if (info.remain >= 1)
		*info.str++ = '\0';
	return (retval);
}

int
snprintf(char *str, size_t size, const char *format, ...)
{
	va_list ap;
	int retval;

	va_start(ap, format);
	retval = vsnprintf(str, size, format, ap);
	va_end(ap);
	return (retval);
}

void
vpanic(const char *fmt, va_list ap)
{
	if (panicstr == NULL)
		panicstr = fmt;
	printf("panic: ");
	vprintf(fmt, ap);
	printf("\n");
	disable_intr();
	for (;;)
		halt();
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
}

void
kassert_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
}
