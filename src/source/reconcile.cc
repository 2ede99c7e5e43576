// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Reconciliation: the binary diff says which functions changed, the source
// says which definitions the fix touched.  Every changed function must be
// explained by the fix; one that is not usually means the two builds
// differ in flags, compiler or environment, and such a patch must not ship.
// Every touched function must show up somewhere, or the author should know
// why not.

#include "fbsdlp/source/source.h"

#include <algorithm>
#include <deque>
#include <sstream>

namespace fbsdlp::source {

namespace {

const Definition *function_def(const UnitScan &u, const std::string &name) {
    for (const auto &d : u.defs)
        if (d.kind == "function" && d.name == name)
            return &d;
    return nullptr;
}

std::string join(const std::vector<std::string> &v) {
    std::string s;
    for (const auto &x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

} // namespace

ObjectReconciliation reconcile(const BinaryObject &bin, const std::vector<Touched> &touched,
                               const UnitScan &patched) {
    ObjectReconciliation r;
    r.object = bin.object;
    std::set<std::string> t_funcs, t_other;
    for (const auto &t : touched) {
        if (!t.tokens_changed)
            continue;
        (t.kind == "function" ? t_funcs : t_other).insert(t.name);
    }
    std::set<std::string> changed;
    for (const auto &c : bin.changed)
        changed.insert(source_name(c));
    std::set<std::string> out_of_line;
    for (const auto &f : bin.out_of_line)
        out_of_line.insert(source_name(f));
    // touched function -> changed functions that carry it inlined
    std::map<std::string, std::set<std::string>> carried_by;

    for (const auto &sym : bin.changed) {
        std::string f = source_name(sym);
        Explained e{sym, "unexplained", ""};
        if (t_funcs.count(f)) {
            e.cls = "touched";
            e.detail = "its source changed";
        }
        if (e.cls == "unexplained") {
            auto in = bin.inlines.find(sym);
            if (in == bin.inlines.end())
                in = bin.inlines.find(f);
            if (in != bin.inlines.end()) {
                std::vector<std::string> hit;
                for (const auto &g : in->second)
                    if (t_funcs.count(source_name(g))) {
                        hit.push_back(source_name(g));
                        carried_by[source_name(g)].insert(f);
                    }
                if (!hit.empty()) {
                    e.cls = "inlines-touched";
                    e.detail = "inlines " + join(hit) + " (DWARF)";
                }
            }
        }
        // The source's call graph, through functions that have no
        // out-of-line copy in the patched object (so the compiler inlined
        // them): what the DWARF chain would say, from the source.  What
        // those functions and f itself expand and name counts too.
        std::vector<std::string> via_call, via_use;
        if (e.cls == "unexplained") {
            std::deque<std::pair<std::string, int>> work{{f, 0}};
            std::set<std::string> seen{f};
            while (!work.empty()) {
                auto [g, depth] = work.front();
                work.pop_front();
                const Definition *d = function_def(patched, g);
                if (!d)
                    continue;
                for (const auto &m : d->macros)
                    if (t_other.count(m))
                        via_use.push_back("macro " + m + (g == f ? "" : " (in inlined " + g + ")"));
                for (const auto &ty : d->types)
                    if (t_other.count(ty))
                        via_use.push_back("type " + ty + (g == f ? "" : " (in inlined " + g + ")"));
                for (const auto &v : d->vars)
                    if (t_other.count(v))
                        via_use.push_back("variable " + v +
                                          (g == f ? "" : " (in inlined " + g + ")"));
                for (const auto &c : d->calls) {
                    if (out_of_line.count(c) || !seen.insert(c).second || depth > 8)
                        continue;
                    if (t_funcs.count(c)) {
                        via_call.push_back(c);
                        carried_by[c].insert(f);
                    }
                    work.push_back({c, depth + 1});
                }
            }
        }
        if (e.cls == "unexplained" && !via_call.empty()) {
            e.cls = "inlines-touched";
            const Definition *d = function_def(patched, via_call.front());
            e.detail = "calls touched " + std::string(d && d->is_static ? "static " : "") +
                       join(via_call) + ", inlined (source call graph: no out-of-line copy)";
        } else if (e.cls == "unexplained" && !via_use.empty()) {
            std::sort(via_use.begin(), via_use.end());
            via_use.erase(std::unique(via_use.begin(), via_use.end()), via_use.end());
            e.cls = "uses-touched";
            e.detail = "uses touched " + join(via_use);
        } else if (e.cls == "unexplained") {
            e.detail = function_def(patched, f)
                           ? "neither its source nor anything it uses was touched"
                           : "not a function of this translation unit's source";
        }
        r.changed.push_back(std::move(e));
    }

    std::set<std::string> seen;
    for (const auto &t : touched) {
        if (t.kind != "function" || !t.tokens_changed || !t.in_patched ||
            !seen.insert(t.name).second)
            continue;
        TouchedOutcome o{t.name, "", ""};
        if (changed.count(t.name)) {
            o.cls = "changed";
        } else if (!out_of_line.count(t.name)) {
            // Callers found through the source call graph even when the
            // DWARF chain already explained them, for the detail.
            for (const auto &c : changed) {
                const Definition *d = function_def(patched, c);
                if (d && d->calls.count(t.name))
                    carried_by[t.name].insert(c);
            }
            auto cb = carried_by.find(t.name);
            if (cb != carried_by.end() && !cb->second.empty()) {
                o.cls = "inlined-away";
                o.detail = "no out-of-line copy; carried by " +
                           join(std::vector<std::string>(cb->second.begin(), cb->second.end()));
            } else {
                o.cls = "not-emitted";
                o.detail = "no out-of-line copy and no changed caller in this object (unused here)";
            }
        } else {
            o.cls = "unchanged-in-binary";
            o.detail = "its source changed but its machine code did not: often an optimisation, "
                       "sometimes a build problem";
        }
        r.touched.push_back(std::move(o));
    }
    return r;
}

nlohmann::json to_json(const std::vector<Touched> &ts) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &t : ts)
        a.push_back({{"kind", t.kind},
                     {"name", t.name},
                     {"file", t.file},
                     {"line", t.line},
                     {"hunk", t.hunk},
                     {"in_original", t.in_orig},
                     {"in_patched", t.in_patched},
                     {"tokens_changed", t.tokens_changed}});
    return a;
}

nlohmann::json to_json(const std::vector<Finding> &fs) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &f : fs)
        a.push_back({{"file", f.file},
                     {"line", f.line},
                     {"symbol", f.symbol},
                     {"reason", f.reason},
                     {"hint", f.hint}});
    return a;
}

