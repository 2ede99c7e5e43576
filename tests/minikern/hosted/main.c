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
 * kernel.hosted: the fixture kernel as a Linux program.  It boots the
 * kernel (mi_startup), runs a clock thread and worker threads that call
 * the subsystems' entry points in loops, and answers one command per
 * line on stdin or on a unix socket (-s PATH).  See README.md.
 *
 * Built with -Dmain=minikern_main (HOSTED_MAIN=no) when the program that
 * it is linked into has its own main(); that program then calls
 * minikern_boot() and minikern_command() or minikern_hostcmd().
 */

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "minikern_api.h"

#define	MK_MAXWORKERS	8

extern int hosted_quiet;

int	minikern_boot(int nworkers);
int	minikern_command(const char *line, char *out, size_t len);
int	minikern_hostcmd(int argc, char **argv, char *out, size_t len);

static pthread_t mk_clock_th, mk_worker_th[MK_MAXWORKERS];
static int mk_nworkers;
static volatile int mk_stop;
static unsigned long mk_iters[MK_MAXWORKERS];
static int mk_booted;

static void
mk_sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

static void *
mk_clock_main(void *arg)
{
	(void)arg;
	hosted_thread_enter("minikern-clock");
	while (!mk_stop) {
		mk_sleep_us(1000000 / (hz > 0 ? hz : 1000));
		hardclock(1, 0);
	}
	hosted_thread_exit();
	return (NULL);
}

/* A packet of the fake network with a valid checksum. */
static size_t
mk_make_pkt(unsigned char *buf, int proto, int dport, size_t len)
{
	struct pkt_hdr ph;
	uint16_t sum;
	size_t i;

	if (len < PKT_HDRLEN)
		len = PKT_HDRLEN;
	memset(&ph, 0, sizeof(ph));
	ph.ph_proto = proto;
	ph.ph_len = len;
	ph.ph_dport = dport;
	memcpy(buf, &ph, sizeof(ph));
	for (i = PKT_HDRLEN; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + proto);
	sum = in_cksum(buf, len);
	ph.ph_sum = (uint16_t)((sum >> 8) | (sum << 8));
	memcpy(buf, &ph, sizeof(ph));
	return (len);
}

static void *
mk_worker_main(void *arg)
{
	long id = (long)arg;
	struct kmq_timedsend_args sa;
	struct kmq_timedreceive_args ra;
	struct ratelog rl = { 0, 0, 0 };
	unsigned char pkt[PKT_MAXLEN];
	char msg[64], name[32];
	unsigned prio;
	int mqd, n;

	snprintf(name, sizeof(name), "minikern-worker-%ld", id);
	hosted_thread_enter(name);
	snprintf(name, sizeof(name), "/worker%ld", id);
	if (kmq_open(name, 0, 0, &mqd) != 0)
		mqd = -1;
	for (n = 0; !mk_stop; n++) {
		switch (id % 3) {
		case 0:		/* IPC */
			snprintf(msg, sizeof(msg), "message %d", n);
			sa = (struct kmq_timedsend_args){ mqd, msg,
			    strlen(msg) + 1, n % 4 };
			(void)sys_kmq_timedsend(hosted_curthread(), &sa);
			ra = (struct kmq_timedreceive_args){ mqd, msg,
			    sizeof(msg), &prio };
			(void)sys_kmq_timedreceive(hosted_curthread(), &ra);
			break;
		case 1:		/* network */
			(void)fakenic_rx(n % 2, pkt, mk_make_pkt(pkt, n % 8,
			    n % 1100, 16 + n % 200));
			if (n % 16 == 15)
				(void)fakenic_rx_drain(n % 2, 64);
			break;
		case 2:		/* logging and statistics */
			(void)ratelog_allow(&rl, 100);
			(void)fakenic_stat_fetch(n % 5);
			break;
		}
		__atomic_store_n(&mk_iters[id], mk_iters[id] + 1,
		    __ATOMIC_RELAXED);
		if (n % 64 == 0)
			mk_sleep_us(100);
	}
	if (mqd >= 0)
		(void)kmq_close(mqd);
	hosted_thread_exit();
	return (NULL);
}

int
minikern_boot(int nworkers)
{
	long i;

	if (mk_booted)
		return (0);
	hosted_init();
	hosted_thread_enter("minikern-control");
	mi_startup();
	mk_booted = 1;
	if (pthread_create(&mk_clock_th, NULL, mk_clock_main, NULL) != 0)
		return (errno);
	if (nworkers > MK_MAXWORKERS)
		nworkers = MK_MAXWORKERS;
	for (i = 0; i < nworkers; i++) {
		if (pthread_create(&mk_worker_th[i], NULL, mk_worker_main,
		    (void *)i) != 0)
			return (errno);
		mk_nworkers++;
	}
	return (0);
}

