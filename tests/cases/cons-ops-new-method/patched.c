/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/cons.h>

/*
 * A low-level console driver: its methods are reached only through
 * the const method table and the consdev in the linker set cons_set.
 */
static volatile uint8_t *foo_cn_regs;

void	foo_cn_setregs(volatile uint8_t *regs);

void
foo_cn_setregs(volatile uint8_t *regs)
{
	foo_cn_regs = regs;
}

static cn_probe_t	foo_cnprobe;
static cn_init_t	foo_cninit;
static cn_term_t	foo_cnterm;
static cn_getc_t	foo_cngetc;
static cn_putc_t	foo_cnputc;
static cn_grab_t	foo_cngrab;
static cn_ungrab_t	foo_cnungrab;
static void		foo_cnresume(struct consdev *);

static void
foo_cnprobe(struct consdev *cp)
{
	cp->cn_pri = foo_cn_regs != NULL ? CN_NORMAL : CN_DEAD;
}

static void
foo_cninit(struct consdev *cp)
{
	foo_cn_regs[1] = 0x03;
}

static void
foo_cnterm(struct consdev *cp)
{
}

static int
foo_cngetc(struct consdev *cp)
{
	if ((foo_cn_regs[5] & 0x01) == 0)
		return (-1);
	return (foo_cn_regs[0]);
}

static void
foo_cnputc(struct consdev *cp, int c)
{
	while ((foo_cn_regs[5] & 0x20) == 0)
		;
	foo_cn_regs[0] = c;
}

static void
foo_cngrab(struct consdev *cp)
{
}

static void
foo_cnungrab(struct consdev *cp)
{
}

static void
foo_cnresume(struct consdev *cp)
{
	foo_cninit(cp);
}

CONSOLE_DRIVER(foo, .cn_resume = foo_cnresume);
