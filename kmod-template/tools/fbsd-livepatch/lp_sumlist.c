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
 * OpenBSD's signed checksum list, as BSD sha256(1) -r and
 * "sha256sum --tag" write it: one "SHA256 (file) = hex" line per file,
 * 64 lower-case hex digits, every line ending in a newline.
 */

#include <string.h>

#include "lp.h"

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

int
lp_sumlist_parse(const uint8_t *text, size_t len, const char *where,
    struct lp_sum *sums, size_t max, size_t *nsums)
{
	static const char pre[] = "SHA256 (", mid[] = ") = ";
	const uint8_t *line, *nl, *close;
	size_t i, j, n, llen, namelen, lineno;
	int hi, lo;

	*nsums = 0;
	if (len == 0)
		return (lp_fail(LP_EX_VERIFY, "%s: empty checksum list",
		    where));
	n = 0;
	for (line = text, lineno = 1; line < text + len; line = nl + 1,
	    lineno++) {
		nl = memchr(line, '\n', (size_t)(text + len - line));
		if (nl == NULL)
			return (lp_fail(LP_EX_VERIFY, "%s: line %zu is not "
			    "terminated by a newline: the list is truncated",
			    where, lineno));
		llen = (size_t)(nl - line);
		close = NULL;
		if (llen > sizeof(pre) - 1 &&
		    memcmp(line, pre, sizeof(pre) - 1) == 0) {
			for (i = sizeof(pre) - 1; i + sizeof(mid) - 1 <= llen;
			    i++)
				if (memcmp(line + i, mid, sizeof(mid) - 1) ==
				    0) {
					close = line + i;
					break;
				}
		}
		if (close == NULL)
			return (lp_fail(LP_EX_VERIFY, "%s: line %zu is "
			    "malformed: lines must read 'SHA256 (file) = hex'",
			    where, lineno));
		if (n == max)
			return (lp_fail(LP_EX_VERIFY, "%s: more than %zu "
			    "entries", where, max));
		namelen = (size_t)(close - line) - (sizeof(pre) - 1);
		if (namelen == 0 || namelen >= LP_TAR_NAME_MAX)
			return (lp_fail(LP_EX_VERIFY, "%s: line %zu: invalid "
			    "file name", where, lineno));
		memcpy(sums[n].name, line + sizeof(pre) - 1, namelen);
		sums[n].name[namelen] = '\0';
		if (!lp_tar_valid_name(sums[n].name))
			return (lp_fail(LP_EX_VERIFY, "%s: line %zu: invalid "
			    "file name", where, lineno));
		close += sizeof(mid) - 1;
		if (nl - close != 64)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: digest is not "
			    "64 lower-case hex digits", where, sums[n].name));
		for (j = 0; j < 32; j++) {
			hi = hexval(close[2 * j]);
			lo = hexval(close[2 * j + 1]);
			if (hi < 0 || lo < 0)
				return (lp_fail(LP_EX_VERIFY, "%s: %s: digest "
				    "is not 64 lower-case hex digits", where,
				    sums[n].name));
			sums[n].digest[j] = (uint8_t)(hi << 4 | lo);
		}
		for (j = 0; j < n; j++)
			if (strcmp(sums[j].name, sums[n].name) == 0)
				return (lp_fail(LP_EX_VERIFY, "%s: %s: listed "
				    "twice", where, sums[n].name));
		n++;
	}
	*nsums = n;
	return (0);
}