static void
minikern_halt(void)
{
	int i;

	mk_stop = 1;
	for (i = 0; i < mk_nworkers; i++)
		pthread_join(mk_worker_th[i], NULL);
	if (mk_booted)
		pthread_join(mk_clock_th, NULL);
}

/*
 * "call" commands: each runs kernel entry points from the control thread
 * and returns one number.  A fault inside the kernel (a NULL pointer, say)
 * is caught and reported as "fault" instead of killing the process.
 */
static __thread sigjmp_buf *mk_fault_jmp;

static void
mk_fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (mk_fault_jmp != NULL)
		siglongjmp(*mk_fault_jmp, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static long
mk_arg(int argc, char **argv, int i, long def)
{
	return (i < argc ? strtol(argv[i], NULL, 0) : def);
}

/* Send until the queue refuses; the number of messages it took. */
static long
call_mq_fill(int argc, char **argv)
{
	int mqd, n, error;
	char c = 'x';
	struct kmq_timedsend_args sa = { 0, &c, 1, 0 };

	error = kmq_open("/fill", (int)mk_arg(argc, argv, 1, 8), 0, &mqd);
	if (error != 0)
		return (-error);
	sa.mqd = mqd;
	for (n = 0; n < 1000; n++)
		if (sys_kmq_timedsend(hosted_curthread(), &sa) != 0)
			break;
	kmq_close(mqd);
	return (n);
}

/* Send LEN bytes to descriptor MQD: the error. */
static long
call_mq_send_fd(int argc, char **argv)
{
	char buf[256];
	struct kmq_timedsend_args sa;

	memset(buf, 'm', sizeof(buf));
	sa = (struct kmq_timedsend_args){ (int)mk_arg(argc, argv, 1, 31), buf,
	    (size_t)mk_arg(argc, argv, 2, 8), 0 };
	return (sys_kmq_timedsend(hosted_curthread(), &sa));
}

/* Send one LEN-byte message to a fresh default queue: the error. */
static long
call_mq_send_len(int argc, char **argv)
{
	char buf[256];
	struct kmq_timedsend_args sa;
	int mqd, error;

	if ((error = kmq_open("/len", 0, 0, &mqd)) != 0)
		return (-error);
	memset(buf, 'm', sizeof(buf));
	sa = (struct kmq_timedsend_args){ mqd, buf,
	    (size_t)mk_arg(argc, argv, 1, 8), 0 };
	error = sys_kmq_timedsend(hosted_curthread(), &sa);
	kmq_close(mqd);
	return (error);
}

/* Open, close, open again: 1 when both queues report the same id. */
static long
call_mq_reopen_sameid(int argc, char **argv)
{
	struct mq_attr a1, a2;
	int mqd, error;

	(void)argc;
	(void)argv;
	if ((error = kmq_open("/id", 0, 0, &mqd)) != 0)
		return (-error);
	kmq_getattr(mqd, &a1);
	kmq_close(mqd);
	if ((error = kmq_open("/id", 0, 0, &mqd)) != 0)
		return (-error);
	kmq_getattr(mqd, &a2);
	kmq_close(mqd);
	return (a1.mq_id == a2.mq_id);
}

/* N events against a fresh ratelog with LIMIT: how many were allowed. */
static long
call_ratelog_burst(int argc, char **argv)
{
	struct ratelog rl = { ticks, 0, 0 };
	long i, n, limit, allowed;

	n = mk_arg(argc, argv, 1, 20);
	limit = mk_arg(argc, argv, 2, 5);
	for (i = allowed = 0; i < n; i++)
		allowed += ratelog_allow(&rl, (int)limit);
	return (allowed);
}

/* fakenic_rx(UNIT, a packet of PROTO and LEN bytes): the error. */
static long
call_fakenic_rx(int argc, char **argv)
{
	unsigned char pkt[PKT_MAXLEN + 64];
	size_t len;
	int unit, error;

	unit = (int)mk_arg(argc, argv, 1, 0);
	len = mk_make_pkt(pkt, (int)mk_arg(argc, argv, 2, 2), 80,
	    (size_t)mk_arg(argc, argv, 3, 64));
	/* Room in the ring first: the network worker fills unit 0's. */
	(void)fakenic_rx_drain(unit, 1000);
	error = fakenic_rx(unit, pkt, len);
	(void)fakenic_rx_drain(unit, 1000);
	return (error);
}

/* ifr_enqueue of a LEN-byte packet on a fresh ring: the error. */
static long
call_ifr_enqueue(int argc, char **argv)
{
	unsigned char pkt[PKT_MAXLEN + 64];
	struct ifring *r;
	size_t len;
	int error;

	len = mk_make_pkt(pkt, 2, 80, (size_t)mk_arg(argc, argv, 1, 64));
	r = ifr_alloc(4);
	error = ifr_enqueue(r, pkt, len);
	ifr_free(r);
	return (error);
}

/* nf_check of a packet PROTO, PORT, LEN: 0 pass, 1 drop. */
static long
call_nf_check(int argc, char **argv)
{
	unsigned char pkt[PKT_MAXLEN + 64];
	size_t len;

	len = mk_make_pkt(pkt, (int)mk_arg(argc, argv, 1, 2),
	    (int)mk_arg(argc, argv, 2, 80), (size_t)mk_arg(argc, argv, 3, 64));
	return (nf_check(pkt, len));
}

/* Set the MTU of UNIT: the error (the old MTU is restored). */
static long
call_fakenic_setmtu(int argc, char **argv)
{
	int unit, old, mtu, error;

	unit = (int)mk_arg(argc, argv, 1, 0);
	if ((error = fakenic_ioctl(unit, FAKENIC_GMTU, &old)) != 0)
		return (error);
	mtu = (int)mk_arg(argc, argv, 2, 1500);
	error = fakenic_ioctl(unit, FAKENIC_SMTU, &mtu);
	(void)fakenic_ioctl(unit, FAKENIC_SMTU, &old);
	return (error);
}

static long
call_fakenic_stat(int argc, char **argv)
{
	return ((long)fakenic_stat_fetch((int)mk_arg(argc, argv, 1, 0)));
}

static long
call_ticks(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return (ticks);
}

static const struct mk_call {
	const char	*name;
	long		(*fn)(int, char **);
	const char	*usage;
} mk_calls[] = {
	{ "mq_fill", call_mq_fill, "MAXMSG: messages a new queue accepts" },
	{ "mq_send_fd", call_mq_send_fd, "MQD LEN: send to a descriptor" },
	{ "mq_send_len", call_mq_send_len, "LEN: send LEN bytes, the error" },
	{ "mq_reopen_sameid", call_mq_reopen_sameid,
	    ": 1 if a reopened queue reuses the id" },
	{ "ratelog_burst", call_ratelog_burst, "N LIMIT: events allowed" },
	{ "fakenic_rx", call_fakenic_rx, "UNIT PROTO LEN: receive, the error" },
	{ "ifr_enqueue", call_ifr_enqueue, "LEN: enqueue, the error" },
	{ "nf_check", call_nf_check, "PROTO PORT LEN: 0 pass, 1 drop" },
	{ "fakenic_setmtu", call_fakenic_setmtu, "UNIT MTU: the error" },
	{ "fakenic_stat", call_fakenic_stat, "WHICH: a statistic" },
	{ "ticks", call_ticks, ": the clock" },
};

static int
mk_call(int argc, char **argv, char *out, size_t len)
{
	struct sigaction sa, osegv, obus;
	sigjmp_buf jb;
	const struct mk_call *c;
	volatile long res;
	size_t i;

	c = NULL;
	for (i = 0; i < sizeof(mk_calls) / sizeof(mk_calls[0]); i++)
		if (strcmp(argv[0], mk_calls[i].name) == 0)
			c = &mk_calls[i];
	if (c == NULL) {
		snprintf(out, len, "error: no such call: %s\n", argv[0]);
		return (1);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = mk_fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &osegv);
	sigaction(SIGBUS, &sa, &obus);
	if (sigsetjmp(jb, 1) == 0) {
		mk_fault_jmp = &jb;
		res = c->fn(argc, argv);
		mk_fault_jmp = NULL;
		snprintf(out, len, "%ld\n", res);
	} else {
		mk_fault_jmp = NULL;
		snprintf(out, len, "fault\n");
	}
	sigaction(SIGSEGV, &osegv, NULL);
	sigaction(SIGBUS, &obus, NULL);
	return (0);
}

static int
mk_sysctl(char *arg, char *out, size_t len)
{
	union { int i; long l; uint64_t q; } oldv, newv;
	size_t oldlen;
	char *eq;
	int error;

	eq = strchr(arg, '=');
	if (eq != NULL)
		*eq++ = '\0';
	oldlen = sizeof(oldv);
	memset(&oldv, 0, sizeof(oldv));
	error = kernel_sysctlbyname(hosted_curthread(), arg, &oldv, &oldlen,
	    NULL, 0);
	if (error == 0 && eq != NULL) {
		newv.q = 0;
		if (oldlen == sizeof(int))
			newv.i = (int)strtol(eq, NULL, 0);
		else
			newv.l = strtol(eq, NULL, 0);
		error = kernel_sysctlbyname(hosted_curthread(), arg, NULL,
		    NULL, &newv, oldlen);
	}
	if (error != 0) {
		snprintf(out, len, "error: sysctl %s: %d\n", arg, error);
		return (1);
	}
	if (oldlen == sizeof(int))
		snprintf(out, len, "%d\n", oldv.i);
	else
		snprintf(out, len, "%ld\n", oldv.l);
	return (0);
}

/* uh_cmd_fn shape: -1 unknown command, 0 done, >0 failed. */
int
minikern_hostcmd(int argc, char **argv, char *out, size_t len)
{
	size_t n, i;

	if (argc < 1)
		return (-1);
	if (strcmp(argv[0], "call") == 0 && argc >= 2)
		return (mk_call(argc - 1, argv + 1, out, len));
	if (strcmp(argv[0], "sysctl") == 0 && argc == 2)
		return (mk_sysctl(argv[1], out, len));
	if (strcmp(argv[0], "stats") == 0) {
		n = 0;
		for (i = 0; i < (size_t)mk_nworkers && n < len; i++)
			n += snprintf(out + n, len - n, "worker %zu iters %lu\n",
			    i, __atomic_load_n(&mk_iters[i], __ATOMIC_RELAXED));
		if (n < len)
			snprintf(out + n, len - n, "ticks %d\n", ticks);
		return (0);
	}
	if (strcmp(argv[0], "version") == 0) {
		snprintf(out, len, "%s", version);
		return (0);
	}
	if (strcmp(argv[0], "help") == 0) {
		n = snprintf(out, len, "call NAME ARGS | sysctl NAME[=VALUE] | "
		    "stats | version | quit\n");
		for (i = 0; i < sizeof(mk_calls) / sizeof(mk_calls[0]) &&
		    n < len; i++)
			n += snprintf(out + n, len - n, "call %s %s\n",
			    mk_calls[i].name, mk_calls[i].usage);
		return (0);
	}
	return (-1);
}

int
minikern_command(const char *line, char *out, size_t len)
{
	char buf[512], *argv[16], *p;
	int argc, error;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = 0;
	for (p = strtok(buf, " \t\r\n"); p != NULL && argc < 15;
	    p = strtok(NULL, " \t\r\n"))
		argv[argc++] = p;
	argv[argc] = NULL;
	if (argc == 0) {
		out[0] = '\0';
		return (0);
	}
	error = minikern_hostcmd(argc, argv, out, len);
	if (error < 0) {
		snprintf(out, len, "error: unknown command: %s\n", argv[0]);
		error = 1;
	}
	return (error);
}

/* Serve one stream: a line in, the answer out; 1 when told to quit. */
static int
mk_serve(FILE *in, FILE *out)
{
	char line[512], res[4096];

	while (fgets(line, sizeof(line), in) != NULL) {
		if (strncmp(line, "quit", 4) == 0)
			return (1);
		minikern_command(line, res, sizeof(res));
		fputs(res, out);
		fflush(out);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun;
	const char *sock;
	FILE *f;
	int ch, nworkers, s, c, done;

	sock = NULL;
	nworkers = 3;
	while ((ch = getopt(argc, argv, "qs:w:")) != -1) {
		switch (ch) {
		case 'q':
			hosted_quiet = 1;
			break;
		case 's':
			sock = optarg;
			break;
		case 'w':
			nworkers = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: kernel.hosted [-q] [-s socket] "
			    "[-w workers]\n");
			return (1);
		}
	}
	if (minikern_boot(nworkers) != 0) {
		fprintf(stderr, "kernel.hosted: cannot start\n");
		return (1);
	}
	if (sock == NULL) {
		mk_serve(stdin, stdout);
		minikern_halt();
		return (0);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock);
	unlink(sock);
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(s, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(s, 4) != 0) {
		perror("kernel.hosted: socket");
		return (1);
	}
	for (done = 0; !done && (c = accept(s, NULL, NULL)) >= 0;) {
		if ((f = fdopen(c, "r+")) == NULL) {
			close(c);
			continue;
		}
		done = mk_serve(f, f);
		fclose(f);
	}
	close(s);
	unlink(sock);
	minikern_halt();
	return (0);
}
