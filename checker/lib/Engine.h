// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The conductor of one translation unit's analysis. It asks the driver model
// (driver/) which functions map, walks each once bottom-up (walk/) so that a
// helper's summary (summaries/) is ready before its first caller needs it,
// stores the transfers AdapterControl routines leave in the device extension
// and walks the DPCs that find them (driver/StoredTransfers.cpp), and collects
// the checks' findings (checks/), one per bug.
//
//   API model, events (model/) -> driver model (driver/) -> summaries
//   (summaries/) -> the walk (walk/: CFG, path state, merge, bounds; values
//   and branch facts beside it) -> checks (checks/) -> findings and output
//   (report/)
#ifndef DMACHECK_ENGINE_H
#define DMACHECK_ENGINE_H

#include "dmacheck/Analyzer.h"
#include "dmacheck/Events.h"

#include "driver/DriverModel.h"
#include "summaries/Summaries.h"

#include "clang/AST/ASTContext.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace dmacheck {

class Engine {
public:
  Engine(clang::ASTContext &Ctx, const ApiModel &Model,
         const AnalysisOptions &Opts, AnalysisResult &Result)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Recognizer(Model), Opts(Opts),
        Result(Result), Driver(Ctx, Recognizer, Opts, Result) {}

  void analyzeTranslationUnit();

  DriverModel &driver() { return Driver; }

  // Summaries (summaries/HelperSummary.cpp).
  /// A same-file helper that flushes, releases or completes on every path
  /// with its parameters: what a call to it does; null when not exact.
  const HelperSummary *summaryOf(const clang::FunctionDecl *FD);
  /// A same-file function whose only DMA effect is to map: the transfer it
  /// leaves open, for its callers; null when that is not exact.
  const ExitSummary *mapSummaryOf(const clang::FunctionDecl *FD);

  /// A call with effects we cannot see ended what we knew of T.
  void noteSilenced(const clang::FunctionDecl *In, const clang::CallExpr *Call,
                    const Transfer &T, const char *Why);

private:
  const ExitSummary &analyzeFunction(const clang::FunctionDecl *FD);
  void runWalker(const clang::FunctionDecl *FD,
                 const std::vector<const StoredTransfer *> &Seeds,
                 ExitSummary *Exit);
  /// Across callbacks (driver/StoredTransfers.cpp): the transfers routines
  /// the system calls leave open in the device extension.
  void storeTransfers();

  clang::ASTContext &Ctx;
  clang::SourceManager &SM;
  EventRecognizer Recognizer;
  const AnalysisOptions &Opts;
  AnalysisResult &Result;
  DriverModel Driver;
  std::map<const clang::FunctionDecl *, std::unique_ptr<HelperSummary>>
      Summaries;
  std::map<const clang::FunctionDecl *, ExitSummary> Exits;
  std::set<const clang::FunctionDecl *> Analysing;
  std::vector<std::unique_ptr<StoredTransfer>> Stored;
  std::set<std::tuple<unsigned, unsigned, std::string>> Emitted;
};

} // namespace dmacheck

#endif
