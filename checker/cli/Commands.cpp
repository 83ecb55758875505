// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The compile command each file is parsed with: the embedded default (a
// Windows target, MS extensions, mingw-w64's DDK headers), --wdk's include
// directories and flags for the real WDK layouts, the target a command
// implies when it names none, and the adjustments every command gets (Clang's
// resource directory, -Wno-error, the command shown under --verbose).
#include "Commands.h"
#include "Options.h"

#include "clang/Driver/Types.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>

using namespace clang;
using namespace clang::tooling;
using namespace dmacheck;

/// The embedded default: a Windows target, MS extensions (SEH, __int64) and
/// mingw-w64's DDK headers when installed. No WDK needed.
std::vector<std::string> cli::defaultFlags() {
  std::vector<std::string> Flags = {"--target=x86_64-w64-mingw32",
                                    "-fms-extensions"};
  llvm::SmallVector<llvm::StringRef, 2> Dirs;
  llvm::StringRef(DMACHECK_DEFAULT_DDK_DIRS).split(Dirs, ';', -1, false);
  for (llvm::StringRef D : Dirs)
    if (llvm::sys::fs::is_directory(D))
      Flags.push_back(("-isystem" + D).str());
  return Flags;
}

/// Whether the database lists File itself (JSON databases otherwise answer
/// with a command interpolated from a similar file).
bool cli::hasExactEntry(const CompilationDatabase &DB, llvm::StringRef File) {
  llvm::SmallString<256> Path(File);
  llvm::sys::fs::make_absolute(Path);
  for (const CompileCommand &C : DB.getCompileCommands(Path))
    if (C.Heuristic.empty())
      return true;
  return false;
}

bool cli::hasDefaultHeaders() {
  llvm::SmallVector<llvm::StringRef, 2> Dirs;
  llvm::StringRef(DMACHECK_DEFAULT_DDK_DIRS).split(Dirs, ';', -1, false);
  for (llvm::StringRef D : Dirs)
    if (llvm::sys::fs::is_directory(D))
      return true;
  return false;
}

/// Where --wdk=DIR's kernel-mode headers are. Layouts: <root>/Include/
/// <version>/km (the newest version), an EWDK's Program Files/Windows Kits/
/// 10/Include/<version>/km, a flat <root>/Include/km or <root>/km (a copy of
/// one version's include directory), and the WDK 7 / WDK 6 <root>/inc/ddk,
/// inc/api, inc/crt.
bool cli::findWdk(llvm::StringRef Root, WdkLayout &Out, std::string &Error) {
  auto Dir = [](llvm::StringRef Base, llvm::StringRef Sub) {
    llvm::SmallString<256> P(Base);
    llvm::sys::path::append(P, Sub);
    return std::string(P);
  };
  auto IfDir = [](std::string D) {
    return llvm::sys::fs::is_directory(D) ? D : std::string();
  };
  Out = WdkLayout();
  Out.Root = Root.str();
  std::string Best;
  for (const char *Sub : {"Include", "Program Files/Windows Kits/10/Include"}) {
    std::string Inc = Dir(Root, Sub);
    if (!llvm::sys::fs::is_directory(Inc))
      continue;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Inc, EC), End; It != End && !EC;
         It.increment(EC))
      if (llvm::sys::fs::is_directory(Dir(It->path(), "km")) &&
          It->path() > Best) {
        Best = It->path();
        Out.Version = llvm::sys::path::filename(Best).str();
        // The kit's root is the directory above Include.
        Out.Root = llvm::sys::path::parent_path(Inc).str();
      }
  }
  if (Best.empty())
    for (const char *Flat : {"Include", "."})
      if (llvm::sys::fs::is_directory(Dir(Dir(Root, Flat), "km"))) {
        Best = Dir(Root, Flat);
        break;
      }
  if (!Best.empty()) {
    Out.IncludeDir = Best;
    Out.Km = IfDir(Dir(Best, "km"));
    Out.KmCrt = IfDir(Dir(Best, "km/crt"));
    Out.Shared = IfDir(Dir(Best, "shared"));
    Out.Um = IfDir(Dir(Best, "um"));
    for (const std::string *D : {&Out.KmCrt, &Out.Km, &Out.Shared})
      if (!D->empty())
        Out.Includes.push_back(*D);
  } else if (llvm::sys::fs::is_directory(Dir(Root, "inc/ddk"))) {
    Out.IncludeDir = Dir(Root, "inc");
    Out.Km = IfDir(Dir(Root, "inc/ddk"));
    Out.Shared = IfDir(Dir(Root, "inc/api"));
    Out.KmCrt = IfDir(Dir(Root, "inc/crt"));
    for (const std::string *D : {&Out.Km, &Out.Shared, &Out.KmCrt})
      if (!D->empty())
        Out.Includes.push_back(*D);
  }
  if (Out.Includes.empty()) {
    Error = "no Include/<version>/km, Include/km or inc/ddk directory under '" +
            Root.str() + "'";
    return false;
  }
  return true;
}

