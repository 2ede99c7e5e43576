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
 * CR0.WP.  Text (the kernel image's, and each loaded file's) is mapped
 * read+exec.  disable_wp() clears the calling CPU's WP bit; since host
 * page protections are per process and not per CPU, the personality makes
 * every registered text region writable while any CPU has WP clear, and
 * read+exec again when the last one restores it.  Writes to text without
 * disable_wp() fault, as they would on FreeBSD.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/pcpu.h>
#include <sys/proc.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>

#include "fbsd_kern.h"

#define	TEXT_MAX	128

struct text_region {
	void	*start;
	size_t	len;
	int	prot;		/* its protection while WP is set */
};

static struct text_region texts[TEXT_MAX];
static int ntexts;
static int wp_clear;		/* CPUs with WP clear */
static bool cpu_wp[MAXCPU];
static struct fbsd_host_lock *wp_lock;

static void
wp_init(void)
{
	int i;

	if (wp_lock == NULL) {
		wp_lock = fbsd_host_lock_new();
		for (i = 0; i < MAXCPU; i++)
			cpu_wp[i] = true;
	}
}

static void
text_protect(int writable)
{
	int i, prot;

	for (i = 0; i < ntexts; i++) {
		prot = texts[i].prot | (writable ? FBSD_HOST_PROT_W : 0);
		if (fbsd_host_protect(texts[i].start, texts[i].len, prot) != 0)
			panic("cannot change the protection of text at %p",
			    texts[i].start);
	}
}

void
fbsd_text_register(void *start, size_t len, int prot)
{
	wp_init();
	fbsd_host_lock(wp_lock);
	if (ntexts == TEXT_MAX)
		panic("too many text regions");
	texts[ntexts].start = start;
	texts[ntexts].len = len;
	texts[ntexts].prot = prot;
	ntexts++;
	if (fbsd_host_protect(start, len, prot |
	    (wp_clear != 0 ? FBSD_HOST_PROT_W : 0)) != 0)
		panic("cannot protect text at %p", start);
	fbsd_host_unlock(wp_lock);
}

void
fbsd_text_unregister(void *start, size_t len)
{
	int i;

	wp_init();
	fbsd_host_lock(wp_lock);
	for (i = 0; i < ntexts; i++)
		if (texts[i].start == start && texts[i].len == len) {
			texts[i] = texts[--ntexts];
			break;
		}
	fbsd_host_unlock(wp_lock);
}

/*
 * FreeBSD's disable_wp() reads and clears CR0.WP of this CPU; it is
 * called with interrupts disabled or pinned, so the CPU does not change.
 */
bool
disable_wp(void)
{
	u_int cpu = curcpu;
	bool old;

	wp_init();
	fbsd_host_lock(wp_lock);
	old = cpu_wp[cpu];
	if (old) {
		cpu_wp[cpu] = false;
		if (wp_clear++ == 0)
			text_protect(1);
	}
	fbsd_counters.wp_opens++;
	fbsd_host_unlock(wp_lock);
	return (old);
}

void
restore_wp(bool old_wp)
{
	u_int cpu = curcpu;

	wp_init();
	fbsd_host_lock(wp_lock);
	if (old_wp && !cpu_wp[cpu]) {
		cpu_wp[cpu] = true;
		if (--wp_clear == 0)
			text_protect(0);
	}
	fbsd_host_unlock(wp_lock);
}
