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

/* machine/elf.h, sys/elf64.h, sys/elf_common.h: what the linker needs. */

#ifndef _MACHINE_ELF_H_
#define _MACHINE_ELF_H_

#include <sys/_fbsd.h>

typedef uint64_t	Elf64_Addr;
typedef uint16_t	Elf64_Half;
typedef uint64_t	Elf64_Off;
typedef int32_t		Elf64_Sword;
typedef int64_t		Elf64_Sxword;
typedef uint32_t	Elf64_Word;
typedef uint64_t	Elf64_Xword;
typedef uint64_t	Elf64_Size;

typedef struct {
	unsigned char	e_ident[16];
	Elf64_Half	e_type;
	Elf64_Half	e_machine;
	Elf64_Word	e_version;
	Elf64_Addr	e_entry;
	Elf64_Off	e_phoff;
	Elf64_Off	e_shoff;
	Elf64_Word	e_flags;
	Elf64_Half	e_ehsize;
	Elf64_Half	e_phentsize;
	Elf64_Half	e_phnum;
	Elf64_Half	e_shentsize;
	Elf64_Half	e_shnum;
	Elf64_Half	e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	Elf64_Word	sh_name;
	Elf64_Word	sh_type;
	Elf64_Xword	sh_flags;
	Elf64_Addr	sh_addr;
	Elf64_Off	sh_offset;
	Elf64_Xword	sh_size;
	Elf64_Word	sh_link;
	Elf64_Word	sh_info;
	Elf64_Xword	sh_addralign;
	Elf64_Xword	sh_entsize;
} Elf64_Shdr;

typedef struct {
	Elf64_Word	st_name;
	unsigned char	st_info;
	unsigned char	st_other;
	Elf64_Half	st_shndx;
	Elf64_Addr	st_value;
	Elf64_Xword	st_size;
} Elf64_Sym;

typedef struct {
	Elf64_Addr	r_offset;
	Elf64_Xword	r_info;
} Elf64_Rel;

typedef struct {
	Elf64_Addr	r_offset;
	Elf64_Xword	r_info;
	Elf64_Sxword	r_addend;
} Elf64_Rela;

typedef struct {
	Elf64_Word	n_namesz;
	Elf64_Word	n_descsz;
	Elf64_Word	n_type;
} Elf_Note;

typedef Elf64_Addr	Elf_Addr;
typedef Elf64_Word	Elf_Word;
typedef Elf64_Size	Elf_Size;
typedef Elf64_Off	Elf_Off;
typedef Elf64_Ehdr	Elf_Ehdr;
typedef Elf64_Shdr	Elf_Shdr;
typedef Elf64_Sym	Elf_Sym;
typedef Elf64_Rel	Elf_Rel;
typedef Elf64_Rela	Elf_Rela;

#define	ELF64_R_SYM(info)	((info) >> 32)
#define	ELF64_R_TYPE(info)	((info) & 0xffffffffL)
#define	ELF_R_SYM(info)		ELF64_R_SYM(info)
#define	ELF_R_TYPE(info)	ELF64_R_TYPE(info)
#define	ELF64_ST_BIND(info)	((info) >> 4)
#define	ELF64_ST_TYPE(info)	((info) & 0xf)
#define	ELF_ST_BIND(info)	ELF64_ST_BIND(info)
#define	ELF_ST_TYPE(info)	ELF64_ST_TYPE(info)

#define	ELFCLASS64	2
#define	ELFDATA2LSB	1
#define	EV_CURRENT	1
#define	ET_REL		1
#define	EM_X86_64	62

#define	SHT_NULL	0
#define	SHT_PROGBITS	1
#define	SHT_SYMTAB	2
#define	SHT_STRTAB	3
#define	SHT_RELA	4
#define	SHT_NOTE	7
#define	SHT_NOBITS	8
#define	SHT_REL		9
#define	SHT_INIT_ARRAY	14
#define	SHT_FINI_ARRAY	15
#define	SHT_GROUP	17
#define	SHT_X86_64_UNWIND 0x70000001

#define	SHF_WRITE	0x1
#define	SHF_ALLOC	0x2
#define	SHF_EXECINSTR	0x4

#define	SHN_UNDEF	0
#define	SHN_LORESERVE	0xff00
#define	SHN_ABS		0xfff1
#define	SHN_COMMON	0xfff2

#define	STB_LOCAL	0
#define	STB_GLOBAL	1
#define	STB_WEAK	2
#define	STT_NOTYPE	0
#define	STT_OBJECT	1
#define	STT_FUNC	2
#define	STT_SECTION	3
#define	STT_FILE	4
#define	STT_GNU_IFUNC	10

#define	NT_GNU_BUILD_ID	3

#define	R_X86_64_NONE		0
#define	R_X86_64_64		1
#define	R_X86_64_PC32		2
#define	R_X86_64_GOT32		3
#define	R_X86_64_PLT32		4
#define	R_X86_64_COPY		5
#define	R_X86_64_GLOB_DAT	6
#define	R_X86_64_JMP_SLOT	7
#define	R_X86_64_RELATIVE	8
#define	R_X86_64_GOTPCREL	9
#define	R_X86_64_32		10
#define	R_X86_64_32S		11
#define	R_X86_64_IRELATIVE	37

#endif /* !_MACHINE_ELF_H_ */
