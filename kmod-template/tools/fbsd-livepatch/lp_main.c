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
 * fbsd-livepatch(8): load, list, apply, revert and unload live patches of
 * the running kernel, and show what a bundle holds.  Exit status as
 * fbsd-patchgen(8): 0 done, 1 usage or invalid input, 2 refused (another
 * kernel, policy, the runtime said no), 5 verification failed.
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lp.h"
#include "lp_backend.h"
#include "lp_cmd.h"

#define APPLY_WAIT_MS		10000

const char *keydir = DEFAULT_KEYDIR;
const char *statedir = DEFAULT_STATEDIR;
int force, verbose;

#ifndef FBSDLP_VERSION
#define FBSDLP_VERSION	"0.1.0"
#endif

static void
usage(FILE *f, int code)
{
	fprintf(f,
	    "usage: fbsd-livepatch [-fv] [-d statedir] [-k keydir] "
	    "load bundle\n"
	    "       fbsd-livepatch [-k keydir] info bundle\n"
	    "       fbsd-livepatch [-d statedir] list\n"
	    "       fbsd-livepatch [-v] apply | revert name\n"
	    "       fbsd-livepatch [-v] [-d statedir] unload name\n"
	    "       fbsd-livepatch [-f] [-d statedir] [-k keydir] "
	    "install bundle\n"
	    "       fbsd-livepatch [-d statedir] uninstall name\n"
	    "       fbsd-livepatch [-fv] [-d statedir] [-k keydir] "
	    "boot [bundle ...]\n"
	    "       fbsd-livepatch [-d statedir] stop\n"
	    "       fbsd-livepatch version | -h\n");
	exit(code);
}

int
report(int code)
{
	if (code != 0)
		fprintf(stderr, "fbsd-livepatch: error: %s\n", lp_errmsg);
	return (code);
}

int
valid_name(const char *s)
{
	size_t i, n;

	n = strlen(s);
	if (n == 0 || n > LP_NAME_MAX || s[0] == '-' || s[0] == '_')
		return (0);
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-'))
			return (0);
	return (1);
}

/*
 * The state of patch name in the runtime's list: "applied", "loaded", or
 * "" when it is not there.
 */
int
patch_state(const char *name, char *state, size_t len)
{
	char *text, *line, *next, *sp;
	size_t n;
	int error;

	state[0] = '\0';
	if ((error = lpb_patches(&text)) != 0)
		return (error);
	n = strlen(name);
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		next = next != NULL ? next + 1 : line + strlen(line);
		if (line[0] == ' ' || strncmp(line, name, n) != 0 ||
		    line[n] != ' ')
			continue;
		sp = line + n + 1;
		snprintf(state, len, "%.*s", (int)strcspn(sp, " \n"), sp);
		break;
	}
	free(text);
	return (0);
}

void
state_path(char *buf, size_t len, const char *name, const char *suffix)
{
	snprintf(buf, len, "%s/%s%s", statedir, name, suffix);
}

static void
fmt_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%jd", (intmax_t)t);
}

/* Compare the bundle's target with the running kernel. */
int
check_target(const struct lp_bundle *b)
{
	char id[LP_BUILD_ID_MAX + 2];
	uint32_t rel;
	int error;

	if ((error = lpb_build_id(id, sizeof(id))) != 0)
		return (error);
	if (strcmp(id, b->manifest.build_id) != 0)
		return (lp_fail(LP_EX_REFUSED, "%s: built for the kernel with "
		    "build-id %s, but %s has build-id %s", b->path,
		    b->manifest.build_id, lpb_describe(), id));
	if ((error = lpb_osreldate(&rel)) != 0)
		return (error);
	if (rel != 0 && rel != b->manifest.freebsd_version)
		return (lp_fail(LP_EX_REFUSED, "%s: built for "
		    "__FreeBSD_version %u, but kern.osreldate is %u", b->path,
		    b->manifest.freebsd_version, rel));
	if (verbose)
		printf("build-id %s matches %s\n", id, lpb_describe());
	return (0);
}

