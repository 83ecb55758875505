// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// The run's output: findings merged in file order (a finding in a header
// shared by several files once), compile errors on stderr, the --verbose list
// of routines no file defines, --write-baseline, and the findings as text,
// SARIF, JSON or an HTML report (lib/report/Html.cpp); the exit status. Also
// the inputs read beside the sources (baselines).
#include "Results.h"
#include "Options.h"

#include "dmacheck/Html.h"
#include "dmacheck/Report.h"

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>

using namespace dmacheck;
using namespace dmacheck::cli;

bool cli::wantsColor() {
  if (ColorOpt == "always")
    return true;
  if (ColorOpt == "never")
    return false;
  return FormatOpt == "text" && OutputFile.empty() &&
         llvm::sys::Process::StandardOutIsDisplayed() &&
         llvm::sys::Process::StandardOutHasColors();
}

bool cli::readFile(llvm::StringRef Path, std::string &Text,
                     std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer) {
    Error = "cannot read '" + Path.str() + "': " + Buffer.getError().message();
    return false;
  }
  Text = (*Buffer)->getBuffer().str();
  return true;
}

/// A baseline file: {"version": 1, "fingerprints": [...]}.
bool cli::readBaseline(llvm::StringRef Path, std::set<std::string> &Out,
                         std::string &Error) {
  std::string Text;
  if (!readFile(Path, Text, Error))
    return false;
  auto V = llvm::json::parse(Text);
  if (!V) {
    Error = "'" + Path.str() + "' is not a baseline: " +
            llvm::toString(V.takeError());
    return false;
  }
  const llvm::json::Object *O = V->getAsObject();
  const llvm::json::Array *A = O ? O->getArray("fingerprints") : nullptr;
  if (!A) {
    Error = "'" + Path.str() + "' is not a baseline (no \"fingerprints\")";
    return false;
  }
  for (const llvm::json::Value &F : *A)
    if (auto S = F.getAsString())
      Out.insert(S->str());
  return true;
}

/// --fix: the fix-its of the findings reported, applied to their files in
/// place. A replacement offered twice (a header shared by several files, a
/// finding of the second round) is applied once; two different texts for
/// the same characters, or overlapping replacements, are ambiguous and
/// neither is applied. Returns false if a file could not be rewritten.
static bool applyFixes(const std::vector<PortableFinding> &Findings) {
  // File -> (offset, length) -> the texts offered.
  std::map<std::string, std::map<std::pair<unsigned, unsigned>,
                                 std::set<std::string>>>
      ByFile;
  for (const PortableFinding &F : Findings)
    for (const PortableFix &X : F.Fixes)
      ByFile[X.File][{X.Offset, X.Length}].insert(X.Text);
  bool Ok = true;
  unsigned Applied = 0, Files = 0;
  for (const auto &[File, Edits] : ByFile) {
    std::string Code, Error;
    if (!readFile(File, Code, Error)) {
      error(Error);
      Ok = false;
      continue;
    }
    clang::tooling::Replacements Repls;
    unsigned Here = 0;
    for (const auto &[Range, Texts] : Edits) {
      if (Texts.size() != 1 || Range.first + Range.second > Code.size())
        continue;
      llvm::Error E = Repls.add(clang::tooling::Replacement(
          File, Range.first, Range.second, *Texts.begin()));
      if (E) {
        llvm::consumeError(std::move(E));
        continue;
      }
      ++Here;
    }
    if (!Here)
      continue;
    auto Fixed = clang::tooling::applyAllReplacements(Code, Repls);
    if (!Fixed) {
      error("cannot apply the fix-its to '" + File +
            "': " + llvm::toString(Fixed.takeError()));
      Ok = false;
      continue;
    }
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC, llvm::sys::fs::OF_None);
    if (EC) {
      error("cannot write '" + File + "': " + EC.message());
      Ok = false;
      continue;
    }
    OS << *Fixed;
    Applied += Here;
    ++Files;
  }
  if (Applied && !Quiet)
    llvm::errs() << Tool << ": note: applied " << Applied << " fix-it"
                 << (Applied == 1 ? "" : "s") << " to " << Files << " file"
                 << (Files == 1 ? "" : "s") << "\n";
  return Ok;
}

