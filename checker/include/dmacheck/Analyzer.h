// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The engine's entry point: analyse every function of a translation unit and
// return findings as data.
#ifndef DMACHECK_ANALYZER_H
#define DMACHECK_ANALYZER_H

#include "dmacheck/ApiModel.h"
#include "dmacheck/Checks.h"
#include "dmacheck/DriverFacts.h"
#include "dmacheck/Finding.h"

#include "clang/Basic/SourceLocation.h"

#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace dmacheck {

/// Hard, deterministic bounds: the same input gives the same output on any
/// machine. Hitting one marks the function partly analysed; it never produces
/// a finding of its own.
struct AnalysisLimits {
  /// Distinct DMA states kept per CFG block (paths whose DMA state is equal
  /// are merged, so this bounds only genuinely different situations).
  unsigned MaxStatesPerBlock = 32;
  /// Statement visits per function.
  unsigned MaxSteps = 400000;
  /// Transfers tracked at once on one path.
  unsigned MaxTransfers = 6;
  /// CFG blocks per function.
  unsigned MaxBlocks = 100000;
  /// Location values compared or joined between paths per function (the
  /// nodes of the persistent environments visited where two states differ:
  /// what they share is not visited). A hard bound on time and memory for a
  /// function that keeps many states apart across thousands of locals;
  /// 20,000 locals across 20,000 branches stay far below it.
  unsigned long long MaxValueWork = 400000000;
};

struct AnalysisOptions {
  CheckSet Checks = CheckSet::all();
  AnalysisLimits Limits;
  /// What the driver's other files say (merged over the compile database,
  /// or read with --facts); may be null.
  const DriverFacts *Facts = nullptr;
};

/// A call whose DMA effects are not visible, which ended what the analysis
/// knew of an open transfer: nothing more is reported for that transfer on
/// that path (said under --verbose, so a user can see why nothing was).
struct UnknownCall {
  std::string Function;        // the routine the call is in
  clang::SourceLocation Loc;   // the call
  std::string Callee;
  unsigned MapLine = 0;        // where the transfer it silenced was mapped
  std::string Why;
};

struct AnalysisResult {
  std::vector<Finding> Findings;
  std::vector<PartialAnalysis> Partial;
  std::vector<UnknownCall> Silenced;
  /// The driver's routines called here whose bodies are in no file of the
  /// run (and that no facts describe): their DMA effects are unknown.
  std::set<std::string> UnknownRoutines;
  unsigned FunctionsAnalysed = 0;
  /// The analysis of the translation unit crashed and was recovered.
  bool InternalError = false;
  /// What this file tells the others (see DriverFacts).
  DriverFacts Exported;
  /// Routines defined elsewhere whose facts this analysis asked for and did
  /// not have: with them, it may see more.
  std::set<std::string> Wanted;
};

/// Analyses every function defined in the main file or a non-system header of
/// the translation unit. Findings are sorted by location and de-duplicated.
AnalysisResult analyzeTranslationUnit(clang::ASTContext &Ctx,
                                      const ApiModel &Model,
                                      const AnalysisOptions &Options);

} // namespace dmacheck

#endif
