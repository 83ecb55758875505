// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// dmacheck: the command-line linter. libTooling front end over a compilation
// database (-p) or explicit flags (file.c -- flags); with neither, an embedded
// default configuration parses drivers that include <wdm.h> on any machine
// that has mingw-w64's DDK headers.
//
// Exit status: 0 no findings, 1 findings, 2 some input could not be analysed
// (every finding from the rest is still printed).
#include "dmacheck/Analyzer.h"
#include "dmacheck/ApiModel.h"
#include "dmacheck/Checks.h"
#include "dmacheck/Output.h"
#include "dmacheck/Report.h"

#include "ChangedLines.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Driver/Types.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <cstring>
#include <string>
#include <vector>

using namespace clang;
using namespace clang::tooling;
using namespace dmacheck;
namespace cl = llvm::cl;

static cl::OptionCategory Category("dmacheck options");

static cl::opt<std::string> ChecksOpt(
    "checks",
    cl::desc("Which checks to run, as a clang-tidy style glob list\n"
             "(e.g. 'dma-*,-dma-flush-arg-mismatch'). Default: dma-*"),
    cl::init("dma-*"), cl::cat(Category));
static cl::opt<bool> ListChecks("list-checks",
                                cl::desc("List the enabled checks and exit"),
                                cl::cat(Category));
static cl::list<std::string>
    RulesFiles("rules",
               cl::desc("A YAML rules file that adds the driver's own DMA "
                        "wrappers and names\n(see docs/rules.md); repeatable"),
               cl::value_desc("file"), cl::cat(Category));
static cl::opt<bool>
    Verbose("verbose",
            cl::desc("Say which compile command each file was parsed with, and "
                     "which functions were only partly analysed"),
            cl::cat(Category));
static cl::opt<std::string>
    ColorOpt("output-color", cl::desc("Colour the findings: auto, always, never"),
             cl::init("auto"), cl::cat(Category));
static cl::opt<std::string>
    FormatOpt("format", cl::desc("Output format: text (default), sarif, json"),
              cl::init("text"), cl::cat(Category));
static cl::opt<std::string> OutputFile("o",
                                       cl::desc("Write the output to <file>"),
                                       cl::value_desc("file"),
                                       cl::cat(Category));
static cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Paths in SARIF and JSON are relative to this directory\n"
             "(SARIF: uriBaseId SRCROOT). Default: the current directory"),
    cl::value_desc("dir"), cl::cat(Category));
static cl::opt<unsigned>
    Jobs("j", cl::desc("Files analysed in parallel (default: all cores)"),
         cl::init(0), cl::Prefix, cl::cat(Category)); // -j2, -j 2, -j=2
static cl::opt<std::string>
    Shard("shard",
          cl::desc("Analyse only shard K of N (K/N, 1-based): files whose "
                   "position in the list is K modulo N"),
          cl::value_desc("K/N"), cl::cat(Category));
