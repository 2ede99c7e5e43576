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
 * A whole bundle (docs/bundle-format.md): the archive, its member set, the
 * SHA256 list against every member, the manifest, the module's ELF header,
 * and the signature against the trusted keys of a directory.  The same
 * checks as fbsd-patchgen verify, in the same order.
 */

#include <sys/types.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"

#define MANIFEST_MAX	(1u << 20)
#define REPORT_MAX	(16u << 20)
#define LIST_MAX	(64u << 10)
#define SIG_MAX		(16u << 10)
#define MODULE_MAX	(64u << 20)
#define BUNDLE_MAX	(MODULE_MAX + REPORT_MAX + MANIFEST_MAX + LIST_MAX + \
	SIG_MAX + 16 * 512)
#define KEY_MAX		4096

static int
ends_with(const char *s, const char *suffix)
{
	size_t n, m;

	n = strlen(s);
	m = strlen(suffix);
	return (n > m && strcmp(s + n - m, suffix) == 0);
}

/*
 * A FreeBSD kernel module is an ELF relocatable object (amd64) or shared
 * object (other architectures).
 */
static int
check_module(const uint8_t *m, size_t len, const char *where,
    const char *name)
{
	unsigned type;

	if (len < 64 || memcmp(m, "\177ELF", 4) != 0)
		return (lp_fail(LP_EX_VERIFY, "%s: %s: not an ELF file", where,
		    name));
	if ((m[4] != 1 && m[4] != 2) || (m[5] != 1 && m[5] != 2))
		return (lp_fail(LP_EX_VERIFY, "%s: %s: invalid ELF class or "
		    "data encoding", where, name));
	type = m[5] == 1 ? (unsigned)(m[16] | m[17] << 8) :
	    (unsigned)(m[16] << 8 | m[17]);
	if (type != 1 && type != 3)
		return (lp_fail(LP_EX_VERIFY, "%s: %s: ELF type %u is not a "
		    "relocatable or shared object", where, name, type));
	return (0);
}

int
lp_bundle_open(const char *path, struct lp_bundle *b)
{
	uint8_t *data;
	size_t len;
	int error;

	memset(b, 0, sizeof(*b));
	if ((error = lp_read_file(path, BUNDLE_MAX, &data, &len)) != 0)
		return (error);
	return (lp_bundle_parse(path, data, len, b));
}

int
lp_bundle_parse(const char *path, uint8_t *data, size_t len,
    struct lp_bundle *b)
{
	struct lp_member mem[LP_TAR_MAX_MEMBERS];
	struct lp_sum sums[LP_TAR_MAX_MEMBERS];
	const struct lp_member *manifest, *module, *list, *sig;
	uint8_t digest[32];
	char where[1200];
	size_t i, j, n, nsums, max;
	int error;