/// --wdk=DIR: the kernel-mode include directories of a WDK or EWDK (as
/// findWdk finds them), and what WDK headers need from Clang.
std::vector<std::string> cli::wdkFlags(const WdkLayout &Wdk) {
  std::vector<std::string> Flags = {
      "-fms-extensions", "-fms-compatibility", "-fms-compatibility-version=19.29",
      "-D_KERNEL_MODE", "-Wno-everything"};
  for (const std::string &D : Wdk.Includes)
    Flags.push_back("-isystem" + D);
  return Flags;
}

std::vector<std::string> cli::wdkFlags(llvm::StringRef Root,
                                         std::string &Error) {
  WdkLayout Wdk;
  if (!findWdk(Root, Wdk, Error))
    return {};
  return wdkFlags(Wdk);
}

/// The architecture of a target triple for an MSBuild platform name
/// (x64, Win32, ARM64; case does not matter), or "" for another platform.
std::string cli::platformArch(llvm::StringRef Platform) {
  if (Platform.equals_insensitive("x64") || Platform.equals_insensitive("amd64"))
    return "x86_64";
  if (Platform.equals_insensitive("Win32") || Platform.equals_insensitive("x86"))
    return "i686";
  if (Platform.equals_insensitive("ARM64"))
    return "aarch64";
  return "";
}

/// A driver is compiled for Windows: a command that names no target gets
/// the one its flags imply (its architecture from -m32, _X86_, _ARM64_, its
/// environment MSVC when it is a cl command, uses -fms-compatibility or
/// --wdk, mingw-w64's otherwise), so that it does not parse as Linux code.
std::string cli::impliedTarget(const CommandLineArguments &A, bool Msvc) {
  auto Begins = [](llvm::StringRef S, llvm::StringRef P) {
    return S.substr(0, P.size()) == P;
  };
  std::string Arch = "x86_64";
  for (const std::string &Arg : A) {
    llvm::StringRef S(Arg);
    llvm::StringRef O = S.size() > 1 && (S[0] == '-' || S[0] == '/')
                            ? S.substr(1)
                            : llvm::StringRef();
    if (O == "m32" || Begins(O, "D_X86_") || Begins(O, "Di386") ||
        Begins(O, "D_M_IX86"))
      Arch = "i686";
    if (Begins(O, "D_ARM64_") || Begins(O, "D_M_ARM64"))
      Arch = "aarch64";
    if (S == "-fms-compatibility" || Begins(S, "--driver-mode=cl") ||
        Begins(O, "D_MSC_VER"))
      Msvc = true;
  }
  if (!A.empty()) {
    llvm::StringRef Exe = llvm::sys::path::stem(A.front());
    if (Exe.equals_insensitive("cl") || Exe.equals_insensitive("clang-cl"))
      Msvc = true;
    // A cross compiler names its target: i686-w64-mingw32-gcc.
    for (llvm::StringRef Env : {"-w64-mingw32-", "-pc-windows-msvc-",
                                "-pc-windows-gnu-", "-w64-windows-gnu-"}) {
      size_t At = Exe.find(Env);
      if (At != llvm::StringRef::npos && At > 0)
        return "--target=" + Exe.substr(0, At + Env.size() - 1).str();
    }
  }
  return "--target=" + Arch + (Msvc ? "-pc-windows-msvc" : "-w64-mingw32");
}

