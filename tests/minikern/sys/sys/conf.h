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
 * Character devices (a subset of struct cdevsw).
 */
#ifndef _SYS_CONF_H_
#define	_SYS_CONF_H_

#include <sys/types.h>

struct cdev;
struct thread;
struct uio;

typedef int d_open_t(struct cdev *dev, int oflags, int devtype,
    struct thread *td);
typedef int d_close_t(struct cdev *dev, int fflag, int devtype,
    struct thread *td);
typedef int d_read_t(struct cdev *dev, struct uio *uio, int ioflag);
typedef int d_write_t(struct cdev *dev, struct uio *uio, int ioflag);
typedef int d_ioctl_t(struct cdev *dev, u_long cmd, caddr_t data,
    int fflag, struct thread *td);

#define	D_VERSION	0x17032005
#define	D_TRACKCLOSE	0x00080000
#define	D_NEEDGIANT	0x00400000

struct cdevsw {
	int		d_version;
	u_int		d_flags;
	const char	*d_name;
	d_open_t	*d_open;
	void		*d_fdopen;
	d_close_t	*d_close;
	d_read_t	*d_read;
	d_write_t	*d_write;
	d_ioctl_t	*d_ioctl;
};

struct cdev {
	void		*si_drv1;
	void		*si_drv2;
	const char	*si_name;
	u_int		si_flags;
};

#define	UID_ROOT	0
#define	GID_WHEEL	0
#define	GID_OPERATOR	5

struct cdev *make_dev(struct cdevsw *devsw, int unit, uid_t uid, gid_t gid,
    int perms, const char *fmt, ...) __printflike(6, 7);
void	destroy_dev(struct cdev *dev);

#endif /* !_SYS_CONF_H_ */
