// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// fbsd-patchgen inspect on a real patch module (diff object + patch info,
// linked with ld.lld -r as the link stage does), then on damaged copies of
// it: every damaged file must end in fbsdlp::Error, never a crash or a
// silently wrong table (these tests also run under ASan+UBSan).

#include "harness.h"

#include "fbsdlp/module/inspect.h"
#include "fbsdlp/module/link.h"
#include "fbsdlp/util/error.h"
#include "fbsdlp_abi.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <random>

using namespace fbsdlp;
using namespace fbsdlp::test;

namespace {

std::vector<uint8_t> read_bytes(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string &path, const std::vector<uint8_t> &b) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char *>(b.data()), std::streamsize(b.size()));
}

const char kOrig[] = "#include <sys/param.h>\n#include <sys/systm.h>\n"
                     "static int foo_limit = 16;\nint foo_hits;\n"
                     "int foo_check(int n);\nvoid foo_set_limit(int l);\n"
                     "void foo_set_limit(int l) { foo_limit = l; }\n"
                     "int foo_check(int n) { if (n > foo_limit) { printf(\"too big %d\\n\", n); "
                     "return -1; } foo_hits++; return n; }\n";

struct Module {
    std::string dir, ko;
    std::vector<uint8_t> bytes;
};

const Module &sample_module() {
    static Module m = [] {
        Module r;
        r.dir = work_dir("unit/inspect");
        std::string patched = kOrig;
        patched.replace(patched.find("n > foo_limit"), 13, "n >= foo_limit");
        std::ofstream(r.dir + "/orig.c") << kOrig;
        std::ofstream(r.dir + "/patched.c") << patched;
        REQUIRE(compile_kernel_c("clang", r.dir + "/orig.c", r.dir + "/o", "foo").status == 0);
        REQUIRE(compile_kernel_c("clang", r.dir + "/patched.c", r.dir + "/p", "foo").status == 0);
        auto d = run(patchgen() + " diff " + r.dir + "/o/foo.o " + r.dir + "/p/foo.o -o " + r.dir +
                     "/diff.o");
        INFO(d.output);
        REQUIRE(d.status == 0);
        module::PatchInfo pi;
        pi.name = "foo_check_fix";
        pi.build_id = "00112233445566778899aabbccddeeff00112233";
        pi.freebsd_version = 1500000;
        pi.diff_sha256 = std::string(64, 'a');
        write_bytes(r.dir + "/info.o", module::info_object(pi));
        r.ko = r.dir + "/foo_check_fix.ko";
        module::link_module({r.dir + "/diff.o", r.dir + "/info.o"}, r.ko);
        r.bytes = read_bytes(r.ko);
        return r;
    }();
    return m;
}

// File offset and header index of a section, read from the raw headers.
struct Where {
    uint64_t offset = 0, size = 0;
    size_t shdr_at = 0;
};

Where section(const std::vector<uint8_t> &b, const std::string &name) {
    Elf64_Ehdr eh;
    std::memcpy(&eh, b.data(), sizeof eh);
    Elf64_Shdr strs;
    std::memcpy(&strs, b.data() + eh.e_shoff + eh.e_shstrndx * sizeof(Elf64_Shdr), sizeof strs);
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh;
        size_t at = eh.e_shoff + i * sizeof sh;
        std::memcpy(&sh, b.data() + at, sizeof sh);
        if (name == reinterpret_cast<const char *>(b.data() + strs.sh_offset + sh.sh_name))
            return {sh.sh_offset, sh.sh_size, at};
    }
    FAIL("no section " << name);
    return {};
}

