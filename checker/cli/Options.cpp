// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The definitions of Options.h: every option of the command, its help text,
// and the extra help that closes --help.
#include "Options.h"

#include "dmacheck/Analyzer.h"

#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

namespace dmacheck {
namespace cli {

cl::OptionCategory Category("dmacheck options");

cl::opt<std::string> ChecksOpt(
    "checks",
    cl::desc("Which checks to run, as a clang-tidy style glob list\n"
             "(e.g. 'dma-*,-dma-flush-arg-mismatch'). Default: dma-*"),
    cl::init("dma-*"), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks",
                                cl::desc("List the enabled checks and exit"),
                                cl::cat(Category));
cl::list<std::string>
    RulesFiles("rules",
               cl::desc("A YAML rules file that adds the driver's own DMA "
                        "wrappers and names\n(see docs/rules.md); repeatable"),
               cl::value_desc("file"), cl::cat(Category));
cl::opt<bool>
    Verbose("verbose",
            cl::desc("Say which compile command each file was parsed with, and "
                     "which functions were only partly analysed"),
            cl::cat(Category));
cl::opt<std::string>
    ColorOpt("output-color", cl::desc("Colour the findings: auto, always, never"),
             cl::init("auto"), cl::cat(Category));
cl::opt<std::string>
    FormatOpt("format",
              cl::desc("Output format: text (default), sarif, json, html\n"
                       "(html: a report directory, given by -o)"),
              cl::init("text"), cl::cat(Category));
cl::opt<std::string>
    OutputFile("o",
               cl::desc("Write the output to <file> (with --format=html: the "
                        "directory\nof the report, created)"),
               cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Paths in SARIF, JSON and HTML are relative to this directory\n"
             "(SARIF: uriBaseId SRCROOT). Default: the current directory"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<unsigned>
    Jobs("j", cl::desc("Files analysed in parallel (default: all cores)"),
         cl::init(0), cl::Prefix, cl::cat(Category)); // -j2, -j 2, -j=2
cl::opt<std::string>
    Shard("shard",
          cl::desc("Analyse only shard K of N (K/N, 1-based): files whose "
                   "position in the list is K modulo N"),
          cl::value_desc("K/N"), cl::cat(Category));
cl::opt<std::string>
    WriteBaseline("write-baseline",
                  cl::desc("Record the findings' fingerprints in <file>"),
                  cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> Baseline(
    "baseline",
    cl::desc("Report only findings whose fingerprint is not in <file>"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> DiffFile(
    "diff",
    cl::desc("Report only findings whose location or path touches a line a\n"
             "unified diff (git diff -U0) adds or changes"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> LineFilter(
    "line-filter",
    cl::desc("Report only findings on these lines, in clang-tidy's format:\n"
             "[{\"name\":\"file.c\",\"lines\":[[1,3],[5,7]]},...]"),
    cl::cat(Category));
cl::opt<std::string>
    WdkRoot("wdk",
            cl::desc("A WDK or EWDK root: add its kernel-mode include "
                     "directories and the flags WDK headers need"),
            cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> FactsFile(
    "facts",
    cl::desc("Facts about the driver's other files, as written by "
             "--export-facts (for runs that do not see every file: a shard, "
             "one file, clang-tidy)"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> ExportFacts(
    "export-facts",
    cl::desc("Write what the analysed files tell each other (which routines "
             "have DMA effects, which fields they write, which roles they "
             "are registered in) to this file"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> FixOpt(
    "fix",
    cl::desc("Apply the fix-its of the findings reported to the source files,\n"
             "in place (only where the repair is provable: see docs/usage.md)"),
    cl::cat(Category));
cl::opt<bool> Quiet(
    "quiet",
    cl::desc("No progress line (by default shown on stderr when stderr is a\n"
             "terminal: files done of the total, findings so far)"),
    cl::cat(Category));
cl::opt<std::string> ProgressOpt(
    "progress",
    cl::desc("Progress line: auto (when stderr is a terminal), always, never;\n"
             "--quiet means never (for testing)"),
    cl::init("auto"), cl::Hidden, cl::cat(Category));
cl::opt<std::string> VcxprojFile(
    "vcxproj",
    cl::desc("An MSBuild project (.vcxproj) or solution (.sln): analyse the "
             "files it compiles, with the include directories and defines it "
             "gives them"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> ConfigurationOpt(
    "configuration",
    cl::desc("The --vcxproj configuration (default: the first the project or "
             "solution has for the platform, or Debug)"),
    cl::value_desc("name"), cl::cat(Category));
cl::opt<std::string> PlatformOpt(
    "platform",
    cl::desc("The --vcxproj platform: x64 (default), Win32, ARM64"),
    cl::value_desc("name"), cl::cat(Category));
cl::list<std::string> MsBuildProperties(
    "msbuild-property",
    cl::desc("A global MSBuild property for --vcxproj (e.g. a WDK macro the "
             "project names); repeatable"),
    cl::value_desc("name=value"), cl::cat(Category));
cl::opt<std::string> ExportCommands(
    "export-compile-commands",
    cl::desc("Write the compile commands derived from --vcxproj to this file, "
             "as a compile_commands.json for other tools"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<unsigned> MaxStatesPerBlock(
    "max-states-per-block", cl::desc("Analysis bound (for testing)"),
    cl::init(AnalysisLimits().MaxStatesPerBlock), cl::Hidden,
    cl::cat(Category));
cl::opt<unsigned> MaxKeptFiles(
    "max-kept-files",
    cl::desc("Keep the parsed files of runs of at most this many files for "
             "the second round (for testing)"),
    cl::init(16), cl::Hidden, cl::cat(Category));
cl::opt<unsigned long long> MaxValueWork(
    "max-value-work", cl::desc("Analysis bound (for testing)"),
    cl::init(AnalysisLimits().MaxValueWork), cl::Hidden, cl::cat(Category));
cl::opt<unsigned> MaxSteps("max-steps",
                                  cl::desc("Analysis bound (for testing)"),
                                  cl::init(AnalysisLimits().MaxSteps),
                                  cl::Hidden, cl::cat(Category));

cl::extrahelp MoreHelp(R"(
Finds DMA flush-ordering bugs in Windows kernel drivers written in C:
missing FlushAdapterBuffers before IRP completion or map-register release, a
flush after them, and a flush whose CurrentVa, Length, Mdl, MapRegisterBase,
adapter or direction differ from the map.

  dmacheck driver.c                       embedded default configuration
  dmacheck driver.c -- -I<km> -D...       explicit compiler flags
  dmacheck -p build/                      every file of compile_commands.json
  dmacheck -p build/ src/dma.c            some files of it
  dmacheck --vcxproj=driver.sln           the files an MSBuild solution or
                                          project compiles

Exit status: 0 no findings, 1 findings, 2 an input could not be analysed.
)");

/// CommonOptionsParser defines --extra-arg-before and --extra-arg (as
/// lists of strings) and applies them to the database it loads, and to none
/// when no file is named; they are read here by name for the others.
clang::tooling::ArgumentsAdjuster extraArgsAdjuster() {
  auto Values = [](llvm::StringRef Name) {
    std::vector<std::string> R;
    auto &Registered = cl::getRegisteredOptions();
    auto It = Registered.find(Name);
    if (It != Registered.end())
      for (const std::string &V :
           *static_cast<cl::list<std::string> *>(It->second))
        R.push_back(V);
    return R;
  };
  using namespace clang::tooling;
  return combineAdjusters(
      getInsertArgumentAdjuster(Values("extra-arg-before"),
                                ArgumentInsertPosition::BEGIN),
      getInsertArgumentAdjuster(Values("extra-arg"),
                                ArgumentInsertPosition::END));
}

void error(const llvm::Twine &Message) {
  llvm::errs() << Tool << ": error: " << Message << "\n";
}

} // namespace cli
} // namespace dmacheck
