// SPDX-License-Identifier: BSD-2-Clause
// Copyright (c) 2026 The fbsd-livepatch developers

#include "fbsdlp/analysis/disasm.h"
#include "fbsdlp/util/error.h"

#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCDisassembler/MCDisassembler.h>
#include <llvm/MC/MCDisassembler/MCRelocationInfo.h>
#include <llvm/MC/MCDisassembler/MCSymbolizer.h>
#include <llvm/MC/MCExpr.h>
#include <llvm/MC/MCInst.h>
#include <llvm/MC/MCInstPrinter.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/raw_ostream.h>

#include <mutex>

extern "C" {
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86Disassembler();
}

namespace fbsdlp::analysis {

static const char kTriple[] = "x86_64-unknown-freebsd";

namespace {

// The X86 decoder offers every immediate and displacement it decodes to
// the symbolizer, with the operand's offset inside the instruction.  Where
// a relocation applies, the operand becomes "symbol + addend", which the
// AT&T printer shows as objdump -dr would after linking: "callq foo".
class RelocSymbolizer : public llvm::MCSymbolizer {
  public:
    explicit RelocSymbolizer(llvm::MCContext &ctx) : llvm::MCSymbolizer(ctx, nullptr) {}

    const SymbolLookup *lookup = nullptr; // set only for the duration of one text() call

