// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// One file's run: parse it with its own ClangTool (so files can run on
// several threads and their output is kept apart), analyse the translation
// unit, and keep what is to be printed (findings rendered as text, portable
// findings for SARIF/JSON, compile errors, --verbose notes) for the output in
// file order.
#include "FileRun.h"
#include "Commands.h"
#include "Options.h"

#include "dmacheck/Report.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace clang::tooling;
using namespace dmacheck;
using namespace dmacheck::cli;

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
      // Not counted by the base class: clang would then print "N errors
      // generated." straight to stderr, out of file order (dmacheck says
      // "has compile errors" in the file's output instead).
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




/// Analyses a parsed translation unit into Out: findings, exported facts,
/// --verbose notes.
class TranslationUnitRun {
public:
  TranslationUnitRun(const RunConfig &Config, FileResult &Out)
      : Config(Config), Out(Out) {}

  void run(ASTContext &Ctx) {
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
      Portable.push_back(makePortable(F, SM, &Ctx));
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

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(const RunConfig &Config, FileResult &Out)
      : Config(Config), Out(Out) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    TranslationUnitRun(Config, Out).run(Ctx);
  }

private:
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

} // namespace

/// Parses and analyses one file with its own ClangTool, so files can run on
/// several threads and their output is kept apart.
FileResult cli::analyzeFile(const CompilationDatabase &DB, const std::string &File,
                       const RunConfig &Config,
                       const std::vector<std::string> &ExtraFlags) {
  FileResult Out;
  ClangTool Clang(DB, {File});
  Clang.setPrintErrorMessage(false);
  adjustArguments(Clang, ExtraFlags, Config.EmbeddedDefault, Config.Verbose,
                  &Out.Diagnostics);
  ErrorCollector Errors(Config.Text.Color);
  Clang.setDiagnosticConsumer(&Errors);
  int RC;
  if (Config.KeepAST) {
    // Parsed into an ASTUnit that outlives the run, then analysed.
    std::vector<std::unique_ptr<ASTUnit>> Units;
    RC = Clang.buildASTs(Units);
    Out.CommandNotes = Out.Diagnostics;
    if (!Units.empty() && Units.front()) {
      Out.AST = std::move(Units.front());
      TranslationUnitRun(Config, Out).run(Out.AST->getASTContext());
    }
  } else {
    ActionFactory Factory(Config, Out);
    RC = Clang.run(&Factory);
  }
  size_t ParseAt = Out.Diagnostics.size();
  size_t ParseErrorsAt = Out.Errors.size();
  Errors.OS.flush();
  Out.Diagnostics += Errors.Text;
  if (Errors.Errors) {
    std::string Msg = "'" + File +
                      "' has compile errors; functions with errors were not "
                      "analysed";
    Out.Diagnostics += std::string(Tool) + ": error: " + Msg + "\n";
    // What a new user must add, in one line.
    if (Errors.NeedsMsvc)
      Out.Diagnostics +=
          std::string(Tool) +
          ": note: these are Microsoft WDK headers, which parse only in MSVC "
          "mode: use --wdk=<WDK root>, or add --target=x86_64-pc-windows-msvc "
          "-fms-compatibility -D_AMD64_ to the flags\n";
    else if (Errors.NeedsArch)
      Out.Diagnostics += std::string(Tool) +
                         ": note: the WDK headers need the architecture: add "
                         "-D_AMD64_ (x64), -D_X86_=1 (x86) or -D_ARM64_ to the "
                         "flags, or use --wdk=<WDK root>\n";
    Out.Errors.push_back({File, Msg + " (first: " + Errors.FirstError + ")"});
  } else if (RC != 0) {
    std::string Msg = "'" + File + "' could not be analysed";
    Out.Diagnostics += std::string(Tool) + ": error: " + Msg + "\n";
    Out.Errors.push_back({File, Msg});
  }
  if (Out.AST) {
    Out.ParseDiagnostics = Out.Diagnostics.substr(ParseAt);
    Out.ParseErrors.assign(Out.Errors.begin() + ParseErrorsAt, Out.Errors.end());
    // Nothing to ask the other files: the translation unit is not needed.
    if (Out.Wanted.empty())
      Out.AST.reset();
  }
  return Out;
}

FileResult cli::reanalyzeFile(const FileResult &First, const RunConfig &Config) {
  FileResult Out;
  Out.AST = First.AST;
  Out.CommandNotes = First.CommandNotes;
  Out.ParseDiagnostics = First.ParseDiagnostics;
  Out.ParseErrors = First.ParseErrors;
  // The same output as parsing again: the command, the analysis, then what
  // the parse said.
  Out.Diagnostics = First.CommandNotes;
  TranslationUnitRun(Config, Out).run(Out.AST->getASTContext());
  Out.Diagnostics += First.ParseDiagnostics;
  Out.Errors.insert(Out.Errors.end(), First.ParseErrors.begin(),
                    First.ParseErrors.end());
  return Out;
}
