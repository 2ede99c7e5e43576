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
 * fbsd-livepatch(8): declarations shared by its files.  Each file has one
 * job: lp_util.c (errors, files), lp_tar.c (strict ustar reader),
 * lp_sumlist.c ("SHA256 (file) = hex" lists), lp_signify.c (signify keys
 * and signatures, Ed25519 through libcrypto), lp_json.c (a strict reader
 * for the canonical JSON of the manifest), lp_manifest.c (the manifest's
 * fields), lp_bundle.c (a whole bundle: the checks of docs/bundle-format.md),
 * backend_*.c (the running kernel or the test host), lp_main.c (commands).
 */

#ifndef LP_H
#define LP_H

#include <stddef.h>
#include <stdint.h>

/* Exit status, as fbsd-patchgen(8). */
#define LP_EX_OK	0
#define LP_EX_USAGE	1	/* usage, invalid input, I/O */
#define LP_EX_REFUSED	2	/* policy, wrong kernel, runtime refused */
#define LP_EX_VERIFY	5	/* bundle malformed or signature bad */

/*
 * Errors: functions return one of the LP_EX_* values and leave a one-line
 * message, naming the file and the reason, in lp_errmsg.
 */
extern char lp_errmsg[1024];
int	lp_fail(int code, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/* Whole files, at most max bytes. */
int	lp_read_file(const char *path, size_t max, uint8_t **datap,
	    size_t *lenp);
int	lp_write_file(const char *path, const uint8_t *data, size_t len);
void	lp_hex(const uint8_t *p, size_t n, char *out);

/* lp_tar.c */
#define LP_TAR_MAX_MEMBERS	8
#define LP_TAR_NAME_MAX		100

struct lp_member {
	char		name[LP_TAR_NAME_MAX];
	const uint8_t	*data;		/* points into the archive */
	size_t		size;
};

int	lp_tar_valid_name(const char *name);
int	lp_tar_read(const uint8_t *data, size_t len, const char *where,
	    struct lp_member *members, size_t *nmembers);

/* lp_sumlist.c */
struct lp_sum {
	char		name[LP_TAR_NAME_MAX];
	uint8_t		digest[32];
};

int	lp_sumlist_parse(const uint8_t *text, size_t len, const char *where,
	    struct lp_sum *sums, size_t max, size_t *nsums);

/* lp_signify.c */
/* Comments are shorter than these, as in signify and minisign. */
#define LP_COMMENT_MAX		1024
#define LP_TRUSTED_MAX		(8192 - 18 - 1)

struct lp_pubkey {
	uint8_t		keynum[8];
	uint8_t		key[32];
};

struct lp_signature {
	uint8_t		keynum[8];
	uint8_t		sig[64];
	int		has_trusted;
	char		trusted[LP_TRUSTED_MAX + 1];
	uint8_t		global_sig[64];
};

int	lp_base64_decode(const char *s, size_t len, uint8_t *out,
	    size_t outlen);
int	lp_pubkey_parse(const uint8_t *text, size_t len, const char *where,
	    struct lp_pubkey *k);
int	lp_signature_parse(const uint8_t *text, size_t len, const char *where,
	    struct lp_signature *s);
/* 0 if sig is pub's valid signature of msg (and of its trusted comment). */
int	lp_signature_verify(const struct lp_pubkey *pub,
	    const struct lp_signature *sig, const uint8_t *msg, size_t len,
	    const char *where);
/* minisign's key id: keynum read little-endian, upper-case hex (16+1). */
void	lp_key_id(const uint8_t keynum[8], char *out);
int	lp_sha256(const uint8_t *data, size_t len, uint8_t out[32]);

/* lp_json.c: just what the manifest needs. */
enum lp_json_type {
	LP_JSON_NULL, LP_JSON_INT, LP_JSON_STRING, LP_JSON_ARRAY,
	LP_JSON_OBJECT
};

struct lp_json {
	enum lp_json_type type;
	uint64_t	num;		/* LP_JSON_INT: non-negative only */
	char		*str;		/* LP_JSON_STRING, NUL-terminated */
	size_t		len;		/* string length or number of items */
	char		**keys;		/* LP_JSON_OBJECT */
	struct lp_json	*items;		/* array items or object values */
};

/*
 * Parse text, which must be exactly the canonical form fbsd-patchgen writes
 * (sorted keys, two-space indent, ASCII, one final newline).
 */
int	lp_json_parse_canonical(const uint8_t *text, size_t len,
	    const char *where, struct lp_json *out);
void	lp_json_free(struct lp_json *j);
const struct lp_json *lp_json_get(const struct lp_json *obj, const char *key);

/* lp_manifest.c */
#define LP_NAME_MAX		64
#define LP_BUILD_ID_MAX		128

struct lp_function {
	char		*name;
	char		*object;
};

struct lp_manifest {
	struct lp_json	root;
	char		name[LP_NAME_MAX + 1];
	char		build_id[LP_BUILD_ID_MAX + 1];
	uint32_t	freebsd_version;
	const char	*kernconf;
	struct lp_function *functions;
	size_t		nfunctions;
	const char	*diff_sha256;	/* NULL when absent */
	const char	*tool;
	const char	*tool_version;
	uint64_t	created;
	const char	*advisory;	/* optional */
	const char	*description;	/* optional */
};

int	lp_manifest_parse(const uint8_t *text, size_t len, const char *where,
	    struct lp_manifest *m);
void	lp_manifest_free(struct lp_manifest *m);

/* lp_bundle.c */
struct lp_bundle {
	char		*path;
	uint8_t		*data;
	size_t		len;
	struct lp_manifest manifest;
	const uint8_t	*manifest_text;
	size_t		manifest_len;
	const uint8_t	*module;
	size_t		module_len;
	const uint8_t	*sumlist;
	size_t		sumlist_len;
	int		has_report;
	int		signed_;	/* SHA256.sig present */
	struct lp_signature sig;
	/* Set by lp_bundle_verify. */
	int		verified;
	char		key_path[1100];
	char		key_id[17];
};

/* Read and check everything but the signature. */
int	lp_bundle_open(const char *path, struct lp_bundle *b);
/* The same for data in memory (malloc'd; the bundle takes it over). */
int	lp_bundle_parse(const char *path, uint8_t *data, size_t len,
	    struct lp_bundle *b);
/*
 * Verify the signature with the *.pub keys of keydir.  An unsigned bundle
 * is LP_EX_VERIFY unless allow_unsigned.
 */
int	lp_bundle_verify(struct lp_bundle *b, const char *keydir,
	    int allow_unsigned);
void	lp_bundle_close(struct lp_bundle *b);

#endif /* !LP_H */
