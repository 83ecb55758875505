// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// How a file's compile command is made: the embedded default, --wdk, the
// implied target, and the adjustments every command gets (Commands.cpp).
#ifndef DMACHECK_CLI_COMMANDS_H
#define DMACHECK_CLI_COMMANDS_H

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace dmacheck {
namespace cli {

/// The embedded default: a Windows target, MS extensions (SEH, __int64) and
/// mingw-w64's DDK headers when installed. No WDK needed.
std::vector<std::string> defaultFlags();
/// Whether mingw-w64's DDK headers are installed.
bool hasDefaultHeaders();
/// Whether the database lists File itself (JSON databases otherwise answer
/// with a command interpolated from a similar file).
bool hasExactEntry(const clang::tooling::CompilationDatabase &DB,
                   llvm::StringRef File);
/// Where a WDK's kernel-mode headers are (--wdk=DIR).
struct WdkLayout {
  std::string Root;       // the kit's root (above Include/<version>)
  std::string Version;    // <version> of Include/<version>/km, or ""
  std::string IncludeDir; // Include/<version>, a flat Include, or WDK 7's inc
  std::string Km, KmCrt, Shared, Um; // each "" when absent (WDK 7: inc/ddk,
                                     // inc/crt, inc/api)
  std::vector<std::string> Includes; // the system include directories
};
/// Finds the kernel-mode include directories of a WDK or EWDK under Root;
/// false (and Error set) when it has none.
bool findWdk(llvm::StringRef Root, WdkLayout &Out, std::string &Error);
/// --wdk=DIR: the kernel-mode include directories of a WDK or EWDK, and what
/// WDK headers need from Clang; empty (and Error set) when DIR has none.
std::vector<std::string> wdkFlags(llvm::StringRef Root, std::string &Error);
std::vector<std::string> wdkFlags(const WdkLayout &Wdk);
/// The target architecture of an MSBuild platform (x64 x86_64, Win32 i686,
/// ARM64 aarch64), or "" for a platform dmacheck does not know.
std::string platformArch(llvm::StringRef Platform);
/// What the embedded default adds for a file parsed as C++ (mingw-w64's
/// headers).
std::vector<std::string> defaultCxxFlags();
/// The Windows target a command that names none implies.
std::string impliedTarget(const clang::tooling::CommandLineArguments &A,
                          bool Msvc);
/// The command's target triple (the last one named), or "".
std::string targetOf(const clang::tooling::CommandLineArguments &A);
/// The architecture defines WDK headers need for the command's target.
std::vector<std::string>
wdkArchDefines(const clang::tooling::CommandLineArguments &A);
/// Installs on Clang the adjusters every command gets: the resource
/// directory, ExtraFlags (--wdk's), the implied target and MS extensions,
/// MSVC mode and arch defines for --wdk, -Wno-error, and with Verbose the
/// final command appended to *Diagnostics; with EmbeddedDefault, the
/// defines mingw-w64's headers need in C++.
void adjustArguments(clang::tooling::ClangTool &Clang,
                     const std::vector<std::string> &ExtraFlags,
                     bool EmbeddedDefault, bool Verbose,
                     std::string *Diagnostics);
/// Whether clang parses File as C++, by clang's own rule: the last -x before
/// it (`-x c++`, `-xc++`), else its extension (.cpp, .cxx, .cc, .C, ...).
bool parsesAsCxx(const clang::tooling::CommandLineArguments &A,
                 llvm::StringRef File);

} // namespace cli
} // namespace dmacheck

#endif