/// The command's target triple (the last one named).
std::string cli::targetOf(const CommandLineArguments &A) {
  std::string Triple;
  for (size_t I = 0; I < A.size(); ++I) {
    llvm::StringRef S(A[I]);
    if (S.substr(0, 9) == "--target=")
      Triple = S.substr(9).str();
    else if ((S == "-target" || S == "--target") && I + 1 < A.size())
      Triple = A[I + 1];
  }
  return Triple;
}

/// The WDK headers refuse to guess the architecture: the defines for the
/// command's target, unless it gives its own.
std::vector<std::string> cli::wdkArchDefines(const CommandLineArguments &A) {
  std::string Triple = targetOf(A);
  for (const std::string &Arg : A)
    for (const char *Own : {"-D_AMD64_", "-D_X86_", "-D_ARM64_", "/D_AMD64_",
                            "/D_X86_", "/D_ARM64_"})
      if (llvm::StringRef(Arg).substr(0, strlen(Own)) == Own)
        return {};
  llvm::StringRef T(Triple);
  if (T.substr(0, 4) == "i386" || T.substr(0, 4) == "i686" ||
      (T.substr(0, 3) == "x86" && T.substr(0, 6) != "x86_64"))
    return {"-D_X86_=1", "-Di386=1"};
  if (T.substr(0, 7) == "aarch64" || T.substr(0, 5) == "arm64")
    return {"-D_ARM64_", "-D_WIN64", "-DARM64"};
  return {"-D_AMD64_", "-D_WIN64", "-DAMD64"};
}

/// What the embedded default adds for a file parsed as C++. mingw-w64's
/// ddk/wdm.h (10.x, Debian 12) includes <intrin.h>, whose
/// psdk_inc/intrin-impl.h defines InterlockedBitTestAndSet/Reset as GNU
/// `extern inline` (gnu_inline: a body for inlining only), and then defines
/// them again itself (`static __inline__`, "taken from our winnt.h"). C
/// accepts the second definition; C++ has no such rule, and clang ("redefinition
/// of a 'extern inline' function is not supported in C++") and g++ both reject
/// it, with or without extern "C" around the #include. intrin-impl.h skips an
/// intrinsic whose __INTRINSIC_DEFINED_<name> is already defined (it is
/// included several times), so these two defines leave wdm.h's definitions
/// the only ones. Newer mingw-w64 wdm.h maps the two names to the
/// _interlockedbittest* intrinsics instead, where the defines change nothing.
/// C keeps the headers exactly as they are.
static const char *const DefaultCxxFlags[] = {
    "-D__INTRINSIC_DEFINED_InterlockedBitTestAndSet",
    "-D__INTRINSIC_DEFINED_InterlockedBitTestAndReset"};

std::vector<std::string> cli::defaultCxxFlags() {
  return {std::begin(DefaultCxxFlags), std::end(DefaultCxxFlags)};
}

bool cli::parsesAsCxx(const CommandLineArguments &A, llvm::StringRef File) {
  std::string Lang;
  for (size_t I = 1; I < A.size() && A[I] != File; ++I) {
    llvm::StringRef S(A[I]);
    if (S == "-x" && I + 1 < A.size())
      Lang = A[++I];
    else if (S.size() > 2 && S.substr(0, 2) == "-x")
      Lang = S.substr(2).str();
  }
  driver::types::ID Type =
      Lang.empty() || Lang == "none"
          ? driver::types::lookupTypeForExtension(
                llvm::StringRef(llvm::sys::path::extension(File)).drop_front())
          : driver::types::lookupTypeForTypeSpecifier(Lang.c_str());
  return Type != driver::types::TY_INVALID && driver::types::isCXX(Type);
}

