// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The patch ABI: the hash, the record layout, and the records the emitter
// writes, decoded from a real patch object.

#include "harness.h"

#include "fbsdlp/diff/diff.h"
#include "fbsdlp/elf/object.h"
#include "fbsdlp_abi.h"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstring>
#include <elf.h>
#include <fstream>

using namespace fbsdlp;
using namespace fbsdlp::test;

TEST_CASE("fbsdlp_hash_masked is FNV-1a with masked bytes read as zero", "[abi]") {
    CHECK(fbsdlp_hash_masked(nullptr, 0, nullptr, 0) == 0xcbf29ce484222325ull);
    const fbsdlp_u8 a[] = {'a'};
    CHECK(fbsdlp_hash_masked(a, 1, nullptr, 0) == 0xaf63dc4c8601ec8cull);
    const fbsdlp_u8 x[] = {1, 2, 3, 4, 5, 6}, y[] = {1, 0, 0, 4, 5, 0};
    fbsdlp_mask m[] = {{1, 2}, {5, 1}};
    CHECK(fbsdlp_hash_masked(x, 6, m, 2) == fbsdlp_hash_masked(y, 6, nullptr, 0));
    CHECK(fbsdlp_hash_masked(x, 6, m, 1) != fbsdlp_hash_masked(y, 6, nullptr, 0));
}

TEST_CASE("record layout is fixed", "[abi]") {
    CHECK(offsetof(fbsdlp_func, new_addr) == 0);
    CHECK(offsetof(fbsdlp_func, old_name) == 8);
    CHECK(offsetof(fbsdlp_func, objname) == 16);
    CHECK(offsetof(fbsdlp_func, masks) == 24);
    CHECK(offsetof(fbsdlp_func, old_hash) == 32);
    CHECK(offsetof(fbsdlp_func, old_size) == 40);
    CHECK(offsetof(fbsdlp_reloc, place) == 0);
    CHECK(offsetof(fbsdlp_reloc, addend) == 24);
    CHECK(offsetof(fbsdlp_reloc, type) == 32);
    CHECK(offsetof(fbsdlp_patch_info, build_id) == 40);
}

namespace {

struct Built {
    elf::ObjectFile orig, patched;
};

Built build_pair(const std::string &cc) {
    std::string w = work_dir("unit/abi-" + cc);
    const char *common = "#include <sys/param.h>\n#include <sys/systm.h>\n"
                         "static int counter;\nint total;\n"
                         "void note(int);\n";
    std::ofstream(w + "/a.c")
        << common << "int api(int x) { counter += x; total++; note(counter); return x > 100; }\n";
    std::ofstream(w + "/b.c")
        << common << "int api(int x) { counter += x; total++; note(counter); return x >= 100; }\n";
    auto r1 = compile_kernel_c(cc, w + "/a.c", w + "/o", "abi");
    auto r2 = compile_kernel_c(cc, w + "/b.c", w + "/p", "abi");
    REQUIRE(r1.status == 0);
    REQUIRE(r2.status == 0);
    return {elf::ObjectFile::load(w + "/o/abi.o"), elf::ObjectFile::load(w + "/p/abi.o")};
}

const elf::Section &section(const elf::ObjectFile &o, std::string_view name) {
    for (const auto &s : o.sections())
        if (s.name == name)
            return s;
    FAIL("no section " << name);
    return o.sections()[0];
}

const elf::Symbol &symbol(const elf::ObjectFile &o, std::string_view name) {
    for (const auto &s : o.symbols())
        if (s.name == name && s.defined())
            return s;
    FAIL("no symbol " << name);
    return o.symbols()[0];
}

// The relocation at offset off of section sec, as (symbol name or section
// name, addend).
std::pair<std::string, int64_t> reloc_at(const elf::ObjectFile &o, const elf::Section &sec,
                                         uint64_t off) {
    for (const auto &r : o.relocs(sec.index))
        if (r.offset == off) {
            const auto &s = o.symbol(r.sym);
            return {std::string(s.is_section() ? o.section(s.shndx).name : s.name), r.addend};
        }
    return {"", 0};
}

std::string string_at(const elf::ObjectFile &o, int64_t off) {
    const auto &s = section(o, FBSDLP_SEC_STRINGS);
    return reinterpret_cast<const char *>(s.data.data() + off);
}

} // namespace

