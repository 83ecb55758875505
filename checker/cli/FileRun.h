// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// What the runs over files are made of: the configuration every file is
// analysed with, and what one file's analysis produced (FileRun.cpp).
#ifndef DMACHECK_CLI_FILERUN_H
#define DMACHECK_CLI_FILERUN_H

#include "ChangedLines.h"

#include "dmacheck/Analyzer.h"
#include "dmacheck/ApiModel.h"
#include "dmacheck/DriverFacts.h"
#include "dmacheck/Output.h"
#include "dmacheck/Report.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <memory>

#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTUnit;
}

namespace dmacheck {
namespace cli {

struct RunConfig {
  const ApiModel *Model = nullptr;
  AnalysisOptions Options;
  TextOptions Text;
  std::string SourceRoot;
  const ChangedLines *Changed = nullptr;          // --diff / --line-filter
  const std::set<std::string> *Known = nullptr;  // --baseline
  bool Verbose = false;
  bool EmbeddedDefault = false; // mingw-w64's headers, no command of the driver's
  /// Keep the translation unit of a file that would like to know what the
  /// other files say (FileResult::Wanted), so that a second round analyses
  /// it again without parsing it again. Set for runs of a few files.
  bool KeepAST = false;
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

  /// With RunConfig::KeepAST: the parsed file, and what of the output
  /// came from parsing it (the compile command, the compile errors), for
  /// analysing it again (reanalyzeFile).
  std::shared_ptr<clang::ASTUnit> AST;
  std::string CommandNotes, ParseDiagnostics;
  std::vector<RunErrorRecord> ParseErrors;
};

/// Parses and analyses one file with its own ClangTool.
FileResult analyzeFile(const clang::tooling::CompilationDatabase &DB,
                       const std::string &File, const RunConfig &Config,
                       const std::vector<std::string> &ExtraFlags);

/// Analyses again a file whose translation unit was kept, with another
/// configuration (the second round's facts), as analyzeFile would after
/// parsing it again. The result keeps the translation unit.
FileResult reanalyzeFile(const FileResult &First, const RunConfig &Config);

} // namespace cli
} // namespace dmacheck

#endif