int
open_verified(const char *path, struct lp_bundle *b)
{
	int error;

	if ((error = lp_bundle_open(path, b)) != 0)
		return (error);
	if ((error = lp_bundle_verify(b, keydir, force)) != 0)
		return (error);
	if (b->verified && verbose)
		printf("%s: signature verified with %s (key id %s)\n", path,
		    b->key_path, b->key_id);
	else if (!b->verified)
		fprintf(stderr, "fbsd-livepatch: warning: %s: loading an "
		    "unsigned bundle (-f)\n", path);
	return (0);
}

/*
 * The names in the runtime's list, one per line, each followed by '\n', in
 * *names (malloc'd).
 */
static int
patch_names(char **names)
{
	char *text, *line, *next, *o;
	size_t n;
	int error;

	*names = NULL;
	if ((error = lpb_patches(&text)) != 0)
		return (error);
	if ((o = *names = malloc(strlen(text) + 2)) == NULL) {
		free(text);
		return (lp_fail(LP_EX_USAGE, "out of memory"));
	}
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		next = next != NULL ? next + 1 : line + strlen(line);
		if (line[0] == ' ')
			continue;
		n = strcspn(line, " \n");
		memcpy(o, line, n);
		o += n;
		*o++ = '\n';
	}
	*o = '\0';
	free(text);
	return (0);
}

static int
has_name(const char *names, const char *name, size_t n)
{
	const char *p;

	for (p = names; *p != '\0'; p = strchr(p, '\n') + 1)
		if (strncmp(p, name, n) == 0 && p[n] == '\n')
			return (1);
	return (0);
}

/*
 * What a load has changed so far, for roll_back: the runtime's patch
 * names before it, whether it loaded the runtime or made the state
 * directory, and the state files it is about to replace.  A state file
 * already there (left by a load that was interrupted) is kept as a hard
 * link, .NAME.ko.lpsave, until the load is done, so that a failed load
 * puts back the very file.
 */
struct lp_undo {
	char	*before;	/* patch_names() before the load */
	int	 runtime;	/* this load kldloaded livepatch(4) */
	int	 made_dir;	/* this load created statedir */
	int	 loading;	/* lpb_load was called */
	int	 had_file;	/* another NAME.ko was loaded before */
	int	 nfiles;
	struct {
		char	path[1100];
		char	save[1100];
		int	saved;	/* path was there: now also at save */
	} file[2];
};

/*
 * Link path to a new name if it exists, so that it can be put back.  A
 * link left by an interrupted load is left alone: it was there before.
 */
static int
keep_file(struct lp_undo *u, const char *path, const char *name,
    const char *suffix)
{
	int i, k;

	i = u->nfiles++;
	snprintf(u->file[i].path, sizeof(u->file[i].path), "%s", path);
	u->file[i].saved = 0;
	for (k = 0; k < 100; k++) {
		snprintf(u->file[i].save, sizeof(u->file[i].save),
		    k == 0 ? "%s/.%s%s.lpsave" : "%s/.%s%s.lpsave.%d",
		    statedir, name, suffix, k);
		if (link(path, u->file[i].save) == 0) {
			u->file[i].saved = 1;
			return (0);
		}
		if (errno == ENOENT)
			return (0);
		if (errno != EEXIST)
			break;
	}
	return (lp_fail(LP_EX_USAGE, "%s: cannot keep a copy of %s: %s",
	    u->file[i].save, path, strerror(errno)));
}

/* Keep the first error of the rollback, say every one on stderr. */
static void
undo_error(char *first, size_t len, const char *what)
{
	fprintf(stderr, "fbsd-livepatch: error: rollback: %s\n", what);
	if (first[0] == '\0')
		snprintf(first, len, "%s", what);
}

/*
 * The patch names registered now that were not before, in *fresh
 * (malloc'd, one per line), or NULL with lp_errmsg set.
 */
