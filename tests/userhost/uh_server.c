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
 * The control socket of the test host: the userspace analogue of kldload
 * plus the livepatch sysctl tree.  One request per connection, one line of
 * words; the answer is "OK" and the output, or "ERR <message>".
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "uh.h"
#include "unix_listen.h"

#define UH_REQ_MAX	4096
#define UH_OUT_MAX	65536
#define UH_MAXARGS	8

struct uh_loaded {
	struct uh_loaded	*next;
	struct uh_module	*mod;
	struct fbsdlp_patch	*patch;
};

struct uh_server {
	struct fbsdlp_rt	*rt;
	const struct uh_symtab	*tab;
	uh_cmd_fn		*hostcmd;
	struct uh_loaded	*loaded;
	char			*out;
	size_t			outlen;
	int			failed;
	int			quit;
};

static void
say(struct uh_server *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->out + s->outlen, UH_OUT_MAX - s->outlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->outlen += (size_t)n < UH_OUT_MAX - s->outlen ? (size_t)n :
		    UH_OUT_MAX - s->outlen - 1;
}

static void
fail(struct uh_server *s, const char *fmt, ...)
{
	va_list ap;

	s->outlen = 0;
	s->failed = 1;
	va_start(ap, fmt);
	vsnprintf(s->out, UH_OUT_MAX, fmt, ap);
	va_end(ap);
	s->outlen = strlen(s->out);
}

static struct uh_loaded *
find(struct uh_server *s, const char *name)
{
	struct fbsdlp_patch_status st;
	struct uh_loaded *l;

	for (l = s->loaded; l != NULL; l = l->next) {
		fbsdlp_patch_status(l->patch, &st);
		if (strcmp(st.name, name) == 0)
			return (l);
	}
	fail(s, "no patch named '%s' is loaded", name);
	return (NULL);
}

static void
cmd_load(struct uh_server *s, const char *path, int apply)
{
	struct fbsdlp_patch_status st;
	struct uh_module *m;
	struct fbsdlp_patch *p;
	struct uh_loaded *l;
	char err[512];
	int error;

	error = uh_load_file(path, s->tab, &m, err, sizeof(err));
	if (error != 0) {
		fail(s, "load: %s", err);
		return;
	}
	error = fbsdlp_register(s->rt, &m->img, &p);
	if (error != 0) {
		fail(s, "load: %s", fbsdlp_last_error(s->rt));
		uh_unload(m);
		return;
	}
	if (apply && (error = fbsdlp_apply(s->rt, p)) != 0) {
		fail(s, "%s", fbsdlp_last_error(s->rt));
		(void)fbsdlp_unregister(s->rt, p);
		uh_unload(m);
		return;
	}
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		fail(s, "out of memory");
		return;
	}
	l->mod = m;
	l->patch = p;
	l->next = s->loaded;
	s->loaded = l;
	fbsdlp_patch_status(p, &st);
	say(s, "%s %s\n", st.name, apply ? "applied" : "loaded");
}

static void
cmd_list(struct uh_server *s)
{
	struct fbsdlp_patch_status st;
	struct fbsdlp_func_status fs;
	struct fbsdlp_patch *p;
	uint32_t i;

	for (p = fbsdlp_next(s->rt, NULL); p != NULL;
	    p = fbsdlp_next(s->rt, p)) {
		fbsdlp_patch_status(p, &st);
		say(s, "%s %s funcs=%u relocs=%u seq=%lu%s tool=%s", st.name,
		    st.state == FBSDLP_STATE_APPLIED ? "applied" : "loaded",
		    st.nfuncs, st.nrelocs, (unsigned long)st.seq,
		    (st.flags & FBSDLP_PATCH_REPLACE_ALL) != 0 ?
		    " replace-all" : "", st.tool_version);
		for (i = 0; i < st.nfixes; i++)
			say(s, "%s%02x%02x%02x%02x%02x%02x",
			    i == 0 ? " fixes=" : ",", st.fixes[i][0],
			    st.fixes[i][1], st.fixes[i][2], st.fixes[i][3],
			    st.fixes[i][4], st.fixes[i][5]);
		say(s, "\n");
		for (i = 0; fbsdlp_func_status(p, i, &fs) == 0; i++)
			say(s, "  %s %s (%s) old=0x%lx new=0x%lx\n",
			    fs.active ? "*" : "-", fs.name,
			    fs.objname != NULL ? fs.objname : "global",
			    (unsigned long)fs.old_addr,
			    (unsigned long)fs.new_addr);
	}
}

static void
cmd_stats(struct uh_server *s)
{
	struct fbsdlp_stats st;

	fbsdlp_get_stats(s->rt, &st);
	say(s, "applies %lu\nreverts %lu\nfailures %lu\nstops %lu\n"
	    "last_stop_ns %lu\nmax_stop_ns %lu\nlast_attempts %u\nsites %u\n",
	    (unsigned long)st.applies, (unsigned long)st.reverts,
	    (unsigned long)st.failures, (unsigned long)st.stops,
	    (unsigned long)st.last_stop_ns, (unsigned long)st.max_stop_ns,
	    st.last_attempts, st.nsites);
}

