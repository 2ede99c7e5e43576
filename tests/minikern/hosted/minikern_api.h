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
 * The kernel entry points the hosted program calls, declared with plain
 * C types only (hosted/ is compiled against the C library, not against
 * the kernel's headers).  Prototypes must match the kernel's.
 */
#ifndef _MINIKERN_API_H_
#define	_MINIKERN_API_H_

#include <stddef.h>
#include <stdint.h>

struct thread;

/* What sys/mqueue.h declares. */
struct mq_attr {
	long	mq_flags;
	long	mq_maxmsg;
	long	mq_msgsize;
	long	mq_curmsgs;
	long	mq_id;
};
struct kmq_timedsend_args {
	int		mqd;
	const char	*msg_ptr;
	size_t		msg_len;
	unsigned	msg_prio;
};
struct kmq_timedreceive_args {
	int		mqd;
	char		*msg_ptr;
	size_t		msg_len;
	unsigned	*msg_prio;
};
int	kmq_open(const char *name, int maxmsg, size_t msgsize, int *mqdp);
int	kmq_close(int mqd);
int	kmq_getattr(int mqd, struct mq_attr *attr);
int	sys_kmq_timedsend(struct thread *td, struct kmq_timedsend_args *uap);
int	sys_kmq_timedreceive(struct thread *td,
	    struct kmq_timedreceive_args *uap);

/* sys/ratelog.h */
struct ratelog {
	int		rl_start;
	int		rl_count;
	unsigned	rl_suppressed;
};
int	ratelog_allow(struct ratelog *rl, int limit);
unsigned long ratelog_total(void);

/* net/pkt.h, net/netflt.h, net/if_ring.h */
#define	PKT_HDRLEN	8
#define	PKT_MAXLEN	256
struct pkt_hdr {
	uint8_t		ph_proto;
	uint8_t		ph_flags;
	uint16_t	ph_len;
	uint16_t	ph_dport;
	uint16_t	ph_sum;
} __attribute__((__packed__));
uint16_t in_cksum(const void *buf, size_t len);
int	nf_check(const void *buf, size_t len);
struct ifring;
struct ifring *ifr_alloc(unsigned size);
void	ifr_free(struct ifring *r);
int	ifr_enqueue(struct ifring *r, const void *buf, size_t len);
int	ifr_dequeue(struct ifring *r, void *buf, size_t len, size_t *lenp);

/* dev/fakenic/fakenic_var.h */
#define	FAKENIC_GMTU	0
#define	FAKENIC_SMTU	1
int	fakenic_ioctl(int unit, unsigned long cmd, void *data);
int	fakenic_rx(int unit, const void *buf, size_t len);
int	fakenic_rx_drain(int unit, int max);
uint64_t fakenic_stat_fetch(int which);

/* kern/ */
void	mi_startup(void);
void	hardclock(int cnt, int usermode);
int	kernel_sysctlbyname(struct thread *td, const char *name, void *old,
	    size_t *oldlenp, const void *new, size_t newlen);
extern volatile int ticks;
extern int hz;
extern char version[];

/* hosted_rt.c */
void	hosted_init(void);
void	hosted_thread_enter(const char *name);
void	hosted_thread_exit(void);
struct thread *hosted_curthread(void);

#endif /* !_MINIKERN_API_H_ */