int cli::writeResults(std::vector<FileResult> &Results,
                      const DriverFacts &Merged, const RunConfig &Config,
                      const std::vector<RunErrorRecord> &InputErrors) {
  // Merge in file order; a finding in a header shared by several files is
  // reported once.
  std::vector<PortableFinding> All;
  std::vector<RunErrorRecord> Errors;
  for (const RunErrorRecord &E : InputErrors) {
    error(E.Message);
    Errors.push_back(E);
  }
  std::vector<std::string> Fingerprints;
  std::set<std::string> Seen;
  std::string Text;
  for (FileResult &R : Results) {
    llvm::errs() << R.Diagnostics;
    for (RunErrorRecord &E : R.Errors)
      Errors.push_back(std::move(E));
    for (std::string &F : R.AllFingerprints)
      Fingerprints.push_back(std::move(F));
    for (Reported &F : R.Findings) {
      std::string Key = F.Data.Loc.File + ":" + std::to_string(F.Data.Loc.Line) +
                        ":" + std::to_string(F.Data.Loc.Column) + ":" +
                        F.Data.Fingerprint;
      if (!Seen.insert(Key).second)
        continue;
      Text += F.Text;
      All.push_back(std::move(F.Data));
    }
  }

  if (Config.Verbose) {
    std::set<std::string> Unknown;
    for (const FileResult &R : Results)
      for (const std::string &Name : R.Unknown) {
        auto F = Merged.Routines.find(Name);
        if (F == Merged.Routines.end() || !F->second.Defined)
          Unknown.insert(Name);
      }
    if (!Unknown.empty()) {
      llvm::errs() << Tool << ": note: " << Unknown.size()
                   << " routine(s) of the driver are called but defined in no "
                      "analysed file; their DMA effects are unknown:";
      for (const std::string &Name : Unknown)
        llvm::errs() << " " << Name;
      llvm::errs() << "\n";
    }
  }

  if (!WriteBaseline.empty()) {
    std::sort(Fingerprints.begin(), Fingerprints.end());
    Fingerprints.erase(std::unique(Fingerprints.begin(), Fingerprints.end()),
                       Fingerprints.end());
    std::error_code EC;
    llvm::raw_fd_ostream OS(WriteBaseline, EC);
    if (EC) {
      error("cannot write '" + WriteBaseline + "': " + EC.message());
      return 2;
    }
    llvm::json::Array A;
    for (const std::string &F : Fingerprints)
      A.push_back(F);
    OS << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                     {"version", 1},
                                     {"tool", "dmacheck " DMACHECK_VERSION},
                                     {"fingerprints", std::move(A)}}))
       << "\n";
  }

  if (FormatOpt == "html") {
    std::string HtmlError;
    if (!writeHtml(OutputFile, All, Errors, Config.SourceRoot,
                   DMACHECK_VERSION, HtmlError)) {
      error(HtmlError);
      return 2;
    }
    if (!Errors.empty())
      return 2;
    return All.empty() ? 0 : 1;
  }

  std::unique_ptr<llvm::ToolOutputFile> Out;
  llvm::raw_ostream *OS = &llvm::outs();
  if (!OutputFile.empty()) {
    std::error_code EC;
    Out = std::make_unique<llvm::ToolOutputFile>(OutputFile, EC,
                                                 llvm::sys::fs::OF_None);
    if (EC) {
      error("cannot write '" + OutputFile + "': " + EC.message());
      return 2;
    }
    OS = &Out->os();
  }
  if (FormatOpt == "sarif")
    writeSarif(*OS, All, Errors, Config.SourceRoot, DMACHECK_VERSION,
               DMACHECK_DOCS_URL);
  else if (FormatOpt == "json")
    writeJson(*OS, All, Errors, Config.SourceRoot);
  else
    *OS << Text;
  OS->flush();
  if (Out)
    Out->keep();
  if (FixOpt && !applyFixes(All))
    return 2;
  if (!Errors.empty())
    return 2;
  return All.empty() ? 0 : 1;
}