static int
fresh_names(const char *before, char **fresh)
{
	char *now, *p, *q, *o;
	int error;

	*fresh = NULL;
	if ((error = patch_names(&now)) != 0)
		return (error);
	for (p = o = now; *p != '\0'; p = q + 1) {
		q = strchr(p, '\n');
		if (has_name(before, p, (size_t)(q - p)) ||
		    (size_t)(q - p) > LP_NAME_MAX)
			continue;
		memmove(o, p, (size_t)(q - p) + 1);
		o += q - p + 1;
	}
	*o = '\0';
	*fresh = now;
	return (0);
}

/*
 * Revert every patch registered since `before' that is applied, newest
 * first: a patch stacked on another is reverted before it.
 */
static void
revert_fresh(const char *before, char *first, size_t len)
{
	char reg[LP_NAME_MAX + 1], state[16], *fresh, *p, *q;
	size_t n;

	if (fresh_names(before, &fresh) != 0) {
		undo_error(first, len, lp_errmsg);
		return;
	}
	for (n = strlen(fresh); n > 0; n = (size_t)(p - fresh)) {
		q = fresh + n - 1;	/* the '\n' ending the last line */
		for (p = q; p > fresh && p[-1] != '\n'; p--)
			;
		snprintf(reg, sizeof(reg), "%.*s", (int)(q - p), p);
		if (patch_state(reg, state, sizeof(state)) == 0 &&
		    strcmp(state, "applied") == 0 && lpb_revert(reg) != 0)
			undo_error(first, len, lp_errmsg);
	}
	free(fresh);
}

/*
 * Undo a load that did not end applied, whatever step failed: revert
 * what registered since the load began (under the manifest's name or,
 * with a module that disagrees with its manifest, another), unload the
 * module file and whatever it registered, unload the runtime if this load
 * loaded it, put the state files back as they were and remove the state
 * directory if this load made it.  Then check that the runtime lists what
 * it listed before.  lp_errmsg keeps the cause, followed by "the load was
 * undone" or by what could not be undone.
 */
static void
roll_back(struct lp_undo *u, const char *name)
{
	char cause[sizeof(lp_errmsg)], first[sizeof(lp_errmsg)];
	char reg[LP_NAME_MAX + 1], *fresh, *p, *q;
	int i, left;

	snprintf(cause, sizeof(cause), "%s", lp_errmsg);
	first[0] = '\0';
	left = 0;
	if (u->loading && u->before != NULL) {
		revert_fresh(u->before, first, sizeof(first));
		/* The module file, whatever it registered (kldunload). */
		if (!u->had_file && lpb_loaded(name) &&
		    lpb_unload(name) != 0)
			undo_error(first, sizeof(first), lp_errmsg);
		/* What is registered still (the test host's modules). */
		if (fresh_names(u->before, &fresh) == 0) {
			for (p = fresh; *p != '\0'; p = q + 1) {
				q = strchr(p, '\n');
				snprintf(reg, sizeof(reg), "%.*s",
				    (int)(q - p), p);
				(void)lpb_unload(reg);
			}
			free(fresh);
		}
		if (fresh_names(u->before, &fresh) != 0)
			undo_error(first, sizeof(first), lp_errmsg);
		else {
			if (fresh[0] != '\0') {
				left = 1;
				fresh[strcspn(fresh, "\n")] = '\0';
				snprintf(reg, sizeof(reg), "%s", fresh);
				snprintf(lp_errmsg, sizeof(lp_errmsg), "patch "
				    "'%s' is still loaded", reg);
				undo_error(first, sizeof(first), lp_errmsg);
			}
			free(fresh);
		}
		if (!u->had_file && lpb_loaded(name)) {
			left = 1;
			snprintf(lp_errmsg, sizeof(lp_errmsg), "%s.ko is "
			    "still loaded", name);
			undo_error(first, sizeof(first), lp_errmsg);
		}
	}
	/* Only when nothing of this load is left: patches depend on it. */
	if (u->runtime && !left && lpb_runtime_unload() != 0)
		undo_error(first, sizeof(first), lp_errmsg);
	for (i = 0; i < u->nfiles; i++) {
		if (u->file[i].saved) {
			if (rename(u->file[i].save, u->file[i].path) != 0) {
				snprintf(lp_errmsg, sizeof(lp_errmsg), "%s: "
				    "cannot put back %s: %s", u->file[i].save,
				    u->file[i].path, strerror(errno));
				undo_error(first, sizeof(first), lp_errmsg);
			}
		} else if (unlink(u->file[i].path) != 0 && errno != ENOENT) {
			snprintf(lp_errmsg, sizeof(lp_errmsg), "%s: %s",
			    u->file[i].path, strerror(errno));
			undo_error(first, sizeof(first), lp_errmsg);
		}
	}
	if (u->made_dir && rmdir(statedir) != 0) {
		snprintf(lp_errmsg, sizeof(lp_errmsg), "%s: %s", statedir,
		    strerror(errno));
		undo_error(first, sizeof(first), lp_errmsg);
	}
	if (first[0] == '\0' && !u->loading && !u->runtime &&
	    !u->made_dir && u->nfiles == 0)
		snprintf(lp_errmsg, sizeof(lp_errmsg), "%s", cause);
	else if (first[0] == '\0')
		snprintf(lp_errmsg, sizeof(lp_errmsg), "%.*s; the load was "
		    "undone", (int)sizeof(lp_errmsg) - 32, cause);
	else
		snprintf(lp_errmsg, sizeof(lp_errmsg), "%.*s; the load could "
		    "not be undone completely: %.*s",
		    (int)sizeof(lp_errmsg) / 2, cause,
		    (int)sizeof(lp_errmsg) / 2 - 64, first);
}

