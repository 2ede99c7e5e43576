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
 * Low-level console drivers.  CONSOLE_DRIVER puts a struct consdev,
 * pointing to a const method table, into the linker set "cons_set"; the
 * kernel calls the methods at run time whenever it prints.
 */
#ifndef _SYS_CONS_H_
#define	_SYS_CONS_H_

#include <sys/types.h>
#include <sys/linker_set.h>

struct consdev;

typedef void cn_probe_t(struct consdev *);
typedef void cn_init_t(struct consdev *);
typedef void cn_term_t(struct consdev *);
typedef int cn_getc_t(struct consdev *);
typedef void cn_putc_t(struct consdev *, int);
typedef void cn_grab_t(struct consdev *);
typedef void cn_ungrab_t(struct consdev *);

struct consdev_ops {
	cn_probe_t	*cn_probe;
	cn_init_t	*cn_init;
	cn_term_t	*cn_term;
	cn_getc_t	*cn_getc;
	cn_putc_t	*cn_putc;
	cn_grab_t	*cn_grab;
	cn_ungrab_t	*cn_ungrab;
	void		(*cn_resume)(struct consdev *);
};

struct consdev {
	const struct consdev_ops *cn_ops;
	short		cn_pri;
	void		*cn_arg;
	int		cn_flags;
	char		cn_name[16];
};

#define	CN_DEAD		0
#define	CN_LOW		1
#define	CN_NORMAL	2
#define	CN_INTERNAL	3
#define	CN_REMOTE	4

#define	CONSOLE_DEVICE(name, ops, arg)					\
	static struct consdev name = {					\
		.cn_ops = &ops,						\
		.cn_arg = (arg),					\
	};								\
	DATA_SET(cons_set, name)

#define	CONSOLE_DRIVER(name, ...)					\
	static const struct consdev_ops name##_consdev_ops = {		\
		.cn_probe = name##_cnprobe,				\
		.cn_init = name##_cninit,				\
		.cn_term = name##_cnterm,				\
		.cn_getc = name##_cngetc,				\
		.cn_putc = name##_cnputc,				\
		.cn_grab = name##_cngrab,				\
		.cn_ungrab = name##_cnungrab,				\
		__VA_ARGS__						\
	};								\
	CONSOLE_DEVICE(name##_consdev, name##_consdev_ops, NULL)

#endif /* !_SYS_CONS_H_ */
