// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The output of a run and the files read beside the sources (Results.cpp).
#ifndef DMACHECK_CLI_RESULTS_H
#define DMACHECK_CLI_RESULTS_H

#include "FileRun.h"

#include "llvm/ADT/StringRef.h"

#include <set>
#include <string>
#include <vector>

namespace dmacheck {
namespace cli {

/// --output-color: auto colours text on a terminal.
bool wantsColor();
bool readFile(llvm::StringRef Path, std::string &Text, std::string &Error);
/// A baseline file: {"version": 1, "fingerprints": [...]}.
bool readBaseline(llvm::StringRef Path, std::set<std::string> &Out,
                  std::string &Error);
/// Prints and writes everything the run produced; returns the exit status
/// (0 no findings, 1 findings, 2 an input could not be analysed).
/// InputErrors are errors of no one file (a project's), printed first.
int writeResults(std::vector<FileResult> &Results, const DriverFacts &Merged,
                 const RunConfig &Config,
                 const std::vector<RunErrorRecord> &InputErrors = {});

} // namespace cli
} // namespace dmacheck

#endif