static void
dispatch(struct uh_server *s, char *req)
{
	struct uh_loaded *l, **lp;
	char *argv[UH_MAXARGS], *save, *w;
	int argc, error, i, n;

	argc = 0;
	for (w = strtok_r(req, " \t\r\n", &save); w != NULL && argc < UH_MAXARGS;
	    w = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = w;
	if (argc == 0) {
		fail(s, "empty request");
		return;
	}
	if (strcmp(argv[0], "load") == 0 && (argc == 2 || (argc == 3 &&
	    strcmp(argv[2], "noapply") == 0))) {
		cmd_load(s, argv[1], argc == 2);
	} else if ((strcmp(argv[0], "apply") == 0 ||
	    strcmp(argv[0], "revert") == 0) && argc == 2) {
		if ((l = find(s, argv[1])) == NULL)
			return;
		error = argv[0][0] == 'a' ? fbsdlp_apply(s->rt, l->patch) :
		    fbsdlp_revert(s->rt, l->patch);
		if (error != 0)
			fail(s, "%s", fbsdlp_last_error(s->rt));
		else
			say(s, "%s %s\n", argv[1], argv[0][0] == 'a' ?
			    "applied" : "reverted");
	} else if (strcmp(argv[0], "unload") == 0 && argc == 2) {
		if ((l = find(s, argv[1])) == NULL)
			return;
		if (fbsdlp_unregister(s->rt, l->patch) != 0) {
			fail(s, "%s", fbsdlp_last_error(s->rt));
			return;
		}
		for (lp = &s->loaded; *lp != l; lp = &(*lp)->next)
			;
		*lp = l->next;
		uh_unload(l->mod);
		free(l);
		say(s, "%s unloaded\n", argv[1]);
	} else if (strcmp(argv[0], "list") == 0 && argc == 1) {
		cmd_list(s);
	} else if (strcmp(argv[0], "buildid") == 0 && argc == 1) {
		/* What kern.build_id is to the kernel: lower-case hex. */
		for (i = 0; i < (int)s->tab->build_id_len; i++)
			say(s, "%02x", s->tab->build_id[i]);
		say(s, "\n");
	} else if (strcmp(argv[0], "stats") == 0 && argc == 1) {
		cmd_stats(s);
		if (s->hostcmd != NULL)
			(void)s->hostcmd(argc, argv, s->out + s->outlen,
			    UH_OUT_MAX - s->outlen);
		s->outlen = strlen(s->out);
	} else if (strcmp(argv[0], "cycle") == 0 && argc == 3) {
		/* N apply/revert pairs without a round trip per operation. */
		if ((l = find(s, argv[1])) == NULL)
			return;
		n = atoi(argv[2]);
		for (i = 0; i < n; i++) {
			if (fbsdlp_apply(s->rt, l->patch) != 0 ||
			    fbsdlp_revert(s->rt, l->patch) != 0) {
				fail(s, "cycle %d: %s", i,
				    fbsdlp_last_error(s->rt));
				return;
			}
		}
		say(s, "%d cycles\n", n);
	} else if (strcmp(argv[0], "retry") == 0 && argc == 4) {
		fbsdlp_rt_set_retry(s->rt, (uint32_t)atoi(argv[1]),
		    (uint32_t)atoi(argv[2]), (uint32_t)atoi(argv[3]));
	} else if (strcmp(argv[0], "failwrite") == 0 && argc == 2) {
		uh_fail_text_write_after(atoi(argv[1]));
	} else if (strcmp(argv[0], "quit") == 0 && argc == 1) {
		s->quit = 1;
	} else if (s->hostcmd != NULL &&
	    (error = s->hostcmd(argc, argv, s->out, UH_OUT_MAX)) >= 0) {
		s->outlen = strlen(s->out);
		s->failed = error != 0;
	} else {
		fail(s, "unknown command or wrong arguments: %s (commands: "
		    "load PATH [noapply], apply NAME, revert NAME, unload NAME, "
		    "cycle NAME N, list, buildid, stats, retry N FIRST_US MAX_US, failwrite N, "
		    "quit)",
		    argv[0]);
	}
}

int
uh_server_run(const char *sockpath, struct fbsdlp_rt *rt,
    const struct uh_symtab *tab, uh_cmd_fn *hostcmd)
{
	struct uh_server s;
	char req[UH_REQ_MAX + 1];
	size_t got;
	ssize_t n;
	int ls, c;

	memset(&s, 0, sizeof(s));
	s.rt = rt;
	s.tab = tab;
	s.hostcmd = hostcmd;
	s.out = malloc(UH_OUT_MAX);
	if (s.out == NULL)
		return (ENOMEM);
	ls = tc_unix_listen(sockpath, 8);
	if (ls < 0 && errno == ENAMETOOLONG) {
		fprintf(stderr, "uh-host: socket path too long: %s\n",
		    sockpath);
		return (ENAMETOOLONG);
	}
	if (ls < 0) {
		fprintf(stderr, "uh-host: %s: %s\n", sockpath, strerror(errno));
		return (errno);
	}
	while (!s.quit) {
		c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (got = 0; got < UH_REQ_MAX; got += (size_t)n) {
			n = read(c, req + got, UH_REQ_MAX - got);
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n <= 0 || memchr(req + got, '\n', (size_t)n))
				break;
		}
		if (n > 0)
			got += (size_t)n;
		req[got] = '\0';
		s.outlen = 0;
		s.out[0] = '\0';
		s.failed = 0;
		dispatch(&s, req);
		if (s.failed)
			dprintf(c, "ERR %s\n", s.out);
		else
			dprintf(c, "OK\n%s", s.out);
		close(c);
	}
	close(ls);
	unlink(sockpath);
	free(s.out);
	return (0);
}
