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

/* sys/sbuf.h: sbuf(9), safe string buffers with an optional drain. */

#ifndef _SYS_SBUF_H_
#define _SYS_SBUF_H_

#include <sys/_fbsd.h>

struct sbuf;
typedef int (sbuf_drain_func)(void *, const char *, int);

struct sbuf {
	char		*s_buf;		/* storage buffer */
	sbuf_drain_func	*s_drain_func;
	void		*s_drain_arg;
	int		s_error;	/* current error code */
	ssize_t		s_size;		/* size of storage buffer */
	ssize_t		s_len;		/* current length of string */
#define	SBUF_FIXEDLEN	0x00000000	/* fixed length buffer (default) */
#define	SBUF_AUTOEXTEND	0x00000001	/* automatically extend buffer */
#define	SBUF_INCLUDENUL	0x00000002	/* nulterm byte is counted in len */
#define	SBUF_USRFLAGMSK	0x0000ffff
#define	SBUF_DYNAMIC	0x00010000	/* s_buf must be freed */
#define	SBUF_FINISHED	0x00020000	/* set by sbuf_finish() */
#define	SBUF_DYNSTRUCT	0x00080000	/* sbuf must be freed */
	int		s_flags;
	ssize_t		s_sect_len;
	ssize_t		s_rec_off;
};

struct sbuf *sbuf_new(struct sbuf *, char *, int, int);
#define	sbuf_new_auto()	sbuf_new(NULL, NULL, 0, SBUF_AUTOEXTEND)
void	sbuf_clear(struct sbuf *);
void	sbuf_set_drain(struct sbuf *, sbuf_drain_func *, void *);
int	sbuf_bcat(struct sbuf *, const void *, size_t);
int	sbuf_cat(struct sbuf *, const char *);
int	sbuf_printf(struct sbuf *, const char *, ...) __printflike(2, 3);
int	sbuf_vprintf(struct sbuf *, const char *, __va_list)
	    __printflike(2, 0);
int	sbuf_putc(struct sbuf *, int);
int	sbuf_error(const struct sbuf *);
int	sbuf_finish(struct sbuf *);
char	*sbuf_data(struct sbuf *);
ssize_t	sbuf_len(struct sbuf *);
void	sbuf_delete(struct sbuf *);

#endif /* !_SYS_SBUF_H_ */