	memset(b, 0, sizeof(*b));
	b->data = data;
	b->len = len;
	b->path = strdup(path);
	if (b->path == NULL)
		return (lp_fail(LP_EX_USAGE, "out of memory"));
	if ((error = lp_tar_read(b->data, b->len, path, mem, &n)) != 0)
		return (error);
	manifest = module = list = sig = NULL;
	for (i = 0; i < n; i++) {
		if (strcmp(mem[i].name, "manifest.json") == 0) {
			manifest = &mem[i];
			max = MANIFEST_MAX;
		} else if (strcmp(mem[i].name, "report.json") == 0) {
			b->has_report = 1;
			max = REPORT_MAX;
		} else if (strcmp(mem[i].name, "SHA256") == 0) {
			list = &mem[i];
			max = LIST_MAX;
		} else if (strcmp(mem[i].name, "SHA256.sig") == 0) {
			sig = &mem[i];
			max = SIG_MAX;
		} else if (ends_with(mem[i].name, ".ko")) {
			if (module != NULL)
				return (lp_fail(LP_EX_VERIFY, "%s: more than "
				    "one module: '%s' and '%s'", path,
				    module->name, mem[i].name));
			module = &mem[i];
			max = MODULE_MAX;
		} else
			return (lp_fail(LP_EX_VERIFY, "%s: unexpected member "
			    "'%s': a bundle holds manifest.json, NAME.ko, "
			    "report.json, SHA256 and SHA256.sig only", path,
			    mem[i].name));
		if (mem[i].size > max)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: member is "
			    "larger than %zu bytes", path, mem[i].name, max));
	}
	if (manifest == NULL)
		return (lp_fail(LP_EX_VERIFY, "%s: missing member "
		    "'manifest.json'", path));
	if (list == NULL)
		return (lp_fail(LP_EX_VERIFY, "%s: missing member 'SHA256'",
		    path));
	if (module == NULL)
		return (lp_fail(LP_EX_VERIFY, "%s: missing member 'NAME.ko' "
		    "(the patch module)", path));

	/* The checksum list covers every other member, exactly once. */
	snprintf(where, sizeof(where), "%s: SHA256", path);
	if ((error = lp_sumlist_parse(list->data, list->size, where, sums,
	    LP_TAR_MAX_MEMBERS, &nsums)) != 0)
		return (error);
	for (i = 0; i < nsums; i++) {
		if (strcmp(sums[i].name, "SHA256") == 0 ||
		    strcmp(sums[i].name, "SHA256.sig") == 0)
			return (lp_fail(LP_EX_VERIFY, "%s: lists '%s', which "
			    "it cannot cover", where, sums[i].name));
		for (j = 0; j < n; j++)
			if (strcmp(mem[j].name, sums[i].name) == 0)
				break;
		if (j == n)
			return (lp_fail(LP_EX_VERIFY, "%s: lists '%s', which "
			    "is not in the bundle: a member was removed", where,
			    sums[i].name));
		if ((error = lp_sha256(mem[j].data, mem[j].size, digest)) != 0)
			return (error);
		if (memcmp(digest, sums[i].digest, 32) != 0)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: SHA256 checksum "
			    "mismatch: the file was altered after the checksum "
			    "list was made", path, sums[i].name));
	}
	for (j = 0; j < n; j++) {
		if (&mem[j] == list || &mem[j] == sig)
			continue;
		for (i = 0; i < nsums; i++)
			if (strcmp(mem[j].name, sums[i].name) == 0)
				break;
		if (i == nsums)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: member is not "
			    "listed in SHA256: a member was added", path,
			    mem[j].name));
	}
	b->sumlist = list->data;
	b->sumlist_len = list->size;

	snprintf(where, sizeof(where), "%s: manifest.json", path);
	if ((error = lp_manifest_parse(manifest->data, manifest->size, where,
	    &b->manifest)) != 0)
		return (error);
	if (strlen(module->name) != strlen(b->manifest.name) + 3 ||
	    strncmp(module->name, b->manifest.name,
	    strlen(b->manifest.name)) != 0)
		return (lp_fail(LP_EX_VERIFY, "%s: module member '%s' does not "
		    "match the manifest's name '%s'", path, module->name,
		    b->manifest.name));
	if ((error = check_module(module->data, module->size, path,
	    module->name)) != 0)
		return (error);
	b->manifest_text = manifest->data;
	b->manifest_len = manifest->size;
	b->module = module->data;
	b->module_len = module->size;
	if (sig != NULL) {
		snprintf(where, sizeof(where), "%s: SHA256.sig", path);
		if ((error = lp_signature_parse(sig->data, sig->size, where,
		    &b->sig)) != 0)
			return (error);
		b->signed_ = 1;
	}
	return (0);
}

/*
 * The trusted comment ("bundle=NAME target_build_id=HEX created=TIME")
 * must describe this bundle; the first occurrence of a key counts.
 */
