/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Local const arrays: clang materialises the initialiser from an unnamed
 * read-only object (.rodata..L__const.<function>.<var>, no symbol,
 * referenced through its section); GCC stores immediates.
 */
struct foo_hw {
	volatile uint32_t	*hw_regs;
};

void	foo_hw_init(struct foo_hw *hw);
void	foo_hw_reset(struct foo_hw *hw);

void
foo_hw_init(struct foo_hw *hw)
{
	const uint32_t init[24] = {
		0x00000011, 0x00002222, 0x00333333, 0x00000044,
		0x00000055, 0x00006666, 0x00007777, 0x00000088,
		0x00000099, 0x000000aa, 0x000000bb, 0x000000cc,
		0x000000d1, 0x000000e2, 0x000000f3, 0x00000104,
		0x00000115, 0x00000126, 0x00000137, 0x00000148,
		0x00000159, 0x0000016a, 0x0000017b, 0x0000019d,
	};
	int i;

	for (i = 0; i < 24; i++)
		hw->hw_regs[i] = init[i] ^ hw->hw_regs[i + 24];
}

void
foo_hw_reset(struct foo_hw *hw)
{
	const uint32_t rst[20] = {
		0x80000000, 0x00000001, 0x00000002, 0x00000003,
		0x00000004, 0x00000005, 0x00000006, 0x00000007,
		0x00000008, 0x00000009, 0x0000000a, 0x0000000b,
		0x0000000c, 0x0000000d, 0x0000000e, 0x0000000f,
		0x00000010, 0x00000011, 0x00000012, 0x00000013,
	};
	int i;

	for (i = 0; i < 20; i++)
		hw->hw_regs[i] = rst[i] | hw->hw_regs[i + 20];
}
