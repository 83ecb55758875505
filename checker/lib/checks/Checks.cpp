// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "dmacheck/Checks.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/GlobPattern.h"

namespace dmacheck {

static const CheckInfo Table[] = {
#define DMACHECK_CHECK(Enum, Name, Summary) {CheckId::Enum, Name, Summary},
#include "dmacheck/Checks.def"
};

llvm::ArrayRef<CheckInfo> allChecks() { return Table; }

const CheckInfo &checkInfo(CheckId Id) { return Table[unsigned(Id)]; }

std::optional<CheckId> checkByName(llvm::StringRef Name) {
  for (const CheckInfo &C : Table)
    if (C.Name == Name)
      return C.Id;
  return std::nullopt;
}

std::optional<CheckSet> CheckSet::fromGlobList(llvm::StringRef Globs,
                                               std::string &Error) {
  CheckSet Result;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Globs.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (Part.empty())
      continue;
    bool Negative = Part.consume_front("-");
    Part = Part.trim();
    auto Pattern = llvm::GlobPattern::create(Part);
    if (!Pattern) {
      Error = "invalid check glob '" + Part.str() +
              "': " + llvm::toString(Pattern.takeError());
      return std::nullopt;
    }
    bool Matched = false;
    for (const CheckInfo &C : Table)
      if (Pattern->match(C.Name)) {
        Result.set(C.Id, !Negative);
        Matched = true;
      }
    // A positive glob that names nothing is almost always a typo in a CI
    // configuration; clang-tidy's own globs (e.g. "-*", "bugprone-*") are
    // accepted silently so one --checks value can serve both tools.
    bool LooksLikeOurs = Part.substr(0, 4) == "dma-";
    if (!Matched && !Negative && LooksLikeOurs) {
      Error = "no check matches '" + Part.str() + "' (see --list-checks)";
      return std::nullopt;
    }
  }
  return Result;
}

} // namespace dmacheck
