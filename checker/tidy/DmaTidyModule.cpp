// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The clang-tidy front end: one ClangTidyCheck per dma-* check, all calling
// the same engine as the dmacheck CLI. The engine runs once per translation
// unit; each check reports the findings that carry its id.
//
// Built as a loadable module (clang-tidy --load=...) that links nothing of
// clang-tidy: its symbols come from the clang-tidy executable that loads it.
#include "dmacheck/Analyzer.h"
#include "dmacheck/ApiModel.h"
#include "dmacheck/Checks.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/Version.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>
#include <optional>

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy;

namespace dmacheck {
namespace {

/// A relative rules file is looked for from the analysed file's directory
/// upwards, the way clang-tidy finds the .clang-tidy file that names it.
std::string resolveRulesFile(llvm::StringRef File, llvm::StringRef MainFile) {
  if (llvm::sys::path::is_absolute(File) || llvm::sys::fs::exists(File))
    return File.str();
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(MainFile);
       !Dir.empty(); Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, File);
    if (llvm::sys::fs::exists(Candidate))
      return std::string(Candidate);
  }
  return File.str();
}

/// The API model for a given rules-file option value, loaded once.
const ApiModel &modelFor(const std::string &RulesFiles,
                         llvm::StringRef MainFile) {
  static std::map<std::string, std::unique_ptr<ApiModel>> Models;
  llvm::SmallVector<llvm::StringRef, 2> Files;
  llvm::StringRef(RulesFiles).split(Files, ';', -1, /*KeepEmpty=*/false);
  std::string Key;
  std::vector<std::string> Resolved;
  for (llvm::StringRef F : Files) {
    Resolved.push_back(resolveRulesFile(F.trim(), MainFile));
    Key += Resolved.back() + ";";
  }
  auto &Slot = Models[Key];
  if (!Slot) {
    Slot = std::make_unique<ApiModel>(ApiModel::builtin());
    for (const std::string &F : Resolved) {
      std::string Error;
      if (!Slot->addRulesFromFile(F, Error))
        llvm::errs() << "error: dmacheck: " << Error << "\n";
    }
  }
  return *Slot;
}

/// The driver facts file (dmacheck --export-facts) an option names, loaded
/// once; null when there is none.
const DriverFacts *factsFor(const std::string &File, llvm::StringRef MainFile) {
  if (File.empty())
    return nullptr;
  static std::map<std::string, std::unique_ptr<DriverFacts>> Loaded;
  std::string Path = resolveRulesFile(File, MainFile);
  auto &Slot = Loaded[Path];
  if (!Slot) {
    Slot = std::make_unique<DriverFacts>();
    std::string Error;
    if (!Slot->readFile(Path, Error))
      llvm::errs() << "error: dmacheck: " << Error << "\n";
  }
  return Slot.get();
}

/// One analysis per translation unit, shared by the checks of this module.
struct SharedAnalysis {
  const ASTContext *Context = nullptr;
  std::string RulesFiles;
  std::string FactsFile;
  std::optional<AnalysisResult> Result;
};
SharedAnalysis &shared() {
  static SharedAnalysis S;
  return S;
}

class DmaCheck : public ClangTidyCheck {
public:
  DmaCheck(llvm::StringRef Name, ClangTidyContext *Context, CheckId Id)
      : ClangTidyCheck(Name, Context), Id(Id),
        RulesFiles(Options.getLocalOrGlobal("RulesFile", "")),
        FactsFile(Options.getLocalOrGlobal("FactsFile", "")) {}

  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "RulesFile", RulesFiles);
    Options.store(Opts, "FactsFile", FactsFile);
  }

  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return !LangOpts.ObjC;
  }

  void registerMatchers(MatchFinder *Finder) override {
    Finder->addMatcher(translationUnitDecl().bind("tu"), this);
  }

  void check(const MatchFinder::MatchResult &Match) override {
    SharedAnalysis &S = shared();
    if (S.Context != Match.Context || S.RulesFiles != RulesFiles ||
        S.FactsFile != FactsFile || !S.Result) {
      S.Context = Match.Context;
      S.RulesFiles = RulesFiles;
      S.FactsFile = FactsFile;
      AnalysisOptions Opts; // all checks: each instance reports its own
      const SourceManager &SM = Match.Context->getSourceManager();
      std::string MainFile;
      if (const FileEntry *FE = SM.getFileEntryForID(SM.getMainFileID()))
        MainFile = FE->tryGetRealPathName().str();
      Opts.Facts = factsFor(FactsFile, MainFile);
      S.Result = analyzeTranslationUnit(
          *Match.Context, modelFor(RulesFiles, MainFile), Opts);
    }
    for (const Finding &F : S.Result->Findings) {
      if (F.Check != Id)
        continue;
      {
        DiagnosticBuilder B = diag(F.Loc, "%0");
        B << F.Message;
        // clang-tidy --fix and --export-fixes apply / write these.
        for (const FindingFix &X : F.Fixes)
          B << FixItHint::CreateReplacement(X.Range, X.Text);
      }
      for (const FindingNote &N : F.Notes)
        diag(N.Loc, "%0", DiagnosticIDs::Note) << N.Message;
    }
  }

  void onEndOfTranslationUnit() override { shared() = SharedAnalysis(); }

private:
  CheckId Id;
  std::string RulesFiles;
  std::string FactsFile;
};

class DmaModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    for (const CheckInfo &C : allChecks()) {
      CheckId Id = C.Id;
      Factories.registerCheckFactory(
          C.Name, [Id](llvm::StringRef Name, ClangTidyContext *Context) {
            return std::make_unique<DmaCheck>(Name, Context, Id);
          });
    }
  }
};

} // namespace
} // namespace dmacheck

// Refuse to register inside a clang-tidy of another LLVM version: its
// classes have other layouts, and calling into them would crash. The
// version string function has the same signature in every version, so
// asking it is safe; nothing else of clang-tidy is touched before the answer.
static bool sameClangVersion() {
  std::string Host = clang::getClangFullVersion();
  std::string Mine = "version " + std::to_string(CLANG_VERSION_MAJOR) + ".";
  if (Host.find(Mine) != std::string::npos)
    return true;
  llvm::errs() << "error: dmacheck's clang-tidy plugin was built for LLVM "
               << CLANG_VERSION_STRING << " and cannot run in this clang-tidy ("
               << Host << "); load the plugin built against the same LLVM, "
               << "or use the dmacheck CLI. The dma-* checks are not "
                  "registered.\n";
  return false;
}

__attribute__((constructor)) static void registerDmaModule() {
  if (!sameClangVersion())
    return;
  static ClangTidyModuleRegistry::Add<dmacheck::DmaModule> X(
      "dmacheck-module", "DMA flush-ordering checks for Windows drivers.");
}
