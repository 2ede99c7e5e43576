// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/module/target_check.h"
#include "fbsdlp/util/hex.h"
#include "fbsdlp_abi.h"

namespace fbsdlp::module {

namespace {

std::string where(const InspectedFunction &f) {
    return "function '" + f.old_name + "' (" + f.objname +
           (f.sympos ? ", position " + std::to_string(f.sympos) : "") + ")";
}

bool masked(const std::vector<std::pair<uint32_t, uint32_t>> &masks, uint32_t at) {
    for (auto [off, len] : masks)
        if (at >= off && at - off < len)
            return true;
    return false;
}

// The first offset where two copies of a function differ outside the
// masks, or size when they do not.
uint32_t first_difference(const uint8_t *a, const uint8_t *b, uint32_t size,
                          const std::vector<std::pair<uint32_t, uint32_t>> &masks) {
    for (uint32_t i = 0; i < size; i++)
        if (a[i] != b[i] && !masked(masks, i))
            return i;
    return size;
}

} // namespace

std::vector<std::string> check_old_functions(const Inspection &module, const KernelImage &target,
                                             const KernelImage &reference) {
    std::vector<std::string> problems;
    const std::string rebuilt = "the rebuild with function sections";
    for (const InspectedFunction &f : module.functions) {
        bool ambiguous = false;
        const ImageSymbol *s = target.lookup(f.old_name, f.objname, f.sympos, &ambiguous);
        if (!s) {
            problems.push_back(where(f) + (ambiguous ? " is ambiguous in " : " is not in ") +
                               target.path);
            continue;
        }
        if (s->size != f.old_size) {
            problems.push_back(where(f) + ": " + std::to_string(s->size) + " bytes in " +
                               target.path + ", " + std::to_string(f.old_size) + " in " + rebuilt +
                               ": the kernel was built with other flags, compiler or source; "
                               "the patch would not match it");
            continue;
        }
        const uint8_t *code = target.code_at(s->value, s->size);
        if (!code) {
            problems.push_back(where(f) + ": its bytes are not in an executable section of " +
                               target.path);
            continue;
        }
        std::vector<fbsdlp_mask> m;
        for (auto [off, len] : f.masks)
            m.push_back({off, len});
        uint64_t h = fbsdlp_hash_masked(code, uint32_t(s->size), m.data(), uint32_t(m.size()));
        if (h == f.old_hash)
            continue;
        std::string at;
        const ImageSymbol *r = reference.lookup(f.old_name, f.objname, f.sympos);
        const uint8_t *rcode =
            r && r->size == s->size ? reference.code_at(r->value, r->size) : nullptr;
        if (rcode && &reference != &target) {
            uint32_t d = first_difference(code, rcode, uint32_t(s->size), f.masks);
            if (d < s->size)
                at = ", first at +" + hex_number(d) + " (" + "0x" + to_hex(code + d, 1) +
                     " there, " + "0x" + to_hex(rcode + d, 1) + " in " + rebuilt + ")";
        }
        problems.push_back(where(f) + ": the code in " + target.path + " differs from " + rebuilt +
                           at +
                           ": the kernel was built with other flags, compiler or source; "
                           "the patch would not match it");
    }
    return problems;
}

} // namespace fbsdlp::module
