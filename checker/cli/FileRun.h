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

#include <set>
#include <string>
#include <vector>

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

/// Parses and analyses one file with its own ClangTool.
FileResult analyzeFile(const clang::tooling::CompilationDatabase &DB,
                       const std::string &File, const RunConfig &Config,
                       const std::vector<std::string> &ExtraFlags);

} // namespace cli
} // namespace dmacheck

#endif