static int
check_trusted(const struct lp_bundle *b, const char *where)
{
	static const char *const keys[] = { "bundle", "target_build_id",
	    "created" };
	const char *tc, *tok, *end, *eq, *found[3];
	char want[32];
	const char *wantp;
	size_t i, klen;

	memset(found, 0, sizeof(found));
	tc = b->sig.trusted;
	for (tok = tc; *tok != '\0'; tok = *end == '\0' ? end : end + 1) {
		end = strchr(tok, ' ');
		if (end == NULL)
			end = tok + strlen(tok);
		eq = memchr(tok, '=', (size_t)(end - tok));
		if (eq == NULL)
			continue;
		klen = (size_t)(eq - tok);
		for (i = 0; i < 3; i++)
			if (found[i] == NULL && strlen(keys[i]) == klen &&
			    memcmp(tok, keys[i], klen) == 0)
				found[i] = tok;
	}
	snprintf(want, sizeof(want), "%ju", (uintmax_t)b->manifest.created);
	for (i = 0; i < 3; i++) {
		wantp = i == 0 ? b->manifest.name : i == 1 ?
		    b->manifest.build_id : want;
		if (found[i] == NULL) {
			if (i == 2)
				continue;
			return (lp_fail(LP_EX_VERIFY, "%s: trusted comment "
			    "lacks '%s='", where, keys[i]));
		}
		tok = found[i] + strlen(keys[i]) + 1;
		end = strchr(tok, ' ');
		if (end == NULL)
			end = tok + strlen(tok);
		if ((size_t)(end - tok) != strlen(wantp) ||
		    memcmp(tok, wantp, strlen(wantp)) != 0)
			return (lp_fail(LP_EX_VERIFY, "%s: trusted comment "
			    "says %s=%.*s but the manifest says %s: the "
			    "signature belongs to another bundle", where,
			    keys[i], (int)(end - tok), tok, wantp));
	}
	return (0);
}

static int
cmp_names(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

int
lp_bundle_verify(struct lp_bundle *b, const char *keydir, int allow_unsigned)
{
	struct lp_pubkey key;
	struct dirent *de;
	DIR *d;
	char where[1200], path[1100], id[17], msg[sizeof(lp_errmsg)];
	char **names, **nn;
	uint8_t *text;
	size_t len, i, n, cap, nkeys;
	int error, found;

	b->verified = 0;
	snprintf(where, sizeof(where), "%s: SHA256.sig", b->path);
	if (!b->signed_) {
		if (allow_unsigned)
			return (0);
		return (lp_fail(LP_EX_VERIFY, "%s: bundle is not signed; "
		    "sign it with 'fbsd-patchgen sign', or load it anyway "
		    "with -f", b->path));
	}
	lp_key_id(b->sig.keynum, id);
	d = opendir(keydir);
	if (d == NULL)
		return (lp_fail(LP_EX_VERIFY, "%s: cannot read the key "
		    "directory %s, so the signature (key id %s) cannot be "
		    "verified", b->path, keydir, id));
	names = NULL;
	n = cap = 0;
	error = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".pub"))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			nn = realloc(names, cap * sizeof(*names));
			if (nn == NULL) {
				error = 1;
				break;
			}
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			error = 1;
			break;
		}
		n++;
	}
	closedir(d);
	if (error != 0) {
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return (lp_fail(LP_EX_USAGE, "out of memory"));
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	/*
	 * The key whose keynum the signature names decides; should the
	 * directory hold several with that number, one must verify.
	 */
	found = 0;
	nkeys = 0;
	for (i = 0; i < n && !b->verified; i++) {
		snprintf(path, sizeof(path), "%s/%s", keydir, names[i]);
		if (lp_read_file(path, KEY_MAX, &text, &len) != 0 ||
		    lp_pubkey_parse(text, len, path, &key) != 0) {
			fprintf(stderr, "fbsd-livepatch: warning: %s: ignored: "
			    "%s\n", path, lp_errmsg);
			free(text);
			continue;
		}
		free(text);
		nkeys++;
		if (memcmp(key.keynum, b->sig.keynum, 8) != 0)
			continue;
		found = 1;
		error = lp_signature_verify(&key, &b->sig, b->sumlist,
		    b->sumlist_len, where);
		if (error == 0 && b->sig.has_trusted)
			error = check_trusted(b, where);
		if (error != 0) {
			memcpy(msg, lp_errmsg, sizeof(msg));
			continue;
		}
		b->verified = 1;
		snprintf(b->key_path, sizeof(b->key_path), "%s", path);
		memcpy(b->key_id, id, sizeof(b->key_id));
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!found)
		return (lp_fail(LP_EX_VERIFY, "%s: verification failed: "
		    "checked against wrong key: signed by key id %s, which is "
		    "not among the %zu trusted key(s) in %s", where, id, nkeys,
		    keydir));
	if (!b->verified)
		return (lp_fail(error, "%s", msg));
	return (0);
}

void
lp_bundle_close(struct lp_bundle *b)
{
	lp_manifest_free(&b->manifest);
	free(b->data);
	free(b->path);
	memset(b, 0, sizeof(*b));
}
