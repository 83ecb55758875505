// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "model/OsCode.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/FileEntry.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;
using namespace dmacheck;

/// Headers of the WDK / DDK families (WDK km, ReactOS sdk/include, mingw-w64
/// ddk), by name: a tree that carries its own copy of one still has the OS's
/// code in it.
static bool isKernelHeaderName(llvm::StringRef Name) {
  std::string Lower = Name.lower();
  llvm::StringRef N(Lower);
  for (llvm::StringRef Family : {"ntdd", "ntos", "ntnls"})
    if (N.substr(0, Family.size()) == Family)
      return true;
  // The compiler's intrinsics (intrin.h, xmmintrin.h, ...), whichever tree
  // carries them.
  if (N.contains("intrin"))
    return true;
  // The C library, as a tree's crt directory declares it.
  if (llvm::StringSwitch<bool>(N)
          .Cases("stdio.h", "stdlib.h", "string.h", "wchar.h", "stdarg.h",
                 true)
          .Cases("stddef.h", "stdint.h", "limits.h", "ctype.h", "math.h", true)
          .Cases("malloc.h", "memory.h", "wctype.h", "errno.h", "excpt.h",
                 true)
          .Cases("crtdefs.h", "corecrt.h", "vadefs.h", "_mingw.h",
                 "sal.h", true)
          .Default(false))
    return true;
  return llvm::StringSwitch<bool>(N)
      .Cases("wdm.h", "ntddk.h", "ntifs.h", "ntdef.h", "ntstatus.h", true)
      .Cases("ntndk.h", "winnt.h", "windef.h", "basetsd.h", "ntintsafe.h",
             true)
      .Cases("ndis.h", "miniport.h", "videoagp.h", "storport.h", "ntstrsafe.h",
             true)
      .Cases("wmilib.h", "wmistr.h", "portcls.h", "ksmedia.h", "wdf.h", true)
      .Case("usbdi.h", true)
      .Cases("usbdlib.h", "usbioctl.h", "hidport.h", "ntpoapi.h", "ntiologc.h",
             true)
      .Cases("dmusicks.h", "drmk.h", "punknown.h", "stdunk.h", "wdmguid.h",
             true)
      .Cases("intrin.h", "specstrings.h", "sal.h", "driverspecs.h",
             "kernelspecs.h", true)
      .Cases("scsiport.h", "ntdddisk.h", "ntddscsi.h", "ntddstor.h",
             "ntddvol.h", true)
      .Default(false);
}

/// A directory that holds a DDK header set.
bool OsCode::isKernelHeaderDir(llvm::StringRef Dir) {
  auto [It, New] = Dirs.try_emplace(Dir, false);
  if (!New)
    return It->second;
  bool Holds = false;
  for (const char *Marker :
       {"wdm.h", "ntddk.h", "ntifs.h", "ntdef.h", "ntndk.h"}) {
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, Marker);
    if (llvm::sys::fs::exists(P)) {
      Holds = true;
      break;
    }
  }
  return Dirs[Dir] = Holds;
}

bool OsCode::isSystemLocation(SourceLocation L) {
  if (L.isInvalid())
    return true; // builtins, implicit declarations
  L = SM.getFileLoc(L);
  if (SM.isInSystemHeader(L))
    return true;
  FileID F = SM.getFileID(L);
  if (F == SM.getMainFileID())
    return false;
  auto It = Files.find(F);
  if (It != Files.end())
    return It->second;
  bool System = false;
  // The file's real path: a header found by a relative -I is relative to
  // the command's directory, not to dmacheck's.
  std::string Real;
  if (const FileEntry *FE = SM.getFileEntryForID(F))
    Real = FE->tryGetRealPathName().str();
  llvm::StringRef Path = !Real.empty() ? llvm::StringRef(Real)
                                        : SM.getFilename(L);
  if (!Path.empty()) {
    if (isKernelHeaderName(llvm::sys::path::filename(Path))) {
      System = true;
    } else {
      // The header set's directory, or one below it (ndk/i386, ddk/xxx),
      // but never the directory the driver's own source is in.
      llvm::SmallString<256> Dir(Path);
      llvm::sys::fs::make_absolute(Dir);
      llvm::sys::path::remove_dots(Dir, true);
      llvm::sys::path::remove_filename(Dir);
      const FileEntry *MainFE = SM.getFileEntryForID(SM.getMainFileID());
      llvm::SmallString<256> MainDir(
          MainFE && !MainFE->tryGetRealPathName().empty()
              ? MainFE->tryGetRealPathName()
              : SM.getFilename(SM.getLocForStartOfFile(SM.getMainFileID())));
      llvm::sys::fs::make_absolute(MainDir);
      llvm::sys::path::remove_dots(MainDir, true);
      llvm::sys::path::remove_filename(MainDir);
      if (Dir != MainDir) {
        System = isKernelHeaderDir(Dir);
        llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
        if (!System && !Parent.empty() && Parent != MainDir)
          System = isKernelHeaderDir(Parent);
      }
    }
  }
  return Files[F] = System;
}

