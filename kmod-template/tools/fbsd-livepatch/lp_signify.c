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
 * signify public keys and signatures (docs/bundle-format.md 4), including
 * the minisign-compatible 4-line form with a trusted comment, and plain
 * Ed25519 (RFC 8032, no prehash) through libcrypto's EVP interface.
 *
 *   public key  "Ed" | keynum(8) | Ed25519 public key(32)        42 bytes
 *   signature   "Ed" | keynum(8) | Ed25519(message)(64)          74 bytes
 *   4-line form: + "trusted comment: TEXT" and base64 of
 *                Ed25519(signature(64) | TEXT)
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lp.h"

#define UNTRUSTED	"untrusted comment: "
#define TRUSTED		"trusted comment: "

struct line {
	const char	*p;
	size_t		len;
};

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	if (c == '+')
		return (62);
	if (c == '/')
		return (63);
	return (-1);
}

/*
 * Strict standard base64 decoding into exactly outlen bytes: padded, no
 * white space, and the unused bits of the last group zero, so that every
 * byte string has one accepted encoding.  Returns 0 or -1.
 */
int
lp_base64_decode(const char *s, size_t len, uint8_t *out, size_t outlen)
{
	size_t i, pad, o;
	uint32_t v;
	int d, k;

	if (len == 0 || len % 4 != 0)
		return (-1);
	pad = s[len - 1] == '=' ? (s[len - 2] == '=' ? 2 : 1) : 0;
	if (len / 4 * 3 - pad != outlen)
		return (-1);
	o = 0;
	for (i = 0; i < len; i += 4) {
		v = 0;
		for (k = 0; k < 4; k++) {
			if (i + (size_t)k >= len - pad) {
				v <<= 6;
				continue;
			}
			d = b64val(s[i + (size_t)k]);
			if (d < 0)
				return (-1);
			v = v << 6 | (uint32_t)d;
		}
		if (i + 4 == len && pad == 2 && (v & 0xffff) != 0)
			return (-1);
		if (i + 4 == len && pad == 1 && (v & 0xff) != 0)
			return (-1);
		out[o++] = (uint8_t)(v >> 16);
		if (o < outlen)
			out[o++] = (uint8_t)(v >> 8);
		if (o < outlen)
			out[o++] = (uint8_t)v;
	}
	return (o == outlen ? 0 : -1);
}

/* Split into at most max newline-terminated lines. */
static int
split(const uint8_t *text, size_t len, struct line *lines, size_t max,
    size_t *n, const char *where, const char *what)
{
	const uint8_t *p, *nl;

	*n = 0;
	for (p = text; p < text + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(text + len - p));
		if (nl == NULL)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: last line is "
			    "not terminated by a newline: the file is "
			    "truncated or was edited", where, what));
		if (*n == max)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: more than %zu "
			    "lines", where, what, max));
		lines[*n].p = (const char *)p;
		lines[*n].len = (size_t)(nl - p);
		(*n)++;
	}
	return (0);
}

/* A comment line: the prefix, then printable ASCII or tabs, < max. */
static int
comment(const struct line *l, const char *prefix, size_t max,
    const char *where, const char *what)
{
	size_t i, plen;
	char c;

	plen = strlen(prefix);
	if (l->len < plen || memcmp(l->p, prefix, plen) != 0)
		return (lp_fail(LP_EX_VERIFY, "%s: %s: line does not start "
		    "with '%.*s'", where, what, (int)(plen - 2), prefix));
	if (l->len - plen >= max)
		return (lp_fail(LP_EX_VERIFY, "%s: %s: comment is too long",
		    where, what));
	for (i = plen; i < l->len; i++) {
		c = l->p[i];
		if (!(c == '\t' || (c >= 0x20 && c < 0x7f)))
			return (lp_fail(LP_EX_VERIFY, "%s: %s: comment holds "
			    "control characters", where, what));
	}
	return (0);
}

/* Base64 of exactly outlen bytes; with alg, starting with "Ed". */
static int
decode(const struct line *l, uint8_t *out, size_t outlen, int alg,
    const char *where, const char *what)
{
	if (lp_base64_decode(l->p, l->len, out, outlen) != 0)
		return (lp_fail(LP_EX_VERIFY, "%s: %s: invalid base64 or not "
		    "%zu bytes", where, what, outlen));
	if (!alg)
		return (0);
	if (out[0] == 'E' && out[1] == 'D')
		return (lp_fail(LP_EX_VERIFY, "%s: %s: prehashed (\"ED\") "
		    "minisign signature is not supported; sign with "
		    "'minisign -S -l' or signify", where, what));
	if (out[0] != 'E' || out[1] != 'd')
		return (lp_fail(LP_EX_VERIFY, "%s: %s: unsupported algorithm "
		    "(not \"Ed\", Ed25519)", where, what));
	return (0);
}

int
lp_pubkey_parse(const uint8_t *text, size_t len, const char *where,
    struct lp_pubkey *k)
{
	struct line l[3];
	uint8_t b[42];
	size_t n;
	int error;

