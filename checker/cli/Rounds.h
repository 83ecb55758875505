// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The rounds over a run's files (Rounds.cpp).
#ifndef DMACHECK_CLI_ROUNDS_H
#define DMACHECK_CLI_ROUNDS_H

#include "FileRun.h"

namespace dmacheck {
namespace cli {

/// Whether the first round shows its progress line on stderr: --progress
/// (auto: when stderr is a terminal and there is more than one file; always;
/// never), and never with --quiet.
bool showProgress(size_t Total);
/// The first round: every file whose Runnable is set, --jobs at a time, its
/// result stored in Results (which holds the input errors of the others).
void runFiles(const clang::tooling::CompilationDatabase &DB,
              const std::vector<std::string> &Sources,
              const std::vector<bool> &Runnable,
              std::vector<FileResult> &Results, const RunConfig &Config,
              const std::vector<std::string> &ExtraFlags);
/// The second round: the files that gain from the others' facts are analysed
/// again with them (their results replaced). Returns the merged facts.
DriverFacts secondRound(const clang::tooling::CompilationDatabase &DB,
                        const std::vector<std::string> &Sources,
                        const std::vector<bool> &Runnable,
                        std::vector<FileResult> &Results,
                        const DriverFacts &Given, const RunConfig &Config,
                        const std::vector<std::string> &ExtraFlags);

} // namespace cli
} // namespace dmacheck

#endif
