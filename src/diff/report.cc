// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Stage 7, report.  The text form follows the habit of kpatch-build that
// patch authors know ("kern_foo.o: changed function: foo"), with the reason
// on the same line; refusals carry their hint.

#include "fbsdlp/diff/report.h"

namespace fbsdlp::diff {

static nlohmann::json function_json(const Function &f) {
    nlohmann::json j{{"name", f.name}, {"why", f.why}, {"inlines", f.inlines}};
    if (f.first_change)
        j["first_change"] = {{"offset", f.first_change->offset},
                             {"orig", f.first_change->orig},
                             {"patched", f.first_change->patched}};
    return j;
}

nlohmann::json object_json(const Result &r) {
    nlohmann::json o;
    o["object"] = r.object;
    o["source_file"] = r.source_file;
    o["changed_functions"] = nlohmann::json::array();
    for (const auto &f : r.changed_functions)
        o["changed_functions"].push_back(function_json(f));
    o["new_functions"] = nlohmann::json::array();
    for (const auto &f : r.new_functions)
        o["new_functions"].push_back(function_json(f));
    o["deleted_functions"] = r.deleted_functions;
    o["new_data"] = r.new_data;
    o["refusals"] = nlohmann::json::array();
    for (const auto &x : r.refusals)
        o["refusals"].push_back(
            {{"symbol", x.symbol}, {"section", x.section}, {"reason", x.reason}, {"hint", x.hint}});
    o["kernel_symbols"] = nlohmann::json::array();
    for (const auto &k : r.kernel_symbols)
        o["kernel_symbols"].push_back({{"name", k.name}, {"bind", k.local ? "local" : "global"}});
    o["livepatch_relocations"] = r.livepatch_relocs;
    o["notes"] = r.notes;
    o["layout_checked"] = r.layout_checked;
    if (!r.layout_checked && !r.layout_skipped.empty())
        o["layout_skipped"] = r.layout_skipped;
    o["result"] = r.refused() ? "refused" : r.no_change() ? "no change" : "patch";
    return o;
}

nlohmann::json report_json(const std::vector<Result> &results) {
    nlohmann::json j{{"tool", "fbsd-patchgen"}, {"version", FBSDLP_VERSION}};
    j["objects"] = nlohmann::json::array();
    for (const Result &r : results)
        j["objects"].push_back(object_json(r));
    return j;
}

std::string report_text(const Result &r) {
    std::string s;
    for (const auto &f : r.changed_functions) {
        s += r.object + ": changed function: " + f.name + " (" + f.why + ")\n";
        if (f.first_change)
            s += "    first change at +0x" +
                 [&] {
                     char b[32];
                     snprintf(b, sizeof b, "%llx", (unsigned long long)f.first_change->offset);
                     return std::string(b);
                 }() +
                 ":\n      - " + f.first_change->orig + "\n      + " + f.first_change->patched +
                 "\n";
    }
    for (const auto &f : r.new_functions)
        s += r.object + ": new function: " + f.name + "\n";
    for (const auto &d : r.new_data)
        s += r.object + ": new data: " + d + "\n";
    for (const auto &d : r.deleted_functions)
        s += r.object + ": deleted function: " + d +
             " (the kernel's copy stays, unused by patched code)\n";
    for (const auto &n : r.notes)
        s += r.object + ": note: " + n + "\n";
    for (const auto &x : r.refusals) {
        s += r.object + ": refused: " + (x.section.empty() ? "" : "(" + x.section + ") ") +
             x.symbol + ": " + x.reason + "\n";
        if (!x.hint.empty())
            s += "    hint: " + x.hint + "\n";
    }
    if (!r.refused() && !r.no_change()) {
        size_t locals = 0;
        for (const auto &k : r.kernel_symbols)
            locals += k.local;
        s += r.object + ": " + std::to_string(r.kernel_symbols.size()) +
             " kernel symbols referenced (" + std::to_string(locals) + " local, via " +
             std::to_string(r.livepatch_relocs) + " livepatch relocations)\n";
    }
    if (r.no_change())
        s += r.object + ": no change\n";
    return s;
}

} // namespace fbsdlp::diff