/// The kernel's and the HAL's export prefixes followed by a capital or a
/// digit (`ExGetCurrentProcessorCounts`, `KeStallExecutionProcessor`,
/// `HalpInitPhase0`, `Ke386SetTr`): a driver names its routines otherwise,
/// and a driver that redeclares one of these in its own header is
/// redeclaring the system's.
static bool hasKernelPrefix(llvm::StringRef Name) {
  // Not the prefixes drivers use for their own routines too (`Hal`, `Pnp`,
  // `Dbg`, `Po`, `Wmi`: `PnpStartDevice`, `HalTxDone`).
  for (llvm::StringRef P :
       {"Ex", "Ke", "Ki", "Io", "Iop", "Mm", "Mi", "Ob", "Ps", "Rtl", "Zw",
        "Nt", "Halp", "Kd", "Se", "Cm", "FsRtl", "Cc", "Inbv", "Ldr"}) {
    if (Name.size() > P.size() && Name.substr(0, P.size()) == P) {
      char C = Name[P.size()];
      if ((C >= 'A' && C <= 'Z') || (C >= '0' && C <= '9'))
        return true;
    }
  }
  return false;
}

/// The C library's routines a driver's own header may redeclare
/// (`int _cdecl swprintf(const WCHAR *, ...);`).
static bool isCLibraryName(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("sprintf", "swprintf", "_snprintf", "_snwprintf", "_vsnprintf",
             true)
      .Cases("_vsnwprintf", "vsprintf", "vswprintf", "wcscpy", "wcslen", true)
      .Cases("wcscat", "wcsncpy", "wcscmp", "_wcsicmp", "wcschr", true)
      .Cases("strcpy", "strlen", "strcat", "strncpy", "strcmp", true)
      .Cases("_stricmp", "strchr", "memcpy", "memmove", "memset", true)
      .Cases("memcmp", "toupper", "tolower", "towupper", "towlower", true)
      .Cases("atoi", "strtoul", "wcstoul", "qsort", "abs", true)
      .Default(false);
}

bool OsCode::isSystemRoutine(const FunctionDecl *FD) {
  if (FD->getBuiltinID() != 0)
    return true;
  bool Declared = false;
  for (const FunctionDecl *R : FD->redecls()) {
    if (R->hasAttr<DLLImportAttr>())
      return true;
    if (R->isImplicit())
      continue;
    Declared = true;
    if (isSystemLocation(R->getLocation()))
      return true;
  }
  if (!FD->getIdentifier())
    return false;
  llvm::StringRef Name = FD->getName();
  // Called with no declaration at all (C89's implicit declaration) under a
  // reserved name: an intrinsic the headers did not declare (`_disable`
  // after `#pragma intrinsic`). An undeclared routine with an ordinary name
  // may be the driver's own, defined in another file: unknown.
  if (!Declared && Name.substr(0, 1) == "_")
    return true;
  return hasKernelPrefix(Name) || isCLibraryName(Name);
}

bool OsCode::isDrivers(const Decl *D) {
  if (const auto *FD = llvm::dyn_cast<FunctionDecl>(D)) {
    if (FD->getBuiltinID() != 0)
      return false;
    // A definition is the driver's where it is written; a routine with no
    // body here is the driver's unless the system declares it.
    if (FD->doesThisDeclarationHaveABody())
      return !isSystemLocation(FD->getLocation());
    return !isSystemRoutine(FD);
  }
  return !isSystemLocation(D->getLocation());
}
