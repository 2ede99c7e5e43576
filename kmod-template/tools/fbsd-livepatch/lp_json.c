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
 * A small strict JSON reader for manifest.json.  The manifest is canonical
 * (docs/bundle-format.md 2): keys sorted, two-space indent, ASCII, one
 * final newline.  The reader parses standard JSON restricted to what the
 * manifest may hold (null, non-negative integers, ASCII strings, arrays,
 * objects, depth <= 4), refuses duplicate or unsorted keys, then writes
 * the canonical form again and requires it to equal the input byte for
 * byte; so there is exactly one accepted text for each manifest.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"

#define MAX_DEPTH	4
#define MAX_ITEMS	100000

struct parser {
	const uint8_t	*start, *p, *end;
	const char	*where;
};

struct out {
	char		*buf;
	size_t		len, cap;
	int		oom;
};

static int
perr(struct parser *ps, const char *what)
{
	return (lp_fail(LP_EX_VERIFY, "%s: invalid JSON at byte %zu: %s",
	    ps->where, (size_t)(ps->p - ps->start), what));
}

static void
skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' ||
	    *ps->p == '\t' || *ps->p == '\r'))
		ps->p++;
}

static int	parse_value(struct parser *ps, struct lp_json *j, int depth);

static int
hex4(const uint8_t *p, unsigned *v)
{
	int i, d;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return (-1);
		*v = *v << 4 | (unsigned)d;
	}
	return (0);
}

static int
parse_string(struct parser *ps, char **sp, size_t *lenp)
{
	const uint8_t *q;
	unsigned v;
	size_t n;
	char *s;

	if (ps->p >= ps->end || *ps->p != '"')
		return (perr(ps, "expected a string"));
	ps->p++;
	/* The decoded string is never longer than its encoding. */
	for (q = ps->p; q < ps->end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	if (q >= ps->end)
		return (perr(ps, "unterminated string"));
	s = malloc((size_t)(q - ps->p) + 1);
	if (s == NULL)
		return (lp_fail(LP_EX_USAGE, "%s: out of memory", ps->where));
	for (n = 0; *ps->p != '"'; ps->p++) {
		if (*ps->p < 0x20 || *ps->p >= 0x7f) {
			free(s);
			return (perr(ps, "control or non-ASCII character in a "
			    "string"));
		}
		if (*ps->p != '\\') {
			s[n++] = (char)*ps->p;
			continue;
		}
		ps->p++;
		switch (*ps->p) {
		case '"': case '\\': case '/':
			s[n++] = (char)*ps->p;
			break;
		case 'b': s[n++] = '\b'; break;
		case 'f': s[n++] = '\f'; break;
		case 'n': s[n++] = '\n'; break;
		case 'r': s[n++] = '\r'; break;
		case 't': s[n++] = '\t'; break;
		case 'u':
			if (ps->end - ps->p < 5 || hex4(ps->p + 1, &v) != 0 ||
			    v == 0 || v >= 0x80) {
				free(s);
				return (perr(ps, "unsupported \\u escape "
				    "(only ASCII is allowed)"));
			}
			s[n++] = (char)v;
			ps->p += 4;
			break;
		default:
			free(s);
			return (perr(ps, "invalid escape"));
		}
	}
	ps->p++;
	s[n] = '\0';
	*sp = s;
	*lenp = n;
	return (0);
}

static int
parse_container(struct parser *ps, struct lp_json *j, int depth)
{
	struct lp_json *items;
	char **keys, *key;
	size_t cap, klen;
	int error, obj;
	uint8_t close;

	obj = *ps->p == '{';
	close = obj ? '}' : ']';
	j->type = obj ? LP_JSON_OBJECT : LP_JSON_ARRAY;
	ps->p++;
	cap = 0;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return (0);
	}
	for (;;) {
		if (j->len == MAX_ITEMS)
			return (perr(ps, "too many items"));
		if (j->len == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			items = realloc(j->items, cap * sizeof(*items));
			keys = obj ? realloc(j->keys, cap * sizeof(*keys)) :
			    NULL;
			if (items != NULL)
				j->items = items;
			if (keys != NULL)
				j->keys = keys;
			if (items == NULL || (obj && keys == NULL))
				return (lp_fail(LP_EX_USAGE, "%s: out of "
				    "memory", ps->where));
		}
		skip_ws(ps);
		if (obj) {
			if ((error = parse_string(ps, &key, &klen)) != 0)
				return (error);
			if (j->len > 0 && strcmp(j->keys[j->len - 1], key) >=
			    0) {
				free(key);
				return (perr(ps, "duplicate or unsorted key"));
			}
			if (strlen(key) != klen) {
				free(key);
				return (perr(ps, "NUL in a key"));
			}
			j->keys[j->len] = key;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				j->len++;
				memset(&j->items[j->len - 1], 0,
				    sizeof(j->items[0]));
				return (perr(ps, "expected ':'"));
			}
			ps->p++;
			skip_ws(ps);
		}
		memset(&j->items[j->len], 0, sizeof(j->items[0]));
		j->len++;
		if ((error = parse_value(ps, &j->items[j->len - 1],
		    depth + 1)) != 0)
			return (error);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return (0);
		}
		return (perr(ps, obj ? "expected ',' or '}'" :
		    "expected ',' or ']'"));
	}
}

