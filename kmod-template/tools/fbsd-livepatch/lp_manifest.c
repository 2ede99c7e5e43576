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
 * The fields of manifest.json (docs/bundle-format.md 2), checked as
 * strictly as fbsd-patchgen checks them: every required key, no unknown
 * key, valid values.
 */

#include <stdlib.h>
#include <string.h>

#include "lp.h"

static const char *const required[] = {
	"build_id", "created", "diff_sha256", "format_version",
	"freebsd_version", "functions", "kernconf", "name", "tool",
	"tool_version"
};
static const char *const optional[] = { "advisory", "description" };

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
is_alnum(char c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'));
}

static int
chars_in(const char *s, size_t min, size_t max, const char *extra)
{
	size_t n;

	n = strlen(s);
	if (n < min || n > max)
		return (0);
	for (; *s != '\0'; s++)
		if (!is_alnum(*s) && strchr(extra, *s) == NULL)
			return (0);
	return (1);
}

static int
printable(const char *s, size_t len, size_t min, size_t max, int multiline)
{
	size_t i;

	if (len < min || len > max || strlen(s) != len)
		return (0);
	for (i = 0; i < len; i++)
		if (!((s[i] >= 0x20 && s[i] < 0x7f) ||
		    (multiline && (s[i] == '\n' || s[i] == '\t'))))
			return (0);
	return (1);
}

static int
lower_hex(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return (0);
	return (1);
}

static int
get(const struct lp_json *root, const char *key, enum lp_json_type type,
    const char *where, const struct lp_json **vp)
{
	const struct lp_json *v;

	v = lp_json_get(root, key);
	*vp = v;
	if (v == NULL)
		return (0);
	if (v->type != type)
		return (lp_fail(LP_EX_VERIFY, "%s: field '%s' must be %s",
		    where, key, type == LP_JSON_STRING ? "a string" :
		    type == LP_JSON_INT ? "a non-negative integer" :
		    "an array"));
	return (0);
}

int
lp_manifest_parse(const uint8_t *text, size_t len, const char *where,
    struct lp_manifest *m)
{
	const struct lp_json *root, *v, *f, *fn, *fo;
	size_t i, k;
	int error;

	memset(m, 0, sizeof(*m));
	if ((error = lp_json_parse_canonical(text, len, where, &m->root)) != 0)
		return (error);
	root = &m->root;
	for (i = 0; i < root->len; i++) {
		for (k = 0; k < NELEM(required); k++)
			if (strcmp(root->keys[i], required[k]) == 0)
				break;
		if (k < NELEM(required))
			continue;
		for (k = 0; k < NELEM(optional); k++)
			if (strcmp(root->keys[i], optional[k]) == 0)
				break;
		if (k == NELEM(optional))
			return (lp_fail(LP_EX_VERIFY, "%s: unknown field '%s'",
			    where, root->keys[i]));
	}
	for (k = 0; k < NELEM(required); k++)
		if (lp_json_get(root, required[k]) == NULL)
			return (lp_fail(LP_EX_VERIFY, "%s: missing field '%s'",
			    where, required[k]));

	if ((error = get(root, "format_version", LP_JSON_INT, where, &v)) != 0)
		return (error);
	if (v->num != 1)
		return (lp_fail(LP_EX_VERIFY, "%s: unsupported format_version "
		    "%ju: this fbsd-livepatch reads format 1", where,
		    (uintmax_t)v->num));
	if ((error = get(root, "name", LP_JSON_STRING, where, &v)) != 0)
		return (error);
	if (!is_alnum(v->str[0]) || !chars_in(v->str, 1, LP_NAME_MAX, "_-"))
		return (lp_fail(LP_EX_VERIFY, "%s: invalid bundle name",
		    where));
	strcpy(m->name, v->str);
	if ((error = get(root, "build_id", LP_JSON_STRING, where, &v)) != 0)
		return (error);
	if (v->len < 8 || v->len > LP_BUILD_ID_MAX || v->len % 2 != 0 ||
	    !lower_hex(v->str))
		return (lp_fail(LP_EX_VERIFY, "%s: invalid build id: not an "
		    "even number (8 to 128) of lower-case hex digits", where));
	strcpy(m->build_id, v->str);
	if ((error = get(root, "freebsd_version", LP_JSON_INT, where, &v)) != 0)
		return (error);
	if (v->num < 100000 || v->num > 99999999)
		return (lp_fail(LP_EX_VERIFY, "%s: implausible "
		    "__FreeBSD_version %ju", where, (uintmax_t)v->num));
	m->freebsd_version = (uint32_t)v->num;
	if ((error = get(root, "kernconf", LP_JSON_STRING, where, &v)) != 0)
		return (error);
	if (!chars_in(v->str, 1, 64, "_.-"))
		return (lp_fail(LP_EX_VERIFY, "%s: invalid kernel "
		    "configuration name", where));
	m->kernconf = v->str;