/*
 * Load a verified bundle: all or nothing.  It ends with the patch applied
 * and its state files written, or -- whichever step fails -- with the
 * runtime, the loaded modules and the state directory as they were.
 * Nothing is changed before the bundle is found to be for this kernel;
 * every failure after the first change goes through roll_back.
 */
int
load_opened(const char *path, struct lp_bundle *b)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	struct lp_undo u;
	char ko[1100], mf[1100], abspath[4096], state[16];
	int error, i, waited;

	memset(&u, 0, sizeof(u));
	if ((error = check_target(b)) != 0 ||
	    (error = lpb_runtime(verbose, &u.runtime)) != 0)
		return (error);
	if ((error = patch_names(&u.before)) != 0)
		goto fail;
	if ((error = patch_state(b->manifest.name, state,
	    sizeof(state))) != 0)
		goto fail;
	if (state[0] != '\0') {
		error = lp_fail(LP_EX_REFUSED, "%s: a patch named '%s' is "
		    "already loaded (%s)", path, b->manifest.name, state);
		goto fail;
	}
	/* A file of that name loaded before is not this load's to unload. */
	u.had_file = lpb_loaded(b->manifest.name);
	if (mkdir(statedir, 0700) == 0)
		u.made_dir = 1;
	else if (errno != EEXIST) {
		error = lp_fail(LP_EX_USAGE, "%s: cannot create: %s",
		    statedir, strerror(errno));
		goto fail;
	}
	state_path(ko, sizeof(ko), b->manifest.name, ".ko");
	state_path(mf, sizeof(mf), b->manifest.name, ".json");
	if ((error = keep_file(&u, mf, b->manifest.name, ".json")) != 0 ||
	    (error = keep_file(&u, ko, b->manifest.name, ".ko")) != 0 ||
	    (error = lp_write_file(mf, b->manifest_text,
	    b->manifest_len)) != 0 ||
	    (error = lp_write_file(ko, b->module, b->module_len)) != 0)
		goto fail;
	if (realpath(ko, abspath) == NULL) {
		error = lp_fail(LP_EX_USAGE, "%s: %s", ko, strerror(errno));
		goto fail;
	}
	if (verbose)
		printf("kldload %s\n", abspath);
	u.loading = 1;
	if ((error = lpb_load(abspath, b->manifest.name)) != 0)
		goto fail;
	/* The module applies itself while it loads; wait to see it. */
	for (waited = 0;; waited += 50) {
		if ((error = patch_state(b->manifest.name, state,
		    sizeof(state))) != 0)
			goto fail;
		if (strcmp(state, "applied") == 0)
			break;
		if (state[0] == '\0') {
			/*
			 * kldload returns after MOD_LOAD: a module that is not
			 * registered now never will be (no module metadata,
			 * no event handler calling livepatch_register, or a
			 * module registering under another name).
			 */
			error = lp_fail(LP_EX_REFUSED, "%s: the module loaded "
			    "but registered no patch named '%s' (no module "
			    "metadata, or no MOD_LOAD handler calling "
			    "livepatch_register)", path, b->manifest.name);
			goto fail;
		}
		if (waited >= APPLY_WAIT_MS) {
			error = lp_fail(LP_EX_REFUSED, "%s: loaded, but the "
			    "patch is %s after %d s", b->manifest.name,
			    state, APPLY_WAIT_MS / 1000);
			goto fail;
		}
		nanosleep(&ts, NULL);
	}
	for (i = 0; i < u.nfiles; i++)
		if (u.file[i].saved)
			(void)unlink(u.file[i].save);
	printf("%s: applied, %zu function(s)%s%s\n", b->manifest.name,
	    b->manifest.nfunctions, b->verified ? ", signed by key id " :
	    ", unsigned", b->verified ? b->key_id : "");
	free(u.before);
	return (0);
