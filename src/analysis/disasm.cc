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

unsigned Disassembler::length(std::span<const uint8_t> code, uint64_t off) const {
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
