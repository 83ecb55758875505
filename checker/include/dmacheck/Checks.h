// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#ifndef DMACHECK_CHECKS_H
#define DMACHECK_CHECKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <bitset>
#include <optional>
#include <string>

namespace dmacheck {

enum class CheckId : unsigned {
#define DMACHECK_CHECK(Enum, Name, Summary) Enum,
#include "dmacheck/Checks.def"
};

struct CheckInfo {
  CheckId Id;
  llvm::StringRef Name;
  llvm::StringRef Summary;
};

constexpr unsigned NumChecks = 0
#define DMACHECK_CHECK(Enum, Name, Summary) +1
#include "dmacheck/Checks.def"
    ;

llvm::ArrayRef<CheckInfo> allChecks();
const CheckInfo &checkInfo(CheckId Id);
std::optional<CheckId> checkByName(llvm::StringRef Name);

/// The set of enabled checks.
class CheckSet {
public:
  static CheckSet all() {
    CheckSet S;
    S.Bits.set();
    return S;
  }
  void set(CheckId Id, bool On = true) { Bits.set(unsigned(Id), On); }
  bool has(CheckId Id) const { return Bits.test(unsigned(Id)); }
  bool none() const { return Bits.none(); }

  /// Applies a clang-tidy style glob list ("dma-*,-dma-flush-arg-mismatch"):
  /// comma separated, '-' negates, later globs override earlier ones. Returns
  /// an error message for a malformed glob, or a glob that names no check.
  static std::optional<CheckSet> fromGlobList(llvm::StringRef Globs,
                                              std::string &Error);

private:
  std::bitset<NumChecks> Bits;
};

} // namespace dmacheck

#endif