fail:
	roll_back(&u, b->manifest.name);
	free(u.before);
	return (error);
}

static int
cmd_load(const char *path)
{
	struct lp_bundle b;
	int error;

	if ((error = open_verified(path, &b)) == 0)
		error = load_opened(path, &b);
	lp_bundle_close(&b);
	return (report(error));
}

static int
cmd_info(const char *path)
{
	struct lp_bundle b;
	char t[64], id[LP_BUILD_ID_MAX + 2];
	size_t i;
	int error, verr;

	if ((error = lp_bundle_open(path, &b)) != 0)
		goto out;
	printf("bundle:      %s\n", path);
	printf("name:        %s\n", b.manifest.name);
	printf("build-id:    %s\n", b.manifest.build_id);
	printf("FreeBSD:     %u, %s\n", b.manifest.freebsd_version,
	    b.manifest.kernconf);
	fmt_time((time_t)b.manifest.created, t, sizeof(t));
	printf("created:     %s by %s %s\n", t, b.manifest.tool,
	    b.manifest.tool_version);
	if (b.manifest.advisory != NULL)
		printf("advisory:    %s\n", b.manifest.advisory);
	if (b.manifest.diff_sha256 != NULL)
		printf("fix sha256:  %s\n", b.manifest.diff_sha256);
	printf("module:      %s.ko, %zu bytes\n", b.manifest.name,
	    b.module_len);
	printf("functions:   %zu\n", b.manifest.nfunctions);
	for (i = 0; i < b.manifest.nfunctions; i++)
		printf("  %s (%s)\n", b.manifest.functions[i].name,
		    b.manifest.functions[i].object);
	if (b.manifest.description != NULL)
		printf("description:\n%s\n", b.manifest.description);
	verr = lp_bundle_verify(&b, keydir, 1);
	if (verr != 0)
		printf("signature:   FAILED\n");
	else if (b.verified)
		printf("signature:   verified with %s (key id %s)%s%s\n",
		    b.key_path, b.key_id, b.sig.has_trusted ?
		    "\ntrusted:     " : "", b.sig.has_trusted ?
		    b.sig.trusted : "");
	else
		printf("signature:   none (load needs -f)\n");
	if (verr != 0) {
		error = verr;
		goto out;
	}
	if (lpb_build_id(id, sizeof(id)) != 0)
		printf("kernel:      unknown (%s)\n", lp_errmsg);
	else if (strcmp(id, b.manifest.build_id) == 0)
		printf("kernel:      matches %s\n", lpb_describe());
	else
		printf("kernel:      does not match %s (build-id %s)\n",
		    lpb_describe(), id);
out:
	lp_bundle_close(&b);
	return (report(error));
}