static cl::opt<std::string>
    WriteBaseline("write-baseline",
                  cl::desc("Record the findings' fingerprints in <file>"),
                  cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string> Baseline(
    "baseline",
    cl::desc("Report only findings whose fingerprint is not in <file>"),
    cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string> DiffFile(
    "diff",
    cl::desc("Report only findings whose location or path touches a line a\n"
             "unified diff (git diff -U0) adds or changes"),
    cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string> LineFilter(
    "line-filter",
    cl::desc("Report only findings on these lines, in clang-tidy's format:\n"
             "[{\"name\":\"file.c\",\"lines\":[[1,3],[5,7]]},...]"),
    cl::cat(Category));
static cl::opt<std::string>
    WdkRoot("wdk",
            cl::desc("A WDK or EWDK root: add its kernel-mode include "
                     "directories and the flags WDK headers need"),
            cl::value_desc("dir"), cl::cat(Category));
static cl::opt<std::string> FactsFile(
    "facts",
    cl::desc("Facts about the driver's other files, as written by "
             "--export-facts (for runs that do not see every file: a shard, "
             "one file, clang-tidy)"),
    cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string> ExportFacts(
    "export-facts",
    cl::desc("Write what the analysed files tell each other (which routines "
             "have DMA effects, which fields they write, which roles they "
             "are registered in) to this file"),
    cl::value_desc("file"), cl::cat(Category));
static cl::opt<bool> Quiet("quiet", cl::desc("No progress display"),
                           cl::cat(Category));
static cl::opt<unsigned> MaxStatesPerBlock(
    "max-states-per-block", cl::desc("Analysis bound (for testing)"),
    cl::init(AnalysisLimits().MaxStatesPerBlock), cl::Hidden,
    cl::cat(Category));
static cl::opt<unsigned long long> MaxValueWork(
    "max-value-work", cl::desc("Analysis bound (for testing)"),
    cl::init(AnalysisLimits().MaxValueWork), cl::Hidden, cl::cat(Category));
static cl::opt<unsigned> MaxSteps("max-steps",
                                  cl::desc("Analysis bound (for testing)"),
                                  cl::init(AnalysisLimits().MaxSteps),
                                  cl::Hidden, cl::cat(Category));

static cl::extrahelp MoreHelp(R"(
Finds DMA flush-ordering bugs in Windows kernel drivers written in C:
missing FlushAdapterBuffers before IRP completion or map-register release, a
flush after them, and a flush whose CurrentVa, Length, Mdl, MapRegisterBase,
adapter or direction differ from the map.

  dmacheck driver.c                       embedded default configuration
  dmacheck driver.c -- -I<km> -D...       explicit compiler flags
  dmacheck -p build/                      every file of compile_commands.json
  dmacheck -p build/ src/dma.c            some files of it

Exit status: 0 no findings, 1 findings, 2 an input could not be analysed.
)");

static const char *const Tool = "dmacheck";

static void error(const llvm::Twine &Message) {
  llvm::errs() << Tool << ": error: " << Message << "\n";
}

/// The embedded default: a Windows target, MS extensions (SEH, __int64) and
/// mingw-w64's DDK headers when installed. No WDK needed.
static std::vector<std::string> defaultFlags() {
  std::vector<std::string> Flags = {"--target=x86_64-w64-mingw32",
                                    "-fms-extensions"};
  llvm::SmallVector<llvm::StringRef, 2> Dirs;
  llvm::StringRef(DMACHECK_DEFAULT_DDK_DIRS).split(Dirs, ';', -1, false);
  for (llvm::StringRef D : Dirs)
    if (llvm::sys::fs::is_directory(D))
      Flags.push_back(("-isystem" + D).str());
  return Flags;
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

/// Whether clang parses File as C++, by clang's own rule: the last -x before
/// it (`-x c++`, `-xc++`), else its extension (.cpp, .cxx, .cc, .C, ...).
static bool parsesAsCxx(const CommandLineArguments &A, llvm::StringRef File) {
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

/// Whether the database lists File itself (JSON databases otherwise answer
/// with a command interpolated from a similar file).
static bool hasExactEntry(const CompilationDatabase &DB, llvm::StringRef File) {
  llvm::SmallString<256> Path(File);
  llvm::sys::fs::make_absolute(Path);
  for (const CompileCommand &C : DB.getCompileCommands(Path))
    if (C.Heuristic.empty())
      return true;
  return false;
}

static bool hasDefaultHeaders() {
  llvm::SmallVector<llvm::StringRef, 2> Dirs;
  llvm::StringRef(DMACHECK_DEFAULT_DDK_DIRS).split(Dirs, ';', -1, false);
  for (llvm::StringRef D : Dirs)
    if (llvm::sys::fs::is_directory(D))
      return true;
  return false;
}

/// --wdk=DIR: the kernel-mode include directories of a WDK or EWDK, and
/// what WDK headers need from Clang. Layouts: <root>/Include/<version>/km
/// (the newest version), an EWDK's Program Files/Windows Kits/10/Include/
/// <version>/km, a flat <root>/Include/km or <root>/km (a copy of one
/// version's include directory), and the WDK 7 / WDK 6 <root>/inc/ddk,
/// inc/api, inc/crt.
static std::vector<std::string> wdkFlags(llvm::StringRef Root,
                                         std::string &Error) {
  auto Dir = [](llvm::StringRef Base, llvm::StringRef Sub) {
    llvm::SmallString<256> P(Base);
    llvm::sys::path::append(P, Sub);
    return std::string(P);
  };
  std::vector<std::string> Includes;
  std::string Best;
  for (const char *Sub : {"Include", "Program Files/Windows Kits/10/Include"}) {
    std::string Inc = Dir(Root, Sub);
    if (!llvm::sys::fs::is_directory(Inc))
      continue;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Inc, EC), End; It != End && !EC;
         It.increment(EC))
      if (llvm::sys::fs::is_directory(Dir(It->path(), "km")) &&
          It->path() > Best)
        Best = It->path();
  }
  if (Best.empty())
    for (const char *Flat : {"Include", "."})
      if (llvm::sys::fs::is_directory(Dir(Dir(Root, Flat), "km"))) {
        Best = Dir(Root, Flat);
        break;
      }
  if (!Best.empty()) {
    for (const char *Sub : {"km/crt", "km", "shared"})
      if (llvm::sys::fs::is_directory(Dir(Best, Sub)))
        Includes.push_back(Dir(Best, Sub));
  } else if (llvm::sys::fs::is_directory(Dir(Root, "inc/ddk"))) {
    for (const char *Sub : {"inc/ddk", "inc/api", "inc/crt"})
      if (llvm::sys::fs::is_directory(Dir(Root, Sub)))
        Includes.push_back(Dir(Root, Sub));
  }
  if (Includes.empty()) {
    Error = "no Include/<version>/km, Include/km or inc/ddk directory under '" +
            Root.str() + "'";
    return {};
  }
  std::vector<std::string> Flags = {
      "-fms-extensions", "-fms-compatibility", "-fms-compatibility-version=19.29",
      "-D_KERNEL_MODE", "-Wno-everything"};
  for (const std::string &D : Includes)
    Flags.push_back("-isystem" + D);
  return Flags;
}

/// A driver is compiled for Windows: a command that names no target gets
/// the one its flags imply (its architecture from -m32, _X86_, _ARM64_, its
/// environment MSVC when it is a cl command, uses -fms-compatibility or
/// --wdk, mingw-w64's otherwise), so that it does not parse as Linux code.
static std::string impliedTarget(const CommandLineArguments &A, bool Msvc) {
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
static std::string targetOf(const CommandLineArguments &A) {
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
static std::vector<std::string> wdkArchDefines(const CommandLineArguments &A) {
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

namespace {

/// A TU's compile errors, rendered as clang does, kept for printing in file
/// order; the driver's own warnings are not dmacheck's business.
class ErrorCollector : public DiagnosticConsumer {
public:
  explicit ErrorCollector(bool Color) : OS(Text) {
#if LLVM_VERSION_MAJOR >= 21
    Opts.ShowColors = Color;
    Printer = std::make_unique<TextDiagnosticPrinter>(OS, Opts);
#else
    Opts = new DiagnosticOptions;
    Opts->ShowColors = Color;
    Printer = std::make_unique<TextDiagnosticPrinter>(OS, Opts.get());
#endif
  }
  void BeginSourceFile(const LangOptions &LO, const Preprocessor *PP) override {
    Printer->BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override { Printer->EndSourceFile(); }
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    if (Level >= DiagnosticsEngine::Error) {
      ++Errors;
      ShowingNotes = true;
      llvm::SmallString<128> Msg;
      Info.FormatDiagnostic(Msg);
      if (FirstError.empty())
        FirstError = std::string(Msg);
      llvm::StringRef M(Msg);
      NeedsMsvc |= M.contains("not supported by Windows DDK");
      NeedsArch |= M.contains("No target architecture defined");
    } else if (Level != DiagnosticsEngine::Note) {
      ShowingNotes = false;
    }
    if (Level >= DiagnosticsEngine::Error ||
        (Level == DiagnosticsEngine::Note && ShowingNotes)) {
      DiagnosticConsumer::HandleDiagnostic(Level, Info);
      Printer->HandleDiagnostic(Level, Info);
    }
  }
  std::string Text;
  llvm::raw_string_ostream OS;
  unsigned Errors = 0;
  std::string FirstError;
  bool NeedsMsvc = false; // the WDK's "Compiler version not supported"
  bool NeedsArch = false; // the WDK's "No target architecture defined"

private:
#if LLVM_VERSION_MAJOR >= 21
  DiagnosticOptions Opts;
#else
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> Opts;
#endif
  std::unique_ptr<TextDiagnosticPrinter> Printer;
  bool ShowingNotes = false;
};

struct RunConfig {
  const ApiModel *Model = nullptr;
  AnalysisOptions Options;
  TextOptions Text;
  std::string SourceRoot;
  const ChangedLines *Changed = nullptr;          // --diff / --line-filter
  const std::set<std::string> *Known = nullptr;  // --baseline
  bool Verbose = false;
  bool EmbeddedDefault = false; // mingw-w64's headers, no command of the driver's
};

/// One finding as it will be printed.
struct Reported {
  PortableFinding Data;
  std::string Text;
};

/// What analysing one file produced, printed later in file order.
struct FileResult {
  std::vector<Reported> Findings;
  std::vector<std::string> AllFingerprints; // for --write-baseline
  std::string Diagnostics;                  // compile errors, notes (stderr)
  std::vector<RunErrorRecord> Errors;
  DriverFacts Exported;          // what this file tells the others
  std::set<std::string> Wanted;  // what it would like to know of them
  std::set<std::string> Unknown; // driver routines whose effects it lacked
  bool Analysed = false;         // its translation unit reached the analysis
  bool InternalError = false;
};

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(const RunConfig &Config, FileResult &Out)
      : Config(Config), Out(Out) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    SourceManager &SM = Ctx.getSourceManager();
    AnalysisResult R =
        analyzeTranslationUnit(Ctx, *Config.Model, Config.Options);
    Out.Exported = std::move(R.Exported);
    Out.Wanted = std::move(R.Wanted);
    Out.Unknown = std::move(R.UnknownRoutines);
    Out.Analysed = true;
    Out.InternalError = R.InternalError;
    if (R.InternalError) {
      std::string File;
      if (const FileEntry *FE = SM.getFileEntryForID(SM.getMainFileID()))
        File = FE->tryGetRealPathName().str();
      std::string Msg = "'" + File +
                        "' could not be analysed: internal error in the "
                        "analysis (please report the input)";
      Out.Diagnostics += std::string(Tool) + ": error: " + Msg + "\n";
      Out.Errors.push_back({File, Msg});
    }
    std::vector<const Finding *> Kept;
    std::vector<PortableFinding> Portable;
    for (const Finding &F : R.Findings) {
      if (isSuppressed(F, SM))
        continue;
      Kept.push_back(&F);
      Portable.push_back(makePortable(F, SM));
    }
    assignFingerprints(Portable, Config.SourceRoot);
    for (size_t I = 0; I < Kept.size(); ++I) {
      const PortableFinding &P = Portable[I];
      Out.AllFingerprints.push_back(P.Fingerprint);
      if (Config.Known && Config.Known->count(P.Fingerprint))
        continue;
      if (Config.Changed && !touchesChange(P))
        continue;
      Reported Item;
      Item.Data = P;
      llvm::raw_string_ostream OS(Item.Text);
      printFindings({*Kept[I]}, SM, Ctx.getLangOpts(), OS, Config.Text);
      OS.flush();
      Out.Findings.push_back(std::move(Item));
    }
    if (Config.Verbose) {
      llvm::raw_string_ostream OS(Out.Diagnostics);
      for (const PartialAnalysis &P : R.Partial) {
        PresumedLoc PL = SM.getPresumedLoc(SM.getFileLoc(P.Loc));
        OS << (PL.isValid() ? PL.getFilename() : "") << ":"
           << (PL.isValid() ? PL.getLine() : 0) << ": " << Tool
           << ": note: function '" << P.Function << "' " << P.Reason << "\n";
      }
      for (const UnknownCall &U : R.Silenced) {
        PresumedLoc PL = SM.getPresumedLoc(U.Loc);
        OS << (PL.isValid() ? PL.getFilename() : "") << ":"
           << (PL.isValid() ? PL.getLine() : 0) << ": " << Tool
           << ": note: in '" << U.Function << "', the transfer mapped at line "
           << U.MapLine << " is not followed past this call to '" << U.Callee
           << "': " << U.Why << "\n";
      }
    }
  }

private:
  bool touchesChange(const PortableFinding &P) const {
    if (Config.Changed->touches(P.Loc.File, P.Loc.Line))
      return true;
    for (const PortableNote &N : P.Notes)
      if (Config.Changed->touches(N.Loc.File, N.Loc.Line))
        return true;
    return false;
  }
  const RunConfig &Config;
  FileResult &Out;
};

class AnalysisAction : public ASTFrontendAction {
public:
  AnalysisAction(const RunConfig &Config, FileResult &Out)
      : Config(Config), Out(Out) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &,
                                                 llvm::StringRef) override {
    return std::make_unique<AnalysisConsumer>(Config, Out);
  }

private:
  const RunConfig &Config;
  FileResult &Out;
};

class ActionFactory : public FrontendActionFactory {
public:
  ActionFactory(const RunConfig &Config, FileResult &Out)
      : Config(Config), Out(Out) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<AnalysisAction>(Config, Out);
  }

private:
  const RunConfig &Config;
  FileResult &Out;
};

/// Parses and analyses one file with its own ClangTool, so files can run on
/// several threads and their output is kept apart.
FileResult analyzeFile(const CompilationDatabase &DB, const std::string &File,
                       const RunConfig &Config,
                       const std::vector<std::string> &ExtraFlags) {
  FileResult Out;
  ClangTool Clang(DB, {File});
  Clang.setPrintErrorMessage(false);
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
  if (Config.EmbeddedDefault)
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
  std::string *Diagnostics = &Out.Diagnostics;
  if (Config.Verbose)
    Clang.appendArgumentsAdjuster(
        [Diagnostics](const CommandLineArguments &A, llvm::StringRef F) {
          llvm::raw_string_ostream OS(*Diagnostics);
          OS << ::Tool << ": note: compiling '" << F << "' with:";
          for (const std::string &Arg : A)
            OS << " " << Arg;
          OS << "\n";
          return A;
        });
  ErrorCollector Errors(Config.Text.Color);
  Clang.setDiagnosticConsumer(&Errors);
  ActionFactory Factory(Config, Out);
  int RC = Clang.run(&Factory);
  Errors.OS.flush();
  Out.Diagnostics += Errors.Text;
  if (Errors.Errors) {
    std::string Msg = "'" + File +
                      "' has compile errors; functions with errors were not "
                      "analysed";
    Out.Diagnostics += std::string(::Tool) + ": error: " + Msg + "\n";
    // What a new user must add, in one line.
    if (Errors.NeedsMsvc)
      Out.Diagnostics +=
          std::string(::Tool) +
          ": note: these are Microsoft WDK headers, which parse only in MSVC "
          "mode: use --wdk=<WDK root>, or add --target=x86_64-pc-windows-msvc "
          "-fms-compatibility -D_AMD64_ to the flags\n";
    else if (Errors.NeedsArch)
      Out.Diagnostics += std::string(::Tool) +
                         ": note: the WDK headers need the architecture: add "
                         "-D_AMD64_ (x64), -D_X86_=1 (x86) or -D_ARM64_ to the "
                         "flags, or use --wdk=<WDK root>\n";
    Out.Errors.push_back({File, Msg + " (first: " + Errors.FirstError + ")"});
  } else if (RC != 0) {
    std::string Msg = "'" + File + "' could not be analysed";
    Out.Diagnostics += std::string(::Tool) + ": error: " + Msg + "\n";
    Out.Errors.push_back({File, Msg});
  }
  return Out;
}

} // namespace

static bool wantsColor() {
  if (ColorOpt == "always")
    return true;
  if (ColorOpt == "never")
    return false;
  return FormatOpt == "text" && OutputFile.empty() &&
         llvm::sys::Process::StandardOutIsDisplayed() &&
         llvm::sys::Process::StandardOutHasColors();
}

static bool readFile(llvm::StringRef Path, std::string &Text,
                     std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer) {
    Error = "cannot read '" + Path.str() + "': " + Buffer.getError().message();
    return false;
  }
  Text = (*Buffer)->getBuffer().str();
  return true;
}

/// A baseline file: {"version": 1, "fingerprints": [...]}.
static bool readBaseline(llvm::StringRef Path, std::set<std::string> &Out,
                         std::string &Error) {
  std::string Text;
  if (!readFile(Path, Text, Error))
    return false;
  auto V = llvm::json::parse(Text);
  if (!V) {
    Error = "'" + Path.str() + "' is not a baseline: " +
            llvm::toString(V.takeError());
    return false;
  }
  const llvm::json::Object *O = V->getAsObject();
  const llvm::json::Array *A = O ? O->getArray("fingerprints") : nullptr;
  if (!A) {
    Error = "'" + Path.str() + "' is not a baseline (no \"fingerprints\")";
    return false;
  }
  for (const llvm::json::Value &F : *A)
    if (auto S = F.getAsString())
      Out.insert(S->str());
  return true;
}

int main(int argc, const char **argv) {
  // A crash in one file's analysis is reported (exit 2) and the others go on.
  llvm::CrashRecoveryContext::Enable();
  // As clang and clang-tidy do: MS-style `__asm` blocks in driver headers
  // (x86 WDK headers) are parsed by the target's assembly parser.
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmParsers();
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "dmacheck " DMACHECK_VERSION " (built with LLVM " LLVM_VERSION_STRING
          ")\n";
  });

  // Without "--" flags or -p, parse with the embedded default; a compilation
  // database found next to the sources still wins (below).
  std::vector<const char *> Args(argv, argv + argc);
  bool HasFlags = false, HasBuildPath = false, HasWdk = false;
  std::string BuildPath;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A(argv[I]);
    if (A == "--") {
      HasFlags = true;
      break;
    }
    HasWdk |= A.substr(0, 5) == "-wdk=" || A.substr(0, 6) == "--wdk=" ||
              A == "-wdk" || A == "--wdk";
    if ((A == "-p" || A == "--p") && I + 1 < argc) {
      HasBuildPath = true;
      BuildPath = argv[I + 1];
    } else if (A.consume_front("-p=") || A.consume_front("--p=")) {
      HasBuildPath = true;
      BuildPath = A.str();
    }
  }
  // Load the database ourselves first: a broken one is an error (exit 2),
  // never a silent run without flags.
  std::unique_ptr<CompilationDatabase> BuildDatabase;
  if (HasBuildPath) {
    std::string Err;
    llvm::SmallString<256> Json(BuildPath);
    llvm::sys::path::append(Json, "compile_commands.json");
    if (!llvm::sys::fs::exists(Json)) {
      error("no compilation database (compile_commands.json) in '" +
            BuildPath + "'");
      return 2;
    }
    BuildDatabase = JSONCompilationDatabase::loadFromFile(
        Json, Err, JSONCommandLineSyntax::AutoDetect);
    if (!BuildDatabase) {
      error("invalid compilation database '" + Json +
            "': " + llvm::StringRef(Err).trim());
      return 2;
    }
  }
  // --wdk replaces the embedded default's headers (it keeps its target).
  std::vector<std::string> Defaults = defaultFlags();
  if (HasWdk)
    Defaults = {"-fms-extensions"};
  bool UsingDefault = !HasFlags && !HasBuildPath;
  if (UsingDefault) {
    Args.push_back("--");
    for (const std::string &F : Defaults)
      Args.push_back(F.c_str());
  }
  int ArgCount = int(Args.size());
  auto Parsed = CommonOptionsParser::create(ArgCount, Args.data(), Category,
                                            cl::ZeroOrMore);
  if (!Parsed) {
    error(llvm::toString(Parsed.takeError()));
    return 2;
  }
  CommonOptionsParser &Options = *Parsed;

  std::string Err;
  auto Enabled = CheckSet::fromGlobList(ChecksOpt, Err);
  if (!Enabled) {
    error(Err);
    return 2;
  }
  if (ListChecks) {
    llvm::outs() << "Enabled checks:\n";
    for (const CheckInfo &C : allChecks())
      if (Enabled->has(C.Id))
        llvm::outs() << "    " << C.Name << "\n";
    llvm::outs() << "\n";
    return 0;
  }
  if (FormatOpt != "text" && FormatOpt != "sarif" && FormatOpt != "json") {
    error("unknown --format '" + FormatOpt + "' (text, sarif, json)");
    return 2;
  }

  DriverFacts Given;
  if (!FactsFile.empty()) {
    std::string FactsError;
    if (!Given.readFile(FactsFile, FactsError)) {
      error("--facts: " + FactsError);
      return 2;
    }
  }
  RunConfig Config;
  Config.Options.Checks = *Enabled;
  Config.Options.Facts = &Given;
  Config.Options.Limits.MaxStatesPerBlock =
      std::max(1u, unsigned(MaxStatesPerBlock));
  Config.Options.Limits.MaxSteps = std::max(1u, unsigned(MaxSteps));
  Config.Options.Limits.MaxValueWork =
      std::max<unsigned long long>(1, MaxValueWork);
  Config.Verbose = Verbose;
  Config.Text.Color = wantsColor();
  ApiModel Model = ApiModel::builtin();
  for (const std::string &File : RulesFiles) {
    if (!Model.addRulesFromFile(File, Err)) {
      llvm::errs() << Tool << ": error: " << Err << "\n";
      return 2;
    }
  }
  Config.Model = &Model;
  {
    llvm::SmallString<256> Root(SourceRoot.empty() ? "." : SourceRoot.c_str());
    llvm::sys::fs::make_absolute(Root);
    llvm::sys::path::remove_dots(Root, true);
    Config.SourceRoot = std::string(Root);
  }

  ChangedLines Changed;
  if (!DiffFile.empty()) {
    std::string Text;
    if (!readFile(DiffFile, Text, Err) ||
        !Changed.addDiff(Text, Config.SourceRoot, Err)) {
      error("--diff: " + Err);
      return 2;
    }
  }
  if (!LineFilter.empty() &&
      !Changed.addLineFilter(LineFilter, Config.SourceRoot, Err)) {
    error("--line-filter: " + Err);
    return 2;
  }
  if (!DiffFile.empty() || !LineFilter.empty())
    Config.Changed = &Changed;
  std::set<std::string> Known;
  if (!Baseline.empty()) {
    if (!readBaseline(Baseline, Known, Err)) {
      error("--baseline: " + Err);
      return 2;
    }
    Config.Known = &Known;
  }
  unsigned ShardIndex = 0, ShardCount = 1;
  if (!Shard.empty()) {
    auto [K, N] = llvm::StringRef(Shard).split('/');
    if (K.getAsInteger(10, ShardIndex) || N.getAsInteger(10, ShardCount) ||
        ShardCount == 0 || ShardIndex == 0 || ShardIndex > ShardCount) {
      error("--shard takes K/N with 1 <= K <= N, e.g. 2/4");
      return 2;
    }
    --ShardIndex;
  }
  std::vector<std::string> ExtraFlags;
  if (!WdkRoot.empty()) {
    ExtraFlags = wdkFlags(WdkRoot, Err);
    if (ExtraFlags.empty()) {
      error("--wdk: " + Err);
      return 2;
    }
  }

  std::vector<std::string> Sources = Options.getSourcePathList();
  CompilationDatabase *Database =
      BuildDatabase ? BuildDatabase.get() : &Options.getCompilations();
  std::unique_ptr<CompilationDatabase> Detected;
  if (UsingDefault && !Sources.empty()) {
    // A compile_commands.json above the first source wins over the default,
    // but only when it really lists the file (not an interpolated guess).
    std::string Ignored;
    Detected =
        CompilationDatabase::autoDetectFromSource(Sources.front(), Ignored);
    if (Detected && hasExactEntry(*Detected, Sources.front())) {
      Database = Detected.get();
      UsingDefault = false;
    }
  }
  Config.EmbeddedDefault = UsingDefault && !HasWdk;
  if (Sources.empty()) {
    if (HasBuildPath)
      Sources = Database->getAllFiles();
    if (Sources.empty()) {
      error(HasBuildPath ? "the compilation database lists no files"
                         : "no input files (see --help)");
      return 2;
    }
  }
  if (UsingDefault && !hasDefaultHeaders() && WdkRoot.empty())
    llvm::errs() << Tool
                 << ": note: no driver headers found for the default "
                    "configuration (install mingw-w64-x86-64-dev, or pass "
                    "--wdk=<dir> or -- -I<WDK km include dir>)\n";

  // Input errors are reported in file order with everything else.
  std::vector<FileResult> Results(Sources.size());
  std::vector<bool> Runnable(Sources.size(), false);
  for (size_t I = 0; I < Sources.size(); ++I) {
    const std::string &S = Sources[I];
    if (I % ShardCount != ShardIndex)
      continue;
    auto Fail = [&](const std::string &Msg) {
      Results[I].Diagnostics = std::string(Tool) + ": error: " + Msg + "\n";
      Results[I].Errors.push_back({S, Msg});
    };
    llvm::sys::fs::file_status Status;
    if (std::error_code EC = llvm::sys::fs::status(S, Status)) {
      Fail("cannot read '" + S + "': " + EC.message());
      continue;
    }
    if (llvm::sys::fs::is_directory(Status)) {
      Fail("'" + S + "' is a directory, not a source file");
      continue;
    }
    if (!UsingDefault && !HasFlags && !hasExactEntry(*Database, S)) {
      Fail("'" + S + "' has no entry in the compilation database");
      continue;
    }
    Runnable[I] = true;
  }

  size_t Total = std::count(Runnable.begin(), Runnable.end(), true);
  bool Progress = !Quiet && llvm::sys::Process::StandardErrIsDisplayed() &&
                  Total > 1;
  std::atomic<size_t> Done{0};
  std::mutex ProgressLock;
  auto RunOne = [&](size_t I) {
    Results[I] = analyzeFile(*Database, Sources[I], Config, ExtraFlags);
    size_t N = ++Done;
    if (Progress) {
      std::lock_guard<std::mutex> Guard(ProgressLock);
      llvm::errs() << "\r\x1b[K[" << N << "/" << Total << "] "
                   << llvm::sys::path::filename(Sources[I]);
      if (N == Total)
        llvm::errs() << "\r\x1b[K";
    }
  };
  unsigned Threads = Jobs ? unsigned(Jobs)
                          : llvm::hardware_concurrency().compute_thread_count();
  if (Threads <= 1 || Total <= 1) {
    for (size_t I = 0; I < Sources.size(); ++I)
      if (Runnable[I])
        RunOne(I);
  } else {
#if LLVM_VERSION_MAJOR >= 18
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
#else
    llvm::ThreadPool Pool(llvm::hardware_concurrency(Threads));
#endif
    for (size_t I = 0; I < Sources.size(); ++I)
      if (Runnable[I])
        Pool.async([&RunOne, I] { RunOne(I); });
    Pool.wait();
  }

  // Across files: a file that called routines defined in another file, or
  // defines routines another file registers, is analysed again with what
  // the others said (one more round; the common single-file run pays
  // nothing).
  DriverFacts Merged = Given;
  for (size_t I = 0; I < Sources.size(); ++I)
    Merged.merge(Results[I].Exported);
  // A file gains from a second look when a routine it calls is defined in
  // another file (its body was unseen), or when another file registers a
  // routine it defines in a role it did not know of. A routine every file
  // defines (an inline function of a shared header) or whose roles every
  // file declares (a role typedef in a shared header) gains nothing.
  auto Gains = [&](size_t I, const std::string &Name) {
    const auto &Mine = Results[I].Exported.Routines;
    auto M = Mine.find(Name);
    bool DefinedHere = M != Mine.end() && M->second.Defined;
    if (!DefinedHere) {
      auto Defined = [&](const DriverFacts &F) {
        auto R = F.Routines.find(Name);
        return R != F.Routines.end() && R->second.Defined;
      };
      // Defined in another file, and not already in the facts given.
      return Defined(Merged) && !Defined(Given);
    }
    for (size_t J = 0; J < Sources.size(); ++J) {
      if (J == I)
        continue;
      auto R = Results[J].Exported.Routines.find(Name);
      if (R == Results[J].Exported.Routines.end())
        continue;
      for (const std::string &Role : R->second.Roles)
        if (!M->second.Roles.count(Role))
          return true;
    }
    return false;
  };
  std::vector<size_t> Again;
  std::map<size_t, std::string> AgainFor;
  for (size_t I = 0; I < Sources.size(); ++I) {
    // A file with compile errors (often in headers only) was analysed but
    // for the functions with errors: it takes part in the second round too.
    if (!Runnable[I] || !Results[I].Analysed || Results[I].InternalError)
      continue;
    for (const std::string &Name : Results[I].Wanted)
      if (Gains(I, Name)) {
        Again.push_back(I);
        AgainFor[I] = Name;
        break;
      }
  }
  if (!Again.empty()) {
    RunConfig Second = Config;
    Second.Options.Facts = &Merged;
    for (size_t I : Again) {
      FileResult R = analyzeFile(*Database, Sources[I], Second, ExtraFlags);
      R.Exported = std::move(Results[I].Exported);
      if (Config.Verbose)
        R.Diagnostics = std::string(Tool) + ": note: analysing '" +
                        Sources[I] +
                        "' again with what the other files say (of '" +
                        AgainFor[I] + "')\n" + R.Diagnostics;
      Results[I] = std::move(R);
    }
  }
  if (!ExportFacts.empty()) {
    std::error_code EC;
    llvm::raw_fd_ostream FactsOut(ExportFacts, EC);
    if (EC) {
      error("cannot write '" + ExportFacts + "': " + EC.message());
      return 2;
    }
    FactsOut << Merged.toJson();
  }

  // Merge in file order; a finding in a header shared by several files is
  // reported once.
  std::vector<PortableFinding> All;
  std::vector<RunErrorRecord> Errors;
  std::vector<std::string> Fingerprints;
  std::set<std::string> Seen;
  std::string Text;
  for (FileResult &R : Results) {
    llvm::errs() << R.Diagnostics;
    for (RunErrorRecord &E : R.Errors)
      Errors.push_back(std::move(E));
    for (std::string &F : R.AllFingerprints)
      Fingerprints.push_back(std::move(F));
    for (Reported &F : R.Findings) {
      std::string Key = F.Data.Loc.File + ":" + std::to_string(F.Data.Loc.Line) +
                        ":" + std::to_string(F.Data.Loc.Column) + ":" +
                        F.Data.Fingerprint;
      if (!Seen.insert(Key).second)
        continue;
      Text += F.Text;
      All.push_back(std::move(F.Data));
    }
  }

  if (Config.Verbose) {
    std::set<std::string> Unknown;
    for (const FileResult &R : Results)
      for (const std::string &Name : R.Unknown) {
        auto F = Merged.Routines.find(Name);
        if (F == Merged.Routines.end() || !F->second.Defined)
          Unknown.insert(Name);
      }
    if (!Unknown.empty()) {
      llvm::errs() << Tool << ": note: " << Unknown.size()
                   << " routine(s) of the driver are called but defined in no "
                      "analysed file; their DMA effects are unknown:";
      for (const std::string &Name : Unknown)
        llvm::errs() << " " << Name;
      llvm::errs() << "\n";
    }
  }

  if (!WriteBaseline.empty()) {
    std::sort(Fingerprints.begin(), Fingerprints.end());
    Fingerprints.erase(std::unique(Fingerprints.begin(), Fingerprints.end()),
                       Fingerprints.end());
    std::error_code EC;
    llvm::raw_fd_ostream OS(WriteBaseline, EC);
    if (EC) {
      error("cannot write '" + WriteBaseline + "': " + EC.message());
      return 2;
    }
    llvm::json::Array A;
    for (const std::string &F : Fingerprints)
      A.push_back(F);
    OS << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                     {"version", 1},
                                     {"tool", "dmacheck " DMACHECK_VERSION},
                                     {"fingerprints", std::move(A)}}))
       << "\n";
  }

  std::unique_ptr<llvm::ToolOutputFile> Out;
  llvm::raw_ostream *OS = &llvm::outs();
  if (!OutputFile.empty()) {
    std::error_code EC;
    Out = std::make_unique<llvm::ToolOutputFile>(OutputFile, EC,
                                                 llvm::sys::fs::OF_None);
    if (EC) {
      error("cannot write '" + OutputFile + "': " + EC.message());
      return 2;
    }
    OS = &Out->os();
  }
  if (FormatOpt == "sarif")
    writeSarif(*OS, All, Errors, Config.SourceRoot, DMACHECK_VERSION,
               DMACHECK_DOCS_URL);
  else if (FormatOpt == "json")
    writeJson(*OS, All, Errors, Config.SourceRoot);
  else
    *OS << Text;
  OS->flush();
  if (Out)
    Out->keep();
  if (!Errors.empty())
    return 2;
  return All.empty() ? 0 : 1;
}
