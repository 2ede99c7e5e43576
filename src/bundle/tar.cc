// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers
//
// Flat ustar archives.  Header layout (offsets in a 512-byte block):
//   0 name[100]  100 mode[8]  108 uid[8]  116 gid[8]  124 size[12]
//   136 mtime[12]  148 chksum[8]  156 typeflag  157 linkname[100]
//   257 magic[6] "ustar\0"  263 version[2] "00"  265 uname[32]  297 gname[32]
//   329 devmajor[8]  337 devminor[8]  345 prefix[155]  500 padding[12]

#include "fbsdlp/bundle/tar.h"

#include "fbsdlp/util/error.h"

#include <cstring>
#include <set>

namespace fbsdlp::bundle::tar {

namespace {

constexpr size_t kBlock = 512;

void put_octal(uint8_t *field, size_t width, uint64_t v) {
    // width-1 zero-padded octal digits and a terminating NUL.
    for (size_t i = width - 1; i-- > 0;) {
        field[i] = uint8_t('0' + (v & 7));
        v >>= 3;
    }
    field[width - 1] = 0;
    if (v != 0)
        throw Error("tar", "number too large for a ustar header field");
}

void put_string(uint8_t *field, size_t width, const std::string &s) {
    if (s.size() >= width)
        throw Error("tar", "string too long for a ustar header field: " + s);
    std::memcpy(field, s.data(), s.size());
}

unsigned header_sum(const uint8_t *h) {
    unsigned sum = 0;
    for (size_t i = 0; i < kBlock; i++)
        sum += (i >= 148 && i < 156) ? unsigned(' ') : h[i];
    return sum;
}

bool all_zero(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

// Octal digits (at least one) followed by NUL or space, then only NULs or
// spaces up to the end of the field.
bool get_octal(const uint8_t *field, size_t width, uint64_t &out) {
    size_t i = 0;
    uint64_t v = 0;
    while (i < width && field[i] >= '0' && field[i] <= '7') {
        if (v >> 60)
            return false;
        v = v << 3 | uint64_t(field[i] - '0');
        i++;
    }
    if (i == 0 || i == width)
        return false;
    for (; i < width; i++)
        if (field[i] != 0 && field[i] != ' ')
            return false;
    out = v;
    return true;
}

// A NUL-terminated string in a field, with only NULs after the terminator.
bool get_string(const uint8_t *field, size_t width, std::string &out) {
    size_t n = 0;
    while (n < width && field[n])
        n++;
    if (n == width || !all_zero(field + n, width - n))
        return false;
    out.assign(reinterpret_cast<const char *>(field), n);
    return true;
}

} // namespace

bool valid_name(const std::string &name) {
    if (name.empty() || name.size() > 99 || name == "." || name == "..")
        return false;
    for (char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    return true;
}

Bytes write(const std::vector<Member> &members, uint64_t mtime) {
    Bytes out;
    std::set<std::string> seen;
    for (const Member &m : members) {
        if (!valid_name(m.name))
            throw Error("tar", "invalid member name '" + m.name + "'");
        if (!seen.insert(m.name).second)
            throw Error("tar", "duplicate member name '" + m.name + "'");
        uint8_t h[kBlock] = {};
        put_string(h + 0, 100, m.name);
        put_octal(h + 100, 8, 0644);
        put_octal(h + 108, 8, 0);
        put_octal(h + 116, 8, 0);
        put_octal(h + 124, 12, m.data.size());
        put_octal(h + 136, 12, mtime);
        h[156] = '0';
        std::memcpy(h + 257, "ustar", 6);
        std::memcpy(h + 263, "00", 2);
        put_string(h + 265, 32, "root");
        put_string(h + 297, 32, "wheel");
        put_octal(h + 329, 8, 0);
        put_octal(h + 337, 8, 0);
        put_octal(h + 148, 7, header_sum(h)); // six digits and a NUL ...
        h[155] = ' ';                         // ... then a space
        out.insert(out.end(), h, h + kBlock);
        out.insert(out.end(), m.data.begin(), m.data.end());
        out.resize(out.size() + (kBlock - m.data.size() % kBlock) % kBlock, 0);
    }
    out.resize(out.size() + 2 * kBlock, 0);
    return out;
}

std::vector<Member> read(const uint8_t *data, size_t len, const std::string &where,
                         const Limits &limits) {
    if (len == 0)
        throw Error(where, "empty file", "not a bundle");
    if (len % kBlock != 0)
        throw Error(where, "size " + std::to_string(len) + " is not a multiple of 512 bytes",
                    "the bundle is truncated or has trailing garbage");
    std::vector<Member> members;
    std::set<std::string> seen;
    size_t off = 0;
    for (;;) {
        if (off + kBlock > len)
            throw Error(where, "end-of-archive marker missing", "the bundle is truncated");
        const uint8_t *h = data + off;
        std::string at = where + ": header at offset " + std::to_string(off);
        if (all_zero(h, kBlock)) {
            if (off + 2 * kBlock > len || !all_zero(h + kBlock, kBlock))
                throw Error(where,
                            "incomplete end-of-archive marker at offset " + std::to_string(off),
                            "the bundle is truncated or corrupt");
            if (!all_zero(h + 2 * kBlock, len - off - 2 * kBlock))
                throw Error(where, "non-zero data after the end-of-archive marker",
                            "the bundle has trailing garbage");
            break;
        }
        uint64_t sum = 0;
        // The checksum field is excluded from the sum, so its form is fixed
        // exactly: six octal digits, NUL, space.
        bool sum_ok = h[154] == 0 && h[155] == ' ' && get_octal(h + 148, 7, sum);
        for (size_t i = 148; i < 154; i++)
            sum_ok = sum_ok && h[i] >= '0' && h[i] <= '7';
        if (!sum_ok || sum != header_sum(h))
            throw Error(at, "header checksum mismatch",
                        "the bundle is corrupt or not a tar archive");
        if (std::memcmp(h + 257, "ustar", 6) != 0 || std::memcmp(h + 263, "00", 2) != 0)
            throw Error(at, "not a POSIX ustar header", "archives must be written in ustar format");
        std::string name, s;
        if (!get_string(h, 100, name) || !valid_name(name))
            throw Error(at, "invalid member name",
                        "names must be plain file names without '/' or '..'");
        at = where + ": " + name;
        if (h[156] != '0')
            throw Error(at, "not a regular file (type '" + std::string(1, char(h[156])) + "')");
        uint64_t size = 0, num = 0;
        if (!get_octal(h + 124, 12, size))
            throw Error(at, "invalid size field");
        if (!get_octal(h + 100, 8, num) || !get_octal(h + 108, 8, num) ||
            !get_octal(h + 116, 8, num) || !get_octal(h + 136, 12, num))
            throw Error(at, "invalid mode, owner or time field");
        if (!all_zero(h + 157, 100) || !all_zero(h + 345, 155) || !all_zero(h + 500, 12))
            throw Error(at, "unexpected link name, path prefix or padding in header");
        if (!get_string(h + 265, 32, s) || !get_string(h + 297, 32, s))
            throw Error(at, "invalid owner name field");
        if (size > limits.max_member_size)
            throw Error(at, "member size " + std::to_string(size) + " exceeds the limit of " +
                                std::to_string(limits.max_member_size) + " bytes");
        size_t padded = size_t((size + kBlock - 1) / kBlock * kBlock);
        off += kBlock;
        if (padded > len - off)
            throw Error(at, "member data runs past the end of the file", "the bundle is truncated");
        if (!all_zero(data + off + size, padded - size))
            throw Error(at, "non-zero padding after member data", "the bundle is corrupt");
        if (!seen.insert(name).second)
            throw Error(at, "duplicate member", "the bundle is corrupt or was tampered with");
        if (members.size() == limits.max_members)
            throw Error(where, "more than " + std::to_string(limits.max_members) + " members");
        members.push_back({name, Bytes(data + off, data + off + size)});
        off += padded;
    }
    return members;
}

} // namespace fbsdlp::bundle::tar
