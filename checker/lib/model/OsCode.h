// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Which code is the operating system's and which is the driver's. The
// system's routines (what the kernel headers declare, the compiler's builtins
// and intrinsics) have no DMA effect beyond what the rules name: a call to
// one never makes a transfer unknown. Only the driver's own routines whose
// bodies are not in the run are unknown.
//
// Kernel headers are recognised whether they come by -isystem or by -I (a
// ReactOS tree, a driver that carries its own copy of wdm.h): a header is
// the system's when it is a system header, when it has the name of a DDK
// header, or when it sits in (or one level below) the directory of a DDK
// header set (a directory holding wdm.h, ntddk.h, ntifs.h, ntdef.h or
// ntndk.h). A routine is the system's when it is a builtin, imported from
// another image (`__declspec(dllimport)`: NTKERNELAPI, NTHALAPI, NTSYSAPI),
// or declared in such a header.
#ifndef DMACHECK_OSCODE_H
#define DMACHECK_OSCODE_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

namespace clang {
class Decl;
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace dmacheck {

class OsCode {
public:
  explicit OsCode(const clang::SourceManager &SM) : SM(SM) {}

  /// Whether code at L is the system's (a kernel or compiler header).
  bool isSystemLocation(clang::SourceLocation L);
  /// Whether a routine is the system's: a builtin, imported, or declared in
  /// a kernel header. Any of its declarations decides.
  bool isSystemRoutine(const clang::FunctionDecl *FD);
  /// Whether D (a definition, a record) is the driver's own code.
  bool isDrivers(const clang::Decl *D);

private:
  bool isKernelHeaderDir(llvm::StringRef Dir);
  const clang::SourceManager &SM;
  llvm::DenseMap<clang::FileID, bool> Files;
  llvm::StringMap<bool> Dirs;
};

} // namespace dmacheck

#endif
