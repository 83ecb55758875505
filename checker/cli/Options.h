// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The command line's options (llvm::cl), defined in Options.cpp, read by the
// other parts of the command: commands, the runs, the output.
#ifndef DMACHECK_CLI_OPTIONS_H
#define DMACHECK_CLI_OPTIONS_H

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"

#include <string>

namespace dmacheck {
namespace cli {

extern llvm::cl::OptionCategory Category;
extern llvm::cl::opt<std::string> ChecksOpt;
extern llvm::cl::opt<bool> ListChecks;
extern llvm::cl::list<std::string> RulesFiles;
extern llvm::cl::opt<bool> Verbose;
extern llvm::cl::opt<std::string> ColorOpt;
extern llvm::cl::opt<std::string> FormatOpt;
extern llvm::cl::opt<std::string> OutputFile;
extern llvm::cl::opt<std::string> SourceRoot;
extern llvm::cl::opt<unsigned> Jobs;
extern llvm::cl::opt<std::string> Shard;
extern llvm::cl::opt<std::string> WriteBaseline;
extern llvm::cl::opt<std::string> Baseline;
extern llvm::cl::opt<std::string> DiffFile;
extern llvm::cl::opt<std::string> LineFilter;
extern llvm::cl::opt<std::string> WdkRoot;
extern llvm::cl::opt<std::string> FactsFile;
extern llvm::cl::opt<std::string> ExportFacts;
extern llvm::cl::opt<bool> Quiet;
extern llvm::cl::opt<bool> FixOpt;
extern llvm::cl::opt<std::string> VcxprojFile;
extern llvm::cl::opt<std::string> ConfigurationOpt;
extern llvm::cl::opt<std::string> PlatformOpt;
extern llvm::cl::list<std::string> MsBuildProperties;
extern llvm::cl::opt<std::string> ExportCommands;
extern llvm::cl::opt<std::string> ProgressOpt;
extern llvm::cl::opt<unsigned> MaxStatesPerBlock;
extern llvm::cl::opt<unsigned long long> MaxValueWork;
extern llvm::cl::opt<unsigned> MaxKeptFiles;
extern llvm::cl::opt<unsigned> MaxSteps;

/// libTooling's --extra-arg-before and --extra-arg as an adjuster, for
/// databases CommonOptionsParser did not load itself.
clang::tooling::ArgumentsAdjuster extraArgsAdjuster();

/// The name in messages ("dmacheck: error: ...").
constexpr const char *Tool = "dmacheck";
/// "dmacheck: error: Message" on stderr.
void error(const llvm::Twine &Message);

} // namespace cli
} // namespace dmacheck

#endif