    bool tryAddingSymbolicOperand(llvm::MCInst &inst, llvm::raw_ostream &, int64_t,
                                  uint64_t address, bool, uint64_t offset, uint64_t) override {
        if (!lookup || !*lookup)
            return false;
        std::string name;
        int64_t addend = 0;
        if (!(*lookup)(address + offset, name, addend) || name.empty())
            return false;
        const llvm::MCExpr *e = llvm::MCSymbolRefExpr::create(Ctx.getOrCreateSymbol(name), Ctx);
        if (addend)
            e = llvm::MCBinaryExpr::createAdd(e, llvm::MCConstantExpr::create(addend, Ctx), Ctx);
        inst.addOperand(llvm::MCOperand::createExpr(e));
        return true;
    }
    void tryAddingPcLoadReferenceComment(llvm::raw_ostream &, int64_t, uint64_t) override {}
};

} // namespace

struct Disassembler::Impl {
    std::unique_ptr<llvm::MCRegisterInfo> mri;
    std::unique_ptr<llvm::MCAsmInfo> mai;
    std::unique_ptr<llvm::MCSubtargetInfo> sti;
    std::unique_ptr<llvm::MCInstrInfo> mii;
    std::unique_ptr<llvm::MCContext> ctx;
    std::unique_ptr<llvm::MCDisassembler> dis;
    std::unique_ptr<llvm::MCInstPrinter> printer;
    RelocSymbolizer *symbolizer = nullptr; // owned by dis
};

Disassembler::Disassembler() : impl_(std::make_unique<Impl>()) {
    static std::once_flag once;
    std::call_once(once, [] {
        LLVMInitializeX86TargetInfo();
        LLVMInitializeX86TargetMC();
        LLVMInitializeX86Disassembler();
    });
    std::string err;
    const llvm::Target *t = llvm::TargetRegistry::lookupTarget(kTriple, err);
    if (!t)
        throw Error("LLVM", "x86-64 target unavailable: " + err);
    llvm::Triple triple(kTriple);
    llvm::MCTargetOptions opts;
    impl_->mri.reset(t->createMCRegInfo(kTriple));
    impl_->mai.reset(t->createMCAsmInfo(*impl_->mri, kTriple, opts));
    impl_->sti.reset(t->createMCSubtargetInfo(kTriple, "", ""));
    impl_->mii.reset(t->createMCInstrInfo());
    if (!impl_->mri || !impl_->mai || !impl_->sti || !impl_->mii)
        throw Error("LLVM", "cannot set up the x86-64 disassembler");
    impl_->ctx = std::make_unique<llvm::MCContext>(triple, impl_->mai.get(), impl_->mri.get(),
                                                   impl_->sti.get());
    impl_->dis.reset(t->createMCDisassembler(*impl_->sti, *impl_->ctx));
    impl_->printer.reset(t->createMCInstPrinter(triple, 0, *impl_->mai, *impl_->mii, *impl_->mri));
    if (!impl_->dis || !impl_->printer)
        throw Error("LLVM", "cannot set up the x86-64 disassembler");
    impl_->printer->setPrintImmHex(true);
    auto sym = std::make_unique<RelocSymbolizer>(*impl_->ctx);
    impl_->symbolizer = sym.get();
    impl_->dis->setSymbolizer(std::move(sym));
}

Disassembler::~Disassembler() = default;

namespace {

// Operand shapes of the one-byte opcode map (64-bit mode): a ModRM byte,
// and the immediate that follows.
enum : uint8_t {
    kBad = 0,     // not handled here (invalid in 64-bit mode, VEX, EVEX, ...): ask LLVM
    kNone = 1,    // opcode only
    kImm8 = 2,    // imm8 / rel8
    kImmZ = 3,    // imm16 with 0x66, else imm32
    kModrm = 4,   // ModRM (+SIB, displacement)
    kModrmI8 = 5, // ModRM + imm8
    kModrmIZ = 6, // ModRM + imm16/32
    kImm16 = 7,   // ret imm16, ...
    kGrp3b = 8,   // F6: ModRM, imm8 when reg is 0 or 1 (test)
    kGrp3v = 9,   // F7: ModRM, imm16/32 when reg is 0 or 1
    kMovImm = 10, // B8-BF: imm16/32, imm64 with REX.W
    kRel32 = 11,  // E8, E9, 0F 8x: rel32 (with 0x66: ask LLVM)
    kEnter = 12,  // C8: imm16 + imm8
    kMoffs = 13,  // A0-A3: 8-byte address (4 with 0x67)
};

constexpr uint8_t op1(unsigned b) {
    if (b < 0x40 && (b & 7) <= 3)
        return kModrm; // ALU r/m forms
    if (b < 0x40 && (b & 7) == 4)
        return kImm8;
    if (b < 0x40 && (b & 7) == 5)
        return kImmZ;
    if (b < 0x40)
        return kBad; // segment pushes, BCD, prefixes: handled elsewhere or invalid
    if (b >= 0x50 && b <= 0x5f)
        return kNone;
    if (b == 0x63)
        return kModrm;
    if (b == 0x68)
        return kImmZ;
    if (b == 0x69)
        return kModrmIZ;
    if (b == 0x6a)
        return kImm8;
    if (b == 0x6b)
        return kModrmI8;
    if (b >= 0x6c && b <= 0x6f)
        return kNone;
    if (b >= 0x70 && b <= 0x7f)
        return kImm8;
    if (b == 0x80 || b == 0x83)
        return kModrmI8;
    if (b == 0x81)
        return kModrmIZ;
    if (b >= 0x84 && b <= 0x8e)
        return kModrm;
    if (b >= 0x90 && b <= 0x99)
        return kNone;
    if (b >= 0x9b && b <= 0x9f)
        return kNone;
    if (b >= 0xa0 && b <= 0xa3)
        return kMoffs;
    if ((b >= 0xa4 && b <= 0xa7) || (b >= 0xaa && b <= 0xaf))
        return kNone;
    if (b == 0xa8)
        return kImm8;
    if (b == 0xa9)
        return kImmZ;
    if (b >= 0xb0 && b <= 0xb7)
        return kImm8;
    if (b >= 0xb8 && b <= 0xbf)
        return kMovImm;
    if (b == 0xc0 || b == 0xc1 || b == 0xc6)
        return kModrmI8;
    if (b == 0xc2 || b == 0xca)
        return kImm16;
    if (b == 0xc3 || b == 0xc9 || b == 0xcb || b == 0xcc || b == 0xcf)
        return kNone;
    if (b == 0xc7)
        return kModrmIZ;
    if (b == 0xc8)
        return kEnter;
    if (b == 0xcd)
        return kImm8;
    if (b >= 0xd0 && b <= 0xd3)
        return kModrm;
    if (b >= 0xd8 && b <= 0xdf)
        return kModrm; // x87
    if (b >= 0xe0 && b <= 0xe7)
        return kImm8; // loop*, jrcxz, in/out imm8
    if (b == 0xe8 || b == 0xe9)
        return kRel32;
    if (b == 0xeb)
        return kImm8;
    if (b >= 0xec && b <= 0xef)
        return kNone;
    if (b == 0xf1 || b == 0xf4 || b == 0xf5 || (b >= 0xf8 && b <= 0xfd))
        return kNone;
    if (b == 0xf6)
        return kGrp3b;
    if (b == 0xf7)
        return kGrp3v;
    if (b == 0xfe || b == 0xff)
        return kModrm;
    return kBad; // 62 (EVEX), 8F (pop r/m or XOP), C4/C5 (VEX), invalid ones
}

// The two-byte map (0F xx).
constexpr uint8_t op2(unsigned b) {
    switch (b) {
    case 0x05:
    case 0x06:
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x0b:
    case 0x30:
    case 0x31:
    case 0x32:
    case 0x33:
    case 0x34:
    case 0x35:
    case 0x37:
    case 0x77:
    case 0xa0:
    case 0xa1:
    case 0xa2:
    case 0xa8:
    case 0xa9:
    case 0xaa: return kNone;
    case 0x04:
    case 0x0a:
    case 0x0c:
    case 0x0e:
    case 0x0f:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x27:
    case 0x36:
    case 0x38:
    case 0x39:
    case 0x3a:
    case 0x3b:
    case 0x3c:
    case 0x3d:
    case 0x3e:
    case 0x3f:
    case 0x7a:
    case 0x7b:
    case 0xa6:
    case 0xa7: return kBad; // invalid, 3DNow!, or the three-byte maps (handled apart)
    case 0x70:
    case 0x71:
    case 0x72:
    case 0x73:
    case 0xa4:
    case 0xac:
    case 0xba:
    case 0xc2:
    case 0xc4:
    case 0xc5:
    case 0xc6: return kModrmI8;
    default:
        if (b >= 0x80 && b <= 0x8f)
            return kRel32;
        if (b >= 0xc8 && b <= 0xcf)
            return kNone; // bswap
        return kModrm;
    }
}

struct Tables {
    uint8_t one[256], two[256];
    constexpr Tables() : one{}, two{} {
        for (unsigned i = 0; i < 256; i++) {
            one[i] = op1(i);
            two[i] = op2(i);
        }
    }
};
constexpr Tables kTables;

// Bytes of ModRM, SIB and displacement at p (ModRM first); 0 past the end.
unsigned modrm_len(const uint8_t *p, size_t avail) {
    if (avail < 1)
        return 0;
    unsigned mod = p[0] >> 6, rm = p[0] & 7, n = 1;
    if (mod == 3)
        return 1;
    if (rm == 4) {
        if (avail < 2)
            return 0;
        n = 2;
        if (mod == 0 && (p[1] & 7) == 5)
            n += 4;
    } else if (mod == 0 && rm == 5) {
        n += 4; // RIP-relative
    }
    if (mod == 1)
        n += 1;
    else if (mod == 2)
        n += 4;
    return n <= avail ? n : 0;
}

} // namespace

unsigned fast_insn_length(std::span<const uint8_t> code, uint64_t off) {
    if (off >= code.size())
        return 0;
    const uint8_t *start = code.data() + off, *p = start;
    const uint8_t *end = code.data() + std::min<uint64_t>(code.size(), off + 15);
    bool opsize = false, addrsize = false, rexw = false, rep = false;
    // Legacy prefixes, then at most one REX immediately before the opcode.
    for (; p < end; p++) {
        uint8_t b = *p;
        if (b == 0x66)
            opsize = true;
        else if (b == 0x67)
            addrsize = true;
        else if (b == 0xf2 || b == 0xf3)
            rep = true;
        else if (b == 0xf0)
            return 0; // LLVM makes a lone "lock" of one on an unlockable instruction
        else if (b == 0x2e || b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65)
            ;
        else
            break;
    }
    if (p < end && (*p & 0xf0) == 0x40) {
        rexw = (*p & 8) != 0;
        p++;
    }
    if (p >= end)
        return 0;
    uint8_t shape;
    uint8_t b = *p++;
    // LLVM makes a lone "rep" or "repne" of one byte on most instructions;
    // the string instructions, pause and "rep ret" are whole.  Others
    // (endbr64, popcnt, ...) are left to LLVM.
    if (rep && !((b >= 0xa4 && b <= 0xa7) || (b >= 0xaa && b <= 0xaf) || (b >= 0x6c && b <= 0x6f) ||
                 b == 0x90 || b == 0xc3))
        return 0;
    if (b == 0x0f) {
        if (p >= end)
            return 0;
        uint8_t b2 = *p++;
        if (b2 == 0x38)
            shape = kModrm, p++;
        else if (b2 == 0x3a)
            shape = kModrmI8, p++;
        else
            shape = kTables.two[b2];
        if (b2 == 0xb8)
            return 0; // jmpe (popcnt has F3): ask LLVM
        if (p > end)
            return 0;
    } else {
        shape = kTables.one[b];
    }
    size_t avail = size_t(end - p);
    unsigned imm = 0, mr = 0;
    unsigned z = opsize && !rexw ? 2 : 4; // REX.W wins over 0x66
    switch (shape) {
    case kNone: break;
    case kImm8: imm = 1; break;
    case kImmZ: imm = z; break;
    case kImm16: imm = 2; break;
    case kEnter: imm = 3; break;
    case kMoffs: imm = addrsize ? 4 : 8; break;
    case kMovImm: imm = rexw ? 8 : z; break;
    case kRel32:
        if (opsize)
            return 0;
        imm = 4;
        break;
    case kModrm:
    case kModrmI8:
    case kModrmIZ:
    case kGrp3b:
    case kGrp3v:
        if (avail < 1 || !(mr = modrm_len(p, avail)))
            return 0;
        if (shape == kModrmI8)
            imm = 1;
        else if (shape == kModrmIZ)
            imm = z;
        else if ((shape == kGrp3b || shape == kGrp3v) && ((p[0] >> 3) & 7) <= 1)
            imm = shape == kGrp3b ? 1 : z;
        break;
    default: return 0;
    }
    if (mr + imm > avail)
        return 0;
    return unsigned(p - start) + mr + imm;
}

unsigned Disassembler::length(std::span<const uint8_t> code, uint64_t off) const {
    if (off >= code.size())
        return 0;
    // The common instructions of compiled code decode here, without
    // building an MCInst (measured: the diff's instruction walk was most
    // of its own time); anything else is LLVM's.
    if (unsigned n = fast_insn_length(code, off))
        return n;
    return llvm_length(code, off);
}

unsigned Disassembler::llvm_length(std::span<const uint8_t> code, uint64_t off) const {
    if (off >= code.size())
        return 0;
    llvm::MCInst inst;
    uint64_t size = 0;
    llvm::ArrayRef<uint8_t> bytes(code.data() + off, code.size() - off);
    if (impl_->dis->getInstruction(inst, size, bytes, off, llvm::nulls()) !=
        llvm::MCDisassembler::Success)
        return 0;
    return unsigned(size);
}

std::string Disassembler::text(std::span<const uint8_t> code, uint64_t off, unsigned *len) const {
    return text(code, off, len, SymbolLookup());
}

InsnInfo Disassembler::info(std::span<const uint8_t> code, uint64_t off) const {
    InsnInfo r;
    if (off >= code.size())
        return r;
    llvm::MCInst inst;
    uint64_t size = 0;
    llvm::ArrayRef<uint8_t> bytes(code.data() + off, code.size() - off);
    if (impl_->dis->getInstruction(inst, size, bytes, off, llvm::nulls()) !=
        llvm::MCDisassembler::Success)
        return r;
    const llvm::MCInstrDesc &d = impl_->mii->get(inst.getOpcode());
    llvm::StringRef name = impl_->mii->getName(inst.getOpcode());
    r.length = unsigned(size);
    r.nop = name.startswith("NOOP");
    r.call = d.isCall();
    r.branch = d.isBranch();
    return r;
}

std::string Disassembler::text(std::span<const uint8_t> code, uint64_t off, unsigned *len,
                               const SymbolLookup &lookup) const {
    if (len)
        *len = 0;
    if (off >= code.size())
        return {};
    llvm::MCInst inst;
    uint64_t size = 0;
    llvm::ArrayRef<uint8_t> bytes(code.data() + off, code.size() - off);
    impl_->symbolizer->lookup = &lookup;
    auto status = impl_->dis->getInstruction(inst, size, bytes, off, llvm::nulls());
    impl_->symbolizer->lookup = nullptr;
    if (status != llvm::MCDisassembler::Success)
        return {};
    std::string s;
    llvm::raw_string_ostream os(s);
    impl_->printer->printInst(&inst, off, "", *impl_->sti, os);
    os.flush();
    // The printer indents with a tab; one space reads better in reports.
    size_t b = s.find_first_not_of(" \t");
    s = b == std::string::npos ? std::string() : s.substr(b);
    for (char &c : s)
        if (c == '\t')
            c = ' ';
    if (len)
        *len = unsigned(size);
    return s;
}

} // namespace fbsdlp::analysis