nlohmann::json to_json(const std::vector<ObjectReconciliation> &rs) {
    nlohmann::json objs = nlohmann::json::array();
    std::map<std::string, size_t> counts;
    for (const auto &r : rs) {
        nlohmann::json o{{"object", r.object},
                         {"changed", nlohmann::json::array()},
                         {"touched", nlohmann::json::array()}};
        for (const auto &e : r.changed) {
            o["changed"].push_back(
                {{"function", e.function}, {"class", e.cls}, {"detail", e.detail}});
            counts[e.cls]++;
        }
        for (const auto &t : r.touched) {
            o["touched"].push_back(
                {{"function", t.function}, {"class", t.cls}, {"detail", t.detail}});
            counts[t.cls]++;
        }
        objs.push_back(std::move(o));
    }
    nlohmann::json summary = nlohmann::json::object();
    for (const char *k : {"touched", "inlines-touched", "uses-touched", "unexplained", "changed",
                          "inlined-away", "unchanged-in-binary", "not-emitted"})
        summary[k] = counts[k];
    return {{"objects", objs}, {"summary", summary}};
}

std::string report_text(const std::vector<ObjectReconciliation> &rs) {
    std::ostringstream out;
    for (const auto &r : rs) {
        if (r.changed.empty() && r.touched.empty())
            continue;
        out << r.object << ": reconciliation\n";
        for (const auto &e : r.changed)
            out << "  binary-changed " << e.function << ": " << e.cls << " (" << e.detail << ")\n";
        for (const auto &t : r.touched)
            out << "  source-touched " << t.function << ": " << t.cls
                << (t.detail.empty() ? "" : " (" + t.detail + ")") << "\n";
    }
    // The summary: each class counted over all objects.
    std::map<std::string, size_t> n;
    size_t changed = 0, touched = 0;
    for (const auto &r : rs) {
        for (const auto &e : r.changed)
            n[e.cls]++, changed++;
        for (const auto &t : r.touched)
            n[t.cls]++, touched++;
    }
    if (changed || touched)
        out << "reconciliation: " << changed << " binary-changed function(s): " << n["touched"]
            << " touched, " << n["inlines-touched"] << " inlines-touched, " << n["uses-touched"]
            << " uses-touched, " << n["unexplained"] << " unexplained; " << touched
            << " touched function(s) per object: " << n["changed"] << " changed, "
            << n["inlined-away"] << " inlined away, " << n["unchanged-in-binary"]
            << " unchanged in the binary, " << n["not-emitted"] << " not emitted\n";
    return out.str();
}

} // namespace fbsdlp::source
