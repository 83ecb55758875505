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
#include "dmacheck/Report.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
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
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
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
static cl::opt<unsigned> MaxStatesPerBlock(
    "max-states-per-block", cl::desc("Analysis bound (for testing)"),
    cl::init(AnalysisLimits().MaxStatesPerBlock), cl::Hidden,
    cl::cat(Category));
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

namespace {

/// Counts a TU's errors and shows them; the driver's own warnings are not
/// dmacheck's business and are dropped.
class ErrorCollector : public DiagnosticConsumer {
public:
  explicit ErrorCollector(bool Color) {
#if LLVM_VERSION_MAJOR >= 21
    Opts.ShowColors = Color;
    Printer = std::make_unique<TextDiagnosticPrinter>(llvm::errs(), Opts);
#else
    Opts = new DiagnosticOptions;
    Opts->ShowColors = Color;
    Printer = std::make_unique<TextDiagnosticPrinter>(llvm::errs(), Opts.get());
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
    } else if (Level != DiagnosticsEngine::Note) {
      ShowingNotes = false;
    }
    if (Level >= DiagnosticsEngine::Error ||
        (Level == DiagnosticsEngine::Note && ShowingNotes)) {
      DiagnosticConsumer::HandleDiagnostic(Level, Info);
      Printer->HandleDiagnostic(Level, Info);
    }
  }
  unsigned takeErrors() {
    unsigned E = Errors;
    Errors = 0;
    return E;
  }

private:
#if LLVM_VERSION_MAJOR >= 21
  DiagnosticOptions Opts;
#else
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> Opts;
#endif
  std::unique_ptr<TextDiagnosticPrinter> Printer;
  unsigned Errors = 0;
  bool ShowingNotes = false;
};

struct RunState {
  const ApiModel *Model = nullptr;
  AnalysisOptions Options;
  TextOptions Text;
  unsigned Findings = 0;
  unsigned FilesWithErrors = 0;
  ErrorCollector *Errors = nullptr;
};

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(RunState &State, CompilerInstance &CI, std::string File)
      : State(State), CI(CI), File(std::move(File)) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    AnalysisResult R = analyzeTranslationUnit(Ctx, *State.Model, State.Options);
    printFindings(R.Findings, Ctx.getSourceManager(), Ctx.getLangOpts(),
                  llvm::outs(), State.Text);
    State.Findings += R.Findings.size();
    if (Verbose)
      for (const PartialAnalysis &P : R.Partial) {
        PresumedLoc PL = Ctx.getSourceManager().getPresumedLoc(
            Ctx.getSourceManager().getFileLoc(P.Loc));
        llvm::errs() << (PL.isValid() ? PL.getFilename() : File) << ":"
                     << (PL.isValid() ? PL.getLine() : 0) << ": " << Tool
                     << ": note: function '" << P.Function << "' " << P.Reason
                     << "\n";
      }
  }

private:
  RunState &State;
  CompilerInstance &CI;
  std::string File;
};

class AnalysisAction : public ASTFrontendAction {
public:
  explicit AnalysisAction(RunState &State) : State(State) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef File) override {
    return std::make_unique<AnalysisConsumer>(State, CI, File.str());
  }
  void EndSourceFileAction() override {
    if (State.Errors->takeErrors()) {
      ++State.FilesWithErrors;
      error("'" + getCurrentFile() +
            "' has compile errors; functions with errors were not analysed");
    }
  }

private:
  RunState &State;
};

class ActionFactory : public FrontendActionFactory {
public:
  explicit ActionFactory(RunState &State) : State(State) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<AnalysisAction>(State);
  }

private:
  RunState &State;
};

} // namespace

static bool wantsColor() {
  if (ColorOpt == "always")
    return true;
  if (ColorOpt == "never")
    return false;
  return llvm::sys::Process::StandardOutIsDisplayed() &&
         llvm::sys::Process::StandardOutHasColors();
}

