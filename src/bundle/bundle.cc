// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// The bundle stage: manifest, SHA256 list, signature, archive.

#include "fbsdlp/bundle/bundle.h"

#include "fbsdlp/bundle/tar.h"
#include "fbsdlp/util/error.h"

#include <cstring>
#include <map>
#include <set>

namespace fbsdlp::bundle {

namespace {

constexpr size_t kManifestMax = 1u << 20;
constexpr size_t kReportMax = 16u << 20;
constexpr size_t kListMax = 64u << 10;
constexpr size_t kSignatureMax = 16u << 10;
constexpr size_t kModuleMax = 64u << 20;

bool is_alnum(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool chars_in(const std::string &s, size_t min, size_t max, const char *extra) {
    if (s.size() < min || s.size() > max)
        return false;
    for (char c : s)
        if (!is_alnum(c) && !std::strchr(extra, c))
            return false;
    return true;
}

// Printable ASCII; with multiline, also newline and tab.
bool printable(const std::string &s, size_t min, size_t max, bool multiline = false) {
    if (s.size() < min || s.size() > max)
        return false;
    for (char c : s)
        if (!((c >= 0x20 && c < 0x7f) || (multiline && (c == '\n' || c == '\t'))))
            return false;
    return true;
}

bool is_lower_hex(const std::string &s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

std::string as_text(const Bytes &b) { return std::string(b.begin(), b.end()); }
Bytes as_bytes(const std::string &s) { return Bytes(s.begin(), s.end()); }

// A FreeBSD kernel module is an ELF relocatable object (amd64) or shared
// object (other architectures); accept both, nothing else.
void check_module(const Bytes &m, const std::string &where) {
    if (m.size() < 64 || m[0] != 0x7f || m[1] != 'E' || m[2] != 'L' || m[3] != 'F')
        throw Error(where, "not an ELF file", "the module must be a FreeBSD kernel module (.ko)");
    if ((m[4] != 1 && m[4] != 2) || (m[5] != 1 && m[5] != 2))
        throw Error(where, "invalid ELF class or data encoding");
    unsigned type = m[5] == 1 ? unsigned(m[16] | m[17] << 8) : unsigned(m[16] << 8 | m[17]);
    if (type != 1 && type != 3)
        throw Error(where,
                    "ELF type " + std::to_string(type) + " is not a relocatable or shared object",
                    "the module must be a FreeBSD kernel module (.ko)");
}

std::string get_string(const nlohmann::json &j, const char *key, const std::string &where) {
    const auto &v = j.at(key);
    if (!v.is_string())
        throw Error(where, std::string("field '") + key + "' must be a string");
    return v.get<std::string>();
}

uint64_t get_uint(const nlohmann::json &j, const char *key, const std::string &where) {
    const auto &v = j.at(key);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
        throw Error(where, std::string("field '") + key + "' must be a non-negative integer");
    return v.get<uint64_t>();
}

struct ListEntry {
    std::string name;
    std::string hex;
};

std::vector<ListEntry> parse_list(const std::string &text, const std::string &where) {
    std::vector<ListEntry> out;
    if (text.empty())
        throw Error(where, "empty checksum list");
    size_t pos = 0;
    const std::string pre = "SHA256 (";
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            throw Error(where, "last line is not terminated by a newline", "the list is truncated");
        std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        size_t close = line.find(") = ");
        if (line.compare(0, pre.size(), pre) != 0 || close == std::string::npos)
            throw Error(where, "malformed line '" + line.substr(0, 120) + "'",
                        "lines must read 'SHA256 (file) = hex'");
        ListEntry e{line.substr(pre.size(), close - pre.size()), line.substr(close + 4)};
        if (!tar::valid_name(e.name))
            throw Error(where, "invalid file name in line '" + line.substr(0, 120) + "'");
        if (e.hex.size() != 64 || !is_lower_hex(e.hex))
            throw Error(where, e.name + ": digest is not 64 lower-case hex digits");
        for (const auto &o : out)
            if (o.name == e.name)
                throw Error(where, e.name + ": listed twice");
        out.push_back(e);
    }
    return out;
}

} // namespace

bool valid_module_name(const std::string &name) {
    return !name.empty() && is_alnum(name[0]) && chars_in(name, 1, 64, "_-");
}

bool valid_build_id(const std::string &hex) {
    return hex.size() >= 8 && hex.size() <= 128 && hex.size() % 2 == 0 && is_lower_hex(hex);
}

nlohmann::json Manifest::to_json() const {
    nlohmann::json j;
    j["format_version"] = kFormatVersion;
    j["name"] = name;
    j["build_id"] = build_id;
    j["freebsd_version"] = freebsd_version;
    j["kernconf"] = kernconf;
    j["functions"] = nlohmann::json::array();
    for (const auto &f : functions)
        j["functions"].push_back({{"name", f.name}, {"object", f.object}});
    j["diff_sha256"] = diff_sha256 ? nlohmann::json(*diff_sha256) : nlohmann::json(nullptr);
    j["tool"] = tool;
    j["tool_version"] = tool_version;
    j["created"] = created;
    if (advisory)
        j["advisory"] = *advisory;
    if (description)
        j["description"] = *description;
    return j;
}

std::string Manifest::text() const { return to_json().dump(2, ' ', true) + "\n"; }

void Manifest::validate(const std::string &where) const {
    if (!valid_module_name(name))
        throw Error(where, "invalid bundle name '" + name + "'",
                    "use 1 to 64 letters, digits, '_' or '-', starting with a letter or digit");
    if (!valid_build_id(build_id))
        throw Error(
            where, "invalid build id '" + build_id + "'",
            "give the target's kern.build_id: an even number (8 to 128) of lower-case hex digits");
    if (freebsd_version < 100000 || freebsd_version > 99999999)
        throw Error(where, "implausible __FreeBSD_version " + std::to_string(freebsd_version),
                    "give the target's value, e.g. 1500000 (sysctl kern.osreldate)");
    if (!chars_in(kernconf, 1, 64, "_.-"))
        throw Error(where, "invalid kernel configuration name '" + kernconf + "'");
    for (const auto &f : functions) {
        if (!chars_in(f.name, 1, 256, "_.$"))
            throw Error(where, "invalid function name '" + f.name + "'");
        if (!printable(f.object, 1, 1024) || f.object.find(' ') != std::string::npos)
            throw Error(where, "invalid object name '" + f.object + "' for function " + f.name);
    }
    if (diff_sha256 && (diff_sha256->size() != 64 || !is_lower_hex(*diff_sha256)))
        throw Error(where, "diff_sha256 is not 64 lower-case hex digits");
    if (!printable(tool, 1, 64) || !printable(tool_version, 1, 64))
        throw Error(where, "invalid tool name or version");
    if (created > (uint64_t(1) << 40))
        throw Error(where, "implausible creation time " + std::to_string(created));
    if (advisory && !printable(*advisory, 1, 128))
        throw Error(where, "invalid advisory id", "use 1 to 128 printable ASCII characters");
    if (description && !printable(*description, 1, 4096, true))
        throw Error(where, "invalid description", "use up to 4096 printable ASCII characters");
}

Manifest Manifest::from_json(const nlohmann::json &j, const std::string &where) {
    if (!j.is_object())
        throw Error(where, "not a JSON object");
    static const std::set<std::string> required = {
        "format_version", "name",        "build_id", "freebsd_version", "kernconf",
        "functions",      "diff_sha256", "tool",     "tool_version",    "created"};
    static const std::set<std::string> optional = {"advisory", "description"};
    for (const auto &[k, v] : j.items())
        if (!required.count(k) && !optional.count(k))
            throw Error(where, "unknown field '" + k + "'");
    for (const auto &k : required)
        if (!j.contains(k))
            throw Error(where, "missing field '" + k + "'");
    if (get_uint(j, "format_version", where) != uint64_t(kFormatVersion))
        throw Error(where, "unsupported format_version " + j.at("format_version").dump(),
                    "this fbsd-patchgen reads format " + std::to_string(kFormatVersion));
    Manifest m;
    m.name = get_string(j, "name", where);
    m.build_id = get_string(j, "build_id", where);
    uint64_t v = get_uint(j, "freebsd_version", where);
    if (v > 0xffffffffu)
        throw Error(where, "implausible __FreeBSD_version");
    m.freebsd_version = uint32_t(v);
    m.kernconf = get_string(j, "kernconf", where);
    const auto &fs = j.at("functions");
    if (!fs.is_array())
        throw Error(where, "field 'functions' must be an array");
    for (const auto &f : fs) {
        if (!f.is_object() || f.size() != 2 || !f.contains("name") || !f.contains("object"))
            throw Error(where,
                        "each entry of 'functions' must be {\"name\": ..., \"object\": ...}");
        m.functions.push_back({get_string(f, "name", where), get_string(f, "object", where)});
    }
    if (!j.at("diff_sha256").is_null())
        m.diff_sha256 = get_string(j, "diff_sha256", where);
    m.tool = get_string(j, "tool", where);
    m.tool_version = get_string(j, "tool_version", where);
    m.created = get_uint(j, "created", where);
    if (j.contains("advisory"))
        m.advisory = get_string(j, "advisory", where);
    if (j.contains("description"))
        m.description = get_string(j, "description", where);
    m.validate(where);
    return m;
}

std::string trusted_comment(const Manifest &m) {
    return "bundle=" + m.name + " target_build_id=" + m.build_id +
           " created=" + std::to_string(m.created);
}

std::string sha256_list(const std::vector<std::pair<std::string, const Bytes *>> &files) {
    std::string s;
    for (const auto &[name, data] : files)
        s += "SHA256 (" + name + ") = " + to_hex(sha256(data->data(), data->size())) + "\n";
    return s;
}

Bytes write(const Bundle &b) {
    std::vector<tar::Member> members;
    members.push_back({kManifestName, as_bytes(b.manifest_text)});
    members.push_back({b.manifest.module_file(), b.module});
    if (b.report)
        members.push_back({kReportName, *b.report});
    members.push_back({kListName, as_bytes(b.sha256_list)});
    if (b.signature_text)
        members.push_back({kSignatureName, as_bytes(*b.signature_text)});
    return tar::write(members, b.manifest.created);
}

Bytes create(const CreateInput &in, const signify::SecretKey *key,
             const std::string &untrusted_comment) {
    in.manifest.validate("manifest");
    check_module(in.module, in.manifest.module_file());
    if (in.module.size() > kModuleMax)
        throw Error(in.manifest.module_file(),
                    "module is larger than " + std::to_string(kModuleMax) + " bytes");
    if (in.report) {
        if (in.report->size() > kReportMax)
            throw Error(kReportName,
                        "report is larger than " + std::to_string(kReportMax) + " bytes");
        if (!nlohmann::json::accept(in.report->begin(), in.report->end()))
            throw Error(kReportName, "not valid JSON");
    }
    Bundle b;
    b.manifest = in.manifest;
    b.manifest_text = in.manifest.text();
    b.module = in.module;
    b.report = in.report;
    Bytes mt = as_bytes(b.manifest_text);
    std::vector<std::pair<std::string, const Bytes *>> files = {
        {kManifestName, &mt}, {b.manifest.module_file(), &b.module}};
    if (b.report)
        files.push_back({kReportName, &*b.report});
    b.sha256_list = sha256_list(files);
    if (key)
        return sign(b, *key, untrusted_comment);
    return write(b);
}

Bytes sign(const Bundle &b, const signify::SecretKey &key, const std::string &untrusted_comment) {
    Bundle s = b;
    s.signature = signify::sign(key, s.sha256_list, untrusted_comment, trusted_comment(s.manifest));
    s.signature_text = signify::format_signature(*s.signature);
    return write(s);
}

Bundle read(const Bytes &data, const std::string &where) {
    tar::Limits lim;
    lim.max_members = 8;
    lim.max_member_size = kModuleMax;
    std::vector<tar::Member> members = tar::read(data.data(), data.size(), where, lim);

    std::map<std::string, const Bytes *> by_name;
    std::string module_name;
    for (const auto &m : members) {
        const std::string &n = m.name;
        size_t max = 0;
        if (n == kManifestName)
            max = kManifestMax;
        else if (n == kReportName)
            max = kReportMax;
        else if (n == kListName)
            max = kListMax;
        else if (n == kSignatureName)
            max = kSignatureMax;
        else if (n.size() > 3 && n.compare(n.size() - 3, 3, ".ko") == 0) {
            if (!module_name.empty())
                throw Error(where, "more than one module: '" + module_name + "' and '" + n + "'");
            module_name = n;
            max = kModuleMax;
        } else
            throw Error(
                where, "unexpected member '" + n + "'",
                "a bundle holds manifest.json, NAME.ko, report.json, SHA256 and SHA256.sig only");
        if (m.data.size() > max)
            throw Error(where + ": " + n,
                        "member is larger than " + std::to_string(max) + " bytes");
        by_name[n] = &m.data;
    }
    for (const char *need : {kManifestName, kListName})
        if (!by_name.count(need))
            throw Error(where, std::string("missing member '") + need + "'");
    if (module_name.empty())
        throw Error(where, "missing member 'NAME.ko' (the patch module)");

    // The checksum list covers every other member, exactly once.
    Bundle b;
    b.sha256_list = as_text(*by_name[kListName]);
    std::vector<ListEntry> list = parse_list(b.sha256_list, where + ": SHA256");
    std::set<std::string> listed;
    for (const auto &e : list) {
        if (e.name == kListName || e.name == kSignatureName)
            throw Error(where + ": SHA256", "lists '" + e.name + "', which it cannot cover");
        auto it = by_name.find(e.name);
        if (it == by_name.end())
            throw Error(where + ": SHA256", "lists '" + e.name + "', which is not in the bundle",
                        "a member was removed");
        if (to_hex(sha256(it->second->data(), it->second->size())) != e.hex)
            throw Error(where + ": " + e.name, "SHA256 checksum mismatch",
                        "the file was altered after the checksum list was made");
        listed.insert(e.name);
    }
    for (const auto &[n, d] : by_name)
        if (n != kListName && n != kSignatureName && !listed.count(n))
            throw Error(where + ": " + n, "member is not listed in SHA256", "a member was added");

    b.manifest_text = as_text(*by_name[kManifestName]);
    std::string mwhere = where + ": manifest.json";
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(b.manifest_text);
    } catch (const nlohmann::json::exception &e) {
        throw Error(mwhere, std::string("invalid JSON: ") + e.what());
    }
    try {
        b.manifest = Manifest::from_json(j, mwhere);
    } catch (const nlohmann::json::exception &e) {
        throw Error(mwhere, std::string("invalid manifest: ") + e.what());
    }
    if (b.manifest.text() != b.manifest_text)
        throw Error(mwhere, "not in canonical form", "the manifest was edited by hand");
    if (module_name != b.manifest.module_file())
        throw Error(where, "module member '" + module_name +
                               "' does not match the manifest's name '" + b.manifest.name + "'");
    b.module = *by_name[module_name];
    check_module(b.module, where + ": " + module_name);
    if (by_name.count(kReportName)) {
        b.report = *by_name[kReportName];
        if (!nlohmann::json::accept(b.report->begin(), b.report->end()))
            throw Error(where + ": report.json", "not valid JSON");
    }
    if (by_name.count(kSignatureName)) {
        b.signature_text = as_text(*by_name[kSignatureName]);
        b.signature = signify::parse_signature(*b.signature_text, where + ": SHA256.sig");
    }
    return b;
}

void verify(const Bundle &b, const signify::PublicKey &pub, const std::string &where) {
    if (!b.signature)
        throw Error(where, "bundle is not signed",
                    "sign it with 'fbsd-patchgen sign BUNDLE --sign-key KEY.sec'");
    std::string swhere = where + ": SHA256.sig";
    signify::verify(pub, *b.signature, b.sha256_list, swhere);
    if (!b.signature->trusted_comment)
        return; // plain signify signature: the manifest binds the target.
    // The trusted comment must describe this bundle.
    std::map<std::string, std::string> kv;
    const std::string &tc = *b.signature->trusted_comment;
    size_t pos = 0;
    while (pos <= tc.size()) {
        size_t sp = tc.find(' ', pos);
        if (sp == std::string::npos)
            sp = tc.size();
        std::string tok = tc.substr(pos, sp - pos);
        size_t eq = tok.find('=');
        if (eq != std::string::npos && !kv.count(tok.substr(0, eq)))
            kv[tok.substr(0, eq)] = tok.substr(eq + 1);
        pos = sp + 1;
    }
    auto expect = [&](const char *key, const std::string &want) {
        auto it = kv.find(key);
        if (it == kv.end())
            throw Error(swhere, std::string("trusted comment lacks '") + key + "='");
        if (it->second != want)
            throw Error(swhere,
                        std::string("trusted comment says ") + key + "=" + it->second +
                            " but the manifest says " + want,
                        "the signature belongs to another bundle");
    };
    expect("bundle", b.manifest.name);
    expect("target_build_id", b.manifest.build_id);
    if (kv.count("created"))
        expect("created", std::to_string(b.manifest.created));
}

} // namespace fbsdlp::bundle
