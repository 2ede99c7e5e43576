// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Type-layout comparison of two versions of one object's DWARF.  A live
// patch replaces functions, never the memory the running kernel already
// holds: every structure, union, enumeration and typedef that old code
// (or any other object of the kernel) still uses must keep its layout, and
// every variable its type.  docs/layout-checks.md states the rules; the
// messages name the member, the old and new offset or size, and where the
// type is declared.

#include "fbsdlp/analysis/dwarf.h"

#include <unordered_map>

namespace fbsdlp::analysis {

namespace {

std::string where(const std::string &file, uint64_t line) {
    if (file.empty())
        return {};
    return " (declared at " + file + (line ? ":" + std::to_string(line) : "") + ")";
}

std::string type_desc(const DwMember &m) {
    return "'" + m.type + "' (" + std::to_string(m.type_size) + " bytes)";
}

std::string bits_desc(const DwMember &m) {
    return std::to_string(m.bit_size) + " bits at bit " + std::to_string(m.bit_offset);
}

// What changed in an aggregate, in member order of the patched version.
std::vector<std::string> aggregate_diff(const DwType &o, const DwType &p) {
    std::vector<std::string> out;
    std::unordered_map<std::string, const DwMember *> om, pm;
    for (const auto &m : o.members)
        om.emplace(m.name, &m);
    for (const auto &m : p.members)
        pm.emplace(m.name, &m);
    for (const auto &m : p.members) {
        auto it = om.find(m.name);
        if (it == om.end()) {
            out.push_back("member '" + m.name + "' added at offset " + std::to_string(m.offset) +
                          " (" + std::to_string(m.type_size) + " bytes)" +
                          (m.offset < o.size ? ", inside the old layout" : ", after the old end"));
            continue;
        }
        const DwMember &x = *it->second;
        if (x.offset != m.offset)
            out.push_back("member '" + m.name + "' moved from offset " + std::to_string(x.offset) +
                          " to " + std::to_string(m.offset));
        if (x.type != m.type || x.type_size != m.type_size)
            out.push_back("member '" + m.name + "' changed type from " + type_desc(x) + " to " +
                          type_desc(m));
        if (x.bit_size != m.bit_size || x.bit_offset != m.bit_offset)
            out.push_back("member '" + m.name + "' bit field changed from " + bits_desc(x) +
                          " to " + bits_desc(m));
    }
    for (const auto &m : o.members)
        if (!pm.count(m.name))
            out.push_back("member '" + m.name + "' at offset " + std::to_string(m.offset) +
                          " removed");
    if (o.size != p.size)
        out.push_back("size changed from " + std::to_string(o.size) + " to " +
                      std::to_string(p.size) + " bytes");
    return out;
}

std::vector<std::string> enum_diff(const DwType &o, const DwType &p) {
    std::vector<std::string> out;
    std::unordered_map<std::string, int64_t> pv(p.enumerators.begin(), p.enumerators.end());
    for (const auto &[name, value] : o.enumerators) {
        auto it = pv.find(name);
        if (it == pv.end())
            out.push_back("enumerator " + name + " (" + std::to_string(value) + ") removed");
        else if (it->second != value)
            out.push_back("enumerator " + name + " changed value from " + std::to_string(value) +
                          " to " + std::to_string(it->second));
    }
    // New enumerators with new values leave every old value intact; only
    // a size change or a shifted value is a layout change.
    if (o.size != p.size)
        out.push_back("size changed from " + std::to_string(o.size) + " to " +
                      std::to_string(p.size) + " bytes");
    return out;
}

std::string join(const std::vector<std::string> &v) {
    std::string s;
    for (size_t i = 0; i < v.size(); i++) {
        if (i == 4) {
            s += "; and " + std::to_string(v.size() - 4) + " more";
            break;
        }
        s += (i ? "; " : "") + v[i];
    }
    return s;
}

} // namespace

std::vector<LayoutChange> layout_diff(const DwarfInfo &orig, const DwarfInfo &patched) {
    std::vector<LayoutChange> out;
    for (const auto &[key, o] : orig.types) {
        auto it = patched.types.find(key);
        if (it == patched.types.end())
            continue; // no longer used by this object: nothing of ours reads it
        const DwType &p = it->second;
        std::vector<std::string> diffs;
        if (o.kind == DwType::Enum)
            diffs = enum_diff(o, p);
        else if (o.kind == DwType::Typedef) {
            if (o.target != p.target || o.size != p.size)
                diffs.push_back("now names '" + p.target + "' (" + std::to_string(p.size) +
                                " bytes) instead of '" + o.target + "' (" + std::to_string(o.size) +
                                " bytes)");
        } else
            diffs = aggregate_diff(o, p);
        if (diffs.empty())
            continue;
        out.push_back({key, join(diffs) + where(p.file, p.line), orig.used_types.count(key) != 0});
    }
    for (const auto &[key, o] : orig.variables) {
        auto it = patched.variables.find(key);
        if (it == patched.variables.end())
            continue;
        const DwVariable &p = it->second;
        if (o.type == p.type && o.size == p.size)
            continue;
        // Read-only data is copied into the patch, with every function
        // that uses it (select.cc); its old copy is never written.
        if (o.type.starts_with("const ") && p.type.starts_with("const "))
            continue;
        out.push_back({"variable " + key,
                       "type changed from '" + o.type + "' (" + std::to_string(o.size) +
                           " bytes) to '" + p.type + "' (" + std::to_string(p.size) + " bytes)" +
                           where(p.file, p.line),
                       true});
    }
    return out;
}

} // namespace fbsdlp::analysis