static int
parse_value(struct parser *ps, struct lp_json *j, int depth)
{
	uint64_t v;

	if (depth > MAX_DEPTH)
		return (perr(ps, "nested too deeply"));
	if (ps->p >= ps->end)
		return (perr(ps, "unexpected end"));
	switch (*ps->p) {
	case '{':
	case '[':
		return (parse_container(ps, j, depth));
	case '"':
		j->type = LP_JSON_STRING;
		return (parse_string(ps, &j->str, &j->len));
	case 'n':
		if (ps->end - ps->p < 4 || memcmp(ps->p, "null", 4) != 0)
			return (perr(ps, "invalid literal"));
		j->type = LP_JSON_NULL;
		ps->p += 4;
		return (0);
	default:
		if (*ps->p < '0' || *ps->p > '9')
			return (perr(ps, "unexpected character (only null, "
			    "non-negative integers, strings, arrays and "
			    "objects are allowed)"));
		if (*ps->p == '0' && ps->end - ps->p > 1 && ps->p[1] >= '0' &&
		    ps->p[1] <= '9')
			return (perr(ps, "leading zero"));
		for (v = 0; ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
		    ps->p++) {
			if (v > (UINT64_MAX - 9) / 10)
				return (perr(ps, "number too large"));
			v = v * 10 + (uint64_t)(*ps->p - '0');
		}
		if (ps->p < ps->end && (*ps->p == '.' || *ps->p == 'e' ||
		    *ps->p == 'E'))
			return (perr(ps, "only integers are allowed"));
		j->type = LP_JSON_INT;
		j->num = v;
		return (0);
	}
}

static void
put(struct out *o, const char *s, size_t n)
{
	char *nb;
	size_t cap;

	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		cap = o->cap == 0 ? 1024 : o->cap;
		while (o->len + n + 1 > cap)
			cap *= 2;
		nb = realloc(o->buf, cap);
		if (nb == NULL) {
			o->oom = 1;
			return;
		}
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void
put_indent(struct out *o, int level)
{
	int i;

	for (i = 0; i < level; i++)
		put(o, "  ", 2);
}

/* As nlohmann::json::dump(2, ' ', true) escapes ASCII strings. */
static void
put_string(struct out *o, const char *s, size_t len)
{
	char esc[8];
	size_t i;

	put(o, "\"", 1);
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '"': put(o, "\\\"", 2); break;
		case '\\': put(o, "\\\\", 2); break;
		case '\b': put(o, "\\b", 2); break;
		case '\f': put(o, "\\f", 2); break;
		case '\n': put(o, "\\n", 2); break;
		case '\r': put(o, "\\r", 2); break;
		case '\t': put(o, "\\t", 2); break;
		default:
			if ((unsigned char)s[i] < 0x20 ||
			    (unsigned char)s[i] >= 0x7f) {
				snprintf(esc, sizeof(esc), "\\u%04x",
				    (unsigned char)s[i]);
				put(o, esc, 6);
			} else
				put(o, s + i, 1);
		}
	}
	put(o, "\"", 1);
}