std::string inspect_error(const std::vector<uint8_t> &bytes, const std::string &path) {
    write_bytes(path, bytes);
    try {
        module::inspect(path);
    } catch (const Error &e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("inspect decodes a real patch module", "[inspect]") {
    const Module &m = sample_module();
    module::Inspection in = module::inspect(m.ko);
    REQUIRE(in.info.has_value());
    CHECK(in.info->name == "foo_check_fix");
    CHECK(in.info->build_id == "00112233445566778899aabbccddeeff00112233");
    CHECK(in.info->freebsd_version == 1500000);
    CHECK(in.info->abi_version == FBSDLP_ABI_VERSION);
    CHECK(in.info->tool_version == FBSDLP_VERSION);
    REQUIRE(in.functions.size() == 1);
    const auto &f = in.functions[0];
    CHECK(f.new_symbol == "foo_check");
    CHECK(f.old_name == "foo_check");
    CHECK(f.objname == "foo.c");
    CHECK(f.new_size > 0);
    CHECK_FALSE(f.masks.empty()); // the relocation fields of the old code
    // The static foo_limit is a livepatch relocation; printf and foo_hits
    // are left to the kernel linker.
    REQUIRE(in.livepatch_relocs.size() >= 1);
    CHECK(in.livepatch_relocs[0].symbol == "foo_limit");
    CHECK(in.livepatch_relocs[0].place.rfind("foo_check+", 0) == 0);
    CHECK(std::count(in.undefined.begin(), in.undefined.end(), "printf") == 1);
    bool calls_printf = false;
    for (const auto &r : f.relocations)
        calls_printf |= r.target == "printf" && r.type == "R_X86_64_PLT32";
    CHECK(calls_printf);

    auto j = module::inspection_json(in);
    CHECK(j.at("functions").at(0).at("old_name") == "foo_check");
    CHECK(j.at("info").at("target_build_id") == "00112233445566778899aabbccddeeff00112233");
    std::string t = module::inspection_text(in);
    CHECK(t.find("foo_check_fix") != std::string::npos);
    CHECK(t.find("livepatch relocations (" + std::to_string(in.livepatch_relocs.size()) + ")") !=
          std::string::npos);

    // The CLI prints the same, and fails cleanly on something else.
    auto r = run(patchgen() + " inspect --json " + shell_quote(m.ko));
    REQUIRE(r.status == 0);
    CHECK(nlohmann::json::parse(r.output) == j);
    auto bad = run(patchgen() + " inspect " + shell_quote(m.dir + "/o/foo.o"));
    CHECK(bad.status == 1);
    CHECK(bad.output.find("not a live-patch object or module") != std::string::npos);
}

TEST_CASE("inspect refuses damaged modules with a clear error", "[inspect][hostile]") {
    const Module &m = sample_module();
    std::string p = m.dir + "/bad.ko";

    SECTION("too many masks") {
        auto b = m.bytes;
        Where w = section(b, FBSDLP_SEC_FUNCS);
        uint32_t huge = 0xffffffffu;
        std::memcpy(b.data() + w.offset + offsetof(fbsdlp_func, nmasks), &huge, 4);
        CHECK(inspect_error(b, p).find("masks") != std::string::npos);
    }
    SECTION("masks past the end of their section") {
        auto b = m.bytes;
        Where w = section(b, FBSDLP_SEC_FUNCS);
        uint32_t many = 100000;
        std::memcpy(b.data() + w.offset + offsetof(fbsdlp_func, nmasks), &many, 4);
        CHECK(inspect_error(b, p).find("masks run past the end") != std::string::npos);
    }
    SECTION("bad info magic") {
        auto b = m.bytes;
        Where w = section(b, FBSDLP_SEC_INFO);
        b[w.offset] ^= 0xff;
        CHECK(inspect_error(b, p).find("bad magic") != std::string::npos);
    }
    SECTION("build-id length out of range") {
        auto b = m.bytes;
        Where w = section(b, FBSDLP_SEC_INFO);
        uint32_t len = 200;
        std::memcpy(b.data() + w.offset + offsetof(fbsdlp_patch_info, build_id_len), &len, 4);
        CHECK(inspect_error(b, p).find("build_id_len") != std::string::npos);
    }
    SECTION("strings without a terminator") {
        auto b = m.bytes;
        Where w = section(b, FBSDLP_SEC_STRINGS);
        std::memset(b.data() + w.offset, 'A', w.size);
        CHECK(inspect_error(b, p).find("not terminated") != std::string::npos);
    }
    SECTION("record array with a partial record") {
        auto b = m.bytes;
        Where w = section(b, FBSDLP_SEC_FUNCS);
        uint64_t size = w.size - 8;
        std::memcpy(b.data() + w.shdr_at + offsetof(Elf64_Shdr, sh_size), &size, 8);
        CHECK_FALSE(inspect_error(b, p).empty());
    }
    SECTION("every truncation") {
        for (size_t n = 0; n < m.bytes.size(); n += 1 + m.bytes.size() / 97) {
            std::vector<uint8_t> b(m.bytes.begin(), m.bytes.begin() + long(n));
            INFO("truncated to " << n << " bytes");
            CHECK_FALSE(inspect_error(b, p).empty());
        }
    }
    SECTION("random byte flips never crash") {
        std::mt19937 rng(20260125);
        for (int i = 0; i < 300; i++) {
            auto b = m.bytes;
            for (int k = 0; k < 4; k++)
                b[rng() % b.size()] ^= uint8_t(1 + rng() % 255);
            write_bytes(p, b);
            try {
                module::inspect(p); // may still be valid: then it decodes
            } catch (const Error &) {
            }
        }
    }
}