void cli::adjustArguments(ClangTool &Clang,
                          const std::vector<std::string> &ExtraFlags,
                          bool EmbeddedDefault, bool Verbose,
                          std::string *Diagnostics) {
  // Clang's builtin headers, unless the command names its own.
  llvm::StringRef ResourceDir(DMACHECK_CLANG_RESOURCE_DIR);
  if (!ResourceDir.empty() && llvm::sys::fs::is_directory(ResourceDir))
    Clang.appendArgumentsAdjuster(
        [ResourceDir](const CommandLineArguments &A, llvm::StringRef) {
          for (const std::string &Arg : A)
            if (llvm::StringRef(Arg).substr(0, 13) == "-resource-dir")
              return A;
          CommandLineArguments Result = A;
          Result.insert(Result.begin() + (Result.empty() ? 0 : 1),
                        "-resource-dir=" + ResourceDir.str());
          return Result;
        });
  if (!ExtraFlags.empty())
    Clang.appendArgumentsAdjuster(getInsertArgumentAdjuster(
        CommandLineArguments(ExtraFlags.begin(), ExtraFlags.end()),
        ArgumentInsertPosition::END));
  // No target named: the one the flags imply (a Windows one), and the MS
  // extensions every driver uses (SEH, __int64).
  bool Wdk = !ExtraFlags.empty();
  Clang.appendArgumentsAdjuster(
      [Wdk](const CommandLineArguments &A, llvm::StringRef) {
        CommandLineArguments Result = A;
        if (targetOf(A).empty()) {
          auto At = Result.begin() + (Result.empty() ? 0 : 1);
          At = Result.insert(At, impliedTarget(A, Wdk)) + 1;
          bool Cl = false;
          for (const std::string &Arg : A)
            Cl |= llvm::StringRef(Arg).substr(0, 16) == "--driver-mode=cl";
          if (!Cl && !llvm::is_contained(A, "-fms-extensions"))
            Result.insert(At, "-fms-extensions");
        }
        // What is added goes before a "--" that ends the flags.
        auto End = std::find(Result.begin(), Result.end(), "--");
        if (Wdk) {
          // The WDK's headers parse only in MSVC mode: a database's other
          // Windows target keeps its architecture.
          std::string Triple = targetOf(Result);
          if (llvm::StringRef(Triple).find("msvc") == llvm::StringRef::npos) {
            std::string Arch = Triple.substr(0, Triple.find('-'));
            End = Result.insert(End, "--target=" + Arch +
                                         "-pc-windows-msvc") + 1;
          }
          for (std::string &D : wdkArchDefines(Result))
            End = Result.insert(End, std::move(D)) + 1;
        }
        return Result;
      });
  // The embedded default, for a file clang parses as C++.
  if (EmbeddedDefault)
    Clang.appendArgumentsAdjuster(
        [](const CommandLineArguments &A, llvm::StringRef File) {
          if (!parsesAsCxx(A, File))
            return A;
          CommandLineArguments Result = A;
          Result.insert(std::find(Result.begin(), Result.end(), "--"),
                        std::begin(DefaultCxxFlags), std::end(DefaultCxxFlags));
          return Result;
        });
  // The driver's own -Werror must not turn its warnings into our errors.
  Clang.appendArgumentsAdjuster(
      getInsertArgumentAdjuster("-Wno-error", ArgumentInsertPosition::END));
  if (Verbose)
    Clang.appendArgumentsAdjuster(
        [Diagnostics](const CommandLineArguments &A, llvm::StringRef F) {
          llvm::raw_string_ostream OS(*Diagnostics);
          OS << Tool << ": note: compiling '" << F << "' with:";
          for (const std::string &Arg : A)
            OS << " " << Arg;
          OS << "\n";
          return A;
        });
}