static void
put_value(struct out *o, const struct lp_json *j, int level)
{
	char num[24];
	size_t i;
	int obj;

	switch (j->type) {
	case LP_JSON_NULL:
		put(o, "null", 4);
		return;
	case LP_JSON_INT:
		snprintf(num, sizeof(num), "%ju", (uintmax_t)j->num);
		put(o, num, strlen(num));
		return;
	case LP_JSON_STRING:
		put_string(o, j->str, j->len);
		return;
	case LP_JSON_ARRAY:
	case LP_JSON_OBJECT:
		obj = j->type == LP_JSON_OBJECT;
		if (j->len == 0) {
			put(o, obj ? "{}" : "[]", 2);
			return;
		}
		put(o, obj ? "{\n" : "[\n", 2);
		for (i = 0; i < j->len; i++) {
			put_indent(o, level + 1);
			if (obj) {
				put_string(o, j->keys[i], strlen(j->keys[i]));
				put(o, ": ", 2);
			}
			put_value(o, &j->items[i], level + 1);
			put(o, i + 1 < j->len ? ",\n" : "\n", i + 1 < j->len ?
			    2 : 1);
		}
		put_indent(o, level);
		put(o, obj ? "}" : "]", 1);
		return;
	}
}

int
lp_json_parse_canonical(const uint8_t *text, size_t len, const char *where,
    struct lp_json *out)
{
	struct parser ps;
	struct out o;
	size_t i;
	int error;

	memset(out, 0, sizeof(*out));
	ps.start = ps.p = text;
	ps.end = text + len;
	ps.where = where;
	skip_ws(&ps);
	if (ps.p >= ps.end || *ps.p != '{')
		return (lp_fail(LP_EX_VERIFY, "%s: not a JSON object", where));
	if ((error = parse_value(&ps, out, 1)) != 0) {
		lp_json_free(out);
		return (error);
	}
	skip_ws(&ps);
	if (ps.p != ps.end) {
		lp_json_free(out);
		return (lp_fail(LP_EX_VERIFY, "%s: invalid JSON: data after "
		    "the object", where));
	}
	memset(&o, 0, sizeof(o));
	put_value(&o, out, 0);
	put(&o, "\n", 1);
	if (o.oom) {
		free(o.buf);
		lp_json_free(out);
		return (lp_fail(LP_EX_USAGE, "%s: out of memory", where));
	}
	if (o.len != len || memcmp(o.buf, text, len) != 0) {
		for (i = 0; i < len && i < o.len && o.buf[i] == (char)text[i];
		    i++)
			;
		free(o.buf);
		lp_json_free(out);
		return (lp_fail(LP_EX_VERIFY, "%s: not in canonical form "
		    "(first difference at byte %zu): the manifest was edited",
		    where, i));
	}
	free(o.buf);
	return (0);
}

void
lp_json_free(struct lp_json *j)
{
	size_t i;

	if (j->type == LP_JSON_ARRAY || j->type == LP_JSON_OBJECT) {
		for (i = 0; i < j->len; i++) {
			lp_json_free(&j->items[i]);
			if (j->keys != NULL)
				free(j->keys[i]);
		}
	}
	free(j->items);
	free(j->keys);
	free(j->str);
	memset(j, 0, sizeof(*j));
}

const struct lp_json *
lp_json_get(const struct lp_json *obj, const char *key)
{
	size_t i;

	if (obj->type != LP_JSON_OBJECT)
		return (NULL);
	for (i = 0; i < obj->len; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return (&obj->items[i]);
	return (NULL);
}