	if ((error = get(root, "functions", LP_JSON_ARRAY, where, &f)) != 0)
		return (error);
	if (f->len > 0) {
		m->functions = calloc(f->len, sizeof(*m->functions));
		if (m->functions == NULL)
			return (lp_fail(LP_EX_USAGE, "%s: out of memory",
			    where));
	}
	for (i = 0; i < f->len; i++) {
		v = &f->items[i];
		fn = lp_json_get(v, "name");
		fo = lp_json_get(v, "object");
		if (v->type != LP_JSON_OBJECT || v->len != 2 || fn == NULL ||
		    fo == NULL || fn->type != LP_JSON_STRING ||
		    fo->type != LP_JSON_STRING)
			return (lp_fail(LP_EX_VERIFY, "%s: each entry of "
			    "'functions' must be {\"name\": ..., "
			    "\"object\": ...}", where));
		if (!chars_in(fn->str, 1, 256, "_.$"))
			return (lp_fail(LP_EX_VERIFY, "%s: invalid function "
			    "name", where));
		if (!printable(fo->str, fo->len, 1, 1024, 0) ||
		    strchr(fo->str, ' ') != NULL)
			return (lp_fail(LP_EX_VERIFY, "%s: invalid object name "
			    "for function %s", where, fn->str));
		m->functions[i].name = fn->str;
		m->functions[i].object = fo->str;
	}
	m->nfunctions = f->len;

	v = lp_json_get(root, "diff_sha256");
	if (v->type != LP_JSON_NULL) {
		if (v->type != LP_JSON_STRING || v->len != 64 ||
		    !lower_hex(v->str))
			return (lp_fail(LP_EX_VERIFY, "%s: diff_sha256 is not "
			    "null or 64 lower-case hex digits", where));
		m->diff_sha256 = v->str;
	}
	if ((error = get(root, "tool", LP_JSON_STRING, where, &v)) != 0)
		return (error);
	m->tool = v->str;
	if ((error = get(root, "tool_version", LP_JSON_STRING, where,
	    &v)) != 0)
		return (error);
	m->tool_version = v->str;
	if (!printable(m->tool, strlen(m->tool), 1, 64, 0) ||
	    !printable(m->tool_version, strlen(m->tool_version), 1, 64, 0))
		return (lp_fail(LP_EX_VERIFY, "%s: invalid tool name or "
		    "version", where));
	if ((error = get(root, "created", LP_JSON_INT, where, &v)) != 0)
		return (error);
	if (v->num > (uint64_t)1 << 40)
		return (lp_fail(LP_EX_VERIFY, "%s: implausible creation time",
		    where));
	m->created = v->num;
	if ((error = get(root, "advisory", LP_JSON_STRING, where, &v)) != 0)
		return (error);
	if (v != NULL) {
		if (!printable(v->str, v->len, 1, 128, 0))
			return (lp_fail(LP_EX_VERIFY, "%s: invalid advisory "
			    "id", where));
		m->advisory = v->str;
	}
	if ((error = get(root, "description", LP_JSON_STRING, where,
	    &v)) != 0)
		return (error);
	if (v != NULL) {
		if (!printable(v->str, v->len, 1, 4096, 1))
			return (lp_fail(LP_EX_VERIFY, "%s: invalid "
			    "description", where));
		m->description = v->str;
	}
	return (0);
}

void
lp_manifest_free(struct lp_manifest *m)
{
	free(m->functions);
	lp_json_free(&m->root);
	memset(m, 0, sizeof(*m));
}
