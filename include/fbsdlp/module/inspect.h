// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// What a patch object (fbsd-patchgen diff output) or patch module (.ko)
// contains, decoded from the ABI sections of kmod-template/include/
// fbsdlp_abi.h: patch info, function records with their masks, the
// relocations of the new functions, livepatch relocations and hooks.
// Every pointer field is followed through its R_X86_64_64 relocation, as
// the kernel linker would; anything out of range is an error, never a
// guess.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fbsdlp::module {

struct InspectedInfo {
    std::string name;
    std::string build_id; // hex, of the target kernel
    uint32_t freebsd_version = 0;
    std::string tool_version;
    uint32_t abi_version = 0;
    uint32_t flags = 0;
    std::string diff_sha256;        // hex
    std::vector<std::string> fixes; // hex SHA-256 of each fix carried
};

struct InspectedReloc {  // an ELF relocation of a new function
    uint64_t offset = 0; // from the function's start
    std::string type;    // "R_X86_64_PLT32"
    std::string target;  // symbol, or section+offset
    int64_t addend = 0;
};

struct InspectedFunction {
    std::string new_symbol;
    std::string old_name;
    std::string objname;
    uint32_t old_size = 0, new_size = 0, sympos = 0, flags = 0;
    uint64_t old_hash = 0;
    std::vector<std::pair<uint32_t, uint32_t>> masks; // (offset, len)
    std::vector<InspectedReloc> relocations;
};

struct InspectedLpReloc {
    std::string place; // "function+0x12"
    std::string symbol;
    std::string objname;
    int64_t addend = 0;
    uint32_t type = 0;
    uint32_t sympos = 0;
};

// The kld module metadata (set_modmetadata_set), with FreeBSD's layouts
// (sys/module.h): what kldload(2) registers and which modules it needs.
struct InspectedDepend {
    std::string module;
    int minimum = 0, preferred = 0, maximum = 0;
};
struct InspectedKld {
    struct Module {
        std::string name;    // moduledata_t name: what modfind(2) finds
        std::string handler; // its event handler, or "" for none
    };
    std::vector<Module> modules;                       // MDT_MODULE
    std::vector<std::pair<std::string, int>> versions; // MDT_VERSION: name, version
    std::vector<InspectedDepend> depends;              // MDT_DEPEND
};

struct Inspection {
    std::string file;
    std::optional<InspectedInfo> info; // absent in a diff object
    std::string module_build_id;       // the file's own .note.gnu.build-id, hex
    std::vector<InspectedFunction> functions;
    std::vector<InspectedLpReloc> livepatch_relocs;
    std::map<std::string, std::vector<std::string>> hooks; // kind -> functions
    std::vector<std::string> undefined;                    // left to the kernel linker
    std::optional<InspectedKld> kld;                       // absent: no module metadata
};

// Throws fbsdlp::Error naming the file and the record on invalid input.
Inspection inspect(const std::string &path);
// The same for a file already in memory; name is used in messages.
Inspection inspect_bytes(const std::string &name, const std::vector<uint8_t> &bytes);

nlohmann::json inspection_json(const Inspection &in);
std::string inspection_text(const Inspection &in);

} // namespace fbsdlp::module
