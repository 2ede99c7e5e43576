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
 * A strict reader for the flat ustar archives of docs/bundle-format.md:
 * regular files with plain names only, exact header checksums, zero
 * padding, no duplicates, the end-of-archive marker and nothing but zero
 * bytes after it.  Header layout (offsets in a 512-byte block):
 *   0 name[100]  100 mode[8]  108 uid[8]  116 gid[8]  124 size[12]
 *   136 mtime[12]  148 chksum[8]  156 typeflag  157 linkname[100]
 *   257 magic[6]  263 version[2]  265 uname[32]  297 gname[32]
 *   329 devmajor[8]  337 devminor[8]  345 prefix[155]  500 pad[12]
 */

#include <string.h>

#include "lp.h"

#define BLOCK	512

static int
all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return (0);
	return (1);
}

/* The sum of the header with the checksum field read as spaces. */
static unsigned
header_sum(const uint8_t *h)
{
	unsigned sum;
	size_t i;

	sum = 0;
	for (i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return (sum);
}

/*
 * At least one octal digit, then NUL or space, and only NULs or spaces up
 * to the end of the field.
 */
static int
get_octal(const uint8_t *f, size_t width, uint64_t *out)
{
	uint64_t v;
	size_t i;

	v = 0;
	for (i = 0; i < width && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return (-1);
		v = v << 3 | (uint64_t)(f[i] - '0');
	}
	if (i == 0 || i == width)
		return (-1);
	for (; i < width; i++)
		if (f[i] != 0 && f[i] != ' ')
			return (-1);
	*out = v;
	return (0);
}

/* A NUL-terminated string with only NULs after the terminator. */
static int
get_string(const uint8_t *f, size_t width, char *out)
{
	size_t n;

	for (n = 0; n < width && f[n] != 0; n++)
		;
	if (n == width || !all_zero(f + n, width - n))
		return (-1);
	if (out != NULL) {
		memcpy(out, f, n);
		out[n] = '\0';
	}
	return (0);
}

int
lp_tar_valid_name(const char *name)
{
	size_t i, n;
	char c;

	n = strlen(name);
	if (n == 0 || n > 99 || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return (0);
	for (i = 0; i < n; i++) {
		c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return (0);
	}
	return (1);
}

int
lp_tar_read(const uint8_t *data, size_t len, const char *where,
    struct lp_member *members, size_t *nmembers)
{
	const uint8_t *h;
	uint64_t size, sum, num;
	size_t i, n, off, padded;
	char name[LP_TAR_NAME_MAX];

	*nmembers = 0;
	if (len == 0)
		return (lp_fail(LP_EX_VERIFY, "%s: empty file: not a bundle",
		    where));
	if (len % BLOCK != 0)
		return (lp_fail(LP_EX_VERIFY, "%s: size %zu is not a multiple "
		    "of 512 bytes: the bundle is truncated or has trailing "
		    "garbage", where, len));
	n = 0;
	for (off = 0;;) {
		if (len - off < BLOCK)
			return (lp_fail(LP_EX_VERIFY, "%s: end-of-archive "
			    "marker missing: the bundle is truncated", where));
		h = data + off;
		if (all_zero(h, BLOCK)) {
			if (len - off < 2 * BLOCK ||
			    !all_zero(h + BLOCK, BLOCK))
				return (lp_fail(LP_EX_VERIFY, "%s: incomplete "
				    "end-of-archive marker at offset %zu",
				    where, off));
			if (!all_zero(h + 2 * BLOCK, len - off - 2 * BLOCK))
				return (lp_fail(LP_EX_VERIFY, "%s: non-zero "
				    "data after the end-of-archive marker",
				    where));
			break;
		}
		/* The checksum field is exactly six digits, NUL, space. */
		for (i = 148; i < 154; i++)
			if (h[i] < '0' || h[i] > '7')
				break;
		if (i != 154 || h[154] != 0 || h[155] != ' ' ||
		    get_octal(h + 148, 7, &sum) != 0 || sum != header_sum(h))
			return (lp_fail(LP_EX_VERIFY, "%s: header at offset "
			    "%zu: header checksum mismatch", where, off));
		if (memcmp(h + 257, "ustar", 6) != 0 ||
		    memcmp(h + 263, "00", 2) != 0)
			return (lp_fail(LP_EX_VERIFY, "%s: header at offset "
			    "%zu: not a POSIX ustar header", where, off));
		if (get_string(h, 100, name) != 0 || !lp_tar_valid_name(name))
			return (lp_fail(LP_EX_VERIFY, "%s: header at offset "
			    "%zu: invalid member name (a path, '..' or an "
			    "unusual character)", where, off));
		if (h[156] != '0')
			return (lp_fail(LP_EX_VERIFY, "%s: %s: not a regular "
			    "file (type '%c')", where, name,
			    h[156] >= 0x20 && h[156] < 0x7f ? h[156] : '?'));
		if (get_octal(h + 124, 12, &size) != 0)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: invalid size "
			    "field", where, name));
		if (get_octal(h + 100, 8, &num) != 0 ||
		    get_octal(h + 108, 8, &num) != 0 ||
		    get_octal(h + 116, 8, &num) != 0 ||
		    get_octal(h + 136, 12, &num) != 0)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: invalid mode, "
			    "owner or time field", where, name));
		if (!all_zero(h + 157, 100) || !all_zero(h + 345, 155) ||
		    !all_zero(h + 500, 12))
			return (lp_fail(LP_EX_VERIFY, "%s: %s: unexpected link "
			    "name, path prefix or padding in header", where,
			    name));
		if (get_string(h + 265, 32, NULL) != 0 ||
		    get_string(h + 297, 32, NULL) != 0)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: invalid owner "
			    "name field", where, name));
		off += BLOCK;
		/* size < 8^11: no overflow in rounding up. */
		padded = ((size_t)size + BLOCK - 1) / BLOCK * BLOCK;
		if (padded > len - off)
			return (lp_fail(LP_EX_VERIFY, "%s: %s: member data "
			    "runs past the end of the file: the bundle is "
			    "truncated", where, name));
		if (!all_zero(data + off + size, padded - (size_t)size))
			return (lp_fail(LP_EX_VERIFY, "%s: %s: non-zero "
			    "padding after member data", where, name));
		for (i = 0; i < n; i++)
			if (strcmp(members[i].name, name) == 0)
				return (lp_fail(LP_EX_VERIFY, "%s: %s: "
				    "duplicate member", where, name));
		if (n == LP_TAR_MAX_MEMBERS)
			return (lp_fail(LP_EX_VERIFY, "%s: more than %d "
			    "members", where, LP_TAR_MAX_MEMBERS));
		memcpy(members[n].name, name, sizeof(name));
		members[n].data = data + off;
		members[n].size = (size_t)size;
		n++;
		off += padded;
	}
	*nmembers = n;
	return (0);
}