int main(int argc, const char **argv) {
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "dmacheck " DMACHECK_VERSION " (built with LLVM " LLVM_VERSION_STRING
          ")\n";
  });

  // Without "--" flags or -p, parse with the embedded default; a compilation
  // database found next to the sources still wins (below).
  std::vector<const char *> Args(argv, argv + argc);
  bool HasFlags = false, HasBuildPath = false;
  std::string BuildPath;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A(argv[I]);
    if (A == "--") {
      HasFlags = true;
      break;
    }
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
  std::vector<std::string> Defaults = defaultFlags();
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

  if (ListChecks) {
    std::string Err;
    auto Enabled = CheckSet::fromGlobList(ChecksOpt, Err);
    if (!Enabled) {
      error(Err);
      return 2;
    }
    llvm::outs() << "Enabled checks:\n";
    for (const CheckInfo &C : allChecks())
      if (Enabled->has(C.Id))
        llvm::outs() << "    " << C.Name << "\n";
    llvm::outs() << "\n";
    return 0;
  }

  RunState State;
  {
    std::string Err;
    auto Enabled = CheckSet::fromGlobList(ChecksOpt, Err);
    if (!Enabled) {
      error(Err);
      return 2;
    }
    State.Options.Checks = *Enabled;
  }
  State.Options.Limits.MaxStatesPerBlock = std::max(1u, unsigned(MaxStatesPerBlock));
  State.Options.Limits.MaxSteps = std::max(1u, unsigned(MaxSteps));
  ApiModel Model = ApiModel::builtin();
  for (const std::string &File : RulesFiles) {
    std::string Err;
    if (!Model.addRulesFromFile(File, Err)) {
      llvm::errs() << Tool << ": error: " << Err << "\n";
      return 2;
    }
  }
  State.Model = &Model;
  State.Text.Color = wantsColor();

  std::vector<std::string> Sources = Options.getSourcePathList();
  CompilationDatabase *Database =
      BuildDatabase ? BuildDatabase.get() : &Options.getCompilations();
  std::unique_ptr<CompilationDatabase> Detected;
  if (UsingDefault && !Sources.empty()) {
    // A compile_commands.json above the first source wins over the default,
    // but only when it really lists the file (not an interpolated guess).
    std::string Ignored;
    Detected = CompilationDatabase::autoDetectFromSource(Sources.front(), Ignored);
    if (Detected && hasExactEntry(*Detected, Sources.front())) {
      Database = Detected.get();
      UsingDefault = false;
    }
  }
  if (Sources.empty()) {
    if (HasBuildPath)
      Sources = Database->getAllFiles();
    if (Sources.empty()) {
      error(HasBuildPath ? "the compilation database lists no files"
                         : "no input files (see --help)");
      return 2;
    }
  }

  bool InputErrors = false;
  std::vector<std::string> Runnable;
  for (const std::string &S : Sources) {
    llvm::sys::fs::file_status Status;
    if (std::error_code EC = llvm::sys::fs::status(S, Status)) {
      error("cannot read '" + S + "': " + EC.message());
      InputErrors = true;
      continue;
    }
    if (llvm::sys::fs::is_directory(Status)) {
      error("'" + S + "' is a directory, not a source file");
      InputErrors = true;
      continue;
    }
    if (std::error_code EC =
            llvm::sys::fs::access(S, llvm::sys::fs::AccessMode::Exist)) {
      error("cannot read '" + S + "': " + EC.message());
      InputErrors = true;
      continue;
    }
    if (!UsingDefault && !HasFlags && !hasExactEntry(*Database, S)) {
      error("'" + S + "' has no entry in the compilation database");
      InputErrors = true;
      continue;
    }
    Runnable.push_back(S);
  }
  if (UsingDefault && !hasDefaultHeaders())
    llvm::errs() << Tool
                 << ": note: no driver headers found for the default "
                    "configuration (install mingw-w64-x86-64-dev, or pass "
                    "-- -I<WDK km include dir>)\n";

  ErrorCollector Errors(State.Text.Color);
  State.Errors = &Errors;
  // One ClangTool per file: files are analysed and printed in the order
  // given, and libTooling's own progress lines stay out of CI logs.
  for (const std::string &File : Runnable) {
    ClangTool Tool(*Database, {File});
    Tool.setPrintErrorMessage(false);
    // Clang's builtin headers, unless the command names its own.
    llvm::StringRef ResourceDir(DMACHECK_CLANG_RESOURCE_DIR);
    if (!ResourceDir.empty() && llvm::sys::fs::is_directory(ResourceDir))
      Tool.appendArgumentsAdjuster(
          [ResourceDir](const CommandLineArguments &A, llvm::StringRef) {
            for (const std::string &Arg : A)
              if (llvm::StringRef(Arg).substr(0, 13) == "-resource-dir")
                return A;
            CommandLineArguments Out = A;
            Out.insert(Out.begin() + (Out.empty() ? 0 : 1),
                       "-resource-dir=" + ResourceDir.str());
            return Out;
          });
    // The driver's own -Werror must not turn its warnings into our errors.
    Tool.appendArgumentsAdjuster(getInsertArgumentAdjuster(
        "-Wno-error", ArgumentInsertPosition::END));
    if (Verbose)
      Tool.appendArgumentsAdjuster(
          [](const CommandLineArguments &A, llvm::StringRef File) {
            llvm::errs() << ::Tool << ": note: compiling '" << File
                         << "' with:";
            for (const std::string &Arg : A)
              llvm::errs() << " " << Arg;
            llvm::errs() << "\n";
            return A;
          });
    Tool.setDiagnosticConsumer(&Errors);
    ActionFactory Factory(State);
    unsigned ErrorsBefore = State.FilesWithErrors;
    if (Tool.run(&Factory) != 0 && State.FilesWithErrors == ErrorsBefore) {
      error("'" + File + "' could not be analysed");
      InputErrors = true;
    }
  }
  if (State.FilesWithErrors)
    InputErrors = true;
  llvm::outs().flush();
  if (InputErrors)
    return 2;
  return State.Findings ? 1 : 0;
}