static int
cmd_list(void)
{
	struct stat st;
	char *text, *line, *next, path[1100], name[LP_NAME_MAX + 1], t[64];
	size_t n, w;
	int error;

	if ((error = lpb_patches(&text)) != 0)
		return (report(error));
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		n = next != NULL ? (size_t)(next - line) : strlen(line);
		next = next != NULL ? next + 1 : line + n;
		if (line[0] == ' ') {
			/* "  * name (object) addresses": drop the addresses. */
			w = 0;
			while (w < n && line[w] != ')')
				w++;
			printf("%.*s\n", (int)(w < n ? w + 1 : n), line);
			continue;
		}
		w = strcspn(line, " \n");
		snprintf(name, sizeof(name), "%.*s", (int)w, line);
		printf("%.*s", (int)n, line);
		state_path(path, sizeof(path), name, ".ko");
		if (valid_name(name) && stat(path, &st) == 0) {
			fmt_time(st.st_mtime, t, sizeof(t));
			printf(" loaded=\"%s\"", t);
		}
		printf("\n");
	}
	free(text);
	return (0);
}

static int
cmd_op(const char *cmd, const char *name)
{
	char ko[1100], mf[1100], state[16];
	int error;

	if (!valid_name(name))
		return (report(lp_fail(LP_EX_USAGE, "'%s' is not a patch name",
		    name)));
	if (strcmp(cmd, "apply") == 0)
		error = lpb_apply(name);
	else if (strcmp(cmd, "revert") == 0)
		error = lpb_revert(name);
	else {
		if ((error = patch_state(name, state, sizeof(state))) != 0)
			return (report(error));
		if (state[0] == '\0')
			return (report(lp_fail(LP_EX_REFUSED, "no patch named "
			    "'%s' is loaded", name)));
		if (strcmp(state, "applied") == 0)
			return (report(lp_fail(LP_EX_REFUSED, "%s is applied: "
			    "revert it before unloading", name)));
		if (verbose)
			printf("kldunload %s.ko\n", name);
		if ((error = lpb_unload(name)) == 0) {
			state_path(ko, sizeof(ko), name, ".ko");
			state_path(mf, sizeof(mf), name, ".json");
			(void)unlink(ko);
			(void)unlink(mf);
		}
	}
	if (error != 0)
		return (report(error));
	printf("%s: %s\n", name, strcmp(cmd, "apply") == 0 ? "applied" :
	    strcmp(cmd, "revert") == 0 ? "reverted" : "unloaded");
	return (0);
}

int
main(int argc, char **argv)
{
	int ch;

	while ((ch = getopt(argc, argv, "d:fhk:v")) != -1) {
		switch (ch) {
		case 'd':
			statedir = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case 'h':
			usage(stdout, LP_EX_OK);
			break;
		case 'k':
			keydir = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage(stderr, LP_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 2 && strcmp(argv[0], "load") == 0)
		return (cmd_load(argv[1]));
	if (argc == 2 && strcmp(argv[0], "info") == 0)
		return (cmd_info(argv[1]));
	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return (cmd_list());
	if (argc == 2 && (strcmp(argv[0], "apply") == 0 ||
	    strcmp(argv[0], "revert") == 0 || strcmp(argv[0], "unload") == 0))
		return (cmd_op(argv[0], argv[1]));
	if (argc == 2 && strcmp(argv[0], "install") == 0)
		return (cmd_install(argv[1]));
	if (argc == 2 && strcmp(argv[0], "uninstall") == 0)
		return (cmd_uninstall(argv[1]));
	if (argc >= 1 && strcmp(argv[0], "boot") == 0)
		return (cmd_boot(argc - 1, argv + 1));
	if (argc == 1 && strcmp(argv[0], "stop") == 0)
		return (cmd_stop());
	if (argc == 1 && strcmp(argv[0], "version") == 0) {
		printf("fbsd-livepatch %s\n", FBSDLP_VERSION);
		return (LP_EX_OK);
	}
	usage(stderr, LP_EX_USAGE);
	return (LP_EX_USAGE);
}