TEST_CASE("function and livepatch relocation records decode to the right values", "[abi]") {
    for (const char *cc : {"clang", "gcc"}) {
        DYNAMIC_SECTION(cc) {
            Built b = build_pair(cc);
            diff::Result r = diff::diff_objects(b.orig, b.patched, {});
            REQUIRE(r.changed_functions.size() == 1);
            REQUIRE(r.changed_functions[0].name == "api");
            elf::ObjectFile out = elf::ObjectFile::parse("out.o", r.output);

            // One function record for api.
            const auto &funcs = section(out, FBSDLP_SEC_FUNCS);
            REQUIRE(funcs.size == sizeof(fbsdlp_func));
            fbsdlp_func rec;
            std::memcpy(&rec, funcs.data.data(), sizeof rec);
            CHECK(reloc_at(out, funcs, offsetof(fbsdlp_func, new_addr)).first == "api");
            auto name = reloc_at(out, funcs, offsetof(fbsdlp_func, old_name));
            CHECK(name.first == FBSDLP_SEC_STRINGS);
            CHECK(string_at(out, name.second) == "api");
            CHECK(string_at(out, reloc_at(out, funcs, offsetof(fbsdlp_func, objname)).second) ==
                  "abi.c");

            // Size and hash describe the original function, masking exactly
            // its relocation fields.
            const auto &oapi = symbol(b.orig, "api");
            CHECK(rec.old_size == oapi.size);
            const auto &osec = b.orig.section(oapi.shndx);
            std::vector<fbsdlp_mask> expect_masks;
            for (const auto &rl : b.orig.relocs(osec.index))
                expect_masks.push_back(
                    {uint32_t(rl.offset - oapi.value), elf::reloc_field_size(rl.type)});
            REQUIRE(rec.nmasks == expect_masks.size());
            auto masks_at = reloc_at(out, funcs, offsetof(fbsdlp_func, masks));
            CHECK(masks_at.first == FBSDLP_SEC_MASKS);
            const auto &ms = section(out, FBSDLP_SEC_MASKS);
            std::vector<fbsdlp_mask> got(rec.nmasks);
            std::memcpy(got.data(), ms.data.data() + masks_at.second,
                        rec.nmasks * sizeof(fbsdlp_mask));
            for (size_t i = 0; i < got.size(); i++) {
                CHECK(got[i].offset == expect_masks[i].offset);
                CHECK(got[i].len == expect_masks[i].len);
            }
            CHECK(rec.old_hash == fbsdlp_hash_masked(osec.data.data() + oapi.value,
                                                     uint32_t(oapi.size), got.data(), rec.nmasks));

            // The static 'counter' is a livepatch relocation; the global
            // 'total' and the function 'note' stay undefined.
            const auto &lr = section(out, FBSDLP_SEC_RELOCS);
            REQUIRE(lr.size % sizeof(fbsdlp_reloc) == 0);
            REQUIRE(lr.size >= sizeof(fbsdlp_reloc));
            for (size_t i = 0; i < lr.size / sizeof(fbsdlp_reloc); i++) {
                fbsdlp_reloc x;
                std::memcpy(&x, lr.data.data() + i * sizeof x, sizeof x);
                CHECK(
                    string_at(out, reloc_at(out, lr, i * sizeof x + offsetof(fbsdlp_reloc, symname))
                                       .second) == "counter");
                auto place = reloc_at(out, lr, i * sizeof x + offsetof(fbsdlp_reloc, place));
                CHECK(place.first == ".text.api");
                CHECK((x.type == R_X86_64_PC32 || x.type == R_X86_64_32S));
                // The field the runtime fills is left zero.
                const auto &text = section(out, ".text.api");
                uint32_t field;
                std::memcpy(&field, text.data.data() + place.second, 4);
                CHECK(field == 0);
            }
            bool total_undef = false, note_undef = false;
            for (const auto &s : out.symbols()) {
                total_undef |= s.name == "total" && !s.defined();
                note_undef |= s.name == "note" && !s.defined();
            }
            CHECK(total_undef);
            CHECK(note_undef);
        }
    }
}
