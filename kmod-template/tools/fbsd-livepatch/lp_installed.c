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
 * The installed set: bundles kept in the state directory as
 * NAME.lpbundle, which rc.d/livepatch loads at boot (boot) and takes out
 * at shutdown (stop).  Installing verifies the bundle as load does, so a
 * bundle that would be refused at boot is refused now, when someone is
 * there to read why.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lp.h"
#include "lp_backend.h"
#include "lp_cmd.h"

static int
make_statedir(void)
{
	if (mkdir(statedir, 0700) != 0 && errno != EEXIST)
		return (lp_fail(LP_EX_USAGE, "%s: cannot create: %s",
		    statedir, strerror(errno)));
	return (0);
}

int
cmd_install(const char *path)
{
	struct lp_bundle b;
	char dst[1100];
	int error;

	if ((error = open_verified(path, &b)) != 0 ||
	    (error = make_statedir()) != 0)
		goto out;
	state_path(dst, sizeof(dst), b.manifest.name, LP_BUNDLE_SUFFIX);
	if ((error = lp_write_file(dst, b.data, b.len)) != 0)
		goto out;
	printf("%s: installed as %s (loaded at boot by rc.d/livepatch)\n",
	    b.manifest.name, dst);
out:
	lp_bundle_close(&b);
	return (report(error));
}

int
cmd_uninstall(const char *name)
{
	char path[1100];

	if (!valid_name(name))
		return (report(lp_fail(LP_EX_USAGE, "'%s' is not a patch name",
		    name)));
	state_path(path, sizeof(path), name, LP_BUNDLE_SUFFIX);
	if (unlink(path) != 0)
		return (report(lp_fail(errno == ENOENT ? LP_EX_REFUSED :
		    LP_EX_USAGE, "%s: %s", path, errno == ENOENT ?
		    "not installed" : strerror(errno))));
	printf("%s: uninstalled%s\n", name, "; a loaded copy stays until "
	    "it is reverted and unloaded");
	return (0);
}

static int
by_name(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The installed bundles' paths, sorted by name. */
static int
installed(char ***pathsp, size_t *np)
{
	struct dirent *de;
	DIR *d;
	char **paths, **grown;
	size_t n, cap, len, sl;

	*pathsp = NULL;
	*np = 0;
	if ((d = opendir(statedir)) == NULL)
		return (errno == ENOENT ? 0 : lp_fail(LP_EX_USAGE, "%s: %s",
		    statedir, strerror(errno)));
	paths = NULL;
	n = cap = 0;
	sl = strlen(LP_BUNDLE_SUFFIX);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= sl || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - sl, LP_BUNDLE_SUFFIX) != 0)
			continue;
		if (n == cap) {
			cap = cap != 0 ? 2 * cap : 8;
			if ((grown = realloc(paths, cap * sizeof(*paths))) ==
			    NULL)
				break;
			paths = grown;
		}
		if ((paths[n] = malloc(strlen(statedir) + len + 2)) == NULL)
			break;
		sprintf(paths[n++], "%s/%s", statedir, de->d_name);
	}
	closedir(d);
	if (de != NULL) {
		while (n > 0)
			free(paths[--n]);
		free(paths);
		return (lp_fail(LP_EX_USAGE, "out of memory"));
	}
	qsort(paths, n, sizeof(*paths), by_name);
	*pathsp = paths;
	*np = n;
	return (0);
}

/*
 * Load one bundle at boot.  Returns 0 when it is applied now or was
 * already, -1 when it is skipped (another kernel), else the error.
 */
static int
boot_one(const char *path)
{
	struct lp_bundle b;
	char state[16];
	int error;

	if ((error = open_verified(path, &b)) != 0)
		goto out;
	if ((error = patch_state(b.manifest.name, state,
	    sizeof(state))) != 0)
		goto out;
	if (state[0] != '\0') {
		printf("%s: already loaded (%s)\n", b.manifest.name, state);
		goto out;
	}
	if ((error = check_target(&b)) == LP_EX_REFUSED) {
		printf("%s: skipped: %s\n", b.manifest.name, lp_errmsg);
		error = -1;
		goto out;
	}
	if (error == 0)
		error = load_opened(path, &b);
out:
	lp_bundle_close(&b);
	return (error);
}

/*
 * Load every installed bundle (or those named) that matches the running
 * kernel.  One that fails does not stop the others; the exit status is the
 * first failure's.
 */
int
cmd_boot(int argc, char **argv)
{
	char **paths;
	size_t i, n;
	int error, first, loaded, skipped;

	paths = NULL;
	if (argc == 0) {
		if ((error = installed(&paths, &n)) != 0)
			return (report(error));
	} else
		n = (size_t)argc;
	first = loaded = skipped = 0;
	for (i = 0; i < n; i++) {
		error = boot_one(paths != NULL ? paths[i] : argv[i]);
		if (error == -1)
			skipped++;
		else if (error == 0)
			loaded++;
		else {
			fprintf(stderr, "fbsd-livepatch: error: %s\n",
			    lp_errmsg);
			if (first == 0)
				first = error;
		}
	}
	printf("boot: %d applied, %d skipped, %d failed\n", loaded, skipped,
	    (int)n - loaded - skipped);
	if (paths != NULL) {
		for (i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
	}
	return (first);
}

/*
 * Take every loaded patch out, newest first: revert it when applied, then
 * unload it and drop its state files.
 */
int
cmd_stop(void)
{
	char *text, *line, *next, **names, state[16], ko[1100], mf[1100];
	size_t n, i, w;
	int error, first;

	if ((error = lpb_patches(&text)) != 0)
		return (report(error));
	n = 0;
	for (line = text; *line != '\0'; line++)
		if (*line == '\n')
			n++;
	if ((names = calloc(n + 1, sizeof(*names))) == NULL) {
		free(text);
		return (report(lp_fail(LP_EX_USAGE, "out of memory")));
	}
	n = 0;
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		next = next != NULL ? next + 1 : line + strlen(line);
		if (line[0] == ' ')
			continue;
		w = strcspn(line, " \n");
		line[w] = '\0';
		names[n++] = line;
	}
	first = 0;
	for (i = n; i-- > 0;) {
		error = patch_state(names[i], state, sizeof(state));
		if (error == 0 && strcmp(state, "applied") == 0)
			error = lpb_revert(names[i]);
		if (error == 0)
			error = lpb_unload(names[i]);
		if (error != 0) {
			fprintf(stderr, "fbsd-livepatch: error: %s\n",
			    lp_errmsg);
			if (first == 0)
				first = error;
			continue;
		}
		state_path(ko, sizeof(ko), names[i], ".ko");
		state_path(mf, sizeof(mf), names[i], ".json");
		(void)unlink(ko);
		(void)unlink(mf);
		printf("%s: reverted and unloaded\n", names[i]);
	}
	free(names);
	free(text);
	return (first);
}