	if ((error = split(text, len, l, 3, &n, where, "public key")) != 0)
		return (error);
	if (n != 2)
		return (lp_fail(LP_EX_VERIFY, "%s: public key: expected 2 "
		    "lines, found %zu", where, n));
	if ((error = comment(&l[0], UNTRUSTED, LP_COMMENT_MAX, where,
	    "public key")) != 0 ||
	    (error = decode(&l[1], b, sizeof(b), 1, where, "public key")) != 0)
		return (error);
	memcpy(k->keynum, b + 2, 8);
	memcpy(k->key, b + 10, 32);
	return (0);
}

int
lp_signature_parse(const uint8_t *text, size_t len, const char *where,
    struct lp_signature *s)
{
	struct line l[5];
	uint8_t b[74];
	size_t n, plen;
	int error;

	memset(s, 0, sizeof(*s));
	if ((error = split(text, len, l, 5, &n, where, "signature")) != 0)
		return (error);
	if (n != 2 && n != 4)
		return (lp_fail(LP_EX_VERIFY, "%s: signature: expected 2 or 4 "
		    "lines, found %zu", where, n));
	if ((error = comment(&l[0], UNTRUSTED, LP_COMMENT_MAX, where,
	    "signature")) != 0 ||
	    (error = decode(&l[1], b, sizeof(b), 1, where, "signature")) != 0)
		return (error);
	memcpy(s->keynum, b + 2, 8);
	memcpy(s->sig, b + 10, 64);
	if (n == 4) {
		if ((error = comment(&l[2], TRUSTED, LP_TRUSTED_MAX, where,
		    "signature")) != 0 ||
		    (error = decode(&l[3], s->global_sig, 64, 0, where,
		    "trusted comment signature")) != 0)
			return (error);
		plen = strlen(TRUSTED);
		memcpy(s->trusted, l[2].p + plen, l[2].len - plen);
		s->trusted[l[2].len - plen] = '\0';
		s->has_trusted = 1;
	}
	return (0);
}

/* 1 valid, 0 invalid, -1 libcrypto failed. */
static int
ed25519_verify(const uint8_t key[32], const uint8_t *msg, size_t len,
    const uint8_t sig[64])
{
	EVP_PKEY *pk;
	EVP_MD_CTX *ctx;
	int ok;

	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, 32);
	if (pk == NULL)
		return (0);	/* not a valid point */
	ctx = EVP_MD_CTX_new();
	ok = -1;
	if (ctx != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) == 1)
		ok = EVP_DigestVerify(ctx, sig, 64, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return (ok);
}

int
lp_signature_verify(const struct lp_pubkey *pub,
    const struct lp_signature *sig, const uint8_t *msg, size_t len,
    const char *where)
{
	char want[17], got[17];
	uint8_t *g;
	size_t tlen;
	int ok;

	if (memcmp(pub->keynum, sig->keynum, 8) != 0) {
		lp_key_id(sig->keynum, got);
		lp_key_id(pub->keynum, want);
		return (lp_fail(LP_EX_VERIFY, "%s: verification failed: "
		    "checked against wrong key (signed by key id %s, the "
		    "public key has key id %s)", where, got, want));
	}
	ok = ed25519_verify(pub->key, msg, len, sig->sig);
	if (ok < 0)
		return (lp_fail(LP_EX_USAGE, "%s: libcrypto cannot verify "
		    "Ed25519", where));
	if (ok == 0)
		return (lp_fail(LP_EX_VERIFY, "%s: signature verification "
		    "failed: the signed file was altered or the signature is "
		    "corrupt", where));
	if (!sig->has_trusted)
		return (0);
	tlen = strlen(sig->trusted);
	g = malloc(64 + tlen);
	if (g == NULL)
		return (lp_fail(LP_EX_USAGE, "%s: out of memory", where));
	memcpy(g, sig->sig, 64);
	memcpy(g + 64, sig->trusted, tlen);
	ok = ed25519_verify(pub->key, g, 64 + tlen, sig->global_sig);
	free(g);
	if (ok < 0)
		return (lp_fail(LP_EX_USAGE, "%s: libcrypto cannot verify "
		    "Ed25519", where));
	if (ok == 0)
		return (lp_fail(LP_EX_VERIFY, "%s: trusted comment signature "
		    "verification failed: the trusted comment was altered",
		    where));
	return (0);
}

void
lp_key_id(const uint8_t keynum[8], char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	int i;

	for (i = 0; i < 8; i++) {
		out[2 * i] = digits[keynum[7 - i] >> 4];
		out[2 * i + 1] = digits[keynum[7 - i] & 15];
	}
	out[16] = '\0';
}

int
lp_sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
	unsigned int n;

	n = 32;
	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != 32)
		return (lp_fail(LP_EX_USAGE, "libcrypto: SHA-256 failed"));
	return (0);
}
