// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The runs over the files: the first round analyses every runnable file, in
// parallel on LLVM's thread pool, with a progress line on a terminal (files
// done of the total, findings so far; --quiet turns it off); the
// second round analyses again the files that gain from what the others said
// (a routine defined in another file, a role another file registers), with
// the facts of all merged.
#include "Rounds.h"
#include "Options.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#if __has_include(<sys/ioctl.h>)
#include <sys/ioctl.h>
#include <unistd.h>
#endif
#include <map>
#include <mutex>
#include <optional>
#include <string>

using namespace clang::tooling;
using namespace dmacheck;
using namespace dmacheck::cli;

namespace {
/// The width of the terminal on stderr, 0 when unknown. LLVM reads only
/// $COLUMNS, which shells set but do not export; ask the terminal first.
unsigned stderrColumns() {
#if defined(TIOCGWINSZ)
  struct winsize Size;
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &Size) == 0 && Size.ws_col > 0)
    return Size.ws_col;
#endif
  return llvm::sys::Process::StandardErrColumns();
}

/// The progress line on stderr: "[done/total files, N findings] file",
/// rewritten in place (\r, erase to the end of the line) after each file and
/// cleared at the end, so nothing of it stays on the terminal.
class ProgressLine {
public:
  explicit ProgressLine(size_t Total)
      : Total(Total), Columns(stderrColumns()) {}
  /// One more file done, which had Findings findings.
  void fileDone(llvm::StringRef File, size_t Findings) {
    std::lock_guard<std::mutex> Guard(Lock);
    ++Done;
    Found += Findings;
    std::string Line = "[" + std::to_string(Done) + "/" +
                       std::to_string(Total) + " files, " +
                       std::to_string(Found) +
                       (Found == 1 ? " finding] " : " findings] ") +
                       llvm::sys::path::filename(File).str();
    // A line longer than the terminal would wrap, and \r would then rewrite
    // only its last row.
    if (Columns > 1 && Line.size() >= Columns)
      Line.resize(Columns - 1);
    llvm::errs() << "\r\x1b[K" << Line;
    llvm::errs().flush();
  }
  void clear() {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Done)
      llvm::errs() << "\r\x1b[K";
    llvm::errs().flush();
  }

private:
  std::mutex Lock;
  size_t Total;
  size_t Done = 0, Found = 0;
  unsigned Columns;
};
} // namespace

bool cli::showProgress(size_t Total) {
  if (Quiet || ProgressOpt == "never" || Total == 0)
    return false;
  if (ProgressOpt == "always")
    return true;
  return Total > 1 && llvm::sys::Process::StandardErrIsDisplayed();
}

void cli::runFiles(const CompilationDatabase &DB,
                   const std::vector<std::string> &Sources,
                   const std::vector<bool> &Runnable,
                   std::vector<FileResult> &Results, const RunConfig &Config,
                   const std::vector<std::string> &ExtraFlags) {
  size_t Total = std::count(Runnable.begin(), Runnable.end(), true);
  std::optional<ProgressLine> Progress;
  if (showProgress(Total))
    Progress.emplace(Total);
  // A run of a few files keeps the translation units of those that would
  // like to know what the others say, so that the second round does not
  // parse them again (a large database would hold too much memory: there
  // the second round parses again).
  RunConfig First = Config;
  First.KeepAST = Total > 1 && Total <= MaxKeptFiles; // 16 by default
  auto RunOne = [&](size_t I) {
    Results[I] = analyzeFile(DB, Sources[I], First, ExtraFlags);
    if (Progress)
      Progress->fileDone(Sources[I], Results[I].Findings.size());
  };
  unsigned Threads = Jobs ? unsigned(Jobs)
                          : llvm::hardware_concurrency().compute_thread_count();
  if (Threads <= 1 || Total <= 1) {
    for (size_t I = 0; I < Sources.size(); ++I)
      if (Runnable[I])
        RunOne(I);
  } else {
#if LLVM_VERSION_MAJOR >= 18
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Threads));
#else
    llvm::ThreadPool Pool(llvm::hardware_concurrency(Threads));
#endif
    for (size_t I = 0; I < Sources.size(); ++I)
      if (Runnable[I])
        Pool.async([&RunOne, I] { RunOne(I); });
    Pool.wait();
  }
  if (Progress)
    Progress->clear();
}

DriverFacts cli::secondRound(const CompilationDatabase &DB,
                             const std::vector<std::string> &Sources,
                             const std::vector<bool> &Runnable,
                             std::vector<FileResult> &Results,
                             const DriverFacts &Given, const RunConfig &Config,
                             const std::vector<std::string> &ExtraFlags) {
  // Across files: a file that called routines defined in another file, or
  // defines routines another file registers, is analysed again with what
  // the others said (one more round; the common single-file run pays
  // nothing).
  DriverFacts Merged = Given;
  for (size_t I = 0; I < Sources.size(); ++I)
    Merged.merge(Results[I].Exported);
  // A file gains from a second look when a routine it calls is defined in
  // another file (its body was unseen), or when another file registers a
  // routine it defines in a role it did not know of. A routine every file
  // defines (an inline function of a shared header) or whose roles every
  // file declares (a role typedef in a shared header) gains nothing.
  auto Gains = [&](size_t I, const std::string &Name) {
    const auto &Mine = Results[I].Exported.Routines;
    auto M = Mine.find(Name);
    bool DefinedHere = M != Mine.end() && M->second.Defined;
    if (!DefinedHere) {
      auto Defined = [&](const DriverFacts &F) {
        auto R = F.Routines.find(Name);
        return R != F.Routines.end() && R->second.Defined;
      };
      // Defined in another file, and not already in the facts given.
      return Defined(Merged) && !Defined(Given);
    }
    for (size_t J = 0; J < Sources.size(); ++J) {
      if (J == I)
        continue;
      auto R = Results[J].Exported.Routines.find(Name);
      if (R == Results[J].Exported.Routines.end())
        continue;
      for (const std::string &Role : R->second.Roles)
        if (!M->second.Roles.count(Role))
          return true;
    }
    return false;
  };
  std::vector<size_t> Again;
  std::map<size_t, std::string> AgainFor;
  for (size_t I = 0; I < Sources.size(); ++I) {
    // A file with compile errors (often in headers only) was analysed but
    // for the functions with errors: it takes part in the second round too.
    if (!Runnable[I] || !Results[I].Analysed || Results[I].InternalError)
      continue;
    for (const std::string &Name : Results[I].Wanted)
      if (Gains(I, Name)) {
        Again.push_back(I);
        AgainFor[I] = Name;
        break;
      }
  }
  for (size_t I = 0; I < Results.size(); ++I)
    if (!AgainFor.count(I))
      Results[I].AST.reset(); // not needed again
  if (!Again.empty()) {
    RunConfig Second = Config;
    Second.Options.Facts = &Merged;
    for (size_t I : Again) {
      FileResult R = Results[I].AST
                         ? reanalyzeFile(Results[I], Second)
                         : analyzeFile(DB, Sources[I], Second, ExtraFlags);
      R.AST.reset();
      R.Exported = std::move(Results[I].Exported);
      if (Config.Verbose)
        R.Diagnostics = std::string(Tool) + ": note: analysing '" +
                        Sources[I] +
                        "' again with what the other files say (of '" +
                        AgainFor[I] + "')\n" + R.Diagnostics;
      Results[I] = std::move(R);
    }
  }
  for (FileResult &R : Results)
    R.AST.reset();
  return Merged;
}
